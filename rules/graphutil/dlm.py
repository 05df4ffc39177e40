"""Which Data Lifecycle Manager (DLM) policies may snapshot an EBS volume, and whether a policy copies its
snapshots to another Region, in graphutil.backup's three-valued logic (True, False or an Unknown saying why).

A policy snapshots nothing while DISABLED, nor when it does not exist (count = 0). A custom snapshot policy
targets the volumes of its Region that carry its target tags. Whether a volume must carry every target tag or
one is enough is not decided here: a volume carrying all of them is targeted, one carrying none is not (both
readings agree), one carrying some is undecided. An INSTANCE policy snapshots the volumes attached to tagged
instances, which is not followed (undecided). Snapshots leave the Region only through cross-Region copy rules
(a schedule's), cross-Region copy actions (event-based policies) or copy targets (CloudFormation default
policies): a policy that writes none of them keeps every snapshot in its own Region, whatever it targets.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.dlm import (ACTION_COPY, CFN_COPY_TARGETS, CFN_DEFAULT_POLICY, COPY_TARGET, CREATE_CRON,
                                   CREATE_INTERVAL, CREATE_UNIT, DISABLED, DLM_ACTIONS, DLM_RESOURCE_TYPES,
                                   DLM_SCHEDULES, DLM_STATE, DLM_TARGET_TAGS, DLM_TYPES, SCHEDULE_COPY,
                                   SCHEDULE_CREATE)
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.graphutil.backup import _tag_list, resource_exists, t_and, t_or, tag_text, target_of
from rlint.rules.graphutil.regions import resource_region, same_region


def policies(ctx: RuleContext) -> list:
    return ctx.graph.by_type(*DLM_TYPES)


def runs(ctx: RuleContext, policy: Resource) -> Any:
    """Whether the policy exists and is enabled."""
    state = ctx.get(policy, DLM_STATE)
    if isinstance(state, Unknown):
        state = Unknown(f"the state of {policy.address} is not known ({state.reason})")
    else:
        state = state != DISABLED
    return t_and([resource_exists(policy), state])


def _tag_hit(t, key: str, value: Any) -> Any:
    if isinstance(key, Unknown) or isinstance(value, Unknown):
        return Unknown("a target tag is not known")
    actual = tag_text(t, key)
    if isinstance(actual, Unknown) or actual is MISSING:
        return False if actual is MISSING else actual
    return actual == str(value)


def targets(ctx: RuleContext, policy: Resource, volume: Resource) -> Any:
    """Whether the policy snapshots the volume (its existence and state aside: `runs`): a policy acts in its
    own Region only."""
    here = same_region(resource_region(policy), resource_region(volume))
    if here is False:
        return False
    return t_and([_targets(ctx, policy, volume), here])


def _targets(ctx: RuleContext, policy: Resource, volume: Resource) -> Any:
    if policy.format != TERRAFORM:
        default = ctx.get(policy, CFN_DEFAULT_POLICY)
        if isinstance(default, Unknown):
            return Unknown(f"the default policy type of {policy.address} is not known ({default.reason})")
        if default == "VOLUME":
            return True  # every volume of its Region
        if default is not MISSING:
            return Unknown(f"{policy.address} snapshots the volumes of every instance of its Region")
    types = ctx.get(policy, DLM_RESOURCE_TYPES)
    if isinstance(types, Unknown):
        return Unknown(f"the resource types of {policy.address} are not known ({types.reason})")
    if not isinstance(types, list) or any(isinstance(x, Unknown) for x in types):
        return Unknown(f"the resource types of {policy.address} are not known")
    if "VOLUME" not in types:
        if "INSTANCE" in types:
            return Unknown(f"{policy.address} snapshots the volumes of instances with its target tags")
        return False
    wanted = ctx.get(policy, DLM_TARGET_TAGS)
    wanted = wanted if policy.format == TERRAFORM or isinstance(wanted, Unknown) else _tag_list(wanted)
    if isinstance(wanted, Unknown):
        return Unknown(f"the target tags of {policy.address} are not known ({wanted.reason})")
    if not isinstance(wanted, dict) or not wanted:
        return Unknown(f"the target tags of {policy.address} are not known")
    t = target_of(ctx, volume)
    hits = [_tag_hit(t, k, v) for k, v in wanted.items()]
    unknown = next((h for h in hits if isinstance(h, Unknown)), None)
    if unknown is not None:
        return Unknown(f"whether the volume carries the target tags of {policy.address} is not known "
                       f"({unknown.reason})")
    if all(hits) or not any(hits):
        return all(hits)
    return Unknown(f"the volume carries some of the target tags of {policy.address}, not all")


def _copies_in(entries: Any, key: str, where: str) -> Any:
    if entries is MISSING or entries is None:
        return False
    if isinstance(entries, Unknown):
        return Unknown(f"the {where} are not known ({entries.reason})")
    tests = []
    for entry in entries if isinstance(entries, list) else [entries]:
        copy = entry.get(key, MISSING) if isinstance(entry, dict) else entry
        if isinstance(copy, Unknown):
            tests.append(Unknown(f"the cross-Region copies of the {where} are not known ({copy.reason})"))
        elif not isinstance(entry, dict):
            tests.append(Unknown(f"the {where} are not known"))
        else:
            tests.append(copy is not MISSING and copy is not None and copy != [])
    return t_or(tests)


def copies_to_another_region(ctx: RuleContext, policy: Resource, in_schedules: bool = True) -> Any:
    """Whether some rule of the policy copies its snapshots (or AMIs) to another Region (`in_schedules=False`:
    leaving out the schedules' copy rules, which `schedules` reads one by one)."""
    fmt = policy.format
    tests = [_copies_in(ctx.get(policy, DLM_ACTIONS), ACTION_COPY[fmt], f"actions of {policy.address}")]
    if in_schedules:
        tests.append(_copies_in(ctx.get(policy, DLM_SCHEDULES), SCHEDULE_COPY[fmt], f"schedules of {policy.address}"))
    if fmt != TERRAFORM:
        for attr in CFN_COPY_TARGETS:
            value = ctx.get(policy, attr)
            if isinstance(value, Unknown):
                tests.append(Unknown(f"the copy targets of {policy.address} are not known ({value.reason})"))
            else:
                tests.append(value is not MISSING and value is not None and value != [])
    return t_or(tests)


@dataclass
class Schedule:
    """One schedule of a policy: how often it snapshots (`every`: a number with `unit` HOURS, or `cron`, or an
    Unknown) and the targets of its cross-Region copy rules (Region names, or an Unknown for the list or one)."""

    name: str
    every: Any
    unit: Any
    cron: Any
    copies: Any


def schedules(ctx: RuleContext, policy: Resource) -> Any:
    """The policy's schedules, or an Unknown when they are not known (dynamic blocks over an unknown value)."""
    fmt = policy.format
    value = ctx.get(policy, DLM_SCHEDULES)
    if isinstance(value, Unknown):
        return Unknown(f"the schedules of {policy.address} are not known ({value.reason})")
    out = []
    for entry in value if isinstance(value, list) else []:
        if not isinstance(entry, dict):
            return Unknown(f"a schedule of {policy.address} is not known")
        create = entry.get(SCHEDULE_CREATE[fmt], MISSING)
        create = create[0] if isinstance(create, list) and create else create
        create = create if isinstance(create, (dict, Unknown)) else {}
        if isinstance(create, Unknown):
            every = unit = cron = create
        else:
            every, unit, cron = (create.get(k[fmt], MISSING) for k in (CREATE_INTERVAL, CREATE_UNIT, CREATE_CRON))
        rules = entry.get(SCHEDULE_COPY[fmt], MISSING)
        if isinstance(rules, Unknown):
            copies = rules
        else:
            copies = []
            for rule in rules if isinstance(rules, list) else []:
                target = next((rule[k] for k in COPY_TARGET[fmt] if isinstance(rule, dict) and k in rule),
                              Unknown("the copy rule's target is not known"))
                copies.append(target)
        name = entry.get("name" if fmt == TERRAFORM else "Name")
        out.append(Schedule(name if isinstance(name, str) else "a schedule", every, unit, cron, copies))
    return out


__all__ = ["policies", "runs", "targets", "copies_to_another_region", "schedules", "Schedule"]

"""A minimal reading of the AWS Backup plans that cover a resource: how often each rule runs, whether it is
continuous, and where its copies go.

Kept apart on purpose: rules/graphutil/backup_plans.py is growing plan -> rule -> vault -> copy-Region
helpers; once they land, `plan_rules` below is the one function to swap for them. Coverage itself (which
selections select a resource) is graphutil.backup's, not re-derived here.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.backup import (COPY_DESTINATION, PLAN_RULES, PLAN_TYPES, RULE_COPY_ACTIONS,
                                      RULE_CONTINUOUS, RULE_NAME, RULE_SCHEDULE, SELECTION_PLAN)
from rlint.rules.attrs.stateful import BACKUP_KINDS
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.dr.regions import arn_region, region_of
from rlint.rules.graphutil.backup import selections, target_of
from rlint.rules.graphutil.values import as_bool

DAY_MINUTES = 1440


@dataclass
class PlanRule:
    plan: Resource
    name: str
    interval: Any          # seconds between recovery points, or an Unknown
    continuous: Any        # True / False / Unknown
    copy_regions: list = field(default_factory=list)  # str Region, or Unknown, per copy action


def _key(res: Resource, pair: tuple) -> str:
    return pair[0] if res.format == TERRAFORM else pair[1]


# -- cron(Minutes Hours Day-of-month Month Day-of-week Year) ----------------------------------------------
def _field(text: str, low: int, high: int) -> set:
    out: set = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = int(part)
            end = high if step > 1 else start
        out.update(range(start, end + 1, step))
    return out


def _max_gap(points: list, cycle: int) -> int:
    points = sorted(points)
    gaps = [b - a for a, b in zip(points, points[1:])] + [points[0] + cycle - points[-1]]
    return max(gaps)


def schedule_interval(expression: Any) -> Any:
    """Seconds between two runs of an AWS Backup cron expression (the longest gap), or an Unknown."""
    if isinstance(expression, Unknown):
        return expression
    if expression is MISSING or expression is None:
        return Unknown("the rule has no schedule (AWS Backup's default is not in the configuration)")
    m = re.fullmatch(r"\s*cron\((.+)\)\s*", str(expression))
    fields = m.group(1).split() if m else []
    if len(fields) != 6:
        return Unknown(f"the schedule {expression!r} is not a cron expression rlint reads")
    minutes, hours, dom, month, dow, _year = fields
    try:
        times = [h * 60 + mi for h in _field(hours, 0, 23) for mi in _field(minutes, 0, 59)]
        gap = _max_gap(times, DAY_MINUTES) * 60
        if dow not in ("*", "?"):
            days = _field(re.sub(r"[A-Za-z]{3}", lambda d: str(_DOW[d.group(0).upper()]), dow), 1, 7)
            gap = max(gap, _max_gap(list(days), 7) * 86400)
        if dom not in ("*", "?") or month not in ("*", "?"):
            gap = max(gap, 31 * 86400)
    except (ValueError, KeyError):
        return Unknown(f"the schedule {expression!r} is not a cron expression rlint reads")
    return gap


_DOW = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


# -- plans ------------------------------------------------------------------------------------------------
def _copy_region(ctx: RuleContext, plan: Resource, path: tuple, value: Any) -> Any:
    vaults = ctx.graph.targets(plan, path)
    if vaults:
        found = region_of(vaults[0])
        return found if found is not None else Unknown(f"the Region of {vaults[0].address} is not known")
    return arn_region(value)  # a literal ARN names its Region; a parameter or Fn::Sub stays Unknown


def plan_rules(ctx: RuleContext, plan: Resource) -> Any:
    """Every rule of the plan, or an Unknown when the rules cannot be read."""
    rules = ctx.get(plan, PLAN_RULES)
    if isinstance(rules, Unknown):
        return rules
    base = PLAN_RULES.path(plan.format)
    out = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, Unknown):
            return rule
        if not isinstance(rule, dict):
            continue
        name = rule.get(_key(plan, RULE_NAME))
        continuous = as_bool(rule.get(_key(plan, RULE_CONTINUOUS), False))
        entry = PlanRule(plan, name if isinstance(name, str) else f"#{i + 1}",
                         schedule_interval(rule.get(_key(plan, RULE_SCHEDULE), MISSING)), continuous)
        copies = rule.get(_key(plan, RULE_COPY_ACTIONS), MISSING)
        if isinstance(copies, Unknown):
            entry.copy_regions.append(copies)
        for j, copy in enumerate(copies if isinstance(copies, list) else []):
            if isinstance(copy, Unknown):
                entry.copy_regions.append(copy)
                continue
            if not isinstance(copy, dict):
                continue
            dest = copy.get(_key(plan, COPY_DESTINATION), MISSING)
            path = base + (i, _key(plan, RULE_COPY_ACTIONS), j, _key(plan, COPY_DESTINATION))
            entry.copy_regions.append(_copy_region(ctx, plan, path, dest))
        out.append(entry)
    return out


_PLANS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _plan_rules_once(ctx: RuleContext, plan: Resource) -> Any:
    cache = _PLANS.setdefault(ctx.graph, {})
    if id(plan) not in cache:
        cache[id(plan)] = plan_rules(ctx, plan)
    return cache[id(plan)]


def _potential(candidate: tuple) -> tuple:
    """Plans that copy to another Region and run often first: they make later plans redundant."""
    rules = candidate[1]
    if isinstance(rules, Unknown):
        return (0, 0)
    intervals = [r.interval if isinstance(r.interval, (int, float)) else 0 for r in rules] or [0]
    return (0 if any(r.copy_regions for r in rules) else 1, min(intervals))


_CANDIDATES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _candidates(ctx: RuleContext) -> list:
    """Every selection with its plan's rules (an Unknown when the plan is not in the scan), best first."""
    found = _CANDIDATES.get(ctx.graph)
    if found is None:
        found = []
        for sel in selections(ctx):
            path = SELECTION_PLAN.path(sel.res.format)
            plans = [p for p in ctx.graph.targets(sel.res, path) if p.type in PLAN_TYPES]
            rules = _plan_rules_once(ctx, plans[0]) if plans else \
                Unknown(f"the plan of {sel.res.address} is not in the configuration")
            found.append((sel, rules))
        found.sort(key=_potential)
        _CANDIDATES[ctx.graph] = found
    return found


def covering(ctx: RuleContext, res: Resource, useful: Callable[[list], bool]) -> Iterator[tuple]:
    """(the plan's rules or an Unknown, True or an Unknown) for each AWS Backup selection that selects or may
    select the resource, best plans first. A selection whose plan `useful(rules)` cannot improve on what is
    already known is not evaluated: with many stacks in one scan, every plan would otherwise be matched
    against every store."""
    if res.type not in BACKUP_KINDS:
        return
    target = target_of(ctx, res)
    for sel, rules in _candidates(ctx):
        if not isinstance(rules, Unknown) and not useful(rules):
            continue
        answer = sel.selects(target)
        if answer is not False:
            yield rules, answer


__all__ = ["PlanRule", "schedule_interval", "plan_rules", "covering"]

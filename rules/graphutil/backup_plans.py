"""AWS Backup plan rules and copy actions, read the same way from both formats.

A Terraform plan has `rule` blocks with a `lifecycle` block and `copy_action` blocks (each with its own
`lifecycle`); CloudFormation has `BackupPlan.BackupPlanRule[]` with `Lifecycle` and `CopyActions[]`.
`Retention.days` is None when recovery points never expire (no lifecycle, no `delete_after`, or -1).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.backup import (LIFECYCLE_DELETE_AFTER, PLAN_RULES, RULE_COPY_ACTIONS, RULE_CONTINUOUS,
                                      RULE_LIFECYCLE, RULE_NAME)
from rlint.rules.base import TERRAFORM, Attr, RuleContext
from rlint.rules.graphutil.values import as_bool, as_int


@dataclass(frozen=True)
class EntryAttr(Attr):
    """An attribute inside the n-th entry of a nested list, with the exact path (indices included) per format."""

    tf_path: Optional[tuple] = None
    cfn_path: Optional[tuple] = None

    def path(self, fmt: str) -> Optional[tuple]:
        return self.tf_path if fmt == TERRAFORM else self.cfn_path


@dataclass
class Retention:
    kind: str            # "rule" | "copy"
    rule_name: str       # the plan rule's name (or its position)
    index: tuple         # (rule index,) or (rule index, copy index)
    days: Any            # int, None (never expires) or Unknown
    continuous: Any      # True/False/Unknown (copies: the rule's)
    attr: EntryAttr      # where delete_after is (or would be) written


def _key(res: Resource, pair: tuple) -> str:
    return pair[0] if res.format == TERRAFORM else pair[1]


def _block(res: Resource, value: Any) -> Any:
    """A nested block: Terraform keeps a list of bodies (read the first), CloudFormation a map."""
    if res.format == TERRAFORM and isinstance(value, list):
        return value[0] if value else MISSING
    return value


def _days(res: Resource, holder: dict) -> Any:
    lifecycle = _block(res, holder.get(_key(res, RULE_LIFECYCLE), MISSING))
    if isinstance(lifecycle, Unknown):
        return lifecycle
    if not isinstance(lifecycle, dict):
        return None  # no lifecycle: kept forever
    days = as_int(lifecycle.get(_key(res, LIFECYCLE_DELETE_AFTER), MISSING))
    if days is MISSING or days is None or days == -1:
        return None
    if isinstance(days, (int, Unknown)):
        return days
    return Unknown(f"`{_key(res, LIFECYCLE_DELETE_AFTER)}` is {days!r}")


def _attr(res: Resource, base: tuple) -> EntryAttr:
    key = _key(res, LIFECYCLE_DELETE_AFTER)
    lifecycle = _key(res, RULE_LIFECYCLE)
    path = base + ((lifecycle, 0, key) if res.format == TERRAFORM else (lifecycle, key))
    dotted = ".".join(str(p) for p in path)
    if res.format == TERRAFORM:
        return EntryAttr(key, dotted, None, tf_path=path)
    return EntryAttr(key, None, dotted, cfn_path=path)


def plan_retentions(ctx: RuleContext, plan: Resource) -> Any:
    """Every rule and copy action of the plan with its retention, or an Unknown when the rules are."""
    rules = ctx.get(plan, PLAN_RULES)
    if isinstance(rules, Unknown):
        return rules
    if not isinstance(rules, list):
        return []
    base = PLAN_RULES.path(plan.format)
    out = []
    for i, rule in enumerate(rules):
        if isinstance(rule, Unknown):
            return rule
        if not isinstance(rule, dict):
            continue
        name = rule.get(_key(plan, RULE_NAME))
        label = f'"{name}"' if isinstance(name, str) else f"#{i + 1}"
        continuous = as_bool(rule.get(_key(plan, RULE_CONTINUOUS), False))
        out.append(Retention("rule", label, (i,), _days(plan, rule), continuous, _attr(plan, base + (i,))))
        copies = rule.get(_key(plan, RULE_COPY_ACTIONS), MISSING)
        if isinstance(copies, Unknown):
            out.append(Retention("copy", label, (i, 0), copies, continuous,
                                 _attr(plan, base + (i, _key(plan, RULE_COPY_ACTIONS), 0))))
            continue
        for j, copy in enumerate(copies if isinstance(copies, list) else []):
            days = _days(plan, copy) if isinstance(copy, dict) else copy if isinstance(copy, Unknown) else None
            out.append(Retention("copy", label, (i, j), days, continuous,
                                 _attr(plan, base + (i, _key(plan, RULE_COPY_ACTIONS), j))))
    return out


__all__ = ["EntryAttr", "Retention", "plan_retentions"]

"""What RL401 and RL402 share: which stateful resources they judge, and the fix they propose."""
from __future__ import annotations

from typing import Any

from rlint.model import Resource
from rlint.rules.attrs.stateful import CFN_STATEFUL_TYPES, POLICY_EXEMPT_TYPES
from rlint.rules.base import Attr, Fix, RuleContext, SetAttribute
from rlint.rules.graphutil.policies import rds_instance_role, safe_policy

JUDGED_TYPES = tuple(t for t in CFN_STATEFUL_TYPES if t not in POLICY_EXEMPT_TYPES)


def instance_role(ctx: RuleContext, res: Resource) -> Any:
    """"member"/"replica" (skipped: no data of their own), "standalone", an Unknown, or None for other types."""
    if res.type != "AWS::RDS::DBInstance":
        return None
    return rds_instance_role(ctx, res)


def policy_fix(ctx: RuleContext, res: Resource, attr: Attr) -> Fix:
    value = safe_policy(ctx, res)
    why = ("CloudFormation keeps a final snapshot" if value == "Snapshot"
           else "CloudFormation leaves the resource in the account")
    return Fix(f"Set `{attr.cloudformation}: {value}`", (SetAttribute(attr, value),), safety="review",
               note=f"{why}; the kept resource or snapshot is billed until someone deletes it")


__all__ = ["JUDGED_TYPES", "instance_role", "policy_fix"]

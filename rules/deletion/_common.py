"""What RL401 and RL402 share: which stateful resources they judge, and the fix they propose."""
from __future__ import annotations

from typing import Any

from rlint.model import Resource
from rlint.rules.attrs.stateful import (CFN_STATEFUL_TYPES, DELETION_POLICY, POLICY_EXEMPT_TYPES,
                                       UPDATE_REPLACE_POLICY)
from rlint.rules.base import Attr, Fix, RuleContext, SetAttribute
from rlint.rules.graphutil.policies import rds_instance_role, safe_policy

JUDGED_TYPES = tuple(t for t in CFN_STATEFUL_TYPES if t not in POLICY_EXEMPT_TYPES)


def instance_role(ctx: RuleContext, res: Resource) -> Any:
    """"member"/"replica" (skipped: no data of their own), "standalone", an Unknown, or None for other types."""
    if res.type != "AWS::RDS::DBInstance":
        return None
    return rds_instance_role(ctx, res)


def policy_fix(ctx: RuleContext, res: Resource, attr: Attr) -> Fix:
    """Set the policy; write the other one too when it is missing, even where its default is already safe
    (a DBCluster's DeletionPolicy): cfn-lint (W3011) asks for both, and the intent is then on the page."""
    value = safe_policy(ctx, res)
    why = ("CloudFormation keeps a final snapshot" if value == "Snapshot"
           else "CloudFormation leaves the resource in the account")
    changes = [SetAttribute(attr, value)]
    other = UPDATE_REPLACE_POLICY if attr == DELETION_POLICY else DELETION_POLICY
    if not ctx.has(res, other):
        changes.append(SetAttribute(other, value))
    return Fix(f"Set `{attr.cloudformation}: {value}`", tuple(changes), safety="review",
               note=f"{why}; the kept resource or snapshot is billed until someone deletes it")


__all__ = ["JUDGED_TYPES", "instance_role", "policy_fix"]

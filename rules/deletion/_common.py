"""What the deletion rules share: which stateful resources they judge, how a CloudFormation policy may come
out, whether the stack itself keeps a resource, and the fix they propose."""
from __future__ import annotations

import json
from typing import Any

from rlint.model import Resource, Unknown
from rlint.rules.attrs.stateful import (CFN_STATEFUL_TYPES, DELETION_POLICY, POLICY_EXEMPT_TYPES,
                                        UPDATE_REPLACE_POLICY)
from rlint.rules.base import Attr, Fix, RuleContext, SetAttribute
from rlint.rules.graphutil.policies import rds_instance_role, safe_policy, written_policy

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


def may_be(res: Resource, attr: Attr, *values: str) -> bool:
    """Whether an undecided policy could come out as one of `values`: the name is written in one of its
    branches, or it comes from a parameter or mapping (whose values are not checked here)."""
    raw = json.dumps((res.meta.get("raw") or {}).get(attr.cloudformation), default=str)
    return any(f'"{v}"' in raw for v in values) or '"Ref"' in raw or "Fn::FindInMap" in raw


def kept_by_stack(res: Resource) -> Any:
    """Whether CloudFormation never deletes the resource: `Retain` (or `RetainExceptOnCreate`) on deletion and
    `Retain` on replacement -- the counterpart of Terraform's `prevent_destroy`. True, False or an Unknown."""
    undecided = None
    for attr, keeping in ((DELETION_POLICY, ("Retain", "RetainExceptOnCreate")), (UPDATE_REPLACE_POLICY, ("Retain",))):
        policy = written_policy(res, attr)
        if isinstance(policy, Unknown):
            if not may_be(res, attr, *keeping):
                return False
            undecided = policy if undecided is None else undecided
        elif policy not in keeping:
            return False
    return True if undecided is None else undecided


__all__ = ["JUDGED_TYPES", "instance_role", "policy_fix", "may_be", "kept_by_stack"]

"""CloudFormation DeletionPolicy / UpdateReplacePolicy as CloudFormation applies them.

A policy is a plain string, or -- only under the `AWS::LanguageExtensions` transform -- an intrinsic function
(`Fn::If`, `Ref`, `Fn::FindInMap` ...) that the template evaluator has already resolved with the template's
parameters and conditions. Without the transform an intrinsic policy makes CloudFormation reject the template,
so no policy can be said to apply.
"""
from __future__ import annotations

from typing import Any

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.rds import CLUSTER_ID, ENGINE, REPLICATE_SOURCE
from rlint.rules.attrs.stateful import SNAPSHOT_DEFAULT_TYPES, SNAPSHOT_TYPES
from rlint.rules.base import Attr, RuleContext

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


def written_policy(res: Resource, attr: Attr) -> Any:
    """The policy as written: a string, MISSING (absent, or removed by AWS::NoValue), or an Unknown."""
    key = attr.cloudformation
    intrinsic = any(len(p) > 1 and p[0] == key for p in res.attr_spans)
    if intrinsic and LANGUAGE_EXTENSIONS not in (res.meta.get("transforms") or ()):
        return Unknown(f"`{key}` is an intrinsic function, which CloudFormation accepts only with the "
                       f"{LANGUAGE_EXTENSIONS} transform (the template is rejected without it)")
    value = res.attrs.get(key, MISSING)
    if value is None:
        return MISSING
    if isinstance(value, (str, Unknown)) or value is MISSING:
        return value
    return Unknown(f"`{key}` evaluates to {value!r}, not a policy name")


def property_written(ctx: RuleContext, res: Resource, attr: Attr) -> Any:
    """True when the property is written, False when not, an Unknown when a condition decides."""
    value = ctx.get(res, attr)
    if value is MISSING:
        return False
    if isinstance(value, Unknown) and value.reason.startswith("depends on condition"):
        return value  # Fn::If that may remove the property
    return True


def rds_instance_role(ctx: RuleContext, res: Resource) -> Any:
    """For an AWS::RDS::DBInstance: "member" (Aurora cluster member), "replica", "standalone", or an Unknown."""
    engine = ctx.get(res, ENGINE)
    if isinstance(engine, str) and engine.lower().startswith("aurora"):
        return "member"
    member = property_written(ctx, res, CLUSTER_ID)
    if member is True:
        return "member"
    replica = property_written(ctx, res, REPLICATE_SOURCE)
    if replica is True:
        return "replica"
    for decided in (member, replica):
        if isinstance(decided, Unknown):
            return decided
    return "standalone"


def default_deletion_policy(res: Resource, role: Any) -> str:
    """CloudFormation's default DeletionPolicy: Snapshot for DB clusters and standalone DB instances."""
    if res.type in SNAPSHOT_DEFAULT_TYPES and (res.type == "AWS::RDS::DBCluster" or role != "member"):
        return "Snapshot"
    return "Delete"


def safe_policy(ctx: RuleContext, res: Resource) -> str:
    """The policy a fix proposes: Snapshot where the type supports it, else Retain."""
    if res.type not in SNAPSHOT_TYPES:
        return "Retain"
    if res.type == "AWS::ElastiCache::CacheCluster":
        engine = ctx.get(res, ENGINE)
        if not (isinstance(engine, str) and engine.lower() in ("redis", "valkey")):
            return "Retain"  # Memcached has no snapshots
    return "Snapshot"


__all__ = ["written_policy", "property_written", "rds_instance_role", "default_deletion_policy", "safe_policy", "LANGUAGE_EXTENSIONS"]

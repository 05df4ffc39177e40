"""ElastiCache node-based clusters that belong to a replication group (and so take its settings).

Terraform writes the membership on the cluster (`replication_group_id`); in CloudFormation a replication
group adopts an existing cluster as its primary (`PrimaryClusterId`, by reference or by the cluster's name).
"""
from __future__ import annotations

from rlint.model import Resource
from rlint.rules.attrs.cache_az import CACHE_REPLICATION_GROUP, RG_PRIMARY_CLUSTER
from rlint.rules.base import RuleContext

CFN_REPLICATION_GROUP = "AWS::ElastiCache::ReplicationGroup"


def adopted_by_replication_group(ctx: RuleContext, res: Resource) -> bool:
    """CloudFormation: a replication group names this cluster as its primary."""
    if res.format != "cloudformation":
        return False
    if ctx.graph.referrers(res, type=CFN_REPLICATION_GROUP, attr=RG_PRIMARY_CLUSTER.path(res.format)):
        return True
    props = res.attrs.get("Properties")
    name = props.get("ClusterName") if isinstance(props, dict) else None
    return isinstance(name, str) and any(ctx.get(g, RG_PRIMARY_CLUSTER) == name
                                         for g in ctx.graph.in_unit_of_type(res, CFN_REPLICATION_GROUP))


def in_replication_group(ctx: RuleContext, res: Resource) -> bool:
    """The cluster is a member of a replication group, in either format."""
    return ctx.has(res, CACHE_REPLICATION_GROUP) or adopted_by_replication_group(ctx, res)


__all__ = ["adopted_by_replication_group", "in_replication_group"]

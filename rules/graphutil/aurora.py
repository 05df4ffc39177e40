"""Aurora cluster -> member instances, shared by the Aurora rules (instance count, AZ spread).

A member names its cluster by reference (`aws_rds_cluster.x.id`, `!Ref Cluster`) or by the cluster's literal
identifier. count/for_each are already expanded into instances; an instance whose count is undecidable, a
CloudFormation instance under an undecidable condition, or an instance whose cluster cannot be decided is
*uncertain*: it may or may not add to the cluster.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rlint.model import Resource, Unknown
from rlint.rules.attrs.aurora import (CLUSTER_NAME, CLUSTER_TYPES, MEMBER_CLUSTER, READ_REPLICA_COUNT,
                                      SCALABLE_DIMENSION, SCALABLE_RESOURCE, SCALABLE_TARGET_TYPES,
                                      SCALING_MIN_CAPACITY)
from rlint.rules.base import RuleContext

MEMBER_TYPE = {"terraform": "aws_rds_cluster_instance", "cloudformation": "AWS::RDS::DBInstance"}


@dataclass
class Members:
    certain: list = field(default_factory=list)    # instances that are created and belong to the cluster
    uncertain: list = field(default_factory=list)  # (instance, Unknown): might exist or might belong


def members_of(ctx: RuleContext, cluster: Resource) -> Members:
    out = Members()
    path = MEMBER_CLUSTER.path(cluster.format)
    mtype = MEMBER_TYPE[cluster.format]
    name = ctx.get(cluster, CLUSTER_NAME)
    name = name.lower() if isinstance(name, str) else None
    for inst in ctx.graph.in_unit_of_type(cluster, mtype):
        value = ctx.get(inst, MEMBER_CLUSTER)
        clusters = [t for t in ctx.graph.targets(inst, path) if t.type in CLUSTER_TYPES]
        if any(t is cluster for t in clusters):
            if len(clusters) > 1:
                out.uncertain.append((inst, Unknown(f"{inst.address} names one of several clusters")))
                continue
        elif isinstance(value, str):
            if name is None or value.lower() != name:
                continue
        elif isinstance(value, Unknown) and not clusters:
            out.uncertain.append((inst, Unknown(f"the cluster of {inst.address} cannot be decided ({value.reason})")))
            continue
        else:
            continue  # no cluster (a plain CloudFormation DB instance) or another cluster
        why = _existence_unknown(inst)
        if why is not None:
            out.uncertain.append((inst, why))
        else:
            out.certain.append(inst)
    return out


def _existence_unknown(inst: Resource):
    """Why the instance may not be created (an undecidable count or condition), or None."""
    if inst.meta.get("expansion_unknown"):
        return Unknown(f"the number of {inst.block_address or inst.address} instances cannot be decided")
    cond = inst.meta.get("condition_value")
    if isinstance(cond, Unknown):
        return Unknown(f"{inst.address} exists only under condition {inst.meta.get('condition')} ({cond.reason})")
    return None


def autoscaled_readers(ctx: RuleContext, cluster: Resource):
    """The least number of Aurora Replicas that Aurora Auto Scaling keeps in the cluster: the largest
    `min_capacity` of the scalable targets on `rds:cluster:ReadReplicaCount` whose resource id references the
    cluster (0 when there is none), or Unknown when a target's existence, dimension or minimum is undecided."""
    path = SCALABLE_RESOURCE.path(cluster.format)
    best = 0
    for target in ctx.graph.referrers(cluster, attr=path):
        if target.type not in SCALABLE_TARGET_TYPES or target.meta.get("unit", "") != cluster.meta.get("unit", ""):
            continue
        dimension = ctx.get(target, SCALABLE_DIMENSION)
        if isinstance(dimension, str) and dimension != READ_REPLICA_COUNT:
            continue
        why = _existence_unknown(target)
        minimum = ctx.get(target, SCALING_MIN_CAPACITY)
        if isinstance(minimum, str) and minimum.strip().isdigit():
            minimum = int(minimum)  # CloudFormation integers are often written as strings
        for value in (why, dimension, minimum):
            if isinstance(value, Unknown):
                return Unknown(f"the Aurora Auto Scaling minimum of {target.address} cannot be decided "
                               f"({value.reason})")
        if isinstance(minimum, (int, float)) and not isinstance(minimum, bool):
            best = max(best, int(minimum))
    return best

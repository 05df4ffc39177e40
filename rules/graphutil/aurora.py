"""Aurora cluster -> member instances, shared by the Aurora rules (instance count, AZ spread).

A member names its cluster by reference (`aws_rds_cluster.x.id`, `!Ref Cluster`) or by the cluster's literal
identifier. count/for_each are already expanded into instances; an instance whose count is undecidable, a
CloudFormation instance under an undecidable condition, or an instance whose cluster cannot be decided is
*uncertain*: it may or may not add to the cluster.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rlint.model import Resource, Unknown
from rlint.rules.attrs.aurora import CLUSTER_NAME, CLUSTER_TYPES, MEMBER_CLUSTER
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

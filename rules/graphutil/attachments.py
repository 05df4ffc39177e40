"""Auto Scaling group -> the load balancers and VPC Lattice target groups it is registered with.

Inline forms (`target_group_arns`, `load_balancers`, `traffic_source` blocks; CloudFormation
`TargetGroupARNs`, `LoadBalancerNames`, `TrafficSources`) and Terraform's separate
`aws_autoscaling_attachment` / `aws_autoscaling_traffic_source_attachment`, found by reference or by the
group's literal name. Each source is of kind `elb` (classic or v2: needs ELB health checks), `lattice`
(needs VPC_LATTICE) or `any` (type undecidable). Sources that may or may not exist are kept apart as
Unknowns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.autoscaling import (ASG_NAME, ASG_TYPES, ATTACHED_GROUP, ATTACHMENT_TRAFFIC_SOURCE,
                                           ECS_CAPACITY_PROVIDERS, LOAD_BALANCER_NAMES, TARGET_GROUPS,
                                           TF_ATTACHMENT, TF_TRAFFIC_ATTACHMENT, TRAFFIC_SOURCES)
from rlint.rules.base import RuleContext

ELB, LATTICE, ANY = "elb", "lattice", "any"


@dataclass
class Attachments:
    sources: list = field(default_factory=list)   # (kind, label)
    maybe: list = field(default_factory=list)     # (Unknown, label): a source that may exist

    @property
    def kinds(self) -> set:
        return {k for k, _label in self.sources}


def _kind(source_type: Any) -> str:
    if isinstance(source_type, Unknown):
        return ANY
    if isinstance(source_type, str) and source_type.lower() == "vpc-lattice":
        return LATTICE
    return ELB  # elb, elbv2, or absent (an ARN means elbv2)


def _traffic_sources(value: Any, out: Attachments, label: str, fmt: str) -> None:
    if isinstance(value, Unknown):
        out.maybe.append((value, label))
        return
    key = "type" if fmt == "terraform" else "Type"
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, Unknown):
            out.maybe.append((entry, label))
        elif isinstance(entry, dict):
            out.sources.append((_kind(entry.get(key, MISSING)), label))


def _inline(ctx: RuleContext, asg: Resource, out: Attachments) -> None:
    for attr in (TARGET_GROUPS, LOAD_BALANCER_NAMES):
        value = ctx.get(asg, attr)
        label = f"`{attr.spelling(asg.format)}`"
        if isinstance(value, Unknown):
            out.maybe.append((value, label))
        elif isinstance(value, list) and any(v not in (None, "") for v in value):
            out.sources.append((ELB, label))
        elif isinstance(value, str) and value:
            out.sources.append((ELB, label))
    _traffic_sources(ctx.get(asg, TRAFFIC_SOURCES), out, f"`{TRAFFIC_SOURCES.spelling(asg.format)}`", asg.format)


def _attachment(ctx: RuleContext, att: Resource, out: Attachments, certain: bool) -> None:
    label = att.block_address or att.address
    if not certain or att.meta.get("expansion_unknown"):
        why = att.attrs.get("autoscaling_group_name") if not certain else \
            Unknown(f"the number of {label} instances cannot be decided")
        out.maybe.append((why if isinstance(why, Unknown) else Unknown(f"{label} may attach the group"), label))
        return
    if att.type == TF_ATTACHMENT:
        out.sources.append((ELB, label))
    else:
        _traffic_sources(ctx.get(att, ATTACHMENT_TRAFFIC_SOURCE), out, label, att.format)


def attachments_of(ctx: RuleContext, asg: Resource) -> Attachments:
    out = Attachments()
    _inline(ctx, asg, out)
    if asg.format != "terraform":
        return out
    name = ctx.get(asg, ASG_NAME)
    path = ATTACHED_GROUP.path("terraform")
    for att in ctx.graph.in_unit_of_type(asg, TF_ATTACHMENT, TF_TRAFFIC_ATTACHMENT):
        groups = [t for t in ctx.graph.targets(att, path) if t.type in ASG_TYPES]
        value = ctx.get(att, ATTACHED_GROUP)
        if any(g is asg for g in groups):
            _attachment(ctx, att, out, certain=len(groups) == 1)
        elif isinstance(value, str) and isinstance(name, str) and value == name:
            _attachment(ctx, att, out, certain=True)
        elif isinstance(value, Unknown) and not groups:
            _attachment(ctx, att, out, certain=False)
    return out


def ecs_capacity(ctx: RuleContext, asg: Resource) -> bool:
    """True when an ECS capacity provider scales this group (its instances host tasks, not targets)."""
    return any(r.type in ECS_CAPACITY_PROVIDERS for r in ctx.graph.referrers(asg))


def undecided_attachment(ctx: RuleContext, asg: Resource, found: Attachments):
    """(Unknown, label) of a source that may attach the group when none attaches it for sure; None when the
    group is attached, cannot be, or only hosts ECS tasks (the tasks are the targets, not its instances)."""
    if found.sources or not found.maybe or ecs_capacity(ctx, asg):
        return None
    return found.maybe[0]


def health_check_types(raw: Any) -> set:
    """The health check types of a group: `HealthCheckType` is a comma-separated list; absent means EC2."""
    if not isinstance(raw, str):
        return {"EC2"}
    return {t.strip().upper() for t in raw.split(",") if t.strip()} or {"EC2"}


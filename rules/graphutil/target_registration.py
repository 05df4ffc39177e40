"""Whether anything can put targets into an ELBv2 target group.

Targets come from Auto Scaling groups (inline or through attachments), `aws_lb_target_group_attachment`, ECS
services, CodeDeploy deployment groups, Kubernetes bindings, a CloudFormation group's own `Targets`, or from
configurations rlint does not read (the group leaves through a root output, a CloudFormation output or an
unread module). A group that only listeners, listener rules and alarms refer to, and that leaves nowhere, stays
empty: its health check never runs (a "black hole" default action).
"""
from __future__ import annotations

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.target_groups import TG_OBSERVER_TYPES, TG_ROUTING_TYPES, TG_TARGETS
from rlint.rules.base import RuleContext


def may_have_targets(ctx: RuleContext, tg: Resource) -> bool:
    """False only when nothing in or beyond the scanned code can register a target into the group."""
    if tg.meta.get("exported"):
        return True
    targets = ctx.get(tg, TG_TARGETS)
    if isinstance(targets, Unknown) or (targets is not MISSING and targets != []):
        return True
    return bool(registrars(ctx, tg))


def registrars(ctx: RuleContext, tg: Resource) -> list:
    """What refers to the group other than to route to it or watch it: what can register targets into it."""
    return [r for r in ctx.graph.referrers(tg) if r.type not in TG_ROUTING_TYPES + TG_OBSERVER_TYPES]


__all__ = ["may_have_targets", "registrars"]

"""ELBv2 load balancer -> the target groups its listeners forward to (default actions, `forward` blocks
and weighted target group lists all reference the group)."""
from __future__ import annotations

from rlint.model import Resource
from rlint.rules.attrs.target_groups import TARGET_GROUP_TYPES
from rlint.rules.base import RuleContext

LISTENER_TYPES = ("aws_lb_listener", "aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener")


def target_groups_behind(ctx: RuleContext, lb: Resource) -> list:
    out = []
    for listener in ctx.graph.referrers(lb):
        if listener.type not in LISTENER_TYPES:
            continue
        for tg in ctx.graph.targets(listener):
            if tg.type in TARGET_GROUP_TYPES and not any(tg is seen for seen in out):
                out.append(tg)
    return out

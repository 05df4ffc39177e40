"""The compute entry points and how traffic reaches another Region when one fails.

Entry points: an Auto Scaling group behind a load balancer, an ECS service, a Lambda function behind API
Gateway. Routing: a Route 53 failover pair whose PRIMARY is health-checked sends traffic to a standby
stack; latency, weighted or geolocation records with health checks spread it over several Regions (multi-
site). A standby whose entry points all run zero capacity is a pilot light, with or without failover
records. Without any of these, the
stack is redeployed elsewhere. When the scan holds neither entry points nor records, the application's
own failover is outside the configuration and no traffic time is added to the data stores' estimates.
"""
from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from rlint.model import Resource, Unknown
from rlint.rules.attrs.autoscaling import ASG_TYPES
from rlint.rules.attrs.lambda_ import FUNCTION_TYPES
from rlint.rules.attrs.route53 import ACTIVE_POLICIES
from rlint.rules.base import Attr, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import Option
from rlint.rules.dr.regions import region_name
from rlint.rules.graphutil.attachments import attachments_of
from rlint.rules.graphutil.route53 import PRIMARY, SECONDARY, all_records, evaluates_health, health_check
from rlint.rules.graphutil.values import as_int

ECS_SERVICE_TYPES = ("aws_ecs_service", "AWS::ECS::Service")
SAM_FUNCTION = "AWS::Serverless::Function"
DESIRED = Attr("desired_capacity", "desired_capacity", "Properties.DesiredCapacity")
MAX_SIZE = Attr("max_size", "max_size", "Properties.MaxSize")
DESIRED_COUNT = Attr("desired_count", "desired_count", "Properties.DesiredCount")
SAM_EVENTS = Attr("sam_events", None, "Properties.Events")
_API_PREFIXES = ("aws_api_gateway", "aws_apigatewayv2", "AWS::ApiGateway", "AWS::ApiGatewayV2")
LAMBDA_PRINCIPAL = Attr("principal", "principal", "Properties.Principal")

ACTIVE, FAILOVER, PILOT, REDEPLOY = "active", "failover", "pilot", "redeploy"


@dataclass
class EntryPoint:
    res: Resource
    kind: str
    region: Optional[str]
    idle: bool  # runs zero capacity


@dataclass
class Traffic:
    mode: Optional[str]           # ACTIVE | FAILOVER | PILOT | REDEPLOY, None when not in the configuration
    option: Optional[Option]      # the RTO of moving traffic to another Region
    entries: list = field(default_factory=list)
    maybe: Optional[Unknown] = None  # a record whose routing could not be decided
    units: set = field(default_factory=set)  # the units that hold entry points or records

    def applies_to(self, res: Resource) -> bool:
        """A standby found anywhere in the scan serves every store; a redeploy is charged only to stores
        whose own unit shows the application (its entry points or records), not to a data-only stack."""
        return self.option is not None and (self.mode != REDEPLOY or res.meta.get("unit") in self.units)


def _behind_api(ctx: RuleContext, fn: Resource) -> bool:
    for r in ctx.graph.referrers(fn):
        if r.type.startswith(_API_PREFIXES):
            return True
        if r.type in ("aws_lambda_permission", "AWS::Lambda::Permission"):
            principal = ctx.get(r, LAMBDA_PRINCIPAL)
            if isinstance(principal, str) and principal.startswith("apigateway."):
                return True
    if fn.type == SAM_FUNCTION:
        events = ctx.get(fn, SAM_EVENTS)
        return isinstance(events, dict) and any(isinstance(e, dict) and e.get("Type") in ("Api", "HttpApi")
                                                 for e in events.values())
    return False


def _zero(ctx: RuleContext, res: Resource, *attrs) -> bool:
    return any(as_int(ctx.get(res, a)) == 0 for a in attrs)


def entry_points(ctx: RuleContext) -> list:
    out = []
    for asg in ctx.graph.by_type(*ASG_TYPES):
        if attachments_of(ctx, asg).sources:
            out.append(EntryPoint(asg, "Auto Scaling group behind a load balancer", region_name(asg),
                                  _zero(ctx, asg, DESIRED, MAX_SIZE)))
    for svc in ctx.graph.by_type(*ECS_SERVICE_TYPES):
        out.append(EntryPoint(svc, "ECS service", region_name(svc), _zero(ctx, svc, DESIRED_COUNT)))
    for fn in ctx.graph.by_type(*FUNCTION_TYPES, SAM_FUNCTION):
        if _behind_api(ctx, fn):
            out.append(EntryPoint(fn, "Lambda function behind API Gateway", region_name(fn), False))
    return out


def _protected(ctx: RuleContext, keyed) -> bool:
    return health_check(ctx, keyed.record) is True or evaluates_health(ctx, keyed.record) is True


def routing(ctx: RuleContext) -> tuple:
    """(ACTIVE | FAILOVER | None, an Unknown when some record could not be decided)."""
    groups: dict = defaultdict(list)
    undecided = None
    for k in all_records(ctx):
        if not k.decided or isinstance(k.role, Unknown):
            if undecided is None:
                undecided = k.why_undecided() if not k.decided else k.role
            continue
        groups[k.key].append(k)
    mode = None
    for records in groups.values():
        roles = {k.role for k in records}
        if PRIMARY in roles and SECONDARY in roles and all(_protected(ctx, k) for k in records if k.role == PRIMARY):
            mode = mode or FAILOVER
        active = [k for k in records if any(k.record.has(ctx, p) for p in ACTIVE_POLICIES)]
        if len(active) >= 2 and all(_protected(ctx, k) for k in active):
            mode = ACTIVE
    return mode, undecided


def _standby_idle(entries: list) -> bool:
    """A standby that runs zero capacity: every entry point of some Region is idle, or (Region not known, as
    in any CloudFormation stack) an idle entry point in the configuration."""
    by_region: dict = defaultdict(list)
    for e in entries:
        by_region[e.region].append(e)
    return any(all(e.idle for e in es) if region else any(e.idle for e in es) for region, es in by_region.items())


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def traffic(ctx: RuleContext) -> Traffic:
    """How traffic fails over to another Region (computed once per graph)."""
    found = _CACHE.get(ctx.graph)
    if found is not None:
        return found
    entries = entry_points(ctx)
    mode, undecided = routing(ctx)
    if _standby_idle(entries):
        mode = PILOT  # the standby stack exists but must scale out first (and, without failover, DNS moved)
    if mode is None and (entries or all_records(ctx)):
        mode = REDEPLOY
    figure = {ACTIVE: F.ACTIVE_ROUTING, FAILOVER: F.DNS_FAILOVER, PILOT: F.START_PILOT_LIGHT,
              REDEPLOY: F.REDEPLOY}.get(mode)
    basis = {ACTIVE: "multi-Region routing", FAILOVER: "Route 53 failover to a standby stack",
             PILOT: "an idle standby stack", REDEPLOY: "redeploying the stack"}.get(mode, "")
    option = Option(basis, None, figure.seconds, figure.says, figure.source) if figure else None
    units = {e.res.meta.get("unit") for e in entries} | {k.record.holder.meta.get("unit") for k in all_records(ctx)}
    found = Traffic(mode, option, entries, undecided if mode in (REDEPLOY, PILOT) else None, units)
    _CACHE[ctx.graph] = found
    return found


__all__ = ["EntryPoint", "Traffic", "entry_points", "routing", "traffic", "ACTIVE", "FAILOVER", "PILOT", "REDEPLOY"]

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

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional

from rlint.model import Resource, Unknown
from rlint.rules.attrs.autoscaling import ASG_TYPES
from rlint.rules.attrs.lambda_ import FUNCTION_TYPES
from rlint.rules.attrs.route53 import ACTIVE_POLICIES
from rlint.rules.base import Attr, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import LOST, Option
from rlint.rules.dr.regions import region_name
from rlint.rules.graphutil.attachments import attachments_of
from rlint.rules.attrs.route53 import ALIAS, ALIAS_NAME, RECORDS
from rlint.rules.graphutil.regions import Region, resource_region, same_region
from rlint.rules.graphutil.route53 import (LATENCY, PRIMARY, SECONDARY, all_records, evaluates_health,
                                          health_check)
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
BASES = {ACTIVE: "multi-Region routing", FAILOVER: "Route 53 failover to a standby stack",
         PILOT: "an idle standby stack", REDEPLOY: "redeploying the stack"}


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
    maybe: Optional[Unknown] = None  # why routing better than `mode` may exist (records not decided)
    units: set = field(default_factory=set)  # the units that hold entry points or records
    notes: list = field(default_factory=list)  # routing that exists but does not leave its Region
    maybe_option: Optional[Option] = None  # the traffic option `maybe` may give

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


LATENCY_REGION = Attr("latency_region", "latency_routing_policy.region", "Properties.Region")
# the Region in an ELB or S3 website host name: web-1.us-east-1.elb.amazonaws.com, s3-website-eu-west-1...
_HOST_REGION = re.compile(r"[.-]((?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-[a-z]+-\d)\.(?:elb\.)?amazonaws\.com")
_S3_WEBSITE = re.compile(r"(^|\.)s3-website[.-]")
S3_SITE_TYPES = ("aws_s3_bucket", "aws_s3_bucket_website_configuration", "AWS::S3::Bucket")


def _answers(ctx: RuleContext, keyed) -> tuple:
    """(the resources a record answers with, its literal host names)."""
    rec = keyed.record
    found, hosts = [], []
    for attr in (ALIAS, RECORDS):
        path = rec.path(attr)
        if path is not None:
            found += ctx.graph.targets(rec.holder, path)
    name, records = rec.get(ctx, ALIAS_NAME), rec.get(ctx, RECORDS)
    hosts += [name] if isinstance(name, str) else []
    hosts += [r for r in records if isinstance(r, str)] if isinstance(records, list) else []
    return found, [h.lower().rstrip(".") for h in hosts]


def answer_region(ctx: RuleContext, keyed) -> Any:
    """The Region a record's answer lives in: a latency record's Region, the Region of the resource an alias
    or value points at, the Region in an ELB or S3 website host name; else an Unknown."""
    if keyed.policy == LATENCY:
        region = keyed.record.get(ctx, LATENCY_REGION)
        if isinstance(region, str):
            return Region(region)
        if isinstance(region, Unknown):
            return region
    targets, hosts = _answers(ctx, keyed)
    if targets:
        return resource_region(targets[0])
    for host in hosts:
        m = _HOST_REGION.search(host)
        if m:
            return Region(m.group(1))
    return Unknown(f"the Region {keyed.record.label} answers from is not known")


def static_site(ctx: RuleContext, keyed) -> bool:
    """True when a record answers with an S3 static website (a maintenance page), not the application."""
    targets, hosts = _answers(ctx, keyed)
    return any(t.type in S3_SITE_TYPES for t in targets) or any(_S3_WEBSITE.search(h) for h in hosts)


def _regions_span(ctx: RuleContext, records: list) -> Any:
    """True when the records answer from two or more Regions, False when all from one, else an Unknown."""
    return spans_regions([answer_region(ctx, k) for k in records])


def spans_regions(regions: list) -> Any:
    """True when some two of the Regions certainly differ, False when all are the same, else an Unknown."""
    undecided = None
    for i, a in enumerate(regions):
        for b in regions[i + 1:]:
            same = same_region(a, b)
            if same is False:
                return True
            if isinstance(same, Unknown) and undecided is None:
                undecided = same
    return undecided if undecided is not None else False


def _one_region(ctx: RuleContext, records: list) -> str:
    region = answer_region(ctx, records[0])
    return region.describe() if isinstance(region, Region) else "one Region"


@dataclass
class Routing:
    mode: Optional[str] = None           # ACTIVE | FAILOVER | None
    undecided: Optional[Unknown] = None  # a record, or a group's Regions, that could not be decided
    better: Optional[str] = None         # the mode the undecided records may give (ACTIVE or FAILOVER)
    notes: list = field(default_factory=list)  # routing that exists but does not move traffic out of a Region

    def may(self, mode: str, why: Unknown) -> None:
        if self.undecided is None or (mode == ACTIVE and self.better != ACTIVE):
            self.undecided, self.better = why, mode


def routing(ctx: RuleContext) -> Routing:
    """How Route 53 moves traffic to another Region: ACTIVE when health-checked latency, weighted or
    geolocation records answer from two or more Regions; FAILOVER when a health-checked PRIMARY has a
    SECONDARY that answers with the application (not an S3 static website) outside the PRIMARY's Region."""
    groups: dict = defaultdict(list)
    out = Routing()
    for k in all_records(ctx):
        if not k.decided or isinstance(k.role, Unknown):
            out.may(FAILOVER, k.why_undecided() if not k.decided else k.role)
            continue
        groups[k.key].append(k)
    for records in groups.values():
        _failover_group(ctx, records, out)
        active = [k for k in records if any(k.record.has(ctx, p) for p in ACTIVE_POLICIES)]
        if len(active) < 2 or not all(_protected(ctx, k) for k in active):
            continue
        spans = _regions_span(ctx, active)
        names = ", ".join(k.record.label for k in active)
        if spans is True:
            out.mode = ACTIVE
        elif spans is False:
            out.notes.append(f"{names} answer from {_one_region(ctx, active)} only: routing within one Region "
                             f"does not survive the loss of that Region")
        else:
            out.may(ACTIVE, Unknown(f"whether {names} answer from two Regions ({spans.reason})"))
    return out


def _failover_group(ctx: RuleContext, records: list, out: Routing) -> None:
    primaries = [k for k in records if k.role == PRIMARY]
    secondaries = [k for k in records if k.role == SECONDARY]
    if not primaries or not secondaries or not all(_protected(ctx, k) for k in primaries):
        return
    standbys = []
    for k in secondaries:
        if static_site(ctx, k):
            out.notes.append(f"the SECONDARY {k.record.label} answers with an S3 static website (a maintenance "
                             f"page), not a standby of the application")
        elif _regions_span(ctx, [primaries[0], k]) is False:
            out.notes.append(f"the SECONDARY {k.record.label} answers from the PRIMARY's Region "
                             f"({_one_region(ctx, [k])}): a standby there does not survive the loss of that Region")
        else:
            standbys.append(k)
    if standbys and out.mode != ACTIVE:
        out.mode = FAILOVER


def compute_elsewhere(entries: list) -> Any:
    """Whether entry points run (or wait) in two or more Regions: True, False, or an Unknown."""
    return spans_regions([resource_region(e.res) for e in entries])


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
    routed = routing(ctx)
    mode = routed.mode
    if _standby_idle(entries):
        mode = PILOT  # the standby stack exists but must scale out first (and, without failover, DNS moved)
    if mode is None and (entries or all_records(ctx)):
        mode = REDEPLOY
    figure = {ACTIVE: F.ACTIVE_ROUTING, FAILOVER: F.DNS_FAILOVER, PILOT: F.START_PILOT_LIGHT,
              REDEPLOY: F.REDEPLOY}.get(mode)
    basis = BASES.get(mode, "")
    option = Option(basis, None, figure.seconds, figure.says, figure.source) if figure else None
    units = {e.res.meta.get("unit") for e in entries} | {k.record.holder.meta.get("unit") for k in all_records(ctx)}
    found = Traffic(mode, option, entries, units=units, notes=routed.notes)
    better = {ACTIVE: F.ACTIVE_ROUTING, FAILOVER: F.DNS_FAILOVER}.get(routed.better)
    if routed.undecided is not None and option is not None and better is not None and better.seconds < option.rto:
        found.maybe = routed.undecided  # records that may route better than what is certain
        found.maybe_option = Option(BASES[routed.better], LOST, better.seconds, better.says, better.source)
    _CACHE[ctx.graph] = found
    return found


__all__ = ["EntryPoint", "Traffic", "entry_points", "routing", "traffic", "ACTIVE", "FAILOVER", "PILOT", "REDEPLOY",
           "compute_elsewhere", "answer_region", "static_site"]

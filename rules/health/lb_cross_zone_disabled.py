from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.network import CLB_CROSS_ZONE, CLB_TYPES, CROSS_ZONE_KEY, LB_ATTRIBUTES, LB_CROSS_ZONE, LB_TYPE
from rlint.rules.attrs.target_groups import TG_ATTRIBUTES, TG_CROSS_ZONE, TG_TARGET_TYPE
from rlint.rules.base import AppendItem, Fix, Rule, SetAttribute, describe, entry_attr
from rlint.rules.graphutil.lb_zones import load_balancer_zones
from rlint.rules.graphutil.listeners import target_groups_behind
from rlint.rules.graphutil.zones import count_zones
from rlint.rules.graphutil.values import as_bool, keyed_value

_ELBV2 = ("aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer")


def _cross_zone(ctx, res, attr, attributes):
    """The load balancer's or target group's own setting: a bool, a string, an Unknown or MISSING."""
    if res.format == "terraform":
        return as_bool(ctx.get(res, attr)) if ctx.has(res, attr) else MISSING
    return as_bool(keyed_value(ctx.get(res, attributes), CROSS_ZONE_KEY))


class LbCrossZoneDisabled(Rule):
    """## What it does
    Flags Network and Gateway Load Balancers (`aws_lb` / `AWS::ElasticLoadBalancingV2::LoadBalancer` of
    type `network` or `gateway`) with cross-zone load balancing off: `enable_cross_zone_load_balancing`
    missing or false in Terraform, no `load_balancing.cross_zone.enabled` entry (or `"false"`) in
    CloudFormation's `LoadBalancerAttributes`. Also flags Classic Load Balancers with it off: `CrossZone`
    missing or false in CloudFormation, `cross_zone_load_balancing = false` in Terraform (whose default is
    true). Application Load Balancers always balance across zones and are not checked.

    ## Why is this bad?
    Without cross-zone load balancing each zone's load balancer node sends its share of the traffic only to
    the targets in its own zone. When a zone has fewer healthy targets than the others (an instance failure,
    a scale-in, a deployment, an uneven Auto Scaling spread), those targets take the same share as a full
    zone: they saturate, time out and fail their health checks, while the other zones sit idle. Losing
    capacity in one zone then turns into errors instead of being absorbed by the whole fleet.

    ## Example
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.public_a.id, aws_subnet.public_b.id]
    }
    ```
    ```yaml
    ApiNlb:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Type: network
        Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
    ```

    ## Use instead
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type               = "network"
      subnets                          = [aws_subnet.public_a.id, aws_subnet.public_b.id]
      enable_cross_zone_load_balancing = true
    }
    ```
    ```yaml
    ApiNlb:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Type: network
        Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
        LoadBalancerAttributes:
          - Key: load_balancing.cross_zone.enabled
            Value: "true"
    ```

    ## Known problems
    A target group can override its load balancer: a Network or Gateway Load Balancer with cross-zone off is
    not flagged when every target group its listeners forward to turns it on
    (`load_balancing_cross_zone_enabled = "true"`, or the `load_balancing.cross_zone.enabled` entry of
    `TargetGroupAttributes`); it is `unknown` when the remaining groups' setting cannot be decided. A setting
    or load balancer type from a variable or parameter without default, or a `LoadBalancerAttributes` list
    that cannot be decided, gives `unknown` (an unknown type is fine when cross-zone is on). Keeping
    cross-zone off can be deliberate: it keeps each zone isolated (a zonal failure stays in its zone) and
    avoids inter-zone data charges; suppress the finding with that reason. A Network Load Balancer that
    forwards only to Application Load Balancers (target groups of `target_type` / `TargetType` `alb`) is not
    flagged: the ALB has a node in each zone and balances across zones itself. A load balancer whose subnets
    resolve to a single zone, or whose subnet list is written with one subnet (whichever it is), is not
    flagged (nothing to balance across; RL106 reports the single zone). Uneven
    target counts per zone, the actual trigger, cannot be seen in the configuration.

    ## Fix safety
    Needs review: with cross-zone on, the traffic a Network or Gateway Load Balancer sends across zones is
    billed as EC2 data transfer, and zonal isolation is gone, so a bad target in one zone receives traffic
    from every zone. The change is made in place.

    ## References
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-elasticloadbalancingv2-loadbalancer-loadbalancerattribute.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#enable_cross_zone_load_balancing
    """

    id = "RL212"
    name = "lb-cross-zone-disabled"
    severity = Severity.LOW
    resource_types = _ELBV2 + CLB_TYPES
    checkov_ids = ("CKV_AWS_152", "CKV_AWS_138")
    graph_rule = True

    def check(self, res, ctx):
        _attr, zones = load_balancer_zones(ctx, res)
        if zones is not None and count_zones(zones) == 1:
            return  # nothing to balance across: one zone is RL106's concern
        if res.type in CLB_TYPES:
            yield from self._classic(res, ctx)
        else:
            yield from self._elbv2(res, ctx)

    def _classic(self, res, ctx):
        value = as_bool(ctx.get(res, CLB_CROSS_ZONE))
        if isinstance(value, Unknown):
            yield self.unknown(res, value, at=CLB_CROSS_ZONE)
            return
        if value is not False:
            return
        spelled = CLB_CROSS_ZONE.spelling(res.format)
        given = describe(value) if ctx.has(res, CLB_CROSS_ZONE) else "not set (off by default in CloudFormation)"
        yield self.fail(
            res,
            f"{res.address} is a Classic Load Balancer with cross-zone load balancing off: `{spelled}` is {given}; "
            f"{self._effect()}",
            at=CLB_CROSS_ZONE,
            fix=Fix(f"Set `{spelled}` to true", (SetAttribute(CLB_CROSS_ZONE, True),), safety="review",
                    note="traffic then crosses zones"))

    def _elbv2(self, res, ctx):
        value = _cross_zone(ctx, res, LB_CROSS_ZONE, LB_ATTRIBUTES)
        attr = LB_CROSS_ZONE if res.format == "terraform" else LB_ATTRIBUTES
        if value is True:
            return
        kind = ctx.get(res, LB_TYPE)
        if kind == "application":
            return
        undecided = value if isinstance(value, Unknown) else kind if isinstance(kind, Unknown) else None
        if undecided is not None:
            yield self.unknown(res, undecided, at=attr if undecided is value else LB_TYPE)
            return
        if value not in (False, MISSING):
            return  # neither true nor false: not a setting this rule can read
        groups = target_groups_behind(ctx, res)
        if groups and all(_alb_targets(ctx, tg) for tg in groups):
            return  # it forwards to Application Load Balancers, which have a node in each zone and balance across
        overrides = [_cross_zone(ctx, tg, TG_CROSS_ZONE, TG_ATTRIBUTES) for tg in groups]
        if overrides and all(v is True or isinstance(v, Unknown) for v in overrides):
            why = next((v for v in overrides if isinstance(v, Unknown)), None)
            if why is not None:
                yield self.unknown(res, why, what="the cross-zone setting of the target groups behind it")
            return
        spelled = f"`{LB_CROSS_ZONE.spelling(res.format)}`" if res.format == "terraform" else \
            f"the `{LB_ATTRIBUTES.spelling(res.format)}` entry `{CROSS_ZONE_KEY}`"
        given = describe(value) if value is not MISSING else "not set (off by default)"
        yield self.fail(
            res,
            f"{res.address} is a `{kind}` load balancer with cross-zone load balancing off: {spelled} is {given}; "
            f"{self._effect()}",
            at=attr, fix=self._fix(res, ctx))

    @staticmethod
    def _effect() -> str:
        return "each zone's node sends traffic only to its own zone's targets, so a zone that lost targets " \
               "overloads the ones left"

    @staticmethod
    def _fix(res, ctx):
        note = "inter-zone data is billed for network and gateway load balancers"
        if res.format == "terraform":
            return Fix(f"Set `{LB_CROSS_ZONE.spelling(res.format)}` to true", (SetAttribute(LB_CROSS_ZONE, True),),
                       safety="review", note=note)
        title = f'Add `{{Key: {CROSS_ZONE_KEY}, Value: "true"}}` to `{LB_ATTRIBUTES.spelling(res.format)}`'
        entries = ctx.get(res, LB_ATTRIBUTES)
        written = next((i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("Key") == CROSS_ZONE_KEY),
                       None) if isinstance(entries, list) else None
        if written is not None:  # the entry says false: its value changes in place
            value = entry_attr(res, LB_ATTRIBUTES.path(res.format) + (written, "Value"))
            return Fix(f'Set the `{CROSS_ZONE_KEY}` entry to "true"', (SetAttribute(value, "true"),),
                       safety="review", note=note)
        return Fix(title, (AppendItem(LB_ATTRIBUTES, {"Key": CROSS_ZONE_KEY, "Value": "true"}),), safety="review",
                   note=note)


def _alb_targets(ctx, tg) -> bool:
    kind = ctx.get(tg, TG_TARGET_TYPE)
    return isinstance(kind, str) and kind.lower() == "alb"

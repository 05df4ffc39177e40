from rlint.model import Severity, Unknown
from rlint.rules.attrs.network import CLB_TYPES, LB_CUSTOMER_OWNED_POOL, LB_TYPE
from rlint.rules.base import Rule, describe, manual_fix
from rlint.rules.graphutil.lb_zones import load_balancer_zones
from rlint.rules.graphutil.zones import count_zones, known_zones, labels


class LbSingleAz(Rule):
    """## What it does
    Flags load balancers whose subnets cover fewer than two Availability Zones: Network and Gateway Load
    Balancers (`aws_lb` / `AWS::ElasticLoadBalancingV2::LoadBalancer`, through `subnets` or
    `subnet_mapping`), Classic Load Balancers (`aws_elb` / `AWS::ElasticLoadBalancing::LoadBalancer`,
    through `subnets` or `availability_zones`), and Application Load Balancers, for which one zone is a
    deployment error.

    ## Why is this bad?
    A load balancer node exists only in the zones of its subnets. With one zone, an outage of that zone
    takes the entry point down even when targets in other zones are healthy, and clients get connection
    failures until the zone recovers. Network, Gateway and Classic Load Balancers accept a single zone
    without a warning. An Application Load Balancer needs subnets in at least two zones: with one, the
    create or update call fails and the stack or apply stops.

    ## Example
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.public_a.id]
    }
    ```
    ```yaml
    ApiNlb:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Type: network
        Subnets: [!Ref PublicSubnetA]
    ```

    ## Use instead
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.public_a.id, aws_subnet.public_b.id]   # two zones
    }
    ```
    ```yaml
    ApiNlb:
      Type: AWS::ElasticLoadBalancingV2::LoadBalancer
      Properties:
        Type: network
        Subnets: [!Ref PublicSubnetA, !Ref PublicSubnetB]
    ```

    ## Known problems
    Subnets resolve to zones as in RL105 (literal zones, `data.aws_availability_zones` indexes,
    `Fn::Select`/`Fn::GetAZs` positions; names, ids and positions are not compared with each other); a
    list written with one subnet is one zone, whichever subnet it is, but a list written as its member
    (Terraform 0.11's `["${split(",", var.subnets)}"]`) is not one subnet; otherwise a subnet from a variable or
    parameter without default, a module output, a data source, another stack or a computed list gives
    `unknown`. When the load balancer type itself is unknown the rule still fails a
    single zone: it is either a deployment error or a single-zone entry point. Not flagged: an Application
    Load Balancer on an Outpost (`customer_owned_ipv4_pool` / `CustomerOwnedIpv4Pool` set), which takes
    exactly one subnet, and a Classic Load Balancer that sets neither subnets nor zones. Cross-zone load
    balancing is RL212's concern. A Network Load Balancer kept in one zone on purpose for zonal isolation
    should be suppressed with a reason.

    ## Fix safety
    Needs review: adding a subnet in another zone adds a load balancer node and an IP address (and, for
    internet-facing Network Load Balancers with `subnet_mapping`, an Elastic IP) that clients and allow
    lists may need to know. ELBv2 subnets can be added in place; removing one is disruptive. Targets must
    exist in, or cross-zone load balancing reach, the new zone. rlint shows this fix without writing it
    (display-only): which subnet to add is a network decision.

    ## References
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetSubnets.html
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-elasticloadbalancingv2-loadbalancer.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb#subnets
    """

    id = "RL106"
    name = "lb-single-az"
    severity = Severity.HIGH
    resource_types = ("aws_lb", "aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer") + CLB_TYPES
    checkov_ids = ()
    graph_rule = True

    def check(self, res, ctx):
        classic = res.type in CLB_TYPES
        kind = "classic" if classic else ctx.get(res, LB_TYPE)
        if not classic and ctx.has(res, LB_CUSTOMER_OWNED_POOL):
            return  # an Outpost ALB: exactly one subnet by design
        attr, zones = load_balancer_zones(ctx, res)
        if zones is None:
            return
        n = count_zones(zones)
        if isinstance(n, Unknown):
            yield self.unknown(res, n, at=attr, what=f"the Availability Zones of `{attr.spelling(res.format)}`")
            return
        if n >= 2 or (n == 0 and not known_zones(zones)):
            return
        spelled = attr.spelling(res.format)
        found = known_zones(zones)
        where = f" ({labels(found)})" if found else ""
        if kind == "application":
            effect = "an Application Load Balancer needs two zones, so the deployment fails"
        elif isinstance(kind, str):
            effect = f"a `{kind}` load balancer in one zone goes down with that zone"
        else:
            effect = f"with type {describe(kind) if not isinstance(kind, Unknown) else 'unknown'} this is either a " \
                     "deployment error (application) or an entry point that goes down with its zone"
        yield self.fail(
            res,
            f"{res.address} has subnets in {n} Availability Zone{'s' if n != 1 else ''}{where} through "
            f"`{spelled}`: {effect}",
            at=attr,
            fix=manual_fix(f"Add a subnet in a second Availability Zone to `{spelled}`",
                           "which subnet is a network decision: a subnet of the same VPC in another zone, public or "
                           "private like the first, with free addresses for the load balancer's node",
                           note="one subnet per zone; a new node and IP address per zone"),
        )

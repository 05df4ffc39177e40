from rlint.model import AzWrapped, Severity, Unknown
from rlint.rules.attrs.network import NAT_AVAILABILITY_MODE, NAT_SUBNET
from rlint.rules.base import Rule, describe, manual_fix
from rlint.rules.graphutil.routes import served_by_nat
from rlint.rules.graphutil.zones import Zone, element_zone, same_zone, subnet_zone, zone_label


class NatGatewaySingleAz(Rule):
    """## What it does
    Flags a zonal NAT gateway that carries the default route (`0.0.0.0/0`) of subnets in other Availability
    Zones than its own: route tables whose default route targets the gateway (inline `route` blocks of
    `aws_route_table`, `aws_route`, `AWS::EC2::Route`) are followed to the subnets associated with them
    (`aws_route_table_association`, `AWS::EC2::SubnetRouteTableAssociation`), and each subnet is resolved to
    its zone.

    ## Why is this bad?
    A zonal NAT gateway lives in one zone. When that zone fails, every private subnet that sends its
    internet traffic through it loses outbound access, including subnets in the zones that are still up:
    instances there cannot reach AWS APIs without endpoints, package mirrors, third-party services or
    other Regions, so the zone outage spreads to the whole workload. One NAT gateway per zone, each used
    by the subnets of its own zone, keeps a zone failure inside that zone.

    ## Example
    ```hcl
    resource "aws_nat_gateway" "shared" {
      allocation_id = aws_eip.nat.id
      subnet_id     = aws_subnet.public_a.id            # eu-west-1a
    }
    resource "aws_route_table" "private" {
      vpc_id = aws_vpc.main.id
      route {
        cidr_block     = "0.0.0.0/0"
        nat_gateway_id = aws_nat_gateway.shared.id
      }
    }
    resource "aws_route_table_association" "private_b" {
      subnet_id      = aws_subnet.private_b.id          # eu-west-1b
      route_table_id = aws_route_table.private.id
    }
    ```
    ```yaml
    SharedNat:
      Type: AWS::EC2::NatGateway
      Properties:
        SubnetId: !Ref PublicSubnetA                   # !Select [0, !GetAZs ""]
        AllocationId: !GetAtt NatEip.AllocationId
    PrivateDefaultRoute:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRouteTable
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref SharedNat
    PrivateBAssociation:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref PrivateSubnetB                  # !Select [1, !GetAZs ""]
        RouteTableId: !Ref PrivateRouteTable
    ```

    ## Use instead
    ```hcl
    resource "aws_nat_gateway" "per_az" {
      count         = 2
      allocation_id = aws_eip.nat[count.index].id
      subnet_id     = aws_subnet.public[count.index].id
    }
    resource "aws_route_table" "private" {
      count  = 2
      vpc_id = aws_vpc.main.id
      route {
        cidr_block     = "0.0.0.0/0"
        nat_gateway_id = aws_nat_gateway.per_az[count.index].id   # the NAT in the subnet's own zone
      }
    }
    ```
    ```yaml
    # one NatGateway, route table and default route per zone; each private subnet is associated with the
    # route table of its own zone. Or a regional NAT gateway:
    RegionalNat:
      Type: AWS::EC2::NatGateway
      Properties:
        AvailabilityMode: regional
        VpcId: !Ref Vpc
    ```

    ## Known problems
    Not flagged: regional NAT gateways (`availability_mode = "regional"` / `AvailabilityMode: regional`),
    which span zones; a zonal NAT gateway used only by subnets of its own zone; routes to other destinations
    than `0.0.0.0/0`; subnets that use the VPC's main route table without an explicit association, and
    routes or associations in other stacks or modules (`terraform-aws-modules/vpc` with
    `single_nat_gateway = true` is only seen when the module is expanded). The result is `unknown` when the
    gateway's own zone or a served subnet's zone cannot be decided (a subnet without a zone, from a variable,
    parameter or module output; zone names, ids and list positions are not compared with each other; a
    position that Terraform's `element()` wraps around, `element(names, 2)` and later, is compared with
    another position only where the list's length cannot change the answer: the same position, or a
    neighbour), or when the availability mode or a route's destination is unknown.

    ## Fix safety
    Needs review: a NAT gateway per zone adds an hourly charge and an Elastic IP per zone (allow lists at
    partners may need the new addresses); changing a route's target drops the connections in flight
    through the old gateway. A regional NAT gateway is a new resource (it takes `vpc_id` and no
    `subnet_id`), so switching means replacing the gateway and its routes. rlint shows this fix without writing it
    (display-only): the gateways, Elastic IPs and route tables per zone are a network change to plan.

    ## References
    - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
    - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AvailabilityZoneAddress.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-natgateway.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/nat_gateway
    """

    id = "RL107"
    name = "nat-gateway-single-az"
    severity = Severity.MEDIUM
    resource_types = ("aws_nat_gateway", "AWS::EC2::NatGateway")
    graph_rule = True

    def check(self, res, ctx):
        served = served_by_nat(ctx.graph, res)
        if not served.subnets and not served.unknowns:
            return  # no default route goes through it here
        mode = ctx.get(res, NAT_AVAILABILITY_MODE)
        if isinstance(mode, Unknown):
            yield self.unknown(res, mode, at=NAT_AVAILABILITY_MODE)
            return
        if isinstance(mode, str) and mode.lower() == "regional":
            return
        own = element_zone(ctx.graph, res, ctx.get(res, NAT_SUBNET)) if ctx.has(res, NAT_SUBNET) \
            else Unknown("the gateway names no subnet")
        known = (Zone, AzWrapped) if isinstance(own, (Zone, AzWrapped)) else (Zone,)
        zones = []  # (subnet, zone)
        unknowns = list(served.unknowns)
        for subnet in served.subnets:
            z = subnet_zone(subnet)
            (zones.append((subnet, z)) if isinstance(z, known) else unknowns.append(z))
        others = self._elsewhere(own, zones)
        if others:
            given = describe(mode) if ctx.has(res, NAT_AVAILABILITY_MODE) else "not set (zonal)"
            where = f"in {zone_label(own)}" if isinstance(own, known) else "in one zone"
            subnets = ", ".join(f"{s.address} ({zone_label(z)})" for s, z in others)
            yield self.fail(
                res,
                f"{res.address} is a zonal NAT gateway ({where}, `{NAT_AVAILABILITY_MODE.spelling(res.format)}` "
                f"is {given}) carrying the default route of subnets in other zones: {subnets}; an "
                f"outage of its zone cuts their outbound access",
                fix=manual_fix("Give each Availability Zone its own NAT gateway and route each private subnet "
                               "through the one in its zone, or use a regional NAT gateway",
                               "a NAT gateway per zone needs a public subnet, an Elastic IP and a route table per "
                               "zone, and the private subnets moved to them: a network change to plan",
                               note="an hourly charge and an Elastic IP per zone; route changes drop connections in "
                                    "flight"),
            )
            return
        for _s, z in zones:
            if isinstance(own, known) and same_zone(own, z) is None:
                wrapped = [w for w in (z, own) if isinstance(w, AzWrapped)]
                unknowns.append(wrapped[0] if wrapped else Unknown("the zones are named in different ways (names, ids, "
                                                                   "positions) that cannot be compared"))
        if unknowns or not isinstance(own, known):
            because = unknowns[0] if unknowns else own
            yield self.unknown(res, because, what="the zones its default routes serve")

    @staticmethod
    def _elsewhere(own, zones: list) -> list:
        """The served subnets decidedly outside the gateway's zone."""
        if isinstance(own, (Zone, AzWrapped)):
            return [(s, z) for s, z in zones if same_zone(own, z) is False]
        # zone of the gateway unknown: two distinct served zones mean at least one is elsewhere
        by_kind: dict = {}
        for s, z in zones:
            by_kind.setdefault(z.kind, {}).setdefault(z.key, (s, z))
        for keys in by_kind.values():
            if len(keys) >= 2:
                return list(keys.values())
        return []

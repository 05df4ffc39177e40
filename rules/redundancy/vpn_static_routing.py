from rlint.model import Severity, Unknown
from rlint.rules.attrs.vpn import STATIC_ROUTES_ONLY
from rlint.rules.base import Fix, Rule, SetAttribute, describe


class VpnStaticRouting(Rule):
    """## What it does
    Flags Site-to-Site VPN connections with static routing only: `static_routes_only = true` (Terraform) or
    `StaticRoutesOnly: true` (CloudFormation).

    ## Why is this bad?
    Each VPN connection has two tunnels, and with several connections (RL110) traffic should move to a
    healthy path when a tunnel or a customer device fails. With static routes, AWS keeps sending to a route
    whose tunnel may be down unless someone changes the routes; with BGP, routes are withdrawn when a
    tunnel's session drops and traffic fails over to the other tunnel or connection within seconds, both
    ways.

    ## Example
    ```hcl
    resource "aws_vpn_connection" "office" {
      customer_gateway_id = aws_customer_gateway.office.id
      vpn_gateway_id      = aws_vpn_gateway.main.id
      type                = "ipsec.1"
      static_routes_only  = true
    }
    ```
    ```yaml
    OfficeVpn:
      Type: AWS::EC2::VPNConnection
      Properties:
        CustomerGatewayId: !Ref OfficeGateway
        VpnGatewayId: !Ref VpnGateway
        Type: ipsec.1
        StaticRoutesOnly: true
    ```

    ## Use instead
    ```hcl
    resource "aws_vpn_connection" "office" {
      customer_gateway_id = aws_customer_gateway.office.id   # with its bgp_asn
      vpn_gateway_id      = aws_vpn_gateway.main.id
      type                = "ipsec.1"
    }
    ```
    ```yaml
    OfficeVpn:
      Type: AWS::EC2::VPNConnection
      Properties:
        CustomerGatewayId: !Ref OfficeGateway
        VpnGatewayId: !Ref VpnGateway
        Type: ipsec.1
        StaticRoutesOnly: false
    ```

    ## Known problems
    A missing value means dynamic (BGP) routing in both formats. A value from a variable or parameter
    without default gives `unknown`. Customer devices that cannot speak BGP need static routing: suppress
    the finding with that reason. Whether the customer side actually runs BGP is not visible in the
    template.

    ## Fix safety
    Needs review: the routing option cannot be changed in place; Terraform and CloudFormation replace the
    connection, which gets new tunnel addresses and pre-shared keys, so the customer device must be
    reconfigured (and BGP set up with the customer gateway's `bgp_asn`). Plan a maintenance window or
    bring up the new connection beside the old one.

    ## References
    - https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpnconnection.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpn_connection#static_routes_only
    """

    id = "RL114"
    name = "vpn-static-routing"
    severity = Severity.LOW
    resource_types = ("aws_vpn_connection", "AWS::EC2::VPNConnection")

    def check(self, res, ctx):
        value = ctx.get(res, STATIC_ROUTES_ONLY)
        if isinstance(value, Unknown):
            yield self.unknown(res, value, at=STATIC_ROUTES_ONLY)
            return
        if not (value is True or value == "true"):
            return
        spelled = STATIC_ROUTES_ONLY.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} uses static routing (`{spelled}` is {describe(value)}): no BGP, so traffic does not "
            f"fail over on its own when a tunnel or customer device goes down",
            at=STATIC_ROUTES_ONLY,
            fix=Fix(f"Set `{spelled}` to false and run BGP on the customer gateway",
                    (SetAttribute(STATIC_ROUTES_ONLY, False),), safety="review",
                    note="replaces the connection: new tunnel addresses and keys for the customer device"),
        )

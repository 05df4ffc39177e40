from rlint.model import Severity, Unknown
from rlint.rules.attrs.vpn import CUSTOMER_GATEWAY_IP, VPN_CUSTOMER_GATEWAY, VPN_GATEWAY, VPN_TRANSIT_GATEWAY
from rlint.rules.base import Rule, manual_fix

_CONNECTION = {"terraform": "aws_vpn_connection", "cloudformation": "AWS::EC2::VPNConnection"}
_CUSTOMER_GATEWAY = {"terraform": "aws_customer_gateway", "cloudformation": "AWS::EC2::CustomerGateway"}
# Direct Connect reaching the same gateway: the VPN is then the backup path, not the only one
_DIRECT_CONNECT = ("aws_dx_gateway_association", "aws_dx_private_virtual_interface",
                   "aws_dx_hosted_private_virtual_interface_accepter")


class VpnSingleCustomerGateway(Rule):
    """## What it does
    Flags a virtual private gateway or transit gateway (`aws_vpn_gateway`, `aws_ec2_transit_gateway`,
    `AWS::EC2::VPNGateway`, `AWS::EC2::TransitGateway`) reached by Site-to-Site VPN connections from fewer
    than two customer gateway devices: the connections' `customer_gateway_id` / `CustomerGatewayId` are
    followed to the customer gateways, counted by their public IP address (`ip_address` / `IpAddress`).

    ## Why is this bad?
    Each VPN connection has two tunnels, which cover maintenance and failures on the AWS side only. The
    customer side of every tunnel is one device: when it fails, is rebooted for an upgrade, or loses its
    internet link, the whole hybrid connection is down until it comes back. A second connection from a
    second customer gateway device (ideally on another link) lets traffic fail over, automatically with
    BGP.

    ## Example
    ```hcl
    resource "aws_customer_gateway" "office" {
      bgp_asn    = 65000
      ip_address = "198.51.100.10"
      type       = "ipsec.1"
    }
    resource "aws_vpn_connection" "office" {
      customer_gateway_id = aws_customer_gateway.office.id
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
    ```

    ## Use instead
    ```hcl
    resource "aws_customer_gateway" "office" {
      for_each   = { a = "198.51.100.10", b = "203.0.113.20" }   # two devices
      bgp_asn    = 65000
      ip_address = each.value
      type       = "ipsec.1"
    }
    resource "aws_vpn_connection" "office" {
      for_each            = aws_customer_gateway.office
      customer_gateway_id = each.value.id
      vpn_gateway_id      = aws_vpn_gateway.main.id
      type                = "ipsec.1"
    }
    ```
    ```yaml
    OfficeVpnB:
      Type: AWS::EC2::VPNConnection
      Properties:
        CustomerGatewayId: !Ref OfficeGatewayB     # a second device, its own IpAddress
        VpnGatewayId: !Ref VpnGateway
        Type: ipsec.1
    ```

    ## Known problems
    Not flagged: gateways with no VPN connection in the configuration, gateways also reached through
    Direct Connect (Terraform `aws_dx_gateway_association`, `aws_dx_private_virtual_interface` referencing
    them; the VPN is then the backup path), and connections to gateways declared elsewhere (only gateways in
    the same module or template are checked). Two customer gateway resources with the same IP address are
    one device. The result is `unknown` when a connection's customer gateway comes from a variable,
    parameter, module output or another stack, when an IP address is unknown, or when a connection block's
    count is unknown. Two devices behind one internet link are counted as two.

    ## Fix safety
    Needs review: a second customer gateway device and a second VPN connection cost an hourly connection
    charge, need the on-premises device configured (tunnels, BGP), and need routing to prefer one path.
    Adding them does not disturb the existing connection. rlint shows this fix without writing it (display-only):
    the second device is on your premises.

    ## References
    - https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-redundant-connection.html
    - https://docs.aws.amazon.com/vpn/latest/s2svpn/VPC_VPN.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpnconnection.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpn_connection
    """

    id = "RL110"
    name = "vpn-single-customer-gateway"
    severity = Severity.MEDIUM
    resource_types = ("aws_vpn_gateway", "aws_ec2_transit_gateway", "AWS::EC2::VPNGateway",
                      "AWS::EC2::TransitGateway")
    graph_rule = True

    def check(self, res, ctx):
        graph = ctx.graph
        connections = []
        for attr in (VPN_GATEWAY, VPN_TRANSIT_GATEWAY):
            for c in graph.referrers(res, type=_CONNECTION[res.format], attr=attr.path(res.format)):
                if c not in connections:
                    connections.append(c)
        if not connections:
            return
        if res.format == "terraform" and any(graph.referrers(res, type=t) for t in _DIRECT_CONNECT):
            return
        devices, unknowns = set(), []
        for c in connections:
            if c.meta.get("expansion_unknown"):
                unknowns.append(Unknown(f"the number of {c.block_address} connections is unknown"))
            gateways = [g for g in graph.targets(c, VPN_CUSTOMER_GATEWAY.path(c.format))
                        if g.type == _CUSTOMER_GATEWAY[c.format]]
            if not gateways:
                unknowns.append(Unknown(f"the customer gateway of {c.address} is not declared here"))
            for g in gateways:
                ip = ctx.get(g, CUSTOMER_GATEWAY_IP)
                if isinstance(ip, str):
                    devices.add(ip)
                else:
                    unknowns.append(ip if isinstance(ip, Unknown) else Unknown(f"{g.address} has no IP address"))
        if len(devices) >= 2:
            return
        if unknowns:
            yield self.unknown(res, unknowns[0], what="the customer gateway devices of its VPN connections")
            return
        shown = ", ".join(f"`{d}`" for d in sorted(devices))
        yield self.fail(
            res,
            f"{res.address} is reached by {len(connections)} VPN connection{'s' if len(connections) != 1 else ''} "
            f"from one customer gateway device ({shown}): a failure of that device or its link cuts the hybrid "
            f"connection",
            fix=manual_fix("Add a second customer gateway (another device, another IP address) and a VPN connection "
                           "from it", "the second device, its public IP address and BGP ASN are on your premises",
                           note="a second connection charge; configure BGP on both devices"),
        )

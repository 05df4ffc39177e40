"""Site-to-Site VPN: connections, customer gateways, virtual private and transit gateways."""
from rlint.rules.base import Attr

STATIC_ROUTES_ONLY = Attr("static_routes_only", "static_routes_only", "Properties.StaticRoutesOnly",
                          tf_default=False, cfn_default=False)
VPN_CUSTOMER_GATEWAY = Attr("customer_gateway_id", "customer_gateway_id", "Properties.CustomerGatewayId")
VPN_GATEWAY = Attr("vpn_gateway_id", "vpn_gateway_id", "Properties.VpnGatewayId")
VPN_TRANSIT_GATEWAY = Attr("transit_gateway_id", "transit_gateway_id", "Properties.TransitGatewayId")
CUSTOMER_GATEWAY_IP = Attr("ip_address", "ip_address", "Properties.IpAddress")

__all__ = ["STATIC_ROUTES_ONLY", "VPN_CUSTOMER_GATEWAY", "VPN_GATEWAY", "VPN_TRANSIT_GATEWAY", "CUSTOMER_GATEWAY_IP"]

"""The Availability Zones a load balancer's nodes run in: ELBv2 `subnets` or `subnet_mapping` /
`SubnetMappings`, Classic `subnets` or `availability_zones`, each resolved as in graphutil.zones."""
from __future__ import annotations

from rlint.model import Resource, Unknown
from rlint.rules.attrs.network import CLB_AZS, CLB_SUBNETS, CLB_TYPES, LB_SUBNET_MAPPINGS, LB_SUBNETS
from rlint.rules.base import RuleContext
from rlint.rules.graphutil.zones import ZoneSet, element_zone, zones_of_names, zones_of_subnets

_MAPPING_SUBNET = {"terraform": "subnet_id", "cloudformation": "SubnetId"}


def load_balancer_zones(ctx: RuleContext, lb: Resource) -> tuple:
    """(the attribute that places the load balancer, its ZoneSet or an Unknown, or None when nothing places it)."""
    graph = ctx.graph
    classic = lb.type in CLB_TYPES
    subnets_attr = CLB_SUBNETS if classic else LB_SUBNETS
    found = zones_of_subnets(graph, lb, ctx.get(lb, subnets_attr))
    if found is not None:
        return subnets_attr, found
    if classic:
        return CLB_AZS, zones_of_names(graph, lb, ctx.get(lb, CLB_AZS))
    mappings = ctx.get(lb, LB_SUBNET_MAPPINGS)
    if isinstance(mappings, Unknown):
        return LB_SUBNET_MAPPINGS, Unknown(f"the subnet mappings are computed ({mappings.reason})", mappings.refs)
    if not isinstance(mappings, list) or not mappings:
        return LB_SUBNET_MAPPINGS, None
    key = _MAPPING_SUBNET[lb.format]
    zones = []
    for m in mappings:
        value = m.get(key) if isinstance(m, dict) else m
        zones.append(element_zone(graph, lb, value) if value is not None
                     else Unknown("a subnet mapping names no subnet"))
    return LB_SUBNET_MAPPINGS, ZoneSet(zones)

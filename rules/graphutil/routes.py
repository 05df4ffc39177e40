"""Routing: which subnets send their default route (0.0.0.0/0) through a NAT gateway.

NAT gateway <- route (inline `route` block of `aws_route_table`, `aws_route`, `AWS::EC2::Route`) <- route table
<- subnet association (`aws_route_table_association`, `AWS::EC2::SubnetRouteTableAssociation`) -> subnet.
Subnets that use the VPC's main route table implicitly are not followed (the association is not declared).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rlint.model import Resource, Unknown

from .zones import SUBNET_TYPES

DEFAULT_ROUTE = "0.0.0.0/0"
ROUTE_TABLE_TYPES = ("aws_route_table", "aws_default_route_table", "AWS::EC2::RouteTable")
_ROUTE = {"terraform": ("aws_route", ("destination_cidr_block",), ("route_table_id",)),
          "cloudformation": ("AWS::EC2::Route", ("Properties", "DestinationCidrBlock"), ("Properties", "RouteTableId"))}
# the attributes through which a route targets a NAT gateway (gateway_id is a common Terraform misuse that
# AWS accepts); DependsOn and other edges are not routes
_TARGET_PATHS = {"terraform": (("nat_gateway_id",), ("gateway_id",)),
                 "cloudformation": (("Properties", "NatGatewayId"),)}
_ASSOC = {"terraform": ("aws_route_table_association", ("route_table_id",), ("subnet_id",)),
          "cloudformation": ("AWS::EC2::SubnetRouteTableAssociation", ("Properties", "RouteTableId"),
                             ("Properties", "SubnetId"))}


@dataclass
class Served:
    """Subnets whose default route goes through one NAT gateway, and what could not be followed."""

    subnets: list = field(default_factory=list)
    unknowns: list = field(default_factory=list)


def _get(res: Resource, path: tuple):
    v = res.attrs
    for key in path:
        if not isinstance(v, dict) or key not in v:
            return None
        v = v[key]
    return v


def _default_route(destination, where: str):
    """True for 0.0.0.0/0, Unknown when the destination cannot be read, False otherwise."""
    if isinstance(destination, Unknown):
        return Unknown(f"the destination of {where} is unknown ({destination.reason})")
    return destination == DEFAULT_ROUTE


def default_route_tables(graph, nat: Resource) -> tuple:
    """([route table], [Unknown]) for the tables whose default route targets `nat`."""
    tables, unknowns = [], []

    def add(table_or_unknown):
        if isinstance(table_or_unknown, Unknown):
            unknowns.append(table_or_unknown)
        elif table_or_unknown not in tables:
            tables.append(table_or_unknown)

    if nat.format == "terraform":  # inline route blocks
        for rt in graph.referrers(nat, type="aws_route_table") + graph.referrers(nat, type="aws_default_route_table"):
            routes = rt.attrs.get("route")
            if not isinstance(routes, list):
                add(Unknown(f"the routes of {rt.address} are computed"))
                continue
            for i, route in enumerate(routes):
                if not isinstance(route, dict) or not any(nat in graph.targets(rt, ("route", i) + p)
                                                          for p in _TARGET_PATHS["terraform"]):
                    continue
                is_default = _default_route(route.get("cidr_block"), f"a route of {rt.address}")
                if is_default is True:
                    add(rt)
                elif isinstance(is_default, Unknown):
                    add(is_default)
    rtype, dest_path, table_path = _ROUTE[nat.format]
    routes = []
    for path in _TARGET_PATHS[nat.format]:
        routes.extend(r for r in graph.referrers(nat, type=rtype, attr=path) if r not in routes)
    for route in routes:
        is_default = _default_route(_get(route, dest_path), route.address)
        if isinstance(is_default, Unknown):
            add(is_default)
            continue
        if not is_default:
            continue
        found = [t for t in graph.targets(route, table_path) if t.type in ROUTE_TABLE_TYPES]
        if not found:
            add(Unknown(f"the route table of {route.address} is not declared here"))
        for t in found:
            add(t)
    return tables, unknowns


def subnets_of_table(graph, table: Resource) -> tuple:
    """([subnet], [Unknown]) explicitly associated with a route table."""
    atype, table_path, subnet_path = _ASSOC[table.format]
    subnets, unknowns = [], []
    for assoc in graph.referrers(table, type=atype, attr=table_path):
        if _get(assoc, subnet_path) is None:
            continue  # an edge association (gateway_id) routes no subnet
        found = [s for s in graph.targets(assoc, subnet_path) if s.type in SUBNET_TYPES]
        if not found:
            unknowns.append(Unknown(f"the subnet of {assoc.address} is not declared here"))
        subnets.extend(s for s in found if s not in subnets)
    return subnets, unknowns


def served_by_nat(graph, nat: Resource) -> Served:
    out = Served()
    tables, out.unknowns = default_route_tables(graph, nat)
    for table in tables:
        subnets, unknowns = subnets_of_table(graph, table)
        out.subnets.extend(s for s in subnets if s not in out.subnets)
        out.unknowns.extend(unknowns)
    return out

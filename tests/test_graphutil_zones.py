"""Zone tokens from both evaluators and the zone counting the redundancy rules share."""
from __future__ import annotations

import pickle

from helpers import resources_in, run
from rlint.model import AzList, AzToken, Unknown
from rlint.rules.graphutil.routes import served_by_nat
from rlint.rules.graphutil.zones import Zone, ZoneSet, count_zones, subnet_zone


def test_getazs_select_is_a_positional_token(tmp_path):
    res = resources_in(tmp_path, "t.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                     '  S:\n    Type: AWS::EC2::Subnet\n    Properties:\n'
                     '      AvailabilityZone: !Select [1, !GetAZs ""]\n'
                     '      Other: !Select [1, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]\n'
                     '      Elsewhere: !Select [1, !GetAZs eu-west-1]\n'
                     '      All: !GetAZs ""\n')["S"]
    props = res.attrs["Properties"]
    assert props["AvailabilityZone"] == AzToken("Fn::GetAZs:", 1) == props["Other"]
    assert props["Elsewhere"] == AzToken("Fn::GetAZs:eu-west-1", 1) != props["Other"]
    assert isinstance(props["All"], AzList) and isinstance(props["All"], Unknown)
    assert pickle.loads(pickle.dumps(props["AvailabilityZone"])) == props["AvailabilityZone"]  # parallel loading


def test_data_source_index_is_a_positional_token(tmp_path):
    res = resources_in(tmp_path, "main.tf", 'data "aws_availability_zones" "az" {}\nvariable "i" {}\n'
                     'resource "aws_subnet" "s" {\n  count = 2\n'
                     '  availability_zone = data.aws_availability_zones.az.names[count.index]\n}\n'
                     'resource "aws_subnet" "id" {\n  availability_zone_id = data.aws_availability_zones.az.zone_ids[1]\n}\n'
                     'resource "aws_subnet" "v" {\n  availability_zone = data.aws_availability_zones.az.names[var.i]\n}\n')
    assert subnet_zone(res["aws_subnet.s[0]"]) == Zone("data.aws_availability_zones.az", 0)
    assert subnet_zone(res["aws_subnet.s[1]"]) == Zone("data.aws_availability_zones.az", 1)
    # names and zone_ids are parallel lists: the same index is the same zone
    assert subnet_zone(res["aws_subnet.id"]) == subnet_zone(res["aws_subnet.s[1]"])
    v = subnet_zone(res["aws_subnet.v"])
    assert isinstance(v, Unknown) and not isinstance(v, AzToken)
    # the reference edge is kept
    assert res["aws_subnet.s[0]"].refs == [(("availability_zone",), "data.aws_availability_zones.az", "names")]


def test_count_zones():
    a, b = Zone("name", "eu-west-1a"), Zone("name", "eu-west-1b")
    p0, p1 = Zone("Fn::GetAZs:", 0), Zone("Fn::GetAZs:", 1)
    u = Unknown("var.x has no default")
    assert count_zones(ZoneSet([a, a])) == 1
    assert count_zones(ZoneSet([a, b])) == 2
    assert count_zones(ZoneSet([p0, p1, u])) == 2  # two known distinct zones decide, whatever the rest
    assert isinstance(count_zones(ZoneSet([a, u])), Unknown)
    assert count_zones(ZoneSet([u])) == 1  # one member is one zone, even when which zone is unknown
    assert isinstance(count_zones(ZoneSet([u], exact=False, reason="computed")), Unknown)
    assert isinstance(count_zones(ZoneSet([a, p1])), Unknown)  # a name and a position cannot be compared
    assert isinstance(count_zones(ZoneSet([a, a], exact=False, reason="computed")), Unknown)
    assert count_zones(ZoneSet([a, b], exact=False, reason="computed")) == 2
    assert count_zones(ZoneSet(region_wide=True)) == 2
    assert count_zones(ZoneSet([])) == 0


def test_cfn_depends_on_is_not_a_route(tmp_path):
    res = resources_in(tmp_path, "t.yaml", 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                     '  Nat:\n    Type: AWS::EC2::NatGateway\n    Properties: {SubnetId: subnet-1}\n'
                     '  Table:\n    Type: AWS::EC2::RouteTable\n    Properties: {VpcId: vpc-1}\n'
                     '  Public:\n    Type: AWS::EC2::Route\n    DependsOn: Nat\n'
                     '    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: igw-1}\n'
                     '  Sub:\n    Type: AWS::EC2::Subnet\n    Properties: {AvailabilityZone: eu-west-1a}\n'
                     '  Assoc:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n'
                     '    Properties: {SubnetId: !Ref Sub, RouteTableId: !Ref Table}\n')
    graph = run(tmp_path / "t.yaml").graph
    nat = next(r for r in graph.resources if r.address == "Nat")
    served = served_by_nat(graph, nat)
    assert served.subnets == [] and served.unknowns == []
    assert res["Sub"].type == "AWS::EC2::Subnet"


def test_an_empty_subnet_id_reads_as_a_placeholder_not_a_nameless_subnet(tmp_path):
    """`split(",", var.ids)` over an empty default is `[""]` (terraform console agrees): RL106 stays unknown and
    says why, instead of naming a subnet with no name."""
    (tmp_path / "main.tf").write_text(
        'variable "ids" {\n  default = ""\n}\n'
        'resource "aws_lb" "web" {\n  subnets = split(",", var.ids)\n}\n'
        'resource "aws_lb" "named" {\n  subnets = ["subnet-0abc", "subnet-0def"]\n}\n')
    found = {f.resource: f for f in run(tmp_path, select=("RL106",)).findings}
    assert found["aws_lb.web"].outcome.value == "unknown"
    assert "the subnet list holds an empty subnet id (a placeholder the run replaces?)" in found["aws_lb.web"].message
    assert "subnet subnet-0abc is not declared in this configuration" in found["aws_lb.named"].message


def test_region_letter_template_is_a_zone_token(tmp_path):
    """`"${data.aws_region.x.name}a"` is the zone of that letter in the Region read (CloudFormation's
    `!Sub "${AWS::Region}a"`); other suffixes, other expressions and a known Region stay what they are."""
    res = resources_in(tmp_path, "main.tf", 'data "aws_region" "current" {}\nvariable "r" {}\nlocals {\n  r = "eu-west-1"\n}\n'
                     'resource "aws_subnet" "a" {\n  availability_zone = "${data.aws_region.current.name}a"\n}\n'
                     'resource "aws_subnet" "b" {\n  availability_zone = "${data.aws_region.current.region}b"\n}\n'
                     'resource "aws_subnet" "two" {\n  availability_zone = "${data.aws_region.current.name}ab"\n}\n'
                     'resource "aws_subnet" "var" {\n  availability_zone = "${var.r}a"\n}\n'
                     'resource "aws_subnet" "known" {\n  availability_zone = "${local.r}a"\n}\n')
    assert subnet_zone(res["aws_subnet.a"]) == Zone("${data.aws_region.current.name}", 0)
    assert subnet_zone(res["aws_subnet.a"]).label == "`${data.aws_region.current.name}a`"
    assert subnet_zone(res["aws_subnet.b"]) == Zone("${data.aws_region.current.region}", 1)
    for name in ("two", "var"):
        assert isinstance(subnet_zone(res[f"aws_subnet.{name}"]), Unknown), name
    assert subnet_zone(res["aws_subnet.known"]) == Zone("name", "eu-west-1a")

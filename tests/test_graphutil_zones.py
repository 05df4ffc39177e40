"""Zone tokens from both evaluators and the zone counting the redundancy rules share."""
from __future__ import annotations

import pickle

from helpers import resources_in, run
from rlint.model import AzList, AzToken, AzWrapped, Unknown, UnknownList
from rlint.rules.graphutil.routes import served_by_nat
from rlint.rules.graphutil.zones import (Zone, ZoneSet, count_zones, same_zone, subnet_zone, zones_of_names,
                                         zones_of_subnets)


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


def test_element_past_the_second_position_keeps_its_position(tmp_path):
    res = resources_in(tmp_path, "main.tf", 'data "aws_availability_zones" "az" {}\n'
                     'resource "aws_subnet" "s" {\n  count = 3\n'
                     '  availability_zone = element(data.aws_availability_zones.az.names, count.index)\n}\n'
                     'resource "aws_subnet" "copy" {\n  availability_zone = aws_subnet.s[2].availability_zone\n}\n')
    assert subnet_zone(res["aws_subnet.s[1]"]) == Zone("data.aws_availability_zones.az", 1)
    third = subnet_zone(res["aws_subnet.s[2]"])
    assert isinstance(third, AzWrapped) and (third.source, third.index) == ("data.aws_availability_zones.az", 2)
    assert third.reason == ("the Availability Zone of aws_subnet.s[2] is unknown (element() of "
                            "data.aws_availability_zones.az wraps around a list of unknown length)")
    copied = subnet_zone(res["aws_subnet.copy"])  # read through another subnet's attribute
    assert isinstance(copied, AzWrapped) and copied.index == 2 and same_zone(copied, third) is True
    assert pickle.loads(pickle.dumps(third)) == third  # parallel loading keeps the position


def test_same_zone_holds_for_every_length_of_the_list():
    """Brute force: a decided answer must hold for every list length the positions allow (at least two zones,
    more than k when names[k] is used); and the neighbours, the same position and the short gaps are decided."""
    src = "data.aws_availability_zones.az"
    exact = [Zone(src, k) for k in range(5)]
    wrapped = [AzWrapped(src, i) for i in range(2, 9)]

    def position(z, n):
        return z.index % n if isinstance(z, AzWrapped) else z.key

    for a in exact + wrapped:
        for b in exact + wrapped:
            least = max([2] + [z.key + 1 for z in (a, b) if isinstance(z, Zone)])
            answers = {position(a, n) == position(b, n) for n in range(least, 40)}
            decided = same_zone(a, b)
            if decided is not None:
                assert answers == {decided}, (a, b, decided)
            elif isinstance(a, AzWrapped) or isinstance(b, AzWrapped):
                assert answers == {True, False}, (a, b)  # undecided only when the length decides
    assert same_zone(AzWrapped(src, 2), AzWrapped(src, 2)) is True
    assert same_zone(AzWrapped(src, 2), AzWrapped(src, 3)) is False
    assert same_zone(AzWrapped(src, 2), AzWrapped(src, 4)) is None  # a Region with two zones
    assert same_zone(AzWrapped(src, 2), Zone(src, 1)) is False
    assert same_zone(Zone(src, 0), AzWrapped(src, 2)) is None
    assert same_zone(AzWrapped(src, 3), Zone(src, 1)) is None  # three zones: element(names, 3) is names[0]
    assert same_zone(AzWrapped(src, 3), Zone(src, 3)) is True  # names[3] exists: the list is longer than 3
    assert same_zone(AzWrapped(src, 2), AzWrapped("data.aws_availability_zones.other", 2)) is None
    assert same_zone(AzWrapped(src, 2), Zone("name", "eu-west-1a")) is None
    assert same_zone(Zone("name", "eu-west-1a"), Zone("name", "eu-west-1a")) is True
    assert same_zone(Zone("name", "eu-west-1a"), Zone(src, 0)) is None


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


def test_a_list_written_inside_the_list_is_not_one_member(tmp_path):
    """Terraform 0.11 wrote a list as the one member of a list (`["${split(",", var.subnets)}"]`) and merged it
    into the list around it; Terraform 0.12 and later reject it. Either way the list does not hold one subnet or
    one zone: its length, and so its zones, cannot be counted."""
    res = resources_in(tmp_path, "main.tf", 'variable "subnets" {}\nvariable "zones" { default = "eu-west-1a,eu-west-1b" }\n'
                     'variable "one" {}\n'
                     'resource "aws_autoscaling_group" "split" {\n'
                     '  vpc_zone_identifier = ["${split(",", var.subnets)}"]\n'
                     '  availability_zones  = ["${split(",", var.zones)}"]\n}\n'
                     'resource "aws_autoscaling_group" "one" {\n  vpc_zone_identifier = ["${var.one}"]\n}\n')
    split = res["aws_autoscaling_group.split"].attrs
    assert isinstance(split["vpc_zone_identifier"][0], UnknownList)  # split() over an unknown is still a list
    assert type(pickle.loads(pickle.dumps(split["vpc_zone_identifier"][0]))) is UnknownList  # parallel loading
    assert split["availability_zones"] == [["eu-west-1a", "eu-west-1b"]]
    for zs in (zones_of_subnets(None, None, split["vpc_zone_identifier"]),
               zones_of_names(None, None, split["availability_zones"])):
        n = count_zones(zs)
        assert isinstance(n, Unknown) and n.reason.startswith("a member of the list is itself a list")
    # a member that may be one subnet id stays one member: one zone
    assert count_zones(zones_of_subnets(None, None, res["aws_autoscaling_group.one"].attrs["vpc_zone_identifier"])) == 1
    # an error stays a plain Unknown, however the function's result would have been typed
    err = resources_in(tmp_path, "main.tf", 'resource "aws_autoscaling_group" "e" {\n'
                       '  vpc_zone_identifier = [split(",", 1 + "a")]\n}\n')["aws_autoscaling_group.e"]
    assert type(err.attrs["vpc_zone_identifier"][0]) is Unknown


def test_a_list_variable_inside_the_list_is_a_list_and_its_element_is_one_member(tmp_path):
    """A list-typed variable without value (`type = list(string)`, Terraform 0.11's `type = "list"`) written as the
    member of a list is the list itself (0.11) or a configuration error (0.12+): its zones cannot be counted. One
    element of a list (`var.ids[0]`, `split(",", var.s)[0]`) is one member: one zone."""
    res = resources_in(tmp_path, "main.tf", 'variable "ids" { type = list(string) }\nvariable "legacy" { type = "list" }\n'
                     'variable "s" {}\n'
                     'resource "aws_autoscaling_group" "lists" {\n'
                     '  vpc_zone_identifier = ["${var.ids}"]\n  availability_zones  = ["${var.legacy}"]\n}\n'
                     'resource "aws_autoscaling_group" "elements" {\n'
                     '  vpc_zone_identifier = [var.ids[0]]\n  availability_zones  = [split(",", var.s)[0]]\n}\n')
    lists, elements = res["aws_autoscaling_group.lists"].attrs, res["aws_autoscaling_group.elements"].attrs
    for zs in (zones_of_subnets(None, None, lists["vpc_zone_identifier"]),
               zones_of_names(None, None, lists["availability_zones"])):
        assert isinstance(count_zones(zs), Unknown)
    assert count_zones(zones_of_subnets(None, None, elements["vpc_zone_identifier"])) == 1
    assert count_zones(zones_of_names(None, None, elements["availability_zones"])) == 1

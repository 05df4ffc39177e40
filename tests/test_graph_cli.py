"""`rlint graph`: what rlint read, as JSON validated against graph.schema.json, DOT and Mermaid."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from helpers import FIXTURES, ROOT, invoke

SEMANTICS = ROOT / "tests" / "terraform_oracle" / "semantics"


def graph_schema() -> dict:
    return json.loads(resources.files("rlint").joinpath("graph.schema.json").read_text())


def graph(*args) -> dict:
    result = invoke("graph", *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    jsonschema.Draft202012Validator(graph_schema()).validate(doc)
    return doc


def by_address(doc: dict) -> dict:
    return {r["address"]: r for r in doc["resources"]}


def _markers(value):
    if isinstance(value, dict):
        if "$unknown" in value:
            yield value
        else:
            for v in value.values():
                yield from _markers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _markers(v)


def test_every_fixture_and_example_graph_validates():
    doc = graph(FIXTURES, ROOT / "examples")
    formats = {r["format"] for r in doc["resources"]}
    assert formats == {"terraform", "cloudformation"} and len(doc["resources"]) > 1000
    unknown = jsonschema.Draft202012Validator({"$ref": "#/$defs/unknown", "$defs": graph_schema()["$defs"]})
    markers = [m for r in doc["resources"] for m in _markers(r["attributes"])]
    assert len(markers) > 200
    for marker in markers:
        unknown.validate(marker)


def test_instances_after_count_for_each_and_modules():
    res = by_address(graph(SEMANTICS))
    assert {"terraform_data.two[0]", "terraform_data.two[1]", 'terraform_data.each_set["a"]',
            'module.db_each["a"].aws_db_instance.this', "module.db.aws_db_instance.this"} <= set(res)
    # count = "0", a string variable defaulting to "0", try(length(null), 0): no instance
    assert not [a for a in res if a.startswith(("terraform_data.never", "terraform_data.by_string_variable",
                                                "terraform_data.optional_list", "module.db_none"))]
    two = res["terraform_data.two[1]"]
    assert (two["block_address"], two["instance_key"], two["module"], two["expansion"]) == \
        ("terraform_data.two", 1, "", {"decided": True})
    each = res['module.db_each["b"].aws_db_instance.this']
    assert (each["module"], each["instance_key"], each["attributes"]["multi_az"]) == ('module.db_each["b"]', None,
                                                                                     True)
    assert each["file"].endswith("semantics/db/main.tf") and each["line"] == 23


def test_unknown_values_carry_their_reason(tmp_path):
    (tmp_path / "main.tf").write_text('variable "ha" {\n  type = bool\n}\n\nresource "aws_db_instance" "db" {\n'
                                      '  count    = var.n\n  multi_az = var.ha\n  engine   = "postgres"\n}\n\n'
                                      'variable "n" {\n  type = number\n}\n')
    res = graph(tmp_path)["resources"]
    assert len(res) == 1
    db = res[0]
    assert db["attributes"]["multi_az"] == {"$unknown": "var.ha has no default and no value was given"}
    assert db["attributes"]["engine"] == "postgres"
    assert db["unknowns"] == [{"path": ["multi_az"], "reason": "var.ha has no default and no value was given"}]
    assert db["expansion"]["decided"] is False and "var.n has no default" in db["expansion"]["reason"]
    decided = graph(tmp_path, "--var", "ha=true", "--var", "n=2")["resources"]
    assert [(r["address"], r["attributes"]["multi_az"], r["unknowns"]) for r in decided] == \
        [("aws_db_instance.db[0]", True, []), ("aws_db_instance.db[1]", True, [])]


def test_edges_name_the_attribute_and_the_instances_they_resolve_to():
    doc = graph(ROOT / "examples" / "web-tier-terraform")
    edges = [e for e in doc["edges"] if e["from"] == "aws_autoscaling_group.web"
             and e["attribute"] == ["target_group_arns"]]
    assert edges == [{"root": "examples/web-tier-terraform", "from": "aws_autoscaling_group.web",
                      "attribute": ["target_group_arns"], "to": "aws_lb_target_group.web", "to_attribute": "arn",
                      "resolved": ["aws_lb_target_group.web"]}]
    asg = by_address(doc)["aws_autoscaling_group.web"]
    assert asg["attributes"]["target_group_arns"][0]["refs"] == ["aws_lb_target_group.web.arn"]


def test_a_zone_position_is_shown_as_such(tmp_path):
    (tmp_path / "main.tf").write_text('data "aws_availability_zones" "az" {}\n\nresource "aws_subnet" "a" {\n'
                                      '  vpc_id            = "vpc-1"\n  cidr_block        = "10.0.0.0/24"\n'
                                      '  availability_zone = data.aws_availability_zones.az.names[1]\n}\n')
    zone = graph(tmp_path)["resources"][0]["attributes"]["availability_zone"]
    assert zone["zone"] == {"list": "data.aws_availability_zones.az", "index": 1}


def test_problems_are_listed_and_the_rest_is_read(tmp_path):
    (tmp_path / "bad.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = \n}\n')
    (tmp_path / "ok.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n"
                                      "    Type: AWS::SQS::Queue\n")
    doc = graph(tmp_path)
    assert [(p["file"].rsplit("/", 1)[-1], p["line"]) for p in doc["problems"]] == [("bad.tf", 2)]
    assert [r["address"] for r in doc["resources"]] == ["Q"]


@pytest.mark.parametrize("fmt, start", [("dot", "digraph rlint {"), ("mermaid", "flowchart LR")])
def test_pictures(fmt, start, tmp_path):
    out = tmp_path / f"graph.{fmt}"
    result = invoke("graph", ROOT / "examples" / "web-tier-terraform", "--format", fmt, "--output", out)
    assert result.exit_code == 0 and result.output == ""
    text = out.read_text()
    assert text.startswith(start)
    assert "aws_autoscaling_group.web" in text and "aws_lb_target_group.web" in text
    arrow = " -> " if fmt == "dot" else " -->"
    assert sum(1 for line in text.splitlines() if arrow in line) >= 5
    if fmt == "dot":
        assert 'subgraph cluster_0 {\n    label="examples/web-tier-terraform";' in text
    else:
        assert '  subgraph r0["examples/web-tier-terraform"]' in text


def test_resources_of_a_module_call_with_undecided_instances_are_undecided(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "main.tf").write_text('resource "aws_db_instance" "this" {\n  engine = "postgres"\n}\n')
    (tmp_path / "main.tf").write_text('variable "create" {\n  type = bool\n}\n\nmodule "db" {\n'
                                      '  source = "./db"\n  count  = var.create ? 1 : 0\n}\n\nmodule "one" {\n'
                                      '  source = "./db"\n}\n')
    res = by_address(graph(tmp_path))
    assert res["module.db.aws_db_instance.this"]["expansion"] == {
        "decided": False, "reason": "module.db: count is unknown: depends on a condition: var.create has no default "
                                    "and no value was given"}
    assert res["module.one.aws_db_instance.this"]["expansion"] == {"decided": True}


def test_a_conditional_result_not_taken_is_no_edge_and_types_unify(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "public" {\n  default = true\n}\n\n'
        'resource "aws_subnet" "public" {\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.0.0/24"\n}\n\n'
        'resource "aws_subnet" "private" {\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.1.0/24"\n}\n\n'
        'resource "aws_lb" "web" {\n  subnets = var.public ? [aws_subnet.public.id] : [aws_subnet.private.id]\n'
        '  name    = var.public ? 1 : "a"\n}\n')
    doc = graph(tmp_path)
    assert [(e["from"], e["to"]) for e in doc["edges"]] == [("aws_lb.web", "aws_subnet.public")]
    assert by_address(doc)["aws_lb.web"]["attributes"]["name"] == "1"  # true ? 1 : "a" is the string "1"

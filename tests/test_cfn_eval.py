"""CloudFormation intrinsics, parameters and resource attributes, evaluated to exact values."""
from __future__ import annotations

import json

import pytest

from helpers import invoke
from rlint.evaluate.cloudformation import CfnInputs, ParametersFileError, TemplateEvaluator, read_parameters_file
from rlint.model import Unknown
from rlint.parsers.cloudformation import parse_cloudformation


def evaluator(text: str, **params) -> TemplateEvaluator:
    return TemplateEvaluator(parse_cloudformation(text, "t.yaml"), CfnInputs(parameters=params))


def resources(text: str, **params) -> dict:
    return {r.address: r for r in evaluator(text, **params).evaluate_resources()}


HEAD = """AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}
  Subnets: {Type: CommaDelimitedList, Default: "a, b,c"}
  Ports: {Type: "List<Number>", Default: "80,443"}
  Size: {Type: Number, Default: "20", AllowedValues: [10, 20]}
  Ids: {Type: "List<AWS::EC2::Subnet::Id>", Default: "subnet-1,subnet-2"}
  Latest: {Type: "AWS::SSM::Parameter::Value<String>", Default: /ami/latest}
  NoDefault: {Type: String}
Mappings:
  Sizes:
    prod: {Instance: m5.large}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [!Ref NoDefault, x]]
"""


def value(expr: str, **params):
    ev = evaluator(HEAD + "Resources:\n  R:\n    Type: X\n    Properties:\n      V: " + expr + "\n", **params)
    return ev.evaluate_resources()[0].attrs["Properties"].get("V", "<removed>")


@pytest.mark.parametrize("expr, expected", [
    ("!Ref Env", "prod"),
    ("!Ref Subnets", ["a", "b", "c"]),
    ("!Ref Ports", [80, 443]),
    ("!Ref Size", 20),
    ("!Ref Ids", ["subnet-1", "subnet-2"]),
    ("!Sub '${Env}-x-${!Literal}'", "prod-x-${Literal}"),
    ("!Sub ['${A}-${Env}', {A: !Select [1, !Ref Subnets]}]", "b-prod"),
    ("!Join ['-', [a, !Ref Env, 3]]", "a-prod-3"),
    ("!Select [0, !Split [',', 'x,y']]", "x"),
    ("!FindInMap [Sizes, !Ref Env, Instance]", "m5.large"),
    ("!FindInMap [Sizes, dev, Instance, {DefaultValue: t3.micro}]", "t3.micro"),
    ("!If [IsProd, big, small]", "big"),
    ("!If [IsDev, big, small]", "small"),
    ("!If [Both, 1, 2]", 1),
    ("!If [IsProd, !Ref AWS::NoValue, x]", "<removed>"),
    ("!Base64 hello", "aGVsbG8="),
    ("!Cidr ['10.0.0.0/16', 3, 8]", ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]),
    ("!Cidr ['10.0.0.0/24', 2, 6]", ["10.0.0.0/26", "10.0.0.64/26"]),
    ("!Select [1, !Cidr ['2001:db8::/56', 2, 64]]", "2001:db8:0:1::/64"),
    ("!ToJsonString {a: [1, !Ref Env]}", '{"a":[1,"prod"]}'),
    ("!Length [1, 2, 3]", 3),
    ("!Length {Ref: Subnets}", 3),
])
def test_known_values(expr, expected):
    assert value(expr) == expected


@pytest.mark.parametrize("expr, reason", [
    ("!Ref NoDefault", "parameter NoDefault has no default and no value was given"),
    ("!Ref Latest", "parameter Latest is read from SSM Parameter Store at deploy time"),
    ("!Ref AWS::Region", "AWS::Region is known only at deploy time"),
    ("!GetAtt Db.Endpoint.Address", "Db.Endpoint.Address is known only after deployment"),
    ("{'Fn::GetAtt': [Db, Arn]}", "Db.Arn is known only after deployment"),
    ("!Sub '${Db.Arn}/x'", "Db.Arn is known only after deployment"),
    ("!Sub '${AWS::AccountId}'", "AWS::AccountId is known only at deploy time"),
    ("!ImportValue shared-vpc", "Fn::ImportValue is another stack's export"),
    ("!Select [0, !GetAZs '']", "the Availability Zone at index 0 of Fn::GetAZs: is chosen at deploy time"),
    ("!If [Either, 1, 2]",
     "depends on condition Either: Fn::Equals depends on parameter NoDefault has no default and no value was given"),
    ("!FindInMap [Sizes, nope, Instance]", "Fn::FindInMap ['Sizes', 'nope', 'Instance'] has no entry"),
    ("!Cidr ['10.0.0.0/28', 4, 8]", "Fn::Cidr cannot split 10.0.0.0/28 into 4 blocks of 8 host bits"),
])
def test_unknown_values(expr, reason):
    v = value(expr)
    assert isinstance(v, Unknown) and v.reason == reason


def test_getatt_and_sub_attribute_are_graph_edges():
    res = resources(HEAD + "Resources:\n  Db: {Type: AWS::RDS::DBInstance}\n  R:\n    Type: X\n    Properties:\n"
                           "      A: !GetAtt Db.Endpoint.Address\n      B: !Sub '${Db.Endpoint.Port}'\n"
                           "      C: !Ref Db\n")
    assert res["R"].refs == [(("Properties", "A"), "Db", "Endpoint.Address"),
                             (("Properties", "B"), "Db", "Endpoint.Port"),
                             (("Properties", "C"), "Db", None)]


def test_given_parameters_and_allowed_values():
    assert value("!Ref Env", Env="dev") == "dev"
    bad = value("!Ref Env", Env="staging")
    assert isinstance(bad, Unknown) and bad.reason == "parameter Env value 'staging' is not one of its AllowedValues"
    bad = value("!Ref Size", Size="30")
    assert isinstance(bad, Unknown) and bad.reason == "parameter Size value '30' is not one of its AllowedValues"
    assert value("!Ref Latest", Latest="ami-123") == "ami-123"
    assert value("!Ref AWS::Region", **{"AWS::Region": "eu-west-1"}) == "eu-west-1"
    assert value("!Ref Subnets", Subnets="x,y") == ["x", "y"]


def test_false_condition_drops_the_resource():
    res = resources(HEAD + "Resources:\n  A: {Type: X, Condition: IsDev}\n  B: {Type: X, Condition: IsProd}\n"
                           "  C: {Type: X, Condition: Either}\n")
    assert sorted(res) == ["B", "C"]
    assert isinstance(res["C"].meta["condition_value"], Unknown)


FOREACH = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList, Default: "orders,in-voices"}
  Unknown: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Queues:
    - Name
    - !Ref Names
    - Queue&{Name}:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "${Name}-q"
          Tag: !Ref Name
  Fn::ForEach::Outer:
    - Env
    - [a, b]
    - Fn::ForEach::Inner:
        - Tier
        - [x]
        - T${Env}${Tier}:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub "${Env}-${Tier}"
  Fn::ForEach::Skipped:
    - N
    - !Ref Unknown
    - S${N}:
        Type: AWS::SNS::Topic
"""


def test_foreach_expands_known_collections():
    ev = evaluator(FOREACH)
    res = {r.address: r for r in ev.evaluate_resources()}
    assert sorted(res) == ["Queueinvoices", "Queueorders", "Tax", "Tbx"]
    assert res["Queueinvoices"].attrs["Properties"] == {"QueueName": "in-voices-q", "Tag": "in-voices"}
    assert res["Tbx"].attrs["Properties"] == {"TopicName": "b-x"}
    # positioned at the loop's template
    assert res["Queueorders"].span.line == 10
    assert res["Queueorders"].attr_spans[("Properties", "QueueName")].line == 13
    assert res["Tax"].span.line == 21
    assert res["Queueorders"].meta["foreach"] == "Fn::ForEach::Queues"
    assert ev.notes == [(("Resources", "Fn::ForEach::Skipped"), "Fn::ForEach::Skipped: collection is unknown "
                         "(parameter Unknown has no default and no value was given); its resources are not analysed")]


POLICIES = """AWSTemplateFormatVersion: "2010-09-09"
{transform}
Parameters:
  Policy: {{Type: String, Default: Retain}}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: !Ref Policy
    UpdateReplacePolicy: Snapshot
    DependsOn: [Other]
    UpdatePolicy: {{AutoScalingRollingUpdate: {{MinInstancesInService: !Ref Policy}}}}
    CreationPolicy: {{ResourceSignal: {{Count: 2, Timeout: PT5M}}}}
    Metadata: {{aws:cdk:path: App/Db/Resource, Note: !Ref Policy}}
  Other: {{Type: X}}
"""


def test_resource_attributes_without_language_extensions_keep_the_raw_intrinsic():
    db = resources(POLICIES.format(transform=""))["Db"]
    assert db.attrs["DeletionPolicy"] == {"Ref": "Policy"}
    assert db.attrs["UpdateReplacePolicy"] == "Snapshot"
    assert db.meta["invalid_attributes"] == {
        "DeletionPolicy": "intrinsic functions here need Transform AWS::LanguageExtensions"}
    assert db.attrs["DependsOn"] == ["Other"]
    assert db.attrs["UpdatePolicy"] == {"AutoScalingRollingUpdate": {"MinInstancesInService": "Retain"}}
    assert db.attrs["CreationPolicy"] == {"ResourceSignal": {"Count": 2, "Timeout": "PT5M"}}
    assert db.attrs["Metadata"] == {"aws:cdk:path": "App/Db/Resource", "Note": "Retain"}
    assert db.meta["cdk_path"] == "App/Db/Resource"
    assert (("DependsOn",), "Other", None) in db.refs


def test_resource_attributes_with_language_extensions_are_evaluated():
    db = resources(POLICIES.format(transform="Transform: AWS::LanguageExtensions"))["Db"]
    assert db.attrs["DeletionPolicy"] == "Retain"
    assert "invalid_attributes" not in db.meta


def test_parameters_file_formats(tmp_path):
    cli = tmp_path / "cli.json"
    cli.write_text(json.dumps([{"ParameterKey": "Env", "ParameterValue": "dev"},
                               {"ParameterKey": "Old", "UsePreviousValue": True},
                               {"ParameterKey": "Subnets", "ParameterValue": "a,b"}]))
    assert read_parameters_file(cli) == {"Env": "dev", "Subnets": "a,b"}
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({"Env": "dev", "Size": 10, "Multi": True, "Subnets": ["a", "b"]}))
    assert read_parameters_file(plain) == {"Env": "dev", "Size": "10", "Multi": "true", "Subnets": "a,b"}
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"Parameters": [{"ParameterKey": "Env", "ParameterValue": "x"}]}))
    assert read_parameters_file(wrapped) == {"Env": "x"}
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    with pytest.raises(ParametersFileError, match="entry 0 has no ParameterKey"):
        read_parameters_file(bad)


def test_parameters_file_on_the_command_line(tmp_path):
    (tmp_path / "t.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Ha: {Type: String}\n"
                                     "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
                                     "      Engine: postgres\n      MultiAZ: !Ref Ha\n")
    (tmp_path / "p.json").write_text(json.dumps([{"ParameterKey": "Ha", "ParameterValue": "false"}]))
    base = [str(tmp_path / "t.yaml"), "--select", "RL101", "-f", "json", "--show-unknown"]
    out = json.loads(invoke("scan", *base).output)
    assert [f["outcome"] for f in out["findings"]] == ["unknown"]
    out = json.loads(invoke("scan", *base, "--parameters-file", tmp_path / "p.json").output)
    assert [f["outcome"] for f in out["findings"]] == ["fail"]
    out = json.loads(invoke("scan", *base, "--parameters-file", tmp_path / "p.json",
                                   "--parameter", "Ha=true").output)
    assert out["findings"] == []
    (tmp_path / "bad.json").write_text("{")
    result = invoke("scan", *base, "--parameters-file", tmp_path / "bad.json")
    assert result.exit_code == 2 and "cannot read parameters file" in result.output


def _nested_loops(levels: int) -> str:
    """`levels` Fn::ForEach loops, each inside the one before, around one queue named after every identifier
    (JSON, which is YAML too)."""
    body: dict = {"Q" + "".join(f"${{I{i}}}" for i in range(levels)): {"Type": "AWS::SQS::Queue"}}
    for i in reversed(range(levels)):
        # beside each loop, after it, a topic of the enclosing level: a loop rlint cannot read takes no sibling
        sibling = {"T" + "".join(f"${{I{j}}}" for j in range(i)): {"Type": "AWS::SNS::Topic"}}
        body = {f"Fn::ForEach::L{i}": [f"I{i}", ["v"], body], **sibling}
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::LanguageExtensions",
                       "Resources": body}, indent=1)


def test_nested_loops_are_expanded_to_the_documented_depth_and_deeper_ones_are_said():
    ev = evaluator(_nested_loops(9))
    assert sorted(r.address for r in ev.evaluate_resources()) == ["Q" + "v" * 9] + ["T" + "v" * i for i in range(9)]
    assert ev.notes == []
    ev = evaluator(_nested_loops(10))
    assert sorted(r.address for r in ev.evaluate_resources()) == ["T" + "v" * i for i in range(10)]
    assert [why for _where, why in ev.notes] == [
        "Fn::ForEach::L9 is nested more than 9 Fn::ForEach deep, where rlint stops reading; its resources are "
        "not analysed"]

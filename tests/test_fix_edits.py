"""Edits that remove a setting or append to a list, and changes aimed at another resource of the unit: byte
for byte, in YAML, JSON and HCL, with the file's own layout."""
from __future__ import annotations

import json

import pytest

from helpers import run
from rlint.fixes.apply import FixNotApplicable, apply_edits, edits_for
from rlint.rules.base import AppendItem, Attr, Fix, RemoveAttribute, SetAttribute

AZ = Attr("az", "availability_zone", "Properties.AvailabilityZone")
POLICIES = Attr("policies", None, "Properties.Policies")
ARNS = Attr("arns", None, "Properties.ManagedPolicyArns")
DEPENDS = Attr("depends_on", "depends_on", "DependsOn")

YAML = """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    DependsOn: Role
    Properties:
      Engine: mysql
      AvailabilityZone: eu-west-1a # pinned
      MultiAZ: true
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns: [arn:a]
      Policies:
        - PolicyName: a
          PolicyDocument:
            Statement: []

  Other:
    Type: AWS::SNS::Topic
"""


def fixed(tmp_path, text: str, name: str, resource: str, *changes, target: str = None) -> str:
    path = tmp_path / name
    path.write_text(text)
    graph = run(path).graph
    res = next(r for r in graph.resources if r.address == resource)
    other = next(r for r in graph.resources if r.address == target) if target else res
    fix = Fix("t", tuple(changes))
    return apply_edits(text, edits_for(fix, res, text, other))


def test_yaml_remove_takes_the_whole_line_with_its_comment(tmp_path):
    out = fixed(tmp_path, YAML, "t.yaml", "Db", RemoveAttribute(AZ))
    assert out == YAML.replace("      AvailabilityZone: eu-west-1a # pinned\n", "")


def test_yaml_append_to_a_block_list_of_mappings_and_to_a_flow_list(tmp_path):
    statement = {"PolicyName": "dlq", "PolicyDocument": {"Statement": [{"Effect": "Allow"}]}}
    out = fixed(tmp_path, YAML, "t.yaml", "Role", AppendItem(POLICIES, statement), AppendItem(ARNS, "arn:b"))
    assert "      ManagedPolicyArns: [arn:a, \"arn:b\"]\n" in out
    assert ("            Statement: []\n        - PolicyName: dlq\n          PolicyDocument:\n"
            "            Statement:\n              - Effect: Allow\n\n  Other:") in out


def test_yaml_single_depends_on_becomes_a_list(tmp_path):
    out = fixed(tmp_path, YAML, "t.yaml", "Db", AppendItem(DEPENDS, "Other"))
    assert "    DependsOn: [Role, \"Other\"]\n" in out


def test_a_change_aimed_at_another_resource_edits_only_that_resource(tmp_path):
    (tmp_path / "t.yaml").write_text(YAML)
    graph = run(tmp_path / "t.yaml").graph
    db, role = (next(r for r in graph.resources if r.address == a) for a in ("Db", "Role"))
    fix = Fix("t", (SetAttribute(Attr("x", None, "Properties.Path"), "/svc/", target=role),))
    assert edits_for(fix, db, YAML) == []  # nothing on the finding's own resource
    out = apply_edits(YAML, edits_for(fix, db, YAML, role))
    assert "      Path: /svc/\n  Other:" in out.replace("\n\n", "\n")


JSON_TEMPLATE = json.dumps({"Resources": {
    "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "mysql", "AvailabilityZone": "eu-west-1a"}},
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {},
                                                      "Policies": [{"PolicyName": "a", "PolicyDocument": {}}]}}}},
    indent=2) + "\n"


def test_json_remove_the_last_member_takes_the_comma_before_it(tmp_path):
    out = fixed(tmp_path, JSON_TEMPLATE, "t.json", "Db", RemoveAttribute(AZ))
    assert json.loads(out)["Resources"]["Db"]["Properties"] == {"Engine": "mysql"}
    assert out.count("\n") == JSON_TEMPLATE.count("\n") - 1


def test_json_append_keeps_one_item_per_line(tmp_path):
    item = {"PolicyName": "dlq", "PolicyDocument": {}}
    out = fixed(tmp_path, JSON_TEMPLATE, "t.json", "Role", AppendItem(POLICIES, item))
    assert json.loads(out)["Resources"]["Role"]["Properties"]["Policies"][1] == item
    assert '},\n          {\n            "PolicyName": "dlq"' in out


HCL = '''resource "aws_db_instance" "db" {
  engine            = "mysql"
  availability_zone = "eu-west-1a"
  multi_az          = true
}
'''


def test_hcl_remove_takes_the_line(tmp_path):
    out = fixed(tmp_path, HCL, "main.tf", "aws_db_instance.db", RemoveAttribute(AZ))
    assert out == HCL.replace('  availability_zone = "eu-west-1a"\n', "")


def test_removing_the_only_setting_of_a_block_is_refused(tmp_path):
    text = "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      AvailabilityZone: a\n"
    with pytest.raises(FixNotApplicable, match="empty"):
        fixed(tmp_path, text, "t.yaml", "Db", RemoveAttribute(AZ))


# -- the file's layout: byte order mark and line endings survive a write -----------------------------------
CRLF_TEMPLATE = ("\ufeffAWSTemplateFormatVersion: \"2010-09-09\"\r\nResources:\r\n  Jobs:\r\n"
                 "    Type: AWS::SQS::Queue\r\n"
                 "    DeletionPolicy: Retain\r\n    UpdateReplacePolicy: Retain\r\n    Properties:\r\n"
                 "      MessageRetentionPeriod: 345600\r\n      RedrivePolicy:\r\n"
                 "        deadLetterTargetArn: !GetAtt JobsDlq.Arn\r\n        maxReceiveCount: 5\r\n"
                 "  JobsDlq:\r\n    Type: AWS::SQS::Queue\r\n    DeletionPolicy: Retain\r\n"
                 "    UpdateReplacePolicy: Retain\r\n    Properties:\r\n      MessageRetentionPeriod: 345600\n")
CRLF_MODULE = '\ufeffresource "aws_db_instance" "db" {\r\n  engine   = "mysql"\r\n  multi_az = false\r\n}\r\n'


@pytest.mark.parametrize("name,text,select,old,new", [
    ("template.yaml", CRLF_TEMPLATE, "RL502", "MessageRetentionPeriod: 345600\n",
     "MessageRetentionPeriod: 1209600\n"),
    ("main.tf", CRLF_MODULE, "RL101", "multi_az = false\r\n", "multi_az = true\r\n"),
])
def test_a_write_keeps_the_byte_order_mark_and_each_line_ending(tmp_path, monkeypatch, name, text, select, old,
                                                                 new):
    from click.testing import CliRunner

    from rlint.cli import main

    (tmp_path / name).write_bytes(text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["fix", ".", "--write", "--unsafe-fixes", "--select", select],
                             catch_exceptions=False)
    assert out.exit_code == 0 and "1 fixed" in out.output, out.output
    # only the fixed line changed; the last line keeps its own LF, the others their CRLF, and the BOM stays
    assert (tmp_path / name).read_bytes() == text.replace(old, new).encode("utf-8")


def test_the_source_cache_gives_each_file_s_bytes_as_read(tmp_path):
    """A write keeps a file's layout from its bytes as read: kept where they are not the text's UTF-8 (a byte
    order mark, CRLF), rebuilt from the text otherwise, and read from the file for a text discovery gave."""
    from rlint.engine import SourceCache

    files = {"bom.yaml": CRLF_TEMPLATE.encode("utf-8"), "plain.yaml": "a: 1\nb: \u00e9\r\n".replace("\r\n", "\n")
             .encode("utf-8"), "cr.yaml": b"a: 1\rb: 2\n", "bad.yaml": b"\xff\xfe", "known.yaml": b"a: 1\r\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    sources = SourceCache(tmp_path, {"known.yaml": "a: 1\n"})
    for name, data in files.items():
        assert sources.original(name) == (None if name == "bad.yaml" else data), name
    assert sources.text("bom.yaml") == CRLF_TEMPLATE[1:].replace("\r\n", "\n")
    assert set(sources.originals) == {"bom.yaml", "known.yaml"}  # the others are their text's UTF-8
    assert sources.original("missing.yaml") is None


# -- several fixes inserting at one place ------------------------------------------------------------------
def test_two_fixes_opening_properties_on_one_resource_share_it():
    from rlint.fixes.inserts import merge_yaml

    merged = merge_yaml(["    Properties:\n      RedrivePolicy:\n        maxReceiveCount: 5\n",
                         "    Properties:\n      VisibilityTimeout: 720\n", "    DeletionPolicy: Retain\n"])
    assert merged == ("    Properties:\n      RedrivePolicy:\n        maxReceiveCount: 5\n      VisibilityTimeout: 720\n"
                      "    DeletionPolicy: Retain\n")


def test_json_members_inserted_at_one_place_get_commas_and_one_key():
    from rlint.fixes.inserts import merge_json

    assert merge_json([' "A": 7 ', ' "B": true ']) == ' "A": 7, "B": true '
    assert merge_json([',\n      "Properties": {"X": 1}', ',\n      "Properties": {"Y": 2}']) == \
        ',\n      "Properties": {\n        "X": 1,\n        "Y": 2\n      }'


def test_a_template_without_a_final_line_break_gets_its_additions(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from rlint.cli import main

    text = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n'
            "    Properties:\n      MessageRetentionPeriod: 345600")
    (tmp_path / "t.yaml").write_text(text)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["fix", ".", "--write", "--select", "RL501"], catch_exceptions=False)
    assert out.exit_code == 0 and "1 fixed" in out.output, out.output
    fixed = (tmp_path / "t.yaml").read_text()
    assert fixed.startswith(text + "\n      RedrivePolicy:") and "\n  JobsDlq:\n" in fixed


@pytest.mark.parametrize("name", ["stack.template", "stack.yaml"])
def test_a_json_template_whatever_its_name_is_fixed_in_json(tmp_path, monkeypatch, name):
    from click.testing import CliRunner

    from rlint.cli import main

    text = json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Jobs": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}}},
        indent=2) + "\n"
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["fix", ".", "--write", "--select", "RL501"], catch_exceptions=False)
    assert out.exit_code == 0 and "1 fixed" in out.output, out.output
    fixed = json.loads((tmp_path / name).read_text())["Resources"]
    assert fixed["Jobs"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["JobsDlq", "Arn"]}
    assert fixed["JobsDlq"]["Type"] == "AWS::SQS::Queue"


def test_terraform_depends_on_written_as_a_meta_argument_gets_the_item(tmp_path):
    text = ('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  depends_on    = [\n'
            '    aws_iam_role.fn,\n  ]\n}\n')
    out = fixed(tmp_path, text, "main.tf", "aws_lambda_function.f",
                AppendItem(DEPENDS, "${aws_iam_role_policy.f_dead_letter}"))
    assert out == text.replace("aws_iam_role.fn,", "aws_iam_role.fn, aws_iam_role_policy.f_dead_letter")

"""The annotation reader: what it binds each annotation to, and that a misplaced annotation is an error."""
from __future__ import annotations

import json

import pytest

from fixture_annotations import AnnotationError, invalid_reason, read
from helpers import FIXTURES, ROOT, is_fixture


def keys(path):
    return [(a.rule, a.address, a.kind, a.line, a.reason) for a in read(path)]


def test_terraform_annotations_bind_to_the_next_resource_header(tmp_path):
    path = tmp_path / "main.tf"
    path.write_text('variable "x" {}\n\n'
                    '# expect: RL101, RL102 (two rules)\n'
                    '// a plain comment between\n'
                    '# expect-unknown: RL103\n'
                    'resource "aws_db_instance" "a" {\n}\n\n'
                    '# expect-absent: RL101 (count = 0)\n'
                    'resource "aws_db_instance" "b" {\n  count = 0\n}\n')
    assert keys(path) == [("RL101", "aws_db_instance.a", "expect", 3, "(two rules)"),
                          ("RL102", "aws_db_instance.a", "expect", 3, "(two rules)"),
                          ("RL103", "aws_db_instance.a", "expect-unknown", 5, ""),
                          ("RL101", "aws_db_instance.b", "expect-absent", 9, "(count = 0)")]


@pytest.mark.parametrize("text", [
    '# expect: RL101\n\nresource "aws_db_instance" "a" {}\n',  # a blank line between: bound to nothing
    '# ok: RL101\nvariable "x" {}\n',  # not a resource
    'resource "aws_db_instance" "a" {\n  # expect: RL101\n  engine = "x"\n}\n',  # inside the body
    '# expect RL101\nresource "aws_db_instance" "a" {}\n',  # malformed: no colon
    '# ok: RL101\n',  # end of file
])
def test_an_annotation_that_binds_to_no_header_is_an_error(tmp_path, text):
    path = tmp_path / "main.tf"
    path.write_text(text)
    with pytest.raises(AnnotationError):
        read(path)


def test_yaml_annotations_bind_to_logical_ids_under_resources(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text('Parameters:\n  # a parameter is no resource\n  Env:\n    Type: String\n'
                    'Resources:\n'
                    '  # ok: RL101\n'
                    '  "Quoted":\n    Type: AWS::RDS::DBInstance\n'
                    '  Tagged:\n    Type: AWS::RDS::DBInstance\n'
                    '    Metadata:\n      rlint-test: ["expect: RL101", "todo-ok: RL102 (known)"]\n'
                    '    Properties:\n      MultiAZ: !Ref Env\n')
    assert keys(path) == [("RL101", "Quoted", "ok", 6, ""),
                          ("RL101", "Tagged", "expect", 9, ""),
                          ("RL102", "Tagged", "todo-ok", 9, "(known)")]


def test_a_yaml_annotation_above_a_property_is_an_error(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    # expect: RL101\n    Properties: {}\n')
    with pytest.raises(AnnotationError):
        read(path)


def test_json_annotations_come_from_metadata(tmp_path):
    path = tmp_path / "template.json"
    path.write_text(json.dumps({"Resources": {
        "Db": {"Type": "AWS::RDS::DBInstance", "Metadata": {"rlint-test": "expect-unknown: RL101 (import)"}},
        "Other": {"Type": "AWS::SQS::Queue", "Metadata": {"rlint-test": ["ok: RL501", "ok: RL502"]}},
        "Plain": {"Type": "AWS::SQS::Queue"}}}, indent=2))
    assert keys(path) == [("RL101", "Db", "expect-unknown", 3, "(import)"),
                          ("RL501", "Other", "ok", 9, ""), ("RL502", "Other", "ok", 9, "")]
    path.write_text(json.dumps({"Resources": {"Db": {"Metadata": {"rlint-test": "expects RL101"}}}}))
    with pytest.raises(AnnotationError):
        read(path)


def test_invalid_on_purpose_is_a_file_level_annotation(tmp_path):
    tf = tmp_path / "main.tf"
    tf.write_text('# rlint-test: invalid -- a resource without its required arguments\nresource "a" "b" {}\n')
    assert invalid_reason(tf) == "a resource without its required arguments"
    cfn = tmp_path / "template.json"
    cfn.write_text(json.dumps({"Metadata": {"rlint-test": "invalid -- no Resources"}}))
    assert invalid_reason(cfn) == "no Resources"
    cfn.write_text(json.dumps({"Resources": {}}))
    assert invalid_reason(cfn) is None


def test_every_fixture_and_example_reads_without_a_stray_annotation():
    files = [p for top in (FIXTURES, ROOT / "examples") for p in sorted(top.rglob("*")) if is_fixture(p)]
    assert len(files) > 200
    for path in files:
        read(path)  # raises AnnotationError naming the file and line

"""Broken, binary, empty, huge and hostile inputs: one RL001 per broken file, the rest analysed, no crash."""
from __future__ import annotations

import os

import pytest

from helpers import rows, run

ROW = ("file", "line", "rule", "resource")

pytestmark = pytest.mark.usefixtures("probe_catalogue")

GOOD_TF = 'resource "aws_db_instance" "good" {\n  engine   = "postgres"\n  multi_az = false\n}\n'
GOOD_CFN = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
            "    Properties:\n      Engine: postgres\n")



def test_mixed_directory_scans_to_completion(tmp_path):
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "main.tf").write_text(GOOD_TF)
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text('resource "aws_db_instance" "x" {\n  engine = "postgres"\n\n')
    (tmp_path / "stack.yaml").write_text(GOOD_CFN)
    (tmp_path / "bad.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Db: [unclosed\n")
    (tmp_path / "k8s.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "main.tf").write_text("")
    (tmp_path / "blob.json").write_bytes(b"\x00\x01\x02binary\xff")
    (tmp_path / "latin1.tf").write_bytes(b'# caf\xe9\nresource "aws_s3_bucket" "b" {}\n')
    result = run(tmp_path)
    assert rows(result, fields=ROW) == [
        ("bad.yaml", 4, "RL001", ""),
        ("blob.json", 1, "RL001", ""),
        ("broken/main.tf", 4, "RL001", ""),
        ("good/main.tf", 3, "RL101", "aws_db_instance.good"),
        ("latin1.tf", 1, "RL001", ""),
        ("stack.yaml", 3, "RL101", "Db"),
    ]


def test_duplicate_keys_are_a_parse_error_with_position(tmp_path):
    (tmp_path / "t.yaml").write_text(GOOD_CFN + "  Db:\n    Type: AWS::S3::Bucket\n")
    result = run(tmp_path)
    assert rows(result, fields=ROW) == [("t.yaml", 7, "RL001", "")]
    assert "duplicate key 'Db'" in result.findings[0].message


def test_duplicate_terraform_attribute(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "x" {\n  multi_az = true\n  multi_az = false\n}\n')
    result = run(tmp_path)
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("RL001", 3)]


def test_billion_laughs_is_refused(tmp_path):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines += ["Resources:", "  B:", "    Type: AWS::S3::Bucket", "    Properties: {Tags: *a8}"]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    result = run(tmp_path)
    assert [f.rule_id for f in result.findings] == ["RL001"]
    assert "alias bomb" in result.findings[0].message


def test_deep_nesting_does_not_crash(tmp_path):
    depth = 5000
    (tmp_path / "deep.json").write_text('{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": '
                                        '"AWS::S3::Bucket", "Properties": ' + "[" * depth + "]" * depth + "}}}")
    (tmp_path / "deep.tf").write_text("locals {\n  x = " + "[" * depth + "]" * depth + "\n}\n"
                                      'resource "aws_db_instance" "deep" {\n  engine   = "postgres"\n'
                                      "  multi_az = length(local.x) == 2\n}\n")
    result = run(tmp_path)
    # the JSON parser's limit is a position-bearing RL001; the deep HCL is read and its resource still judged
    assert sorted((f.rule_id, f.file, f.span.line, f.outcome.value, f.message) for f in result.findings) == [
        ("RL001", "deep.json", 1, "fail", "document is nested too deeply to read"),
        ("RL101", "deep.tf", 6, "unknown",
         "aws_db_instance.deep: `multi_az` cannot be decided (expression nested too deeply)"),
    ]


def test_recursive_locals_are_unknown_not_a_hang(tmp_path):
    (tmp_path / "main.tf").write_text('locals {\n  a = local.b\n  b = local.a\n}\n'
                                      'resource "aws_db_instance" "x" {\n  multi_az = local.a\n}\n')
    result = run(tmp_path)
    assert [(f.rule_id, f.outcome.value) for f in result.findings] == [("RL101", "unknown")]


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_loop_and_dangling_link(tmp_path):
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "self").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "main.tf").write_text(GOOD_TF)
    result = run(tmp_path)
    assert rows(result, fields=ROW) == [("dangling.yaml", 1, "RL001", ""), ("main.tf", 3, "RL101", "aws_db_instance.good")]


def test_huge_file_is_reported_not_read(tmp_path, monkeypatch):
    import rlint.discover as discover

    monkeypatch.setattr(discover, "MAX_FILE_BYTES", 1 << 20)
    with open(tmp_path / "big.yaml", "w") as fh:
        fh.write(GOOD_CFN)
        fh.truncate(3 << 20)  # sparse: 3 MB on paper
    (tmp_path / "at_limit.yaml").write_text(GOOD_CFN + "#" * ((1 << 20) - len(GOOD_CFN) - 1) + "\n")
    result = run(tmp_path)
    assert rows(result, fields=ROW) == [("at_limit.yaml", 3, "RL101", "Db"), ("big.yaml", 1, "RL001", "")]
    [too_big] = [f for f in result.findings if f.rule_id == "RL001"]
    assert too_big.message == "file is 3 MB, over the 1 MB limit"  # a file at the limit is read


def test_bom_and_crlf_and_tabs_in_json(tmp_path):
    (tmp_path / "crlf.yaml").write_bytes(("\ufeff" + GOOD_CFN).replace("\n", "\r\n").encode())
    (tmp_path / "tabs.json").write_text('{\n\t"Resources": {\n\t\t"Db": {\n\t\t\t"Type": "AWS::RDS::DBInstance",\n'
                                        '\t\t\t"Properties": {"Engine": "mysql"}\n\t\t}\n\t}\n}\n')
    result = run(tmp_path)
    assert rows(result, fields=ROW) == [("crlf.yaml", 3, "RL101", "Db"), ("tabs.json", 3, "RL101", "Db")]

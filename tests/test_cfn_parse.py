"""CloudFormation reading details: positions, YAML features other tools trip on, hostile documents."""
from __future__ import annotations

import pytest

from rlint.model import Span
from rlint.parsers.cloudformation import CfnParseError, parse_cloudformation

from helpers import run


def problem(text: str):
    with pytest.raises(CfnParseError) as exc:
        parse_cloudformation(text, "t.yaml")
    return exc.value.problem


def test_short_tags_become_long_forms_with_positions():
    doc = parse_cloudformation("Resources:\n  A:\n    Type: X\n    Properties:\n      P: !GetAtt B.Endpoint.Address\n"
                               "      Q: !Sub '${B.Arn}'\n      R: !GetAZs\n", "t.yaml")
    props = doc.value["Resources"]["A"]["Properties"]
    assert props == {"P": {"Fn::GetAtt": ["B", "Endpoint.Address"]}, "Q": {"Fn::Sub": "${B.Arn}"},
                     "R": {"Fn::GetAZs": ""}}
    assert doc.spans[("Resources", "A", "Properties", "Q")] == Span("t.yaml", 6, 7, 6, 25)
    assert doc.key_spans[("Resources", "A")] == Span("t.yaml", 2, 3, 2, 4)


def test_anchor_alias_and_merge_key():
    doc = parse_cloudformation("base: &b {Engine: postgres, MultiAZ: false}\nDb:\n  <<: *b\n  MultiAZ: true\n",
                               "t.yaml")
    assert doc.value["Db"] == {"Engine": "postgres", "MultiAZ": True}
    assert doc.spans[("Db", "MultiAZ")] == Span("t.yaml", 4, 3, 4, 16)
    assert doc.spans[("Db", "Engine")] == Span("t.yaml", 3, 3, 3, 5)  # the `<<` that brought it in


def test_merge_key_list_first_mapping_wins():
    doc = parse_cloudformation("a: &a {k: 1}\nb: &b {k: 2, j: 3}\nc:\n  <<: [*a, *b]\n", "t.yaml")
    assert doc.value["c"] == {"k": 1, "j": 3}


def test_duplicate_key_is_a_positioned_problem():
    p = problem("Resources:\n  A:\n    Type: X\n  A:\n    Type: Y\n")
    assert p.message == "duplicate key 'A'"
    assert p.span == Span("t.yaml", 4, 3, 4, 4)


def test_duplicate_key_in_json():
    with pytest.raises(CfnParseError) as exc:
        parse_cloudformation('{\n  "Resources": {\n    "A": {},\n    "A": {}\n  }\n}\n', "t.json")
    assert exc.value.problem.span == Span("t.json", 4, 5, 4, 8)


def test_tabs_in_json_keep_columns():
    doc = parse_cloudformation('{\n\t"Resources": {\n\t\t"A": {"Type": "AWS::SQS::Queue"}\n\t}\n}\n', "t.json")
    assert doc.value == {"Resources": {"A": {"Type": "AWS::SQS::Queue"}}}
    assert doc.key_spans[("Resources", "A")] == Span("t.json", 3, 3, 3, 6)


def test_binary_scalar_kept_as_text():
    doc = parse_cloudformation("Resources:\n  A:\n    Type: X\n    Properties:\n      Blob: !!binary aGVsbG8=\n",
                               "t.yaml")
    assert doc.value["Resources"]["A"]["Properties"]["Blob"] == "aGVsbG8="


def test_multi_document_reads_the_first_and_counts_the_rest():
    doc = parse_cloudformation("Resources: {}\n---\nfoo: 1\n---\nbar: 2\n", "t.yaml")
    assert doc.value == {"Resources": {}}
    assert doc.extra_documents == 2


def test_very_deep_document_is_a_problem_not_a_crash():
    p = problem("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert p.message == "document is nested too deeply to read"
    p = problem("{" + '"a":{' * 3000 + "1" + "}" * 3000 + "}")
    assert p.message == "document is nested too deeply to read"


def test_alias_bomb_is_refused():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    p = problem("\n".join(lines) + "\n")
    assert "alias bomb" in p.message


def test_very_long_document(tmp_path):
    body = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:"]
    for i in range(3000):
        body += [f"  Q{i}:", "    Type: AWS::SNS::Topic", "    Properties:", f"      TopicName: t{i}"]
    (tmp_path / "big.yaml").write_text("\n".join(body) + "\n")
    result = run(tmp_path)
    assert result.resources == 3000
    assert not [f for f in result.findings if f.rule_id in ("RL001", "RL002")]


def test_bom_and_crlf_keep_positions(tmp_path):
    text = ("AWSTemplateFormatVersion: '2010-09-09'\r\nResources:\r\n  Db:\r\n    Type: AWS::RDS::DBInstance\r\n"
            "    Properties:\r\n      Engine: postgres\r\n      MultiAZ: false\r\n")
    (tmp_path / "t.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())
    result = run(tmp_path, select=("RL101",))
    [f] = result.findings
    assert (f.rule_id, f.span.line, f.span.column) == ("RL101", 7, 7)


def test_syntax_error_position():
    p = problem("Resources:\n  A: [1, 2\n  B: 3\n")
    assert p.span.line == 3 and p.message.startswith("YAML syntax error")


def test_json_syntax_error_position():
    with pytest.raises(CfnParseError) as exc:
        parse_cloudformation('{\n  "Resources": {\n    "A": 1\n    "B": 2\n  }\n}\n', "t.json")
    assert exc.value.problem.message.startswith("JSON syntax error")
    assert exc.value.problem.span.line == 4

"""Suppressions as design §7: inline comments (Terraform, YAML), Metadata (YAML, JSON), checkov skips,
RL003 for unknown rules or missing reasons, RL004 for suppressions that matched nothing."""
from __future__ import annotations

import pytest

from helpers import FIXTURES, run

pytestmark = pytest.mark.usefixtures("probe_catalogue")

SCENARIOS = FIXTURES / "scenarios"


def table(result):
    return {(f.file, f.span.line, f.rule_id, f.resource, f.suppressed.kind if f.suppressed else None,
             f.suppressed.reason if f.suppressed else None) for f in result.findings}


def test_terraform_inline_suppressions_and_engine_findings():
    result = run(SCENARIOS / "suppress_tf")
    assert table(result) == {
        ("main.tf", 2, "RL101", "aws_db_instance.above", "inline", "reporting replica, rebuilt from the warehouse"),
        ("main.tf", 7, "RL101", "aws_db_instance.inside", "inline", "dev database"),
        ("main.tf", 14, "RL101", "aws_db_instance.no_reason", "inline", ""),
        ("main.tf", 19, "RL003", "aws_db_instance.unknown_rule", None, None),
        ("main.tf", 20, "RL101", "aws_db_instance.unknown_rule", None, None),
        ("main.tf", 25, "RL004", "aws_db_instance.unused", None, None),
        ("main.tf", 33, "RL101", "aws_db_instance.checkov", "inline", "legacy database, migration planned"),
        ("main.tf", 38, "RL101", "aws_db_instance.plain", None, None),
    }


def test_require_reason_turns_a_bare_suppression_into_rl003():
    result = run(SCENARIOS / "suppress_tf", require_reason=True)
    rows = table(result)
    assert ("main.tf", 13, "RL003", "aws_db_instance.no_reason", None, None) in rows
    assert ("main.tf", 14, "RL101", "aws_db_instance.no_reason", None, None) in rows


def test_file_level_and_cloudformation_suppressions():
    result = run(SCENARIOS / "suppress")
    assert table(result) == {
        ("main.tf", 2, "RL101", "aws_db_instance.file_level", "inline", "sandbox account, rebuilt nightly"),
        ("template.yaml", 4, "RL101", "Above", "inline", "staging only"),
        ("template.yaml", 8, "RL101", "Meta", "metadata", "single-AZ by design, see ADR-12"),
        ("template.yaml", 17, "RL101", "Plain", None, None),
        ("template.json", 3, "RL101", "Short", "metadata", ""),
        ("template.json", 10, "RL004", "Unused", None, None),
    }


def test_suppressions_of_deselected_rules_are_not_reported_unused():
    result = run(SCENARIOS / "suppress_tf", select=("RL2",))
    assert {f.rule_id for f in result.findings} <= {"RL003"}


def test_engine_findings_cannot_be_suppressed(tmp_path):
    (tmp_path / "main.tf").write_text('# rlint:ignore RL001 -- try\nresource "aws_db_instance" "x" {\n  engine = \n')
    result = run(tmp_path)
    rl001 = [f for f in result.findings if f.rule_id == "RL001"]
    assert len(rl001) == 1 and rl001[0].suppressed is None

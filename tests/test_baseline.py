"""Baselines: keyed by the identity (rule, root, deployment, file, resource), immune to line moves; new findings still fail; stale entries shown."""
from __future__ import annotations

import json

import jsonschema
import pytest

from rlint.baseline import BaselineError, read
from helpers import invoke, report_schema

pytestmark = pytest.mark.usefixtures("probe_catalogue")

TWO_BAD = ('resource "aws_db_instance" "a" {\n  multi_az = false\n}\n\n'
           'resource "aws_db_instance" "b" {\n  engine = "postgres"\n}\n')



@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(TWO_BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_baseline_records_the_identity_and_exits_0(repo):
    result = invoke("scan", "infra", "--write-baseline", "rlint-baseline.json")
    assert result.exit_code == 0
    assert "baseline: wrote 2 entries to rlint-baseline.json" in result.output
    assert json.loads((repo / "rlint-baseline.json").read_text()) == {"version": 2, "findings": [
        {"rule_id": "RL101", "root": "infra", "deployment": None, "file": "infra/main.tf",
         "resource": "aws_db_instance.a"},
        {"rule_id": "RL101", "root": "infra", "deployment": None, "file": "infra/main.tf",
         "resource": "aws_db_instance.b"}]}


def test_baselined_findings_are_suppressed_even_after_lines_move(repo):
    invoke("scan", "infra", "--write-baseline", "base.json")
    (repo / "infra" / "main.tf").write_text("# a comment\n\n\n" + TWO_BAD.replace("false", "false # still"))
    result = invoke("scan", "infra", "--baseline", "base.json", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    assert [f["suppressed"] for f in report["findings"]] == [{"kind": "baseline", "reason": "in baseline base.json"}] * 2
    assert report["summary"]["baseline_stale"] == 0 and report["summary"]["suppressed"] == 2


def test_new_findings_fail_and_fixed_ones_are_stale(repo):
    invoke("scan", "infra", "--write-baseline", "base.json")
    (repo / "infra" / "main.tf").write_text(
        'resource "aws_db_instance" "a" {\n  multi_az = true\n}\n\n'
        'resource "aws_db_instance" "b" {\n  engine = "postgres"\n}\n\n'
        'resource "aws_db_instance" "c" {\n}\n')
    result = invoke("scan", "infra", "--baseline", "base.json", "--no-color")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("infra/main.tf:9:1  RL101 high  aws_db_instance.c runs in one Availability Zone")
    assert lines[-2] == ("baseline: 1 entry matches no finding any more (fixed or renamed): "
                         "RL101 aws_db_instance.a (infra/main.tf); refresh it with --write-baseline")
    assert lines[-1].startswith("1 finding (1 high) · 0 unknown · 1 suppressed")
    report = json.loads(invoke("scan", "infra", "--baseline", "base.json", "--format", "json").output)
    assert report["summary"]["baseline_stale"] == 1


def test_baseline_works_from_another_directory(repo, monkeypatch):
    invoke("scan", "infra", "--write-baseline", "base.json")
    monkeypatch.chdir(repo / "infra")
    assert invoke("scan", ".", "--baseline", "../base.json").exit_code == 0


def test_no_baseline_no_stale_key(repo):
    report = json.loads(invoke("scan", "infra", "--format", "json").output)
    assert "baseline_stale" not in report["summary"]


def test_engine_findings_are_never_baselined(repo):
    (repo / "infra" / "broken.tf").write_text('resource "aws_db_instance" {\n')
    invoke("scan", "infra", "--write-baseline", "base.json")
    entries = json.loads((repo / "base.json").read_text())["findings"]
    assert {e["rule_id"] for e in entries} == {"RL101"}
    assert invoke("scan", "infra", "--baseline", "base.json").exit_code == 1


def test_bad_baseline_files_exit_2(repo):
    assert invoke("scan", "infra", "--baseline", "missing.json").exit_code == 2
    (repo / "b.json").write_text("[]")
    result = invoke("scan", "infra", "--baseline", "b.json")
    assert result.exit_code == 2 and "not an rlint baseline" in result.output
    (repo / "b.json").write_text('{"version": 1, "findings": [{"rule_id": "RL101"}]}')
    with pytest.raises(BaselineError, match=r"findings\[0\] needs string rule_id, file and resource"):
        read(repo / "b.json")


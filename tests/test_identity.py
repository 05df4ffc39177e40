"""A finding's identity includes the root module (or template) it was evaluated in (design §3): two roots
calling one local module give two findings, two baseline entries, two SARIF fingerprints, two JUnit cases,
and a suppression on one root's module call leaves the other root's finding alone."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from helpers import invoke

pytestmark = pytest.mark.usefixtures("probe_catalogue")

SHARED_MODULE = ('variable "multi_az" {\n  type = bool\n}\n\n'
                 'resource "aws_db_instance" "this" {\n  engine   = "postgres"\n  multi_az = var.multi_az\n}\n')


def _call(multi_az: str) -> str:
    return f'module "db" {{\n  source   = "../modules/db"\n  multi_az = {multi_az}\n}}\n'


@pytest.fixture
def two_roots(tmp_path, monkeypatch):
    """staging/ and production/ call one local module (design §3: the root is part of the identity)."""
    for d in ("staging", "production", "modules/db"):
        (tmp_path / d).mkdir(parents=True)
    (tmp_path / "modules" / "db" / "main.tf").write_text(SHARED_MODULE)
    (tmp_path / "staging" / "main.tf").write_text(_call("false"))
    (tmp_path / "production" / "main.tf").write_text(_call("true"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_baseline_written_for_staging_does_not_hide_production(two_roots):
    result = invoke("scan", ".", "--write-baseline", "base.json")
    assert "baseline: wrote 1 entry to base.json" in result.output
    [entry] = json.loads((two_roots / "base.json").read_text())["findings"]
    assert entry == {"rule_id": "RL101", "root": "staging", "deployment": None, "file": "modules/db/main.tf",
                     "resource": "module.db.aws_db_instance.this"}
    (two_roots / "production" / "main.tf").write_text(_call("false"))  # production becomes single-AZ
    report = json.loads(invoke("scan", ".", "--baseline", "base.json", "--format", "json").output)
    assert [(f["root"], f["suppressed"] is None) for f in report["findings"]] == [("production", True),
                                                                                   ("staging", False)]
    assert invoke("scan", ".", "--baseline", "base.json").exit_code == 1
    invoke("scan", ".", "--write-baseline", "base.json")
    assert len(json.loads((two_roots / "base.json").read_text())["findings"]) == 2


def test_a_version_1_baseline_still_matches_in_every_root(two_roots):
    (two_roots / "production" / "main.tf").write_text(_call("false"))
    (two_roots / "old.json").write_text(json.dumps({"version": 1, "findings": [
        {"rule_id": "RL101", "file": "modules/db/main.tf", "resource": "module.db.aws_db_instance.this"},
        {"rule_id": "RL101", "file": "modules/db/main.tf", "resource": "module.db.aws_db_instance.gone"}]}))
    result = invoke("scan", ".", "--baseline", "old.json", "--no-color")
    assert result.exit_code == 0
    assert "old.json is version 1 (no root modules): each entry matches its finding in every root" in result.output
    assert "baseline: 1 entry matches no finding any more (fixed or renamed): RL101 " \
           "module.db.aws_db_instance.gone (modules/db/main.tf)" in result.output
    assert "0 findings · 0 unknown · 2 suppressed" in result.output


def test_two_roots_give_two_findings_with_their_roots_in_every_format(two_roots):
    (two_roots / "production" / "main.tf").write_text(_call("false"))
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    # the value comes from each root's module argument: the finding is shown there (issue 20), its identity
    # (baselines, fingerprints) keeps to the module file that declares the resource
    assert [(f["rule_id"], f["root"], f["deployment"], f["file"], f["line"], f["resource"])
            for f in report["findings"]] == [
        ("RL101", "production", None, "production/main.tf", 3, "module.db.aws_db_instance.this"),
        ("RL101", "staging", None, "staging/main.tf", 3, "module.db.aws_db_instance.this")]
    text = invoke("scan", ".", "--no-color").output.splitlines()
    assert [line for line in text if line.startswith("    root:")] == ["    root: production", "    root: staging"]
    sarif = json.loads(invoke("scan", ".", "--format", "sarif").output)["runs"][0]["results"]
    prints = {r["partialFingerprints"]["rlintFinding/v1"] for r in sarif}
    assert len(prints) == 2
    assert [r["properties"]["root"] for r in sarif] == ["production", "staging"]
    junit = ET.fromstring(invoke("scan", ".", "--format", "junit").output)
    assert sorted(c.get("name") for c in junit.iter("testcase")) == [
        "module.db.aws_db_instance.this [root production]", "module.db.aws_db_instance.this [root staging]"]


def test_a_root_module_finding_keeps_its_fingerprint_and_shows_no_root_line(tmp_path, monkeypatch):
    """A root its file implies adds nothing: fingerprints written before roots were in the identity stay valid."""
    import hashlib

    (tmp_path / "db.tf").write_text('resource "aws_db_instance" "x" {\n  multi_az = false\n}\n')
    monkeypatch.chdir(tmp_path)
    [result] = json.loads(invoke("scan", ".", "--format", "sarif").output)["runs"][0]["results"]
    old = hashlib.sha256("\0".join(("RL101", "db.tf", "aws_db_instance.x")).encode()).hexdigest()
    assert result["partialFingerprints"]["rlintFinding/v1"] == old
    assert "root:" not in invoke("scan", ".", "--no-color").output
    assert json.loads(invoke("scan", ".", "--format", "json").output)["findings"][0]["root"] == "."


def test_a_suppression_on_one_roots_module_call_covers_that_root_only(two_roots):
    (two_roots / "production" / "main.tf").write_text(_call("false"))
    (two_roots / "staging" / "main.tf").write_text("# rlint:ignore RL101 -- staging is single-AZ on purpose\n"
                                                   + _call("false"))
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    assert [(f["root"], f["suppressed"]) for f in report["findings"]] == [
        ("production", None), ("staging", {"kind": "inline", "reason": "staging is single-AZ on purpose"})]
    (two_roots / "staging" / "main.tf").write_text(_call("true").replace(
        "  multi_az", "  # rlint:ignore RL101 -- nothing to suppress\n  multi_az"))
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    [unused] = [f for f in report["findings"] if f["rule_id"] == "RL004"]
    assert (unused["file"], unused["line"], unused["resource"], unused["root"]) == (
        "staging/main.tf", 3, "module.db", "staging")
    assert unused["message"] == "suppression of RL101 on module.db matched no finding"

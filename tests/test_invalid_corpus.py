"""Deliberately invalid Terraform and CloudFormation (tests/invalid_corpus, kept apart from tests/fixtures, whose
every directory the fix and engine harnesses judge as valid input): defaults referring to modules and
resources, cycles, duplicate blocks and keys, unknown block types, self-referencing locals, nested stacks that
include themselves. No traceback, ever: every case scans to a report, and what the engines would refuse is an
RL001 finding with a position. An exception inside one unit is a finding for that unit; the others still scan."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, invoke, run
from rlint.model import Outcome

INVALID = ROOT / "tests" / "invalid_corpus"
CASES = sorted([*(p for p in (INVALID / "terraform").iterdir() if p.is_dir()),
                *(INVALID / "cloudformation").iterdir()])
INTERNAL = "rlint could not evaluate"


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_invalid_case_scans_without_a_traceback_or_an_internal_error(case):
    result = invoke("scan", case, "--format", "json", "--fail-on", "never")  # exceptions propagate here
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    internal = [f["message"] for f in report["findings"] if INTERNAL in f["message"]]
    assert internal == [], internal


def test_the_whole_corpus_in_one_process_run():
    proc = subprocess.run([sys.executable, "-m", "rlint.cli", "scan", str(INVALID), "--format", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert json.loads(proc.stdout)["summary"]["files"] > 10


def _rl001(path) -> list:
    result = run(path)
    return sorted((f.file, f.span.line, f.message) for f in result.findings if f.rule_id == "RL001")


def test_a_default_that_refers_to_a_module_is_rl001_at_the_default():
    assert _rl001(INVALID / "terraform" / "default_refs_module") == [
        ("main.tf", 7, "variable 'multi_az': a default must be a literal value (module is not allowed here); "
                       "Terraform refuses it")]
    found = _rl001(INVALID / "terraform" / "default_refs_resource")
    assert [(line, msg.split(":")[0]) for _f, line, msg in found] == [(3, "variable 'bucket'"), (7, "variable 'az'")]


def test_undefined_references_cycles_and_trailing_commas_are_rl001_with_positions():
    unresolved = "CloudFormation rejects the template (unresolved dependency)"
    found = _rl001(INVALID / "cloudformation" / "cycles.yaml")
    assert [(line, msg) for _f, line, msg in found] == [
        (9, "circular dependency between conditions A -> B -> A: CloudFormation rejects the template"),
        (11, "circular dependency between conditions Self -> Self: CloudFormation rejects the template"),
        (13, "circular dependency between resources Db -> Other -> Db: CloudFormation rejects the template"),
        (19, f"Ref to undefined parameter or resource 'Missing': {unresolved}"),
        (20, f"Fn::GetAtt to undefined resource 'Nowhere': {unresolved}"),
        (25, f"Fn::If names undefined condition 'Undefined': {unresolved}")]
    [(_f, line, msg)] = _rl001(INVALID / "cloudformation" / "not_json.json")
    assert line == 5 and msg.startswith("JSON syntax error: ")


def test_duplicate_and_unknown_blocks_are_rl001_at_the_block():
    assert [(f, line, msg) for f, line, msg in _rl001(INVALID / "terraform" / "duplicates")] == [
        ("main.tf", 6, "duplicate variable 'x': already declared at main.tf:2"),
        ("main.tf", 14, "duplicate resource 'aws_db_instance.db': already declared at main.tf:10"),
        ("main.tf", 22, "duplicate output 'o': already declared at main.tf:18"),
        ("second.tf", 2, "duplicate local value 'a': already declared at main.tf:26"),
        ("second.tf", 6, "duplicate variable 'x': already declared at main.tf:2")]
    found = _rl001(INVALID / "terraform" / "unknown_blocks")
    assert [(line, msg.split(";")[0]) for _f, line, msg in found] == [
        (2, "unsupported block type 'resourse'"), (10, "a resource block takes 2 labels, not 1"),
        (14, "a data block takes 2 labels, not 0"), (17, "a locals block takes 0 labels, not 1")]


def test_override_files_may_declare_again(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = false\n}\n')
    (tmp_path / "db_override.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = true\n}\n')
    assert _rl001(tmp_path) == []


def test_an_exception_in_one_unit_is_a_finding_and_the_scan_goes_on(tmp_path, monkeypatch):
    import rlint.evaluate.cloudformation as cfn

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = false\n}\n')
    (tmp_path / "t.yaml").write_text("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n")

    def boom(self):
        raise KeyError("surprise")

    monkeypatch.setattr(cfn.TemplateEvaluator, "evaluate_resources", boom)
    result = run(tmp_path)
    [broken] = [f for f in result.findings if f.rule_id == "RL001"]
    assert (broken.file, broken.span.line, broken.outcome) == ("t.yaml", 1, Outcome.FAIL)
    assert broken.message.startswith("rlint could not evaluate this template (KeyError: 'surprise')")
    assert any(f.rule_id == "RL101" and f.file == "a/main.tf" for f in result.findings)


def test_a_quoted_argument_name_is_rl001_where_terraform_puts_it():
    # Terraform 1.11 `validate`: "Invalid argument name: Argument names must not be quoted." at 10:5
    result = run(INVALID / "terraform" / "quoted_argument")
    found = [(f.span.line, f.span.column, f.span.end_column, f.message) for f in result.findings
             if f.rule_id == "RL001"]
    assert found == [(10, 5, 29, 'HCL syntax error: argument names must not be quoted ("method.request.path.id" '
                                 '= ...): Terraform 0.11 wrote a map as a block with quoted keys, Terraform 0.12 '
                                 'and later refuse it; write `request_parameters = { ... }`, the keys inside the '
                                 'map')]


def test_a_second_backend_or_provider_configuration_is_rl001_where_terraform_puts_it():
    # Terraform 1.11 `validate` on this directory: "Duplicate backend configuration" at second.tf:3 (the backend
    # block), "Duplicate provider configuration" at second.tf:8 and :12; the override file configures both again
    # and is merged, and a provider with its own alias is another configuration
    found = _rl001(INVALID / "terraform" / "duplicate_configurations")
    assert found == [
        ("second.tf", 3, "a second backend configuration: a module has only one, and its backend is already "
                         "configured at main.tf:3"),
        ("second.tf", 8, "duplicate provider configuration 'aws': a default (non-aliased) one is already given at "
                         "main.tf:10; give the others an `alias`"),
        ("second.tf", 12, "duplicate provider configuration 'aws' with alias 'replica': already given at "
                          "main.tf:14; each configuration of one provider needs its own alias")]

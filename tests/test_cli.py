"""The command line end to end: exit codes, the JSON report against its schema, rules and explain."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from helpers import FIXTURES, ROOT, invoke, report_schema

pytestmark = pytest.mark.usefixtures("probe_catalogue")

EXAMPLES = ROOT / "examples"




def test_examples_fail_with_exit_1_and_a_valid_json_report(monkeypatch):
    monkeypatch.chdir(ROOT)  # paths in the report are relative to the working directory
    result = invoke("scan", "examples", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    assert {k: report["summary"][k] for k in ("fail", "unknown", "suppressed")} == {"fail": 2, "unknown": 0,
                                                                                    "suppressed": 0}
    assert [(f["rule_id"], f["file"], f["line"], f["resource"], f["root"]) for f in report["findings"]] == [
        ("RL101", "examples/orders-cloudformation/orders.yaml", 49, "ReportingDb",
         "examples/orders-cloudformation/orders.yaml"),
        ("RL101", "examples/web-tier-terraform/variables.tf", 27, "aws_db_instance.orders",
         "examples/web-tier-terraform"),  # where var.db_multi_az is set (its default), which the fix changes
    ]


def test_clean_example_exits_0():
    result = invoke("scan", str(EXAMPLES / "clean-terraform"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 findings · 0 unknown · 0 suppressed")


def test_fail_on_threshold_and_never(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "x" {\n  engine = "postgres"\n}\n')
    assert invoke("scan", str(tmp_path), "--fail-on", "high").exit_code == 1
    assert invoke("scan", str(tmp_path), "--fail-on", "never").exit_code == 0
    assert invoke("scan", str(tmp_path), "--ignore", "RL101").exit_code == 0
    assert invoke("scan", str(tmp_path), "--select", "rds-single-az").exit_code == 1
    assert invoke("scan", str(tmp_path), "--select", "RL004").exit_code == 0  # another rule (the probe has RL101)


def test_unknown_fails_only_with_strict(tmp_path):
    (tmp_path / "main.tf").write_text('variable "ha" {}\nresource "aws_db_instance" "x" {\n  multi_az = var.ha\n}\n')
    plain = invoke("scan", str(tmp_path))
    assert plain.exit_code == 0 and "1 unknown" in plain.output and "RL101" not in plain.output
    shown = invoke("scan", str(tmp_path), "--show-unknown")
    assert "RL101 unknown" in shown.output
    assert invoke("scan", str(tmp_path), "--strict").exit_code == 1
    assert invoke("scan", str(tmp_path), "--var", "ha=true").exit_code == 0
    assert invoke("scan", str(tmp_path), "--var", "ha=false").exit_code == 1


def test_var_file_and_parameter(tmp_path):
    (tmp_path / "main.tf").write_text('variable "ha" {\n  type = bool\n}\n'
                                      'resource "aws_db_instance" "x" {\n  multi_az = var.ha\n}\n')
    (tmp_path / "prod.tfvars").write_text("ha = true\n")
    assert invoke("scan", str(tmp_path / "main.tf"), "--var-file", str(tmp_path / "prod.tfvars")).exit_code == 0
    template = FIXTURES / "rules" / "RL101" / "template.yaml"
    out = invoke("scan", str(template), "--parameter", "HighlyAvailable=true", "--format", "json", "--select", "RL101")
    report = json.loads(out.output)
    by_outcome = {(f["resource"], f["outcome"]) for f in report["findings"]}
    # ByCondition: single-AZ only in the deployments where Env is not prod (a scenario of the template)
    assert by_outcome == {("Missing", "fail"), ("ExplicitFalse", "fail"), ("EngineByCondition", "unknown"),
                          ("ByCondition", "unknown")}


def test_text_report_shows_position_rule_severity_and_fix(tmp_path, monkeypatch):
    (tmp_path / "db.tf").write_text('resource "aws_db_instance" "orders" {\n  engine   = "postgres"\n'
                                    '  multi_az = false\n}\n')
    monkeypatch.chdir(tmp_path)
    out = invoke("scan", ".", "--no-color").output
    lines = out.splitlines()
    assert lines[0].startswith("db.tf:3:3  RL101 high  aws_db_instance.orders runs in one Availability Zone")
    assert lines[1].startswith("    fix: Set `multi_az` to true")
    # the fix is the change: the changed lines with their numbers and a line of context (tests/test_text_report.py)
    assert lines[2:6] == ['    2     engine   = "postgres"', "    3 -   multi_az = false", "      +   multi_az = true",
                          "    4   }"]
    assert lines[-1].startswith("1 finding (1 high) · 0 unknown · 0 suppressed · 1 file, 1 resource in ")
    assert "\033[" not in out


def test_output_file_and_quiet(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "x" {}\n')
    target = tmp_path / "report.json"
    result = invoke("scan", str(tmp_path), "--format", "json", "--output", str(target))
    assert result.stdout == "" and result.exit_code == 1  # the summary goes to stderr (test_cli_inputs)
    assert json.loads(target.read_text())["summary"]["fail"] == 1
    quiet = invoke("scan", str(tmp_path), "--quiet")
    assert len(quiet.output.splitlines()) == 1


def test_usage_errors_exit_2(tmp_path):
    assert invoke("scan", str(tmp_path / "missing")).exit_code == 2
    assert invoke("scan", str(tmp_path), "--var", "novalue").exit_code == 2
    assert invoke("explain", "RL999").exit_code == 2
    (tmp_path / ".rlint.yaml").write_text("fail_onn: high\n")
    bad = invoke("scan", str(tmp_path))
    assert bad.exit_code == 2 and "fail_onn" in bad.output


def test_rules_lists_the_catalogue_and_explain_renders():
    listing = json.loads(invoke("rules", "--format", "json").output)
    ids = [r["id"] for r in listing]
    assert ids[:4] == ["RL001", "RL002", "RL003", "RL004"] and "RL101" in ids
    # each rule's catalogue entry states its fix safety: the first paragraph of its "Fix safety" section, one line
    [rl101] = [r for r in listing if r["id"] == "RL101"]
    assert rl101["fix"].startswith("Needs review: a Multi-AZ standby doubles the instance cost. The conversion "
                                   "happens in place") and "\n" not in rl101["fix"]
    assert rl101["fix"].endswith("Do not also set `availability_zone` (RL113).")
    text = invoke("explain", "rds-single-az").output
    assert text.startswith("# RL101 rds-single-az (high, terraform, cloudformation)")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert section in text


def test_console_script_runs_as_a_process():
    proc = subprocess.run([sys.executable, "-m", "rlint.cli", "scan", str(EXAMPLES / "clean-terraform")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_program_ends_without_teardown_but_with_its_output_exit_code_and_exit_functions(tmp_path):
    """Run as the program, rlint leaves through process_exit.leave: the report written to a pipe is whole, the
    exit code is the scan's, and exit functions still run (their output comes after the report)."""
    program = ("import atexit, sys\n"
               "atexit.register(lambda: print('exit functions ran'))\n"
               "sys.argv = ['rlint'] + sys.argv[1:]\n"
               "from rlint.cli import main\n"
               "main()\n"
               "print('not reached')\n")
    proc = subprocess.run([sys.executable, "-c", program, "scan", str(EXAMPLES / "web-tier-terraform"), "--format",
                           "json"], capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    report, ran = proc.stdout[:-len("exit functions ran\n")], proc.stdout[-len("exit functions ran\n"):]
    assert json.loads(report)["summary"]["fail"] == 5 and ran == "exit functions ran\n"
    usage = subprocess.run([sys.executable, "-c", program, "scan", "--format", "nope"], capture_output=True, text=True)
    assert usage.returncode == 2 and "'nope' is not one of" in usage.stderr
    assert usage.stdout == "exit functions ran\n"


def test_called_with_arguments_the_group_raises_systemexit_as_click_does():
    from rlint.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["scan", str(EXAMPLES / "clean-terraform"), "--quiet"])
    assert exc.value.code == 0


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_broken_input_is_rl001_exit_1(tmp_path, fmt):
    (tmp_path / "bad.tf").write_text("resource {{{\n")
    result = invoke("scan", str(tmp_path), "--format", fmt)
    assert result.exit_code == 1 and "RL001" in result.output

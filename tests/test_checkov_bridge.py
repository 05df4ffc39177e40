"""rlint inside checkov, end to end: the real checkov, loading `rlint checkov-dir`, reports exactly rlint's
findings (resource, rule, pass/fail) on the examples and on every rule's fixtures.

checkov lives in its own environment (it pins bc-python-hcl2, whose import name `hcl2` clashes with
rlint's python-hcl2). The test uses $RLINT_CHECKOV, else ./.venv-checkov, and under CI (CI=true or
RLINT_REQUIRE_ENGINES=1, as .ci/run sets) builds that environment itself and fails if it cannot; elsewhere
it is skipped with the reason (build it with `python3 -m venv .venv-checkov && .venv-checkov/bin/pip install
checkov==3.3.30` to run it locally).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

import engines
from helpers import FIXTURES, ROOT

CHECKOV_VERSION = "3.3.30"
VENV = ROOT / ".venv-checkov"


def _checkov_executable():
    explicit = os.environ.get("RLINT_CHECKOV")
    if explicit:
        return explicit
    candidate = VENV / "bin" / "checkov"
    if candidate.exists():
        return str(candidate)
    if engines.engines_required():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        build = subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"checkov=={CHECKOV_VERSION}"],
                               capture_output=True, text=True)
        if build.returncode != 0:
            pytest.fail(f"CI runs the checkov tests, but installing checkov=={CHECKOV_VERSION} failed:\n"
                        f"{build.stderr[-2000:]}", pytrace=False)
        return str(candidate)
    return None


@pytest.fixture(scope="module")
def checkov(tmp_path_factory):
    exe = _checkov_executable()
    if exe is None:
        pytest.skip("checkov is not installed: set RLINT_CHECKOV=/path/to/checkov (or run with CI=true to build "
                    f"{VENV.name} with checkov=={CHECKOV_VERSION})")
    checks = tmp_path_factory.mktemp("rlint-checkov")
    subprocess.run([sys.executable, "-m", "rlint.cli", "checkov-dir", "--output", str(checks)], check=True,
                   capture_output=True)
    return exe, checks


def _checkov_results(exe, checks, directory) -> set:
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="ERROR")
    proc = subprocess.run([exe, "-d", str(directory), "--external-checks-dir", str(checks), "--framework",
                           "terraform", "cloudformation", "-o", "json", "--skip-download",
                           ], capture_output=True, text=True, env=env, cwd=directory)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    reports = json.loads(proc.stdout)
    out = set()
    for report in reports if isinstance(reports, list) else [reports]:
        for kind, result in (("failed_checks", "fail"), ("skipped_checks", "suppressed")):
            for c in report.get("results", {}).get(kind, []):
                if not c["check_id"].startswith("CKV_RLINT_"):
                    continue
                resource = c["resource"]
                if report["check_type"] == "cloudformation":
                    resource = resource.split(".", 1)[1]  # "AWS::RDS::DBInstance.Db" -> "Db"
                resource = re.sub(r"\[[^\[\]]*\]$", "", resource)
                out.add((c["file_path"].lstrip("/"), resource, "RL" + c["check_id"].rsplit("_", 1)[1], result))
    return out


def _rlint_results(directory) -> set:
    proc = subprocess.run([sys.executable, "-m", "rlint.cli", "scan", ".", "--format", "json", "--fail-on", "never"],
                          capture_output=True, text=True, cwd=directory)
    report = json.loads(proc.stdout)
    out = set()
    for f in report["findings"]:
        if f["rule_id"].startswith("RL0") or f["outcome"] != "fail":
            continue
        resource = re.sub(r"\[[^\[\]]*\]$", "", f["resource"])
        # checkov names the file that declares the resource; a Terraform finding whose value is written
        # elsewhere (a variable default) sits there, and its provenance starts at the resource's attribute
        where = f["provenance"][0]["file"] if f.get("provenance") else f["file"]
        out.add((where, resource, f["rule_id"], "suppressed" if f["suppressed"] else "fail"))
        # a finding that stands for several resources of one deployment (RL703) fails each in checkov
        out.update((c["file"], re.sub(r"\[[^\[\]]*\]$", "", c["resource"]), f["rule_id"], "fail")
                   for c in f.get("covers", [])[1:])
    return out


@pytest.mark.parametrize("directory", [ROOT / "examples", FIXTURES / "rules", FIXTURES / "scenarios"],
                         ids=["examples", "rule-fixtures", "scenarios"])
def test_checkov_reports_exactly_rlints_findings(checkov, directory):
    exe, checks = checkov
    ours = _rlint_results(directory)
    theirs = _checkov_results(exe, checks, directory)
    # checkov only sees resources of the rule's own types in files it parses: compare on those
    assert ours, "no rlint findings to compare"
    assert theirs == ours


def _bridge(directory) -> dict:
    """The catalogue and interpreter `rlint checkov-dir` wrote into the checks module."""
    text = (directory / "rlint_checks.py").read_text()
    return json.loads(re.search(r'^_BRIDGE = json.loads\(r"""(.*?)"""\)', text, re.S | re.M).group(1))


def test_checks_dir_lists_one_check_per_rule_and_format(tmp_path):
    from rlint.checkov import checkov_id, write_checks_dir
    from rlint.rules import all_rules

    (tmp_path / "checks").mkdir()
    (tmp_path / "checks" / "rlint_bridge.json").write_text("{}")  # left by an earlier version
    target = write_checks_dir(tmp_path / "checks")
    # nothing checkov would read as a YAML/JSON policy ("Custom policy ... missing required fields")
    assert sorted(p.name for p in target.iterdir()) == ["__init__.py", "rlint_checks.py"]
    bridge = _bridge(target)
    assert bridge["python"] == sys.executable
    by_id = {c["id"]: c for c in bridge["checks"]}
    assert set(by_id) == {checkov_id(r.id) for r in all_rules()}
    assert checkov_id("RL101") == "CKV_RLINT_101"
    rl101 = by_id["CKV_RLINT_101"]
    assert rl101["terraform"] == ["aws_db_instance"] and rl101["cloudformation"] == ["AWS::RDS::DBInstance"]
    assert rl101["name"].startswith("RL101 rds-single-az: ")


# -- targets, runs and errors -------------------------------------------------------------------------------
MIXED_TF = 'resource "aws_db_instance" "tf_single" {\n  engine = "postgres"\n}\n'
MIXED_CFN = "Resources:\n  CfnSingle:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n"


@pytest.fixture
def counted(checkov, tmp_path):
    """A checks directory whose rlint runs are counted: the recorded interpreter is a wrapper that logs."""
    exe, checks = checkov
    log = tmp_path / "runs.log"
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    mine = tmp_path / "checks"
    mine.mkdir()
    (mine / "__init__.py").write_text("")
    text = (checks / "rlint_checks.py").read_text()
    (mine / "rlint_checks.py").write_text(text.replace(json.dumps(sys.executable), json.dumps(str(wrapper)), 1))
    return exe, mine, log


def _run_checkov(exe, cwd, *args):
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="WARNING")
    proc = subprocess.run([exe, *args, "-o", "json", "--skip-download"], capture_output=True, text=True, env=env,
                          cwd=cwd)
    reports = json.loads(proc.stdout) if proc.stdout.strip() else []
    rows = set()
    for report in reports if isinstance(reports, list) else [reports]:
        for kind in ("failed_checks", "passed_checks"):
            for c in report.get("results", {}).get(kind, []):
                if c["check_id"] == "CKV_RLINT_101":
                    rows.add((c["resource"].split(".")[-1], kind.split("_")[0], tuple(c.get("details") or ())))
    return proc, rows


def test_targets_from_a_config_file_and_files_outside_the_working_directory_run_rlint_once(counted, tmp_path):
    exe, checks, log = counted
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(MIXED_TF)
    (tmp_path / "infra" / "stack.yaml").write_text(MIXED_CFN)
    work = tmp_path / "work"
    work.mkdir()
    (work / "checkov.yaml").write_text(f"directory:\n  - ../infra\nframework:\n  - terraform\n  - cloudformation\n"
                                       f"external-checks-dir:\n  - {checks}\n")
    proc, rows = _run_checkov(exe, work, "--config-file", "checkov.yaml")
    assert rows == {("tf_single", "failed", ()), ("CfnSingle", "failed", ())}, proc.stderr[-3000:]
    assert log.read_text().splitlines() == ["run"]  # one rlint run for both frameworks
    assert "Custom policy" not in proc.stderr
    proc, rows = _run_checkov(exe, work, "-f", "../infra/stack.yaml", "--framework", "cloudformation",
                              "--external-checks-dir", str(checks))
    assert rows == {("CfnSingle", "failed", ())}, proc.stderr[-3000:]
    proc, rows = _run_checkov(exe, tmp_path, "-f", "infra/main.tf", "--framework", "terraform",
                              "--external-checks-dir", str(checks))
    assert rows == {("tf_single", "failed", ())}, proc.stderr[-3000:]


def test_when_rlint_cannot_run_every_rlint_check_fails_with_its_message(counted, tmp_path):
    exe, checks, _log = counted
    (tmp_path / "main.tf").write_text(MIXED_TF.replace('engine = "postgres"', "multi_az = true"))
    (tmp_path / ".rlint.yaml").write_text("fail_onn: high\n")
    proc, rows = _run_checkov(exe, tmp_path, "-d", ".", "--framework", "terraform", "--external-checks-dir",
                              str(checks))
    assert proc.returncode == 1
    [(resource, kind, details)] = rows
    assert (resource, kind) == ("tf_single", "failed")
    assert details[0].startswith("rlint could not run: rlint exited 2: ") and "fail_onn" in details[0]
    assert "ERROR rlint checks: rlint exited 2" in proc.stderr

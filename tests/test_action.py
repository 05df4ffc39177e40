"""The GitHub Action (action.yml, composite): its steps run here as a runner runs them, with the environment a
runner sets (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, the action's path) and the
`${{ inputs.* }}` and `${{ github.action_path }}` expressions filled in. The install step finds rlint already
in RUNNER_TEMP (as a cached runner would) instead of installing it again."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(inputs\.([\w-]+)|github\.action_path)\s*\}\}")


def run_action(tmp_path: Path, workspace: Path, **given) -> dict:
    """Run the action's steps in order; returns the step outcomes, outputs, exported env and the summary."""
    unknown = set(given) - set(ACTION["inputs"])
    assert not unknown, unknown
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given
    files = {name: tmp_path / name for name in ("env", "output", "summary", "path")}
    for f in files.values():
        f.write_text("")
    runner_temp = tmp_path / "runner-temp"
    installed = runner_temp / "rlint-venv" / "bin" / "rlint"
    if not installed.exists():
        installed.parent.mkdir(parents=True)
        installed.symlink_to(Path(sys.executable).parent / "rlint")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "RLINT"))}
    env.update(GITHUB_ENV=str(files["env"]), GITHUB_OUTPUT=str(files["output"]), GITHUB_PATH=str(files["path"]),
               GITHUB_STEP_SUMMARY=str(files["summary"]), GITHUB_ACTION_PATH=str(ROOT),
               GITHUB_WORKSPACE=str(workspace), RUNNER_TEMP=str(runner_temp), CI="true", GITHUB_ACTIONS="true")

    def fill(text: str) -> str:
        return EXPRESSION.sub(lambda m: inputs[m.group(2)] if m.group(2) else str(ROOT), text)

    logs, status = [], 0
    for step in ACTION["runs"]["steps"]:
        assert step["shell"] == "bash"
        step_env = dict(env, **{k: fill(str(v)) for k, v in step.get("env", {}).items()})
        script = tmp_path / "step.sh"
        script.write_text(fill(step["run"]))
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=step_env, capture_output=True, text=True)
        logs.append(proc.stdout + proc.stderr)
        # what a step appends to GITHUB_ENV is in the environment of the steps after it
        env.update(line.split("=", 1) for line in files["env"].read_text().splitlines() if "=" in line)
        status = proc.returncode
        if status:
            break
    outputs = dict(line.split("=", 1) for line in files["output"].read_text().splitlines() if "=" in line)
    return {"status": status, "log": "".join(logs), "outputs": outputs, "summary": files["summary"].read_text()}


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "repo" / "infra").mkdir(parents=True)
    (tmp_path / "repo" / "infra" / "db.tf").write_text('resource "aws_db_instance" "orders" {\n'
                                                       '  engine   = "postgres"\n  multi_az = false\n}\n')
    (tmp_path / "repo" / "docs").mkdir()
    return tmp_path / "repo"


def test_findings_fail_the_step_with_annotations_sarif_and_a_job_summary(tmp_path, workspace):
    ran = run_action(tmp_path, workspace, paths="infra\ndocs", **{"sarif-file": "rlint.sarif"})
    assert ran["status"] == 1
    assert ran["outputs"] == {"exit-code": "1", "sarif-file": "rlint.sarif"}
    assert "::error file=infra/db.tf,line=3,col=3," in ran["log"]
    assert "warning: nothing to scan in docs" in ran["log"]
    sarif = json.loads((workspace / "rlint.sarif").read_text())
    assert "RL101" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert ran["summary"].startswith("## rlint: ") and "**RL101** `rds-single-az` at `infra/db.tf:3:3`" in ran["summary"]


def test_inputs_reach_rlint(tmp_path, workspace):
    (workspace / "ci.yaml").write_text("ignore: [RL1, RL3, RL4, RL7]\n")
    ran = run_action(tmp_path, workspace, paths="infra", config="ci.yaml", format="text", summary="false")
    assert ran["status"] == 0, ran["log"]
    assert ran["outputs"] == {"exit-code": "0", "sarif-file": ""} and ran["summary"] == ""
    assert "0 findings" in ran["log"]
    ran = run_action(tmp_path, workspace, paths="infra", **{"fail-on": "never"})
    assert ran["status"] == 0 and "::error file=infra/db.tf" in ran["log"]


def test_a_configuration_error_fails_the_step_with_exit_2_and_no_report(tmp_path, workspace):
    (workspace / ".rlint.yaml").write_text("fail_onn: high\n")
    ran = run_action(tmp_path, workspace, paths="infra", **{"sarif-file": "rlint.sarif"})
    assert ran["status"] == 2 and "fail_onn" in ran["log"]
    assert ran["outputs"]["exit-code"] == "2" and ran["summary"] == ""
    assert not (workspace / "rlint.sarif").exists()


def test_the_install_step_exports_the_rlint_it_installed(tmp_path, workspace):
    ran = run_action(tmp_path, workspace, paths="infra", format="json", summary="false", **{"fail-on": "never"})
    assert ran["status"] == 0
    assert re.search(r"^rlint, version \d+\.\d+\.\d+$", ran["log"], re.M)
    assert json.loads(ran["log"][ran["log"].index("{"):])["summary"]["fail"] >= 1

"""The pre-commit hook end to end with the real `pre-commit` tool: it installs this checkout into its own
environment (slow the first time, about a minute), then fails on a bad module and passes on a good one.

Installing needs a package registry: without one (or without pre-commit) these tests skip with the reason,
and under CI (CI=true or RLINT_REQUIRE_ENGINES=1) they fail instead, so CI always runs them."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from helpers import ROOT, unavailable

BAD = 'resource "aws_db_instance" "orders" {\n  multi_az = false\n}\n'
GOOD = 'resource "aws_db_instance" "orders" {\n  multi_az = true\n}\n'
# a second file of the bad module: the hook is given only this one and must still see the whole module
BAD_VARS = 'variable "unused" {\n  default = 1\n}\n'


def test_hook_definition_matches_the_design():
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "rlint" and hook["entry"] == "rlint scan" and hook["language"] == "python"
    assert hook["require_serial"] is True
    files = re.compile(hook["files"])
    for name in ("main.tf", "x.tf.json", "t.yaml", "t.yml", "t.json", "t.template"):
        assert files.search(name), name
    for name in ("README.md", "main.tfvars", "x.py"):
        assert not files.search(name), name


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    repo = tmp_path_factory.mktemp("project")
    for name, text in {"bad/main.tf": BAD, "bad/variables.tf": BAD_VARS, "good/main.tf": GOOD,
                       "README.md": "# infra\n",
                       # the hook runs in a subprocess: pin the catalogue through the project's configuration
                       ".rlint.yaml": "select: [RL101]\n"}.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    env.pop("NO_COLOR", None)
    return repo, env


def try_repo(project, *files):
    """Start `pre-commit try-repo` (each run installs into a fresh store, so runs go in parallel)."""
    repo, env = project
    return subprocess.Popen([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "rlint", "--color", "never",
                             "--files", *files], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


# pre-commit's own failures (exit 3), such as installing the hook's environment without a registry; a hook
# that fails or crashes exits 1
PRE_COMMIT_ERROR = 3


@pytest.fixture(scope="module")
def runs(project):
    import importlib.util

    if importlib.util.find_spec("pre_commit") is None:
        unavailable("pre-commit is not installed (it is in the test extra: pip install -e '.[test]')")
    started = {"bad": try_repo(project, "bad/variables.tf"), "good": try_repo(project, "good/main.tf", "README.md")}
    outputs = {name: proc.communicate(timeout=900)[0] for name, proc in started.items()}
    for name, out in outputs.items():
        if started[name].returncode == PRE_COMMIT_ERROR and "Installing environment" in out:
            tail = " | ".join(line.strip() for line in out.strip().splitlines()[-3:])
            unavailable(f"pre-commit could not install the hook's environment (no package registry?): {tail}")
    return {name: (started[name].returncode, out) for name, out in outputs.items()}


def test_try_repo_fails_on_the_bad_module(runs):
    code, out = runs["bad"]
    assert code == 1, out
    assert re.search(r"^rlint\.+Failed$", out, re.M), out
    assert "bad/main.tf:2:3  RL101 high  aws_db_instance.orders runs in one Availability Zone" in out
    assert "1 finding (1 high)" in out


def test_try_repo_passes_on_the_good_module(runs):
    code, out = runs["good"]
    assert code == 0, out
    assert re.search(r"^rlint\.+Passed$", out, re.M), out

"""AWS Backup coverage asks only the selections that can select a resource; the answer must be the one of
asking every selection (the quadratic way), on the fixtures and on a generated corpus."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run
from rlint.rules.attrs.stateful import BACKUP_STATEFUL_TYPES
from rlint.rules.base import RuleContext
from rlint.rules.graphutil.backup import coverage, efs_automatic_backups, selections, t_or, target_of

ROOT = Path(__file__).resolve().parent.parent


def every_selection(ctx, res) -> tuple:
    t = target_of(ctx, res)
    answers = [efs_automatic_backups(ctx, res)]
    if answers[0] is True:
        return True, None
    for s in selections(ctx):
        a = s.selects(t)
        if a is True:
            return True, s
        answers.append(a)
    return t_or(answers), None


def assert_same_coverage(result) -> int:
    ctx = RuleContext(result.graph)
    checked = 0
    for res in result.graph.by_type(*BACKUP_STATEFUL_TYPES):
        covered, _sels, by = coverage(ctx, res)
        expected, expected_by = every_selection(ctx, res)
        assert (repr(covered), by) == (repr(expected), expected_by), res.address  # an Unknown's reason too
        checked += 1
    return checked


@pytest.mark.parametrize("fixture", sorted((ROOT / "tests/fixtures/rules").glob("RL3*")), ids=lambda p: p.name)
def test_backup_fixtures(fixture):
    assert_same_coverage(run(fixture)) > 0


def test_generated_corpus(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "benchmarks/generate.py"), "--modules", "40", "--templates", "40",
                    "--out", str(tmp_path)], check=True, capture_output=True)
    result = run(tmp_path)
    assert len(selections(RuleContext(result.graph))) > 10  # tag-based and reference-based selections
    assert assert_same_coverage(result) > 100

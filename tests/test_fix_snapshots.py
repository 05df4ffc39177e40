"""What `rlint fix --write --unsafe-fixes` (and `--generate`) writes for every fixture case, pinned by snapshots
(tests/fix_snapshots.py): a fix removed, or a value it writes changed, fails here until the snapshot is reviewed
and updated with `RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_fix_snapshots.py`."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fix_judge import GENERATED, chdir, fix_paths
from fix_snapshots import UNCHANGED, UPDATE, UPDATE_COMMAND, compare, fix_diffs, known_cases
from helpers import FIXTURES, ROOT, invoke, is_fixture

TESTS = FIXTURES.parent


def cases() -> list:
    """(case name, directory): every directory of tests/fixtures and examples/ that holds fixture files."""
    dirs = sorted({p.parent for top in (FIXTURES, ROOT / "examples") for p in top.rglob("*")
                   if (is_fixture(p) or p.name.endswith(".tf.json")) and ".terraform" not in p.parts})
    return [((d.relative_to(TESTS) if d.is_relative_to(TESTS) else d.relative_to(ROOT)).as_posix(), d) for d in dirs]


CASES = cases()


def fix_copy(source: Path, work: Path, generate: bool) -> dict:
    original, fixed = work / "original", work / "fixed"
    for target in (original, fixed):
        shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".terraform"))
    extra = ["--generate", GENERATED] if generate else []
    with chdir(fixed):
        invoke("fix", *fix_paths(source), "--write", "--unsafe-fixes", *extra)  # a crash raises
    return fix_diffs(original, fixed)


@pytest.mark.parametrize("case, directory", CASES, ids=[c for c, _ in CASES])
def test_fix_output_matches_its_snapshot(case, directory, tmp_path):
    written = fix_copy(directory, tmp_path / "write", generate=False)
    generated = fix_copy(directory, tmp_path / "generate", generate=True)
    problems = compare(case, "write", written)
    # --generate moves additions to a file of their own: stored where its text differs from the plain run's
    delta = {p: d for p, d in generated.items() if written.get(p) != d}
    delta.update({p: UNCHANGED for p in written if p not in generated})
    problems += compare(case, "generate", delta)
    assert not problems, "\n".join(problems) + f"\n(after review: {UPDATE_COMMAND})"


def test_no_snapshot_without_a_case():
    if UPDATE:
        import fix_snapshots

        for stale in known_cases() - {c for c, _ in CASES}:
            shutil.rmtree(fix_snapshots.SNAPSHOTS / stale)
    assert known_cases() <= {c for c, _ in CASES}, f"snapshots of cases that no longer exist: run {UPDATE_COMMAND}"


def test_snapshots_pin_the_fixes():
    """The snapshots hold what the fixes write, not nothing: RL507's fix writes six times the timeout."""
    import fix_snapshots

    assert len(known_cases()) > 50
    rl507 = fix_snapshots.stored("fixtures/rules/RL507", "write")
    assert any("+" in line and "720" in line for text in rl507.values() for line in text.splitlines()), rl507  # 6 x a 120 s function timeout

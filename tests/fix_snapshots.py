"""Fix snapshots: what `rlint fix` writes for each fixture case, stored under tests/snapshots/fix/ as a unified
diff per file and compared exactly, so any change to what a fix writes shows up as a reviewed change.

Layout: tests/snapshots/fix/<case>/<variant>/<path>.diff is the diff from the fixture's file to the fixed file,
for each file the fix changed or added, where <case> is a fixture directory relative to tests/ or the repository
(`fixtures/rules/RL507`, `examples/clean-terraform`) and <variant> is `write` (`rlint fix --write
--unsafe-fixes`) or `generate` (the same with `--generate rlint_generated.tf`: only the files whose diff differs
from `write`'s; a file `write` changes and `generate` leaves alone holds "(unchanged by the fix)"). A case the
fix leaves alone has no folder. Plain diff files, one per fixed file, small and readable in review.

After a deliberate change to a fix (or to a fixture), review and store the new diffs:

    RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_fix_snapshots.py

Other tests (the engine-judged fix tests) can call `fix_diffs` and `compare` with their own fix runs.
"""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "fix"
SUFFIX = ".diff"
UNCHANGED = "(unchanged by the fix)\n"
UPDATE = os.environ.get("RLINT_UPDATE_SNAPSHOTS") == "1"
UPDATE_COMMAND = "RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_fix_snapshots.py"


def _files(directory: Path) -> dict:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and ".terraform" not in p.parts}


def fix_diffs(original: Path, fixed: Path) -> dict:
    """{relative path: unified diff} of each file the fix changed, added or removed."""
    before, after = _files(original), _files(fixed)
    out = {}
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old == new:
            continue
        lines = difflib.unified_diff(_lines(old), _lines(new), "/dev/null" if old is None else f"a/{path}",
                                     "/dev/null" if new is None else f"b/{path}")
        out[path] = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                            for line in lines)
    return out


def _lines(data) -> list:
    return [] if data is None else data.decode("utf-8", errors="replace").splitlines(keepends=True)


def stored(case: str, variant: str) -> dict:
    folder = SNAPSHOTS / case / variant
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix()[: -len(SUFFIX)]: p.read_bytes().decode("utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name.endswith(SUFFIX)}


def store(case: str, variant: str, diffs: dict) -> None:
    folder = SNAPSHOTS / case / variant
    shutil.rmtree(folder, ignore_errors=True)
    for path, text in diffs.items():
        target = folder / f"{path}{SUFFIX}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))  # byte for byte: CRLF fixtures keep their line ends
    for parent in (folder, folder.parent):  # no empty folders left behind
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()


def compare(case: str, variant: str, diffs: dict) -> list:
    """What differs between a fix run's diffs and the stored snapshot (empty when they match).
    With RLINT_UPDATE_SNAPSHOTS=1 the snapshot is rewritten instead."""
    if UPDATE:
        store(case, variant, diffs)
        return []
    old = stored(case, variant)
    return [f"{case} [{variant}]: {path} {what}" for path, what in (
        *((p, "is fixed now, but has no snapshot") for p in sorted(set(diffs) - set(old))),
        *((p, "has a snapshot, but the fix no longer changes it") for p in sorted(set(old) - set(diffs))),
        *((p, "is fixed differently from its snapshot:\n" + _diff(old[p], diffs[p], p))
          for p in sorted(set(old) & set(diffs)) if old[p] != diffs[p]),
    )]


def _diff(old: str, new: str, name: str) -> str:
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), f"snapshot/{name}", f"now/{name}",
                                 lineterm="", n=2)
    return "\n".join(list(lines)[:60])


def known_cases() -> set:
    """Cases that have a stored snapshot (for finding snapshots of cases that no longer exist)."""
    if not SNAPSHOTS.is_dir():
        return set()
    return {p.parent.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.rglob("*")
            if p.is_dir() and p.name in ("write", "generate")}

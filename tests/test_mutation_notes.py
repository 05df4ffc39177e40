"""The notes of equivalent mutants (mutation/equivalent.yaml, docs/testing.md) point at code that exists: a note
whose lines left its function no longer skips anything, and is removed or rewritten with the code."""
from __future__ import annotations

import ast
import sys

import pytest

from helpers import ROOT

sys.path.insert(0, str(ROOT / "mutation"))
from triage import Mutant, load_notes, repo_path  # noqa: E402

NOTES = load_notes(ROOT / "mutation" / "equivalent.yaml")


def function_source(path, dotted: str) -> str | None:
    """The source lines (whitespace-stripped, joined) of `function` or `Class.method` in the file."""
    tree = ast.parse(path.read_text())
    scope = tree.body
    *classes, name = dotted.split(".")
    for cls in classes:
        found = [n for n in scope if isinstance(n, ast.ClassDef) and n.name == cls]
        if not found:
            return None
        scope = found[0].body
    for node in scope:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return "\n".join(line.strip() for line in ast.get_source_segment(path.read_text(), node).splitlines())
    return None


@pytest.mark.parametrize("note", NOTES, ids=[f"{n.file}:{n.function}:{i}" for i, n in enumerate(NOTES)])
def test_every_note_names_lines_of_an_existing_function(note):
    path = ROOT / note.file
    assert path.is_file(), f"{note.file} does not exist"
    source = function_source(path, note.function)
    assert source is not None, f"{note.file} has no function {note.function}"
    lines = source.splitlines()
    for line in note.before:
        assert line in lines, f"{note.file} {note.function}: no line {line!r}"
    assert note.before != note.after and note.why, "a note changes something and says why it cannot matter"


def test_mutant_names_map_to_their_repo_files():
    mutant = Mutant.parse("rlint.rules.health.x.xǁRuleǁcheck__mutmut_12")
    assert (mutant.module, mutant.function, mutant.number) == ("rlint.rules.health.x", "Rule.check", "12")
    assert Mutant.parse("rlint.evaluate.functions.x_join__mutmut_3").function == "join"
    assert repo_path("src/rlint/rules/health/x.py") == "rules/health/x.py"
    assert repo_path("src/rlint/evaluate/functions.py") == "linter/evaluate/functions.py"

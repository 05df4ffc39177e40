"""Mutant identity and the triage notes (mutation/equivalent.yaml).

mutmut numbers the mutants of a function in the order it generates them, so a number changes whenever the
function does. A note names a mutant by what it changes instead: the repository file, the function
(`Class.method` or `function`) and the source lines the mutant removes and adds, whitespace-stripped. A note
keeps matching while the function is edited elsewhere, and stops matching (the mutant is tested again) when
the mutated line itself changes.

Used by mutation/run.py (reports) and by the staging conftest (skips a noted mutant without running tests).
Only the standard library and PyYAML: the conftest imports it inside every mutant's test process.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "equivalent.yaml"
CLASS_SEPARATOR = "ǁ"


@dataclass(frozen=True)
class Mutant:
    name: str        # mutmut's name: rlint.rules.x.xǁClassǁmethod__mutmut_3
    module: str      # rlint.rules.x
    mangled: str     # xǁClassǁmethod
    number: str      # 3

    @classmethod
    def parse(cls, name: str) -> "Mutant":
        head, _, number = name.rpartition("__mutmut_")
        module, _, mangled = head.rpartition(".")
        return cls(name, module, mangled, number)

    @property
    def function(self) -> str:
        """`Class.method` or `function`, as a note spells it."""
        if self.mangled.startswith("x" + CLASS_SEPARATOR):
            _, cls_name, method = self.mangled.split(CLASS_SEPARATOR)
            return f"{cls_name}.{method}"
        return self.mangled[2:]

    @property
    def staged_path(self) -> str:
        """The path under the staging tree's src/ (the module's file, `__init__.py` for a package)."""
        return self.module.replace(".", "/")


def repo_path(staged: str) -> str:
    """src/rlint/rules/x.py -> rules/x.py; src/rlint/evaluate/x.py -> linter/evaluate/x.py."""
    rel = staged.removeprefix("src/")
    if rel.startswith("rlint/rules/"):
        return "rules/" + rel.removeprefix("rlint/rules/")
    return "linter/" + rel.removeprefix("rlint/")


def staged_file(stage: Path, mutant: Mutant) -> str | None:
    """The mutated file (relative to the stage, `src/...`) that holds the mutant."""
    base = "src/" + mutant.staged_path
    for candidate in (base + ".py", base + "/__init__.py"):
        if (stage / "mutants" / candidate).is_file():
            return candidate
    return None


def changed_lines(stage: Path, mutant: Mutant) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(removed, added) source lines of the mutant against the original function, whitespace-stripped."""
    rel = staged_file(stage, mutant)
    if rel is None:
        return None
    try:
        spans = json.loads((stage / "mutants" / (rel + ".spans")).read_text())["spans"]
    except (OSError, ValueError, KeyError):
        return None
    orig_key, mutant_key = f"{mutant.mangled}__mutmut_orig", f"{mutant.mangled}__mutmut_{mutant.number}"
    if orig_key not in spans or mutant_key not in spans:
        return None
    lines = (stage / "mutants" / rel).read_text().splitlines()

    def body(key):
        start, end = spans[key]
        text = lines[start - 1:end]
        return [line.strip() for line in text[1:]]  # the def line carries the generated name

    removed, added = [], []
    for line in difflib.ndiff(body(orig_key), body(mutant_key)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return tuple(removed), tuple(added)


@dataclass(frozen=True)
class Note:
    file: str
    function: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    why: str


def _lines(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.splitlines()
    return tuple(line.strip() for line in value)


def load_notes(path: Path = NOTES) -> list[Note]:
    import yaml

    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text()) or []
    notes = []
    for entry in data:
        notes.append(Note(entry["file"], entry["function"], _lines(entry.get("before")), _lines(entry.get("after")),
                          " ".join(str(entry["why"]).split())))
    return notes


def note_for(stage: Path, mutant: Mutant, notes: list[Note]) -> Note | None:
    """The note that declares this mutant equivalent, if any (reads the mutated file only when one may match)."""
    rel = staged_file(stage, mutant)
    if rel is None:
        return None
    path = repo_path(rel)
    candidates = [n for n in notes if n.file == path and n.function == mutant.function]
    if not candidates:
        return None
    change = changed_lines(stage, mutant)
    if change is None:
        return None
    for note in candidates:
        if (note.before, note.after) == change:
            return note
    return None

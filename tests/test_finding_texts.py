"""What each rule tells the user on its fixtures, pinned: the message of every fail and unknown, and the fix it
offers (title, applicability, note, why it is display-only, follow-ups, snippet).

test_rule_fixture pins which resources fail; the fix snapshots pin what `rlint fix` writes. Neither reads the
words: a message or a fix title changed by accident, a note dropped, a display-only snippet that is no longer
valid passed both (mutation testing found them, docs/testing.md). One text file per fixture under
tests/snapshots/findings/, compared exactly; after a deliberate change, review and store the new texts:

    RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_finding_texts.py
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from helpers import FIXTURES, fixture_options, rule_fixtures, run
from rlint.fold import covered
from rlint.model import Outcome

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "findings"
UPDATE = os.environ.get("RLINT_UPDATE_SNAPSHOTS") == "1"
RULE_FIXTURES = rule_fixtures()


def describe(findings) -> str:
    """The findings as a reviewer reads them: position, outcome, resource, then the words and the fix."""
    out = []
    for f in sorted(findings, key=lambda f: (f.span.line, f.span.column, f.resource, f.outcome.value, f.message)):
        out.append(f"{f.span.line}:{f.span.column} {f.outcome.value} {f.resource}")
        out.append(f"  message: {f.message}")
        # a finding that stands for several resources (RL703 per deployment): each one's own words
        out.extend(f"  covers {c.line}:{c.column} {c.resource}: {c.message}" for c in covered(f))
        if f.fix is None:
            continue
        out.append(f"  fix: {f.fix.title} [{f.fix.safety}]")
        for label, value in (("note", f.fix.note), ("manual", f.fix.manual),
                             ("follow-up", ", ".join(f.fix.follow_up))):
            if value:
                out.append(f"  {label}: {value}")
        out.extend(f"  | {line}".rstrip() for line in f.fix.snippet.splitlines())
    return "\n".join(out) + "\n" if out else "(no findings)\n"


@pytest.mark.parametrize("rule_id, fixture", RULE_FIXTURES,
                         ids=[p.relative_to(FIXTURES / "rules").as_posix() for _, p in RULE_FIXTURES])
def test_finding_texts_match_their_snapshot(rule_id: str, fixture: Path) -> None:
    result = run(fixture, select=(rule_id,), **fixture_options(fixture))
    mine = [f for f in result.findings if f.rule_id == rule_id and f.file == fixture.name
            and f.outcome in (Outcome.FAIL, Outcome.UNKNOWN)]
    text = describe(mine)
    stored = SNAPSHOTS / fixture.relative_to(FIXTURES / "rules").with_suffix(fixture.suffix + ".txt")
    if UPDATE:
        stored.parent.mkdir(parents=True, exist_ok=True)
        if not stored.is_file() or stored.read_text() != text:
            stored.write_text(text)
        return
    assert stored.is_file(), f"no snapshot {stored.relative_to(SNAPSHOTS.parent.parent)}: store it with " \
                             "RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_finding_texts.py"
    want = stored.read_text()
    if text != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "snapshot", "now"))
        pytest.fail(f"the findings' texts on {fixture.relative_to(FIXTURES)} changed (review, then store with "
                    f"RLINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_finding_texts.py):\n{diff}",
                    pytrace=False)


def test_every_snapshot_belongs_to_a_fixture() -> None:
    wanted = {fixture.relative_to(FIXTURES / "rules").with_suffix(fixture.suffix + ".txt")
              for _, fixture in RULE_FIXTURES}
    stale = sorted(p.relative_to(SNAPSHOTS).as_posix() for p in SNAPSHOTS.rglob("*.txt")
                   if p.relative_to(SNAPSHOTS) not in wanted)
    assert not stale, f"snapshots of fixtures that no longer exist: {stale}"

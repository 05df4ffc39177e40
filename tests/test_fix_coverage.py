"""Every failing finding carries a fix that says what to do: a snippet that would fix it, or (display-only) an
explicit reason why rlint does not write it; a fix that is not display-only is one `rlint fix --unsafe-fixes`
writes. Over every rule's fixtures, so a new rule or fixture is held to it too."""
from __future__ import annotations

import pytest

from helpers import FIXTURES, fixture_options, is_fixture, run
from rlint.engine import SourceCache
from rlint.fixes.command import plan_fixes

RULE_FIXTURES = sorted(p for p in (FIXTURES / "rules").glob("RL*/*") if is_fixture(p))


@pytest.mark.parametrize("fixture", RULE_FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_failing_finding_has_a_snippet_or_a_reason(fixture):
    result = run(fixture, select=(fixture.parent.name,), **fixture_options(fixture))
    failing = [f for f in result.findings if f.outcome.value == "fail" and f.suppressed is None
               and not f.rule_id.startswith("RL0")]
    for f in failing:
        assert f.fix is not None, f"{f.rule_id} {f.resource}: no fix and no reason"
        assert f.fix.snippet or f.fix.manual, f"{f.rule_id} {f.resource}: a fix title with nothing to apply"
        assert (f.fix.safety == "display-only") == bool(f.fix.manual), f"{f.rule_id} {f.resource}"
        if f.fix.safety != "display-only":
            assert f.fix.snippet, f"{f.rule_id} {f.resource}: a writable fix without a snippet"
    plan = plan_fixes(result, SourceCache(fixture.parent), unsafe=True)
    unwritten = [(f.rule_id, f.resource, why) for f, why in plan.skipped
                 if f.fix is not None and f.fix.safety != "display-only"]
    assert unwritten == [], "fixes offered as writable that rlint fix does not write"

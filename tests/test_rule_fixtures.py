"""Every rule's annotated fixtures: the exact set of (rule, resource, outcome) must match the annotations.

The annotations are read from the source text (tests/fixture_annotations.py), each bound to the resource header
that follows it, so the evaluator cannot drop an expectation by dropping its resource: an annotated resource
missing from the scan fails. `expect:` requires a fail, `expect-unknown:` an unknown, `ok:` silence;
`todo-expect:` pins a known false negative (must stay silent), `todo-ok:` a known false positive (must still
fire), and `expect-absent:` a block the evaluator must not instantiate (`count = 0`). An unannotated finding is a
false positive and fails the test.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import FIXTURES, annotations, block_addresses, finding_keys, fixture_options, rule_fixtures, run
from rlint.model import Outcome

RULE_FIXTURES = rule_fixtures()


@pytest.mark.parametrize("rule_id, fixture", RULE_FIXTURES,
                         ids=[p.relative_to(FIXTURES / "rules").as_posix() for _, p in RULE_FIXTURES])
def test_rule_fixture(rule_id: str, fixture: Path) -> None:
    result = run(fixture, select=(rule_id,), **fixture_options(fixture))
    engine = [f for f in result.findings if f.rule_id.startswith("RL0") and f.file == fixture.name]
    assert engine == [], f"engine findings on a fixture: {[(f.rule_id, f.message) for f in engine]}"
    want = [a for a in annotations(fixture) if a.rule == rule_id]
    assert want, f"{fixture} has no annotations for {rule_id}"

    scanned = block_addresses(result, fixture)
    missing = sorted(f"line {a.line}: {a.kind}: {a.address}" for a in want
                     if a.kind != "expect-absent" and a.address not in scanned)
    assert not missing, f"annotated resources missing from the scan: {missing}"
    present = sorted(a.address for a in want if a.kind == "expect-absent" and a.address in scanned)
    assert not present, f"resources annotated expect-absent were instantiated: {present}"

    def keys(*kinds):
        return {(a.rule, a.address) for a in want if a.kind in kinds}

    assert finding_keys(result, fixture, Outcome.FAIL) == keys("expect", "todo-ok")
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == keys("expect-unknown")


FORMAT_OF = {".tf": "Terraform", ".yaml": "CloudFormation YAML", ".yml": "CloudFormation YAML",
             ".json": "CloudFormation JSON"}


def test_every_rule_has_fail_ok_and_unknown_cases_in_each_of_its_formats() -> None:
    """Not a file per format: annotated cases. Each format a rule supports shows a failure, a pass and an
    unknown (an unresolvable input must give unknown, never a failure), in any of the rule's fixture files."""
    from rlint.rules import all_rules

    kinds: dict = {}
    for rule_id, fixture in RULE_FIXTURES:
        for note in annotations(fixture):
            if note.rule == rule_id:
                kinds.setdefault((rule_id, FORMAT_OF.get(fixture.suffix)), set()).add(note.kind)
    missing = []
    for rule in all_rules():
        formats = (["Terraform"] if "terraform" in rule.formats() else []) + \
            (["CloudFormation YAML", "CloudFormation JSON"] if "cloudformation" in rule.formats() else [])
        for fmt in formats:
            lacking = {"expect", "ok", "expect-unknown"} - kinds.get((rule.id, fmt), set())
            if lacking:
                missing.append(f"{rule.id} {fmt}: no {', '.join(sorted(lacking))} case")
    assert not missing, "\n".join(missing)

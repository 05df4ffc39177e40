"""Other linters' inline ignores that rlint honours: `#tfsec:ignore:` and `#trivy:ignore:` (linter/suppress.py),
for the checks rules declare in `trivy_ids`."""
from __future__ import annotations

import pytest

from helpers import FIXTURES, run

pytestmark = pytest.mark.usefixtures("probe_catalogue")
PROBE_RULES = ("RL306", "RL405")


def table(result):
    return {(f.file, f.span.line, f.rule_id, f.resource, f.suppressed.kind if f.suppressed else None,
             f.suppressed.reason if f.suppressed else None) for f in result.findings}


def test_tfsec_and_trivy_ignores_suppress_the_rules_that_answer_their_checks():
    """`#tfsec:ignore:` / `#trivy:ignore:` name a check by long name or AVD id (any case, several on a line, an
    expiry date); the rules declaring it in `trivy_ids` are suppressed. Expired or workspace-qualified ignores
    and checks no rule answers suppress nothing, and none of them is RL003 or RL004. A checkov skip followed by
    free text instead of `:reason` counts, as checkov reads it."""
    result = run(FIXTURES / "scenarios" / "suppress_trivy")
    suppressed = {(line, rule, res, kind, reason) for _f, line, rule, res, kind, reason in table(result) if kind}
    assert suppressed == {
        (2, "RL306", "aws_dynamodb_table.sessions", "inline", "sessions expire within a day"),
        (14, "RL306", "aws_dynamodb_table.leases", "inline", "leases are taken again"),
        (50, "RL306", "aws_dynamodb_table.two_on_a_line", "inline", ""),
        (77, "RL405", "aws_db_instance.reports", "inline", ""),
        (81, "RL306", "aws_dynamodb_table.checkov_free_text", "inline", "a copy of the calendar kept upstream"),
    }
    assert len(result.findings) == 15 and {f.rule_id for f in result.findings} == {"RL306", "RL405"}



def test_usage_page_lists_every_mapped_check():
    import importlib

    from helpers import ROOT
    from rlint.rules import FAMILIES

    rows = {}
    for line in (ROOT / "docs" / "usage.md").read_text().splitlines():
        if line.startswith(("| `aws-", "| `AVD-")):
            ids, rules = line.strip("|").split("|")
            rows.update({i.strip(" `").lower(): set(rules.replace(",", " ").split()) for i in ids.split(",")})
    want: dict = {}
    for family in FAMILIES:  # the whole catalogue, not this module's probe
        for rule in importlib.import_module(f"rlint.rules.{family}").RULES:
            for tid in rule.trivy_ids:
                want.setdefault(tid.lower(), set()).add(rule.id)
    assert rows == want and want

"""Terraform is the judge of rlint's reading (design §11).

- Every Terraform fixture directory Terraform can plan offline: rlint's instance addresses after count, for_each
  and module expansion equal the plan's, and every attribute value rlint decides equals the planned value
  (rlint's unknowns are not compared). Read from recordings; see tests/tf_oracle.py for how they are made and
  `python tests/tf_oracle.py record` to re-record.
- Every expression in tf_expressions.py: rlint's value equals `terraform console`'s wherever rlint decides,
  and where rlint cannot decide a value Terraform knows, the case says why (UNDECIDED).
- Under CI (RLINT_REQUIRE_ENGINES=1 / CI=true) Terraform runs again and every recording must be current.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import engines
import tf_oracle
from tf_expressions import CASES, LENIENT, UNDECIDED

RECORD_COMMAND = ".venv/bin/python tests/tf_oracle.py record --only plans --changed (or `record` for everything)"


def _recordings() -> dict:
    return {json.loads(p.read_text())["directory"]: json.loads(p.read_text())
            for p in sorted(tf_oracle.PLANS.glob("*.json"))}


RECORDED = _recordings()
PLANNED = sorted(d for d, r in RECORDED.items() if "resources" in r)


@pytest.fixture(scope="module")
def schema() -> dict:
    return tf_oracle.load_schema()


@pytest.fixture(scope="module")
def graphs() -> dict:
    return tf_oracle.rlint_graph(PLANNED)


def test_every_fixture_directory_has_a_current_recording():
    roots = tf_oracle.fixture_roots()
    missing = sorted(set(roots) - set(RECORDED))
    gone = sorted(set(RECORDED) - set(roots))
    stale = sorted(d for d in roots if d in RECORDED and RECORDED[d]["digest"] != tf_oracle.fixture_digest(d))
    assert not (missing or gone or stale), (
        f"Terraform recordings are out of date (missing {missing}, no longer a fixture {gone}, fixture changed "
        f"{stale}); re-record with: {RECORD_COMMAND}")


def test_the_schema_slice_covers_every_type_rlint_names():
    recorded = json.loads(tf_oracle.SCHEMA.read_text())
    assert recorded.get("requested") == sorted(tf_oracle.schema_types()), (
        "resource types were added to rlint's code or fixtures since the schema slice was recorded; re-record "
        "with: .venv/bin/python tests/tf_oracle.py record --only schema")


def test_most_fixtures_plan():
    # floors and a ceiling, moved as fixtures become valid Terraform: a fixture (or a block of one) that stops
    # planning loses its comparison. What is removed today: blocks invalid on purpose, counts from inputs without
    # value, registry modules, values the provider refuses that the fixture is about, and what references them.
    assert len(PLANNED) >= 85, sorted(d for d, r in RECORDED.items() if "excluded" in r)
    removed = sorted(f"{d}: {r['address']}" for d, rec in RECORDED.items() for r in rec.get("removed", []))
    assert len(removed) <= 40, removed  # RL105/RL106 rejected/: Terraform 0.11 spellings, invalid on purpose


@pytest.mark.parametrize("directory", PLANNED)
def test_rlint_agrees_with_the_plan(directory, graphs, schema):
    if RECORDED[directory]["digest"] != tf_oracle.fixture_digest(directory):
        pytest.fail(f"{directory} changed since Terraform's plan was recorded; re-record with: {RECORD_COMMAND}",
                    pytrace=False)
    cmp = tf_oracle.Comparison()
    tf_oracle.compare_fixture(directory, graphs[directory], RECORDED[directory], schema, cmp)
    assert not cmp.problems, "rlint disagrees with Terraform's plan:\n" + "\n".join(cmp.problems)


def test_the_harness_compares_what_rlint_decides(graphs, schema):
    """Totals over every planned fixture, so a harness that silently compares nothing fails."""
    cmp = tf_oracle.Comparison()
    for d in PLANNED:
        tf_oracle.compare_fixture(d, graphs[d], RECORDED[d], schema, cmp)
    assert cmp.instances >= 900 and cmp.attributes >= 3000 and cmp.expansion_unknown >= 5, vars(cmp)
    # every count/for_each Terraform plans, rlint decides today (try(length(null), 0), "0", ...): a ceiling
    undecided = sorted(f"{d}: {a}" for d in PLANNED for a, r in graphs[d].items() if not r["expansion"]["decided"])
    assert cmp.blocks_unknown == 0, undecided


# -- the comparison itself can fail -------------------------------------------------------------------------
def _resource(address, attributes, decided=True, block=None):
    return {"address": address, "block_address": block or tf_oracle._block_of(address), "type": "aws_sqs_queue",
            "file": "d/main.tf", "expansion": {"decided": decided}, "attributes": attributes}


def test_a_disagreement_names_address_attribute_and_both_values(schema):
    recording = {"resources": {"aws_sqs_queue.q": {"type": "aws_sqs_queue", "values": {"delay_seconds": 5},
                                                   "unknown": {}}}}
    cmp = tf_oracle.Comparison()
    tf_oracle.compare_fixture("d", {"aws_sqs_queue.q": _resource("aws_sqs_queue.q", {"delay_seconds": 6})},
                              recording, schema, cmp)
    assert cmp.problems == ["d: aws_sqs_queue.q: delay_seconds: rlint 6 terraform 5"]


def test_values_convert_to_the_schema_type_before_comparing(schema):
    recording = {"resources": {"aws_sqs_queue.q": {"type": "aws_sqs_queue", "unknown": {},
                                                   "values": {"delay_seconds": 5, "fifo_queue": True}}}}
    cmp = tf_oracle.Comparison()
    tf_oracle.compare_fixture("d", {"aws_sqs_queue.q": _resource("aws_sqs_queue.q", {
        "delay_seconds": "5", "fifo_queue": "true"})}, recording, schema, cmp)
    assert cmp.problems == [] and cmp.attributes == 2
    tf_oracle.compare_fixture("d", {"aws_sqs_queue.q": _resource("aws_sqs_queue.q", {"fifo_queue": "yes"})},
                              recording, schema, cmp)
    assert cmp.problems == ['d: aws_sqs_queue.q: fifo_queue: rlint "yes" cannot be Terraform\'s value '
                            "('yes' does not convert to bool); terraform true"]


def test_unknowns_are_not_compared_and_instances_are(schema):
    recording = {"resources": {"aws_sqs_queue.q[0]": {"type": "aws_sqs_queue", "values": {"name": "a"},
                                                      "unknown": {"arn": True}}}}
    cmp = tf_oracle.Comparison()
    ours = {"aws_sqs_queue.q[0]": _resource("aws_sqs_queue.q[0]", {"name": {"$unknown": "var.x"}})}
    tf_oracle.compare_fixture("d", ours, recording, schema, cmp)
    assert cmp.problems == [] and cmp.rlint_unknown == 1 and cmp.attributes == 0
    extra = {**ours, "aws_sqs_queue.q[1]": _resource("aws_sqs_queue.q[1]", {})}
    tf_oracle.compare_fixture("d", extra, recording, schema, cmp)
    assert cmp.problems == ["d: aws_sqs_queue.q: instances differ: rlint ['aws_sqs_queue.q[0]', "
                            "'aws_sqs_queue.q[1]'] terraform ['aws_sqs_queue.q[0]']"]
    undecided = {"aws_sqs_queue.q": _resource("aws_sqs_queue.q", {}, decided=False)}
    cmp = tf_oracle.Comparison()
    tf_oracle.compare_fixture("d", undecided, recording, schema, cmp)
    assert cmp.problems == [] and cmp.blocks_unknown == 1


def test_a_count_terraform_cannot_plan_must_be_undecided(schema):
    recording = {"resources": {}, "removed": [{"file": "main.tf", "address": "aws_sqs_queue.q",
                                               "reason": "Invalid count argument (main.tf line 3)"}]}
    cmp = tf_oracle.Comparison()
    tf_oracle.compare_fixture("d", {"aws_sqs_queue.q": _resource("aws_sqs_queue.q", {}, decided=False)},
                              recording, schema, cmp)
    assert cmp.problems == [] and cmp.expansion_unknown == 1
    tf_oracle.compare_fixture("d", {"aws_sqs_queue.q[0]": _resource("aws_sqs_queue.q[0]", {})}, recording, schema,
                              cmp)
    assert cmp.problems == ["d: aws_sqs_queue.q[0]: rlint decides its instances; Terraform cannot plan them: "
                            "Invalid count argument (main.tf line 3)"]


# -- expressions against terraform console ------------------------------------------------------------------
def _console_recording() -> dict:
    return json.loads(tf_oracle.CONSOLE.read_text())


def test_console_recording_is_current():
    recorded = _console_recording()
    expressions = [a["expression"] for a in recorded["answers"]]
    assert expressions == list(CASES) and recorded["context"] == tf_oracle.context_digest(), (
        "the console recording does not match tf_expressions.py or its context; re-record with: "
        ".venv/bin/python tests/tf_oracle.py record --only console")


def test_expressions_agree_with_terraform_console():
    recorded = {a["expression"]: a["terraform"] for a in _console_recording()["answers"]}
    ours = dict(zip(CASES, tf_oracle.rlint_values(list(CASES))))
    report = tf_oracle.compare_expressions(ours, recorded, UNDECIDED, LENIENT)
    assert not report.problems, "rlint disagrees with terraform console:\n" + "\n".join(report.problems)
    assert report.compared >= len(CASES) // 2, vars(report)


def test_declared_exceptions_are_still_needed():
    """An UNDECIDED case rlint now decides, or a LENIENT one it no longer decides, is out of date: delete it."""
    ours = dict(zip(CASES, tf_oracle.rlint_values(list(CASES))))
    decided = sorted(e for e in UNDECIDED if e in ours and not tf_oracle.rlint_undecided(ours[e]))
    undecided = sorted(e for e in LENIENT if e in ours and tf_oracle.rlint_undecided(ours[e]))
    assert not decided and not undecided, (decided, undecided)
    assert set(UNDECIDED) | set(LENIENT) <= set(CASES), sorted((set(UNDECIDED) | set(LENIENT)) - set(CASES))


# -- under CI: Terraform answers again ------------------------------------------------------------------------
@pytest.mark.skipif(not engines.engines_required(),
                    reason="re-running Terraform (about a minute) is CI's job: RLINT_REQUIRE_ENGINES=1 runs it here")
def test_recordings_match_terraform_today(tmp_path):
    engines.require_terraform()
    roots = tf_oracle.fixture_roots()
    fresh = tf_oracle.plan_fixtures(tmp_path / "plan", roots, tf_oracle.recorded_removals())
    stale = [d for d in roots if _canonical(fresh[d]) != _canonical(RECORDED.get(d))]
    schema_now = tf_oracle.record_schema(tmp_path / "schema")
    console_now = tf_oracle.console_answers(tmp_path / "console", list(CASES))
    console_then = [a["terraform"] for a in _console_recording()["answers"]]
    assert not stale, f"plan recordings differ from Terraform's answers today: {stale}; re-record: {RECORD_COMMAND}"
    assert _canonical(schema_now) == _canonical(json.loads(tf_oracle.SCHEMA.read_text())), \
        "the provider schema recording is stale; re-record: .venv/bin/python tests/tf_oracle.py record --only schema"
    changed = [e for e, now, then in zip(CASES, console_now, console_then) if _canonical(now) != _canonical(then)]
    assert not changed, (f"terraform console answers differently today: {changed}; re-record: "
                         ".venv/bin/python tests/tf_oracle.py record --only console")


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True)


def test_every_function_rlint_evaluates_has_a_case():
    import re

    from rlint.evaluate.functions import FUNCTIONS

    called = {name for case in CASES for name in re.findall(r"([a-z0-9_]+)\(", case)}
    assert not sorted(set(FUNCTIONS) - called), "functions without a case in tf_expressions.py"

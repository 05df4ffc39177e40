"""Declaring a store's data recreatable once (linter/declare.py, class `declared` of rules/data_value.py): the
declared store gets none of the findings of the rules that judge data while its undeclared twin gets them,
`include: [declared]` judges it again, a declaration without a reason is RL003 and one that declares nothing
is RL004, and the configuration's entries are validated."""
from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

import jsonschema

from helpers import FIXTURES, annotations, finding_keys, invoke, report_schema, run
from rlint.declare import ConfigEntry
from rlint.model import Outcome, Span

FOLDER = FIXTURES / "declare"
TF = FOLDER / "terraform"
CFN = FOLDER / "template.yaml"
DATA_RULES = ("RL302", "RL306", "RL401", "RL402", "RL405", "RL703")
NOTIFIER = ('module.notifier.aws_dynamodb_table.state', 'module.notifier_envs["dev"].aws_dynamodb_table.state',
            'module.notifier_envs["staging"].aws_dynamodb_table.state')
CONVERSION = ("module.conversion.aws_dynamodb_table.source_copy", "module.conversion.aws_s3_bucket.staging")


def _want(fixture: Path, kind: str = "expect") -> set:
    return {(r, a) for r, a, k in (a.key() for a in annotations(fixture)) if k == kind}


def _engine(result, rule_id: str) -> list:
    return sorted((f.file, f.span.line, f.span.column, f.resource, f.message)
                  for f in result.findings if f.rule_id == rule_id)


def _failing_resources(result) -> set:
    return {f.resource for f in result.findings if f.outcome is Outcome.FAIL and f.rule_id in DATA_RULES}


@pytest.mark.parametrize("fixture", [TF / "main.tf", CFN, FOLDER / "conditions.yaml"],
                         ids=["terraform", "cloudformation", "scenarios"])
def test_a_declared_store_gets_no_data_findings_and_its_twin_does(fixture):
    result = run(fixture, select=DATA_RULES)
    assert finding_keys(result, fixture, Outcome.FAIL) == _want(fixture)
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == _want(fixture, "expect-unknown")


def test_a_declaration_in_a_module_reaches_every_instance_of_every_call():
    result = run(TF, select=DATA_RULES)
    declared = {r.address: r.meta.get("declared") for r in result.graph.resources}
    for address in NOTIFIER:
        assert declared[address].reason == "the CI notifier's working state, rebuilt on its next run"
        assert declared[address].where == "modules/notifier/main.tf:5"
    for address in CONVERSION:  # declared on the module call block: every resource of the call
        assert declared[address].where == "main.tf:15"
    assert declared["aws_dynamodb_table.orders"] is None and declared["aws_dynamodb_table.no_reason"] is None
    assert not _failing_resources(result) & set(NOTIFIER + CONVERSION)


@pytest.mark.parametrize("fixture", [TF / "main.tf", CFN], ids=["terraform", "cloudformation"])
def test_including_declared_judges_the_declared_stores_again(fixture):
    result = run(fixture, select=DATA_RULES, stateful={"include": ["declared"]})
    assert finding_keys(result, fixture, Outcome.FAIL) == _want(fixture) | _want(fixture, "ok")
    if fixture.suffix == ".tf":  # the module's stores too, every instance of them
        assert {f.resource for f in result.findings if f.rule_id == "RL405" and f.outcome is Outcome.FAIL} == {
            "aws_dynamodb_table.orders", "aws_dynamodb_table.no_reason", "module.notifier.aws_dynamodb_table.state",
            'module.notifier_envs["dev"].aws_dynamodb_table.state',
            'module.notifier_envs["staging"].aws_dynamodb_table.state',
            "module.conversion.aws_dynamodb_table.source_copy"}


def test_a_declaration_without_a_reason_is_rl003_at_its_position_and_declares_nothing():
    tf, cfn = run(TF), run(CFN)
    assert _engine(tf, "RL003") == [(
        "main.tf", 33, 1, "aws_dynamodb_table.no_reason",
        "rlint:recreatable has no reason and declares nothing: write "
        "`# rlint:recreatable -- why the data can be recreated`")]
    assert _engine(cfn, "RL003") == [(
        "template.yaml", 32, 9, "NoReason",
        "Metadata rlint.recreatable needs the reason as a string (why the data can be recreated); it declares "
        "nothing")]


def test_a_declaration_that_declares_nothing_is_rl004():
    assert _engine(run(TF), "RL004") == [
        ("main.tf", 45, 1, "aws_sns_topic.alerts", "declaration that the data of aws_sns_topic.alerts is "
         "recreatable changes nothing: no rule judges the data of aws_sns_topic resources"),
        ("main.tf", 50, 1, "", "rlint:recreatable is on no resource: write it directly above a resource header or "
         "inside its block")]
    assert _engine(run(CFN), "RL004") == [
        ("template.yaml", 46, 9, "Alerts", "declaration that the data of Alerts is recreatable changes nothing: "
         "no rule judges the data of AWS::SNS::Topic resources")]


def test_rl004_waits_for_a_rule_that_judges_data_to_run():
    assert _engine(run(TF, select=("RL101", "RL004")), "RL004") == []
    assert [f[1] for f in _engine(run(TF, select=("RL311", "RL004")), "RL004")] == [45, 50]


def test_a_configuration_entry_declares_what_it_matches_and_rl004_when_it_matches_nothing():
    entries = [ConfigEntry("aws_dynamodb_table.orders", "", "rebuilt nightly from the warehouse",
                           Span(".rlint.yaml", 3, 1, 3, 1)),
               ConfigEntry("module.*.aws_dynamodb_table.missing", "", "gone", Span(".rlint.yaml", 5, 1, 5, 1)),
               ConfigEntry("x", "elsewhere/**", "another part of the tree", Span(".rlint.yaml", 7, 1, 7, 1))]
    result = run(TF, select=DATA_RULES + ("RL004",), recreatable=entries)
    orders = next(r for r in result.graph.resources if r.address == "aws_dynamodb_table.orders")
    assert orders.meta["declared"].where == ".rlint.yaml:3"
    assert "aws_dynamodb_table.orders" not in _failing_resources(result)
    assert [(f[0], f[1], f[4]) for f in _engine(result, "RL004") if f[0] == ".rlint.yaml"] == [
        (".rlint.yaml", 5, "stateful.recreatable entry 'module.*.aws_dynamodb_table.missing' matches no resource "
                           "that a rule judging data reads")]


def test_an_entry_matches_the_block_address_and_an_inline_declaration_wins(tmp_path):
    entries = [ConfigEntry("module.notifier_envs.aws_dynamodb_table.state", "modules/**", "from the config",
                           Span(".rlint.yaml", 2, 1, 2, 1))]
    result = run(TF, select=DATA_RULES + ("RL004",), recreatable=entries)
    envs = [r for r in result.graph.resources if r.address.startswith("module.notifier_envs")]
    assert len(envs) == 2 and all(r.meta["declared"].where == "modules/notifier/main.tf:5" for r in envs)
    assert _engine(result, "RL004") == _engine(run(TF), "RL004")  # it matched: no RL004 of its own


def test_the_cli_reads_entries_with_their_lines_and_rejects_a_misspelt_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(CFN, tmp_path / "template.yaml")
    config = tmp_path / ".rlint.yaml"
    config.write_text("stateful:\n  recreatable:\n    - resource: Orders\n      reason: rebuilt from the ledger\n"
                      "    - resource: Nothing*\n      file: '*.yaml'\n      reason: stale\n")
    out = invoke("scan", ".", "--format", "json", "--select", ",".join(DATA_RULES + ("RL004",)))
    findings = json.loads(out.output)["findings"]
    assert {f["resource"] for f in findings if f["rule_id"] in DATA_RULES and f["outcome"] == "fail"} == {"NoReason"}
    assert [(f["file"], f["line"], f["message"]) for f in findings if f["rule_id"] == "RL004"] == [
        (".rlint.yaml", 5, "stateful.recreatable entry 'Nothing*' matches no resource that a rule judging data reads"),
        ("template.yaml", 46, "declaration that the data of Alerts is recreatable changes nothing: no rule judges "
                              "the data of AWS::SNS::Topic resources")]

    config.write_text("stateful:\n  recreatable:\n    - resource: Orders\n      reson: rebuilt from the ledger\n")
    bad = invoke("scan", ".")
    assert bad.exit_code == 2
    assert "stateful.recreatable.0.reson: unknown key 'reson' (did you mean 'reason'?)" in bad.output
    assert "stateful.recreatable.0: 'reason' is a required property" in bad.output


def test_pyproject_entries_are_placed_at_their_table(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(CFN, tmp_path / "template.yaml")
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.rlint]\nselect = ['RL405', 'RL004']\n\n"
        "[[tool.rlint.stateful.recreatable]]\nresource = 'Orders'\nreason = 'rebuilt from the ledger'\n\n"
        "[[tool.rlint.stateful.recreatable]]\nresource = 'Gone'\nreason = 'stale'\n")
    out = invoke("scan", ".", "--format", "json")
    findings = json.loads(out.output)["findings"]
    assert {f["resource"] for f in findings if f["rule_id"] == "RL405"} == {"NoReason"}
    assert [(f["file"], f["line"]) for f in findings if f["rule_id"] == "RL004"] == [
        ("pyproject.toml", 11), ("template.yaml", 46)]


def test_graph_json_shows_the_declared_class_and_where_it_was_declared(monkeypatch):
    monkeypatch.chdir(TF)
    doc = json.loads(invoke("graph", ".", "--format", "json").output)
    jsonschema.Draft202012Validator(json.loads(
        resources.files("rlint").joinpath("graph.schema.json").read_text())).validate(doc)
    classes = {r["address"]: r.get("data_class") for r in doc["resources"]}
    assert classes['module.notifier_envs["dev"].aws_dynamodb_table.state'] == {
        "class": "declared",
        "reason": "declared recreatable at modules/notifier/main.tf:5: the CI notifier's working state, rebuilt on "
                  "its next run"}
    assert classes["aws_dynamodb_table.orders"] == {"class": "primary", "reason": "a primary store of durable data"}
    assert classes["aws_sns_topic.alerts"] is None  # no rule judges a topic's data


def test_a_suppression_above_a_yaml_logical_id_binds_to_it_not_to_the_resource_before(tmp_path):
    template = tmp_path / "t.yaml"
    template.write_text(CFN.read_text().replace(
        "  # expect: RL302, RL306, RL401, RL402, RL405, RL703 (its undeclared twin)\n",
        "  # rlint:ignore RL405 -- the twin's deletion is guarded elsewhere\n"))
    result = run(template, select=("RL405", "RL004"))
    assert sorted((f.resource, f.suppressed is not None) for f in result.findings if f.rule_id == "RL405") == [
        ("NoReason", False), ("Orders", True)]
    assert _engine(result, "RL004") == [(
        "t.yaml", 46, 9, "Alerts", "declaration that the data of Alerts is recreatable changes nothing: no rule "
        "judges the data of AWS::SNS::Topic resources")]


def test_the_summary_counts_the_declared_stores(monkeypatch):
    monkeypatch.chdir(FOLDER)
    text = invoke("scan", ".", "-q").output
    assert " · 0 suppressed · 8 declared recreatable · 5 files, " in text  # not the two topics: RL004
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    assert report["summary"]["declared"] == 8
    monkeypatch.chdir(FIXTURES / "fold" / "single")
    assert "declared" not in json.loads(invoke("scan", ".", "--format", "json").output)["summary"]
    assert "declared recreatable" not in invoke("scan", ".", "-q").output

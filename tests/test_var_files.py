"""A failure that a root's named var file (prod.tfvars) would lift holds only in some runs: unknown
(linter/var_files.py; fixture tests/fixtures/terraform/var_files)."""
from __future__ import annotations

import json

from helpers import FIXTURES, annotations, invoke, run
from rlint.model import Outcome

CASE = FIXTURES / "terraform" / "var_files"
TAIL = ("has no deletion protection (`deletion_protection_enabled` is `false`) and no `lifecycle { prevent_destroy = "
        "true }`: a single delete call, or a destroy run in the wrong place, removes the table with its data")


def verdicts(result) -> dict:
    blocks = {r.address: r.block_address or r.address for r in result.graph.resources}
    return {blocks[f.resource]: (f.outcome, f.file, f.span.line, f.message) for f in result.findings
            if f.rule_id == "RL405"}


def test_the_annotations_hold_with_the_var_files_as_scenarios():
    found = verdicts(run(CASE, select=("RL405",)))
    want = {a.address: a.kind for a in annotations(CASE / "main.tf") if a.rule == "RL405"}
    assert want == {"aws_dynamodb_table.orders": "expect-unknown", "aws_dynamodb_table.sessions": "expect",
                    "aws_dynamodb_table.audit": "expect"}
    kind = {Outcome.FAIL: "expect", Outcome.UNKNOWN: "expect-unknown"}
    assert {a: kind[v[0]] for a, v in found.items() if a in want} == want


def test_the_reason_names_the_variable_the_files_that_lift_it_and_the_runs_that_keep_it():
    found = verdicts(run(CASE, select=("RL405",)))
    assert found["aws_dynamodb_table.orders"] == (
        Outcome.UNKNOWN, "main.tf", 10,
        f"aws_dynamodb_table.orders {TAIL} -- depends on the var file: prod.tfvars sets orders_protected = true; "
        f"env/dev.tfvars sets orders_protected = false, which fails too; runs without a var file keep false")
    # the same failing value in prod.tfvars, or no var file setting it: the failure stays as it was
    assert found["aws_dynamodb_table.sessions"] == (Outcome.FAIL, "main.tf", 15, f"aws_dynamodb_table.sessions {TAIL}")
    assert found["aws_dynamodb_table.audit"] == (Outcome.FAIL, "main.tf", 20, f"aws_dynamodb_table.audit {TAIL}")


def test_a_module_argument_read_from_a_root_variable_is_judged_with_the_var_files():
    found = verdicts(run(CASE, select=("RL405",)))
    # prod.tfvars writes "true": converted to the variable's bool before the rule judges it
    assert found["module.ledger.aws_dynamodb_table.this"] == (
        Outcome.UNKNOWN, "main.tf", 25,
        f"module.ledger.aws_dynamodb_table.this {TAIL} -- depends on the var file: prod.tfvars sets "
        f"ledger_protected = true; env/dev.tfvars and runs without a var file keep false")


def test_a_run_the_user_names_is_judged_as_it_is(monkeypatch):
    monkeypatch.chdir(CASE)
    prod = json.loads(invoke("scan", ".", "--select", "RL405", "--var-file", "prod.tfvars", "-f", "json",
                             "--fail-on", "never").output)["findings"]
    assert sorted((f["resource"], f["outcome"]) for f in prod) == [
        ("aws_dynamodb_table.audit", "fail"), ("aws_dynamodb_table.sessions", "fail")]
    dev = json.loads(invoke("scan", ".", "--select", "RL405", "--var-file", "env/dev.tfvars", "-f", "json",
                            "--fail-on", "never").output)["findings"]
    assert sorted((f["resource"], f["outcome"]) for f in dev) == [
        ("aws_dynamodb_table.audit", "fail"),
        ("aws_dynamodb_table.orders", "fail"), ("aws_dynamodb_table.sessions", "fail"),
        ("module.ledger.aws_dynamodb_table.this", "fail")]
    one = json.loads(invoke("scan", ".", "--select", "RL405", "--var", "audit_protected=true", "-f", "json",
                            "--fail-on", "never").output)["findings"]
    assert {f["outcome"] for f in one} == {"fail"}


def test_the_unknown_shows_in_json_and_with_show_unknown(monkeypatch):
    monkeypatch.chdir(CASE)
    out = invoke("scan", ".", "--select", "RL405", "--fail-on", "never")
    assert "depends on the var file" not in out.output and "2 unknown" in out.output
    out = invoke("scan", ".", "--select", "RL405", "--fail-on", "never", "--show-unknown")
    assert "main.tf:10:13  RL405 unknown  aws_dynamodb_table.orders has no deletion protection" in out.output
    assert "-- depends on the var file: prod.tfvars sets orders_protected = true;" in out.output
    report = json.loads(invoke("scan", ".", "--select", "RL405", "-f", "json", "--fail-on", "never").output)
    [orders] = [f for f in report["findings"] if f["resource"] == "aws_dynamodb_table.orders"]
    assert orders["outcome"] == "unknown"
    assert orders["message"].endswith("-- depends on the var file: prod.tfvars sets orders_protected = true; "
                                      "env/dev.tfvars sets orders_protected = false, which fails too; runs "
                                      "without a var file keep false")
    assert [p["kind"] for p in orders["provenance"]] == ["attribute", "variable default"]


def test_a_value_from_an_automatically_loaded_tfvars_file_is_judged_with_the_named_ones(tmp_path):
    (tmp_path / "env").mkdir()
    (tmp_path / "main.tf").write_text(
        'variable "protected" {\n  type    = bool\n  default = true\n}\n\n'
        'resource "aws_dynamodb_table" "events" {\n  name                        = "events"\n'
        '  billing_mode                = "PAY_PER_REQUEST"\n  hash_key                    = "id"\n'
        '  deletion_protection_enabled = var.protected\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n')
    (tmp_path / "terraform.tfvars").write_text("protected = false\n")
    (tmp_path / "a.auto.tfvars").write_text("other = 1\n")
    (tmp_path / "env" / "prod.tfvars").write_text("protected = true\n")
    (tmp_path / "env" / "qa.tfvars").write_text("protected = false\n")
    [finding] = [f for f in run(tmp_path, select=("RL405",)).findings]
    # every run loads terraform.tfvars: still "runs without a var file"; the auto-loaded files are not named
    assert (finding.outcome, finding.file, finding.span.line) == (Outcome.UNKNOWN, "terraform.tfvars", 1)
    assert finding.message == (f"aws_dynamodb_table.events {TAIL} -- depends on the var file: env/prod.tfvars sets "
                               f"protected = true; env/qa.tfvars sets protected = false, which fails too; runs "
                               f"without a var file keep false")

"""Terraform's JSON syntax and plan JSON: exact findings, outcomes and positions (RL101 and RL501 as probes)."""
from __future__ import annotations

from helpers import FIXTURES, rows, run

ROW = ("rule", "resource", "outcome", "file", "line", "column")

TF = FIXTURES / "terraform"



def test_tf_json_values_templates_count_and_positions():
    result = run(TF / "json", select=("RL101",))
    assert rows(result, "RL101", "RL001", fields=ROW) == [
        ("RL101", "aws_db_instance.counted[1]", "fail", "main.tf.json", 25, 9),
        ("RL101", "aws_db_instance.from_variable", "fail", "main.tf.json", 14, 9),
    ]


def test_tf_json_variable_override_and_block_detection():
    result = run(TF / "json", select=("RL101",), terraform=_vars(("ha", "true"), ("replicas", "1")))
    assert rows(result, "RL101", fields=ROW) == []
    good = next(r for r in result.graph.resources if r.address == "aws_db_instance.good")
    assert good.attrs["lifecycle"] == [{"prevent_destroy": True}]
    assert good.attrs["tags"] == {"team": "core"}


def test_plan_values_unknowns_modules_and_positions_from_configuration():
    result = run(TF / "plan", select=("RL101", "RL501"))
    assert rows(result, "RL101", "RL501", "RL001", fields=ROW) == [
        ("RL101", "aws_db_instance.orders", "fail", "main.tf", 7, 1),
        ("RL101", "module.replicas.aws_db_instance.this[1]", "unknown", "plan.json", 1, 1),
    ]
    addresses = sorted(r.address for r in result.graph.resources)
    assert addresses == ["aws_db_instance.orders", "aws_sqs_queue.dlq", "aws_sqs_queue.jobs",
                         "module.replicas.aws_db_instance.this[0]", "module.replicas.aws_db_instance.this[1]"]
    jobs = next(r for r in result.graph.resources if r.address == "aws_sqs_queue.jobs")
    assert [t.address for t in result.graph.targets(jobs, ("redrive_policy",))] == ["aws_sqs_queue.dlq"]


def test_broken_plan_json_is_rl001(tmp_path):
    (tmp_path / "plan.json").write_text('{"format_version": "1.2", "planned_values": {"root_module": ')
    result = run(tmp_path)
    assert [(f.rule_id, f.file) for f in result.findings] == [("RL001", "plan.json")]


def _vars(*pairs):
    from rlint.evaluate.terraform import TerraformInputs

    return TerraformInputs(variables=list(pairs), environ={})

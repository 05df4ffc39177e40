"""Messaging graph helpers on cases a single fixture module cannot hold (they would change its other cases)."""
from __future__ import annotations

from helpers import run
from rlint.model import Outcome


def _outcomes(tmp_path, text: str, rule: str) -> dict:
    (tmp_path / "main.tf").write_text(text)
    result = run(tmp_path, select=(rule,))
    return {f.resource: f.outcome for f in result.findings if f.rule_id == rule}


def test_redrive_resource_with_unresolvable_queue_makes_queues_without_policy_unknown(tmp_path):
    found = _outcomes(tmp_path, """
variable "queue_url" { type = string }
resource "aws_sqs_queue" "a" {}
resource "aws_sqs_queue" "target" {}
resource "aws_sqs_queue_redrive_policy" "p" {
  queue_url      = var.queue_url
  redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.target.arn, maxReceiveCount = 5 })
}
""", "RL501")
    assert found == {"aws_sqs_queue.a": Outcome.UNKNOWN}


def test_redrive_policy_from_module_input_counts_as_present(tmp_path):
    found = _outcomes(tmp_path, """
variable "redrive" { type = string }
resource "aws_sqs_queue" "a" { redrive_policy = var.redrive }
""", "RL501")
    assert found == {}


def test_dead_letter_uses_and_mappings(tmp_path):
    from rlint.rules.base import RuleContext
    from rlint.rules.graphutil.messaging import dead_letter_uses, mappings_from_queue, queues_of_function

    (tmp_path / "main.tf").write_text("""
resource "aws_sqs_queue" "jobs" {}
resource "aws_sqs_queue" "failed" {}
resource "aws_lambda_function" "w" {
  function_name = "w"
  dead_letter_config { target_arn = aws_sqs_queue.failed.arn }
}
resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.w.arn
}
""")
    graph = run(tmp_path).graph
    ctx = RuleContext(graph)
    q = {r.address: r for r in graph.resources}
    assert dead_letter_uses(ctx, q["aws_sqs_queue.failed"]) == ["the dead-letter queue of function aws_lambda_function.w"]
    assert dead_letter_uses(ctx, q["aws_sqs_queue.jobs"]) == []
    [(mapping, fns)] = mappings_from_queue(ctx, q["aws_sqs_queue.jobs"])
    assert mapping.address == "aws_lambda_event_source_mapping.m" and [f.address for f in fns] == ["aws_lambda_function.w"]
    assert [x.address for x in queues_of_function(ctx, q["aws_lambda_function.w"])] == ["aws_sqs_queue.jobs"]


def test_an_on_failure_destination_queue_does_not_feed_the_function(tmp_path):
    """A stream mapping's on-failure destination is a queue the mapping writes to, not one that invokes the
    function: only the queue named by `event_source_arn` feeds it."""
    from rlint.rules.base import RuleContext
    from rlint.rules.graphutil.messaging import mappings_from_queue, queues_of_function

    (tmp_path / "main.tf").write_text("""
resource "aws_sqs_queue" "jobs" {}
resource "aws_sqs_queue" "failed" {}
resource "aws_kinesis_stream" "events" {
  name        = "events"
  shard_count = 1
}
resource "aws_lambda_function" "w" { function_name = "w" }
resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.w.arn
}
resource "aws_lambda_event_source_mapping" "events" {
  event_source_arn  = aws_kinesis_stream.events.arn
  function_name     = aws_lambda_function.w.arn
  starting_position = "LATEST"
  destination_config {
    on_failure { destination_arn = aws_sqs_queue.failed.arn }
  }
}
""")
    graph = run(tmp_path).graph
    ctx = RuleContext(graph)
    q = {r.address: r for r in graph.resources}
    assert [x.address for x in queues_of_function(ctx, q["aws_lambda_function.w"])] == ["aws_sqs_queue.jobs"]
    assert mappings_from_queue(ctx, q["aws_sqs_queue.failed"]) == []

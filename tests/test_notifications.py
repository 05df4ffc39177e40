"""RL504/RL505 leave alone deliveries that carry no data of the system (rules/graphutil/notifications.py):
cases that need a provider the offline mirror lacks, so they cannot be fixtures Terraform validates, and trigger
modules judged by their other callers (a fixture whose instances differ, which annotations cannot express)."""
from __future__ import annotations

from helpers import FIXTURES, rows, run

TRIGGERS = FIXTURES / "terraform" / "alert_trigger_modules"

TOPIC = 'resource "aws_sns_topic" "ops" {\n  name = "ops"\n}\n'


def rl504(tmp_path, subscription: str) -> list:
    (tmp_path / "main.tf").write_text(TOPIC + subscription)
    return [f.resource for f in run(tmp_path, select=("RL504",)).findings]


def test_an_endpoint_built_from_a_pagerduty_integration_pages_someone(tmp_path):
    sub = '''resource "pagerduty_service_integration" "cloudwatch" {
  name    = "cloudwatch"
  service = "PXXXXXX"
  vendor  = "PYYYYYY"
}

resource "aws_sns_topic_subscription" "pager" {
  topic_arn = aws_sns_topic.ops.arn
  protocol  = "https"
  endpoint  = "https://events.pagerduty.com/integration/${pagerduty_service_integration.cloudwatch.integration_key}/enqueue"
}
'''
    assert rl504(tmp_path, sub) == []


def test_an_unknown_webhook_on_a_topic_nothing_here_publishes_to_is_judged(tmp_path):
    sub = '''variable "hook" {
  type = string
}

resource "aws_sns_topic_subscription" "hook" {
  topic_arn = aws_sns_topic.ops.arn
  protocol  = "https"
  endpoint  = var.hook
}
'''
    assert rl504(tmp_path, sub) == ["aws_sns_topic_subscription.hook"]


def test_a_trigger_module_that_forwards_alarms_for_one_caller_forwards_them_for_callers_fed_elsewhere():
    """module.dlq_alerts's topic gets nothing here, while module.lambda_errors (the same blocks) gets only a
    CloudWatch alarm: both carry alerts. module.orders's siblings include an S3-fed caller, and the for_each
    instances of aws_sns_topic_subscription.feeds share one module: those stay judged."""
    result = run(TRIGGERS, select=("RL504", "RL505"))
    assert rows(result, "RL504", "RL505", "RL001", "RL002", fields=("rule", "resource", "outcome")) == [
        ("RL504", 'aws_sns_topic_subscription.feeds["orders"]', "fail"),
        ("RL504", "module.orders.aws_sns_topic_subscription.this", "fail"),
        ("RL504", "module.uploads.aws_sns_topic_subscription.this", "fail"),
        ("RL505", 'aws_lambda_function.fn["feeds-orders"]', "fail"),
        ("RL505", 'aws_lambda_function.fn["orders"]', "fail"),
        ("RL505", 'aws_lambda_function.fn["uploads"]', "fail"),
    ]

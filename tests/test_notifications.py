"""RL504/RL505 leave alone deliveries that carry no data of the system (rules/graphutil/notifications.py):
cases that need a provider the offline mirror lacks, so they cannot be fixtures Terraform validates."""
from __future__ import annotations

from helpers import run

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

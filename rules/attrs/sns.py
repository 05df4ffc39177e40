"""SNS topic subscriptions."""
from rlint.rules.base import Attr

PROTOCOL = Attr("protocol", "protocol", "Properties.Protocol")
ENDPOINT = Attr("endpoint", "endpoint", "Properties.Endpoint")
SUBSCRIPTION_REDRIVE_POLICY = Attr("redrive_policy", "redrive_policy", "Properties.RedrivePolicy")

SUBSCRIPTION_TYPES = ("aws_sns_topic_subscription", "AWS::SNS::Subscription")

__all__ = ["PROTOCOL", "ENDPOINT", "SUBSCRIPTION_REDRIVE_POLICY", "SUBSCRIPTION_TYPES"]

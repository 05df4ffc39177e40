"""SQS queues, their redrive (dead-letter) policies and redrive-allow policies."""
from rlint.rules.base import Attr

# Both formats default to a standard queue and to 4 days of retention and 30 s of visibility.
FIFO_QUEUE = Attr("fifo_queue", "fifo_queue", "Properties.FifoQueue", tf_default=False, cfn_default=False)
QUEUE_NAME = Attr("queue_name", "name", "Properties.QueueName")
RETENTION = Attr("message_retention", "message_retention_seconds", "Properties.MessageRetentionPeriod",
                 tf_default=345600, cfn_default=345600)
VISIBILITY_TIMEOUT = Attr("visibility_timeout", "visibility_timeout_seconds", "Properties.VisibilityTimeout",
                          tf_default=30, cfn_default=30)
# A JSON document in both formats: jsonencode(...) or a string in Terraform, an object or a string in CFN.
REDRIVE_POLICY = Attr("redrive_policy", "redrive_policy", "Properties.RedrivePolicy")
REDRIVE_ALLOW_POLICY = Attr("redrive_allow_policy", "redrive_allow_policy", "Properties.RedriveAllowPolicy")
# aws_sqs_queue_redrive_policy / aws_sqs_queue_redrive_allow_policy: the queue they configure (its URL).
QUEUE_URL = Attr("queue_url", "queue_url", None)

QUEUE_TYPES = ("aws_sqs_queue", "AWS::SQS::Queue")

__all__ = ["FIFO_QUEUE", "QUEUE_NAME", "RETENTION", "VISIBILITY_TIMEOUT", "REDRIVE_POLICY", "REDRIVE_ALLOW_POLICY",
           "QUEUE_URL", "QUEUE_TYPES"]

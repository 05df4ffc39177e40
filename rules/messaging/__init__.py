"""Messaging and decoupling (RL5xx): dead-letter queues, failure destinations, queue/function timing."""
from .lambda_async_no_failure_destination import LambdaAsyncNoFailureDestination
from .lambda_rds_without_proxy import LambdaRdsWithoutProxy
from .sns_subscription_no_dlq import SnsSubscriptionNoDlq
from .sqs_dlq_retention_shorter import SqsDlqRetentionShorter
from .sqs_dlq_type_mismatch import SqsDlqTypeMismatch
from .sqs_no_dead_letter_queue import SqsNoDeadLetterQueue
from .sqs_visibility_shorter_than_lambda import SqsVisibilityShorterThanLambda

RULES = [SqsNoDeadLetterQueue, SqsDlqRetentionShorter, SqsDlqTypeMismatch, SnsSubscriptionNoDlq,
         LambdaAsyncNoFailureDestination, LambdaRdsWithoutProxy, SqsVisibilityShorterThanLambda]

from rlint.model import Severity, Unknown
from rlint.rules.attrs.sqs import FIFO_QUEUE, QUEUE_TYPES, RETENTION
from rlint.rules.base import REVIEW, SAFE, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.messaging import as_int, dead_letter_sources, is_fifo, redrive_of
from rlint.rules.graphutil.values import written_as_value

FOURTEEN_DAYS = 1209600
SOURCE_AT_MOST = FOURTEEN_DAYS - 86400  # a source at the maximum is shortened by a day


class SqsDlqRetentionShorter(Rule):
    """## What it does
    Flags standard SQS queues whose dead-letter queue keeps messages no longer than the source queue:
    the dead-letter queue's `message_retention_seconds` / `MessageRetentionPeriod` (default 4 days in both
    formats) is less than or equal to the source queue's.

    ## Why is this bad?
    For standard queues a message's expiry is always counted from its original enqueue time: moving it to
    the dead-letter queue does not restart the clock. A message that spent most of its life being retried
    in the source queue arrives in a dead-letter queue with the same or a shorter retention and is deleted
    soon after, sometimes before anyone has looked at it. The failed messages the dead-letter queue exists
    to keep are lost. AWS recommends a dead-letter retention longer than the source queue's.

    ## Example
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {}   # 4 days, the default

    resource "aws_sqs_queue" "orders" {
      message_retention_seconds = 345600
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }
    ```
    ```yaml
    OrdersDlq:
      Type: AWS::SQS::Queue
    Orders:
      Type: AWS::SQS::Queue
      Properties:
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersDlq.Arn
          maxReceiveCount: 5
    ```

    ## Use instead
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      message_retention_seconds = 1209600 # 14 days, the maximum
    }
    ```
    ```yaml
    OrdersDlq:
      Type: AWS::SQS::Queue
      Properties:
        MessageRetentionPeriod: 1209600
    ```

    ## Known problems
    FIFO source queues are not flagged: for them the enqueue timestamp is reset when a message moves to the
    dead-letter queue. When the dead-letter queue is not in the same module or template (an ARN from a
    variable, a parameter or another stack), or either retention is not known, the result is `unknown`.
    The finding is reported on the dead-letter queue, whose retention is the setting to change; an
    unresolvable dead-letter queue is reported as `unknown` on the source queue.

    ## Fix safety
    Safe: retention can be changed in place, and only raises the storage of messages that are kept longer.
    The fix sets the dead-letter queue's retention to 14 days, the maximum. A source queue already at 14
    days is shortened to 13 days in the same fix (review: unreceived messages leave the source a day
    sooner); when its retention comes from a parameter the fix is display-only.

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
    """

    id = "RL502"
    name = "sqs-dlq-retention-shorter"
    severity = Severity.LOW
    resource_types = QUEUE_TYPES
    graph_rule = True

    def check(self, res, ctx):
        # As a source: a dead-letter queue outside the configuration cannot be compared.
        redrive = redrive_of(ctx, res)
        if redrive is not None and redrive.target_unknown() is not None and is_fifo(ctx, res, FIFO_QUEUE) is not True:
            yield self.unknown(res, redrive.target_unknown(), what="the dead-letter queue's retention")
        # As a dead-letter queue: compared with every standard queue that redrives into it. The finding
        # sits on the dead-letter queue, whose retention is the setting to change.
        sources = [q for q in dead_letter_sources(ctx, res) if is_fifo(ctx, q, FIFO_QUEUE) is not True]
        if not sources:
            return
        kept = as_int(ctx.get(res, RETENTION))
        if isinstance(kept, Unknown):
            yield self.unknown(res, kept, at=RETENTION)
            return
        spelled = RETENTION.spelling(res.format)
        shorter = []  # (source, its retention): every source this queue keeps messages no longer than
        for src in sources:
            fifo = is_fifo(ctx, src, FIFO_QUEUE)
            source = as_int(ctx.get(src, RETENTION))
            undecided = next(((v, a) for v, a in ((fifo, FIFO_QUEUE), (source, RETENTION))
                              if isinstance(v, Unknown)), None)
            if undecided is not None:
                value, attr = undecided
                yield self.unknown(res, value, what=f"`{attr.spelling(src.format)}` of source queue {src.address}")
            elif isinstance(kept, int) and isinstance(source, int) and kept <= source:
                shorter.append((src, source))
        if not shorter:
            return
        src, source = shorter[0]
        default = "" if ctx.has(res, RETENTION) else ", the default"
        yield self.fail(
            res,
            f"{res.address} keeps dead letters {kept} s (`{spelled}`{default}), no longer than its source queue "
            f"{src.address} ({source} s): failed messages keep their original enqueue time and can expire soon "
            f"after they arrive",
            at=RETENTION,
            fix=retention_fix(res, kept, shorter),
        )


def retention_fix(dlq, kept: int, shorter: list) -> Fix:
    """The dead-letter queue at 14 days, the maximum; a source already at 14 days is shortened by a day so
    that the dead-letter queue can keep its messages longer (a change to the source: review). A source whose
    retention is not written as a value in its own resource is shown, not changed."""
    spelled = RETENTION.spelling(dlq.format)
    changes = [SetAttribute(RETENTION, FOURTEEN_DAYS)] if kept != FOURTEEN_DAYS else []
    at_max = [src for src, retention in shorter if retention >= FOURTEEN_DAYS]
    changes += [SetAttribute(RETENTION, SOURCE_AT_MOST, target=src) for src in at_max]
    title = f"Set `{spelled}` to {FOURTEEN_DAYS} (14 days)" if not at_max else \
        (f"Keep dead letters 14 days and shorten " + ", ".join(s.address for s in at_max) +
         f" to {SOURCE_AT_MOST} s (13 days)")
    if not at_max:
        return Fix(title, tuple(changes), safety=SAFE, note="the maximum retention; only raises what is kept")
    literal = [src for src in at_max if not written_as_value(src, RETENTION)]
    if literal:
        return manual_fix(title, f"{literal[0].address} already keeps messages 14 days, the most SQS allows, and "
                                 f"its retention is not a value written in its resource: shorten it where it is "
                                 f"set (a parameter, a variable) so that the dead-letter queue keeps messages "
                                 f"longer", tuple(changes))
    return Fix(title, tuple(changes), safety=REVIEW,
               note="messages nobody receives leave the source queue a day sooner, so that failed ones stay in "
                    "the dead-letter queue longer than they could in the source")

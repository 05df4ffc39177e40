from rlint.model import Severity
from rlint.rules.attrs.sqs import FIFO_QUEUE, QUEUE_TYPES, REDRIVE_POLICY, RETENTION
from rlint.rules.base import REVIEW, AddResource, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.messaging import (as_int, dead_letter_uses, is_fifo, paired_dead_letter_queue, redrive_of,
                                            unresolved_redrive_resources)
from rlint.rules.graphutil.values import written_as_value
from rlint.rules.messaging.sqs_dlq_retention_shorter import SOURCE_AT_MOST

MAX_RECEIVE_COUNT = 5
FOURTEEN_DAYS = 1209600


class SqsNoDeadLetterQueue(Rule):
    """## What it does
    Flags SQS queues without a redrive policy: no `redrive_policy` (inline or through an
    `aws_sqs_queue_redrive_policy` whose `queue_url` names the queue) in Terraform, no `RedrivePolicy` in
    CloudFormation. A queue that is itself a dead-letter target is not flagged.

    ## Why is this bad?
    Without a dead-letter queue, a message that its consumer cannot process (a malformed payload, a bug, a
    downstream dependency that rejects it) returns to the queue after every visibility timeout and is
    received again and again until its retention period ends, then it is deleted. Such "poison" messages
    burn consumer capacity, delay the messages behind them (on FIFO queues they block their message group)
    and are finally lost without a trace. A redrive policy moves a message to a dead-letter queue after
    `maxReceiveCount` failed receives, where it can be inspected, alarmed on and redriven.

    ## Example
    ```hcl
    resource "aws_sqs_queue" "orders" {
      name = "orders"
    }
    ```
    ```yaml
    Orders:
      Type: AWS::SQS::Queue
    ```

    ## Use instead
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      name                      = "orders-dlq"
      message_retention_seconds = 1209600
    }

    resource "aws_sqs_queue" "orders" {
      name = "orders"
      redrive_policy = jsonencode({
        deadLetterTargetArn = aws_sqs_queue.orders_dlq.arn
        maxReceiveCount     = 5
      })
    }
    ```
    ```yaml
    OrdersDlq:
      Type: AWS::SQS::Queue
      Properties:
        MessageRetentionPeriod: 1209600
    Orders:
      Type: AWS::SQS::Queue
      Properties:
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersDlq.Arn
          maxReceiveCount: 5
    ```

    ## Known problems
    A queue counts as a dead-letter target, and is not flagged, when in the same module or template another
    queue's redrive policy, an `aws_sqs_queue_redrive_allow_policy`, its own redrive-allow policy (anything
    but `denyAll`), an SNS subscription's redrive policy, a Lambda dead-letter config, an on-failure
    destination (event invoke config, event source mapping, EventBridge Pipes) or an EventBridge target's
    dead-letter config references it, or a literal `deadLetterTargetArn` names it; and when its name or
    resource name contains `dlq` or `dead-letter`. Dead-letter queues used only from other stacks or modules
    are otherwise reported: suppress them with a reason. A redrive policy whose value or target cannot be
    decided (a variable, a parameter) still counts as a redrive policy; one that exists only under an
    undecidable condition (`Fn::If` with `AWS::NoValue`, a Terraform conditional with `null`) gives `unknown`,
    and so does a queue without a policy when an `aws_sqs_queue_redrive_policy` in the module names its
    queue through an undecidable value.

    A queue of the same module named as this queue's dead-letter queue (`orders_dlq` beside `orders_q`: the
    same words once `q`, `queue`, `fifo`, `dlq` and `dead letter` are left out) that nothing uses as one is
    named in the finding, and the fix wires it instead of adding another. When the queue is FIFO and that
    queue is a standard queue, SQS cannot make it the redrive target (a FIFO queue's dead-letter queue must be
    FIFO): the consumer moves failed messages there itself, and the queue is not flagged.

    ## Fix safety
    Safe: adding a redrive policy changes no existing message and needs no replacement. The fix adds a
    dead-letter queue of the queue's own type with 14 days of retention and a `maxReceiveCount` of 5 (in
    Terraform as an `aws_sqs_queue_redrive_policy` beside the queue, so the queue's block is untouched);
    `rlint fix` writes both. Tune the count to the number of retries the consumer should get. When a queue named
    as its dead-letter queue is already there (see above), the fix names that queue in the redrive policy
    instead (review: check that nothing reads it as a queue of its own).

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#redrive_policy
    """

    id = "RL501"
    name = "sqs-no-dead-letter-queue"
    severity = Severity.MEDIUM
    resource_types = QUEUE_TYPES
    graph_rule = True

    def check(self, res, ctx):
        redrive = redrive_of(ctx, res)
        if redrive is not None and redrive.maybe_absent is None or dead_letter_uses(ctx, res):
            return
        if redrive is not None:
            yield self.unknown(res, redrive.maybe_absent, at=REDRIVE_POLICY if redrive.inline else None,
                               what="whether the redrive policy exists")
            return
        unresolved = unresolved_redrive_resources(ctx, res)
        if unresolved:
            yield self.unknown(res, unresolved[0].attrs["queue_url"],
                               what=f"whether {unresolved[0].address} configures this queue")
            return
        pair = paired_dead_letter_queue(ctx, res)
        if pair is not None:
            fifo, pair_fifo = is_fifo(ctx, res, FIFO_QUEUE), is_fifo(ctx, pair, FIFO_QUEUE)
            if fifo is True and pair_fifo is False:
                return  # SQS takes only a FIFO queue as a FIFO queue's dead-letter queue: its consumer moves failures
            if not isinstance(fifo, bool) or fifo != pair_fifo:
                pair = None  # of another type (or undecided): SQS would refuse it as this queue's target
        spelled = REDRIVE_POLICY.spelling(res.format)
        written = REDRIVE_POLICY.path(res.format) in res.attr_spans
        state = "evaluates to no policy" if written else "is not set"
        beside = f"; {pair.address}, named as its dead-letter queue, is not wired to it" if pair is not None else ""
        fifo_flag = ctx.get(res, FIFO_QUEUE)
        fix = self._fix(res, written, fifo_flag, pair)
        if pair is None:  # a new dead-letter queue: it must be able to keep messages longer than this one (RL502)
            fix = self._converging(res, fix, fifo_flag, as_int(ctx.get(res, RETENTION)))
        yield self.fail(
            res,
            f"{res.address} has no dead-letter queue (`{spelled}` {state}){beside}: messages that keep failing "
            f"are received again until their retention ends, then lost",
            at=REDRIVE_POLICY if written else None,
            fix=fix,
        )

    @staticmethod
    def _converging(res, fix: Fix, fifo, retention) -> Fix:
        """A standard queue that keeps messages 14 days, the most SQS allows, would raise RL502 on its new
        dead-letter queue: it is shortened by a day in the same fix (review), or the fix is shown when its
        retention is not written as a value in the queue."""
        if fifo is True or fifo == "true" or not isinstance(retention, int) or retention < FOURTEEN_DAYS:
            return fix
        changes = fix.changes + (SetAttribute(RETENTION, SOURCE_AT_MOST),)
        title = fix.title + f", and shorten the queue's retention to {SOURCE_AT_MOST} s (13 days)"
        if not written_as_value(res, RETENTION):
            return manual_fix(title, "the queue keeps messages 14 days, the most SQS allows, so no dead-letter "
                                     "queue can keep them longer (RL502), and its retention is not a value "
                                     "written in the queue: shorten it where it is set", changes)
        return Fix(title, changes, safety=REVIEW,
                   note=fix.note + "; unreceived messages leave the queue a day sooner, so that the dead-letter "
                                   "queue keeps failed ones longer")

    @staticmethod
    def _fix(res, written: bool, fifo, pair=None) -> Fix:
        # the dead-letter queue must be of the queue's own type (RL503)
        fifo = fifo is True or fifo == "true"
        if res.format == "terraform":
            local = res.block_address.rsplit(".", 1)[-1]
            dlq = f"{local}_dlq" if pair is None else pair.meta["name"]
            policy = (f"${{jsonencode({{ deadLetterTargetArn = aws_sqs_queue.{dlq}.arn, "
                      f"maxReceiveCount = {MAX_RECEIVE_COUNT} }})}}")
            attrs = {"message_retention_seconds": FOURTEEN_DAYS, **({"fifo_queue": True} if fifo else {})}
            changes = (AddResource("aws_sqs_queue", dlq, attrs),) if pair is None else ()
            if written:  # a policy that evaluates to none: replace it where it is written
                changes = (SetAttribute(REDRIVE_POLICY, policy),) + changes
            else:  # its own resource: the queue's block stays as it is
                changes += (AddResource("aws_sqs_queue_redrive_policy", local,
                                        {"queue_url": f"${{{res.block_address}.id}}", "redrive_policy": policy}),)
        else:
            dlq = f"{res.address}Dlq" if pair is None else pair.address
            policy = {"deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]}, "maxReceiveCount": MAX_RECEIVE_COUNT}
            attrs = {"MessageRetentionPeriod": FOURTEEN_DAYS, **({"FifoQueue": True} if fifo else {})}
            # kept like any queue holding messages (RL401/RL402)
            changes = (SetAttribute(REDRIVE_POLICY, policy),) + (() if pair is not None else (
                AddResource("AWS::SQS::Queue", dlq, attrs, resource_attributes=(
                    ("DeletionPolicy", "Retain"), ("UpdateReplacePolicy", "Retain"))),))
        if pair is not None:  # the team's own dead-letter queue: wire it, whatever its retention (RL502 judges that)
            return Fix(f"Name `{dlq}` as the dead-letter queue in a redrive policy", changes, safety=REVIEW,
                       note=f"after {MAX_RECEIVE_COUNT} failed receives a message moves to {pair.address}; check "
                            f"that nothing else reads that queue as its own work"
                            + ("; replaces the policy written for some conditions only" if written else ""))
        # replacing a written policy that evaluates to none (a condition) changes what the author meant
        return Fix(f"Add a dead-letter queue `{dlq}` and a redrive policy", changes,
                   safety="review" if written else "safe",
                   note=f"after {MAX_RECEIVE_COUNT} failed receives a message moves to the dead-letter queue"
                        + ("; replaces the policy written for some conditions only" if written else ""))

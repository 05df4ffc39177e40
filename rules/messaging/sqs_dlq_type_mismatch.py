from rlint.model import Severity, Unknown
from rlint.rules.attrs.sqs import FIFO_QUEUE, QUEUE_NAME, QUEUE_TYPES, REDRIVE_POLICY
from rlint.rules.base import Attr, Fix, RemoveAttribute, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.messaging import arn_name, dead_letter_sources, is_fifo, redrive_of


def _kind(fifo: bool) -> str:
    return "FIFO" if fifo else "standard"


class SqsDlqTypeMismatch(Rule):
    """## What it does
    Flags SQS queues whose dead-letter queue is of the other type: a FIFO queue (`fifo_queue` /
    `FifoQueue` true) redriving into a standard queue, or a standard queue redriving into a FIFO queue.
    The dead-letter queue is followed through the redrive policy (inline, `aws_sqs_queue_redrive_policy`,
    or a literal ARN, whose `.fifo` suffix tells the type).

    ## Why is this bad?
    AWS rejects it. The CloudFormation reference says "The dead-letter queue of a FIFO queue must also be a FIFO queue. Similarly, the
    dead-letter queue of a standard queue must also be a standard queue." `SetQueueAttributes` fails, so
    `terraform apply` errors out after creating the queues and the CloudFormation stack rolls back. The
    queue never gets its dead-letter queue.

    ## Example
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {}

    resource "aws_sqs_queue" "orders" {
      name       = "orders.fifo"
      fifo_queue = true
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
        FifoQueue: true
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersDlq.Arn
          maxReceiveCount: 5
    ```

    ## Use instead
    ```hcl
    resource "aws_sqs_queue" "orders_dlq" {
      name       = "orders-dlq.fifo"
      fifo_queue = true
    }
    ```
    ```yaml
    OrdersDlq:
      Type: AWS::SQS::Queue
      Properties:
        FifoQueue: true
    ```

    ## Known problems
    When either queue's FIFO flag comes from an undecidable value, or the dead-letter queue is named by a
    reference or ARN that cannot be resolved, the result is `unknown`. A literal ARN of a queue outside the
    configuration is judged by its name (FIFO queue names end in `.fifo`). cfn-lint's E3502 reports the same
    mismatch for templates; rlint also follows policies written as JSON strings (`Fn::Sub`), FIFO flags from
    parameter defaults and literal ARNs, and covers Terraform.

    ## Fix safety
    Needs review: the type of a queue cannot be changed in place. Turning the dead-letter queue into a FIFO
    (or standard) queue replaces it, and a FIFO queue's name must end in `.fifo`; messages already in the
    old dead-letter queue are deleted with it. rlint writes the change only when the dead-letter queue is
    in the configuration, has no name of its own and serves no queue of the other type; otherwise the fix
    is display-only.

    ## References
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
    """

    id = "RL503"
    name = "sqs-dlq-type-mismatch"
    severity = Severity.HIGH
    resource_types = QUEUE_TYPES
    graph_rule = True

    def check(self, res, ctx):
        redrive = redrive_of(ctx, res)
        if redrive is None:
            return
        fifo = is_fifo(ctx, res, FIFO_QUEUE)
        if isinstance(fifo, Unknown):
            yield self.unknown(res, fifo, at=FIFO_QUEUE)
            return
        if redrive.targets:
            dlqs = [(t.address, is_fifo(ctx, t, FIFO_QUEUE)) for t in redrive.targets]
        elif isinstance(redrive.target_arn, str):
            dlqs = [(arn_name(redrive.target_arn), arn_name(redrive.target_arn).endswith(".fifo"))]
        else:
            yield self.unknown(res, redrive.target_unknown(), what="the dead-letter queue's type")
            return
        at = REDRIVE_POLICY if redrive.inline else None
        targets = {t.address: t for t in redrive.targets}
        for name, dlq_fifo in dlqs:
            if isinstance(dlq_fifo, Unknown):
                yield self.unknown(res, dlq_fifo, what=f"the type of dead-letter queue {name}")
            elif dlq_fifo is not fifo:
                yield self.fail(
                    res,
                    f"{res.address} is a {_kind(fifo)} queue but its dead-letter queue {name} is a "
                    f"{_kind(dlq_fifo)} queue: SQS rejects the redrive policy and the deployment fails",
                    at=at,
                    fix=_type_fix(ctx, res, name, targets.get(name), fifo),
                )


# settings only a FIFO queue takes (AWS::SQS::Queue, aws_sqs_queue)
FIFO_ONLY = (Attr("content_based_deduplication", "content_based_deduplication",
                  "Properties.ContentBasedDeduplication"),
             Attr("deduplication_scope", "deduplication_scope", "Properties.DeduplicationScope"),
             Attr("fifo_throughput_limit", "fifo_throughput_limit", "Properties.FifoThroughputLimit"))


def _type_fix(ctx, source, name: str, dlq, fifo: bool) -> Fix:
    """The dead-letter queue turned into the source's type: written (it replaces the queue) when the
    configuration has it, it has no name of its own (a FIFO name must end in `.fifo`, a standard one must
    not) and no queue of the other type redrives into it."""
    title = f"Make dead-letter queue {name} a {_kind(fifo)} queue" + (
        " (`fifo_queue`/`FifoQueue` true, a name ending in `.fifo`)" if fifo else
        " (no FIFO flag, a name without `.fifo`)")
    note = "the change replaces the dead-letter queue; its messages are deleted"
    if dlq is None:
        return manual_fix(title, f"{name} is not in this configuration: change it where it is defined", note=note)
    if fifo:
        changes = (SetAttribute(FIFO_QUEUE, True, target=dlq),)
    else:
        changes = tuple(RemoveAttribute(a, target=dlq) for a in (FIFO_QUEUE,) + FIFO_ONLY if ctx.has(dlq, a))
    others = [q for q in dead_letter_sources(ctx, dlq) if is_fifo(ctx, q, FIFO_QUEUE) is not fifo]
    if others:
        return manual_fix(title, f"{name} is also the dead-letter queue of {others[0].address}, a "
                                 f"{_kind(not fifo)} queue: give each type a dead-letter queue of its own", changes,
                          note=note)
    if ctx.has(dlq, QUEUE_NAME):
        return manual_fix(title, f"{name} has a name of its own, which must change with the type (`.fifo`); "
                                 f"whatever sends to or reads it by name changes too", changes, note=note)
    return Fix(title, changes, safety="review", note=note)

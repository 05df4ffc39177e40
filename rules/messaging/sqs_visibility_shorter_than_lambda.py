from rlint.model import Severity, Unknown
from rlint.rules.attrs.lambda_ import TIMEOUT
from rlint.rules.attrs.sqs import QUEUE_TYPES, VISIBILITY_TIMEOUT
from rlint.rules.base import Fix, Rule, SetAttribute
from rlint.rules.graphutil.messaging import as_int, mappings_from_queue

MAX_VISIBILITY = 43200  # 12 hours, the SQS maximum


class SqsVisibilityShorterThanLambda(Rule):
    """## What it does
    Flags SQS queues that feed a Lambda function through an event source mapping
    (`aws_lambda_event_source_mapping` / `AWS::Lambda::EventSourceMapping`) while the queue's visibility
    timeout (`visibility_timeout_seconds` / `VisibilityTimeout`, default 30 s) is shorter than the
    function's timeout (`timeout` / `Timeout`, default 3 s).

    ## Why is this bad?
    Lambda rejects the mapping: it validates that the function timeout does not exceed the queue's visibility
    timeout when an event source mapping is created or updated, and returns an error otherwise, so `terraform apply` stops and the CloudFormation stack rolls back. Were it
    accepted, a batch still being processed would become visible again and be handed to a second
    invocation: duplicate processing, and receives that count towards `maxReceiveCount` and push healthy
    messages into the dead-letter queue. AWS recommends a visibility timeout of at least six times the
    function timeout.

    ## Example
    ```hcl
    resource "aws_sqs_queue" "jobs" {
      visibility_timeout_seconds = 30
    }

    resource "aws_lambda_function" "worker" {
      timeout = 120
      # ...
    }

    resource "aws_lambda_event_source_mapping" "jobs" {
      event_source_arn = aws_sqs_queue.jobs.arn
      function_name    = aws_lambda_function.worker.arn
    }
    ```
    ```yaml
    Jobs:
      Type: AWS::SQS::Queue
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Timeout: 120
    JobsMapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        EventSourceArn: !GetAtt Jobs.Arn
        FunctionName: !Ref Worker
    ```

    ## Use instead
    ```hcl
    resource "aws_sqs_queue" "jobs" {
      visibility_timeout_seconds = 720 # 6 x the function timeout
    }
    ```
    ```yaml
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 720
    ```

    ## Known problems
    Only mappings and functions in the same module or template are followed (through an alias or a version,
    and SAM `SQS` events as the transform expands them, `Globals` included). A
    timeout on either side that cannot be decided gives `unknown`. Visibility timeouts between the function
    timeout and six times it pass: they deploy, and the recommendation is advice rather than a rule.
    cfn-lint's E3505 reports the same rejection for templates with literal values; rlint also resolves
    parameter defaults on either side, and covers Terraform.

    ## Fix safety
    Safe: the visibility timeout changes in place. The fix sets it to six times the function timeout (at
    most 12 hours); a longer timeout also delays the retry of a message whose processing failed.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
    - https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
    - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sqs-queue.html
    """

    id = "RL507"
    name = "sqs-visibility-shorter-than-lambda"
    severity = Severity.HIGH
    resource_types = QUEUE_TYPES
    graph_rule = True

    def check(self, res, ctx):
        mappings = mappings_from_queue(ctx, res)
        functions = [f for _m, fns in mappings for f in fns]
        if not functions:
            return
        visibility = as_int(ctx.get(res, VISIBILITY_TIMEOUT))
        if isinstance(visibility, Unknown):
            yield self.unknown(res, visibility, at=VISIBILITY_TIMEOUT)
            return
        if not isinstance(visibility, int):
            return
        spelled = VISIBILITY_TIMEOUT.spelling(res.format)
        for fn in functions:
            timeout = as_int(ctx.get(fn, TIMEOUT))
            if isinstance(timeout, Unknown):
                yield self.unknown(res, timeout, what=f"the timeout of {fn.address}")
                continue
            if not isinstance(timeout, int) or visibility >= timeout:
                continue
            default = "" if ctx.has(res, VISIBILITY_TIMEOUT) else ", the default"
            wanted = min(6 * timeout, MAX_VISIBILITY)
            yield self.fail(
                res,
                f"{res.address} has a visibility timeout of {visibility} s (`{spelled}`{default}), shorter than "
                f"the {timeout} s timeout of {fn.address} that it feeds: Lambda rejects the event source "
                f"mapping",
                at=VISIBILITY_TIMEOUT,
                fix=Fix(f"Set `{spelled}` to {wanted} (6 x the function timeout)",
                        (SetAttribute(VISIBILITY_TIMEOUT, wanted),), safety="safe",
                        note="failed messages are retried later with a longer visibility timeout"),
            )
            return

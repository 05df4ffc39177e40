from rlint.model import Severity
from rlint.rules.attrs.lambda_ import DLQ_TARGET, FUNCTION_TYPES
from rlint.rules.base import AddResource, Fix, Rule, SetAttribute
from rlint.rules.graphutil.messaging import async_triggers, failure_handling
from rlint.rules.graphutil.notifications import quiet_trigger


class LambdaAsyncNoFailureDestination(Rule):
    """## What it does
    Flags Lambda functions that are invoked asynchronously (an S3 notification, an SNS subscription, an
    EventBridge rule target, or a permission for one of the asynchronous services) and have neither a
    dead-letter queue (`dead_letter_config` / `DeadLetterConfig`) nor an on-failure destination
    (`aws_lambda_function_event_invoke_config` / `AWS::Lambda::EventInvokeConfig`).

    ## Why is this bad?
    An asynchronous event is queued by Lambda, not by the caller. When the function keeps failing (an
    exception, a timeout, throttling past the event's maximum age), Lambda retries twice by default and
    then discards the event. Nobody who sent it is waiting for an answer, so the loss is silent: an
    uploaded file that is never processed, an order event that never reaches its handler. A dead-letter
    queue or an on-failure destination keeps the failed event, with the error, for inspection and replay.

    ## Example
    ```hcl
    resource "aws_lambda_function" "thumbnails" {
      function_name = "thumbnails"
      # ...
    }

    resource "aws_lambda_permission" "s3" {
      principal     = "s3.amazonaws.com"
      function_name = aws_lambda_function.thumbnails.function_name
      action        = "lambda:InvokeFunction"
    }
    ```
    ```yaml
    Thumbnails:
      Type: AWS::Lambda::Function
      Properties: { ... }
    S3Invoke:
      Type: AWS::Lambda::Permission
      Properties:
        Principal: s3.amazonaws.com
        FunctionName: !Ref Thumbnails
        Action: lambda:InvokeFunction
    ```

    ## Use instead
    ```hcl
    resource "aws_lambda_function_event_invoke_config" "thumbnails" {
      function_name = aws_lambda_function.thumbnails.function_name
      destination_config {
        on_failure {
          destination = aws_sqs_queue.thumbnails_failed.arn
        }
      }
    }
    ```
    ```yaml
    Thumbnails:
      Type: AWS::Lambda::Function
      Properties:
        DeadLetterConfig:
          TargetArn: !GetAtt ThumbnailsFailed.Arn
    ```

    ## Known problems
    Functions triggered only by SQS, Kinesis or DynamoDB event source mappings, or invoked synchronously
    (API Gateway, load balancers, direct calls) are not flagged: their failures go back to the caller or to
    the source queue's own redrive policy (RL501). Triggers that reach the function through an alias or a
    version, and SAM functions (`AWS::Serverless::Function` events), are not followed. A permission whose
    principal cannot be decided gives `unknown`. The role must be allowed to send to the dead-letter
    queue or destination, which is not checked. Functions whose asynchronous triggers are all quiet are not
    flagged: EventBridge schedules (a tick without payload, run again at the next one), EventBridge rules
    matching only security and health findings, and topics that only monitoring sources publish to (see
    RL504); a permission without a `source_arn` could let anything invoke the function and keeps it flagged.

    ## Fix safety
    Safe: the dead-letter queue is set in place. The fix adds an SQS queue (generate it with
    `rlint fix --generate`); the function's execution role also needs `sqs:SendMessage` on it. An
    on-failure destination (which records the error and the response) is the richer alternative.

    ## References
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
    - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-deadletterconfig.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function_event_invoke_config
    """

    id = "RL505"
    name = "lambda-async-no-failure-destination"
    severity = Severity.LOW
    resource_types = FUNCTION_TYPES
    checkov_ids = ("CKV_AWS_116",)
    graph_rule = True

    def check(self, res, ctx):
        triggers = async_triggers(ctx, res)
        if not triggers or failure_handling(ctx, res):
            return
        if all(quiet_trigger(ctx, t.source, t.service) for t in triggers):
            return  # schedule ticks and alert copies: nothing in a failed event is worth replaying
        known = [t for t in triggers if isinstance(t.service, str)]
        if not known:
            t = triggers[0]
            yield self.unknown(res, t.service, what=f"whether {t.source.address} invokes it asynchronously")
            return
        first = known[0]
        spelled = DLQ_TARGET.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} is invoked asynchronously by {first.service} ({first.source.address}) but has no "
            f"dead-letter queue (`{spelled}` is not set) and no on-failure destination: events that keep "
            f"failing are discarded after Lambda's retries",
            fix=self._fix(res),
        )

    @staticmethod
    def _fix(res) -> Fix:
        if res.format == "terraform":
            dlq = res.block_address.rsplit(".", 1)[-1] + "_failed"
            target = f"${{aws_sqs_queue.{dlq}.arn}}"
            add = AddResource("aws_sqs_queue", dlq, {"message_retention_seconds": 1209600})
        else:
            dlq = res.address + "Failed"
            target = {"Fn::GetAtt": [dlq, "Arn"]}
            add = AddResource("AWS::SQS::Queue", dlq, {"MessageRetentionPeriod": 1209600})
        return Fix(f"Send failed asynchronous events to a dead-letter queue `{dlq}`",
                   (SetAttribute(DLQ_TARGET, target), add), safety="safe",
                   note="the execution role needs sqs:SendMessage on the queue")

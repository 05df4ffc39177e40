import re

from rlint.model import Severity
from rlint.rules.attrs.lambda_ import DLQ_TARGET, FUNCTION_TYPES
from rlint.rules.base import AddResource, AppendItem, Attr, Fix, Rule, SetAttribute, manual_fix
from rlint.rules.graphutil.messaging import async_triggers, failure_handling
from rlint.rules.graphutil.notifications import notifier_function, quiet_trigger, rules_elsewhere


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
    (API Gateway, load balancers, direct calls, an IoT custom authorizer that no topic rule also invokes) are
    not flagged: their failures go back to the caller or to
    the source queue's own redrive policy (RL501). Triggers that reach the function through an alias or a
    version are followed to the function, and SAM functions are judged as the transform expands them (their
    `Events`, `DeadLetterQueue`, `EventInvokeConfig`, and `AutoPublishAlias`, which points every event source at
    the alias; docs/cloudformation.md). A permission whose
    principal cannot be decided gives `unknown`; a principal known in part is read from what is known: the
    Regional `logs.<Region>.amazonaws.com` is CloudWatch Logs also when the Region is read at plan or deploy
    time (`logs.${data.aws_region.current.name}.amazonaws.com`, `!Sub logs.${AWS::Region}.amazonaws.com`), and
    an ARN whose account is not known yet (`arn:aws:iam::${account}:role/operator`) or the ARN of a role or user
    is an IAM principal, which calls the function directly. When the only triggers that are not quiet have
    undecided principals, the result is `unknown`, whatever quiet triggers (a schedule) the function also has. The role must be allowed to send to the dead-letter
    queue or destination, which is not checked. Functions whose asynchronous triggers are all quiet are not
    flagged: EventBridge schedules (a tick without payload, run again at the next one), EventBridge rules
    matching only security and health findings, CloudWatch Logs subscriptions (copies of log events the log
    group keeps), AWS Config custom rules (an evaluation: Config keeps the configuration item and evaluates it
    again at the next change or period), and topics that only monitoring sources publish to (see RL504, also for
    the topics of a module's other callers and topics named for alarms; any topic when the function also forwards
    such a topic's alerts, or its name says it posts to a chat or paging service, `deployments_to_slack`); a
    permission without a `source_arn` could let anything invoke the
    function and keeps it flagged. A Terraform permission whose `source_arn` names EventBridge rules that are
    not in the configuration (`rule/check-*`, rules another root module creates) gives `unknown` when nothing
    else makes the function fail: whether those rules are schedules is written elsewhere. CloudFormation's
    `SourceArn` is not read that way yet (rlint's SAM expansion lacks the source ARNs the transform gives
    API, HTTP API, Cognito, IoT and Logs events), so such a permission still fails there.

    ## Fix safety
    Safe: the dead-letter queue is set in place. The fix adds a standard SQS queue (Lambda cannot send to a
    FIFO one), and in CloudFormation the `sqs:SendMessage` permission Lambda checks when the function is
    updated: inline in the function's role when the template has it, else an `AWS::IAM::Policy` on the role
    named by its ARN with `DependsOn` from the function; a role from a parameter or another stack makes the
    fix display-only. SAM functions get `DeadLetterQueue`, whose permission SAM adds to the role it
    generates. In Terraform the fix adds an `aws_iam_role_policy` on the function's role (its `aws_iam_role`, or
    the role named by a literal ARN) and `depends_on` from the function; a role from a variable or a data
    source makes it display-only. An on-failure destination (which records the error and the response) is
    the richer alternative.

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
        notifier = notifier_function(ctx, res)
        loud = [t for t in triggers if not quiet_trigger(ctx, t.source, t.service, notifier)]
        if not loud:
            return  # schedule ticks and alert copies: nothing in a failed event is worth replaying
        known = [t for t in loud if isinstance(t.service, str)]
        if not known:  # a schedule beside a permission of undecided principal: the failure is not the schedule's
            t = loud[0]
            yield self.unknown(res, t.service, what=f"whether {t.source.address} invokes it asynchronously")
            return
        elsewhere = [rules_elsewhere(ctx, t.source, t.service) for t in loud]
        if all(why is not None for why in elsewhere):  # only rules of another configuration: schedules or events, not written here
            yield self.unknown(res, elsewhere[0], what="whether the events that invoke it are worth keeping")
            return
        first = known[0]
        spelled = DLQ_TARGET.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} is invoked asynchronously by {first.service} ({first.source.address}) but has no "
            f"dead-letter queue (`{spelled}` is not set) and no on-failure destination: events that keep "
            f"failing are discarded after Lambda's retries",
            fix=self._fix(ctx, res),
        )

    @staticmethod
    def _fix(ctx, res) -> Fix:
        if res.format == "terraform":
            return terraform_dead_letter_fix(ctx, res)
        return cfn_dead_letter_fix(ctx, res)


TF_DEPENDS_ON = Attr("depends_on", "depends_on", None)


def terraform_dead_letter_fix(ctx, res) -> Fix:
    """A standard SQS queue as the function's dead-letter queue, and `sqs:SendMessage` on it for the function's
    role (an `aws_iam_role_policy` the function depends on, so the permission exists before Lambda checks it);
    a role this configuration does not create is shown the policy, not given it."""
    local = res.block_address.rsplit(".", 1)[-1]
    dlq = local + "_failed"
    arn = f"${{aws_sqs_queue.{dlq}.arn}}"
    queue = AddResource("aws_sqs_queue", dlq, {"message_retention_seconds": RETENTION_14_DAYS})
    roles = ctx.graph.targets(res, attr=("role",), type="aws_iam_role")
    written = res.attrs.get("role")
    name = _arn_role_name(written) if isinstance(written, str) else None
    role = f"${{{roles[0].block_address}.id}}" if len(roles) == 1 else name or "<the function's execution role name>"
    policy = AddResource("aws_iam_role_policy", f"{local}_dead_letter", {
        "name": f"{local}-dead-letter", "role": role,
        "policy": "${jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", "
                  f"Action = \"sqs:SendMessage\", Resource = aws_sqs_queue.{dlq}.arn }}] }})}}"})
    changes = (SetAttribute(DLQ_TARGET, arn), queue, policy,
               AppendItem(TF_DEPENDS_ON, f"${{aws_iam_role_policy.{local}_dead_letter}}"))
    title = f"Send failed asynchronous events to a dead-letter queue `{dlq}`"
    if len(roles) != 1 and name is None:
        return manual_fix(title, "the function's execution role is not created here (a variable, a data source, "
                                 "another configuration): it needs sqs:SendMessage on the queue before the "
                                 "function is updated, or Lambda rejects the update; attach the policy shown to "
                                 "that role", changes)
    return Fix(title, changes, safety="safe",
               note=f"role {roles[0].block_address if roles else name} gets sqs:SendMessage on the queue before the "
                    f"function uses it (depends_on)")


RETENTION_14_DAYS = 1209600
SAM_DEAD_LETTER_QUEUE = Attr("sam_dead_letter_queue", None, "Properties.DeadLetterQueue")
ROLE_POLICIES = Attr("role_policies", None, "Properties.Policies")
DEPENDS_ON = Attr("depends_on", None, "DependsOn")
ROLE = Attr("role", None, "Properties.Role")
ROLE_TYPE = "AWS::IAM::Role"


def cfn_dead_letter_fix(ctx, res) -> Fix:
    """A standard SQS queue as the function's dead-letter queue, with the permission Lambda checks when the
    function is updated: `sqs:SendMessage` on the function's execution role. SAM writes `DeadLetterQueue`
    and adds the permission to the role it generates; a role of this template gets an inline policy; a role
    named by a literal ARN gets an `AWS::IAM::Policy` the function depends on; a role from a parameter or
    another stack cannot be changed here (display-only)."""
    dlq = res.address + "Failed"
    condition = res.meta.get("condition")
    keep = (("DeletionPolicy", "Retain"), ("UpdateReplacePolicy", "Retain"))  # failed events are data (RL401/402)
    queue = AddResource("AWS::SQS::Queue", dlq, {"MessageRetentionPeriod": RETENTION_14_DAYS},
                        resource_attributes=keep + ((("Condition", condition),) if condition else ()))
    arn = {"Fn::GetAtt": [dlq, "Arn"]}
    title = f"Send failed asynchronous events to a dead-letter queue `{dlq}`"
    sam = res.meta.get("sam_source")
    if sam is not None:
        dead_letter = SetAttribute(SAM_DEAD_LETTER_QUEUE, {"Type": "SQS", "TargetArn": arn})
    else:
        dead_letter = SetAttribute(DLQ_TARGET, arn)
    roles = ctx.graph.targets(res, attr=ROLE.path(res.format), type=ROLE_TYPE)
    role = roles[0] if len(roles) == 1 else None
    statement = {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": arn}
    document = {"Version": "2012-10-17", "Statement": [statement]}
    if role is not None and sam is not None and role.meta.get("sam_source") == sam:
        return Fix(title, (dead_letter, queue), safety="safe",
                   note="SAM adds sqs:SendMessage on the queue to the role it generates for the function")
    if role is not None and role.meta.get("sam_source") is None:
        policy = {"PolicyName": f"{res.address}DeadLetterQueue", "PolicyDocument": document}
        if condition and role.meta.get("condition") != condition:
            policy = {"Fn::If": [condition, policy, {"Ref": "AWS::NoValue"}]}  # the queue exists only then
        return Fix(title, (dead_letter, queue, AppendItem(ROLE_POLICIES, policy, target=role)), safety="safe",
                   note=f"the function's role {role.address} gets sqs:SendMessage on the queue")
    name = role_name(res)
    policy_id = f"{res.address}DeadLetterPolicy"
    attach = AddResource("AWS::IAM::Policy", policy_id,
                         {"PolicyName": policy_id, "Roles": [name or "<the function's execution role name>"],
                          "PolicyDocument": document},
                         resource_attributes=(("Condition", condition),) if condition else ())
    changes = (dead_letter, queue, attach, AppendItem(DEPENDS_ON, policy_id))
    if name is None:
        return manual_fix(title, "the function's execution role comes from a parameter or another stack: it needs "
                                 "sqs:SendMessage on the queue before the function is updated, or Lambda rejects "
                                 "the update; attach the policy shown to that role", changes)
    return Fix(title, changes, safety="safe",
               note=f"role {name} gets sqs:SendMessage on the queue before the function uses it (DependsOn)")


def role_name(res):
    """The role name in a literal role ARN (`arn:aws:iam::123456789012:role/path/name`), also inside
    Fn::Sub with only pseudo parameters; None when the role is chosen elsewhere."""
    raw = ((res.meta.get("raw") or {}).get("Properties") or {}).get("Role")
    if isinstance(raw, dict) and list(raw) == ["Fn::Sub"] and isinstance(raw["Fn::Sub"], str):
        raw = raw["Fn::Sub"]
    return _arn_role_name(raw) if isinstance(raw, str) else None


def _arn_role_name(raw: str):
    m = re.fullmatch(r"arn:(?:aws[\w-]*|\$\{AWS::Partition\}):iam::(?:\d{12}|\$\{AWS::AccountId\}):"
                     r"role/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)", raw)
    return m.group(1) if m else None

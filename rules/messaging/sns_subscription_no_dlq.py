from rlint.model import MISSING, Severity, Unknown
from rlint.rules.attrs.sns import PROTOCOL, SUBSCRIPTION_REDRIVE_POLICY, SUBSCRIPTION_TYPES
from rlint.rules.base import AddResource, Fix, Rule, SetAttribute
from rlint.rules.graphutil.messaging import policy_document
from rlint.rules.graphutil.notifications import alert_only_delivery, topics_of

# Protocols whose failed deliveries SNS can send to a dead-letter queue (email and SMS are not practical).
DLQ_PROTOCOLS = ("sqs", "lambda", "http", "https", "firehose")


class SnsSubscriptionNoDlq(Rule):
    """## What it does
    Flags SNS subscriptions with protocol `sqs`, `lambda`, `http`, `https` or `firehose` that have no
    redrive policy (`redrive_policy` / `RedrivePolicy`).

    ## Why is this bad?
    When SNS cannot deliver a message to an endpoint (the queue's policy denies it, the function was
    deleted or throttled, the HTTP endpoint is down past the delivery retry policy), it retries and then
    discards the message. Without a dead-letter queue on the subscription the message is gone and nothing
    records that it existed. A redrive policy sends undeliverable messages to an SQS queue where they can
    be inspected, alarmed on and replayed.

    ## Example
    ```hcl
    resource "aws_sns_topic_subscription" "orders" {
      topic_arn = aws_sns_topic.events.arn
      protocol  = "sqs"
      endpoint  = aws_sqs_queue.orders.arn
    }
    ```
    ```yaml
    OrdersSubscription:
      Type: AWS::SNS::Subscription
      Properties:
        TopicArn: !Ref Events
        Protocol: sqs
        Endpoint: !GetAtt Orders.Arn
    ```

    ## Use instead
    ```hcl
    resource "aws_sns_topic_subscription" "orders" {
      topic_arn      = aws_sns_topic.events.arn
      protocol       = "sqs"
      endpoint       = aws_sqs_queue.orders.arn
      redrive_policy = jsonencode({ deadLetterTargetArn = aws_sqs_queue.orders_sub_dlq.arn })
    }
    ```
    ```yaml
    OrdersSubscription:
      Type: AWS::SNS::Subscription
      Properties:
        TopicArn: !Ref Events
        Protocol: sqs
        Endpoint: !GetAtt Orders.Arn
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersSubscriptionDlq.Arn
    ```

    ## Known problems
    Email, email-json, SMS and application (mobile push) subscriptions are not flagged. Subscriptions declared
    inline in `AWS::SNS::Topic.Subscription` cannot carry a redrive policy and are not examined. A protocol that
    cannot be decided gives `unknown`; a redrive policy whose value cannot be decided counts as present. The
    dead-letter queue must allow SNS to send to it (a queue policy), which this rule does not check (its fix
    adds one). Not flagged either: subscriptions to a topic that only monitoring sources publish to (CloudWatch
    alarms, RDS and other event subscriptions, ElastiCache notifications, Budgets, Backup vault and Auto Scaling
    notifications, EventBridge rules matching GuardDuty, Security Hub, Health and similar findings): they carry
    copies of alerts whose state stays with the alarm; nor subscriptions that deliver to a paging or chat
    service (a literal endpoint on its host, or one taken from a secret or variable whose name says Slack,
    PagerDuty, Opsgenie, VictorOps or Chatbot: `data.aws_secretsmanager_secret_version.slack_webhook`), to a
    function that forwards such a topic's alerts or whose name says it posts to such a service
    (`alerts_to_slack`), or to the same endpoint as a subscription of such a topic. A topic nothing in the
    configuration publishes to is judged like any other, unless its own name says it carries alarms (the word
    `alarm` or `alarms`: `payments-error-alarm`; `alerts` is not enough, a customer's price alert is data), or it
    belongs to another instance of a module block (a module called more than once) whose other callers' topics
    get only monitoring sources here: a topic-to-function trigger module that forwards alarms for one caller
    forwards them for the callers whose alarms are defined in another configuration. A caller of such a module
    that gets any other publisher keeps every caller judged, and so do the `count`/`for_each` instances of one
    block.

    ## Fix safety
    Safe: the redrive policy is set in place. The fix adds a dead-letter queue and a queue policy that lets
    the subscription's topic send to it (only that topic where the configuration names it; in
    CloudFormation, a topic from a parameter or another stack gets a policy for topics of the stack's own
    account). Without the policy SNS cannot move a message to the queue and still discards it.

    ## References
    - https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic_subscription#redrive_policy
    """

    id = "RL504"
    name = "sns-subscription-no-dlq"
    severity = Severity.LOW
    resource_types = SUBSCRIPTION_TYPES
    graph_rule = True

    def check(self, res, ctx):
        protocol = ctx.get(res, PROTOCOL)
        if isinstance(protocol, Unknown):
            if policy_document(ctx.get(res, SUBSCRIPTION_REDRIVE_POLICY)) is not MISSING:
                return
            yield self.unknown(res, protocol, at=PROTOCOL)
            return
        if not isinstance(protocol, str) or protocol.lower() not in DLQ_PROTOCOLS:
            return
        if policy_document(ctx.get(res, SUBSCRIPTION_REDRIVE_POLICY)) is not MISSING:
            return
        if alert_only_delivery(ctx, res):
            return  # copies of alerts: the alarm keeps its state, and nobody replays a lost page
        spelled = SUBSCRIPTION_REDRIVE_POLICY.spelling(res.format)
        yield self.fail(
            res,
            f"{res.address} delivers to `{protocol}` without a dead-letter queue (`{spelled}` is not set): "
            f"messages SNS cannot deliver are discarded after its retries",
            at=PROTOCOL,
            fix=self._fix(ctx, res),
        )

    @staticmethod
    def _fix(ctx, res) -> Fix:
        """The dead-letter queue, the redrive policy, and the queue policy SNS needs to send to the queue
        (without it SNS cannot move undeliverable messages there and still discards them). The policy admits
        only this subscription's topic where the topic is known, else topics of the stack's own account."""
        statement = {"Sid": "AllowTopicDeadLetters", "Effect": "Allow",
                     "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage"}
        if res.format == "terraform":
            dlq = res.block_address.rsplit(".", 1)[-1] + "_dlq"
            policy = f"${{jsonencode({{ deadLetterTargetArn = aws_sqs_queue.{dlq}.arn }})}}"
            add = AddResource("aws_sqs_queue", dlq, {"message_retention_seconds": 1209600})
            allow = AddResource("aws_sqs_queue_policy", dlq, {
                "queue_url": f"${{aws_sqs_queue.{dlq}.id}}",
                "policy": "${jsonencode({ Version = \"2012-10-17\", Statement = [{ Sid = \"AllowTopicDeadLetters\", "
                          "Effect = \"Allow\", Principal = { Service = \"sns.amazonaws.com\" }, "
                          f"Action = \"sqs:SendMessage\", Resource = aws_sqs_queue.{dlq}.arn, "
                          f"Condition = {{ ArnEquals = {{ \"aws:SourceArn\" = {res.block_address}.topic_arn }} }} }}] }})}}"})
        else:
            dlq = res.address + "Dlq"
            policy = {"deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]}}
            add = AddResource("AWS::SQS::Queue", dlq, {"MessageRetentionPeriod": 1209600})
            topics = [t for t in topics_of(ctx, res) if t.file == res.file]
            source = ({"ArnEquals": {"aws:SourceArn": {"Ref": topics[0].address}}} if len(topics) == 1 else
                      {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})
            allow = AddResource("AWS::SQS::QueuePolicy", dlq + "Policy", {
                "Queues": [{"Ref": dlq}],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                    dict(statement, Resource={"Fn::GetAtt": [dlq, "Arn"]}, Condition=source)]}})
        return Fix(f"Add a dead-letter queue `{dlq}` that the topic may send to, and a redrive policy",
                   (SetAttribute(SUBSCRIPTION_REDRIVE_POLICY, policy), add, allow), safety="safe")

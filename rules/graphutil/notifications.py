"""Deliveries that carry no data of the system: alert notifications and schedule ticks.

A topic whose publishers in the configuration are monitoring sources (CloudWatch alarms, database and cache
event subscriptions, AWS Budgets, AWS Backup vault notifications, Auto Scaling notifications, EventBridge rules
that match security and health findings), with at most functions beside them, carries copies of alerts: the state they report stays with
their source, and a message that cannot be delivered has nobody to replay it to. A function run by an
EventBridge schedule receives a tick without payload: the next tick runs it again. Dead-letter queues for such
deliveries (RL504, RL505) hold nothing worth reprocessing.

A topic that nothing in the configuration publishes to (its publishers live elsewhere) is not classified, except
by its name and by the other instances of its module: a topic named for alarms (`lambda_error_alarm`) is one, and
a trigger module that one caller feeds with alarms forwards alerts for the callers whose alarms are defined in
other configurations too. A delivery to a chat or paging service, named as such where its endpoint or function
comes from (`data.aws_secretsmanager_secret_version.slack_webhook`, a function `alerts_to_slack`), is a
notification as well.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.lambda_ import PERMISSION_SOURCE_ARN
from rlint.rules.base import RuleContext, lookup
from rlint.rules.graphutil.messaging import policy_document
from rlint.rules.graphutil.names import own_names, words

# resources whose references to a topic publish alerts about the system to it
MONITORING_PUBLISHERS = frozenset({
    "aws_cloudwatch_metric_alarm", "aws_cloudwatch_composite_alarm", "AWS::CloudWatch::Alarm",
    "AWS::CloudWatch::CompositeAlarm",
    "aws_db_event_subscription", "aws_dms_event_subscription", "aws_redshift_event_subscription",
    "aws_neptune_event_subscription", "aws_docdb_event_subscription", "AWS::RDS::EventSubscription",
    "AWS::DMS::EventSubscription", "AWS::Redshift::EventSubscription", "AWS::Neptune::EventSubscription",
    "AWS::DocDB::EventSubscription",
    "aws_elasticache_replication_group", "aws_elasticache_cluster",  # notification_topic_arn: cache events
    "aws_budgets_budget", "AWS::Budgets::Budget", "aws_backup_vault_notifications",
    "aws_autoscaling_notification", "aws_codestarnotifications_notification_rule",
    "aws_applicationinsights_application",
})
# resources that refer to a topic without publishing to it
NEUTRAL_REFERRERS = frozenset({
    "aws_sns_topic_subscription", "AWS::SNS::Subscription", "aws_sns_topic_policy", "AWS::SNS::TopicPolicy",
    "aws_sns_topic_data_protection_policy", "aws_lambda_permission", "AWS::Lambda::Permission",
    "aws_iam_policy", "aws_iam_role_policy", "aws_iam_role", "aws_iam_user_policy", "aws_iam_group_policy",
    "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "aws_kms_key_policy",
})
# EventBridge event sources that report findings and health, not the system's own business events
MONITORING_EVENT_SOURCES = frozenset({
    "aws.guardduty", "aws.securityhub", "aws.health", "aws.config", "aws.inspector", "aws.inspector2",
    "aws.macie", "aws.access-analyzer", "aws.trustedadvisor", "aws.cloudwatch", "aws.budgets", "aws.acm",
})
# incident-management and chat services: a message they do not take is a missed page, not lost data
PAGING_HOSTS = ("pagerduty.com", "opsgenie.com", "victorops.com", "hooks.slack.com", "webhook.office.com",
                "chatbot.amazonaws.com")
PAGING_PROVIDERS = ("pagerduty_", "opsgenie_", "victorops_", "splunk_oncall_", "squadcast_")
# words that name those services in the name of a secret, variable or function a delivery comes from
PAGING_WORDS = frozenset({"slack", "pagerduty", "opsgenie", "victorops", "chatbot"})
# a topic whose own name says it carries alarms, when nothing here publishes to it
ALARM_WORDS = frozenset({"alarm", "alarms"})
RULE_TYPES = ("aws_cloudwatch_event_rule", "AWS::Events::Rule")
SUBSCRIPTION_TYPES = ("aws_sns_topic_subscription", "AWS::SNS::Subscription")
FUNCTION_TYPES = ("aws_lambda_function", "AWS::Lambda::Function")
SCHEDULE_TYPES = ("aws_scheduler_schedule", "AWS::Scheduler::Schedule")  # EventBridge Scheduler
EVENT_TARGET_TYPE = "aws_cloudwatch_event_target"


def _rule_field(rule: Resource, tf: str, cfn: str) -> Any:
    return rule.attrs.get(tf, MISSING) if rule.format == "terraform" else lookup(rule.attrs, ("Properties", cfn))


def scheduled_rule(rule: Resource) -> bool:
    """An EventBridge rule that fires on a schedule and matches no events (a rule needs one or the other, so a
    schedule whose expression is not known here still is one)."""
    schedule = _rule_field(rule, "schedule_expression", "ScheduleExpression")
    pattern = _rule_field(rule, "event_pattern", "EventPattern")
    return schedule is not MISSING and schedule is not None and (pattern is MISSING or pattern is None)


def monitoring_rule(rule: Resource) -> bool:
    """An EventBridge rule whose pattern matches only security, health and monitoring findings."""
    pattern = policy_document(_rule_field(rule, "event_pattern", "EventPattern"))  # a JSON string in Terraform
    sources = pattern.get("source") if isinstance(pattern, dict) else None
    sources = [sources] if isinstance(sources, str) else sources
    return isinstance(sources, list) and bool(sources) and \
        all(isinstance(s, str) and s in MONITORING_EVENT_SOURCES for s in sources)


def quiet_rule(rule: Resource) -> bool:
    if rule.type in SCHEDULE_TYPES:
        return True
    return rule.type in RULE_TYPES and (scheduled_rule(rule) or monitoring_rule(rule))


def _event_target_rules(ctx: RuleContext, target: Resource) -> list:
    return [r for r in ctx.graph.targets(target) if r.type in RULE_TYPES]


def _monitoring_publisher(ctx: RuleContext, res: Resource) -> bool:
    if res.type in MONITORING_PUBLISHERS:
        return True
    if res.type == EVENT_TARGET_TYPE:
        rules = _event_target_rules(ctx, res)
        return bool(rules) and all(monitoring_rule(r) for r in rules)
    return res.type == "AWS::Events::Rule" and monitoring_rule(res)


def _publishers(ctx: RuleContext, topic: Resource) -> list:
    return [r for r in ctx.graph.referrers(topic) if r.type not in NEUTRAL_REFERRERS]


def monitoring_topic(ctx: RuleContext, topic: Resource) -> bool:
    """True when the configuration publishes to the topic, and only from monitoring sources. (A topic that
    leaves the configuration may get more publishers there; alarms and business events are not mixed on one
    topic in practice, so the ones seen here decide. A topic nothing here publishes to is one when its name says
    it carries alarms.)"""
    publishers = _publishers(ctx, topic)
    if not publishers:  # its publishers are elsewhere: only a name that says alarms classifies it
        return bool(ALARM_WORDS & _name_words(topic, "name", "TopicName"))
    monitoring = [r for r in publishers if _monitoring_publisher(ctx, r)]
    # beside alarms, a function that publishes (a fire drill, a custom check) sends alerts as well; an
    # S3 bucket, an SES configuration set or an EventBridge business rule sends the system's events
    return bool(monitoring) and all(r in monitoring or r.type in FUNCTION_TYPES for r in publishers)


def topics_of(ctx: RuleContext, res: Resource) -> list:
    """The SNS topics a subscription or permission names (`topic_arn`, `source_arn`, CloudFormation
    `TopicArn`, `SourceArn`), or the topic itself for a CloudFormation topic with inline subscriptions."""
    if res.type == "AWS::SNS::Topic":
        return [res]
    return [t for t in ctx.graph.targets(res) if t.type in ("aws_sns_topic", "AWS::SNS::Topic")]


def paging_endpoint(res: Resource) -> bool:
    """A subscription that delivers to an incident-management or chat service: a literal endpoint on one of
    their hosts, or an endpoint built from a PagerDuty/Opsgenie/... resource of the configuration or from a
    secret or variable named for such a service (`data.aws_secretsmanager_secret_version.slack_webhook`)."""
    endpoint = res.attrs.get("endpoint") if res.format == "terraform" else lookup(res.attrs, ("Properties", "Endpoint"))
    if isinstance(endpoint, str):
        host = urlsplit(endpoint).hostname or ""
        return any(host == h or host.endswith("." + h) for h in PAGING_HOSTS)
    if any(("endpoint" in path or "Endpoint" in path) and
           (any(part.startswith(PAGING_PROVIDERS) for part in target.split("."))
            or PAGING_WORDS & words(target.rsplit(".", 1)[-1]))
           for path, target, _attr in res.refs):
        return True
    # a variable or parameter it comes from (`var.slack_webhook_url`): the hops of its value's provenance
    hops = (res.meta.get("origins") or {}).get(("endpoint",) if res.format == "terraform" else ("Properties", "Endpoint")) or ()
    return any(PAGING_WORDS & words(hop.name.rsplit(".", 1)[-1]) for hop in hops if hop.kind != "computed")


def _fed_by_alerts(ctx: RuleContext, res: Resource) -> bool:
    topics = topics_of(ctx, res)
    return bool(topics) and all(monitoring_topic(ctx, t) for t in topics)


def notifier_function(ctx: RuleContext, fn: Resource) -> bool:
    """A function that a monitoring topic of the configuration feeds, or whose name says it posts to a chat or
    paging service (`security_alerts_to_slack`): an alert forwarder, whose other topics, defined elsewhere,
    carry alerts too."""
    if PAGING_WORDS & _name_words(fn, "function_name", "FunctionName"):
        return True
    return any(r.type in SUBSCRIPTION_TYPES and _fed_by_alerts(ctx, r) for r in ctx.graph.referrers(fn))


def _name_words(res: Resource, tf_name: str, cfn_name: str) -> set:
    """The words of a resource's own names: its block name or logical id, and its decided name attribute."""
    return set().union(*(words(label) for label in own_names(res, _rule_field(res, tf_name, cfn_name))))


def _alerts_like_other_instances(ctx: RuleContext, res: Resource) -> bool:
    """The subscription or permission is one instance of a module block (a topic-to-function trigger module) whose
    topics nothing in the configuration publishes to, while another instance of the same block, called from
    another module instance, delivers a monitoring topic's alerts and none delivers other events: the module
    forwards alerts, and this caller's alarms live in another configuration. Instances of one block's own
    `count`/`for_each` share a module instance and may mix topics, so they are no evidence."""
    topics = topics_of(ctx, res)
    if not topics or any(_publishers(ctx, t) for t in topics):
        return False
    others = [o for o in ctx.graph.in_unit_of_type(res, res.type)
              if o.span.file == res.span.file and o.span.line == res.span.line and o.block_address != res.block_address]
    published = [o for o in others if any(_publishers(ctx, t) for t in topics_of(ctx, o))]
    return bool(published) and all(_fed_by_alerts(ctx, o) for o in published)


def alert_only_delivery(ctx: RuleContext, res: Resource) -> bool:
    """A subscription or a Lambda permission whose topics all carry only monitoring notifications (or, with no
    publisher here, that another instance of its module block delivers such alerts), a subscription that pages
    someone, or one that feeds an alert forwarder."""
    if _fed_by_alerts(ctx, res) or _alerts_like_other_instances(ctx, res):
        return True
    if res.type not in SUBSCRIPTION_TYPES:
        return False
    if paging_endpoint(res):
        return True
    if any(t.type in FUNCTION_TYPES and notifier_function(ctx, t) for t in ctx.graph.targets(res)):
        return True
    return _alert_sink(ctx, res)


def _endpoint(res: Resource) -> Any:
    return res.attrs.get("endpoint", MISSING) if res.format == "terraform" else \
        lookup(res.attrs, ("Properties", "Endpoint"))


def _alert_sink(ctx: RuleContext, res: Resource) -> bool:
    """The subscription's endpoint (the same literal, or the same unresolved variable) also receives a
    monitoring topic's alerts through another subscription: a webhook or queue of the alerting system."""
    endpoint = _endpoint(res)
    if endpoint is MISSING or endpoint is None:
        return False
    return any(other is not res and _endpoint(other) == endpoint and (_fed_by_alerts(ctx, other) or
                                                                      paging_endpoint(other))
               for other in ctx.graph.in_unit_of_type(res, *SUBSCRIPTION_TYPES))


def quiet_trigger(ctx: RuleContext, source: Resource, service: Any, notifier: bool = False) -> bool:
    """A trigger whose events carry no data worth a dead-letter queue: a schedule tick, a monitoring finding,
    an alert notification (any topic, when the function is an alert forwarder: `notifier`)."""
    if isinstance(service, Unknown):
        return False
    if service == "CloudWatch Logs":
        return True  # a copy of log events: the log group keeps them whatever happens to the function
    if service == "AWS Config":
        return True  # a rule evaluation: Config keeps the configuration item and evaluates again later
    if notifier and service == "SNS":
        return True
    if source.type == EVENT_TARGET_TYPE:
        rules = _event_target_rules(ctx, source)
        return bool(rules) and all(quiet_rule(r) for r in rules)
    if source.type == "AWS::Events::Rule":
        return quiet_rule(source)
    if source.type in ("aws_lambda_permission", "AWS::Lambda::Permission"):
        if service == "EventBridge":
            rules = [r for r in ctx.graph.targets(source) if r.type in RULE_TYPES + SCHEDULE_TYPES]
            return bool(rules) and all(quiet_rule(r) for r in rules)
        return service == "SNS" and alert_only_delivery(ctx, source)
    if service == "SNS":
        return alert_only_delivery(ctx, source)
    return False


def rules_elsewhere(ctx: RuleContext, source: Resource, service: Any) -> Any:
    """For a permission that lets EventBridge invoke a function from rules named by its source ARN, none of
    them in the configuration (another configuration's rules, `rule/check-*`): an Unknown, since whether they
    are schedules is not written here; None for every other trigger. A permission without a source ARN lets
    any rule of the account invoke the function and stays a trigger that carries events."""
    if service != "EventBridge" or source.type != "aws_lambda_permission":  # Terraform only: PERMISSION_SOURCE_ARN
        return None
    named = ctx.get(source, PERMISSION_SOURCE_ARN)
    if named is MISSING or named is None:
        return None
    if any(r.type in RULE_TYPES + SCHEDULE_TYPES for r in ctx.graph.targets(source)):
        return None
    return Unknown(f"the EventBridge rules {source.address} lets invoke it are not in the configuration, so "
                   f"whether they are schedules is not known")


__all__ = ["monitoring_topic", "alert_only_delivery", "notifier_function", "quiet_trigger", "rules_elsewhere",
           "scheduled_rule",
           "monitoring_rule"]

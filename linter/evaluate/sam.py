"""SAM (`Transform: AWS::Serverless-2016-10-31`): expand the serverless resources into what they create.

Only what reliability rules read is generated: a Function's Lambda function, its event source mappings,
SNS subscriptions (and the queues of `SqsSubscription`), EventBridge rules and Scheduler schedules, permissions,
S3 bucket notifications, its dead-letter target and event invoke config; a StateMachine's rules and schedules;
a SimpleTable's DynamoDB table; an Api's RestApi and Stage; an HttpApi's Api and Stage.
Logical ids follow SAM's scheme (`Fn`, `FnRole`, `Fn<Event>`, `Fn<Event>Permission`,
`FnEventInvokeConfig`, `<Api><Stage>Stage`) without the content hashes SAM adds to versions and deployments.

`DeletionPolicy`, `UpdateReplacePolicy` and `Condition` go to every generated resource; `DependsOn` and
`Metadata` only to the base resource (the SAM resource attributes specification). Other `AWS::Serverless::*`
types are kept as they are: no rule reads them.

This works on the raw template, before intrinsics are evaluated, as the transform does.
"""
from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..lazy_regex import lazy_regex

_CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2"  # the hosted zone of every CloudFront distribution
_PROPAGATED = ("DeletionPolicy", "UpdateReplacePolicy", "Condition")
_BASE_ONLY = ("DependsOn", "Metadata")

# SAM Function properties that are Lambda function properties under the same name
_FUNCTION_PASSTHROUGH = ("FunctionName", "Handler", "Runtime", "Timeout", "MemorySize", "Environment", "VpcConfig",
                         "ReservedConcurrentExecutions", "Layers", "Architectures", "KmsKeyArn", "EphemeralStorage",
                         "FileSystemConfigs", "ImageConfig", "PackageType", "SnapStart", "LoggingConfig",
                         "Description", "CodeSigningConfigArn", "RuntimeManagementConfig", "RecursiveLoop")
_MAPPING_EVENTS = {"SQS": "Queue", "Kinesis": "Stream", "DynamoDB": "Stream", "MSK": "Stream", "MQ": "Broker",
                   "DocumentDB": "Cluster", "SelfManagedKafka": None}
_MAPPING_PASSTHROUGH = ("BatchSize", "Enabled", "FilterCriteria", "MaximumBatchingWindowInSeconds", "ScalingConfig",
                        "FunctionResponseTypes", "StartingPosition", "StartingPositionTimestamp", "DestinationConfig",
                        "MaximumRecordAgeInSeconds", "MaximumRetryAttempts", "BisectBatchOnFunctionError",
                        "ParallelizationFactor", "TumblingWindowInSeconds", "Topics", "Queues",
                        "SourceAccessConfigurations", "KmsKeyArn", "MetricsConfig")


@dataclass(frozen=True)
class _Target:
    """What an event source names as the function it invokes: `ref` where a name is expected (mappings,
    permissions), `arn` where an ARN is (subscriptions, rules, notifications). With AutoPublishAlias both are
    the alias (its Ref is its ARN)."""

    ref: Any
    arn: Any


def _hashed(prefix: str, data: Any) -> str:
    """The transform's logical ids for resources named after data (a domain, a hosted zone): the first 10 hex
    digits of the SHA-1 of the data (as text, or as compact sorted JSON) after the prefix."""
    import hashlib  # loads OpenSSL: only for the few SAM resources named after data

    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"), sort_keys=True)
    return prefix + (hashlib.sha1(text.encode("utf-8")).hexdigest()[:10] if text else "")  # noqa: S324 - a name


def _suffixed(prefix: str, data: Any) -> str:
    """Permissions and stages: the data appended when it is alphanumeric, else hashed."""
    if isinstance(data, str) and (data == "" or data.isalnum()):
        return prefix + data
    return _hashed(prefix, data)


@dataclass
class Generated:
    body: dict
    source: str  # the SAM resource's logical id
    base_path: tuple = ()  # where, inside the SAM resource, this resource's settings were written
    renames: dict = field(default_factory=dict)  # attr path of the generated resource -> path under base_path
    prefix: tuple = ()  # the generated path that corresponds to base_path


def _ref(name: str) -> dict:
    return {"Ref": name}


def _arn(name: str) -> dict:
    return {"Fn::GetAtt": [name, "Arn"]}


def _send_grant(queues: list, queue_arn: Any, principal: Any, source_arn: Any) -> dict:
    """The properties of an `AWS::SQS::QueuePolicy` that lets `principal` send to the queue from `source_arn`
    only, as SAM writes it for a topic's or an EventBridge rule's queue."""
    return {"Queues": queues, "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
        "Action": "sqs:SendMessage", "Effect": "Allow", "Principal": principal, "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}}}]}}


def _tags_list(tags: Any) -> Any:
    if isinstance(tags, dict):
        return [{"Key": k, "Value": v} for k, v in tags.items()]
    return tags


def _merge_globals(props: dict, glob: dict) -> dict:
    """Globals: the resource's scalars win, maps merge, lists are the global items then the resource's."""
    out = copy.deepcopy(glob)
    for k, v in props.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and not _is_intrinsic(v):
            out[k] = _merge_globals(v, out[k])
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = out[k] + v
        else:
            out[k] = v
    return out


def _is_intrinsic(v: Any) -> bool:
    return isinstance(v, dict) and len(v) == 1 and next(iter(v)).startswith(("Fn::", "Ref", "Condition"))


class _Expander:
    def __init__(self, resources: dict, template: dict):
        self.resources = resources
        g = template.get("Globals")
        self.globals = g if isinstance(g, dict) else {}
        self.out: dict = {}  # logical id -> body or Generated
        self.bucket_events: dict = {}  # bucket logical id -> [LambdaConfiguration]
        self.implicit_api = False
        self.implicit_http_api = False
        self.aliases: dict = {}  # function logical id -> its AutoPublishAlias's logical id
        self.stages: dict = {}  # API logical id -> its stage's logical id
        params = template.get("Parameters")
        # parameter defaults, which the transform writes into some settings (a custom domain) before naming things
        self.defaults = {k: v["Default"] for k, v in params.items() if isinstance(v, dict) and "Default" in v} \
            if isinstance(params, dict) else {}

    def run(self) -> dict:
        for lid, raw in self.resources.items():
            rtype = raw.get("Type") if isinstance(raw, dict) else None
            handler = _HANDLERS.get(rtype) if isinstance(rtype, str) else None
            if handler is None:
                self.out[lid] = raw
                continue
            props = raw.get("Properties")
            props = props if isinstance(props, dict) else {}
            glob = self.globals.get(rtype.split("::")[-1])
            if isinstance(glob, dict):
                props = _merge_globals(props, glob)
            start = len(self.out)
            handler(self, lid, raw, props)
            for i, (gid, gen) in enumerate(list(self.out.items())[start:]):
                for attr in _PROPAGATED:
                    if attr in raw:
                        gen.body.setdefault(attr, copy.deepcopy(raw[attr]))
                if gid == lid:
                    for attr in _BASE_ONLY:
                        if attr in raw:
                            gen.body[attr] = raw[attr]
        if self.implicit_api and "ServerlessRestApi" not in self.out:
            self._rest_api("ServerlessRestApi", {}, {"StageName": "Prod"}, source="ServerlessRestApi")
        if self.implicit_http_api and "ServerlessHttpApi" not in self.out:
            self.http_api("ServerlessHttpApi", {}, {})
        _resolve_references(self.out, self.aliases, self.stages)
        for bucket, configs in self.bucket_events.items():
            body = self.out.get(bucket)
            body = body.body if isinstance(body, Generated) else body
            if not isinstance(body, dict):
                continue
            body = copy.deepcopy(body)
            props = body.setdefault("Properties", {})
            if isinstance(props, dict):
                notif = props.setdefault("NotificationConfiguration", {})
                if isinstance(notif, dict):
                    existing = notif.get("LambdaConfigurations")
                    notif["LambdaConfigurations"] = (existing if isinstance(existing, list) else []) + configs
            current = self.out[bucket]
            self.out[bucket] = Generated(body, current.source, current.base_path) \
                if isinstance(current, Generated) else body
        return self.out

    def add(self, lid: str, rtype: str, props: dict, source: str, base_path: tuple = ("Properties", "-"),
            renames=None, prefix: tuple = ()) -> None:
        """`base_path` is where in the SAM resource this resource's settings were written (the default
        names nothing: only the header and the copied policies have positions)."""
        self.out[lid] = Generated({"Type": rtype, "Properties": props}, source, base_path, renames or {}, prefix)

    # -- AWS::Serverless::Function --------------------------------------------------------------------
    def function(self, lid: str, raw: dict, props: dict) -> None:
        fn = {k: props[k] for k in _FUNCTION_PASSTHROUGH if k in props}
        if "InlineCode" in props:
            fn["Code"] = {"ZipFile": props["InlineCode"]}
        elif "CodeUri" in props or "ImageUri" in props:
            fn["Code"] = {"S3Bucket": "<packaged by sam>"}
        if "Role" in props:
            fn["Role"] = props["Role"]
        else:
            fn["Role"] = _arn(lid + "Role")
        if "Tracing" in props:
            fn["TracingConfig"] = {"Mode": props["Tracing"]}
        dlq = props.get("DeadLetterQueue")
        if isinstance(dlq, dict) and "TargetArn" in dlq:
            fn["DeadLetterConfig"] = {"TargetArn": dlq["TargetArn"]}
        tags = _tags_list(props.get("Tags"))
        fn["Tags"] = [{"Key": "lambda:createdBy", "Value": "SAM"}] + (tags if isinstance(tags, list) else [])
        # positions of the passthrough properties are those in the SAM resource (same names)
        self.add(lid, "AWS::Lambda::Function", fn, lid, (),
                 {("Properties", "DeadLetterConfig", "TargetArn"): ("Properties", "DeadLetterQueue", "TargetArn"),
                  ("Properties", "TracingConfig"): ("Properties", "Tracing")})
        if "Role" not in props:
            self.add(lid + "Role", "AWS::IAM::Role", {"AssumeRolePolicyDocument": {
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"],
                                                        "Principal": {"Service": ["lambda.amazonaws.com"]}}]}},
                     lid)
        alias = props.get("AutoPublishAlias")
        qualifier: Any = "$LATEST"
        # what event sources invoke: the function, or with AutoPublishAlias its alias (as the transform does)
        target = _Target(_ref(lid), _arn(lid))
        if alias is not None:
            self.add(lid + "Version", "AWS::Lambda::Version", {"FunctionName": _ref(lid)}, lid)
            self.out[lid + "Version"].body["DeletionPolicy"] = "Retain"  # SAM's default for versions
            alias_id = lid + "Alias" + (alias if isinstance(alias, str) else "")
            self.add(alias_id, "AWS::Lambda::Alias",
                     {"Name": alias, "FunctionName": _ref(lid),
                      "FunctionVersion": {"Fn::GetAtt": [lid + "Version", "Version"]}}, lid,
                     ("Properties", "AutoPublishAlias"))
            qualifier = alias
            target = _Target(_ref(alias_id), _ref(alias_id))
            self.aliases[lid] = alias_id
        self._invoke_config(lid, props.get("EventInvokeConfig"), qualifier)
        self._function_url(lid, props.get("FunctionUrlConfig"), target)
        events = props.get("Events")
        if isinstance(events, dict):
            for name, event in events.items():
                if isinstance(event, dict) and isinstance(event.get("Type"), str):
                    eprops = event.get("Properties")
                    self._event(lid, str(name), event["Type"], eprops if isinstance(eprops, dict) else {}, target)

    def _function_url(self, lid: str, cfg: Any, target: "_Target") -> None:
        """`FunctionUrlConfig`: the URL and, for `AuthType: NONE`, the public permissions (synchronous calls)."""
        if not isinstance(cfg, dict):
            return
        base = ("Properties", "FunctionUrlConfig")
        url = {k: cfg[k] for k in ("AuthType", "Cors", "InvokeMode") if k in cfg}
        url["TargetFunctionArn"] = target.ref
        self.add(lid + "Url", "AWS::Lambda::Url", url, lid, base)
        if cfg.get("AuthType") != "NONE":
            return
        self.add(lid + "UrlPublicPermissions", "AWS::Lambda::Permission",
                 {"Action": "lambda:InvokeFunctionUrl", "FunctionName": target.ref, "Principal": "*",
                  "FunctionUrlAuthType": "NONE"}, lid, base)
        self.add(lid + "URLInvokeAllowPublicAccess", "AWS::Lambda::Permission",
                 {"Action": "lambda:InvokeFunction", "FunctionName": target.ref, "Principal": "*",
                  "InvokedViaFunctionUrl": True}, lid, base)

    def _invoke_config(self, lid: str, cfg: Any, qualifier: Any) -> None:
        if not isinstance(cfg, dict):
            return
        props: dict = {"FunctionName": _ref(lid), "Qualifier": qualifier}
        for k in ("MaximumEventAgeInSeconds", "MaximumRetryAttempts"):
            if k in cfg:
                props[k] = cfg[k]
        dest = cfg.get("DestinationConfig")
        renames = {}
        if isinstance(dest, dict):
            out = {}
            for when in ("OnSuccess", "OnFailure"):
                d = dest.get(when)
                if not isinstance(d, dict):
                    continue
                target = d.get("Destination")
                kind = d.get("Type")
                if target is None and kind in ("SQS", "SNS"):
                    # SAM creates the queue or topic when no destination is given
                    gid = f"{lid}EventInvokeConfig{when}{'Queue' if kind == 'SQS' else 'Topic'}"
                    self.add(gid, "AWS::SQS::Queue" if kind == "SQS" else "AWS::SNS::Topic", {}, lid,
                             ("Properties", "EventInvokeConfig", "DestinationConfig", when))
                    target = _arn(gid) if kind == "SQS" else _ref(gid)
                out[when] = {"Destination": target}
                renames[("Properties", "DestinationConfig", when, "Destination")] = ("DestinationConfig", when)
                if target is not None and "Destination" in d:
                    renames[("Properties", "DestinationConfig", when, "Destination")] = \
                        ("DestinationConfig", when, "Destination")
            props["DestinationConfig"] = out
        self.add(lid + "EventInvokeConfig", "AWS::Lambda::EventInvokeConfig", props, lid,
                 ("Properties", "EventInvokeConfig"), renames, prefix=("Properties",))

    def _event(self, lid: str, name: str, etype: str, props: dict, target: "_Target") -> None:
        base = ("Properties", "Events", name)
        gid = lid + name
        if etype in _MAPPING_EVENTS:
            source_key = _MAPPING_EVENTS[etype]
            m = {k: props[k] for k in _MAPPING_PASSTHROUGH if k in props}
            m["FunctionName"] = target.ref
            if source_key and source_key in props:
                m["EventSourceArn"] = props[source_key]
            self.add(gid, "AWS::Lambda::EventSourceMapping", m, lid, base,
                     {("Properties", "EventSourceArn"): ("Properties", source_key or "")})
        elif etype == "SNS" and props.get("SqsSubscription"):
            self._sns_through_queue(lid, gid, props, base, target)
        elif etype == "SNS":
            self._subscription(lid, gid, props, "lambda", target.arn, base)
            self._permission(lid, gid, "sns.amazonaws.com", props.get("Topic"), base, target)
        elif etype == "S3":
            bucket = props.get("Bucket")
            self._permission(lid, gid, "s3.amazonaws.com", None, base, target, source_account=True)
            if isinstance(bucket, dict) and isinstance(bucket.get("Ref"), str):
                events = props.get("Events")
                for ev in events if isinstance(events, list) else [events]:
                    config = {"Event": ev, "Function": target.arn}
                    if "Filter" in props:
                        config["Filter"] = props["Filter"]
                    self.bucket_events.setdefault(bucket["Ref"], []).append(config)
        elif etype in ("EventBridgeRule", "CloudWatchEvent", "Schedule"):
            self._events_rule(lid, gid, props, base, target.arn, "LambdaTarget")
            self._permission(lid, gid, "events.amazonaws.com", _arn(gid), base, target)
        elif etype == "ScheduleV2":
            self._scheduler_schedule(lid, gid, props, base, target)
        elif etype == "Api":
            api_id = props.get("RestApiId")
            if api_id is None:
                self.implicit_api = True
                suffix = "Prod"
            else:
                suffix = self._stage_suffix(api_id)
            self._permission(lid, gid, "apigateway.amazonaws.com", None, base, target, suffix=suffix)
        elif etype == "HttpApi":
            if props.get("ApiId") is None:
                self.implicit_http_api = True
            self._permission(lid, gid, "apigateway.amazonaws.com", None, base, target)
        elif etype == "Cognito":
            # one permission per function (or its alias), whatever the number of Cognito events
            self._permission(lid, self.aliases.get(lid, lid) + "Cognito", "cognito-idp.amazonaws.com", None, base,
                             target)
        elif etype == "IoTRule":
            sql = {"Sql": props.get("Sql"), "RuleDisabled": False,
                   "Actions": [{"Lambda": {"FunctionArn": target.arn}}]}
            if "AwsIotSqlVersion" in props:
                sql["AwsIotSqlVersion"] = props["AwsIotSqlVersion"]
            self.add(gid, "AWS::IoT::TopicRule", {"TopicRulePayload": sql}, lid, base)
            self._permission(lid, gid, "iot.amazonaws.com", None, base, target)
        elif etype == "CloudWatchLogs":
            self._permission(lid, gid, "logs.amazonaws.com", None, base, target)
            self.add(gid, "AWS::Logs::SubscriptionFilter",
                     {"DestinationArn": target.arn, "LogGroupName": props.get("LogGroupName"),
                      "FilterPattern": props.get("FilterPattern")}, lid, base)
        elif etype == "AlexaSkill":
            self._permission(lid, gid, "alexa-appkit.amazon.com", None, base, target)

    def _events_rule(self, lid: str, gid: str, props: dict, base: tuple, arn: Any, id_suffix: str,
                     role: Any = None) -> None:
        """Schedule / EventBridgeRule / CloudWatchEvent: an EventBridge rule with one target (and the
        dead-letter queue SAM creates when only `Type: SQS` is given)."""
        rule: dict = {}
        if "Pattern" in props:
            rule["EventPattern"] = props["Pattern"]
        if "Schedule" in props:
            rule["ScheduleExpression"] = props["Schedule"]
        for k in ("EventBusName", "State", "Description", "Name"):
            if k in props:
                rule[k] = props[k]
        if isinstance(props.get("Enabled"), bool):
            rule["State"] = "ENABLED" if props["Enabled"] else "DISABLED"
        custom = props.get("Target")
        rule_target: dict = {"Arn": arn, "Id": custom["Id"] if isinstance(custom, dict) and "Id" in custom
                             else gid + id_suffix}
        if role is not None:
            rule_target["RoleArn"] = role
        for k in ("Input", "InputPath", "RetryPolicy", "InputTransformer"):
            if k in props:
                rule_target[k] = props[k]
        dlq = props.get("DeadLetterConfig")
        if isinstance(dlq, dict):
            if "Arn" in dlq:
                rule_target["DeadLetterConfig"] = {"Arn": dlq["Arn"]}
            elif dlq.get("Type") == "SQS":
                qid = dlq.get("QueueLogicalId") or gid + "Queue"
                self.add(str(qid), "AWS::SQS::Queue", {}, lid, base + ("Properties", "DeadLetterConfig"))
                rule_target["DeadLetterConfig"] = {"Arn": _arn(str(qid))}
                # the grant that lets the rule send to the queue it creates (named after the rule, as SAM does)
                self.add(gid + "QueuePolicy", "AWS::SQS::QueuePolicy",
                         _send_grant([_ref(str(qid))], _arn(str(qid)), {"Service": "events.amazonaws.com"}, _arn(gid)),
                         lid, base + ("Properties", "DeadLetterConfig"))
        rule["Targets"] = [rule_target]
        self.add(gid, "AWS::Events::Rule", rule, lid, base)

    # -- AWS::Serverless::StateMachine ----------------------------------------------------------------
    def state_machine(self, lid: str, raw: dict, props: dict) -> None:
        """The state machine and what its EventBridge and Scheduler events create (their targets and
        dead-letter queues); its definition and API events are not expanded (no rule reads them)."""
        machine: dict = {k2: props[k1] for k1, k2 in (("Name", "StateMachineName"), ("Type", "StateMachineType"),
                                                     ("Logging", "LoggingConfiguration"),
                                                     ("Tracing", "TracingConfiguration")) if k1 in props}
        machine["RoleArn"] = props["Role"] if "Role" in props else _arn(lid + "Role")
        tags = _tags_list(props.get("Tags"))
        machine["Tags"] = [{"Key": "stateMachine:createdBy", "Value": "SAM"}] + \
            (tags if isinstance(tags, list) else [])
        self.add(lid, "AWS::StepFunctions::StateMachine", machine, lid, ())
        events = props.get("Events")
        for name, event in events.items() if isinstance(events, dict) else ():
            if not isinstance(event, dict):
                continue
            eprops = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
            gid, base = lid + str(name), ("Properties", "Events", str(name))
            if event.get("Type") in ("EventBridgeRule", "CloudWatchEvent", "Schedule"):
                self._events_rule(lid, gid, eprops, base, _ref(lid), "StepFunctionsTarget",
                                  role=eprops.get("RoleArn") or _arn(gid + "Role"))
            elif event.get("Type") == "ScheduleV2":
                self._scheduler_schedule(lid, gid, eprops, base, _Target(_ref(lid), _ref(lid)))

    def _subscription(self, lid: str, gid: str, props: dict, protocol: str, endpoint: Any, base: tuple) -> None:
        sub = {"Protocol": protocol, "Endpoint": endpoint, "TopicArn": props.get("Topic")}
        for k in ("Region", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy"):
            if k in props:
                sub[k] = props[k]
        self.add(gid, "AWS::SNS::Subscription", sub, lid, base, {("Properties", "TopicArn"): ("Properties", "Topic")})

    def _sns_through_queue(self, lid: str, gid: str, props: dict, base: tuple, target: "_Target") -> None:
        """SNS with `SqsSubscription`: the topic delivers to a queue (`true`: one SAM creates, FIFO for a FIFO
        topic of the template; a map: the queue it names) that an event source mapping drains."""
        cfg = props["SqsSubscription"]
        batch: Any = 10
        if isinstance(cfg, dict):
            queue_arn = cfg.get("QueueArn")
            batch = cfg.get("BatchSize") or 10
            policy_id = cfg.get("QueuePolicyLogicalId") or gid + "QueuePolicy"
            queues = [cfg.get("QueueUrl")]
        else:
            topic = props.get("Topic")
            topic_body = self.resources.get(topic.get("Ref")) if isinstance(topic, dict) and \
                isinstance(topic.get("Ref"), str) else None
            topic_props = topic_body.get("Properties") if isinstance(topic_body, dict) else None
            fifo = topic_props.get("FifoTopic", False) if isinstance(topic_props, dict) else False
            self.add(gid + "Queue", "AWS::SQS::Queue", {"FifoQueue": fifo} if fifo else {}, lid,
                     base + ("Properties", "SqsSubscription"))
            queue_arn = _arn(gid + "Queue")
            policy_id = gid + "QueuePolicy"
            queues = [_ref(gid + "Queue")]
        self.add(gid + "EventSourceMapping", "AWS::Lambda::EventSourceMapping",
                 {"BatchSize": batch, "Enabled": True, "EventSourceArn": queue_arn, "FunctionName": target.ref},
                 lid, base)
        self.add(str(policy_id), "AWS::SQS::QueuePolicy", _send_grant(queues, queue_arn, "*", props.get("Topic")),
                 lid, base)
        self._subscription(lid, gid, props, "sqs", queue_arn, base)

    def _scheduler_schedule(self, lid: str, gid: str, props: dict, base: tuple, target: "_Target") -> None:
        """`ScheduleV2`: an EventBridge Scheduler schedule (named after the event unless `OmitName`), its
        dead-letter queue when only `Type: SQS` is given, and the role the scheduler invokes with."""
        schedule: dict = {"ScheduleExpression": props.get("ScheduleExpression"),
                          "FlexibleTimeWindow": props.get("FlexibleTimeWindow") or {"Mode": "OFF"}}
        if props.get("OmitName") is not True:
            schedule["Name"] = props.get("Name") or gid
        for k in ("State", "Description", "StartDate", "EndDate", "ScheduleExpressionTimezone", "GroupName",
                  "KmsKeyArn"):
            if props.get(k) is not None:
                schedule[k] = props[k]
        role = props.get("RoleArn") or _arn(gid + "Role")
        schedule_target: dict = {"Arn": target.arn, "RoleArn": role}
        if props.get("Input") is not None:
            schedule_target["Input"] = props["Input"]
        dlq = props.get("DeadLetterConfig")
        if isinstance(dlq, dict):
            arn = dlq.get("Arn")
            if arn is None:
                qid = str(dlq.get("QueueLogicalId") or gid + "Queue")
                self.add(qid, "AWS::SQS::Queue", {}, lid, base + ("Properties", "DeadLetterConfig"))
                arn = _arn(qid)
            schedule_target["DeadLetterConfig"] = {"Arn": arn}
        if props.get("RetryPolicy") is not None:
            schedule_target["RetryPolicy"] = props["RetryPolicy"]
        schedule["Target"] = schedule_target
        self.add(gid, "AWS::Scheduler::Schedule", schedule, lid, base,
                 {("Properties", "Target", "DeadLetterConfig"): ("Properties", "DeadLetterConfig"),
                  ("Properties", "Target", "RetryPolicy"): ("Properties", "RetryPolicy")})
        if not props.get("RoleArn"):
            self.add(gid + "Role", "AWS::IAM::Role", {"AssumeRolePolicyDocument": {
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"],
                                                        "Principal": {"Service": ["scheduler.amazonaws.com"]}}]}},
                     lid, base)

    def _stage_suffix(self, api_id: Any) -> str:
        """The suffix the transform gives an Api event's permission: the explicit API's stage name ("Stage" when
        an intrinsic names it, "AllStages" when the API is not a resource of this template)."""
        name = api_id.get("Ref") if isinstance(api_id, dict) and set(api_id) == {"Ref"} else api_id
        api = self.resources.get(name) if isinstance(name, str) else None
        if not isinstance(api, dict):
            return "AllStages"
        props = api.get("Properties") if isinstance(api.get("Properties"), dict) else {}
        stage = props.get("StageName")
        if stage is None:
            glob = self.globals.get("Api")
            stage = glob.get("StageName") if isinstance(glob, dict) else None
        return stage if isinstance(stage, str) else "Stage"

    def _permission(self, lid, gid, principal, source_arn, base, target, source_account=False, suffix="") -> None:
        p = {"Action": "lambda:InvokeFunction", "FunctionName": target.ref, "Principal": principal}
        if source_arn is not None:
            p["SourceArn"] = source_arn
        if source_account:
            p["SourceAccount"] = _ref("AWS::AccountId")
        self.add(_suffixed(gid + "Permission", suffix), "AWS::Lambda::Permission", p, lid, base)

    # -- AWS::Serverless::SimpleTable -----------------------------------------------------------------
    def simple_table(self, lid: str, raw: dict, props: dict) -> None:
        key = props.get("PrimaryKey") if isinstance(props.get("PrimaryKey"), dict) else {}
        name = key.get("Name", "id")
        ktype = {"String": "S", "Number": "N", "Binary": "B"}.get(key.get("Type", "String"), key.get("Type"))
        table: dict = {"KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": name, "AttributeType": ktype}]}
        if "ProvisionedThroughput" in props:
            table["ProvisionedThroughput"] = props["ProvisionedThroughput"]
        else:
            table["BillingMode"] = "PAY_PER_REQUEST"
        for k in ("TableName", "SSESpecification", "PointInTimeRecoverySpecification"):
            if k in props:
                table[k] = props[k]
        if "Tags" in props:
            table["Tags"] = _tags_list(props["Tags"])
        self.add(lid, "AWS::DynamoDB::Table", table, lid, (),
                 {("Properties", "BillingMode"): ("Properties", "ProvisionedThroughput")})

    # -- AWS::Serverless::Api / HttpApi ---------------------------------------------------------------
    def api(self, lid: str, raw: dict, props: dict) -> None:
        self._rest_api(lid, raw, props, source=lid)
        self._authorizer_permissions(lid, props)

    def _authorizer_permissions(self, lid: str, props: dict) -> None:
        """`<Api><Authorizer>AuthorizerPermission` for each Lambda authorizer (API Gateway invokes it)."""
        auth = props.get("Auth")
        authorizers = auth.get("Authorizers") if isinstance(auth, dict) else None
        for name, authorizer in authorizers.items() if isinstance(authorizers, dict) else ():
            if not isinstance(authorizer, dict) or authorizer.get("FunctionArn") is None \
                    or authorizer.get("DisableFunctionDefaultPermissions") is True:
                continue
            self.add(f"{lid}{name}AuthorizerPermission", "AWS::Lambda::Permission",
                     {"Action": "lambda:InvokeFunction", "FunctionName": authorizer["FunctionArn"],
                      "Principal": "apigateway.amazonaws.com"}, lid, ("Properties", "Auth", "Authorizers", name))

    def _rest_api(self, lid: str, raw: dict, props: dict, source: str) -> None:
        rest = {k: props[k] for k in ("Name", "Description", "EndpointConfiguration", "BinaryMediaTypes",
                                      "MinimumCompressionSize", "DisableExecuteApiEndpoint") if k in props}
        if "DefinitionBody" in props:
            rest["Body"] = props["DefinitionBody"]
        self.add(lid, "AWS::ApiGateway::RestApi", rest, source, ())
        stage_name = props.get("StageName", "Prod")
        stage = {"RestApiId": _ref(lid), "StageName": stage_name,
                 "DeploymentId": _ref(lid + "Deployment")}
        for k in ("MethodSettings", "TracingEnabled", "CacheClusterEnabled", "CacheClusterSize", "Variables",
                  "AccessLogSetting", "CanarySetting"):
            if k in props:
                stage[k] = props[k]
        self.add(lid + "Deployment", "AWS::ApiGateway::Deployment", {"RestApiId": _ref(lid)}, source)
        if isinstance(stage_name, str) and stage_name.isalnum():
            stage_id = lid + stage_name + "Stage"
        else:
            stage_id = _suffixed(lid + "Stage", stage_name if isinstance(stage_name, str) else "")
        self.add(stage_id, "AWS::ApiGateway::Stage", stage, source, ())
        self.stages[lid] = stage_id
        self._domain(lid, props.get("Domain"), source, http=False)

    def http_api(self, lid: str, raw: dict, props: dict) -> None:
        api = {"ProtocolType": "HTTP"}
        for k in ("Name", "Description", "DisableExecuteApiEndpoint", "CorsConfiguration"):
            if k in props:
                api[k] = props[k]
        if "DefinitionBody" in props:
            api["Body"] = props["DefinitionBody"]
        self.add(lid, "AWS::ApiGatewayV2::Api", api, lid, ())
        stage_name = props.get("StageName", "$default")
        stage = {"ApiId": _ref(lid), "StageName": stage_name, "AutoDeploy": True}
        for k in ("DefaultRouteSettings", "RouteSettings", "AccessLogSettings", "StageVariables"):
            if k in props:
                stage[k] = props[k]
        suffix = "".join(c for c in str(stage_name) if c.isalnum()) if isinstance(stage_name, str) else ""
        stage_id = lid + ("ApiGatewayDefault" if stage_name == "$default" else suffix) + "Stage"
        self.add(stage_id, "AWS::ApiGatewayV2::Stage", stage, lid, ())
        self.stages[lid] = stage_id
        self._domain(lid, props.get("Domain"), lid, http=True)
        self._authorizer_permissions(lid, props)

    def _domain(self, lid: str, domain: Any, source: str, http: bool) -> None:
        """A custom domain (`Domain`): its DomainName resource and, with `Route53`, the alias records to it."""
        if not isinstance(domain, dict) or domain.get("DomainName") is None:
            return
        domain = _with_defaults(domain, self.defaults)
        name = domain["DomainName"]
        base = ("Properties", "Domain")
        edge = not http and str(domain.get("EndpointConfiguration", "REGIONAL")).upper() == "EDGE"
        domain_id = _hashed("ApiGatewayDomainNameV2" if http else "ApiGatewayDomainName", name)
        if http:
            body = {"DomainName": name, "DomainNameConfigurations": [
                {"CertificateArn": domain.get("CertificateArn"), "EndpointType": "REGIONAL"}]}
            self.add(domain_id, "AWS::ApiGatewayV2::DomainName", body, source, base)
        else:
            cert = "CertificateArn" if edge else "RegionalCertificateArn"
            body = {"DomainName": name, cert: domain.get("CertificateArn"),
                    "EndpointConfiguration": {"Types": ["EDGE" if edge else "REGIONAL"]}}
            self.add(domain_id, "AWS::ApiGateway::DomainName", body, source, base)
        route53 = domain.get("Route53")
        if not isinstance(route53, dict):
            return
        zone = route53.get("HostedZoneId") if route53.get("HostedZoneId") is not None else route53.get("HostedZoneName")
        # an edge-optimized domain answers from CloudFront: its alias points at the distribution, in CloudFront's
        # hosted zone
        if edge:
            alias = {"HostedZoneId": _CLOUDFRONT_ZONE_ID,
                     "DNSName": {"Fn::GetAtt": [domain_id, "DistributionDomainName"]}}
        else:
            alias = {"HostedZoneId": {"Fn::GetAtt": [domain_id, "RegionalHostedZoneId"]},
                     "DNSName": {"Fn::GetAtt": [domain_id, "RegionalDomainName"]}}
        if "EvaluateTargetHealth" in route53:
            alias["EvaluateTargetHealth"] = route53["EvaluateTargetHealth"]
        records = []
        for rtype in ("A", "AAAA") if route53.get("IpV6") is True else ("A",):
            record = {"Name": name, "Type": rtype, "AliasTarget": dict(alias)}
            for k in ("SetIdentifier", "Region"):
                if k in route53:
                    record[k] = route53[k]
            records.append(record)
        group = {"HostedZoneId" if route53.get("HostedZoneId") is not None else "HostedZoneName": zone,
                 "RecordSets": records}
        self.add(_hashed("RecordSetGroup", zone), "AWS::Route53::RecordSetGroup", group, source,
                 base + ("Route53",))

    # -- AWS::Serverless::Application -----------------------------------------------------------------
    def application(self, lid: str, raw: dict, props: dict) -> None:
        """A nested application is a nested stack; a local `Location` is the child template `sam package`
        uploads (rlint reads it as a nested stack)."""
        stack: dict = {"TemplateURL": props.get("Location") if isinstance(props.get("Location"), str)
                       else "<a Serverless Application Repository application>"}
        for k in ("Parameters", "NotificationARNs", "TimeoutInMinutes"):
            if k in props:
                stack[k] = props[k]
        tags = _tags_list(props.get("Tags"))
        location = props.get("Location") if isinstance(props.get("Location"), dict) else {}
        # an application from the Serverless Application Repository is tagged with its id and version
        origin = [{"Key": key, "Value": location[name]} for key, name in (
            ("serverlessrepo:applicationId", "ApplicationId"), ("serverlessrepo:semanticVersion", "SemanticVersion"))
            if location.get(name) is not None]
        stack["Tags"] = [{"Key": "lambda:createdBy", "Value": "SAM"}] + origin + \
            (tags if isinstance(tags, list) else [])
        self.add(lid, "AWS::CloudFormation::Stack", stack, lid, (),
                 {("Properties", "TemplateURL"): ("Properties", "Location")})


_HANDLERS = {
    "AWS::Serverless::Function": _Expander.function,
    "AWS::Serverless::SimpleTable": _Expander.simple_table,
    "AWS::Serverless::Api": _Expander.api,
    "AWS::Serverless::HttpApi": _Expander.http_api,
    "AWS::Serverless::Application": _Expander.application,
    "AWS::Serverless::StateMachine": _Expander.state_machine,
}


def _with_defaults(value: Any, defaults: dict) -> Any:
    """`value` with every `Ref` to a parameter that has a default replaced by the default."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in defaults:
            return defaults[value["Ref"]]
        if len(value) == 1 and isinstance(value.get("Fn::Sub"), str):
            text = re.sub(r"\$\{([A-Za-z0-9]+)\}", lambda m: str(defaults[m.group(1)]) if isinstance(
                defaults.get(m.group(1)), (str, int, float)) else m.group(0), value["Fn::Sub"])
            return {"Fn::Sub": text}  # the transform keeps the function around the substituted text
        return {k: _with_defaults(v, defaults) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_defaults(v, defaults) for v in value]
    return value


_SPECIAL = lazy_regex(r"\$\{([A-Za-z0-9]+)\.(Alias|Version|Stage|Deployment)\}")
_KINDS = (".Alias", ".Version", ".Stage", ".Deployment")


def _resolve_references(out: dict, aliases: dict, stages: dict) -> None:
    """`!Ref Fn.Alias`, `!Ref Fn.Version`, `!Ref Api.Stage`, `!Ref Api.Deployment` (and `${Fn.Alias}` ... in
    `Fn::Sub`), which the transform resolves to the resources it generates, anywhere in the template."""
    def target(name: str, kind: str):
        if kind == "Alias":
            return aliases.get(name)
        if kind == "Version":
            return name + "Version" if name in aliases else None
        if kind == "Stage":
            return stages.get(name)
        return name + "Deployment" if name in stages else None

    def walk(v):
        if isinstance(v, dict):
            if len(v) == 1 and isinstance(v.get("Ref"), str) and v["Ref"].endswith(_KINDS):
                name, kind = v["Ref"].rsplit(".", 1)
                found = target(name, kind)
                return {"Ref": found} if found else v
            if len(v) == 1 and "Fn::Sub" in v:
                arg = v["Fn::Sub"]
                text = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(text, str) and _SPECIAL().search(text):
                    text = _SPECIAL().sub(lambda m: "${" + (target(m.group(1), m.group(2)) or m.group(0)[2:-1]) + "}",
                                        text)
                    return {"Fn::Sub": [text] + [walk(x) for x in arg[1:]] if isinstance(arg, list) else text}
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    if not aliases and not stages:
        return
    for lid, item in out.items():
        if isinstance(item, Generated):
            item.body = walk(item.body)
        else:
            out[lid] = walk(item)


def expand(resources: dict, template: dict) -> dict:
    """logical id -> raw body (unchanged) or Generated (made by the transform from a SAM resource)."""
    return _Expander(resources, template).run()

"""SAM (`Transform: AWS::Serverless-2016-10-31`): expand the serverless resources into what they create.

Only what reliability rules read is generated: a Function's Lambda function, its event source mappings,
SNS subscriptions, EventBridge rules, permissions, S3 bucket notifications, its dead-letter target and
event invoke config; a SimpleTable's DynamoDB table; an Api's RestApi and Stage; an HttpApi's Api and Stage.
Logical ids follow SAM's scheme (`Fn`, `FnRole`, `Fn<Event>`, `Fn<Event>Permission`,
`FnEventInvokeConfig`, `<Api><Stage>Stage`) without the content hashes SAM adds to versions and deployments.

`DeletionPolicy`, `UpdateReplacePolicy` and `Condition` go to every generated resource; `DependsOn` and
`Metadata` only to the base resource (the SAM resource attributes specification). Other `AWS::Serverless::*`
types are kept as they are: no rule reads them.

This works on the raw template, before intrinsics are evaluated, as the transform does.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
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
        if alias is not None:
            self.add(lid + "Version", "AWS::Lambda::Version", {"FunctionName": _ref(lid)}, lid)
            self.out[lid + "Version"].body["DeletionPolicy"] = "Retain"  # SAM's default for versions
            self.add(lid + "Alias" + (alias if isinstance(alias, str) else ""), "AWS::Lambda::Alias",
                     {"Name": alias, "FunctionName": _ref(lid),
                      "FunctionVersion": {"Fn::GetAtt": [lid + "Version", "Version"]}}, lid,
                     ("Properties", "AutoPublishAlias"))
            qualifier = alias
        self._invoke_config(lid, props.get("EventInvokeConfig"), qualifier)
        events = props.get("Events")
        if isinstance(events, dict):
            for name, event in events.items():
                if isinstance(event, dict) and isinstance(event.get("Type"), str):
                    eprops = event.get("Properties")
                    self._event(lid, str(name), event["Type"], eprops if isinstance(eprops, dict) else {})

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

    def _event(self, lid: str, name: str, etype: str, props: dict) -> None:
        base = ("Properties", "Events", name)
        gid = lid + name
        if etype in _MAPPING_EVENTS:
            source_key = _MAPPING_EVENTS[etype]
            m = {k: props[k] for k in _MAPPING_PASSTHROUGH if k in props}
            m["FunctionName"] = _ref(lid)
            if source_key and source_key in props:
                m["EventSourceArn"] = props[source_key]
            self.add(gid, "AWS::Lambda::EventSourceMapping", m, lid, base,
                     {("Properties", "EventSourceArn"): ("Properties", source_key or "")})
        elif etype == "SNS":
            sub = {"Protocol": "lambda", "Endpoint": _arn(lid), "TopicArn": props.get("Topic")}
            for k in ("Region", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy"):
                if k in props:
                    sub[k] = props[k]
            self.add(gid, "AWS::SNS::Subscription", sub, lid, base,
                     {("Properties", "TopicArn"): ("Properties", "Topic")})
            self._permission(lid, gid, "sns.amazonaws.com", props.get("Topic"), base)
        elif etype == "S3":
            bucket = props.get("Bucket")
            self._permission(lid, gid, "s3.amazonaws.com", None, base, source_account=True)
            if isinstance(bucket, dict) and isinstance(bucket.get("Ref"), str):
                events = props.get("Events")
                for ev in events if isinstance(events, list) else [events]:
                    config = {"Event": ev, "Function": _arn(lid)}
                    if "Filter" in props:
                        config["Filter"] = props["Filter"]
                    self.bucket_events.setdefault(bucket["Ref"], []).append(config)
        elif etype in ("EventBridgeRule", "CloudWatchEvent", "Schedule"):
            rule: dict = {}
            if "Pattern" in props:
                rule["EventPattern"] = props["Pattern"]
            if "Schedule" in props:
                rule["ScheduleExpression"] = props["Schedule"]
            for k in ("EventBusName", "State", "Description", "Name"):
                if k in props:
                    rule[k] = props[k]
            if props.get("Enabled") is False:
                rule["State"] = "DISABLED"
            target: dict = {"Arn": _arn(lid), "Id": gid + "LambdaTarget"}
            for k in ("Input", "InputPath", "RetryPolicy", "InputTransformer"):
                if k in props:
                    target[k] = props[k]
            dlq = props.get("DeadLetterConfig")
            if isinstance(dlq, dict):
                if "Arn" in dlq:
                    target["DeadLetterConfig"] = {"Arn": dlq["Arn"]}
                elif dlq.get("Type") == "SQS":
                    qid = dlq.get("QueueLogicalId") or gid + "Queue"
                    self.add(str(qid), "AWS::SQS::Queue", {}, lid, base + ("Properties", "DeadLetterConfig"))
                    target["DeadLetterConfig"] = {"Arn": _arn(str(qid))}
            rule["Targets"] = [target]
            self.add(gid, "AWS::Events::Rule", rule, lid, base)
            self._permission(lid, gid, "events.amazonaws.com", _arn(gid), base)
        elif etype == "Api":
            if "RestApiId" not in props:
                self.implicit_api = True
            self._permission(lid, gid, "apigateway.amazonaws.com", None, base)

    def _permission(self, lid, gid, principal, source_arn, base, source_account=False) -> None:
        p = {"Action": "lambda:InvokeFunction", "FunctionName": _ref(lid), "Principal": principal}
        if source_arn is not None:
            p["SourceArn"] = source_arn
        if source_account:
            p["SourceAccount"] = _ref("AWS::AccountId")
        self.add(gid + "Permission", "AWS::Lambda::Permission", p, lid, base)

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
        suffix = stage_name if isinstance(stage_name, str) else ""
        self.add(lid + suffix + "Stage", "AWS::ApiGateway::Stage", stage, source, ())

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
        self.add(lid + ("ApiGatewayDefault" if stage_name == "$default" else suffix) + "Stage",
                 "AWS::ApiGatewayV2::Stage", stage, lid, ())


_HANDLERS = {
    "AWS::Serverless::Function": _Expander.function,
    "AWS::Serverless::SimpleTable": _Expander.simple_table,
    "AWS::Serverless::Api": _Expander.api,
    "AWS::Serverless::HttpApi": _Expander.http_api,
}


def expand(resources: dict, template: dict) -> dict:
    """logical id -> raw body (unchanged) or Generated (made by the transform from a SAM resource)."""
    return _Expander(resources, template).run()

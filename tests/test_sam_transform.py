"""rlint's SAM expansion (linter/evaluate/sam.py) held against AWS's own transform (aws-sam-translator).

Over the SAM templates among the fixtures and a generated set (functions with events of every kind the rules
read, DeadLetterQueue, EventInvokeConfig, AutoPublishAlias, DeploymentPreference, FunctionUrlConfig, Globals,
SimpleTable, REST and HTTP APIs with stages and custom domains, nested applications): for every resource of a
type the rules read, rlint and the transform must create the same logical ids, and the same values for the
properties the rules read and for the policies and conditions.

Documented differences, and only these, are allowed:
- `AWS::Lambda::Version`: the transform appends a hash of the code to the logical id; rlint writes `<Fn>Version`.
- IAM roles and policies: rlint writes a role per function without the policies (no rule reads them).
- A Serverless Application Repository application's `TemplateURL`: the repository answers it at deploy time;
  offline the transform gets a stand-in URL, rlint writes a placeholder (nested reading skips both).

The transform's answers are recorded in tests/engine_verdicts/sam/ by template content and translator version,
so the ordinary suite needs no transform; without a recording the transform runs when installed (and records),
the test skips when it is not; under CI (engines.engines_required) the transform judges everything again.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import re

import pytest

import engines
from helpers import FIXTURES
from rlint.evaluate.cloudformation import TemplateEvaluator
from rlint.evaluate.scenarios import properties_rules_read, types_rules_read
from rlint.parsers.cloudformation import parse_cloudformation

_VERSION_HASH = re.compile(r"^(?P<fn>.+Version)[0-9a-f]{10}$")
_SKIPPED_TYPES = ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
_ATTRIBUTES = ("DeletionPolicy", "UpdateReplacePolicy", "Condition")


# -- the generated set ----------------------------------------------------------------------------------------
def _template(resources: dict, **extra) -> dict:
    base = {
        "Jobs": {"Type": "AWS::SQS::Queue"},
        "JobsDlq": {"Type": "AWS::SQS::Queue"},
        "Alerts": {"Type": "AWS::SNS::Topic"},
        "Uploads": {"Type": "AWS::S3::Bucket"},
        "Clicks": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
        "Orders": {"Type": "AWS::DynamoDB::Table", "Properties": {
            "BillingMode": "PAY_PER_REQUEST", "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamViewType": "NEW_IMAGE"}}},
        "Pool": {"Type": "AWS::Cognito::UserPool"},
    }
    return {"AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
            **extra, "Resources": {**base, **resources}}


def _function(events: dict = None, **props) -> dict:
    body = {"Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/", **props}
    if events:
        body["Events"] = events
    return {"Type": "AWS::Serverless::Function", "Properties": body}


EVENTS = {
    "Queue": {"Type": "SQS", "Properties": {"Queue": {"Fn::GetAtt": ["Jobs", "Arn"]}, "BatchSize": 5,
                                            "FunctionResponseTypes": ["ReportBatchItemFailures"]}},
    "Stream": {"Type": "Kinesis", "Properties": {
        "Stream": {"Fn::GetAtt": ["Clicks", "Arn"]}, "StartingPosition": "LATEST", "MaximumRetryAttempts": 2,
        "BisectBatchOnFunctionError": True,
        "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": ["JobsDlq", "Arn"]}}}}},
    "Table": {"Type": "DynamoDB", "Properties": {"Stream": {"Fn::GetAtt": ["Orders", "StreamArn"]},
                                                 "StartingPosition": "TRIM_HORIZON"}},
    "Topic": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Alerts"}, "RedrivePolicy": {
        "deadLetterTargetArn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}}}},
    "Bucket": {"Type": "S3", "Properties": {"Bucket": {"Ref": "Uploads"}, "Events": "s3:ObjectCreated:*"}},
    "Nightly": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)", "Enabled": False}},
    "Changes": {"Type": "EventBridgeRule", "Properties": {"Pattern": {"source": ["aws.ec2"]},
                                                          "RetryPolicy": {"MaximumRetryAttempts": 3},
                                                          "DeadLetterConfig": {"Type": "SQS"}}},
    "Legacy": {"Type": "CloudWatchEvent", "Properties": {"Pattern": {"source": ["aws.s3"]}, "DeadLetterConfig": {
        "Arn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}}}},
    "Get": {"Type": "Api", "Properties": {"Path": "/a", "Method": "get"}},
    "Http": {"Type": "HttpApi"},
    "Iot": {"Type": "IoTRule", "Properties": {"Sql": "SELECT * FROM 'devices/+'"}},
    "Logs": {"Type": "CloudWatchLogs", "Properties": {"LogGroupName": "/app/logs", "FilterPattern": "ERROR"}},
    "Users": {"Type": "Cognito", "Properties": {"UserPool": {"Ref": "Pool"}, "Trigger": "PreSignUp"}},
    "Skill": {"Type": "AlexaSkill"},
    "Kafka": {"Type": "MSK", "Properties": {
        "Stream": "arn:aws:kafka:us-east-1:123456789012:cluster/events/abc", "Topics": ["orders"],
        "StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:s3:::failed"}}}},
    "Broker": {"Type": "MQ", "Properties": {
        "Broker": "arn:aws:mq:us-east-1:123456789012:broker:jobs:b-1", "Queues": ["jobs"],
        "SourceAccessConfigurations": [{"Type": "BASIC_AUTH",
                                        "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:mq"}]}},
    "Docs": {"Type": "DocumentDB", "Properties": {
        "Cluster": "arn:aws:rds:us-east-1:123456789012:cluster:docs", "DatabaseName": "app",
        "CollectionName": "orders", "StartingPosition": "LATEST",
        "SourceAccessConfigurations": [{"Type": "BASIC_AUTH",
                                        "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}]}},
    "SelfKafka": {"Type": "SelfManagedKafka", "Properties": {
        "KafkaBootstrapServers": ["broker-1.example.com:9092"], "Topics": ["orders"],
        "SourceAccessConfigurations": [{"Type": "SASL_SCRAM_512_AUTH",
                                        "URI": "arn:aws:secretsmanager:us-east-1:123456789012:secret:k"}]}},
    "Filtered": {"Type": "S3", "Properties": {"Bucket": {"Ref": "Uploads"}, "Events": ["s3:ObjectRemoved:*"],
                                              "Filter": {"S3Key": {"Rules": [{"Name": "prefix", "Value": "in/"}]}}}},
    "Later": {"Type": "ScheduleV2", "Properties": {"ScheduleExpression": "rate(1 hour)", "RetryPolicy": {
        "MaximumRetryAttempts": 1}, "DeadLetterConfig": {"Type": "SQS"}}},
}


def generated() -> dict:
    cases = {}
    for name, event in EVENTS.items():  # every event kind, with and without an alias in front of the function
        cases[f"event-{name}"] = _template({"Fn": _function({name: event})})
        cases[f"event-{name}-alias"] = _template({"Fn": _function({name: event}, AutoPublishAlias="live")})
    cases["dead-letter-and-invoke-config"] = _template({
        "Fn": _function(DeadLetterQueue={"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}},
                        EventInvokeConfig={"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 300,
                                           "DestinationConfig": {"OnFailure": {"Type": "SQS"},
                                                                 "OnSuccess": {"Type": "SNS"}}}),
        "Given": _function(EventInvokeConfig={"DestinationConfig": {"OnFailure": {
            "Type": "SQS", "Destination": {"Fn::GetAtt": ["JobsDlq", "Arn"]}}}}, AutoPublishAlias="prod")})
    cases["deployment-preference"] = _template({"Fn": _function(
        {"Topic": EVENTS["Topic"]}, AutoPublishAlias="live",
        DeploymentPreference={"Type": "Canary10Percent5Minutes"})})
    cases["sns-through-queues"] = _template({
        "Fn": _function({
            "Created": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Alerts"}, "SqsSubscription": True,
                                                      "FilterPolicy": {"kind": ["order"]}}},
            "Ordered": {"Type": "SNS", "Properties": {"Topic": {"Ref": "OrderedAlerts"}, "SqsSubscription": True}},
            "Given": {"Type": "SNS", "Properties": {"Topic": {"Ref": "Alerts"}, "SqsSubscription": {
                "QueueArn": {"Fn::GetAtt": ["Jobs", "Arn"]}, "QueueUrl": {"Ref": "Jobs"}, "BatchSize": 3}}}},
            AutoPublishAlias="live"),
        "OrderedAlerts": {"Type": "AWS::SNS::Topic", "Properties": {"FifoTopic": True}}})
    cases["state-machine-events"] = _template({
        "Flow": {"Type": "AWS::Serverless::StateMachine", "Properties": {
            "Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
            "Events": {
                "Tick": {"Type": "Schedule", "Properties": {"Schedule": "rate(1 day)", "Enabled": False,
                                                            "DeadLetterConfig": {"Type": "SQS"},
                                                            "RetryPolicy": {"MaximumRetryAttempts": 1}}},
                "Changes": {"Type": "EventBridgeRule", "Properties": {
                    "Pattern": {"source": ["aws.ec2"]}, "Target": {"Id": "custom"},
                    "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["JobsDlq", "Arn"]}}}},
                "Later": {"Type": "ScheduleV2", "Properties": {
                    "ScheduleExpression": "rate(1 hour)", "OmitName": True,
                    "DeadLetterConfig": {"Type": "SQS", "QueueLogicalId": "LaterFailures"}}}}}},
        "Fn": _function({"Changes": {"Type": "EventBridgeRule", "Properties": {
            "Pattern": {"source": ["aws.s3"]}, "Target": {"Id": "mine"}}}})})
    cases["function-url"] = _template({"Public": _function(FunctionUrlConfig={"AuthType": "NONE"}),
                                       "Private": _function(FunctionUrlConfig={"AuthType": "AWS_IAM"},
                                                            AutoPublishAlias="live")})
    cases["globals"] = _template({"Fn": _function({"Queue": EVENTS["Queue"]}, Timeout=60),
                                  "Other": _function({"Topic": EVENTS["Topic"]})},
                                 Globals={"Function": {"Timeout": 30, "MemorySize": 256,
                                                       "Tags": {"team": "payments"},
                                                       "Environment": {"Variables": {"A": "1"}}}})
    cases["policies-and-conditions"] = _template(
        {"Fn": {**_function({"Queue": EVENTS["Queue"], "Topic": EVENTS["Topic"]}), "Condition": "IsProd",
                "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
         "Sessions": {"Type": "AWS::Serverless::SimpleTable", "Condition": "IsProd", "DeletionPolicy": "Retain",
                      "UpdateReplacePolicy": "Snapshot", "Properties": {}}},
        Parameters={"Env": {"Type": "String", "Default": "prod"}},
        Conditions={"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}})
    cases["simple-tables"] = _template({
        "Plain": {"Type": "AWS::Serverless::SimpleTable"},
        "Keyed": {"Type": "AWS::Serverless::SimpleTable", "Properties": {
            "PrimaryKey": {"Name": "n", "Type": "Number"}, "TableName": "counters",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
            "SSESpecification": {"SSEEnabled": True}, "Tags": {"team": "payments"}}},
        "Recovered": {"Type": "AWS::Serverless::SimpleTable", "Properties": {
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}}}})
    cases["apis"] = _template({
        "Public": {"Type": "AWS::Serverless::Api", "Properties": {
            "StageName": "v1", "Auth": {"Authorizers": {"Token": {"FunctionArn": {"Fn::GetAtt": ["Auth", "Arn"]}}}},
            "Domain": {"DomainName": "api.example.com", "EndpointConfiguration": "EDGE",
                       "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                       "Route53": {"HostedZoneId": "Z111", "EvaluateTargetHealth": True}}}},
        "Beta": {"Type": "AWS::Serverless::Api", "Properties": {  # a Cognito authorizer: no Lambda permission
            "StageName": "beta-1", "Auth": {"Authorizers": {"Users": {"UserPoolArn": {"Fn::GetAtt": ["Pool", "Arn"]}}}}}},
        "Staged": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": {"Ref": "StageParam"}}},
        "Http": {"Type": "AWS::Serverless::HttpApi", "Properties": {
            "StageName": "live",
            "Domain": {"DomainName": {"Fn::Sub": "http.${Zone}"},
                       "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                       "Route53": {"HostedZoneName": {"Ref": "Zone"}, "IpV6": True}}}},
        "Auth": _function(),
        "Handler": _function({
            "Explicit": {"Type": "Api", "Properties": {"Path": "/b", "Method": "get", "RestApiId": {"Ref": "Public"}}},
            "OnBeta": {"Type": "Api", "Properties": {"Path": "/c", "Method": "get", "RestApiId": {"Ref": "Beta"}}},
            "OnStaged": {"Type": "Api", "Properties": {"Path": "/d", "Method": "get",
                                                       "RestApiId": {"Ref": "Staged"}}},
            "OnHttp": {"Type": "HttpApi", "Properties": {"ApiId": {"Ref": "Http"}, "Path": "/h", "Method": "get"}}},
            Environment={"Variables": {"URL": {"Fn::Sub": "https://${Public}.execute-api.${AWS::Region}."
                                                          "amazonaws.com/${Public.Stage}"}}})},
        Parameters={"StageParam": {"Type": "String", "Default": "prod"},
                    "Zone": {"Type": "String", "Default": "example.com."}})
    cases["references-and-applications"] = _template({
        "Fn": _function(AutoPublishAlias="live"),
        "ByHand": {"Type": "AWS::Events::Rule", "Properties": {
            "ScheduleExpression": "rate(5 minutes)",
            "Targets": [{"Arn": {"Ref": "Fn.Alias"}, "Id": "a"}, {"Arn": {"Fn::Sub": "${Fn.Alias}"}, "Id": "b"}]}},
        "Child": {"Type": "AWS::Serverless::Application", "Properties": {
            "Location": "child.yaml", "Parameters": {"Env": "prod"}, "Tags": {"team": "payments"}}},
        "FromRepository": {"Type": "AWS::Serverless::Application", "Properties": {
            "Location": {"ApplicationId": "arn:aws:serverlessrepo:us-east-1:123456789012:applications/shared",
                         "SemanticVersion": "1.2.3"}}}})
    return cases


def fixture_cases() -> dict:
    out = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json", ".template") and path.is_file() and \
                "AWS::Serverless-2016-10-31" in path.read_text(errors="replace"):
            out[f"fixture:{path.relative_to(FIXTURES).as_posix()}"] = path.read_text()
    return out


CASES = {**{k: json.dumps(v, indent=1) for k, v in generated().items()}, **fixture_cases()}


# -- the comparison -------------------------------------------------------------------------------------------
def _document(text: str, name: str):
    return parse_cloudformation(text, name)


def _read(resources: dict) -> dict:
    """logical id -> what the rules read of it (type, attributes, the properties they read), for the types they
    read; versions under their id without the code hash."""
    types, names = types_rules_read(), properties_rules_read()
    out = {}
    for lid, body in resources.items():
        if not isinstance(body, dict) or body.get("Type") not in types or body.get("Type") in _SKIPPED_TYPES:
            continue
        m = _VERSION_HASH.match(lid) if body.get("Type") == "AWS::Lambda::Version" else None
        props = body.get("Properties") if isinstance(body.get("Properties"), dict) else {}
        shown = {"Type": body["Type"], **{a: body[a] for a in _ATTRIBUTES if a in body},
                 "Properties": {k: v for k, v in props.items() if k in names}}
        out[m["fn"] if m else lid] = json.loads(_VERSION_IDS.sub(r'"\g<fn>"', json.dumps(shown, default=str)))
    return out


_VERSION_IDS = re.compile(r'"(?P<fn>[A-Za-z0-9]+Version)[0-9a-f]{10}"')


def _rlint(text: str, name: str) -> dict:
    return _read(TemplateEvaluator(_document(text, name)).resources)


RECORDINGS = engines.Recordings("sam")


@functools.lru_cache(maxsize=1)
def _what_rules_read() -> str:
    read = json.dumps([sorted(types_rules_read()), sorted(properties_rules_read())])
    return hashlib.sha256(read.encode()).hexdigest()[:16]


def _recording_key(text: str) -> str:
    """The template and what the rules read: a rule reading a new type or property makes a recording stale (it
    holds only what the rules read when it was made), and the transform then runs again."""
    return text + "\n# rules read " + _what_rules_read()


def _transformed(case: str, text: str) -> dict:
    """What the transform makes of the template: recorded, or computed (and recorded) where it is installed;
    under CI always computed, and a recording that disagrees is stale."""
    key = _recording_key(text)
    recorded = RECORDINGS.get(key)
    if recorded is not None and not engines.engines_required():
        return recorded
    engines.require_sam_translator()
    out = engines.sam_transform(copy.deepcopy(_document(text, case).value))
    verdict = {"error": out["error"]} if "error" in out else _read(out.get("Resources") or {})
    if recorded is not None:
        assert recorded == verdict, f"{case}: the recording of the transform's answer is stale " \
                                    f"(aws-sam-translator {engines.sam_translator_version()})"
    RECORDINGS.put(key, case, verdict)
    return verdict


@pytest.fixture(scope="module", autouse=True)
def _prune(request):
    yield
    if request.session.testsfailed == 0 and not request.config.getoption("keyword"):
        RECORDINGS.prune(set(CASES))  # recordings of templates that are no longer cases


@pytest.mark.parametrize("case", sorted(CASES))
def test_rlint_expands_sam_as_the_transform_does(case):
    text = CASES[case]
    theirs = _transformed(case, text)
    assert "error" not in theirs, f"the transform rejects {case}: {theirs.get('error')}"
    mine = _rlint(text, case)
    assert sorted(mine) == sorted(theirs), "logical ids of the types the rules read"
    for lid in theirs:
        assert mine[lid] == theirs[lid], f"{lid}: what the rules read"


def test_the_transform_runs_offline_without_a_boto3_session_or_client(monkeypatch):
    """The Region comes from a stand-in session, managed policies from a given map, applications from a
    stand-in repository: creating a boto3 session or client (a network call's first step) fails this test."""
    engines.require_sam_translator()
    import boto3
    import boto3.session

    def refuse(*args, **kwargs):
        raise AssertionError("the transform created a boto3 session or client")

    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.setattr(boto3.session.Session, "__init__", refuse)
    monkeypatch.setattr(boto3, "client", refuse)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    for case in ("references-and-applications", "policies-and-conditions", "event-Get-alias"):
        out = engines.sam_transform(copy.deepcopy(_document(CASES[case], case).value))
        assert "error" not in out, out.get("error")
        assert _read(out["Resources"]) == _transformed(case, CASES[case])
    app = engines.sam_transform(copy.deepcopy(_document(CASES["references-and-applications"], "x").value))
    assert app["Resources"]["FromRepository"]["Properties"]["TemplateURL"].startswith("https://sar.invalid/")


def test_the_generated_set_covers_every_event_kind_the_expansion_reads():
    from rlint.evaluate.sam import _MAPPING_EVENTS

    covered = {e["Type"] for e in EVENTS.values()}
    assert {"SQS", "Kinesis", "DynamoDB"} <= set(_MAPPING_EVENTS) and covered >= {
        "SQS", "Kinesis", "DynamoDB", "SNS", "S3", "Schedule", "EventBridgeRule", "CloudWatchEvent", "Api",
        "HttpApi", "IoTRule", "CloudWatchLogs", "Cognito", "AlexaSkill"}

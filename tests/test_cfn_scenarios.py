"""End-to-end CloudFormation scenarios (tests/fixtures/cloudformation/): exact findings and outcomes."""
from __future__ import annotations

import json

import pytest


from rlint.evaluate.cloudformation import CfnInputs, read_parameters_file

from helpers import FIXTURES, invoke, run

# the scenarios were written with these rules as probes; later rules must not change what they assert
PROBE_RULES = ("RL101", "RL501", "RL505", "RL507")
pytestmark = pytest.mark.usefixtures("probe_catalogue")

CFN = FIXTURES / "cloudformation"


def keys(result) -> set:
    return {(f.rule_id, f.outcome.value, f.resource, f.span.file, f.span.line) for f in result.findings
            if f.suppressed is None}


def notes(result) -> list:
    return [n for u in result.units for n in u.notes]


def test_sam_function_events_dlq_and_invoke_config():
    result = run(CFN / "sam")
    assert keys(result) == {
        # Globals Timeout 60 reaches the function behind the SQS event source mapping SAM creates
        ("RL507", "fail", "Jobs", "template.yaml", 11),
        # an S3 event is asynchronous; no DeadLetterQueue and no EventInvokeConfig: at the SAM resource
        ("RL505", "fail", "Thumbnails", "template.yaml", 37),
    }
    graph = {r.address: r for r in result.graph.resources}
    assert graph["WorkerWork"].type == "AWS::Lambda::EventSourceMapping"
    assert graph["NotifierAlert"].type == "AWS::SNS::Subscription"
    assert graph["ReportsEventInvokeConfigOnFailureQueue"].type == "AWS::SQS::Queue"
    assert graph["ReportsRule"].type == "AWS::Events::Rule"
    assert graph["Table"].type == "AWS::DynamoDB::Table"
    # DeletionPolicy (and UpdateReplacePolicy, Condition) go to everything SAM generates
    assert {a for a, r in graph.items() if r.meta.get("sam_source") == "Thumbnails"} == {
        "Thumbnails", "ThumbnailsRole", "ThumbnailsUploadPermission"}
    assert all(graph[a].attrs["DeletionPolicy"] == "Retain" for a in ("ThumbnailsRole", "ThumbnailsUploadPermission"))
    assert graph["ThumbnailsUploadPermission"].span.line == 37
    assert graph["Uploads"].attrs["Properties"]["NotificationConfiguration"]["LambdaConfigurations"][0]["Event"] \
        == "s3:ObjectCreated:*"
    assert (graph["Table"].attrs["DeletionPolicy"], graph["Table"].attrs["UpdateReplacePolicy"]) == ("Retain", "Retain")
    # the false Condition removes the function and everything generated from it
    assert not [a for a in graph if a.startswith("Nightly")]


def test_sam_events_through_queues_schedulers_and_state_machines():
    """What the transform creates decides (tests/test_sam_transform.py holds the expansion against it): SNS with
    `SqsSubscription` delivers to a queue the function drains (not an asynchronous invocation), and the
    dead-letter queues of a `ScheduleV2` event and of a state machine's schedule are dead-letter queues."""
    result = run(CFN / "sam-routes", select=PROBE_RULES)
    # the queue SAM creates for the subscription has no redrive policy
    assert keys(result) == {("RL501", "fail", "PackerNewOrderQueue", "template.yaml", 38)}
    graph = {r.address: r for r in result.graph.resources}
    assert graph["PackerNewOrder"].attrs["Properties"]["Protocol"] == "sqs"
    assert graph["AuditorEntryEventSourceMapping"].type == "AWS::Lambda::EventSourceMapping"
    assert graph["ReminderHourly"].type == "AWS::Scheduler::Schedule"
    assert graph["ReportsNightly"].type == "AWS::Events::Rule"


def test_nested_stack_binds_known_parameters():
    result = run(CFN / "nested", select=("RL101",))
    assert keys(result) == {
        ("RL101", "fail", "Data.Db", "children/db.yaml", 14),  # the parent passes "false"
        ("RL101", "unknown", "Data.Db2", "children/db.yaml", 19),  # the parent passes !Ref of an unset parameter
    }
    assert notes(result) == ["children/db.yaml: analysed as a nested stack of another template"]


def test_nested_stack_missing_child_is_a_note(tmp_path):
    (tmp_path / "p.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  S:\n"
                                     "    Type: AWS::CloudFormation::Stack\n    Properties:\n"
                                     "      TemplateURL: missing.yaml\n  R:\n"
                                     "    Type: AWS::CloudFormation::Stack\n    Properties:\n"
                                     "      TemplateURL: https://s3.amazonaws.com/b/child.yaml\n")
    result = run(tmp_path)
    assert result.findings == []
    assert notes(result) == ["p.yaml: nested stack S: missing.yaml cannot be read (No such file or directory); "
                             "its resources are not analysed"]


def test_foreach_generates_resources():
    result = run(CFN / "foreach", select=("RL101",))
    assert keys(result) == {("RL101", "fail", "BillingDb", "template.yaml", 22)}
    assert sorted(r.address for r in result.graph.resources) == ["BillingDb", "OrdersDb"]
    assert notes(result) == ["template.yaml: Fn::ForEach::Unknown: collection is unknown (parameter Unset has no "
                             "default and no value was given); its resources are not analysed"]
    # with LanguageExtensions an intrinsic DeletionPolicy is evaluated
    assert {r.attrs["DeletionPolicy"] for r in result.graph.resources} == {"Snapshot"}


def test_parameters_decide_conditions():
    base = CFN / "params"
    assert keys(run(base, select=("RL101",))) == {
        ("RL101", "unknown", "Orders", "template.yaml", 16),
        ("RL101", "fail", "Audit", "template.yaml", 17),
    }
    dev = CfnInputs(parameters=read_parameters_file(base / "dev.json"))
    assert keys(run(base, select=("RL101",), cloudformation=dev)) == {
        ("RL101", "fail", "Orders", "template.yaml", 16)}  # Audit's condition is false: absent
    prod = CfnInputs(parameters=read_parameters_file(base / "prod.json"))
    assert keys(run(base, select=("RL101",), cloudformation=prod)) == {("RL101", "fail", "Audit", "template.yaml", 17)}
    staging = CfnInputs(parameters=read_parameters_file(base / "staging.json"))
    [orders, _audit] = sorted(run(base, select=("RL101",), cloudformation=staging).findings, key=lambda f: f.resource,
                              reverse=True)
    assert orders.outcome.value == "unknown" and "'staging' is not one of its AllowedValues" in orders.message


def test_cdk_output_shows_the_construct_path(monkeypatch):
    monkeypatch.chdir(CFN / "cdk")
    out = invoke("scan", "cdk.out", "--select", "RL101", "-f", "json", "--show-unknown")
    report = json.loads(out.output)
    assert [(f["rule_id"], f["resource"], f["cdk_path"]) for f in report["findings"]] == [
        ("RL101", "OrdersDb1A2B3C4D", "AppStack/Orders/Resource")]
    assert report["summary"]["files"] == 1  # manifest.json is not a template; asset.* directories are skipped
    text = invoke("scan", "cdk.out", "--select", "RL101", "--no-color").output
    assert "    construct: AppStack/Orders/Resource" in text.splitlines()


def test_yaml_details():
    result = run(CFN / "yaml", select=("RL101", "RL001"))
    assert keys(result) == {
        ("RL101", "fail", "Copy", "anchors.yaml", 12),  # merge key, overridden MultiAZ
        ("RL101", "fail", "Bom", "bom.json", 2),
        ("RL101", "fail", "Crlf", "crlf.yaml", 7),
        ("RL001", "fail", "", "duplicate.yaml", 8),
        ("RL101", "fail", "First", "multi.yaml", 3),
        ("RL101", "fail", "Tabbed", "tabs.json", 6),
    }
    assert notes(result) == ["multi.yaml: only the first YAML document is analysed; 1 more skipped"]
    graph = {r.address: r for r in result.graph.resources}
    assert graph["Same"].attrs["Properties"] == {"Engine": "postgres", "MultiAZ": True}  # alias
    tabbed = [f for f in result.findings if f.resource == "Tabbed"][0]
    assert tabbed.span.column == 38


def test_scan_notes_in_reports():
    out = invoke("scan", CFN / "yaml" / "multi.yaml", "-f", "json").output
    [note] = json.loads(out)["notes"]
    assert note.endswith("yaml/multi.yaml: only the first YAML document is analysed; 1 more skipped")

"""The data-value model (rules/data_value.py): which data the backup, deletion and DR rules judge by default, and
what `stateful: {include: [...]}` adds. The fixtures mark each class's resources with `(class: NAME)`."""
from __future__ import annotations

import json
import re

import pytest

from helpers import FIXTURES, annotations, finding_keys, run
from rlint.config import base_schema
from rlint.model import Outcome
from rlint.rules.data_value import CLASSES

FOLDER = FIXTURES / "data_value"
RULES = ("RL101", "RL302", "RL306", "RL309", "RL310", "RL311", "RL401", "RL402", "RL405", "RL406", "RL407", "RL703")
FILES = ("template.yaml", "template.json", "main.tf")
_CLASS = re.compile(r"\(class: (?P<name>[a-z-]+)")


def _classes(fixture) -> dict:
    """block address -> class name, from the `(class: NAME)` reason of its annotation."""
    return {a.address: m["name"] for a in annotations(fixture) for m in [_CLASS.search(a.reason)] if m}


def _want(fixture) -> set:
    return {a.key() for a in annotations(fixture)}


def _scan(fixture, include=()):
    return run(fixture, select=RULES, stateful={"include": list(include)})


@pytest.mark.parametrize("name", FILES)
def test_defaults_judge_primary_stores_only(name):
    fixture = FOLDER / name
    result = _scan(fixture)
    want = _want(fixture)
    assert finding_keys(result, fixture, Outcome.FAIL) == {(r, a) for r, a, k in want if k == "expect"}
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == set()


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("klass", sorted(CLASSES))
def test_including_a_class_judges_exactly_its_resources(name, klass):
    fixture = FOLDER / name
    marked = _classes(fixture)
    result = _scan(fixture, include=[klass])
    want = _want(fixture)
    of_class = {a for a, c in marked.items() if c == klass}
    if not of_class:
        pytest.skip(f"{name} has no {klass} resource")
    expected = {(r, a) for r, a, k in want if k == "expect" or (k == "ok" and a in of_class)}
    assert finding_keys(result, fixture, Outcome.FAIL) == expected


def test_every_class_has_a_fixture_and_the_schema_names_every_class():
    marked = set()
    for name in FILES:
        marked |= set(_classes(FOLDER / name).values())
    assert marked == set(CLASSES)  # CloudFormation's test-only cases: tests/test_cfn_conditions.py
    enum = base_schema()["properties"]["stateful"]["properties"]["include"]["items"]["enum"]
    assert enum == list(CLASSES)


def test_a_misspelt_class_is_a_configuration_error(tmp_path):
    from rlint.config import ConfigError, load_config

    (tmp_path / ".rlint.yaml").write_text("stateful:\n  include: [log]\n")
    with pytest.raises(ConfigError, match=r"stateful\.include\.0: 'log' is not one of"):
        load_config(tmp_path / ".rlint.yaml")


def test_docs_page_lists_every_class_with_its_reason():
    from helpers import ROOT

    text = (ROOT / "docs" / "data-value.md").read_text()
    for c in CLASSES.values():
        assert f"`{c.name}`" in text and c.reason in text.replace("\n", " "), c.name


def test_an_undecidable_class_gives_unknown_where_the_rule_would_fail(tmp_path):
    (tmp_path / "t.json").write_text(json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09", "Parameters": {"Hours": {"Type": "Number"}},
        "Resources": {"S": {"Type": "AWS::Kinesis::Stream",
                            "Properties": {"ShardCount": 1, "RetentionPeriodHours": {"Ref": "Hours"}}}}}))
    result = run(tmp_path / "t.json", select=("RL401",))
    assert [(f.rule_id, f.outcome.value, f.message) for f in result.findings] == [
        ("RL401", "unknown", "S: whether it holds data worth keeping cannot be decided (the stream's retention "
                             "period is undecided (parameter Hours has no default and no value was given))")]


@pytest.mark.parametrize("name, expected", [
    ("main.tf", {"aws_s3_bucket.alb_access_logs": "logs", "aws_s3_bucket.cdn_logs": "logs",
                 "aws_s3_bucket.server_access_logs": "logs", "aws_s3_bucket.waf_logs": "logs",
                 "aws_s3_bucket.query_results": "artifacts", "aws_s3_bucket.pipeline_artifacts": "artifacts",
                 "aws_s3_bucket.invoices": "primary", "aws_s3_bucket.delivered_logs": "logs",
                 "aws_s3_bucket.exports": "primary", "aws_s3_bucket.merged_policy": "primary",
                 "aws_s3_bucket.inline_policy_logs": "logs", "aws_s3_bucket.optional_merge_logs": "logs",
                 "aws_s3_bucket.error_pages": "deployment-files",
                 "aws_s3_bucket.error_pages_logs": "logs",
                 "aws_s3_bucket.function_packages": "deployment-files", "aws_s3_bucket.uploads": "primary",
                 "aws_s3_bucket.inbox": "primary", "aws_s3_bucket.reports": "primary"}),
    ("template.yaml", {"AccessLogs": "logs", "AlbLogs": "logs", "QueryResults": "artifacts", "Invoices": "primary",
                       "DeliveredLogs": "logs", "Exports": "primary"}),
])
def test_a_bucket_is_classed_by_what_writes_into_it(name, expected):
    """Both formats: the bucket a load balancer, distribution, bucket or WAF logs into holds logs, where Athena or
    CodePipeline writes holds artifacts; the bucket whose access is logged keeps its own class. A bucket whose
    policy lets only log delivery services (or the Elastic Load Balancing account) write holds logs; one that
    an application role may write into as well keeps its own class. A bucket that only holds what Terraform
    uploads or the code a function loads holds deployment files, read through a policy whose text is known only
    after apply, whatever the policy of its log bucket lets write there; a write grant, a folder waiting for
    uploads, or a function handed the name keeps it primary."""
    from rlint.rules.data_value import data_value

    graph = run(FOLDER / name, select=("RL407",)).graph
    got = {r.address: data_value(r, graph).kind for r in graph.resources if r.address in expected}
    assert got == expected


def test_a_bucket_that_an_unread_module_receives_is_undecided():
    """The module may write its logs or artifacts into the bucket (class logs or artifacts once read): unknown,
    naming the module, not a failure on a primary store."""
    fixture = FIXTURES / "terraform" / "unread-bucket" / "main.tf"
    result = run(fixture, select=("RL407",))
    assert [(f.rule_id, f.outcome.value, f.resource, f.message) for f in result.findings] == [
        ("RL407", "unknown", "aws_s3_bucket.packages",
         "aws_s3_bucket.packages: whether it holds data worth keeping cannot be decided (module.packaged_function, "
         "whose source was not read, receives it: what that module writes into it is undecided (`terraform init "
         "-backend=false` reads the module))")]


ROOTS = FOLDER / "roots"
ROOT_DIRS = ("environments/development", "environments/production", "environments/staging", "envs/dev/eu-west-1",
             "sandbox", "defaults-only", "given", "billing-dev", "claims-feasibility", "salesforce-integration")


@pytest.mark.parametrize("root", ROOT_DIRS)
@pytest.mark.parametrize("include", [(), ("test-only",)])
def test_a_root_module_that_names_a_non_production_environment_is_test_only(root, include):
    """What a root module says of its environment (an environment-named local or given variable, its directory)
    makes all its resources test-only when it names only non-production environments other than staging; a
    variable's default says nothing, and a name of production wins (issue 15, round 10: development roots)."""
    fixture = ROOTS / root / "main.tf"
    result = run(ROOTS / root, select=("RL101",), stateful={"include": list(include)})
    want = {(r, a) for r, a, k in _want(fixture) if k == "expect" or (include and k == "ok")}
    assert finding_keys(result, fixture, Outcome.FAIL) == want


def test_a_root_left_unjudged_says_so_in_the_report():
    result = run(ROOTS, select=("RL101",))
    notes = [n for u in result.units for n in u.notes]
    assert notes == [
        "billing-dev: not judged (1 resource): the root module names a non-production environment (the root "
        "module's directory `billing-dev`); `stateful: {include: [test-only]}` in .rlint.yaml judges it",
        "claims-feasibility: not judged (1 resource): the root module names a non-production environment (the "
        "root module's directory `claims-feasibility`); `stateful: {include: [test-only]}` in .rlint.yaml judges it",
        "environments/development: not judged (1 resource): the root module names a non-production environment "
        "(`local.environment = \"development\"`, the root module's directory `development`); "
        "`stateful: {include: [test-only]}` in .rlint.yaml judges it",
        "envs/dev/eu-west-1: not judged (1 resource): the root module names a non-production environment (the root "
        "module's directory `dev/eu-west-1`); `stateful: {include: [test-only]}` in .rlint.yaml judges it",
        "given: not judged (1 resource): the root module names a non-production environment (`var.environment = "
        "\"test\"` set in given/terraform.tfvars); `stateful: {include: [test-only]}` in .rlint.yaml judges it",
    ]
    assert [n for u in run(ROOTS, select=("RL101",), stateful={"include": ["test-only"]}).units for n in u.notes] == []


def test_every_report_format_names_the_roots_left_unjudged(monkeypatch):
    """Never silent: text and JSON notes, a SARIF run notification (level note) and a Markdown line name each
    non-production root; the exit code is the one the judged roots give (RL101 fails in production)."""
    from helpers import invoke

    monkeypatch.chdir(ROOTS)
    why = "`local.environment = \"development\"`, the root module's directory `development`"
    text = invoke("scan", "environments", "--select", "RL101", "--no-color")
    assert text.exit_code == 1
    assert (f"note: environments/development: not judged (1 resource): the root module names a non-production "
            f"environment ({why});") in text.output
    report = json.loads(invoke("scan", "environments", "--select", "RL101", "--format", "json").output)
    assert [n for n in report["notes"] if "not judged" in n] == [
        f"environments/development: not judged (1 resource): the root module names a non-production environment "
        f"({why}); `stateful: {{include: [test-only]}}` in .rlint.yaml judges it"]
    run = json.loads(invoke("scan", "environments", "--select", "RL101", "--format", "sarif").output)["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "note" and note["descriptor"]["id"] == "rlint/roots-not-judged"
    assert note["message"]["text"] == ("1 root module not judged: they name a non-production environment; "
                                       "`stateful: {include: [test-only]}` judges them")
    assert [(loc["physicalLocation"]["artifactLocation"]["uri"], loc["message"]["text"]) for loc in note["locations"]] \
        == [("environments/development", f"environments/development (1 resource): {why}")]
    markdown = invoke("scan", "environments", "--select", "RL101", "--format", "markdown").output
    assert ("**Not judged:** 1 root module naming a non-production environment (`stateful: {include: [test-only]}` "
            f"judges them): `environments/development` ({why}).") in markdown


def test_a_template_a_non_production_root_deploys_is_test_only_too(tmp_path):
    """An aws_cloudformation_stack in a development root deploys its template into that environment: the
    template's resources are test-only with the root's (a single-AZ database there is not RL101's)."""
    import shutil

    root = tmp_path / "dev"
    shutil.copytree(FIXTURES / "terraform" / "cfn_stack" / "templates", root / "templates")
    (root / "main.tf").write_text(
        'locals {\n  environment = "dev"\n}\n\n'
        'resource "aws_cloudformation_stack" "orders" {\n'
        '  name          = "orders-${local.environment}"\n'
        '  template_body = file("${path.module}/templates/db.yaml")\n'
        '  parameters = {\n    MultiAz = "false"\n    Protect = "true"\n  }\n}\n')
    judged = run(root, select=("RL101",), stateful={"include": ["test-only"]})
    assert [(f.rule_id, f.resource, f.outcome) for f in judged.findings] == [
        ("RL101", "aws_cloudformation_stack.orders.Db", Outcome.FAIL)]
    result = run(root, select=("RL101",))
    assert result.findings == []
    assert [n for u in result.units for n in u.notes if "not judged" in n] == [
        ".: not judged (2 resources): the root module names a non-production environment (`local.environment = "
        "\"dev\"`, the root module's directory `dev`); `stateful: {include: [test-only]}` in .rlint.yaml judges it"]

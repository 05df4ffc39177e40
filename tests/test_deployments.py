"""Deployments (`deployments:` and `--deployment`): validated configuration; each deployment evaluated with
its own inputs into one graph; every finding names its deployment in every report format and in the baseline;
the rules that look across deployments (RL204 failover pairs, RL307 and the DR model's backup copies, Aurora
global clusters, the standby in another Region); and the two-Region example with its figures worked out by
hand."""
from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from helpers import FIXTURES, ROOT, invoke, report_schema

DEPLOYMENTS = FIXTURES / "deployments"
EXAMPLE = ROOT / "examples" / "dr-two-regions"


def _json(*args) -> dict:
    result = invoke("scan", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    return report


def _two(tmp_path, extra: str = ""):
    (tmp_path / "db.tf").write_text(textwrap.dedent("""\
        variable "multi_az" {
          type = bool
        }

        resource "aws_db_instance" "db" {
          engine         = "postgres"
          instance_class = "db.m6g.large"
          multi_az       = var.multi_az
        }
        """))
    (tmp_path / ".rlint.yaml").write_text(textwrap.dedent("""\
        deployments:
          - name: prod
            path: .
            region: us-east-1
            vars: {multi_az: true}
          - name: dev
            path: .
            region: eu-west-1
            vars: {multi_az: false}
          - name: test
            path: .
            region: eu-west-1
            vars: {multi_az: false}
        """) + extra)
    return tmp_path


@pytest.mark.parametrize("entry,message", [
    ("{name: a, path: ., region: us-east-1, colour: red}", "deployments.0.colour: unknown key 'colour'"),
    ("{name: a, path: ., region: US-East}", "deployments.0.region"),
    ("{name: a, region: us-east-1}", "'path' is a required property"),
    ("{name: a, path: nowhere, region: us-east-1}", "deployments[0].path:"),
    ("{name: a, path: ., region: us-east-1, parameters: {A: b}}", "deployments[0].parameters: "),
    ("{name: a, path: ., region: us-east-1, account: '12'}", "deployments.0.account"),
])
def test_invalid_deployments_exit_2_naming_the_key(tmp_path, entry, message):
    (tmp_path / "main.tf").write_text("")
    (tmp_path / ".rlint.yaml").write_text(f"deployments:\n  - {entry}\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2
    assert message in result.output


def test_duplicate_names_and_bad_command_line_forms_exit_2(tmp_path):
    _two(tmp_path)
    (tmp_path / ".rlint.yaml").write_text("deployments:\n  - {name: a, path: ., region: us-east-1}\n"
                                          "  - {name: a, path: ., region: us-west-2}\n")
    assert "deployments[1].name: 'a' names another deployment" in invoke("scan", tmp_path).output
    for spec, says in (("a=.", "expected NAME=PATH@REGION"), ("a=.@mars", "not an AWS Region name"),
                       ("a=.@us-east-1,colour=red", "unknown option 'colour=red'")):
        result = invoke("scan", tmp_path, "--deployment", spec)
        assert result.exit_code == 2 and says in result.output, result.output


def test_the_same_path_with_other_inputs_gives_a_finding_per_deployment(tmp_path):
    _two(tmp_path)
    report = _json(tmp_path, "--select", "RL101")
    assert [(f["rule_id"], f["resource"], f["deployment"]) for f in report["findings"]] == \
        [("RL101", "aws_db_instance.db", "dev"), ("RL101", "aws_db_instance.db", "test")]
    text = invoke("scan", tmp_path, "--select", "RL101").output
    assert text.count("    deployment: dev\n") == 1 and text.count("    deployment: test\n") == 1
    sarif = json.loads(invoke("scan", tmp_path, "--select", "RL101", "--format", "sarif").output)
    results = sarif["runs"][0]["results"]
    assert len({json.dumps(r["partialFingerprints"], sort_keys=True) for r in results}) == 2
    assert sorted(r["properties"]["deployment"] for r in results) == ["dev", "test"]
    junit = ET.fromstring(invoke("scan", tmp_path, "--select", "RL101", "--format", "junit").output)
    names = sorted(c.get("name") for c in junit.iter("testcase"))
    assert names == ["aws_db_instance.db [deployment dev]", "aws_db_instance.db [deployment prod]",
                     "aws_db_instance.db [deployment test]"]
    md = invoke("scan", tmp_path, "--select", "RL101", "--format", "markdown").output
    assert "on `aws_db_instance.db` (deployment `dev`)" in md
    github = invoke("scan", tmp_path, "--select", "RL101", "--format", "github").output
    assert "(deployment test)" in github


def test_the_baseline_keeps_deployments_apart(tmp_path):
    _two(tmp_path)
    baseline = tmp_path / "baseline.json"
    invoke("scan", tmp_path, "--select", "RL101", "--write-baseline", baseline)
    entries = json.loads(baseline.read_text())["findings"]
    assert sorted(e["deployment"] for e in entries) == ["dev", "test"]
    assert invoke("scan", tmp_path, "--select", "RL101", "--baseline", baseline).exit_code == 0
    # a new deployment with the same finding is a new finding
    text = (tmp_path / ".rlint.yaml").read_text() + \
        "  - name: qa\n    path: .\n    region: eu-west-1\n    vars: {multi_az: false}\n"
    (tmp_path / ".rlint.yaml").write_text(text)
    report = _json(tmp_path, "--select", "RL101", "--baseline", baseline)
    assert [f["deployment"] for f in report["findings"] if f["suppressed"] is None] == ["qa"]


def test_the_command_line_form_replaces_the_configuration(tmp_path):
    _two(tmp_path)
    report = _json(tmp_path, "--select", "RL101", "--deployment", f"solo={tmp_path}@eu-west-1,var=multi_az=false")
    assert [f["deployment"] for f in report["findings"]] == ["solo"]


def test_without_deployments_nothing_changes(tmp_path):
    _two(tmp_path)
    (tmp_path / ".rlint.yaml").unlink()
    report = _json(tmp_path, "--select", "RL101")
    assert [(f["resource"], f["deployment"], f["outcome"]) for f in report["findings"]] == \
        [("aws_db_instance.db", None, "unknown")]


def test_a_template_knows_its_region_and_account(tmp_path):
    (tmp_path / "t.yaml").write_text(textwrap.dedent("""\
        Resources:
          Orders:
            Type: AWS::DynamoDB::GlobalTable
            Properties:
              AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
              KeySchema: [{AttributeName: pk, KeyType: HASH}]
              BillingMode: PAY_PER_REQUEST
              Replicas: [{Region: !Ref AWS::Region}, {Region: us-west-2}]
        """))
    report = _json(tmp_path, "--dr-report", "--select", "RL7", "--deployment", f"east={tmp_path / 't.yaml'}@us-east-1")
    store = report["dr"]["stores"][0]
    assert (store["region"], store["deployment"]) == ("us-east-1", "east")
    assert store["copies"] == [{"basis": "global table replica", "live": True, "to": ["us-west-2"], "certain": True}]


# -- rules across deployments -------------------------------------------------------------------------------
def test_failover_records_pair_across_deployments(tmp_path):
    """site.yaml deployed as PRIMARY (east) and SECONDARY (west) is one pair; lonely's PRIMARY has no
    SECONDARY in any deployment and is reported (its annotation)."""
    folder = DEPLOYMENTS / "failover-pair"
    report = _json(folder, "--select", "RL204")
    assert [(f["rule_id"], f["resource"], f["deployment"], f["outcome"]) for f in report["findings"]] == \
        [("RL204", "Www", "lonely", "fail")]
    assert "`api.example.com` A in zone example.com." in report["findings"][0]["message"]
    # scanned without the deployments, the role is a parameter: undecided, never a failure
    work = folder / "site.yaml"
    (tmp_path / "none.yaml").write_text("select: [RL204]\n")  # a configuration without deployments
    alone = _json(work, "--config", tmp_path / "none.yaml", "--select", "RL204")
    assert {f["outcome"] for f in alone["findings"]} == {"unknown"}


def test_backup_copies_find_their_vault_in_another_deployment():
    """primary copies to the vault the standby deployment creates in us-west-2: accepted; standby copies
    to "app-archive" in us-east-1, which no deployment creates: RL307 fails there, and the DR model does not
    count that copy (unknown, with the reason)."""
    report = _json(DEPLOYMENTS / "backup-vaults", "--select", "RL307,RL703", "--dr-report")
    by = {(f["rule_id"], f["deployment"]): f for f in report["findings"]}
    assert sorted(by) == [("RL307", "standby"), ("RL703", "standby")]
    assert 'goes to backup vault "app-archive" in us-east-1, which no deployment creates' in \
        by[("RL307", "standby")]["message"]
    assert by[("RL703", "standby")]["outcome"] == "unknown"
    copies = {s["deployment"]: s["copies"] for s in report["dr"]["stores"]}
    assert copies["primary"] == [{"basis": 'AWS Backup plan aws_backup_plan.daily rule "daily" copy to us-west-2',
                                  "live": False, "to": ["us-west-2"], "certain": True}]
    assert copies["standby"][0]["certain"] is False


def test_a_copy_to_another_accounts_vault_is_not_the_deployments_to_create():
    """backup-vaults with the standby copying to a central backup account's vault in us-east-1, where the primary
    runs under another account: that vault is outside the deployments, so RL307 does not say none creates it."""
    folder = DEPLOYMENTS / "backup-vaults"
    standby_copy = "arn:aws:backup:us-east-1:999999999999:backup-vault:central"
    report = _json(folder, "--select", "RL307",
                   "--deployment", f"primary={folder}@us-east-1,account=123456789012,var=role=primary,"
                                   f"var=copy_to=arn:aws:backup:us-west-2:123456789012:backup-vault:app-standby",
                   "--deployment", f"standby={folder}@us-west-2,account=123456789012,var=role=standby,"
                                   f"var=copy_to={standby_copy}")
    assert report["findings"] == []


def test_a_table_replica_added_by_another_deployment_is_the_tables_copy():
    """table-replica: the standby deployment joins the primary's table through aws_dynamodb_table_replica
    (by the table's ARN): a live copy in us-west-2 (RPO 1s), so no RL703; alone, the table has no copy."""
    folder = DEPLOYMENTS / "table-replica"
    report = _json(folder, "--select", "RL703", "--dr-report")
    assert report["findings"] == []
    assert [s["copies"] for s in report["dr"]["stores"]] == [
        [{"basis": "global table replica", "live": True, "to": ["us-west-2"], "certain": True}]]
    region = next(r for r in report["dr"]["stores"][0]["scenarios"] if r["scenario"] == "region")
    assert region["rpo"]["estimate"] == "1s"
    alone = _json(folder, "--select", "RL703", "--deployment", f"primary={folder}@us-east-1,var=role=primary")
    assert [(f["rule_id"], f["outcome"]) for f in alone["findings"]] == [("RL703", "fail")]
    # the replica names the table in account 123456789012: a primary deployed in another account is another table
    apart = _json(folder, "--select", "RL703",
                  "--deployment", f"primary={folder}@us-east-1,account=999999999999,var=role=primary",
                  "--deployment", f"standby={folder}@us-west-2,account=123456789012,var=role=standby")
    assert [(f["rule_id"], f["deployment"], f["outcome"]) for f in apart["findings"]] == [("RL703", "primary", "fail")]


# -- the two-Region example --------------------------------------------------------------------------------
# Worked by hand (objective: RPO 15m, RTO 1h for a Region failure and for a deletion or corruption):
# - traffic: the primary deployment's record is PRIMARY (health-checked), the standby's SECONDARY answers
#   from a running web tier in us-west-2: Route 53 failover, 5m (figures.DNS_FAILOVER).
# - orders (Aurora Global Database joined across the two deployments): Region RPO 1s (figures.AURORA_GLOBAL),
#   RTO max(managed failover 1m, traffic 5m) = 5m: both met. Deletion RPO 5m (point-in-time restore) met,
#   RTO 4h (figures.RESTORE) > 1h: missed (RL702), in both deployments.
# - sessions (global table, created with the primary): Region RPO 1s, RTO max(0, 5m) = 5m: met; deletion
#   RPO 5m met, RTO 4h missed (RL702).
# - strategy: every store replicated live, Route 53 fails over to a running standby: warm standby.
EXAMPLE_ROWS = {
    ("aws_rds_cluster.orders", "tf-primary"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
    ("aws_rds_cluster.orders", "tf-standby"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
    ("aws_dynamodb_table.sessions[0]", "tf-primary"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
    ("Orders", "cfn-primary"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
    ("Orders", "cfn-standby"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
    ("Sessions", "cfn-primary"): [("1s", "5m", "met"), ("5m", "4h", "missed")],
}


def test_the_two_region_example_reports_its_hand_worked_figures():
    report = _json(EXAMPLE, "--dr-report")
    dr = report["dr"]
    assert dr["strategy"]["name"] == "warm standby"
    assert (dr["traffic"]["mode"], dr["traffic"]["rto"]) == ("failover", "5m")
    rows = {(s["resource"], s["deployment"]): [(r["rpo"]["estimate"], r["rto"]["estimate"],
                                                 "missed" if "missed" in (r["rpo"]["status"], r["rto"]["status"])
                                                 else "met") for r in s["scenarios"] if r["scenario"] != "az"]
            for s in dr["stores"]}
    assert rows == EXAMPLE_ROWS
    copies = {(s["resource"], s["deployment"]): s["copies"][0]["to"] for s in dr["stores"]}
    assert copies[("aws_rds_cluster.orders", "tf-primary")] == ["us-west-2"]
    assert copies[("Orders", "cfn-standby")] == ["us-east-1"]
    failing = sorted((f["rule_id"], f["resource"], f["deployment"]) for f in report["findings"]
                     if f["outcome"] == "fail")
    assert failing == sorted([("RL702", r, d) for r, d in EXAMPLE_ROWS] + [("RL102", "aws_rds_cluster.orders",
                                                                           "tf-standby")])
    assert {s["region"] for s in dr["stores"]} == {"us-east-1", "us-west-2"}


def test_the_example_is_copied_whole_in_the_docs():
    """docs/dr.md shows the example's Mermaid picture exactly as rlint writes it today."""
    result = invoke("scan", EXAMPLE, "--dr-report", "--format", "markdown")
    block = result.output.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert f"```mermaid\n{block}```" in (ROOT / "docs" / "dr.md").read_text()

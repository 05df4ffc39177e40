"""The DR model end to end: the four strategies in both formats give their strategy and exact estimates;
objectives that are met pass and objectives that are missed fail with RL701/RL702 (exit codes through the
CLI); the `--dr-report` table in text, Markdown and JSON (validated against the report schema); the `dr`
configuration is validated; undecidable inputs give unknown estimates, never failures."""
from __future__ import annotations

import json
import shutil
import textwrap

import jsonschema
import pytest

from helpers import FIXTURES, invoke, report_schema, run
from rlint.rules.dr.backup_reading import schedule_interval
from rlint.rules.dr.durations import parse, show

DR = FIXTURES / "dr"
OBJECTIVES = "dr:\n  objectives:\n    default: {rpo: 15m, rto: 1h, scenarios: [az, region]}\n"

# per fixture: the strategy, then per data store the (RPO, RTO) of AZ failure, Region failure, deletion
EXPECTED = {
    ("backup-restore", "terraform"): ("backup & restore", {
        "aws_db_instance.orders": [("0", "2m"), ("24h", "8h"), ("5m", "4h")]}),
    ("backup-restore", "cloudformation"): ("backup & restore", {
        "Orders": [("0", "2m"), ("24h", "8h"), ("5m", "4h")]}),
    ("pilot-light", "terraform"): ("pilot light", {
        "aws_rds_cluster.primary": [("0", "1m"), ("1s", "30m"), ("5m", "4h")],
        "aws_rds_cluster.secondary": [("0", "10m"), ("1s", "30m"), ("5m", "4h")],
        "aws_dynamodb_table.sessions": [("0", "0"), ("1s", "30m"), ("5m", "4h")]}),
    ("pilot-light", "cloudformation"): ("pilot light", {
        "Orders": [("0", "10m"), ("1s", "30m"), ("5m", "4h")],
        "Sessions": [("0", "0"), ("1s", "30m"), ("5m", "4h")]}),
    ("warm-standby", "terraform"): ("warm standby", {
        "aws_rds_cluster.primary": [("0", "1m"), ("1s", "5m"), ("5m", "4h")],
        "aws_rds_cluster.secondary": [("0", "10m"), ("1s", "5m"), ("5m", "4h")],
        "aws_dynamodb_table.sessions": [("0", "0"), ("1s", "5m"), ("5m", "4h")]}),
    ("warm-standby", "cloudformation"): ("warm standby", {
        "Orders": [("0", "10m"), ("1s", "5m"), ("5m", "4h")],
        "Sessions": [("0", "0"), ("1s", "5m"), ("5m", "4h")]}),
    ("active-active", "terraform"): ("multi-site active/active", {
        "aws_dynamodb_table.carts": [("0", "0"), ("1s", "3m"), ("5m", "4h")]}),
    ("active-active", "cloudformation"): ("multi-site active/active", {
        "Carts": [("0", "0"), ("1s", "3m"), ("5m", "4h")]}),
}



def estimates(dr: dict) -> dict:
    return {s["resource"]: [(r["rpo"]["estimate"], r["rto"]["estimate"]) for r in s["scenarios"]]
            for s in dr["stores"]}


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "/".join(k))
def test_each_strategy_gives_its_strategy_and_estimates(key):
    strategy, stores = EXPECTED[key]
    result = run(DR / key[0] / key[1], dr_report=True, select=("RL7",))
    assert result.dr["strategy"]["name"] == strategy
    assert estimates(result.dr) == stores
    # without objectives RL701/RL702 stay silent, and every store has a copy in another Region (no RL703)
    assert result.findings == []


def _with_config(tmp_path, strategy: str, fmt: str, config: str):
    work = tmp_path / strategy
    shutil.copytree(DR / strategy / fmt, work)
    (work / ".rlint.yaml").write_text(config)
    return work


@pytest.mark.parametrize("strategy", ["pilot-light", "warm-standby", "active-active"])
@pytest.mark.parametrize("fmt", ["terraform", "cloudformation"])
def test_live_replication_meets_15m_1h_and_exits_0(tmp_path, strategy, fmt):
    work = _with_config(tmp_path, strategy, fmt, OBJECTIVES)
    result = invoke("scan", work, "--select", "RL7", "--format", "json", "--dr-report")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    assert [f for f in report["findings"] if f["rule_id"] in ("RL701", "RL702")] == []
    statuses = {(r["scenario"], m): r[m]["status"] for s in report["dr"]["stores"] for r in s["scenarios"]
                for m in ("rpo", "rto")}
    assert statuses[("region", "rpo")] == statuses[("az", "rto")] == "met"
    assert statuses[("deletion", "rpo")] == "no objective"


@pytest.mark.parametrize("fmt,store", [("terraform", "aws_db_instance.orders"), ("cloudformation", "Orders")])
def test_backup_and_restore_misses_15m_1h_and_exits_1(tmp_path, fmt, store):
    work = _with_config(tmp_path, "backup-restore", fmt, OBJECTIVES)
    result = invoke("scan", work, "--select", "RL7", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    failing = {(f["rule_id"], f["resource"]) for f in report["findings"] if f["outcome"] == "fail"}
    assert failing == {("RL701", store), ("RL702", store)}
    messages = {f["rule_id"]: f["message"] for f in report["findings"]}
    assert "misses its RPO objective of 15m: Region failure: RPO 24h" in messages["RL701"]
    assert "misses its RTO objective of 1h: Region failure: RTO 8h" in messages["RL702"]
    assert "To close the gap:" in messages["RL701"]
    assert "standby stack in another Region behind Route 53 failover" in messages["RL702"]
    # a looser objective passes
    (work / ".rlint.yaml").write_text("dr:\n  objectives:\n    default: {rpo: 24h, rto: 8h}\n")
    assert invoke("scan", work, "--select", "RL701,RL702").exit_code == 0


def test_text_and_markdown_show_the_table(tmp_path):
    work = _with_config(tmp_path, "backup-restore", "terraform", OBJECTIVES)
    text = invoke("scan", work, "--select", "RL7", "--dr-report").output
    assert "DR strategy: backup & restore" in text
    assert "  Region failure          24h  15m            8h   1h             missed" in text
    assert "  AZ failure              0    15m            2m   1h             met" in text
    md = invoke("scan", work, "--select", "RL7", "--dr-report", "--format", "markdown").output
    assert "### Disaster recovery" in md
    assert "| Region failure | 24h | 15m | 8h | 1h | missed |" in md
    assert "| deletion or corruption | 5m | - | 4h | - | no objective |" in md
    plain = invoke("scan", work, "--select", "RL7").output
    assert "DR strategy" not in plain  # only with --dr-report
    quiet = invoke("scan", work, "--select", "RL7", "--dr-report", "--quiet").output
    assert quiet.count("\n") == 1 and "DR strategy" not in quiet  # --quiet: the summary line only


def test_tier_by_tag_and_by_path(tmp_path):
    for folder, tags in (("payments", ""), ("tagged", 'tags = { dr_tier = "tier-1" }'), ("other", "")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "main.tf").write_text(textwrap.dedent(f"""\
            resource "aws_db_instance" "db" {{
              engine         = "postgres"
              instance_class = "db.m6g.large"
              {tags}
            }}
            """))
    (tmp_path / ".rlint.yaml").write_text(textwrap.dedent("""\
        dr:
          objectives:
            default: {rto: 24h, scenarios: [az]}
            tier-1: {rto: 1h, scenarios: [az]}
          tiers_by_path:
            "payments/*": tier-1
        """))
    result = invoke("scan", tmp_path, "--select", "RL702", "--format", "json", "--dr-report")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert sorted(f["file"].split("/")[-2] for f in report["findings"]) == ["payments", "tagged"]
    tiers = {s["file"].split("/")[-2]: s["tier"] for s in report["dr"]["stores"]}
    assert tiers == {"payments": "tier-1", "tagged": "tier-1", "other": "default"}


@pytest.mark.parametrize("config,key", [
    ("dr:\n  objectives:\n    default: {rpo: 15 minutes}\n", "dr.objectives.default.rpo"),
    ("dr:\n  objectives:\n    default: {rpo: 1w}\n", "dr.objectives.default.rpo"),
    ("dr:\n  objective:\n    default: {rpo: 1h}\n", "dr.objective: unknown key 'objective'"),
    ("dr:\n  objectives:\n    default: {rpo: 1h, scenario: [az]}\n", "unknown key 'scenario'"),
    ("dr:\n  objectives:\n    default: {rpo: 1h, scenarios: [zone]}\n", "dr.objectives.default.scenarios.0"),
    ("dr:\n  objectives:\n    default: {rpo: 1h}\n  tiers_by_path: {'a/*': gold}\n", "tier 'gold'"),
])
def test_invalid_dr_configuration_exits_2_naming_the_key(tmp_path, config, key):
    (tmp_path / "main.tf").write_text("")
    (tmp_path / ".rlint.yaml").write_text(config)
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2
    assert key in result.output


def test_undecidable_inputs_give_unknown_estimates_not_failures(tmp_path):
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        variable "plan" {}
        variable "schedule" {}

        resource "aws_db_instance" "db" {
          engine         = "postgres"
          instance_class = "db.m6g.large"
          multi_az       = true
        }

        resource "aws_backup_plan" "p" {
          name = "p"
          rule {
            rule_name         = "r"
            target_vault_name = "v"
            schedule          = var.schedule
          }
        }

        resource "aws_backup_selection" "s" {
          name         = "s"
          plan_id      = aws_backup_plan.p.id
          iam_role_arn = "arn:aws:iam::123456789012:role/backup"
          resources    = [aws_db_instance.db.arn]
        }

        resource "aws_dynamodb_table" "t" {
          name     = "t"
          hash_key = "pk"
          attribute {
            name = "pk"
            type = "S"
          }
          point_in_time_recovery {
            enabled = true
          }
          replica {
            region_name = var.plan
          }
        }
        """))
    (tmp_path / ".rlint.yaml").write_text("dr:\n  objectives:\n    default: {rpo: 1h, scenarios: [deletion, region]}\n")
    result = run(tmp_path, dr_report=True, select=("RL701",),
                 dr={"objectives": {"default": {"rpo": "1h", "scenarios": ["deletion", "region"]}}})
    outcomes = {(f.resource, f.outcome.value) for f in result.findings}
    # the DB's region copy does not exist (certain miss); the table's replica Region is unknown
    assert outcomes == {("aws_db_instance.db", "fail"), ("aws_dynamodb_table.t", "unknown")}
    rows = {s["resource"]: {r["scenario"]: r["rpo"] for r in s["scenarios"]} for s in result.dr["stores"]}
    assert rows["aws_db_instance.db"]["deletion"]["estimate"] == "5m"  # PITR, whatever the plan's schedule
    assert rows["aws_db_instance.db"]["deletion"]["status"] == "met"
    assert rows["aws_dynamodb_table.t"]["region"]["status"] == "unknown"
    assert "var.plan" in rows["aws_dynamodb_table.t"]["region"]["why"]


def test_durations_and_schedules():
    assert [parse(t) for t in ("0", "30s", "15m", "1h", "24h", "7d")] == [0, 30, 900, 3600, 86400, 604800]
    for bad in ("15", "1w", "1.5h", "-1h", "15 m"):
        with pytest.raises(ValueError):
            parse(bad)
    assert [show(s) for s in (0, 35, 90, 120, 5400, 86400, 172800, float("inf"), None)] == \
        ["0", "35s", "1m 30s", "2m", "1h 30m", "24h", "2d", "not recoverable", "unknown"]
    assert schedule_interval("cron(0 3 * * ? *)") == 86400
    assert schedule_interval("cron(0 */4 * * ? *)") == 4 * 3600
    assert schedule_interval("cron(0,30 * * * ? *)") == 1800
    assert schedule_interval("cron(0 2,14 * * ? *)") == 12 * 3600
    assert schedule_interval("cron(0 5 ? * MON *)") == 7 * 86400
    assert schedule_interval("cron(0 1 1 * ? *)") == 31 * 86400
    assert "not a cron expression" in schedule_interval("rate(1 day)").reason


def test_every_figure_is_documented_with_its_source():
    from helpers import ROOT
    from rlint.rules.dr import figures

    page = (ROOT / "docs" / "dr.md").read_text()
    for name in dir(figures):
        figure = getattr(figures, name)
        if isinstance(figure, figures.Figure):
            assert figure.source in page, f"{name}: {figure.source} is not in docs/dr.md"


def test_entry_points_get_an_rto_per_scenario(tmp_path):
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_subnet" "a" {
          vpc_id            = "vpc-1"
          cidr_block        = "10.0.1.0/24"
          availability_zone = "eu-west-1a"
        }

        resource "aws_subnet" "b" {
          vpc_id            = "vpc-1"
          cidr_block        = "10.0.2.0/24"
          availability_zone = "eu-west-1b"
        }

        resource "aws_lb_target_group" "web" {
          name     = "web"
          port     = 80
          protocol = "HTTP"
          vpc_id   = "vpc-1"
        }

        resource "aws_autoscaling_group" "spread" {
          min_size            = 2
          max_size            = 4
          vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
          target_group_arns   = [aws_lb_target_group.web.arn]
        }

        resource "aws_autoscaling_group" "one_zone" {
          min_size            = 2
          max_size            = 4
          vpc_zone_identifier = [aws_subnet.a.id]
          target_group_arns   = [aws_lb_target_group.web.arn]
        }

        resource "aws_lambda_function" "api" {
          function_name = "api"
          role          = "arn:aws:iam::123456789012:role/api"
          runtime       = "python3.12"
          handler       = "app.handler"
        }

        resource "aws_lambda_permission" "api" {
          action        = "lambda:InvokeFunction"
          function_name = aws_lambda_function.api.function_name
          principal     = "apigateway.amazonaws.com"
        }

        resource "aws_ecs_service" "worker" {
          name            = "worker"
          task_definition = "worker:1"
        }
        """))
    result = run(tmp_path, dr_report=True, select=("RL7",))
    rows = {e["resource"]: [r["rto"] for r in e["scenarios"]] for e in result.dr["entry_points"]}
    assert rows == {"aws_autoscaling_group.spread": ["0", "8h", "1h"],
                    "aws_autoscaling_group.one_zone": ["not recoverable", "8h", "1h"],
                    "aws_ecs_service.worker": ["unknown", "8h", "1h"],
                    "aws_lambda_function.api": ["0", "8h", "1h"]}
    assert result.dr["strategy"] is None  # no data stores
    assert result.dr["traffic"]["mode"] == "redeploy"


def test_the_report_cites_the_sources_of_the_entry_points_figures(tmp_path):
    """The warm-standby web tier (two Regions behind Route 53 failover) in front of a Multi-AZ database without
    automated backups: the report's sources are those of every figure it shows, the entry points' too (their
    deletion row assumes the configuration is applied again, from the DR whitepaper, which nothing else cites
    here)."""
    text = (DR / "warm-standby" / "terraform" / "main.tf").read_text()
    head = text[:text.index('resource "aws_rds_global_cluster"')]
    web = text[text.index('resource "aws_lb" "web"'):]
    database = textwrap.dedent("""\
        resource "aws_db_instance" "orders" {
          identifier                  = "orders"
          engine                      = "postgres"
          instance_class              = "db.m6g.large"
          allocated_storage           = 100
          multi_az                    = true
          backup_retention_period     = 0
          username                    = "orders"
          manage_master_user_password = true
        }

        """)
    (tmp_path / "main.tf").write_text(head + database + web)
    result = run(tmp_path, dr_report=True, select=("RL7",))
    assert result.dr["traffic"]["mode"] == "failover"
    deletion = {e["resource"]: next(r for r in e["scenarios"] if r["scenario"] == "deletion")
                for e in result.dr["entry_points"]}
    assert {k: (r["rto"], r["basis"].split(":")[0]) for k, r in deletion.items()} == {
        "aws_autoscaling_group.web": ("1h", "the configuration"),
        "aws_autoscaling_group.web_dr": ("1h", "the configuration")}
    assert result.dr["sources"] == [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html",
        "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html",
        "https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/"
        "disaster-recovery-options-in-the-cloud.html"]


def test_a_continuous_backup_rule_gives_an_instance_without_automated_backups_point_in_time_restore(tmp_path):
    """An RDS instance that keeps no automated backups of its own (retention 0) but that a continuous AWS Backup
    rule selects: the rule's point-in-time recovery (5m) is the deletion RPO, not its daily schedule (24h); the
    same rule without continuous backup gives 24h."""
    plan = textwrap.dedent("""\
        resource "aws_db_instance" "orders" {
          identifier              = "orders"
          engine                  = "postgres"
          instance_class          = "db.m6g.large"
          backup_retention_period = 0
        }

        resource "aws_backup_vault" "main" {
          name = "orders"
        }

        resource "aws_backup_plan" "daily" {
          name = "orders-daily"
          rule {
            rule_name                = "daily"
            target_vault_name        = aws_backup_vault.main.name
            schedule                 = "cron(0 3 * * ? *)"
            enable_continuous_backup = CONTINUOUS
            lifecycle {
              delete_after = 35
            }
          }
        }

        resource "aws_backup_selection" "orders" {
          name         = "orders"
          plan_id      = aws_backup_plan.daily.id
          iam_role_arn = "arn:aws:iam::123456789012:role/backup"
          resources    = [aws_db_instance.orders.arn]
        }
        """)
    deletion = {}
    for continuous in ("true", "false"):
        (tmp_path / "main.tf").write_text(plan.replace("CONTINUOUS", continuous))
        dr = run(tmp_path, dr_report=True, select=("RL7",)).dr
        [store] = dr["stores"]
        deletion[continuous] = next(r["rpo"]["estimate"] for r in store["scenarios"] if r["scenario"] == "deletion")
    assert deletion == {"true": "5m", "false": "24h"}

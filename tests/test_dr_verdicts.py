"""DR verdicts corrected from cases that were wrong, each a fixture in both formats whose figures are worked
out by hand in its header comment and pinned here: the strategy, the traffic path, each store's Region
RPO/RTO, the annotated RL7xx findings, and what the advice says. The fixtures pass their engines.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engines import (Recordings, cfn_lint, content_hash, engines_required, require_cfn_lint, require_terraform,
                     validate_modules)
from helpers import FIXTURES, ROOT, annotations, finding_keys, fixture_options, run
from rlint.model import Outcome
from rlint.rules.dr.stores.base import BACKUP_COPY_GAP

VERDICTS = FIXTURES / "dr" / "verdicts"
DEPLOYMENTS = FIXTURES / "deployments"
EXAMPLE = ROOT / "examples" / "dr-two-regions"
TF, CFN = "terraform", "cloudformation"

# (case, format) -> (strategy, traffic mode, {store: (Region RPO, Region RTO)}), as the fixtures' headers work out
EXPECTED = {
    ("same-region-latency", TF): ("replicated data, no standby", "redeploy", {"aws_dynamodb_table.orders": ("1s", "8h")}),
    ("same-region-latency", CFN): ("replicated data, no standby", "redeploy", {"Orders": ("1s", "8h")}),
    ("maintenance-secondary", TF): ("replicated data, no standby", "redeploy", {"aws_db_instance.orders": ("1m", "8h")}),
    ("maintenance-secondary", CFN): ("backup & restore", "redeploy", {"Orders": ("5m", "8h")}),
    ("s3-replication-rto", TF): ("replicated data, no standby", None, {"aws_s3_bucket.assets": ("15m", "1h"),
                                                                       "aws_s3_bucket.media": ("15m", "2m")}),
    ("s3-replication-rto", CFN): ("replicated data, no standby", None, {"Assets": ("15m", "1h"),
                                                                        "Media": ("15m", "2m")}),
    ("infrequent-copy", TF): ("backup & restore", None, {"aws_db_instance.orders": ("24h", "4h")}),
    ("infrequent-copy", CFN): ("backup & restore", None, {"Orders": ("24h", "4h")}),
    ("data-only-global-table", TF): ("replicated data, no standby", None, {"aws_dynamodb_table.sessions": ("1s", "0")}),
    ("data-only-global-table", CFN): ("replicated data, no standby", None, {"Sessions": ("1s", "0")}),
}


def _fixture(case: str, fmt: str) -> Path:
    folder = VERDICTS / case / fmt
    return folder / ("main.tf" if fmt == TF else "template.yaml")


def _scan(case: str, fmt: str):
    fixture = _fixture(case, fmt)
    return fixture, run(fixture.parent, select=("RL7",), dr_report=True, **fixture_options(fixture))


@pytest.mark.parametrize("key", sorted(EXPECTED), ids=lambda k: "/".join(k))
def test_hand_worked_figures(key):
    strategy, mode, stores = EXPECTED[key]
    fixture, result = _scan(*key)
    assert result.dr["strategy"]["name"] == strategy
    assert result.dr["traffic"]["mode"] == mode
    region = {s["resource"]: next((r["rpo"]["estimate"], r["rto"]["estimate"]) for r in s["scenarios"]
                                  if r["scenario"] == "region") for s in result.dr["stores"]}
    assert region == stores
    want = {a.key() for a in annotations(fixture)}
    assert want, f"{fixture} has no annotations"
    assert finding_keys(result, fixture, Outcome.FAIL) == {(r, a) for r, a, k in want if k == "expect"}
    assert finding_keys(result, fixture, Outcome.UNKNOWN) == {(r, a) for r, a, k in want if k == "expect-unknown"}


@pytest.mark.parametrize("fmt", [TF, CFN])
def test_same_region_latency_records_are_not_multi_site(fmt):
    _fixture_path, result = _scan("same-region-latency", fmt)
    notes = result.dr["traffic"]["notes"]
    assert len(notes) == 1 and "answer from `us-east-1` only" in notes[0] and "within one Region" in notes[0]
    assert "the application's entry points all run in one Region" in result.dr["strategy"]["reason"]


@pytest.mark.parametrize("fmt", [TF, CFN])
def test_a_maintenance_page_is_no_standby(fmt):
    _fixture_path, result = _scan("maintenance-secondary", fmt)
    notes = result.dr["traffic"]["notes"]
    assert len(notes) == 1 and "answers with an S3 static website (a maintenance page)" in notes[0]
    message = next(f.message for f in result.findings if f.rule_id == "RL702")
    assert "RTO 8h" in message and "redeploying the stack" in message


@pytest.mark.parametrize("fmt", [TF, CFN])
def test_s3_replication_rto_names_its_figure_and_source(fmt):
    _fixture_path, result = _scan("s3-replication-rto", fmt)
    rows = {s["resource"]: next(r for r in s["scenarios"] if r["scenario"] == "region") for s in result.dr["stores"]}
    repointed, switched = (rows[k] for k in sorted(rows))  # assets, media
    assert "clients are pointed at it by changing and applying their configuration" in repointed["rto"]["basis"]
    assert "a routing change takes up to 2 minutes" in switched["rto"]["basis"]
    assert "https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPoints.html" in result.dr["sources"]
    assert ("https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_SubmitMultiRegionAccessPointRoutes.html"
            in result.dr["sources"])
    message = next(f.message for f in result.findings if f.rule_id == "RL702")
    assert message.endswith("To close the gap: a Multi-Region Access Point over the bucket and its replica "
                            "(failover controls move requests to the replica in minutes)")


@pytest.mark.parametrize("fmt,plan", [(TF, "aws_backup_plan.daily"), (CFN, "Daily")])
def test_an_infrequent_copy_is_advised_to_run_more_often_not_to_exist(fmt, plan):
    _fixture_path, result = _scan("infrequent-copy", fmt)
    message = next(f.message for f in result.findings if f.rule_id == "RL701")
    assert f'Region failure: RPO 24h (AWS Backup plan {plan} rule "daily" copy to eu-central-1: a copy every 24h' \
        in message
    assert (f'To close the gap: copy more often: AWS Backup plan {plan} rule "daily" copy to eu-central-1 runs '
            f"every 24h; give that rule a more frequent schedule, or continuous replication (a cross-Region read "
            f"replica)") in message
    assert BACKUP_COPY_GAP not in message


@pytest.mark.parametrize("fmt", [TF, CFN])
def test_a_data_only_global_table_is_named_by_what_exists(fmt):
    _fixture_path, result = _scan("data-only-global-table", fmt)
    reason = result.dr["strategy"]["reason"]
    assert "no compute runs or waits there" in reason and "the data half of a pilot light" in reason


def test_the_dr_fixtures_and_example_pass_their_engines(tmp_path):
    """terraform validate (offline, one batched root) and cfn-lint (one run) accept every verdict fixture, the
    deployments fixtures and the two-Region example. Verdicts are recorded by content (tests/engine_verdicts),
    so the ordinary suite runs an engine only for content it has not judged; CI judges everything again."""
    live = engines_required()
    modules = {p.parent.parent.name.replace("-", "_"): p.parent for p in sorted(VERDICTS.glob("*/terraform/main.tf"))}
    modules.update(backup_vaults=DEPLOYMENTS / "backup-vaults", table_replica=DEPLOYMENTS / "table-replica",
                   two_regions=EXAMPLE / "terraform")
    inputs = {"backup_vaults": {"role": '"primary"', "copy_to": '"arn:aws:backup:us-west-2:123456789012:backup-vault:x"'},
              "table_replica": {"role": '"standby"'},
              "two_regions": {"role": '"primary"', "region": '"us-east-1"', "peer_region": '"us-west-2"'}}
    templates = sorted(VERDICTS.glob("*/cloudformation/template.yaml")) + \
        [DEPLOYMENTS / "failover-pair" / "site.yaml", EXAMPLE / "cloudformation" / "shop.yaml"]
    tf_keys = {n: "dr-fixture " + content_hash(sorted(d.glob("*.tf")), ROOT) for n, d in modules.items()}
    cfn_keys = {t: "dr-fixture " + content_hash([t], ROOT) for t in templates}
    tf_rec, cfn_rec = Recordings("terraform"), Recordings("cfn-lint")
    tf = {n: None if live else tf_rec.get(k) for n, k in tf_keys.items()}
    cfn = {t: None if live else cfn_rec.get(k) for t, k in cfn_keys.items()}
    if any(v is None for v in tf.values()):
        require_terraform()
        todo = {n: modules[n] for n, v in tf.items() if v is None}
        (tmp_path / "tf").mkdir()
        found = validate_modules(tmp_path / "tf", todo, {n: inputs.get(n, {}) for n in todo})
        for n in todo:
            tf[n] = [d for d in found[n] if d["severity"] == "error"]
            tf_rec.put(tf_keys[n], "dr-fixtures", tf[n])
    if any(v is None for v in cfn.values()):
        require_cfn_lint()
        todo = [t for t, v in cfn.items() if v is None]
        found = cfn_lint([str(t) for t in todo], tmp_path)
        for t in todo:
            cfn[t] = [list(m) for m in found.get(str(t), [])]
            cfn_rec.put(cfn_keys[t], "dr-fixtures", cfn[t])
    tf_rec.prune({"dr-fixtures"})
    cfn_rec.prune({"dr-fixtures"})
    assert {n: v for n, v in tf.items() if v} == {}
    assert {str(t): v for t, v in cfn.items() if v} == {}


def test_a_standby_stack_is_assumed_to_use_its_regions_replica_bucket(tmp_path):
    """S3 replication's repointing (1h) is the clients' work; a running standby behind Route 53 failover in the
    other Region uses that Region's replica already: the bucket's Region RTO is the traffic's, 5m
    (figures.DNS_FAILOVER), and the basis says so."""
    lb = 'resource "aws_lb" "%s" {\n  %sname = "web-%s"\n}\n'
    record = ('resource "aws_route53_record" "%s" {\n  zone_id = "Z0123456789ABC"\n  name = "www.example.com"\n'
              '  type = "A"\n  set_identifier = "%s"\n  failover_routing_policy {\n    type = "%s"\n  }\n'
              '  alias {\n    name = aws_lb.%s.dns_name\n    zone_id = aws_lb.%s.zone_id\n'
              '    evaluate_target_health = true\n  }\n}\n')
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\nprovider "aws" {\n  alias = "dr"\n  region = "us-west-2"\n}\n'
        + lb % ("east", "", "east") + lb % ("west", "provider = aws.dr\n  ", "west")
        + record % ("primary", "primary", "PRIMARY", "east", "east")
        + record % ("secondary", "secondary", "SECONDARY", "west", "west")
        + 'resource "aws_s3_bucket" "a" {\n  bucket = "a"\n}\n'
        + 'resource "aws_s3_bucket" "b" {\n  provider = aws.dr\n  bucket = "b"\n}\n'
        + 'resource "aws_s3_bucket_replication_configuration" "a" {\n  bucket = aws_s3_bucket.a.id\n'
          '  role = "arn:aws:iam::123456789012:role/r"\n  rule {\n    status = "Enabled"\n'
          '    destination {\n      bucket = aws_s3_bucket.b.arn\n    }\n  }\n}\n')
    dr = run(tmp_path, select=("RL7",), dr_report=True).dr
    assert dr["traffic"]["mode"] == "failover"
    row = next(r for r in dr["stores"][0]["scenarios"] if r["scenario"] == "region")
    assert row["rto"]["estimate"] == "5m"
    assert "the standby stack is assumed to use the copy in its own Region" in row["rto"]["basis"]

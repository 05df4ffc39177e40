"""RL703 judges each store and reports a deployment's failures once (linter/fold.py): one finding per root
module or template (and deployment), at its first store in the root's own files, standing for the others
(`covers`) in every report. Suppressions stay per store. Fixture: tests/fixtures/fold (valid for Terraform)."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import jsonschema

from helpers import FIXTURES, invoke, report_schema, run
from rlint.fold import covered
from rlint.model import Outcome

FOLD = FIXTURES / "fold"
TABLE = "module.orders.aws_dynamodb_table.orders"


def _rl703(result) -> list:
    return [(f.root, f.file, f.span.line, f.resource, [(c.resource, c.file, c.line) for c in covered(f)],
             None if f.suppressed is None else f.suppressed.kind)
            for f in result.findings if f.rule_id == "RL703"]


def test_one_finding_per_root_at_its_first_own_store_covering_the_others(monkeypatch):
    result = run(FOLD, select=("RL703",))
    assert _rl703(result) == [
        # all of the root's stores are in the module it calls: the finding sits in the module's file
        ("modules-only", "modules/orders/main.tf", 5, "module.invoices.aws_dynamodb_table.orders",
         [("module.invoices.aws_dynamodb_table.orders", "modules/orders/main.tf", 5),
          (TABLE, "modules/orders/main.tf", 5)], None),
        ("production", "production/main.tf", 11, "aws_db_instance.ledger",
         [("aws_db_instance.ledger", "production/main.tf", 11), ("aws_ebs_volume.archive", "production/main.tf", 24),
          (TABLE, "modules/orders/main.tf", 5)], None),
        # suppressed inline on its own block: left out of the root's finding, and the suppression is used
        ("production", "production/main.tf", 18, "aws_ebs_volume.scratch", [], "inline"),
        ("single", "single/main.tf", 6, "aws_db_instance.only", [], None),
        ("staging", "staging/main.tf", 12, "aws_db_instance.reports",
         [("aws_db_instance.reports", "staging/main.tf", 12), (TABLE, "modules/orders/main.tf", 5)], None),
    ]
    assert not [f for f in result.findings if f.rule_id == "RL004"]
    words = {f.root: f.message for f in result.findings if f.rule_id == "RL703" and f.suppressed is None}
    assert words["staging"] == (
        "2 data stores of this root module have no copy outside their Region (aws_db_instance.reports, "
        f"{TABLE}): a Region failure makes their data unavailable until the Region recovers (give each a copy "
        "in another Region, or set a recovery objective to say which must survive a Region: RL701, RL702)")
    # a root with one store keeps the store's own words
    assert words["single"].startswith("aws_db_instance.only (RDS DB instance) has no copy outside its Region")
    # each covered store keeps its own message
    staging = next(f for f in result.findings if f.root == "staging" and f.rule_id == "RL703")
    assert covered(staging)[1].message.startswith(f"{TABLE} (DynamoDB table) has no copy outside its Region")
    assert staging.fix.title == ("Add a copy in another Region for each of the 2 stores (a cross-Region replica, "
                                 "replicated backups, or an AWS Backup copy action)")


def test_without_the_fold_every_store_would_fail_on_its_own():
    """The stores the fold covers are exactly the stores RL703 fails: nothing is dropped, nothing added."""
    result = run(FOLD, select=("RL703",))
    stores = sorted((f.root, resource) for f in result.findings if f.rule_id == "RL703" and f.suppressed is None
                    for resource in ([c.resource for c in covered(f)] or [f.resource]))
    assert stores == [("modules-only", "module.invoices.aws_dynamodb_table.orders"), ("modules-only", TABLE),
                      ("production", "aws_db_instance.ledger"), ("production", "aws_ebs_volume.archive"),
                      ("production", TABLE), ("single", "aws_db_instance.only"),
                      ("staging", "aws_db_instance.reports"), ("staging", TABLE)]


def test_reports_list_what_a_folded_finding_covers(monkeypatch):
    monkeypatch.chdir(FOLD)
    out = invoke("scan", ".", "--select", "RL703", "--format", "json", "--fail-on", "never")
    report = json.loads(out.output)
    jsonschema.validate(report, report_schema())
    staging = next(f for f in report["findings"] if f["root"] == "staging")
    assert [(c["resource"], c["resource_type"], c["file"], c["line"], c["column"]) for c in staging["covers"]] == [
        ("aws_db_instance.reports", "aws_db_instance", "staging/main.tf", 12, 1),
        (TABLE, "aws_dynamodb_table", "modules/orders/main.tf", 5, 1)]
    assert "covers" not in next(f for f in report["findings"] if f["root"] == "single")
    assert report["summary"]["fail"] == 4 and report["summary"]["suppressed"] == 1

    sarif = json.loads(invoke("scan", ".", "--select", "RL703", "--format", "sarif", "--fail-on", "never").output)
    result = next(r for r in sarif["runs"][0]["results"] if r["properties"]["root"] == "staging")
    assert [(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"])
            for loc in result["relatedLocations"]] == [("staging/main.tf", 12), ("modules/orders/main.tf", 5)]

    text = invoke("scan", ".", "--select", "RL703", "--fail-on", "never").output
    assert "    also production/main.tf:24:1  aws_ebs_volume.archive\n" \
           f"    also modules/orders/main.tf:5:1  {TABLE}\n" in text

    junit = ET.fromstring(invoke("scan", ".", "--select", "RL703", "--format", "junit", "--fail-on", "never").output)
    cases = [(c.get("name"), c.find("failure") is not None) for c in junit.iter("testcase")]
    # one failing case per root; the stores it covers are not listed again as passing
    assert sorted(name for name, failed in cases if failed) == [
        "aws_db_instance.ledger", "aws_db_instance.only", "aws_db_instance.reports",
        "module.invoices.aws_dynamodb_table.orders [root modules-only]"]
    assert not [name for name, failed in cases if not failed and "scratch" not in name]


def test_a_store_with_a_copy_is_not_covered():
    """Only failures fold: passing and unknown stores keep their own outcome."""
    result = run(FIXTURES / "rules" / "RL703" / "main.tf", select=("RL703",))
    unknown = [f for f in result.findings if f.outcome is Outcome.UNKNOWN]
    assert unknown and not any(covered(f) for f in unknown)
    failing = [f for f in result.findings if f.outcome is Outcome.FAIL]
    assert len(failing) == 1 and len(covered(failing[0])) > 1


def test_a_baseline_records_each_store_and_reports_a_root_with_a_new_one(tmp_path, monkeypatch):
    """Entries per store, as before the fold (older baselines keep matching); a store added beside recorded ones
    makes its root's finding new again."""
    work = tmp_path / "fold"
    shutil.copytree(FOLD, work)
    monkeypatch.chdir(work)
    written = invoke("scan", ".", "--select", "RL703", "--write-baseline", "baseline.json", "--fail-on", "never")
    assert "wrote 8 entries" in written.output
    entries = json.loads((work / "baseline.json").read_text())["findings"]
    assert {(e["root"], e["file"], e["resource"]) for e in entries if e["root"] == "staging"} == {
        ("staging", "staging/main.tf", "aws_db_instance.reports"), ("staging", "modules/orders/main.tf", TABLE)}

    def reported():
        out = invoke("scan", ".", "--select", "RL703", "--baseline", "baseline.json", "--format", "json",
                     "--fail-on", "never")
        report = json.loads(out.output)
        return ([f["root"] for f in report["findings"] if f["suppressed"] is None],
                report["summary"].get("baseline_stale"))

    assert reported() == ([], 0)
    with open(work / "staging" / "main.tf", "a") as tf:
        tf.write('\nresource "aws_ebs_volume" "uploads" {\n  availability_zone = "eu-west-1a"\n  size = 10\n}\n')
    assert reported() == (["staging"], 0)

"""The CI formats: SARIF against the OASIS 2.1.0 schema, JUnit through an XML parser, GitHub annotations
against the workflow-command syntax, Markdown's table and sections."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from helpers import invoke, run
from rlint.model import Finding, FixInfo, Outcome, Severity, Span, Suppression
from rlint.reporters import get_reporter
from rlint.reporters.github import annotation, escape_data, escape_property
from rlint.reporters.options import ReportOptions
from rlint.reporters.sarif import fingerprint

pytestmark = pytest.mark.usefixtures("probe_catalogue")

SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"

MAIN_TF = '''variable "ha" {}

resource "aws_db_instance" "bad" {
  engine   = "postgres"
  multi_az = false
}

# rlint:ignore RL101 -- legacy, replaced in Q3
resource "aws_db_instance" "quiet" {
  engine = "postgres"
}

resource "aws_db_instance" "maybe" {
  multi_az = var.ha
}

resource "aws_db_instance" "good" {
  multi_az = true
}

resource "aws_db_instance" "fleet" {
  count = 2
}
'''
BROKEN_YAML = "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n"


@pytest.fixture
def scanned(tmp_path):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    (tmp_path / "broken.yaml").write_text(BROKEN_YAML)
    return run(tmp_path, select=("RL101",))  # the reports' shapes, independent of the catalogue's growth


def render(fmt, result, **kw):
    return get_reporter(fmt).render(result, ReportOptions(**kw))


# -- SARIF ------------------------------------------------------------------------------------------------
def test_sarif_validates_against_the_official_schema(scanned):
    log = json.loads(render("sarif", scanned))
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_rules_carry_full_help_and_links(scanned):
    driver = json.loads(render("sarif", scanned))["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids[:5] == ["RL001", "RL002", "RL003", "RL004", "RL101"]
    rl101 = driver["rules"][4]
    assert rl101["name"] == "rds-single-az"
    assert rl101["helpUri"] == "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZSingleStandby.html"
    assert rl101["help"]["markdown"].startswith("## What it does\nFlags RDS DB instances")
    assert "## References" in rl101["help"]["markdown"]
    assert rl101["defaultConfiguration"] == {"level": "error"}
    assert rl101["properties"]["tags"] == ["reliability", "terraform", "cloudformation"]
    rl004 = driver["rules"][3]  # engine rules are documented like every rule (rules/engine_rules.py)
    assert rl004["help"]["markdown"].startswith("## What it does\nReports a suppression that matched no finding")
    assert rl004["helpUri"] == "https://docs.astral.sh/ruff/rules/unused-noqa/"


def test_sarif_results_regions_levels_suppressions(scanned):
    results = json.loads(render("sarif", scanned))["runs"][0]["results"]
    by_resource = {(r["ruleId"], r["locations"][0].get("logicalLocations", [{}])[0].get("fullyQualifiedName")): r
                   for r in results}
    bad = by_resource[("RL101", "aws_db_instance.bad")]
    assert bad["level"] == "error"
    assert bad["ruleIndex"] == 4
    assert bad["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "main.tf"},
        "region": {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 19}}
    assert bad["properties"]["fix"]["snippet"] == ('resource "aws_db_instance" "bad" {\n  engine   = "postgres"\n'
                                                   '  multi_az = true\n}')
    assert "suppressions" not in bad
    quiet = by_resource[("RL101", "aws_db_instance.quiet")]
    assert quiet["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                      "justification": "legacy, replaced in Q3"}]
    maybe = by_resource[("RL101", "aws_db_instance.maybe")]
    assert maybe["level"] == "note" and maybe["properties"]["outcome"] == "unknown"
    parse = by_resource[("RL001", None)]
    assert parse["level"] == "error"
    assert parse["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "broken.yaml"}
    assert len(results) == 5


def test_sarif_fingerprint_ignores_lines_and_message():
    a = Finding("RL101", "rds-single-az", Severity.HIGH, Outcome.FAIL, "aws_db_instance.x", "aws_db_instance",
                Span("db/main.tf", 3, 3, 3, 19), "one message")
    moved = Finding("RL101", "rds-single-az", Severity.HIGH, Outcome.FAIL, "aws_db_instance.x", "aws_db_instance",
                    Span("db/main.tf", 40, 5, 40, 21), "another message")
    other = Finding("RL101", "rds-single-az", Severity.HIGH, Outcome.FAIL, "aws_db_instance.y", "aws_db_instance",
                    Span("db/main.tf", 3, 3, 3, 19), "one message")
    assert fingerprint(a) == fingerprint(moved) != fingerprint(other)
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(a))


@pytest.mark.parametrize("kind, expected", [("inline", "inSource"), ("metadata", "inSource"),
                                            ("baseline", "external"), ("config", "external")])
def test_sarif_suppression_kinds(kind, expected):
    from rlint.reporters.sarif import suppression

    assert suppression(Suppression(kind, ""))["kind"] == expected
    assert "justification" not in suppression(Suppression(kind, ""))


def test_sarif_severity_levels():
    from rlint.reporters.sarif import LEVELS

    assert LEVELS == {"high": "error", "medium": "warning", "low": "note", "info": "note"}


def test_reporters_do_not_import_jsonschema_at_start_up():
    code = ("import sys\nfrom rlint.reporters import get_reporter\n"
            "for f in ('sarif', 'junit', 'github', 'markdown', 'text', 'json'): get_reporter(f)\n"
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- JUnit ------------------------------------------------------------------------------------------------
def test_junit_parses_with_a_case_per_rule_and_resource(scanned):
    root = ET.fromstring(render("junit", scanned))
    assert root.tag == "testsuites"
    # rules with no resource of their types in the scan have empty suites
    suites = {s.get("name"): s for s in root.findall("testsuite") if s.findall("testcase")}
    assert sorted(suites) == ["RL001 parse-error", "RL101 rds-single-az"]
    rl101 = suites["RL101 rds-single-az"]
    cases = {c.get("name"): c for c in rl101.findall("testcase")}
    # fleet's two instances fail the same way: one case for the block
    assert sorted(cases) == ["aws_db_instance.bad", "aws_db_instance.fleet", "aws_db_instance.good",
                             "aws_db_instance.maybe", "aws_db_instance.quiet"]
    assert (rl101.get("tests"), rl101.get("failures"), rl101.get("skipped")) == ("5", "2", "2")
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("6", "3", "2")
    bad = cases["aws_db_instance.bad"]
    failure = bad.find("failure")
    assert failure.get("message").startswith("main.tf:5:3: aws_db_instance.bad runs in one Availability Zone")
    assert failure.get("type") == "high"
    assert failure.text.splitlines()[0].startswith("main.tf:5:3: RL101 high: aws_db_instance.bad")
    assert (bad.get("classname"), bad.get("file"), bad.get("line")) == ("RL101.rds-single-az", "main.tf", "5")
    assert cases["aws_db_instance.good"].find("failure") is None and cases["aws_db_instance.good"].find("skipped") is None
    assert cases["aws_db_instance.quiet"].find("skipped").get("message") == \
        "main.tf:9:1: suppressed (inline): legacy, replaced in Q3"
    assert cases["aws_db_instance.maybe"].find("skipped").get("message").startswith("main.tf:14:3: unknown: ")
    parse_case = suites["RL001 parse-error"].find("testcase")
    assert parse_case.get("name") == "broken.yaml" and parse_case.find("failure") is not None


def test_junit_of_a_clean_scan_has_only_passing_cases(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "ok" {\n  multi_az = true\n}\n')
    root = ET.fromstring(render("junit", run(tmp_path, select=("RL101",))))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")


# -- GitHub annotations -----------------------------------------------------------------------------------
# the workflow-command syntax: ::command key=value,key=value::data, with escaped property values and data
PROPERTY = r"[^,:%\r\n]*(?:%(?:25|0D|0A|3A|2C)[^,:%\r\n]*)*"
ANNOTATION = re.compile(rf"^::(error|warning|notice) file=(?P<file>{PROPERTY}),line=\d+,col=\d+,endLine=\d+,"
                        rf"endColumn=\d+,title=(?P<title>{PROPERTY})::(?P<data>[^\r\n%]*(?:%(?:25|0D|0A)[^\r\n%]*)*)$")


def test_github_annotations_follow_the_syntax(scanned):
    lines = render("github", scanned, show_unknown=True).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 4
    for line in annotations:
        assert ANNOTATION.match(line), line
    assert annotations[0].startswith("::error file=broken.yaml,line=")
    assert annotations[1].startswith("::error file=main.tf,line=5,col=3,endLine=5,endColumn=19,"
                                     "title=RL101 rds-single-az::aws_db_instance.bad runs in one")
    assert "%0Afix: Set `multi_az` to true%0Aresource" in annotations[1]
    assert annotations[2].startswith("::notice file=main.tf,line=14,col=3,")
    assert lines[-1].startswith("3 findings (3 high) · 1 unknown · 1 suppressed")


def test_github_hides_unknown_unless_asked(scanned):
    assert sum(line.startswith("::") for line in render("github", scanned).splitlines()) == 3


def test_github_escaping():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    f = Finding("RL303", "backup-retention-too-short", Severity.MEDIUM, Outcome.FAIL, "x", "t",
                Span("dir,with:odd%name.tf", 2, 1, 3, 4), "keeps 50% of days,\nthen: deletes")
    line = annotation(f)
    assert line == ("::warning file=dir%2Cwith%3Aodd%25name.tf,line=2,col=1,endLine=3,endColumn=4,"
                    "title=RL303 backup-retention-too-short::keeps 50%25 of days,%0Athen: deletes")
    assert ANNOTATION.match(line)


# -- Markdown ---------------------------------------------------------------------------------------------
def test_markdown_has_table_sections_and_folded_fixes(scanned):
    text = render("markdown", scanned)
    lines = text.splitlines()
    assert lines[0] == "## rlint: 3 findings"
    table = lines[lines.index("| severity | findings |"):][:8]
    assert table == ["| severity | findings |", "|---|---|", "| high | 3 |", "| medium | 0 |", "| low | 0 |",
                     "| info | 0 |", "| unknown | 1 |", "| suppressed | 1 |"]
    assert "### High (3)" in lines and "### Medium (0)" not in lines
    assert "- **RL101** `rds-single-az` at `main.tf:5:3` on `aws_db_instance.bad`" in lines
    assert "  <details><summary>Fix: Set <code>multi_az</code> to true (a synchronous standby in a second AZ; " \
           "doubles the instance cost, applied in place)</summary>" in lines
    assert text.count("<details>") == 2 and text.count("</details>") == 2
    assert "  ```hcl" in lines
    assert "### Unknown (1)" not in lines
    assert "### Unknown (1)" in render("markdown", scanned, show_unknown=True).splitlines()


def test_markdown_clean_and_quiet(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "ok" {\n  multi_az = true\n}\n')
    text = render("markdown", run(tmp_path))
    assert text.startswith("## rlint: 0 findings\n") and text.endswith("No failing findings.\n")


def test_markdown_escapes_fences_in_snippets():
    from rlint.reporters.markdown import _finding

    f = Finding("RL101", "rds-single-az", Severity.HIGH, Outcome.FAIL, "r", "t", Span("a.yaml", 1, 1, 1, 2), "m",
                FixInfo("t", "Description: |\n  ```\n  x", "yaml"))
    lines = _finding(f)
    assert "  ````yaml" in lines and lines.count("  ````") == 1


# -- through the CLI --------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown"])
def test_cli_formats_exit_codes(tmp_path, fmt):
    (tmp_path / "main.tf").write_text(MAIN_TF)
    out = tmp_path / f"report.{fmt}"
    result = invoke("scan", tmp_path, "--format", fmt, "--output", out)
    assert result.exit_code == 1 and result.stdout == ""
    assert out.read_text().strip()


# the results each scenario must give, written out (not taken from the scan): (rule, file, line, resource,
# suppressed); the same tables as tests/test_suppressions.py
SCENARIO_RESULTS = {
    "scenarios/suppress": {
        ("RL004", "template.json", 10, "Unused", False),
        ("RL101", "main.tf", 2, "aws_db_instance.file_level", True),
        ("RL101", "template.json", 3, "Short", True),
        ("RL101", "template.yaml", 4, "Above", True),
        ("RL101", "template.yaml", 8, "Meta", True),
        ("RL101", "template.yaml", 17, "Plain", False),
    },
    "scenarios/suppress_tf": {
        ("RL003", "main.tf", 19, "aws_db_instance.unknown_rule", False),
        ("RL004", "main.tf", 25, "aws_db_instance.unused", False),
        ("RL101", "main.tf", 2, "aws_db_instance.above", True),
        ("RL101", "main.tf", 7, "aws_db_instance.inside", True),
        ("RL101", "main.tf", 14, "aws_db_instance.no_reason", True),
        ("RL101", "main.tf", 20, "aws_db_instance.unknown_rule", False),
        ("RL101", "main.tf", 33, "aws_db_instance.checkov", True),
        ("RL101", "main.tf", 38, "aws_db_instance.plain", False),
    },
}


def _sarif_rows(log) -> set:
    rows = set()
    for r in log["runs"][0]["results"]:
        (loc,) = r["locations"]
        names = [l["fullyQualifiedName"] for l in loc.get("logicalLocations", [])]
        rows.add((r["ruleId"], loc["physicalLocation"]["artifactLocation"]["uri"],
                  loc["physicalLocation"]["region"]["startLine"], names[0] if names else "", "suppressions" in r))
    return rows


def _junit_rows(xml: str) -> set:
    rows = set()
    for case in ET.fromstring(xml).iter("testcase"):
        state = "failure" if case.find("failure") is not None else "skipped" if case.find("skipped") is not None \
            else "passed"
        rows.add((case.get("classname").split(".")[0], case.get("file"), case.get("name"), state))
    return rows


@pytest.mark.parametrize("scenario", sorted(SCENARIO_RESULTS))
def test_sarif_and_junit_report_each_scenario_finding(scenario):
    from helpers import FIXTURES

    result = run(FIXTURES / scenario)
    log = json.loads(render("sarif", result))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    assert _sarif_rows(log) == SCENARIO_RESULTS[scenario]
    junit = {row for row in _junit_rows(render("junit", result)) if row[3] != "passed"}
    assert junit == {(rule, file, resource, "skipped" if suppressed else "failure")
                     for rule, file, _line, resource, suppressed in SCENARIO_RESULTS[scenario]}
    for line in render("github", result, show_unknown=True).splitlines()[:-1]:
        assert ANNOTATION.match(line), line


def test_sarif_and_junit_on_a_rule_fixture_match_its_annotations():
    """rules/RL101 as a directory: each report lists exactly the annotated failures and unknowns."""
    from helpers import FIXTURES, annotations, is_fixture

    folder = FIXTURES / "rules" / "RL101"
    want = {(p.name, a.address, {"expect": "fail", "expect-unknown": "unknown"}[a.kind])
            for p in sorted(folder.iterdir()) if is_fixture(p)
            for a in annotations(p) if a.rule == "RL101" and a.kind in ("expect", "expect-unknown")}
    assert len(want) >= 15
    result = run(folder)
    log = json.loads(render("sarif", result))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    block = re.compile(r"\[[^\]]*\]$")
    assert {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             block.sub("", r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]),
             r["properties"]["outcome"]) for r in log["runs"][0]["results"]} == want
    junit = _junit_rows(render("junit", result))
    assert {(file, block.sub("", name)) for _rule, file, name, state in junit if state == "failure"} == \
        {(file, address) for file, address, outcome in want if outcome == "fail"}


def test_sarif_fixes_carry_the_edits_rlint_fix_writes(scanned):
    """A fix made of edits alone is a SARIF `fix` (its applicability in its properties); the official schema
    accepts it, and replaying it gives what `rlint fix` writes."""
    log = json.loads(render("sarif", scanned))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(log)
    bad = next(r for r in log["runs"][0]["results"] if "aws_db_instance.bad" in r["message"]["text"]
               and r["ruleId"] == "RL101")
    (fix,) = bad["fixes"]
    assert fix["properties"] == {"applicability": "review"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "main.tf"
    (replacement,) = change["replacements"]
    region = replacement["deletedRegion"]
    line = MAIN_TF.splitlines()[region["startLine"] - 1]
    assert line[:region["startColumn"] - 1] + replacement["insertedContent"]["text"] + \
        line[region["endColumn"] - 1:] == "  multi_az = true"

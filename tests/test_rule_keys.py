"""Rule keys on the command line and in the configuration: a key that names nothing is a usage error with
the nearest rule (never a green run that checked nothing); RL003 and RL004 are selected, ignored and re-graded
like any rule; RL001 and RL002 always run and saying otherwise is a usage error that says so; the engine
rules are documented like every rule; config errors say what is expected, not a regular expression."""
from __future__ import annotations

import pytest

from helpers import invoke
from rlint.rules import ENGINE_RULES
from rlint.rules.base import REQUIRED_SECTIONS

pytestmark = pytest.mark.usefixtures("probe_catalogue")

SINGLE_AZ = 'resource "aws_db_instance" "x" {\n  engine = "postgres"\n}\n'
UNUSED = '# rlint:ignore RL101 -- multi-AZ now\nresource "aws_db_instance" "y" {\n  multi_az = true\n}\n'
MISSPELT = '# rlint:ignore RL1O1 -- typo\nresource "aws_db_instance" "z" {\n  multi_az = true\n}\n'


@pytest.fixture
def infra(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(SINGLE_AZ)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("args, message", [
    (("--select", "rds-singel-az"), "--select names unknown rule 'rds-singel-az' (did you mean rds-single-az?)"),
    (("--select", "RL999"), "--select names unknown rule 'RL999'"),
    (("--select", "RL9"), "--select names unknown rule 'RL9'"),
    (("--ignore", "bogus"), "--ignore names unknown rule 'bogus'"),
    (("--ignore", "RL101,rds-single-a"), "--ignore names unknown rule 'rds-single-a' (did you mean rds-single-az?)"),
])
def test_unknown_rule_keys_on_the_command_line_exit_2_with_the_nearest(infra, args, message):
    result = invoke("scan", ".", *args)
    assert result.exit_code == 2 and message in result.output


@pytest.mark.parametrize("config, message", [
    ("select: [rds-singel-az]\n", ".rlint.yaml: select names unknown rule 'rds-singel-az' (did you mean "
                                  "rds-single-az?)"),
    ("ignore: [RL999]\n", ".rlint.yaml: ignore names unknown rule 'RL999'"),
    ("rules:\n  rds-singel-az:\n    severity: low\n", "rules.rds-singel-az: unknown key 'rds-singel-az' (did you mean "
                                                      "'rds-single-az'?)"),
])
def test_unknown_rule_keys_in_the_configuration_exit_2(infra, config, message):
    (infra / ".rlint.yaml").write_text(config)
    result = invoke("scan", ".")
    assert result.exit_code == 2 and message in result.output


def test_rl004_is_ignored_selected_and_regraded_like_any_rule(infra):
    (infra / "main.tf").write_text(UNUSED)
    assert invoke("scan", ".").exit_code == 1  # an unused suppression is a low finding
    assert invoke("scan", ".", "--ignore", "RL004").exit_code == 0
    assert invoke("scan", ".", "--ignore", "unused-suppression").exit_code == 0
    (infra / ".rlint.yaml").write_text("ignore: [RL004]\n")
    assert invoke("scan", ".").exit_code == 0
    (infra / ".rlint.yaml").write_text("rules:\n  RL004:\n    severity: info\n")
    result = invoke("scan", ".", "--no-color")
    assert result.exit_code == 0 and "1 finding (1 info)" in result.output
    (infra / ".rlint.yaml").write_text("rules:\n  unused-suppression:\n    severity: high\n")
    assert "1 finding (1 high)" in invoke("scan", ".").output


def test_select_runs_only_the_selected_engine_rules(infra):
    (infra / "main.tf").write_text(MISSPELT)
    assert "RL003" in invoke("scan", ".").output
    selected = invoke("scan", ".", "--select", "RL101", "--no-color")
    assert selected.exit_code == 0 and "RL003" not in selected.output
    assert "RL003" in invoke("scan", ".", "--select", "RL101,RL003").output
    assert "suppression names unknown rule RL1O1 (did you mean RL101?)" in invoke("scan", ".").output


@pytest.mark.parametrize("args, config", [
    (("--ignore", "RL001"), None), (("--ignore", "rule-error"), None), (("--ignore", "RL0"), None),
    ((), "ignore: [RL002]\n"), ((), "rules:\n  RL001:\n    severity: low\n"),
    ((), "rules:\n  parse-error:\n    severity: info\n"),
])
def test_rl001_and_rl002_stay_on_and_the_error_says_why(infra, args, config):
    if config:
        (infra / ".rlint.yaml").write_text(config)
    result = invoke("scan", ".", *args)
    assert result.exit_code == 2
    assert "mean the scan is incomplete; exclude files meant to be invalid with `exclude` instead" in result.output


def test_engine_rules_are_documented_like_every_rule():
    for rule in ENGINE_RULES:
        sections = rule.sections()
        for name in REQUIRED_SECTIONS:
            assert sections.get(name), f"{rule.id} lacks '## {name}'"
        assert rule.references(), rule.id
        assert "```hcl" in sections["Example"] and "```yaml" in sections["Example"], rule.id
    text = invoke("explain", "RL004").output
    assert text.startswith("# RL004 unused-suppression (low, engine)\n")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert section in text


def test_explain_suggests_the_nearest_rule():
    result = invoke("explain", "rds-singel-az")
    assert result.exit_code == 2 and "no rule 'rds-singel-az' (did you mean rds-single-az?)" in result.output
    assert "(did you mean RL101?)" in invoke("explain", "RL10").output


def test_a_bad_duration_says_what_a_duration_is_not_the_regex(infra):
    (infra / ".rlint.yaml").write_text("dr:\n  objectives:\n    default:\n      rpo: 1x\n")
    result = invoke("scan", ".")
    assert result.exit_code == 2
    assert "dr.objectives.default.rpo: '1x' is not a duration: 30s, 15m, 1h, 24h, 7d" in result.output
    assert "^(" not in result.output

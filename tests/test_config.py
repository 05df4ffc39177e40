"""Configuration: discovery, the schema with every rule's options, errors with key paths (exit 2), init, config."""
from __future__ import annotations

import json

import jsonschema
import pytest

import rlint.rules
from helpers import invoke
from rlint.config import ConfigError, errors, find_config, load_config, option_schema, schema
from rlint.config_template import TEMPLATE
from rlint.model import Severity
from rlint.rules.base import Rule

pytestmark = pytest.mark.usefixtures("probe_catalogue")

BAD_DB = 'resource "aws_db_instance" "x" {\n  engine = "postgres"\n}\n'



class RetentionRule(Rule):
    """A stand-in with options, as RL303 declares them."""

    id = "RL303"
    name = "backup-retention-too-short"
    severity = Severity.MEDIUM
    resource_types = ("aws_backup_plan",)
    options = {"min_retention_days": 35, "count_cold_storage": False}

    def check(self, res, ctx):
        return iter(())


@pytest.fixture
def with_options_rule(monkeypatch):
    original = rlint.rules.all_rules
    monkeypatch.setattr(rlint.rules, "all_rules", lambda: sorted(original() + [RetentionRule], key=lambda r: r.id))


def test_misspelt_key_exits_2_naming_it_and_the_allowed_keys(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    (tmp_path / ".rlint.yaml").write_text("fail_onn: high\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2
    assert (f"Error: {tmp_path / '.rlint.yaml'}: fail_onn: unknown key 'fail_onn' (did you mean 'fail_on'?); "
            "allowed keys: cloudformation, deployments, dr, exclude, fail_on, ignore, require_reason, rules, select, "
            "stateful, "
            "terraform, "
            "version") in result.output


def test_rule_options_are_typed_and_closed(with_options_rule):
    assert errors({"rules": {"RL303": {"options": {"min_retention_days": "x"}}}}) == [
        "rules.RL303.options.min_retention_days: 'x' is not of type 'integer'"]
    assert errors({"rules": {"RL303": {"options": {"min_retention": 30}}}}) == [
        "rules.RL303.options.min_retention: unknown key 'min_retention' (did you mean 'min_retention_days'?); "
        "allowed keys: count_cold_storage, min_retention_days"]
    assert errors({"rules": {"backup-retention-too-short": {"options": {"count_cold_storage": "yes"}}}}) == [
        "rules.backup-retention-too-short.options.count_cold_storage: 'yes' is not of type 'boolean'"]
    assert errors({"rules": {"RL303": {"options": {"min_retention_days": 14}, "severity": "high"}}}) == []


def test_every_error_at_once_with_its_key_path(tmp_path, with_options_rule):
    (tmp_path / ".rlint.yaml").write_text(
        "fail_on: sometimes\n"
        "rules:\n  RL101:\n    options: {x: 1}\n    sev: low\n  no-such-rule: {}\n"
        "  RL303:\n    options: {min_retention_days: \"x\"}\n"
        "terraform:\n  var_file: []\n"
        "exclude: legacy\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / ".rlint.yaml")
    where = str(tmp_path / ".rlint.yaml")
    assert str(info.value).splitlines() == [
        f"{where}: exclude: 'legacy' is not of type 'array'",
        f"{where}: fail_on: 'sometimes' is not one of ['high', 'medium', 'low', 'info', 'never']",
        f"{where}: rules.no-such-rule: unknown key 'no-such-rule'; allowed keys: rule ids or names (`rlint rules` lists them)",
        f"{where}: rules.RL101.sev: unknown key 'sev' (did you mean 'severity'?); allowed keys: options, severity",
        f"{where}: rules.RL101.options.x: unknown key 'x'; RL101 has no options",
        f"{where}: rules.RL303.options.min_retention_days: 'x' is not of type 'integer'",
        f"{where}: terraform.var_file: unknown key 'var_file' (did you mean 'var_files'?); "
        "allowed keys: var_files, vars, workspace",
    ]


def test_option_schema_from_defaults():
    assert option_schema(True) == {"type": "boolean", "default": True}
    assert option_schema(35) == {"type": "integer", "default": 35}
    assert option_schema(0.5) == {"type": "number", "default": 0.5}
    assert option_schema("x") == {"type": "string", "default": "x"}
    assert option_schema(("a",)) == {"type": "array", "default": ["a"]}
    assert option_schema(None) == {}


def test_the_full_schema_is_a_valid_json_schema(with_options_rule):
    full = schema()
    jsonschema.Draft202012Validator.check_schema(full)
    rules = full["properties"]["rules"]
    assert rules["additionalProperties"] is False
    assert rules["properties"]["RL303"]["properties"]["options"]["properties"]["min_retention_days"] == \
        {"type": "integer", "default": 35}
    assert rules["properties"]["rds-single-az"] == rules["properties"]["RL101"]


def test_invalid_yaml_and_non_mapping_exit_2(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    (tmp_path / ".rlint.yaml").write_text("rules: [\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2 and "invalid YAML" in result.output
    (tmp_path / ".rlint.yaml").write_text("- a\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2 and "<root>: ['a'] is not of type 'object'" in result.output


# -- discovery ------------------------------------------------------------------------------------------
def test_discovery_walks_up_and_the_nearest_file_wins(tmp_path):
    deep = tmp_path / "infra" / "db"
    deep.mkdir(parents=True)
    (tmp_path / ".rlint.yaml").write_text("fail_on: high\n")
    assert find_config(deep) == tmp_path / ".rlint.yaml"
    (tmp_path / "infra" / "pyproject.toml").write_text("[tool.rlint]\nfail_on = 'never'\n")
    assert find_config(deep) == tmp_path / "infra" / "pyproject.toml"
    assert load_config(find_config(deep)).data == {"fail_on": "never"}
    (tmp_path / "infra" / ".rlint.yaml").write_text("fail_on: medium\n")
    assert find_config(deep / "main.tf") == tmp_path / "infra" / ".rlint.yaml"


def test_pyproject_without_an_rlint_table_is_skipped_and_subtables_count(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert find_config(tmp_path) is None or find_config(tmp_path).parent != tmp_path
    (tmp_path / "pyproject.toml").write_text("[tool.rlint.rules.RL101]\nseverity = 'low'\n")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(tmp_path / "pyproject.toml").data == {"rules": {"RL101": {"severity": "low"}}}


def test_pyproject_errors_name_the_key(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    (tmp_path / "pyproject.toml").write_text("[tool.rlint]\nignores = ['RL101']\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2
    assert "ignores: unknown key 'ignores' (did you mean 'ignore'?)" in result.output


# -- settings take effect -------------------------------------------------------------------------------
def test_fail_on_severity_and_precedence(tmp_path):
    (tmp_path / "main.tf").write_text(BAD_DB)
    (tmp_path / ".rlint.yaml").write_text("fail_on: never\n")
    assert invoke("scan", tmp_path).exit_code == 0
    assert invoke("scan", tmp_path, "--fail-on", "high").exit_code == 1  # the command line wins
    (tmp_path / ".rlint.yaml").write_text("rules:\n  rds-single-az:\n    severity: low\nfail_on: medium\n")
    assert invoke("scan", tmp_path).exit_code == 0
    report = json.loads(invoke("scan", tmp_path, "--format", "json").output)
    assert report["findings"][0]["severity"] == "low"


def test_exclude_globs(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "main.tf").write_text(BAD_DB)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.tf").write_text(BAD_DB)
    (tmp_path / ".rlint.yaml").write_text("exclude: ['legacy/**']\n")
    report = json.loads(invoke("scan", tmp_path, "--format", "json").output)
    assert [f["file"].split("/")[-2] for f in report["findings"]] == ["app"]


def test_exclude_globs_are_relative_to_the_config_file(tmp_path, monkeypatch):
    from rlint.config import anchored_excludes

    for d in ("legacy", "app"):
        (tmp_path / "infra" / d).mkdir(parents=True)
        (tmp_path / "infra" / d / "main.tf").write_text(BAD_DB)
    (tmp_path / ".rlint.yaml").write_text("exclude: ['./infra/legacy/']\n")
    monkeypatch.chdir(tmp_path)
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    assert [f["file"] for f in report["findings"]] == ["infra/app/main.tf"]
    monkeypatch.chdir(tmp_path / "infra")
    report = json.loads(invoke("scan", ".", "--format", "json").output)
    assert [f["file"] for f in report["findings"]] == ["app/main.tf"]
    assert anchored_excludes(["a/", "*.json", "./b"], tmp_path / "x", tmp_path) == ("x/a/", "*.json", "x/b")


def test_require_reason(tmp_path):
    (tmp_path / "main.tf").write_text("# rlint:ignore RL101\n" + BAD_DB)
    assert invoke("scan", tmp_path).exit_code == 0
    (tmp_path / ".rlint.yaml").write_text("require_reason: true\n")
    report = json.loads(invoke("scan", tmp_path, "--format", "json").output)
    assert sorted(f["rule_id"] for f in report["findings"] if f["suppressed"] is None) == ["RL003", "RL101"]


def test_var_files_are_relative_to_the_config_file(tmp_path, monkeypatch):
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "main.tf").write_text('variable "ha" {\n  type = bool\n}\n'
                                 'resource "aws_db_instance" "x" {\n  multi_az = var.ha\n}\n')
    (tmp_path / "prod.tfvars").write_text("ha = true\n")
    (tmp_path / "bad.tfvars").write_text("ha = false\n")
    (tmp_path / ".rlint.yaml").write_text("terraform:\n  var_files: [prod.tfvars]\n")
    monkeypatch.chdir(mod)
    assert invoke("scan", ".").exit_code == 0
    (tmp_path / ".rlint.yaml").write_text("terraform:\n  var_files: [bad.tfvars]\n")
    assert invoke("scan", ".").exit_code == 1


# -- init and config ------------------------------------------------------------------------------------
def test_init_writes_a_valid_commented_config_and_refuses_to_overwrite(tmp_path):
    result = invoke("init", tmp_path)
    assert result.exit_code == 0 and result.output == f"wrote {tmp_path / '.rlint.yaml'}\n"
    written = (tmp_path / ".rlint.yaml").read_text()
    assert written == TEMPLATE and written.count("\n# ") >= 5
    assert load_config(tmp_path / ".rlint.yaml").data["fail_on"] == "low"
    (tmp_path / ".rlint.yaml").write_text("fail_on: high\n")
    again = invoke("init", tmp_path)
    assert again.exit_code == 2 and "exists; use --force to overwrite it" in again.output
    assert (tmp_path / ".rlint.yaml").read_text() == "fail_on: high\n"
    assert invoke("init", tmp_path, "--force").exit_code == 0
    assert (tmp_path / ".rlint.yaml").read_text() == TEMPLATE


def test_init_template_scans_cleanly(tmp_path):
    invoke("init", tmp_path)
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "ok" {\n  multi_az = true\n}\n')
    assert invoke("scan", tmp_path).exit_code == 0


def test_config_schema_prints_the_full_schema():
    result = invoke("config", "--schema")
    assert result.exit_code == 0
    printed = json.loads(result.output)
    assert printed == schema()
    assert "RL101" in printed["properties"]["rules"]["properties"]


def test_config_shows_the_file_that_applies(tmp_path):
    (tmp_path / ".rlint.yaml").write_text("fail_on: high\n")
    result = invoke("config", tmp_path)
    assert result.output == f"# {tmp_path / '.rlint.yaml'}\n" + json.dumps({"fail_on": "high"}, indent=2) + "\n"

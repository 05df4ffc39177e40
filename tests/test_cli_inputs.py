"""What the command line promises a CI log and a newcomer: with --output FILE the summary still reaches stderr;
values given on the command line that cannot be right are usage errors (exit 2) while template errors are
findings; a path with nothing to scan warns; a .json template is read as JSON, strictly."""
from __future__ import annotations

import json

import pytest

from helpers import invoke

pytestmark = pytest.mark.usefixtures("probe_catalogue")

BOOL_VAR = ('variable "db_multi_az" {\n  type = bool\n}\n\n'
            'resource "aws_db_instance" "db" {\n  multi_az = var.db_multi_az\n}\n')
ENV_TEMPLATE = ("Parameters:\n  Env:\n    Type: String\n    AllowedValues: [prod, dev]\n    Default: dev\n"
                "  Size:\n    Type: Number\n    Default: 1\n"
                "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MultiAZ: true\n")


def test_output_file_still_prints_the_summary_on_stderr(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "x" {}\n')
    target = tmp_path / "report.sarif"
    result = invoke("scan", tmp_path, "--format", "sarif", "--output", target)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("1 finding (1 high) · 0 unknown · 0 suppressed · 1 file, 1 resource in ")
    assert result.stderr.rstrip().endswith(f"· report written to {target}")
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_a_missing_var_file_is_a_usage_error_like_a_missing_parameters_file(tmp_path):
    (tmp_path / "main.tf").write_text(BOOL_VAR)
    result = invoke("scan", tmp_path, "--var-file", tmp_path / "prod.tfvars")
    assert result.exit_code == 2 and f"--var-file: '{tmp_path / 'prod.tfvars'}' does not exist" in result.output
    assert "RL001" not in result.output
    (tmp_path / ".rlint.yaml").write_text("terraform:\n  var_files: [missing.tfvars]\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2 and "terraform.var_files: " in result.output and "does not exist" in result.output


@pytest.mark.parametrize("args, message", [
    (("--var", "db_multi_az=maybe"), "--var: db_multi_az = 'maybe' is not a valid value for variable 'db_multi_az' "
                                     "of type bool declared at main.tf:1"),
    (("--var-file", "bad.tfvars"), "--var-file bad.tfvars: db_multi_az = 'perhaps' is not a valid value"),
])
def test_terraform_values_that_cannot_be_right_are_usage_errors(tmp_path, monkeypatch, args, message):
    (tmp_path / "main.tf").write_text(BOOL_VAR)
    (tmp_path / "bad.tfvars").write_text('db_multi_az = "perhaps"\n')
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", ".", *args)
    assert result.exit_code == 2 and message in result.output
    assert invoke("scan", ".", "--var", "db_multi_az=true").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (("--parameter", "Env=staging"), "t.yaml: the value given for parameter Env cannot be used: parameter Env value "
                                     "'staging' is not one of its AllowedValues"),
    (("--parameter", "Size=big"), "the value given for parameter Size cannot be used: parameter Size value 'big' is "
                                  "not a number"),
])
def test_cloudformation_values_that_cannot_be_right_are_usage_errors(tmp_path, monkeypatch, args, message):
    (tmp_path / "t.yaml").write_text(ENV_TEMPLATE)
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", ".", *args)
    assert result.exit_code == 2 and message in result.output
    assert invoke("scan", ".", "--parameter", "Env=prod").exit_code == 0


def test_a_ref_to_an_undefined_parameter_is_a_finding_not_an_unknown(tmp_path):
    (tmp_path / "t.yaml").write_text("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n"
                                     "      MultiAZ: !Ref HighlyAvailable\n")
    report = json.loads(invoke("scan", tmp_path, "--format", "json").output)
    assert [(f["rule_id"], f["line"], f["outcome"]) for f in report["findings"]] == [
        ("RL001", 5, "fail"), ("RL101", 5, "unknown")]


@pytest.mark.parametrize("layout", ["empty", "not-iac", "readme"])
def test_nothing_to_scan_warns_naming_the_path(tmp_path, layout):
    target = tmp_path / "infra"
    target.mkdir()
    if layout == "not-iac":
        (target / "docker-compose.yml").write_text("services:\n  web:\n    image: nginx\n")
        (target / "package.json").write_text('{"name": "x"}\n')
    if layout == "readme":
        target = target / "README.md"
        target.write_text("# infra\n")
    result = invoke("scan", target)
    assert result.exit_code == 0
    assert result.stderr == (f"warning: nothing to scan in {target}: no Terraform (.tf, .tf.json), CloudFormation "
                             f"template or Terraform plan JSON found\n")


def test_fix_warns_too(tmp_path):
    result = invoke("fix", tmp_path)
    assert result.exit_code == 0 and result.stderr.startswith(f"warning: nothing to scan in {tmp_path}: ")


def test_a_path_with_something_to_scan_does_not_warn(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text('resource "aws_db_instance" "x" {\n  multi_az = true\n}\n')
    assert invoke("scan", tmp_path, tmp_path / "a").stderr == ""  # the second path's files were seen already


def test_a_json_template_is_read_strictly_as_json(tmp_path):
    (tmp_path / "t.json").write_text('{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::RDS::DBInstance",\n'
                                     '      "Properties": {"MultiAZ": false,}\n    }\n  }\n}\n')
    report = json.loads(invoke("scan", tmp_path, "--format", "json").output)
    [finding] = report["findings"]
    assert (finding["rule_id"], finding["file"].rsplit("/", 1)[-1], finding["line"], finding["column"]) == \
        ("RL001", "t.json", 5, 39)
    assert finding["message"].startswith("JSON syntax error: ") and finding["fix"] is None

"""Start-up: a scan imports only the machinery of the formats and the reporter it uses.

Each scan runs in a fresh interpreter and reports the modules it imported; no timers.
"""
from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from rlint.cli import main
try:
    main(sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""

# never needed to scan with the text reporter
NOT_FOR_ANY_SCAN = {
    "jsonschema", "hcl2", "lark",  # configuration validation; the corpus checker's parser
    "rlint.reporters.json_report", "rlint.reporters.sarif", "rlint.reporters.junit", "rlint.reporters.markdown",
    "rlint.reporters.github", "rlint.reporters.catalog", "rlint.checkov", "rlint.fixes.command",
    "rlint.baseline", "rlint.parallel", "concurrent.futures", "multiprocessing",
    "importlib.resources", "tempfile", "difflib",
}
CLOUDFORMATION_ONLY = {"yaml", "rlint.parsers.cloudformation", "rlint.evaluate.cloudformation", "rlint.evaluate.sam",
                       "rlint.evaluate.nested", "rlint.parsers.plan"}
TERRAFORM_ONLY = {"tree_sitter", "tree_sitter_hcl", "rlint.parsers.terraform", "rlint.evaluate.terraform",
                  "rlint.evaluate.hcl_expr", "rlint.evaluate.terraform_json", "rlint.parsers.plan"}


def imported(tmp_path, *args) -> set:
    out = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", PROBE, str(out), *args], cwd=tmp_path, check=True,
                   capture_output=True, text=True)
    return set(json.loads(out.read_text()))


def test_scanning_one_tf_file_loads_no_cloudformation_or_reporting_machinery(tmp_path):
    # a finding whose fix sets an attribute, and a lone database whose fix adds a whole AWS Backup set-up
    # (its snippet is drawn without python-hcl2, which only `rlint fix` needs)
    (tmp_path / "one.tf").write_text('resource "aws_autoscaling_group" "web" {\n  min_size = 2\n  max_size = 4\n'
                                     '  availability_zones = ["us-east-1a"]\n}\n'
                                     'resource "aws_db_instance" "db" {\n  multi_az = true\n}\n')
    modules = imported(tmp_path, "scan", "one.tf")
    assert "rlint.evaluate.terraform" in modules and "rlint.reporters.text" in modules  # it did scan
    assert modules & (NOT_FOR_ANY_SCAN | CLOUDFORMATION_ONLY) == set()


def test_scanning_one_template_loads_no_terraform_machinery(tmp_path):
    (tmp_path / "t.yaml").write_text("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                                     "    Properties:\n      MultiAZ: false\n")
    modules = imported(tmp_path, "scan", "t.yaml")
    assert "rlint.evaluate.cloudformation" in modules
    assert modules & (NOT_FOR_ANY_SCAN | TERRAFORM_ONLY) == set()


def test_the_json_reporter_is_loaded_only_when_chosen(tmp_path):
    (tmp_path / "one.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = true\n}\n')
    modules = imported(tmp_path, "scan", "one.tf", "--format", "json")
    assert "rlint.reporters.json_report" in modules
    assert modules & {"rlint.reporters.sarif", "rlint.reporters.junit", "yaml", "jsonschema"} == set()


def test_a_scan_without_terraform_arithmetic_or_sam_loads_neither_decimal_nor_the_sam_expander(tmp_path):
    (tmp_path / "one.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = true\n}\n')
    (tmp_path / "t.yaml").write_text("Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n"
                                     "    Properties:\n      MultiAZ: false\n")
    modules = imported(tmp_path, "scan", ".", "--format", "json")
    assert "rlint.evaluate.cloudformation" in modules and "rlint.evaluate.terraform" in modules  # it did scan
    assert modules & {"decimal", "rlint.evaluate.sam"} == set()


def test_a_sam_template_loads_the_expander(tmp_path):
    (tmp_path / "t.yaml").write_text("Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
                                     "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
                                     "      Handler: app.handler\n      CodeUri: .\n")
    assert "rlint.evaluate.sam" in imported(tmp_path, "scan", "t.yaml")

"""What a scan did not read is never silent (design §3 `coverage`): module calls whose source is not on disk
(registry, git, URL, archive sources before `terraform init`) and files skipped whole are counted in the
text summary, the JSON report, a SARIF run-level notification and Markdown; `--show-unknown` lists them and
`--strict` fails on them."""
from __future__ import annotations

import json

import jsonschema
import pytest

from helpers import invoke, report_schema

pytestmark = pytest.mark.usefixtures("probe_catalogue")

REMOTE_CALLS = '''module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

module "git" {
  source = "git::https://example.com/network.git?ref=v1.2.0"
}

module "url" {
  source = "https://example.com/modules/db.zip"
}

module "local" {
  source = "./db"
}

module "gone" {
  source = "./missing"
}
'''
DB = 'resource "aws_db_instance" "x" {\n  multi_az = true\n}\n'
HINT = "terraform init -backend=false"



@pytest.fixture
def root(tmp_path, monkeypatch):
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "main.tf").write_text(REMOTE_CALLS)
    (tmp_path / "live" / "db").mkdir()
    (tmp_path / "live" / "db" / "main.tf").write_text(DB)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json_coverage_names_each_call_not_read_with_why_and_how(root):
    result = invoke("scan", "live", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    coverage = report["coverage"]
    assert (coverage["modules_not_read"], coverage["files_skipped"], coverage["files"]) == (4, 0, [])
    assert [(m["module"], m["line"], m["reason"], m["hint"]) for m in coverage["modules"]] == [
        ("module.vpc", 1, "the registry module is not downloaded (no .terraform/modules/modules.json entry)", HINT),
        ("module.git", 6, "the git module is not downloaded (no .terraform/modules/modules.json entry)", HINT),
        ("module.url", 10, "the archive module is not downloaded (no .terraform/modules/modules.json entry)", HINT),
        ("module.gone", 18, "directory ./missing does not exist", "")]
    assert {(m["root"], m["file"], m["source"]) for m in coverage["modules"][:1]} == {
        ("live", "live/main.tf", "terraform-aws-modules/vpc/aws")}


def test_text_summary_says_it_in_one_line_and_show_unknown_lists_them(root):
    lines = invoke("scan", "live", "--no-color").output.splitlines()
    assert lines[-2] == (f"coverage: 4 module calls not read (run `{HINT}` in each root module, then scan "
                         "again); --show-unknown lists them")
    assert lines[-1].startswith("0 findings · 0 unknown")
    assert len(invoke("scan", "live", "--quiet").output.splitlines()) == 2  # never silent, even with --quiet
    listed = [line for line in invoke("scan", "live", "--show-unknown", "--no-color").output.splitlines()
              if line.startswith("not read: ")]
    assert listed[0] == ("not read: live/main.tf:1:1  module.vpc (terraform-aws-modules/vpc/aws): the registry "
                         "module is not downloaded (no .terraform/modules/modules.json entry)")
    assert len(listed) == 4


def test_strict_fails_on_what_was_not_read_and_lists_it(root):
    result = invoke("scan", "live", "--strict", "--no-color")
    assert result.exit_code == 1
    assert "not read: live/main.tf:18:1  module.gone (./missing): directory ./missing does not exist" in result.output


def test_sarif_run_notification_and_markdown(root):
    run = json.loads(invoke("scan", "live", "--format", "sarif").output)["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["descriptor"]["id"] == "rlint/modules-not-read"
    assert note["message"]["text"] == (f"4 module calls not read: their resources were not checked; run `{HINT}` "
                                       "in each root module, then scan again")
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in note["locations"]] == [1, 6, 10, 18]
    markdown = invoke("scan", "live", "--format", "markdown").output
    assert f"**Not read:** 4 module calls not read (run `{HINT}` in each root module, then scan again)." in markdown
    assert "- `live/main.tf:1` `module.vpc` (terraform-aws-modules/vpc/aws), root `live`:" in markdown
    github = invoke("scan", "live", "--format", "github").output
    assert "::warning title=rlint coverage::coverage: 4 module calls not read" in github


def test_downloaded_modules_are_read_and_leave_coverage_empty(root):
    modules = root / "live" / ".terraform" / "modules"
    for name in ("vpc", "git", "url"):
        (modules / name).mkdir(parents=True)
        (modules / name / "main.tf").write_text(DB)
    (modules / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        *({"Key": name, "Source": "x", "Dir": f".terraform/modules/{name}"} for name in ("vpc", "git", "url"))]}))
    (root / "live" / "main.tf").write_text(REMOTE_CALLS.replace('module "gone" {\n  source = "./missing"\n}\n', ""))
    report = json.loads(invoke("scan", "live", "--format", "json").output)
    assert report["coverage"]["modules"] == [] and report["summary"]["resources"] == 4
    assert "coverage:" not in invoke("scan", "live").output
    assert invoke("scan", "live", "--strict").exit_code == 0


def test_a_call_inside_a_local_module_is_reported_once_per_root(tmp_path, monkeypatch):
    (tmp_path / "wrapper").mkdir()
    (tmp_path / "wrapper" / "main.tf").write_text('module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n')
    for env in ("staging", "production"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "main.tf").write_text('module "net" {\n  count  = 2\n  source = "../wrapper"\n}\n')
    monkeypatch.chdir(tmp_path)
    modules = json.loads(invoke("scan", ".", "--format", "json").output)["coverage"]["modules"]
    assert [(m["root"], m["file"], m["module"]) for m in modules] == [
        ("production", "wrapper/main.tf", 'module.net[0].module.vpc'),
        ("staging", "wrapper/main.tf", 'module.net[0].module.vpc')]


def test_a_serverless_framework_file_is_a_skipped_file(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "service: orders\nresources:\n  Resources:\n    Table:\n      Type: AWS::DynamoDB::Table\n")
    report = json.loads(invoke("scan", str(tmp_path), "--format", "json").output)
    [skipped] = report["coverage"]["files"]
    assert skipped["file"].endswith("serverless.yml")
    assert skipped["reason"] == ("CloudFormation resources under `resources.Resources` (a Serverless Framework "
                                 "file) are not read; rlint reads templates")
    assert invoke("scan", str(tmp_path), "--strict").exit_code == 1


def test_terraform_code_kept_as_a_template_is_a_skipped_file(tmp_path, monkeypatch):
    # the backend and a module's resources rendered from Jinja/ERB templates before Terraform runs: rlint cannot
    # render them, so each is listed once, for the root and for the local module the root calls
    (tmp_path / "live" / "net").mkdir(parents=True)
    (tmp_path / "live" / "main.tf").write_text('module "net" {\n  source = "./net"\n}\n')
    (tmp_path / "live" / "terraform.tf.j2").write_text('terraform {\n  backend "s3" {}\n}\n')
    (tmp_path / "live" / "user_data.tftpl").write_text("#!/bin/sh\n")  # a templatefile() input, not Terraform
    (tmp_path / "live" / "net" / "variables.tf").write_text('variable "cidr" {\n  default = "10.0.0.0/16"\n}\n')
    (tmp_path / "live" / "net" / "vpc.tf.erb").write_text('resource "aws_vpc" "x" {\n  cidr_block = var.cidr\n}\n')
    monkeypatch.chdir(tmp_path)
    report = json.loads(invoke("scan", "live", "--format", "json").output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    assert report["coverage"]["files"] == [
        {"file": "live/net/vpc.tf.erb",
         "reason": "Terraform code in a template (.erb): it becomes a .tf file only when rendered, so rlint does not "
                   "read it; render it, then scan the rendered module"},
        {"file": "live/terraform.tf.j2",
         "reason": "Terraform code in a template (.j2): it becomes a .tf file only when rendered, so rlint does not "
                   "read it; render it, then scan the rendered module"}]
    assert invoke("scan", "live", "--no-color").output.splitlines()[-2] == (
        "coverage: 2 files skipped; --show-unknown lists them")
    assert invoke("scan", "live", "--strict").exit_code == 1


def test_a_generator_template_saved_as_configuration_is_skipped_with_a_note_not_a_parse_error(tmp_path, monkeypatch):
    """A .tf or template file holding Jinja/Liquid statements (`{% if %}`) that does not parse is the source of a
    generator: listed as skipped (coverage, --strict counts it), no RL001. One that parses is read as usual, and
    a broken file without such statements is still RL001 (issue 15, round 11: platform-tools' templates)."""
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "main.tf").write_text(
        '# {% extra_header %}\nlocals {\n  config = yamldecode(file("{% if ws %}a.yml{% else %}b.yml{% endif %}"))\n}\n'
        'module "x" {\n  source = "./x"\n  {{ extra }}\n}\n')
    (tmp_path / "gen" / "policy.yml").write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  {% for q in queues %}\n  {{ q }}Queue:\n'
        '    Type: AWS::SQS::Queue\n  {% endfor %}\n')
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "main.tf").write_text(
        'resource "aws_s3_object" "t" {\n  bucket  = "b"\n  key     = "t.j2"\n'
        '  content = "{% for x in y %}{{ x }}{% endfor %}"\n}\n')
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = \n}\n')
    monkeypatch.chdir(tmp_path)
    report = json.loads(invoke("scan", ".", "--format", "json", "--select", "RL001").output)
    assert [(f["rule_id"], f["file"]) for f in report["findings"]] == [("RL001", "broken/main.tf")]
    assert [(e["file"], e["reason"]) for e in report["coverage"]["files"]] == [
        ("gen/main.tf", "a template for a generator (it holds `{% extra_header %}`, Jinja or Liquid syntax): it "
                        "becomes configuration only when rendered, so rlint does not read it; render it, then scan "
                        "the result"),
        ("gen/policy.yml", "a template for a generator (it holds `{% for q in queues %}`, Jinja or Liquid syntax): "
                           "it becomes configuration only when rendered, so rlint does not read it; render it, then "
                           "scan the result")]
    assert invoke("scan", ".", "--select", "RL001", "--strict").exit_code == 1

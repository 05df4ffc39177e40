"""CloudFormation templates deployed by Terraform (`aws_cloudformation_stack` with `template_body = file(...)` or
`templatefile(...)`): each stack's template is evaluated with the parameters the stack passes and its provider's
Region, findings are per stack (instance), the template is not reported again on its own, a templatefile()
rlint cannot render is listed as not read, and `rlint fix` changes a parameter where Terraform passes it."""
from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from helpers import FIXTURES, ROOT, invoke, rows, run
from rlint.deployments import Deployment
from rlint.engine import ScanOptions, scan
from rlint.evaluate.terraform_stacks import render
from rlint.reporters.text import scan_notes

STACKS = FIXTURES / "terraform" / "cfn_stack"
PLAN = ROOT / "tests" / "recordings" / "terraform" / "plans" / "tests_fixtures_terraform_cfn_stack.json"
DB = "templates/db.yaml"


def test_each_stack_evaluates_the_template_with_what_it_passes():
    result = run(STACKS, select=("RL101", "RL301", "RL405"))
    assert rows(result, fields=("rule", "resource", "outcome", "file", "line", "column")) == [
        ("RL101", "aws_cloudformation_stack.billing.Db", "unknown", DB, 23, 7),
        ("RL101", "aws_cloudformation_stack.orders.Db", "fail", DB, 23, 7),  # passes MultiAz = "false"
        ("RL101", 'aws_cloudformation_stack.tenant["green"].Db', "fail", DB, 23, 7),  # each.value "false"
        # only the stack whose provider is in us-east-1 takes the template's other branch: 0 days of backups
        ("RL301", "aws_cloudformation_stack.standby.Db", "fail", DB, 25, 7),
        # Protect is not passed: the template's Default ("false") applies
        ("RL405", "aws_cloudformation_stack.billing.Db", "fail", DB, 24, 7),
        ("RL405", 'aws_cloudformation_stack.tenant["blue"].Db', "fail", DB, 24, 7),
        ("RL405", 'aws_cloudformation_stack.tenant["green"].Db', "fail", DB, 24, 7),
    ]
    unknown, = [f for f in result.findings if f.outcome.value == "unknown"]
    assert "parameter MultiAz: aws_cloudformation_stack.billing passes parameters.MultiAz, known only at apply " \
           "(var.billing_multi_az has no default and no value was given)" in unknown.message
    # one root, one file, a resource per stack instance: the identities stay apart
    identities = [f.identity for f in result.findings]
    assert len(set(identities)) == len(identities) == 7
    assert {f.root for f in result.findings} == {"."}


def test_the_region_of_the_stack_is_its_providers():
    result = run(STACKS, select=("RL101",))
    db = {r.address: r for r in result.graph.resources}
    assert db["aws_cloudformation_stack.orders.Db"].attrs["Properties"]["BackupRetentionPeriod"] == 7
    assert db["aws_cloudformation_stack.standby.Db"].attrs["Properties"]["BackupRetentionPeriod"] == 0
    from rlint.rules.graphutil.regions import resource_region

    assert resource_region(db["aws_cloudformation_stack.standby.Db"]).name == "us-east-1"
    assert resource_region(db["aws_cloudformation_stack.orders.Db"]).name == "eu-west-1"


def test_the_template_is_not_reported_on_its_own():
    result = run(STACKS)
    assert all(f.resource.startswith("aws_cloudformation_stack.") for f in result.findings if f.file == DB)
    assert not [u for u in result.units if u.kind == "cloudformation" and u.resources]
    assert "templates/db.yaml: analysed as a template that aws_cloudformation_stack deploys in the Terraform " \
           "root ." in [n for u in result.units for n in u.notes]


def test_a_template_that_is_also_a_deployment_keeps_that_evaluation(tmp_path):
    shutil.copytree(STACKS, tmp_path, dirs_exist_ok=True)
    primary = Deployment("primary", tmp_path / DB, "eu-west-1", parameters={"MultiAz": "true", "Protect": "true"})
    result = run(tmp_path, select=("RL101", "RL405"), deployments=[primary])
    assert [(f.resource, f.deployment) for f in result.findings if f.deployment] == []  # nothing fails there
    assert {r.address for r in result.graph.resources if r.meta.get("deployment") == "primary"} == {"Db"}


def test_templatefile_is_rendered_as_terraform_renders_it():
    result = run(STACKS, select=("RL501",))
    assert rows(result, fields=("rule", "resource", "file", "line", "column")) == [
        ("RL501", "aws_cloudformation_stack.queue.Jobs", "templates/queue.yaml.tftpl", 4, 3)]
    queue = next(r for r in result.graph.resources if r.address == "aws_cloudformation_stack.queue.Jobs")
    assert queue.attrs["Properties"]["MessageRetentionPeriod"] == 345600
    # the text is the one Terraform's plan holds (tests/tf_oracle.py records it)
    planned = json.loads(PLAN.read_text())["resources"]
    stack = next(r for r in result.graph.resources if r.address == "aws_cloudformation_stack.queue")
    source = stack.meta["stack_template"]
    text = (STACKS / "templates" / "queue.yaml.tftpl").read_text()
    assert render(text, source.variables, source.display) == planned["aws_cloudformation_stack.queue"]["values"][
        "template_body"]
    assert planned["aws_cloudformation_stack.orders"]["values"]["template_body"] == (STACKS / DB).read_text()


def test_a_template_rlint_cannot_render_is_listed_as_not_read():
    result = run(STACKS)
    assert result.coverage["files_skipped"] == [{
        "file": "templates/jobs.yaml.tftpl",
        "reason": "aws_cloudformation_stack.jobs (templatefile()) deploys it rendered by Terraform, and rlint cannot "
                  "render it: a value it interpolates is not known (var.billing_multi_az has no default and no "
                  "value was given)"}]
    assert result.fails("never") is False and result.fails("low", strict=True) is True


def test_render_follows_terraform_templates():
    assert render("a: ${x}\nb: %{ if on }yes%{ else }no%{ endif }\n", {"x": 3, "on": False}, "t") == "a: 3\nb: no\n"
    assert render("plain ${x}", {"x": "v"}, "t") == "plain v"  # no trailing newline added
    assert render("no holes\n", None, "t") == "no holes\n"  # nothing to render: the variables do not matter
    assert "templatefile() is not given" in render("${y}", {"x": 1}, "t").reason


def _tree(tmp_path, stack: str, template: str = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n") -> None:
    (tmp_path / "modules" / "app" / "t").mkdir(parents=True)
    (tmp_path / "t").mkdir()
    for where in (tmp_path / "t", tmp_path / "modules" / "app" / "t"):
        (where / "q.yaml").write_text(template)
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "app" {\n'
                                      '  source = "./modules/app"\n}\n')
    (tmp_path / "modules" / "app" / "main.tf").write_text(stack)


def test_paths_are_read_as_terraform_reads_them(tmp_path):
    _tree(tmp_path, textwrap.dedent("""\
        resource "aws_cloudformation_stack" "own" {
          name          = "own"
          template_body = file("${path.module}/t/q.yaml")
        }
        resource "aws_cloudformation_stack" "root" {
          name          = "root"
          template_body = file("${path.root}/t/q.yaml")
        }
        resource "aws_cloudformation_stack" "literal" {
          name          = "literal"
          template_body = file("t/q.yaml") # relative to the root module: Terraform's working directory
        }
        resource "aws_cloudformation_stack" "from_caller" {
          name          = "from_caller"
          template_body = file(var.template) # the caller builds it from its path.module
        }
        resource "aws_cloudformation_stack" "wrapped" {
          name          = "wrapped"
          template_body = "${file("t/q.yaml")}"
        }
        resource "aws_cloudformation_stack" "inline" {
          name          = "inline"
          template_body = jsonencode({ Resources = {} })
        }
        """))
    (tmp_path / "modules" / "app" / "variables.tf").write_text(
        'variable "template" {\n  default = "t/q.yaml"\n}\n')
    (tmp_path / "main.tf").write_text((tmp_path / "main.tf").read_text().replace(
        '  source = "./modules/app"\n', '  source   = "./modules/app"\n  template = "${path.module}/t/q.yaml"\n'))
    # scanned from above the root: rlint's path values are paths shown from there, Terraform's from the root
    result = scan([tmp_path], ScanOptions(cwd=tmp_path.parent, select=("RL501",)))
    top = tmp_path.name
    assert sorted((r.address, r.file) for r in result.graph.resources if r.format == "cloudformation") == [
        ("module.app.aws_cloudformation_stack.from_caller.Q", f"{top}/t/q.yaml"),
        ("module.app.aws_cloudformation_stack.literal.Q", f"{top}/t/q.yaml"),
        ("module.app.aws_cloudformation_stack.own.Q", f"{top}/modules/app/t/q.yaml"),
        ("module.app.aws_cloudformation_stack.root.Q", f"{top}/t/q.yaml"),
        ("module.app.aws_cloudformation_stack.wrapped.Q", f"{top}/t/q.yaml")]


def test_a_stack_set_leaves_the_region_unknown(tmp_path):
    template = textwrap.dedent("""\
        Conditions:
          Home: !Equals [!Ref "AWS::Region", eu-west-1]
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: !If [Home, 60, 120]
        """)
    _tree(tmp_path, 'resource "aws_cloudformation_stack_set" "all" {\n  name          = "all"\n'
                    '  template_body = file("${path.module}/t/q.yaml")\n}\n', template)
    result = run(tmp_path, select=("RL501",))
    q, = [r for r in result.graph.resources if r.address.startswith("module.app.") and r.format == "cloudformation"]
    assert q.address == "module.app.aws_cloudformation_stack_set.all.Q"
    assert "AWS::Region is known only at deploy time" in q.attrs["Properties"]["MessageRetentionPeriod"].reason


def test_fix_changes_the_parameter_where_terraform_passes_it(tmp_path, monkeypatch):
    shutil.copytree(STACKS, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    before = {p: (tmp_path / p).read_text() for p in ("main.tf", DB, "templates/queue.yaml.tftpl")}
    out = invoke("fix", ".", "--write", "--unsafe-fixes", "--select", "RL101,RL501")
    assert out.exit_code == 1, out.output
    assert (tmp_path / "main.tf").read_text() == before["main.tf"].replace(
        '  parameters = {\n    MultiAz = "false"\n    Protect = "true"',
        '  parameters = {\n    MultiAz = "true"\n    Protect = "true"', 1)
    assert (tmp_path / DB).read_text() == before[DB]
    assert (tmp_path / "templates/queue.yaml.tftpl").read_text() == before["templates/queue.yaml.tftpl"]
    assert "at the origin: templates/db.yaml:23 RL101 aws_cloudformation_stack.orders.Db: pass \"true\" as " \
           "aws_cloudformation_stack.orders.parameters.MultiAz at main.tf:36 (every instance of " \
           "aws_cloudformation_stack.orders)" in out.output
    assert 'not fixed: templates/db.yaml:23 RL101 aws_cloudformation_stack.tenant["green"].Db: no automatic fix: ' \
           '`Properties.MultiAZ` comes from aws_cloudformation_stack.tenant["green"].parameters.MultiAz -> ' \
           'each.value, computed there (main.tf:67): change it so it gives true' in out.output
    assert "not fixed: templates/queue.yaml.tftpl:4 RL501 aws_cloudformation_stack.queue.Jobs: no automatic fix: " \
           "templates/queue.yaml.tftpl is rendered by templatefile() of aws_cloudformation_stack.queue before it is " \
           "deployed: rlint does not write into a template Terraform renders; change it by hand" in out.output
    rescan = run(tmp_path, select=("RL101",))
    assert [f.resource for f in rescan.findings if f.outcome.value == "fail"] == [
        'aws_cloudformation_stack.tenant["green"].Db']


def test_a_deployment_gives_its_region_to_a_provider_that_names_none(tmp_path):
    template = textwrap.dedent("""\
        Conditions:
          Home: !Equals [!Ref "AWS::Region", us-west-2]
        Resources:
          Q:
            Type: AWS::SQS::Queue
            Properties:
              MessageRetentionPeriod: !If [Home, 60, 120]
        """)
    (tmp_path / "q.yaml").write_text(template)
    (tmp_path / "main.tf").write_text('provider "aws" {}\n\nresource "aws_cloudformation_stack" "q" {\n'
                                      '  name          = "q"\n  template_body = file("${path.module}/q.yaml")\n}\n')
    alone = run(tmp_path, select=("RL501",))
    q = next(r for r in alone.graph.resources if r.address == "aws_cloudformation_stack.q.Q")
    assert "AWS::Region is known only at deploy time" in q.attrs["Properties"]["MessageRetentionPeriod"].reason
    deployed = run(tmp_path, select=("RL501",), deployments=[Deployment("west", tmp_path, "us-west-2")])
    q = next(r for r in deployed.graph.resources if r.address == "aws_cloudformation_stack.q.Q")
    assert (q.attrs["Properties"]["MessageRetentionPeriod"], q.meta["deployment"]) == (60, "west")


def test_the_json_report_holds_the_terraform_hops(tmp_path, monkeypatch):
    import jsonschema

    from helpers import report_schema

    monkeypatch.chdir(STACKS)
    out = invoke("scan", ".", "--select", "RL101", "--format", "json")
    report = json.loads(out.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    orders = next(f for f in report["findings"] if f["resource"] == "aws_cloudformation_stack.orders.Db")
    assert [(h["kind"], h["name"], h["file"], h["line"]) for h in orders["provenance"]][-1] == (
        "stack parameter", "aws_cloudformation_stack.orders.parameters.MultiAz", "main.tf", 36)


def test_fix_refuses_a_parameter_that_reads_a_variable(tmp_path, monkeypatch):
    """The value is written at the variable's default, which other settings may read: rlint says where, and
    writes nothing."""
    shutil.copy(STACKS / DB, tmp_path / "db.yaml")
    main = textwrap.dedent("""\
        provider "aws" {
          region = "eu-west-1"
        }

        variable "ha" {
          type    = string
          default = "false"
        }

        resource "aws_cloudformation_stack" "db" {
          name          = "db"
          template_body = file("${path.module}/db.yaml")
          parameters = {
            MultiAz = var.ha
            Protect = "true"
          }
        }
        """)
    (tmp_path / "main.tf").write_text(main)
    monkeypatch.chdir(tmp_path)
    out = invoke("fix", ".", "--write", "--unsafe-fixes", "--select", "RL101")
    assert out.exit_code == 1, out.output
    assert "not fixed: db.yaml:23 RL101 aws_cloudformation_stack.db.Db: no automatic fix: `Properties.MultiAZ` " \
           "comes from aws_cloudformation_stack.db.parameters.MultiAz -> var.ha (main.tf:7): change it there" \
           in out.output
    assert (tmp_path / "main.tf").read_text() == main
    assert (tmp_path / "db.yaml").read_text() == (STACKS / DB).read_text()


# a queue without a dead-letter queue and an Aurora cluster of one instance, in a template a stack deploys
APP = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      VisibilityTimeout: 60
  Cluster:
    Type: AWS::RDS::DBCluster
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: aurora-postgresql
      MasterUsername: app
      ManageMasterUserPassword: true
      DeletionProtection: true
      BackupRetentionPeriod: 7
  Writer:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Cluster
      DBInstanceClass: db.r6g.large
      Engine: aurora-postgresql
"""
STACK = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudformation_stack" "app" {
  name          = "app"
  template_body = file("${path.module}/templates/app.yaml")
}
"""


def test_what_a_fix_adds_to_a_stack_template_is_named_as_the_template_names_it(tmp_path, monkeypatch):
    """The fix titles name the resources they add by their logical ids in the template (`JobsDlq`), where the
    user finds them, not by the scan's address (`aws_cloudformation_stack.app.JobsDlq`, which names nothing);
    and `rlint fix` writes them under those ids (it wrote `aws_cloudformation_stack.app.JobsDlq:`, which the
    references it rewrote did not name, and gave up)."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "app.yaml").write_text(APP)
    (tmp_path / "main.tf").write_text(STACK)
    monkeypatch.chdir(tmp_path)
    report = json.loads(invoke("scan", ".", "--select", "RL102,RL501", "--format", "json").output)
    assert sorted((f["rule_id"], f["resource"], f["fix"]["title"]) for f in report["findings"]) == [
        ("RL102", "aws_cloudformation_stack.app.Cluster",
         "Add a reader instance `ClusterReader` in templates/app.yaml to the cluster"),
        ("RL501", "aws_cloudformation_stack.app.Jobs",
         "Add a dead-letter queue `JobsDlq` in templates/app.yaml and a redrive policy")]
    dlq = next(f for f in report["findings"] if f["rule_id"] == "RL501")["fix"]["snippet"]
    assert "\n\nJobsDlq:\n" in dlq and 'Fn::GetAtt: ["JobsDlq", "Arn"]' in dlq
    out = invoke("fix", ".", "--write", "--unsafe-fixes", "--select", "RL102,RL501")
    assert out.exit_code == 0, out.output
    fixed = (tmp_path / "templates" / "app.yaml").read_text()
    assert fixed.startswith(APP[:APP.index("  Cluster:")]) and "\n  ClusterReader:\n" in fixed
    assert "\n  JobsDlq:\n    Type: AWS::SQS::Queue\n" in fixed
    assert (tmp_path / "main.tf").read_text() == STACK


QUEUE = ('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Jobs:\n    Type: AWS::SQS::Queue\n'
         '    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n    Properties:\n      VisibilityTimeout: 60\n')
# a root in infra/app deploying a template kept beside infra/, and reading the same file with file()
OUTSIDE = """\
provider "aws" {
  region = "eu-west-1"
}

resource "aws_cloudformation_stack" "jobs" {
  name          = "jobs"
  template_body = file("${path.module}/../../shared/queue.yaml")
}

resource "terraform_data" "probe" {
  input = file("${path.module}/../../shared/queue.yaml")
}
"""


def test_a_stack_template_is_read_where_file_reads_and_nowhere_else(tmp_path, monkeypatch):
    """The template of a stack goes through file()'s reader (evaluate/files.py): read under the scanned
    directory, and outside it neither read nor fixed, with file()'s reason; `${path.module}/../..` climbing out
    of the module's directory is read as Terraform reads it (file() took it for a path from the root module)."""
    (tmp_path / "infra" / "app").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "queue.yaml").write_text(QUEUE)
    (tmp_path / "infra" / "app" / "main.tf").write_text(OUTSIDE)
    monkeypatch.chdir(tmp_path)
    outside = "file('infra/app/../../shared/queue.yaml'): the file is outside the scanned directories; rlint does " \
              "not read it"
    result = scan([tmp_path / "infra" / "app"], ScanOptions(cwd=tmp_path, select=("RL501",), jobs=1))
    assert result.findings == [] and [r.address for r in result.graph.resources if r.format == "cloudformation"] == []
    assert f"infra/app/main.tf: the template of aws_cloudformation_stack.jobs (file()) is not read: {outside}" in \
        scan_notes(result)
    probe, = [r for r in result.graph.resources if r.type == "terraform_data"]
    assert probe.attrs["input"].reason == outside
    out = invoke("fix", "infra/app", "--write", "--select", "RL501")
    assert out.exit_code == 0 and (tmp_path / "shared" / "queue.yaml").read_text() == QUEUE
    # the same root scanned from above: the template and file() are read
    result = scan([tmp_path], ScanOptions(cwd=tmp_path, select=("RL501",), jobs=1))
    assert [(f.resource, f.file) for f in result.findings] == [("aws_cloudformation_stack.jobs.Jobs",
                                                                "shared/queue.yaml")]
    probe, = [r for r in result.graph.resources if r.type == "terraform_data"]
    assert probe.attrs["input"] == QUEUE


def test_an_absolute_template_path_is_not_read_as_file_does_not_read_it(tmp_path, monkeypatch):
    (tmp_path / "root").mkdir()
    (tmp_path / "q.yaml").write_text(QUEUE)
    (tmp_path / "root" / "main.tf").write_text(f'resource "aws_cloudformation_stack" "jobs" {{\n  name          = '
                                               f'"jobs"\n  template_body = file("{tmp_path / "q.yaml"}")\n}}\n')
    monkeypatch.chdir(tmp_path / "root")
    result = scan([Path(".")], ScanOptions(cwd=tmp_path / "root", select=("RL501",), jobs=1))
    assert result.findings == []
    assert scan_notes(result) == [f"main.tf: the template of aws_cloudformation_stack.jobs (file()) is not read: "
                                  f"file('{tmp_path / 'q.yaml'}'): an absolute path names a file of the machine "
                                  f"Terraform runs on"]

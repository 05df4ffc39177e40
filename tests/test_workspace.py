"""terraform.workspace: known when the user names the workspace (a deployment's `workspace:`, `--workspace`,
`terraform.workspace` in .rlint.yaml) or Terraform would read it (TF_WORKSPACE, then .terraform/environment or
$TF_DATA_DIR/environment), in that order; unknown otherwise. Terraform's own values are held against its plan in
tests/terraform_oracle/workspace (test_tf_oracle.py); here: the precedence, the command line and configuration,
deployments, the reports, and fixes that leave a value the workspace chooses alone."""
from __future__ import annotations

import json
import textwrap

import jsonschema
import pytest

from helpers import invoke, report_schema
from rlint.evaluate.workspace import resolve, valid_name

# a database whose settings the workspace chooses: single-AZ and one day of backups outside production
APP = """\
variable "multi_az" {
  type    = map(bool)
  default = { staging = false, production = true }
}

locals {
  env = terraform.workspace
}

resource "aws_db_instance" "db" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  deletion_protection     = true
  multi_az                = lookup(var.multi_az, terraform.workspace)
  backup_retention_period = local.env == "production" ? 14 : 1
}
"""
RULES = ("--select", "RL101,RL309")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.tf").write_text(APP)
    return tmp_path / "app"


def _scan(*args, env=None):
    result = invoke("scan", *args, "--format", "json", env=env)
    report = json.loads(result.output)
    jsonschema.Draft202012Validator(report_schema()).validate(report)
    return result.exit_code, report


def _rows(report) -> list:
    return sorted((f["rule_id"], f["outcome"], f["line"], f["deployment"], f["workspace"]) for f in report["findings"])


# -- where the workspace comes from -----------------------------------------------------------------------
def test_precedence_follows_terraform(tmp_path):
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "environment").write_text("  staging \n")
    assert resolve(tmp_path, None, {}) == resolve(tmp_path, None, {"TF_WORKSPACE": ""})
    assert resolve(tmp_path, None, {}).name == "staging"  # trimmed, as Terraform reads it
    assert resolve(tmp_path, None, {}).source == ".terraform/environment (terraform workspace select)"
    assert resolve(tmp_path, None, {"TF_WORKSPACE": "production"}).name == "production"  # the variable wins
    assert resolve(tmp_path, "qa", {"TF_WORKSPACE": "production"}, "--workspace").name == "qa"  # named to rlint
    assert resolve(tmp_path, "qa", {}, "--workspace").source == "--workspace"


def test_tf_data_dir_moves_the_file_and_hides_dot_terraform(tmp_path):
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "environment").write_text("staging")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "environment").write_text("production")
    assert resolve(tmp_path, None, {"TF_DATA_DIR": "data"}).name == "production"
    assert resolve(tmp_path, None, {"TF_DATA_DIR": str(tmp_path / "data")}).name == "production"
    assert not resolve(tmp_path, None, {"TF_DATA_DIR": "elsewhere"}).known  # Terraform would use "default"


def test_nothing_selected_stays_unknown(tmp_path):
    (tmp_path / ".terraform").mkdir()  # initialised, nothing selected: a later run still chooses
    ws = resolve(tmp_path, None, {})
    assert ws.name is None and ws.source.startswith("terraform.workspace is chosen at run time: name it with")
    (tmp_path / ".terraform" / "environment").write_text(" \n")
    assert not resolve(tmp_path, None, {}).known


def test_a_name_terraform_refuses_in_tf_workspace_is_unknown(tmp_path):
    ws = resolve(tmp_path, None, {"TF_WORKSPACE": "a b"})
    assert ws.name is None and ws.source == "TF_WORKSPACE='a b' is not a workspace name Terraform accepts"


@pytest.mark.parametrize("name,ok", [("staging", True), ("a:b@c&d=e+f$g~h.i_j-k", True), ("a,b", False),
                                     ("a/b", False), ("a b", False), ("x%2F", False), ("ü", False), ("", False)])
def test_valid_names_are_what_terraform_accepts(name, ok):
    # checked against terraform 1.11 with TF_WORKSPACE: url.PathEscape(name) == name
    assert valid_name(name) is ok


# -- the command line and the configuration -----------------------------------------------------------------
def test_without_a_workspace_the_settings_are_unknown(app):
    code, report = _scan(app, *RULES)
    assert code == 0
    assert _rows(report) == [("RL101", "unknown", 15, None, None), ("RL309", "unknown", 16, None, None)]
    assert "terraform.workspace is chosen at run time" in report["findings"][0]["message"]
    assert report["notes"] == []


def test_workspace_option_decides(app):
    code, report = _scan(app, *RULES, "--workspace", "staging")
    assert code == 1
    assert _rows(report) == [("RL101", "fail", 15, None, "staging"), ("RL309", "fail", 16, None, "staging")]
    assert report["notes"] == ["app: evaluated in Terraform workspace 'staging' (--workspace)"]
    code, report = _scan(app, *RULES, "--workspace", "production")
    assert code == 0 and _rows(report) == []


def test_tf_workspace_and_the_environment_file(app):
    (app / ".terraform").mkdir()
    (app / ".terraform" / "environment").write_text("production\n")
    code, report = _scan(app, *RULES)
    assert code == 0 and _rows(report) == []
    code, report = _scan(app, *RULES, env={"TF_WORKSPACE": "staging"})
    assert code == 1 and [r[:2] for r in _rows(report)] == [("RL101", "fail"), ("RL309", "fail")]
    assert report["notes"] == ["app: evaluated in Terraform workspace 'staging' (TF_WORKSPACE)"]
    code, report = _scan(app, *RULES, "--workspace", "production", env={"TF_WORKSPACE": "staging"})
    assert code == 0  # named to rlint: wins over the environment


def test_configuration_names_the_workspace(app):
    (app.parent / ".rlint.yaml").write_text("terraform:\n  workspace: staging\n")
    code, report = _scan(app, *RULES)
    assert code == 1
    assert report["notes"] == ["app: evaluated in Terraform workspace 'staging' (terraform.workspace in .rlint.yaml)"]
    code, report = _scan(app, *RULES, "--workspace", "production")
    assert code == 0  # the command line wins over the file


def test_a_name_terraform_refuses_is_a_usage_error(app):
    result = invoke("scan", app, "--workspace", "a,b")
    assert result.exit_code == 2
    assert "--workspace 'a,b': not a workspace name Terraform accepts" in result.output
    (app.parent / ".rlint.yaml").write_text("terraform:\n  workspace: a b\n")
    result = invoke("scan", app)
    assert result.exit_code == 2 and ("terraform.workspace: 'a b' is not a name Terraform accepts for a workspace (letters, digits and - _ . ~ : @ & = "
                                          "+ $)") in result.output


def test_a_root_that_does_not_read_the_workspace_says_nothing_of_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(APP.replace("lookup(var.multi_az, terraform.workspace)", "false")
                                      .replace('local.env == "production" ? 14 : 1', "1"))
    code, report = _scan(tmp_path, *RULES, "--workspace", "staging")
    assert code == 1 and _rows(report) == [("RL101", "fail", 15, None, None), ("RL309", "fail", 16, None, None)]
    assert report["notes"] == []


# -- count, for_each and modules --------------------------------------------------------------------------
def test_count_for_each_and_a_called_module_decide(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(textwrap.dedent("""\
        variable "replicas" {
          default = { staging = [], production = ["a", "b"] }
        }

        resource "aws_db_instance" "db" {
          count          = terraform.workspace == "production" ? 1 : 0
          engine         = "postgres"
          instance_class = "db.t3.micro"
        }

        resource "aws_sqs_queue" "replica" {
          for_each = toset(var.replicas[terraform.workspace])
          name     = each.key
        }

        module "child" {
          source = "./child"
        }
        """))
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text('resource "aws_sqs_queue" "q" {\n  name = terraform.workspace\n}\n')
    (tmp_path / "child" / ".terraform").mkdir()  # a module's own selection is not Terraform's: the root's is
    (tmp_path / "child" / ".terraform" / "environment").write_text("staging")

    def graph(*args):
        doc = json.loads(invoke("graph", tmp_path, *args).output)
        return {r["address"]: (r["expansion"]["decided"], r["attributes"].get("name")) for r in doc["resources"]}

    assert graph("--workspace", "production") == {
        "aws_db_instance.db[0]": (True, None), 'aws_sqs_queue.replica["a"]': (True, "a"),
        'aws_sqs_queue.replica["b"]': (True, "b"), "module.child.aws_sqs_queue.q": (True, "production")}
    assert graph("--workspace", "staging") == {"module.child.aws_sqs_queue.q": (True, "staging")}
    undecided = graph()
    assert sorted(undecided) == ["aws_db_instance.db", "aws_sqs_queue.replica", "module.child.aws_sqs_queue.q"]
    assert not undecided["aws_db_instance.db"][0] and not undecided["aws_sqs_queue.replica"][0]


# -- deployments: one root as several workspaces --------------------------------------------------------
def test_deployments_evaluate_one_root_as_several_workspaces(app):
    (app.parent / ".rlint.yaml").write_text(textwrap.dedent("""\
        deployments:
          - {name: staging, path: app, region: eu-west-1, workspace: staging}
          - {name: production, path: app, region: us-east-1, workspace: production}
          - {name: plain, path: app, region: us-east-1}
        """))
    code, report = _scan(*RULES, "--workspace", "preprod")
    assert code == 1
    # `plain` takes --workspace: a workspace the map does not name is an error for lookup() without default (not
    # `qa`: a root whose local.env names a test environment is test-only, tests/test_data_value.py)
    assert _rows(report) == [("RL101", "fail", 15, "staging", "staging"), ("RL101", "unknown", 15, "plain", "preprod"),
                             ("RL309", "fail", 16, "plain", "preprod"), ("RL309", "fail", 16, "staging", "staging")]
    assert sorted(report["notes"]) == ["app (deployment plain): evaluated in Terraform workspace 'preprod' (--workspace)",
                                       "app (deployment production): evaluated in Terraform workspace 'production' "
                                       "(deployment production)",
                                       "app (deployment staging): evaluated in Terraform workspace 'staging' "
                                       "(deployment staging)"]
    text = invoke("scan", *RULES, "--no-fixes", "--no-color").output
    assert "    deployment: staging (workspace staging)" in text.splitlines()


def test_deployment_option_takes_a_workspace(app):
    code, report = _scan(*RULES, "--deployment", f"s={app}@eu-west-1,workspace=staging",
                         "--deployment", f"p={app}@us-east-1,workspace=production")
    assert code == 1
    assert _rows(report) == [("RL101", "fail", 15, "s", "staging"), ("RL309", "fail", 16, "s", "staging")]
    result = invoke("scan", "--deployment", f"s={app}@eu-west-1,workspace=a;b")
    assert result.exit_code == 2 and "'a;b' is not a workspace name Terraform accepts" in result.output


def test_a_template_has_no_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.yaml").write_text("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    (tmp_path / ".rlint.yaml").write_text("deployments:\n  - {name: a, path: t.yaml, region: us-east-1, "
                                          "workspace: staging}\n")
    result = invoke("scan")
    assert result.exit_code == 2
    assert "deployments[0].workspace: " in result.output and "is a template" in result.output


# -- fixes --------------------------------------------------------------------------------------------------
def test_a_fix_leaves_a_value_the_workspace_chooses(app):
    result = invoke("fix", app, *RULES, "--workspace", "staging", "--unsafe-fixes", "--write")
    assert result.exit_code == 1
    assert (app / "main.tf").read_text() == APP  # production keeps multi_az and its 14 days
    assert ("not fixed: app/main.tf:16 RL309 aws_db_instance.db: no automatic fix: `backup_retention_period` is "
            "chosen by terraform.workspace ('staging' here): a value written in its place would hold in every "
            "workspace; give it 7 for this workspace where the expression chooses it") in result.output


def test_a_fix_of_a_value_the_workspace_does_not_choose_is_written(app):
    (app / "main.tf").write_text(APP.replace('local.env == "production" ? 14 : 1', "1"))
    result = invoke("fix", app, "--select", "RL309", "--workspace", "staging", "--unsafe-fixes", "--write")
    assert result.exit_code == 0, result.output
    assert "  backup_retention_period = 7\n" in (app / "main.tf").read_text()


# the same database keyed by an input variable: `--var tier=standard` (or a tfvars file) is one deployment's value
TIERED = """\
variable "tier" {
  type = string
}

variable "multi_az" {
  type    = bool
  default = false
}

locals {
  critical = var.tier == "critical"
}

resource "aws_db_instance" "db" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  deletion_protection     = true
  multi_az                = var.multi_az
  backup_retention_period = var.tier == "critical" ? 14 : 1
}
"""
NOT_FIXED = ("not fixed: app/main.tf:20 RL309 aws_db_instance.db: no automatic fix: `backup_retention_period` is "
             "computed from var.tier (\"standard\" here): a value written in its place would hold whatever var.tier "
             "is (another environment's too); give it 7 for this value where the expression chooses it")


def test_a_fix_leaves_a_value_an_input_variable_chooses(app):
    """As with the workspace: 7 written over the condition would shorten the critical tier's 14 days."""
    (app / "main.tf").write_text(TIERED)
    result = invoke("fix", app, "--select", "RL309", "--var", "tier=standard", "--unsafe-fixes", "--write")
    assert result.exit_code == 1
    assert (app / "main.tf").read_text() == TIERED
    assert NOT_FIXED in result.output


def test_a_variable_from_a_tfvars_file_through_a_local_chooses_too(app):
    (app / "main.tf").write_text(TIERED.replace('var.tier == "critical" ? 14 : 1', "local.critical ? 14 : 1"))
    (app / "terraform.tfvars").write_text('tier = "standard"\n')
    result = invoke("fix", app, "--select", "RL309", "--unsafe-fixes", "--write")
    assert result.exit_code == 1 and "14 : 1" in (app / "main.tf").read_text()
    assert NOT_FIXED in result.output


def test_a_variable_read_as_it_is_is_changed_where_it_is_set(app):
    """`multi_az = var.multi_az`: not computed from the variable but its value; the fix edits the tfvars entry
    (for that deployment), as before."""
    (app / "main.tf").write_text(TIERED)
    (app / "terraform.tfvars").write_text('tier     = "standard"\nmulti_az = false\n')
    result = invoke("fix", app, "--select", "RL101", "--unsafe-fixes", "--write")
    assert result.exit_code == 0, result.output
    assert (app / "terraform.tfvars").read_text() == 'tier     = "standard"\nmulti_az = true\n'
    assert (app / "main.tf").read_text() == TIERED


def test_a_workspace_naming_a_development_environment_leaves_the_root_unjudged(app):
    """`local.env = terraform.workspace`: the workspace named decides what the root says of its environment
    (rules/data_value.py, test-only roots); production's is judged."""
    code, report = _scan(*RULES, "--workspace", "development", str(app))
    assert code == 0 and _rows(report) == []
    assert [n for n in report["notes"] if "not judged" in n] == [
        "app: not judged (1 resource): the root module names a non-production environment (`local.env = "
        "\"development\"`); `stateful: {include: [test-only]}` in .rlint.yaml judges it"]
    code, report = _scan(*RULES, "--workspace", "production", str(app))
    assert code == 0 and _rows(report) == [] and not [n for n in report["notes"] if "not judged" in n]

"""Terraform fixes written where Terraform accepts them (issue 20): values changed where they are written
(value provenance), one-line blocks and tabs, instance keys, module boundaries, providers, the paths given on
the command line, and the structural checks made before writing. Terraform itself judges every fixture's fix
in test_fix_engines.py; these tests pin the text and the reasons."""
from __future__ import annotations

import shutil

from helpers import FIXTURES, invoke, run
from rlint.fixes.terraform_check import problems

FIX = FIXTURES / "fix"

DB = '''resource "aws_db_instance" "orders" {
  engine                  = "postgres"
  instance_class          = "db.t4g.micro"
  backup_retention_period = 7
  deletion_protection     = true
  multi_az                = var.db_multi_az
}
'''
VARIABLE = 'variable "db_multi_az" {\n  type    = bool\n  default = false\n}\n'


def fix(*args):
    return invoke("fix", *args, "--unsafe-fixes", "--select", "RL101")


def test_a_variable_default_is_changed_where_it_is_written(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(DB)
    (tmp_path / "variables.tf").write_text(VARIABLE)
    monkeypatch.chdir(tmp_path)
    out = fix(".", "--write")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "main.tf").read_text() == DB  # the resource still reads the variable
    assert (tmp_path / "variables.tf").read_text() == VARIABLE.replace("default = false", "default = true")
    assert "at the origin: variables.tf:3 RL101 aws_db_instance.orders: set true at variables.tf:3 (the default of " \
           "var.db_multi_az: every run that does not set it otherwise)" in out.output


def test_the_winning_tfvars_entry_is_changed(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text(DB + VARIABLE)
    (tmp_path / "terraform.tfvars").write_text("db_multi_az = true\n")
    (tmp_path / "b.auto.tfvars").write_text("db_multi_az = false # production\n")  # loaded last: it wins
    monkeypatch.chdir(tmp_path)
    out = fix(".", "--write")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "b.auto.tfvars").read_text() == "db_multi_az = true # production\n"
    assert (tmp_path / "terraform.tfvars").read_text() == "db_multi_az = true\n"
    assert (tmp_path / "main.tf").read_text() == DB + VARIABLE
    assert "b.auto.tfvars, loaded by every run in its directory" in out.output


def test_values_that_cannot_be_changed_where_they_are_written_are_shown_with_why(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(DB + VARIABLE)
    out = fix(".", "--var", "db_multi_az=false")
    assert "`multi_az` comes from --var db_multi_az=..., given on the command line: give it true there" in out.output
    (tmp_path / "main.tf").write_text(DB + 'variable "db_multi_az" {\n  type = bool\n}\n')
    assert "0 fixable" in fix(".").output  # no value at all: the finding is unknown, nothing to fix
    shared = DB + DB.replace('"orders"', '"audit"') + VARIABLE
    (tmp_path / "main.tf").write_text(shared)
    out = fix(".")
    assert "var.db_multi_az is read 2 times in .: changing it changes them all, so change it by hand" in out.output
    assert "0 fixable" in out.output
    (tmp_path / "main.tf").write_text(DB + VARIABLE.replace("false", "true"))
    (tmp_path / "terraform.tfvars.json").write_text('{"db_multi_az": false}\n')
    out = fix(".", "--write")
    assert "`multi_az` comes from var.db_multi_az, set in terraform.tfvars.json (JSON, which rlint does not " \
           "rewrite): give it true there" in out.output
    assert (tmp_path / "terraform.tfvars.json").read_text() == '{"db_multi_az": false}\n'


def test_a_module_argument_is_changed_in_the_caller_and_nothing_outside_the_paths(tmp_path, monkeypatch):
    shutil.copytree(FIX / "outside_scan", tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    module_before = (tmp_path / "repo" / "shared-module" / "main.tf").read_text()
    out = invoke("fix", "live", "--unsafe-fixes", "--write")
    assert out.exit_code == 1, out.output  # RL302 is left: its kit would need an output in shared-module
    assert "  multi_az = true\n}" in (tmp_path / "repo" / "live" / "main.tf").read_text()
    assert (tmp_path / "repo" / "shared-module" / "main.tf").read_text() == module_before
    assert "set true at live/main.tf:10 (the argument of module.db: this module call only)" in out.output
    assert "not fixed: shared-module/main.tf:11 RL302 module.db.aws_db_instance.this: no automatic fix: " \
           "shared-module/main.tf is " \
           "outside the paths given (live)" in out.output
    # the finding is shown where the value is written: the caller's argument
    before = run(FIX / "outside_scan" / "live")
    [finding] = [f for f in before.findings if f.rule_id == "RL101"]
    assert (finding.file, finding.span.line, finding.identity_file) == ("main.tf", 10, "../shared-module/main.tf")


def test_one_line_blocks_are_opened_up_and_tabs_kept(tmp_path, monkeypatch):
    shutil.copytree(FIX / "one_line_tabs", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    assert invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL101,RL405").exit_code == 0
    text = (tmp_path / "c" / "main.tf").read_text()
    # the settings join one `=` alignment, as `terraform fmt` aligns them; a one-line block ends the run
    assert 'resource "aws_db_instance" "one_line" {\n\tinstance_class      = "db.t4g.micro"\n' \
           '\tmulti_az            = true\n\tdeletion_protection = true\n}\n' in text
    assert '\tlifecycle { create_before_destroy = true }\n\tmulti_az            = true\n' \
           '\tdeletion_protection = true\n}' in text


def test_counted_and_keyed_resources_get_their_instances(tmp_path, monkeypatch):
    shutil.copytree(FIX / "instance_keys", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    assert invoke("fix", ".", "--unsafe-fixes", "--write").exit_code == 0
    text = (tmp_path / "c" / "main.tf").read_text()
    assert "resources    = flatten([aws_rds_cluster.analytics[*].arn, aws_db_instance.primary[*].arn])" in text
    assert 'resource "aws_sqs_queue" "jobs_dlq" {\n  count                     = 3\n' in text
    assert "queue_url      = aws_sqs_queue.jobs[count.index].id" in text
    assert "deadLetterTargetArn = aws_sqs_queue.named_dlq[each.key].arn" in text
    assert 'resource "aws_rds_cluster_instance" "analytics_reader" {\n  count              = 1\n' \
           '  cluster_identifier = aws_rds_cluster.analytics[count.index].id' in text


def test_resources_inside_modules_are_reached_through_outputs_from_the_root(tmp_path, monkeypatch):
    shutil.copytree(FIX / "module_boundaries", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    out = invoke("fix", ".", "--unsafe-fixes", "--write")
    assert out.exit_code == 0, out.output
    root = (tmp_path / "c" / "main.tf").read_text()
    assert "module.store.aws_dynamodb_table_this_arn," in root
    assert 'resource "aws_sqs_queue" "queues_this_dlq" {\n  for_each                  = module.queues\n' in root
    assert "queue_url      = module.queues[each.key].aws_sqs_queue_this_id" in root
    assert 'resource "aws_sqs_queue" "west_queue_this_dlq" {\n  provider                  = aws.west\n' in root
    store = (tmp_path / "c" / "modules" / "store" / "main.tf").read_text()
    assert "deletion_protection_enabled = true" in store  # one call uses the module: edited there
    assert 'output "aws_dynamodb_table_this_arn" {' in store


def test_an_aurora_reader_for_a_cluster_inside_a_module_reaches_it_through_outputs(tmp_path, monkeypatch):
    # RL102's reader named the cluster as if it stood in the root (`aws_rds_cluster.this.id`), which the root does
    # not declare: terraform validate rejects it (found on wellcomecollection/archivematica-infrastructure)
    shutil.copytree(FIX / "module_aurora", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    out = invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL102")
    assert out.exit_code == 0, out.output
    assert "2 fixed" in out.output, out.output
    root = (tmp_path / "c" / "main.tf").read_text()
    for call, cls in (("orders_db", "db.r6g.large"), ("orders_db_staging", "db.t4g.medium")):
        assert (f'resource "aws_rds_cluster_instance" "{call}_this_reader" {{\n'
                f'  cluster_identifier = module.{call}.aws_rds_cluster_this_id\n'
                f'  engine             = module.{call}.aws_rds_cluster_this_engine\n'
                f'  instance_class     = "{cls}"\n}}') in root  # the class this call gives its writer
    assert "aws_rds_cluster.this" not in root
    module = (tmp_path / "c" / "modules" / "aurora" / "main.tf").read_text()
    assert module.count('output "aws_rds_cluster_this_id" {') == 1
    assert module.count('output "aws_rds_cluster_this_engine" {') == 1


def test_a_reference_to_a_resource_the_module_does_not_declare_is_not_written():
    old = 'module "db" {\n  source = "./db"\n}\n'
    new = old + ('resource "aws_rds_cluster_instance" "reader" {\n  cluster_identifier = aws_rds_cluster.this.id\n'
                 '  engine             = module.db.aws_rds_cluster_this_engine\n'
                 '  tags               = { note = "aws_rds_cluster.this.id, by name" }\n'
                 '  instance_class     = data.aws_rds_cluster.other.id\n}\n')
    assert problems("main.tf", old, new, {"main.tf": new}, set(), set()) == [
        "`aws_rds_cluster.this` is not declared in .: a resource of a called module is reached through its outputs"]
    # declared in the module (by rlint's reading of it, .tf.json included, or in the text): nothing to say
    assert problems("main.tf", old, new, {"main.tf": new}, set(), {"aws_rds_cluster.this"}) == []
    assert problems("main.tf", old, new, {"main.tf": new, "db.tf": 'resource "aws_rds_cluster" "this" {}\n'},
                    set(), set()) == []


def test_a_setting_inside_a_shared_module_is_changed_there_only_when_every_caller_needs_it(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "terraform" / "modules", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    # every instance of the database, in all five calls, lacks deletion protection: the module is changed
    out = invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL405")
    assert "7 fixed" in out.output, out.output  # six instances of the module, and aws_db_instance.uses_output
    assert "  deletion_protection = true\n}" in (tmp_path / "c" / "modules" / "db" / "main.tf").read_text()
    shutil.copytree(FIXTURES / "terraform" / "modules", tmp_path / "d")
    monkeypatch.chdir(tmp_path / "d")
    main = tmp_path / "d" / "main.tf"
    main.write_text(main.read_text().replace('module "db_single" {', '# rlint:ignore RL405 -- a scratch database\n'
                                                                     'module "db_single" {'))
    out = invoke("fix", ".", "--unsafe-fixes", "--select", "RL405")
    assert "the setting is written in module modules/db, and 5 module calls use it: changing it there changes " \
           "every caller" in out.output
    assert "1 fixable · 5 not fixed" in out.output  # aws_db_instance.uses_output, in the root, only


def test_the_structural_check_reads_what_terraform_would_reject():
    old = 'resource "aws_sqs_queue" "many" {\n  count = 2\n}\n'
    new = old + ('resource "aws_sqs_queue_redrive_policy" "x" {\n  queue_url = aws_sqs_queue.many.id\n'
                 '  provider  = aws.west\n  policy    = module.db.aws_db_instance.this.arn\n}\n')
    assert problems("main.tf", old, new, {"main.tf": new}, {"aws_sqs_queue.many"}) == [
        "`module.db.aws_db_instance.this` reads a resource inside a called module: Terraform exposes only its "
        "outputs",
        "`aws_sqs_queue.many` has count or for_each: a reference needs an instance key",
        "provider `aws.west` is not configured in ."]
    fine = old + 'resource "x" "y" {\n  a = aws_sqs_queue.many[0].id\n  b = length(aws_sqs_queue.many)\n}\n'
    assert problems("main.tf", old, fine, {"main.tf": fine}, {"aws_sqs_queue.many"}) == []


def test_reports_name_where_the_deciding_value_is_written(tmp_path, monkeypatch):
    import json

    (tmp_path / "main.tf").write_text(DB + VARIABLE)
    (tmp_path / "terraform.tfvars").write_text("db_multi_az = false\n")
    monkeypatch.chdir(tmp_path)
    [finding] = json.loads(invoke("scan", ".", "--select", "RL101", "-f", "json").output)["findings"]
    # reported where the value is written, and where `rlint fix` writes; the resource stays its identity
    assert (finding["file"], finding["line"], finding["column"]) == ("terraform.tfvars", 1, 15)
    assert finding["provenance"] == [
        {"kind": "attribute", "name": "multi_az", "file": "main.tf", "line": 6, "column": 3},
        {"kind": "tfvars", "name": "var.db_multi_az", "file": "terraform.tfvars", "line": 1, "column": 15}]
    sarif = json.loads(invoke("scan", ".", "--select", "RL101", "-f", "sarif").output)
    [result] = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "terraform.tfvars"
    attribute, related = result["relatedLocations"]
    assert attribute["message"]["text"] == "attribute: multi_az"
    assert attribute["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 3}
    assert related["message"]["text"] == "tfvars: var.db_multi_az"
    assert related["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 15}
    # the finding's fix shows the edit at the origin, not a literal over the variable
    assert result["fixes"][0]["artifactChanges"] == [{"artifactLocation": {"uri": "terraform.tfvars"}, "replacements": [
        {"deletedRegion": {"startLine": 1, "startColumn": 15, "endLine": 1, "endColumn": 20},
         "insertedContent": {"text": "true"}}]}]


def test_each_value_is_fixed_where_it_is_written_and_says_which_environments_change(tmp_path, monkeypatch):
    shutil.copytree(FIX / "value_origins", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    out = invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL101,RL102")
    assert out.exit_code == 0, out.output
    main = (tmp_path / "c" / "main.tf").read_text()
    original = (FIX / "value_origins" / "main.tf").read_text()
    assert "multi_az                    = var.db_multi_az" in main  # never a literal over the variable
    assert main == original.replace("type    = bool\n  default = false", "type    = bool\n  default = true") \
        .replace("type    = number\n  default = 1", "type    = number\n  default = 2") \
        .replace('name     = "scratch"\n  multi_az = false', 'name     = "scratch"\n  multi_az = true')
    module = (tmp_path / "c" / "modules" / "db" / "main.tf").read_text()
    assert module == (FIX / "value_origins" / "modules" / "db" / "main.tf").read_text().replace(
        "default = false", "default = true")
    assert "set true at main.tf:10 (the default of var.db_multi_az: every run that does not set it otherwise; " \
           "env/prod.tfvars sets it and keeps its value; env/dev.tfvars does not set it: runs with it change " \
           "too)" in out.output
    assert "set true at modules/db/main.tf:7 (the default of var.multi_az in module modules/db: the calls that do " \
           "not pass multi_az (module.audit, module.billing); calls that pass it keep their value)" in out.output
    assert "set true at main.tf:45 (the argument of module.scratch: this module call only)" in out.output
    assert "RL102 aws_rds_cluster.reporting: set 2 at main.tf:15 (the default of var.reporting_instances" in out.output


def test_findings_sit_at_the_origin_and_their_fix_shows_the_edit_there():
    result = run(FIX / "value_origins")
    where = sorted({(f.rule_id, f.resource, f.file, f.span.line) for f in result.findings if f.rule_id == "RL101"})
    assert where == [("RL101", "aws_db_instance.orders", "main.tf", 10),
                     ("RL101", "module.audit.aws_db_instance.this", "modules/db/main.tf", 7),
                     ("RL101", "module.billing.aws_db_instance.this", "modules/db/main.tf", 7),
                     ("RL101", "module.scratch.aws_db_instance.this", "main.tf", 45)]
    [orders] = [f for f in result.findings if f.rule_id == "RL101" and f.resource == "aws_db_instance.orders"]
    assert orders.identity_file == "main.tf" and orders.resource_file == ""
    assert orders.fix.diff == ((None, "f", "main.tf"), (9, " ", "  type    = bool"), (10, "-", "  default = false"),
                               (None, "+", "  default = true"), (11, " ", "}"))


def test_a_deployments_tfvars_entry_is_changed_for_that_deployment_only(tmp_path, monkeypatch):
    shutil.copytree(FIX / "deployment_tfvars", tmp_path / "c")
    monkeypatch.chdir(tmp_path / "c")
    before = {p.name: p.read_text() for p in (tmp_path / "c").iterdir() if p.is_file()}
    import json

    [finding] = json.loads(invoke("scan", ".", "--select", "RL101", "-f", "json").output)["findings"]
    assert (finding["deployment"], finding["file"], finding["line"]) == ("production", "production.tfvars", 1)
    out = invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL101")
    assert out.exit_code == 0, out.output
    assert "set true at production.tfvars:1 (-var-file production.tfvars: every run that loads it; deployment " \
           "production)" in out.output
    after = {p.name: p.read_text() for p in (tmp_path / "c").iterdir() if p.is_file()}
    assert after == {**before, "production.tfvars": before["production.tfvars"].replace("= false", "= true")}


def test_a_module_argument_of_a_call_with_instances_names_every_instance_it_changes(tmp_path, monkeypatch):
    (tmp_path / "mod").mkdir()
    (tmp_path / "main.tf").write_text('module "db" {\n  source   = "./mod"\n  for_each = toset(["a", "b"])\n'
                                      '  multi_az = false\n}\n')
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "multi_az" {\n  type = bool\n}\n\nresource "aws_db_instance" "this" {\n  engine = "mysql"\n'
        '  instance_class    = "db.t3.micro"\n  allocated_storage = 20\n  multi_az          = var.multi_az\n}\n')
    monkeypatch.chdir(tmp_path)
    out = invoke("fix", ".", "--unsafe-fixes", "--write", "--select", "RL101")
    assert out.exit_code == 0, out.output
    assert "set true at main.tf:4 (the argument of module.db: this module call only, and each of its 2 for_each " \
           "instances here)" in out.output
    assert "  multi_az = true\n}" in (tmp_path / "main.tf").read_text()

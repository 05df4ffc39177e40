"""Module calls expanded into their callers: inputs, outputs, count/for_each on calls, providers passed down,
object types with optional() defaults, nested and registry modules, and the standalone copy of a called module
(RL101 and RL501 as probes)."""
from __future__ import annotations

import json

import pytest

import engines
from helpers import FIXTURES, rows, run

MODULES = FIXTURES / "terraform" / "modules"
IDLE = FIXTURES / "terraform" / "idle_module"
ARGUMENT_EDGES = FIXTURES / "terraform" / "module_argument_edges"
SUBNETS = FIXTURES / "terraform" / "module_subnets"
REPO = FIXTURES.parent.parent
FEEDBACK = REPO / "tests" / "terraform_oracle" / "module_feedback"
FEEDBACK_PLAN = REPO / "tests" / "recordings" / "terraform" / "plans" / "tests_terraform_oracle_module_feedback.json"



def resource(result, address):
    return next(r for r in result.graph.resources if r.address == address)


def test_module_instances_take_their_inputs_and_report_where_the_value_is_written():
    """A value the module decides is reported at the module file; one a caller passes in, at the caller's
    argument (where it is changed; issue 20)."""
    result = run(MODULES, select=("RL101", "RL501"))
    assert rows(result, "RL101", "RL501", "RL001", "RL002") == [
        ("RL101", "module.db_dr.aws_db_instance.this", "fail", "modules/db/main.tf", 18),
        ("RL101", 'module.db_each["a"].aws_db_instance.this', "fail", "main.tf", 32),
        ("RL101", "module.db_input.aws_db_instance.this", "unknown", "main.tf", 44),
        ("RL101", "module.db_single.aws_db_instance.this", "fail", "modules/db/main.tf", 18),
    ]
    # count = 0 on the call removes its resources; for_each keys become part of the address
    addresses = sorted(r.address for r in result.graph.resources)
    assert [a for a in addresses if a.startswith("module.db_")] == [
        "module.db_dr.aws_db_instance.this", 'module.db_each["a"].aws_db_instance.this',
        'module.db_each["b"].aws_db_instance.this', "module.db_ha.aws_db_instance.this",
        "module.db_input.aws_db_instance.this", "module.db_single.aws_db_instance.this"]


def test_optional_object_attributes_take_their_defaults():
    result = run(MODULES, select=("RL101",))
    single = resource(result, "module.db_single.aws_db_instance.this")
    assert single.attrs["multi_az"] is False
    assert single.attrs["backup_retention_period"] == 7
    assert single.attrs["tags"] == {"notes": "none"}  # an absent optional() attribute is null, not an error


def test_outputs_carry_values_and_graph_edges_to_the_caller():
    result = run(MODULES, select=("RL101", "RL501"))
    assert resource(result, "aws_db_instance.uses_output").attrs["multi_az"] is True
    jobs = resource(result, "aws_sqs_queue.jobs")
    assert [t.address for t in result.graph.targets(jobs, ("redrive_policy",))] == ["module.dlq.aws_sqs_queue.this"]
    other = resource(result, "aws_sqs_queue.other")  # a registry module without `terraform init`: unknown
    assert "output of module.registry is not evaluated" in other.attrs["redrive_policy"].reason


def test_providers_pass_down_with_their_region_and_default_tags():
    result = run(MODULES, select=("RL101",))
    single = resource(result, "module.db_single.aws_db_instance.this")
    assert (single.meta["provider_region"], single.meta["default_tags"]) == ("eu-west-1", {"backup": "daily"})
    dr = resource(result, "module.db_dr.aws_db_instance.this")
    assert dr.meta["provider_region"] == "eu-central-1" and "default_tags" not in dr.meta


def test_a_called_module_is_analysed_only_through_its_callers():
    result = run(MODULES, select=("RL101",))
    notes = {u.name: u.notes for u in result.units}
    assert notes["modules/db"] == ["modules/db: analysed as a module called by another scanned module"]
    assert not any(r.address == "aws_db_instance.this" for r in result.graph.resources)
    # scanned on its own, the module is a root module with its variables' defaults
    alone = run(MODULES / "modules" / "db", select=("RL101",))
    assert rows(alone, "RL101") == [("RL101", "aws_db_instance.this", "fail", "main.tf", 18)]


def test_a_module_that_every_call_switches_off_is_not_analysed_on_its_own():
    """`count = 0` or an empty `for_each` on each call: the module creates nothing, so its standalone copy (a root
    module with its variables' defaults) is not reported either (issue 15, round 7: a sandbox database behind
    `count = 0` reported six times); a module also called with an instance is analysed in that call."""
    result = run(IDLE, select=("RL101",))
    assert rows(result, "RL101", "RL001", "RL002") == [
        ("RL101", "module.shared_on.aws_db_instance.this", "fail", "modules/shared/main.tf", 7)]
    assert not any("sandbox" in r.address for r in result.graph.resources)
    notes = {u.name: u.notes for u in result.units}
    assert notes["modules/sandbox"] == [
        "modules/sandbox: analysed as a module that other scanned modules call with no instance (count = 0 or an "
        "empty for_each): it creates nothing there"]
    assert notes["modules/shared"] == ["modules/shared: analysed as a module called by another scanned module"]
    # scanned on its own, the module is still a root module with its variables' defaults; its directory names a
    # non-production environment (`sandbox`), so it is judged only when test-only resources are included
    alone = run(IDLE / "modules" / "sandbox", select=("RL101",), stateful={"include": ["test-only"]})
    assert rows(alone, "RL101") == [("RL101", "aws_db_instance.sandbox", "fail", "main.tf", 8)]
    assert rows(run(IDLE / "modules" / "sandbox", select=("RL101",)), "RL101") == []


def test_a_module_argument_keeps_the_references_it_is_made_of():
    """A bucket's name passed to a module is a known string: the child's pipeline reads it through a variable,
    and the edge to the bucket must survive the hop, or the artifact store is judged as data (issue 15, round 7:
    a CodePipeline artifact bucket in communitiesuk/epb-aws-infrastructure reported by RL407)."""
    result = run(ARGUMENT_EDGES, select=("RL407",))
    stores = {(r.address, tuple(t.address for t in result.graph.targets(r, ("artifact_store",))))
              for r in result.graph.resources if r.type == "aws_codepipeline"}
    assert stores == {("module.pipeline.aws_codepipeline.this", ("aws_s3_bucket.artifacts",)),
                      ("module.pipeline_two.aws_codepipeline.this", ("module.bucket.aws_s3_bucket.this",))}
    # the artifact stores are artifacts (not judged by default); the bucket nothing writes into is data
    assert rows(result, "RL407", "RL001", "RL002") == [("RL407", "aws_s3_bucket.documents", "fail", "main.tf", 25)]


def test_a_suppression_in_a_module_file_covers_every_instance_once(tmp_path):
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(
        'variable "ha" {\n  default = false\n}\n\n'
        '# rlint:ignore RL101 -- development databases\n'
        'resource "aws_db_instance" "this" {\n  engine   = "postgres"\n  multi_az = var.ha\n}\n')
    (tmp_path / "main.tf").write_text('module "a" {\n  source = "./mod"\n}\n\nmodule "b" {\n  source = "./mod"\n}\n')
    result = run(tmp_path, select=("RL101",))
    assert sorted((f.rule_id, f.resource, f.suppressed is not None) for f in result.findings) == [
        ("RL101", "module.a.aws_db_instance.this", True), ("RL101", "module.b.aws_db_instance.this", True)]


def test_nested_modules_cycles_and_modules_json(tmp_path):
    (tmp_path / "outer").mkdir()
    (tmp_path / "inner").mkdir()
    (tmp_path / "outer" / "main.tf").write_text(
        'variable "ha" {}\nmodule "inner" {\n  source = "../inner"\n  ha     = var.ha\n}\n'
        'module "self" {\n  source = "../outer"\n  ha     = var.ha\n}\n')
    (tmp_path / "inner" / "main.tf").write_text(
        'variable "ha" {}\nresource "aws_db_instance" "this" {\n  engine   = "postgres"\n  multi_az = var.ha\n}\n')
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "main.tf").write_text(
        'module "outer" {\n  source = "../outer"\n  ha     = false\n}\n'
        'module "registry" {\n  source  = "example/db/aws"\n  version = "1.0"\n  ha      = false\n}\n')
    (tmp_path / "root" / ".terraform" / "modules").mkdir(parents=True)
    (tmp_path / "root" / ".terraform" / "modules" / "modules.json").write_text(
        '{"Modules": [{"Key": "", "Source": "", "Dir": "."},'
        ' {"Key": "registry", "Source": "registry.terraform.io/example/db/aws", "Dir": "../inner"}]}')
    result = run(tmp_path / "root", select=("RL101",))
    # both values are the root's module arguments: shown there, through the nested call too (issue 20)
    assert rows(result, "RL101", "RL001", "RL002") == [
        ("RL101", "module.outer.module.inner.aws_db_instance.this", "fail", "main.tf", 3),
        ("RL101", "module.registry.aws_db_instance.this", "fail", "main.tf", 8),
    ]


def test_a_module_in_the_scanned_directory_is_shown_as_discovery_shows_it(tmp_path, monkeypatch):
    (tmp_path / "examples" / "basic").mkdir(parents=True)
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "this" {\n  engine   = "postgres"\n'
                                      '  multi_az = false # rlint:ignore RL101 -- a sample\n}\n')
    (tmp_path / "examples" / "basic" / "main.tf").write_text('module "db" {\n  source = "../../"\n}\n')
    monkeypatch.chdir(tmp_path)
    from rlint.engine import ScanOptions, scan

    result = scan(["."], ScanOptions(jobs=1, select=("RL101",)))
    assert [(f.rule_id, f.resource, f.file, f.suppressed is not None) for f in result.findings] == [
        ("RL101", "module.db.aws_db_instance.this", "main.tf", True)]


def test_every_root_output_exports_what_it_reads(tmp_path):
    """A resource that any output of the root module reads leaves the configuration, not only the last
    output's: whoever reads the output may register targets into the target group."""
    (tmp_path / "main.tf").write_text('''
resource "aws_lb_target_group" "web" {
  name     = "web"
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-123"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

output "target_group_arn" {
  value = aws_lb_target_group.web.arn
}

output "queue_url" {
  value = aws_sqs_queue.jobs.url
}
''')
    result = run(tmp_path)
    assert {r.address for r in result.graph.resources if r.meta.get("exported")} == {
        "aws_lb_target_group.web", "aws_sqs_queue.jobs"}
    assert [(f.rule_id, f.resource) for f in result.findings if f.rule_id == "RL208"] == [
        ("RL208", "aws_lb_target_group.web")]


def test_a_loaded_unit_leaves_no_module_evaluator_for_the_cyclic_collector():
    """Evaluators of a module tree link to each other (a child's caller, a caller's children, a provider's
    owner); they are released once the unit is loaded, so they and their caches are freed at once instead of
    waiting for a cyclic collection that traverses the whole heap (speed and memory at scale)."""
    import gc

    from rlint.evaluate.terraform_modules import ModuleTreeEvaluator

    gc.collect()
    gc.disable()
    try:
        result = run(MODULES, select=("RL101",))
        left = sum(isinstance(o, ModuleTreeEvaluator) for o in gc.get_objects())
    finally:
        gc.enable()
    assert any(r.address.startswith("module.db_dr.") for r in result.graph.resources)  # providers passed down
    assert left == 0


def test_subnet_ids_from_another_modules_outputs_name_their_subnets():
    """A subnet id read from module.network's output and passed into module.nlb's variable names the subnet (the
    value also carries the edge to the call `module.network`, which names no resource): the load balancer's zones
    are decided, here as letters of the Region `data.aws_region` reads (issue 15, round 8: undecided before)."""
    result = run(SUBNETS, select=("RL106",))
    assert rows(result, "RL106", "RL001", "RL002") == [
        ("RL106", "module.listed.aws_lb.this", "fail", "main.tf", 38),
        ("RL106", "module.one_zone.aws_lb.this", "fail", "main.tf", 31),
    ]
    one_zone = next(f for f in result.findings if f.resource == "module.one_zone.aws_lb.this")
    assert "1 Availability Zone (`${module.network.data.aws_region.current.name}a`)" in one_zone.message


def test_module_calls_that_feed_each_other_are_decided_as_terraform_plans_them():
    """Two calls reading each other's outputs, a call and a resource of its caller, calls with count and for_each,
    a count taken from a call that reads the counted call, and the same inside a nested module: Terraform plans
    them (its graph is per variable and output), so rlint decides every value, and decides it as Terraform's plan
    does (issue 15, round 10: "module.x depends on itself" unknowns on a public repository)."""
    planned = json.loads(FEEDBACK_PLAN.read_text())["resources"]
    result = run(FEEDBACK)
    ours = {r.address: r.attrs for r in result.graph.resources}
    assert sorted(ours) == sorted(planned)
    for address, attrs in ours.items():
        assert attrs == {name: planned[address]["values"][name] for name in attrs}, address
    assert ours["module.right.terraform_data.this"] == {"input": "right talks to svc-left"}
    assert ours["module.jobs_dlq.aws_sqs_queue.this"]["tags"] == {"source": "jobs-main"}
    # the argument's references stay edges of the child's resource that reads it
    dlq = resource(result, "module.jobs_dlq.aws_sqs_queue.this")
    assert [t.address for t in result.graph.targets(dlq, ("tags",))] == ["aws_sqs_queue.jobs"]


# References Terraform rejects as cycles (`terraform validate`: "Error: Cycle: module.a.output.echo (expand),
# module.b.var.x (expand), ..."; test_terraform_rejects_the_cycles holds that under CI), each through different
# variables and outputs of the calls: two calls, a call and a resource of its caller, and a call whose count reads
# another call that reads it.
CYCLE_MODULE = """variable "x" {
  type = string
}

resource "terraform_data" "this" {
  input = "got ${var.x}"
}

output "echo" {
  value = var.x
}

output "size" {
  value = length(var.x)
}
"""
CYCLES = """module "a" {
  source = "./m"
  x      = module.b.echo
}

module "b" {
  source = "./m"
  x      = module.a.echo
}

resource "terraform_data" "r" {
  input = module.c.echo
}

module "c" {
  source = "./m"
  x      = terraform_data.r.input
}

module "d" {
  source = "./m"
  count  = module.e.size
  x      = "d"
}

module "e" {
  source = "./m"
  x      = module.d[0].echo
}
"""


def _cycles(folder):
    (folder / "m").mkdir(parents=True)
    (folder / "m" / "main.tf").write_text(CYCLE_MODULE)
    (folder / "main.tf").write_text(CYCLES)
    return folder


def test_a_reference_cycle_through_module_calls_is_unknown_and_says_so(tmp_path):
    result = run(_cycles(tmp_path))
    reasons = {}
    for res in result.graph.resources:
        value = res.attrs["input"]
        reasons[res.address] = value.reason if not isinstance(value, str) else value
        if res.meta.get("expansion_reason"):
            reasons[res.address + " instances"] = res.meta["expansion_reason"]
    by_a = "var.x of module.a depends on itself (a reference cycle, which Terraform rejects)"
    by_c = "output echo of module.c depends on itself (a reference cycle, which Terraform rejects)"
    by_d = ("the instances of module.d depend on themselves (its count or for_each reads its outputs: a reference "
            "cycle, which Terraform rejects)")
    assert reasons == {
        "module.a.terraform_data.this": by_a, "module.b.terraform_data.this": by_a,
        "terraform_data.r": by_c, "module.c.terraform_data.this": by_c,
        "module.d.terraform_data.this": "got d", "module.d.terraform_data.this instances": f"module.d: count is "
                                                                                          f"unknown: {by_d}",
        "module.e.terraform_data.this": by_d}
    assert rows(result, "RL001", "RL002") == []


@pytest.mark.skipif(not engines.engines_required(),
                    reason="running Terraform is CI's job: RLINT_REQUIRE_ENGINES=1 runs it here")
def test_terraform_rejects_the_cycles(tmp_path):
    engines.require_terraform()
    report = engines.validate(_cycles(tmp_path))
    cycles = sorted(d["summary"] for d in report["diagnostics"] if d["summary"].startswith("Cycle"))
    assert len(cycles) == 3 and not report["valid"], report

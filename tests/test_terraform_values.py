"""Values as Terraform computes them before apply: type conversion with optional() defaults, errors that try() and
can() catch, and the functions added for real modules (values read back from an evaluated resource)."""
from __future__ import annotations

from helpers import run

from rlint.model import Unknown

MODULE = '''
variable "settings" {
  type = object({
    name   = optional(string)
    size   = optional(number, 3)
    nested = optional(object({ on = optional(bool, true) }), {})
    rules  = optional(list(object({ days = optional(number, 35), cold = optional(number) })), [])
  })
  default = { rules = [{}, { days = 7 }], extra = "dropped" }
}

variable "given" {}

variable "by_name" {
  type    = map(object({ ha = optional(bool, false) }))
  default = { a = {}, b = { ha = true } }
}

resource "aws_sqs_queue" "values" {
  settings      = var.settings
  by_name       = var.by_name
  template_null = try("${var.settings.name}.example.com", "fallback.example.com")
  lookup_null   = try(lookup(var.settings.nested_missing, "k", null), "no attribute")
  lookup_of_nil = try(lookup(null, "k", null), "lookup of null")
  coalesce_none = try(coalesce(var.settings.name, ""), "all null")
  can_regex     = can(regex("^a", "b"))
  regexall      = regexall("[0-9]+", "a1b22")
  basename      = basename("/work/infra/main.tf")
  dirname       = dirname("/work/infra/main.tf")
  unknown_try   = try(var.given, "fallback")
}
'''


def values(tmp_path):
    (tmp_path / "main.tf").write_text(MODULE)
    result = run(tmp_path, select=("RL501",))
    return next(r for r in result.graph.resources if r.address == "aws_sqs_queue.values").attrs


def test_object_types_take_optional_defaults_and_drop_undeclared_attributes(tmp_path):
    attrs = values(tmp_path)
    assert attrs["settings"] == {"name": None, "size": 3, "nested": {"on": True},
                                 "rules": [{"days": 35, "cold": None}, {"days": 7, "cold": None}]}
    assert attrs["by_name"] == {"a": {"ha": False}, "b": {"ha": True}}


def test_errors_terraform_raises_on_known_values_are_caught_by_try_and_can(tmp_path):
    attrs = values(tmp_path)
    assert attrs["template_null"] == "fallback.example.com"
    assert attrs["lookup_null"] == "no attribute"
    assert attrs["lookup_of_nil"] == "lookup of null"
    assert attrs["coalesce_none"] == "all null"
    assert attrs["can_regex"] is False
    # an unknown first argument is not an error: Terraform cannot tell yet, so neither can rlint
    assert isinstance(attrs["unknown_try"], Unknown)


def test_path_and_pattern_functions(tmp_path):
    attrs = values(tmp_path)
    assert attrs["regexall"] == ["1", "22"]
    assert (attrs["basename"], attrs["dirname"]) == ("main.tf", "/work/infra")


def test_an_attribute_that_reads_a_local_keeps_its_other_references(tmp_path):
    """References met in an attribute after a local is first evaluated stay the attribute's edges (and the
    local's own references stay its own), also where every value is known."""
    (tmp_path / "main.tf").write_text('''
locals {
  topic = aws_sns_topic.alerts.name
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_ssm_parameter" "first" {
  name  = "first"
  type  = "String"
  value = join(",", [local.topic, aws_sqs_queue.jobs.name])
}

resource "aws_ssm_parameter" "second" {
  name  = "second"
  type  = "String"
  value = local.topic
}
''')
    graph = run(tmp_path, select=("RL501",)).graph
    edges = {r.address: sorted(t for p, t, _a in r.refs if p == ("value",))
             for r in graph.resources if r.type == "aws_ssm_parameter"}
    assert edges == {"aws_ssm_parameter.first": ["aws_sns_topic.alerts", "aws_sqs_queue.jobs"],
                     "aws_ssm_parameter.second": ["aws_sns_topic.alerts"]}


def test_an_object_whose_key_is_unknown_is_unknown_and_keeps_its_references(tmp_path):
    (tmp_path / "main.tf").write_text('''
resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_ssm_parameter" "by_queue" {
  name  = "by-queue"
  type  = "String"
  value = jsonencode({ (aws_sqs_queue.jobs.arn) = "jobs" })
}
''')
    result = run(tmp_path, select=("RL501",))
    [param] = [r for r in result.graph.resources if r.type == "aws_ssm_parameter"]
    assert isinstance(param.attrs["value"], Unknown)
    assert param.attrs["value"].refs == frozenset({("aws_sqs_queue.jobs", "arn")})


def test_a_name_declared_in_a_file_rlint_cannot_read_is_not_called_undeclared(tmp_path):
    """A resource declared in a file with a syntax error (RL001) is missing from what rlint read, not undeclared:
    the unknown's reason names the file, so the reader looks there instead of for a configuration error."""
    (tmp_path / "lb.tf").write_text('resource "aws_lb" "web" {\n  subnets = [aws_subnet.a.id, aws_subnet.b.id]\n}\n')
    (tmp_path / "network.tf").write_text(
        'resource "aws_subnet" "a" {\n  tags {\n    "Name" = "a"\n  }\n}\n')  # Terraform 0.11's quoted keys
    found = {f.rule_id: f for f in run(tmp_path, select=("RL001", "RL106")).findings}
    assert found["RL001"].file.endswith("network.tf")
    assert found["RL106"].outcome.value == "unknown"
    assert ("aws_subnet.a is not declared in the files of this module rlint could read (network.tf could not be "
            "read, RL001)") in found["RL106"].message
    (tmp_path / "network.tf").unlink()  # without the file, the name is undeclared: a configuration error
    found = {f.rule_id: f for f in run(tmp_path, select=("RL106",)).findings}
    assert "aws_subnet.a is not declared in this module" in found["RL106"].message

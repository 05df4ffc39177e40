"""Load one unit (a Terraform module, a CloudFormation template, a plan) into graph resources.

A unit's result is self-contained and picklable, so units can load in parallel worker processes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import ParseProblem, Span


@dataclass
class UnitResult:
    kind: str
    name: str
    resources: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # [ParseProblem] -> RL001
    comments: list = field(default_factory=list)  # [Comment] for suppressions
    first_block_line: dict = field(default_factory=dict)  # file -> line of its first block/resource
    files: list = field(default_factory=list)


def load_unit(unit, tf_inputs=None, cfn_inputs=None) -> UnitResult:
    if unit.kind == "terraform":
        return _load_terraform(unit, tf_inputs)
    if unit.kind == "cloudformation":
        return _load_cloudformation(unit, cfn_inputs)
    if unit.kind == "plan":
        return _load_plan(unit)
    raise ValueError(f"unknown unit kind {unit.kind}")


def _load_terraform(unit, inputs) -> UnitResult:
    from .evaluate.terraform import evaluate_module

    module = evaluate_module(unit, inputs)
    out = UnitResult("terraform", unit.display_dir, module.resources, module.problems, module.comments,
                     files=module.files)
    for block in module.first_blocks:
        out.first_block_line.setdefault(block.file, block.line)
    return out


def _load_cloudformation(unit, inputs) -> UnitResult:
    from .evaluate.cloudformation import evaluate_template
    from .parsers.cloudformation import CfnParseError, is_cloudformation, parse_cloudformation

    display = unit.file.display
    out = UnitResult("cloudformation", display, files=[display])
    try:
        doc = parse_cloudformation(unit.file.text, display)
    except CfnParseError as exc:
        out.problems.append(exc.problem)
        return out
    if not is_cloudformation(doc.value):
        return out
    resources_span = doc.spans.get(("Resources",))
    out.comments = doc.comments
    out.first_block_line[display] = resources_span.line if resources_span else 1
    try:
        out.resources = evaluate_template(doc, inputs)
    except RecursionError:
        out.problems.append(ParseProblem(Span.point(display, 1), "template is nested too deeply to evaluate"))
    return out


def _load_plan(unit) -> UnitResult:
    display = unit.file.display
    out = UnitResult("plan", display, files=[display])
    try:
        from .parsers.plan import load_plan
    except ImportError:
        return out
    resources, problems = load_plan(unit.file.data, display)
    out.resources, out.problems = resources, problems
    return out

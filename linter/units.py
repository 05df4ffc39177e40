"""Load one unit (a Terraform module, a CloudFormation template, a plan) into graph resources.

A unit's result is self-contained and picklable, so units can load in parallel worker processes.
"""
from __future__ import annotations

import re
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
    nested_files: list = field(default_factory=list)  # child templates read as nested stacks of this unit
    stack_templates: list = field(default_factory=list)  # Terraform: templates its CloudFormation stacks deploy
    idle_files: list = field(default_factory=list)  # Terraform module dirs this unit calls with no instance
    notes: list = field(default_factory=list)  # what was not analysed and why (extra YAML documents ...)
    # coverage: module calls whose source was not read, files skipped whole (never silent, design §3)
    unread_modules: list = field(default_factory=list)  # [{module, source, file, line, column, reason, hint}]
    skipped_files: list = field(default_factory=list)  # [{file, reason}]
    input_errors: list = field(default_factory=list)  # values given by the user that cannot be right (exit 2)
    # Terraform: why no rule judges this root (it names a non-production environment); set by the engine
    not_judged: str = ""
    # CloudFormation: the deployment scenarios its parameters allow (evaluate/scenarios.py), judged by the engine
    scenario_groups: list = field(default_factory=list)
    # Terraform: the workspace (evaluate/workspace.Workspace) when the configuration reads a known terraform.workspace
    workspace: object = None
    deployment: object = None  # the configured deployment's name it was evaluated for (engine._load_deployment)


# What each kind's loader imports on first use (lazily: a Terraform-only scan never loads YAML)
LOADER_MODULES = {
    "terraform": ("rlint.evaluate.terraform_modules",),
    "cloudformation": ("rlint.evaluate.cfn_refs", "rlint.evaluate.cloudformation", "rlint.evaluate.nested",
                       "rlint.evaluate.scenarios", "rlint.parsers.cloudformation"),
}


def import_loaders(kinds) -> None:
    """Import the loaders of these unit kinds before any unit loads, as objects that live as long as the
    process (collection.long_lived); worker processes forked afterwards inherit them. A module left out here
    is still imported where it is used."""
    import importlib

    from .collection import long_lived

    with long_lived():
        for kind in sorted(kinds):
            for name in LOADER_MODULES.get(kind, ()):
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - imported again by the loader, whose failure is an RL001
                    pass


def load_unit(unit, tf_inputs=None, cfn_inputs=None) -> UnitResult:
    """Load one unit. Whatever goes wrong inside (a defect of rlint's on input nobody foresaw) is an RL001
    finding for this unit, and the scan goes on with the others: never a traceback."""
    loaders = {"terraform": lambda: _load_terraform(unit, tf_inputs),
               "cloudformation": lambda: _load_cloudformation(unit, cfn_inputs),
               "plan": lambda: _load_plan(unit)}
    if unit.kind not in loaders:
        raise ValueError(f"unknown unit kind {unit.kind}")
    try:
        return loaders[unit.kind]()
    except Exception as exc:  # noqa: BLE001 - one unit must not end the scan of the others
        return _failed(unit, exc)


def _failed(unit, exc: Exception) -> UnitResult:
    if unit.kind == "terraform":
        name, files = unit.display_dir, [f.display for f in unit.files]
    else:
        name, files = unit.file.display, [unit.file.display]
    what = "module" if unit.kind == "terraform" else "template" if unit.kind == "cloudformation" else "plan"
    where = Span.point(files[0] if files else name, 1)
    message = (f"rlint could not evaluate this {what} ({exc.__class__.__name__}: {exc}); its resources are not "
               f"checked, the rest of the scan went on. Please report it with the file.")
    return UnitResult(unit.kind, name, problems=[ParseProblem(where, message)], files=files)


def _load_terraform(unit, inputs) -> UnitResult:
    from .evaluate.terraform_modules import evaluate_module

    module = evaluate_module(unit, inputs)
    out = UnitResult("terraform", unit.display_dir, module.resources, module.problems, module.comments,
                     files=module.files, nested_files=module.module_dirs, idle_files=module.idle_module_dirs,
                     unread_modules=module.unread_modules, skipped_files=module.skipped_files,
                     input_errors=module.input_errors, workspace=module.workspace)
    if module.workspace is not None:  # findings say which workspace they were judged in
        for res in module.resources:
            res.meta["workspace"] = module.workspace.name
    for block in module.first_blocks:
        out.first_block_line.setdefault(block.file, block.line)
    if any("stack_template" in res.meta for res in module.resources):
        _add_stack_templates(out, getattr(inputs, "region", None))
    return out


def _add_stack_templates(out: UnitResult, region) -> None:
    """The CloudFormation templates the unit's stacks deploy, evaluated with what each stack passes."""
    from .evaluate.terraform_stacks import load_stack_templates

    stacks = load_stack_templates(out.resources, region)
    said = next((r.meta["environments"] for r in out.resources if "environments" in r.meta), None)
    if said:  # a template deployed by this root is in this root's environment (rules/data_value.py: test-only)
        for res in stacks.resources:
            res.meta["environments"] = said
    out.resources.extend(stacks.resources)
    out.problems.extend(stacks.problems)
    out.comments = list(out.comments) + stacks.comments
    out.files.extend(f for f in dict.fromkeys(stacks.files) if f not in out.files)
    out.first_block_line.update(stacks.first_block_line)
    out.notes.extend(stacks.notes)
    out.skipped_files.extend(s for s in stacks.skipped if s not in out.skipped_files)
    out.stack_templates = list(dict.fromkeys(stacks.files + [s["file"] for s in stacks.skipped]))


def _load_cloudformation(unit, inputs) -> UnitResult:
    from .evaluate.cfn_refs import undefined_references
    from .evaluate.cloudformation import TemplateEvaluator
    from .evaluate.nested import load_nested
    from .evaluate.scenarios import scenario_groups
    from .discover import generator_template
    from .parsers.cloudformation import CfnParseError, is_cloudformation, parse_cloudformation

    display = unit.file.display
    out = UnitResult("cloudformation", display, files=[display])
    try:
        doc = parse_cloudformation(unit.file.text, display)
    except CfnParseError as exc:
        template = generator_template(unit.file.text)
        if template is None:
            out.problems.append(exc.problem)
        else:
            out.skipped_files.append({"file": display, **template})
        return out
    if not is_cloudformation(doc.value):
        embedded = embedded_cloudformation(doc.value)
        if embedded:
            out.skipped_files.append({"file": display, "reason": f"CloudFormation resources under `{embedded}` "
                                      "(a Serverless Framework file) are not read; rlint reads templates"})
        return out
    if _SERVERLESS_VARIABLE.search(unit.file.text or ""):
        # `${opt:stage}`, `${self:...}`, `${file(...)}`: a resources file a serverless.yml includes, whose
        # variables the framework fills in before CloudFormation sees it (CloudFormation itself rejects them)
        out.skipped_files.append({"file": display, "reason": "a Serverless Framework resources file (it uses the "
                                  "framework's ${opt:/self:/sls:/file(...)} variables); rlint reads templates"})
        return out
    resources_span = doc.spans.get(("Resources",))
    out.comments = doc.comments
    out.first_block_line[display] = resources_span.line if resources_span else 1
    extra = getattr(doc, "extra_documents", 0)
    if extra:
        out.notes.append(f"{display}: only the first YAML document is analysed; {extra} more skipped")
    try:
        evaluator = TemplateEvaluator(doc, inputs)
        out.resources = evaluator.evaluate_resources()
        out.scenario_groups = scenario_groups(evaluator, out.resources)
        out.notes.extend(f"{display}: {text}" for _path, text in evaluator.notes)
        out.input_errors.extend(f"{display}: {text}" for text in evaluator.input_errors)
        out.problems.extend(undefined_references(doc, evaluator))
        nested = load_nested(out.resources, unit.file.path, display, inputs)
    except RecursionError:
        out.problems.append(ParseProblem(Span.point(display, 1), "template is nested too deeply to evaluate"))
        return out
    out.resources.extend(nested.resources)
    out.problems.extend(nested.problems)
    out.comments = list(out.comments) + nested.comments
    out.files.extend(nested.files)
    out.nested_files = nested.files
    out.first_block_line.update(nested.first_block_line)
    out.notes.extend(nested.notes)
    return out


_SERVERLESS_VARIABLE = re.compile(r"\$\{(?:opt|self|sls|file|cf|ssm|env|s3|param):?[^}]*[:(]")


def embedded_cloudformation(value) -> str:
    """Where a YAML/JSON document that is not a template holds CloudFormation resources (serverless.yml's
    `resources.Resources`), or ""."""
    from .parsers.cloudformation import is_cloudformation

    if isinstance(value, dict):
        for key in ("resources", "Resources"):
            inner = value.get(key)
            if isinstance(inner, dict) and "Resources" in inner and is_cloudformation({"Resources": inner["Resources"]}):
                return f"{key}.Resources"
    return ""


def _load_plan(unit) -> UnitResult:
    display = unit.file.display
    out = UnitResult("plan", display, files=[display])
    try:
        from .parsers.plan import load_plan
    except ImportError:
        return out
    resources, problems = load_plan(unit.file.data, display, unit.file.path)
    out.resources, out.problems = resources, problems
    return out

"""Nested stacks: an `AWS::CloudFormation::Stack` whose `TemplateURL` is a local path (the form
`aws cloudformation package` and `sam package` rewrite to S3 URLs) is read and evaluated with the
`Parameters` the parent passes, when their values are known.

Child resources are addressed `<StackLogicalId>.<ChildLogicalId>` and positioned in the child file; their
references are prefixed the same way, so graph edges stay inside the child. A child file that is also
scanned on its own is analysed only as a child (the engine drops the standalone copy), so its findings
are not reported twice with different parameter values.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


MAX_DEPTH = 5


@dataclass
class NestedResult:
    resources: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    files: list = field(default_factory=list)  # display paths of the child templates read
    first_block_line: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # [{file, reason}]: templates a stack deploys, not analysed


def local_template(url) -> bool:
    """A relative or absolute file path to a template (what `aws cloudformation package` uploads)."""
    return isinstance(url, str) and "://" not in url and url.strip().lower().endswith(
        (".yaml", ".yml", ".json", ".template"))


def parameter_text(v) -> Optional[str]:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, str)):
        return str(v)
    if isinstance(v, list) and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
        return ",".join(str(x) for x in v)
    return None  # Unknown, maps, nested unknowns: the child falls back to its own Default


def _passed(stack, name: str, value) -> tuple:
    """Where the value a parent stack passes to a child's parameter is written: the parent's `Parameters`
    entry, and, when that is a `Ref` or another function, where its own value comes from."""
    from ..model import Origin

    path = ("Properties", "Parameters", name)
    further = (stack.meta.get("origins") or {}).get(path) or ()
    return (Origin("stack parameter", f"{stack.address}.Parameters.{name}", stack.attr_spans.get(path),
                   written=not further and isinstance(value, (str, int, float, bool))),) + tuple(further)


def load_nested(resources: list, parent_path: Path, parent_display: str, inputs, depth: int = 0,
                seen: tuple = ()) -> NestedResult:
    from .cloudformation import CfnInputs, PSEUDO_PARAMETERS
    from ..discover import decode

    out = NestedResult()
    for stack in resources:
        if stack.type != "AWS::CloudFormation::Stack":
            continue
        props = stack.attrs.get("Properties")
        url = props.get("TemplateURL") if isinstance(props, dict) else None
        if not local_template(url):
            continue
        child_path = (parent_path.parent / url).resolve()
        child_display = os.path.normpath(os.path.join(os.path.dirname(parent_display), url)).replace(os.sep, "/")
        if child_path in seen or depth >= MAX_DEPTH:
            out.notes.append(f"{parent_display}: nested stack {stack.address} ({url}) not read: "
                             f"{'a cycle' if child_path in seen else 'nested too deeply'}")
            continue
        try:
            data = child_path.read_bytes()
        except OSError as exc:
            # not a problem of this template: the file may be generated or uploaded by another step
            out.notes.append(f"{parent_display}: nested stack {stack.address}: {url} cannot be read "
                             f"({exc.strerror or exc}); its resources are not analysed")
            continue
        text = decode(data, child_display, out.problems)
        doc = read_template(child_display, text, out.problems) if text is not None else None
        if doc is None:
            continue
        given = props.get("Parameters") if isinstance(props.get("Parameters"), dict) else {}
        bound = {k: t for k, t in ((k, parameter_text(v)) for k, v in given.items()) if t is not None}
        # deploy-time values given for the parent (AWS::Region ...) hold for the child too
        bound.update({k: v for k, v in inputs.parameters.items() if k in PSEUDO_PARAMETERS} if inputs else {})
        unknown = {k: f"the parent stack {stack.address} passes a value not known before deployment"
                   for k in given if k not in bound}
        children = adopt(out, stack, doc, child_display,
                         CfnInputs(parameters=bound, unknown_parameters=unknown,
                                   origins={k: _passed(stack, k, given[k]) for k in bound if k in given}))
        prefix = stack.address + "."
        deeper = load_nested(children, child_path, child_display, inputs, depth + 1, seen + (child_path,))
        merge(out, deeper, prefix)
    return out


def read_template(display: str, text: str, problems: list):
    """The parsed template, or None when the text is not one (a parse error is a problem: RL001)."""
    from ..parsers.cloudformation import CfnParseError, is_cloudformation, parse_cloudformation

    try:
        doc = parse_cloudformation(text, display)
    except CfnParseError as exc:
        problems.append(exc.problem)
        return None
    return doc if is_cloudformation(doc.value) else None


def adopt(out: NestedResult, stack, doc, display: str, inputs) -> list:
    """The template evaluated with the inputs `stack` gives it, its resources addressed
    `<stack address>.<LogicalId>` and added to `out`; the stack's parameters left unbound are noted on each."""
    from .cloudformation import evaluate_template

    children = evaluate_template(doc, inputs)
    prefix = stack.address + "."
    unbound = sorted(inputs.unknown_parameters)
    for child in children:
        child.address = prefix + child.address
        child.block_address = prefix + (child.block_address or "")
        child.refs = [(p, prefix + t, a) for p, t, a in child.refs]
        child.meta["nested_stack"] = stack.address
        child.meta["unbound_parameters"] = unbound
    out.resources.extend(children)
    out.comments.extend(doc.comments)
    out.files.append(display)
    resources_span = doc.spans.get(("Resources",))
    out.first_block_line[display] = resources_span.line if resources_span else 1
    return children


def merge(out: NestedResult, deeper: NestedResult, prefix: str) -> None:
    for res in deeper.resources:
        res.address = prefix + res.address
        res.block_address = prefix + (res.block_address or "")
        res.refs = [(p, prefix + t, a) for p, t, a in res.refs]
    out.resources.extend(deeper.resources)
    out.problems.extend(deeper.problems)
    out.comments.extend(deeper.comments)
    out.files.extend(deeper.files)
    out.first_block_line.update(deeper.first_block_line)
    out.notes.extend(deeper.notes)
    out.skipped.extend(deeper.skipped)

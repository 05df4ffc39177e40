"""CloudFormation templates deployed by Terraform: an `aws_cloudformation_stack` (or `_stack_set`) whose
`template_body` is `file(PATH)` or `templatefile(PATH, VARS)` of a file rlint can read.

The template is evaluated as the stack deploys it, with the machinery of nested stacks (nested.py): the
`parameters` Terraform passes (a value Terraform knows only at apply stays `unknown`, with Terraform's
reason), and the Region of the stack's provider as `AWS::Region` (a stack set's instances name their own
Regions: unknown). Its resources are addressed `<stack address>.<LogicalId>` (`aws_cloudformation_stack.app["a"].Db`
for each instance of a counted stack) and positioned in the template file; the template's standalone copy is
not reported (engine._drop_nested_copies), unless it is a configured deployment of its own.

A `templatefile()` body is rendered as Terraform renders it when its variables are known; otherwise, or when
the rendering adds or removes lines (positions would not match the file), the template is not analysed and the
unit lists it as skipped, with the reason (never silently).
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..model import Span, Unknown

STACK_TYPES = ("aws_cloudformation_stack", "aws_cloudformation_stack_set")
_MARK = "RLINT_TEMPLATEFILE_END"


@dataclass
class StackSource:
    """What a stack's `template_body` names, read while its Terraform module is evaluated."""

    function: str  # "file" | "templatefile"
    path: Optional[str] = None  # the template file, absolute; None when the path is not known
    display: Optional[str] = None  # the file as reports show it
    variables: Any = None  # templatefile(): the variables (a dict, or Unknown)
    reason: Optional[str] = None  # why the path is not known
    origins: dict = field(default_factory=dict)  # parameter name -> (Origin, ...) where Terraform writes it


def stack_source(ev, block, hf, scope: dict, address: str) -> Optional[StackSource]:
    """The template a stack block's `template_body` reads from a file (None for an inline body or a URL).
    `ev` is the module's evaluator; paths are resolved as Terraform resolves them: relative to the root module
    directory (Terraform's working directory), `path.module` and `path.root` to their directories."""
    from .provenance import unwrap

    attr = block.body.attributes.get("template_body")
    if attr is None:
        return None
    call = _call_in(unwrap(attr.expr))
    if call is None:
        return None
    name = hf.source[call.named_children[0].start_byte:call.named_children[0].end_byte].decode(errors="replace")
    if name not in ("file", "templatefile"):
        return None
    args_node = next((c for c in call.named_children if c.type == "function_arguments"), None)
    args = [c for c in args_node.named_children if c.type == "expression"] if args_node else []
    out = StackSource(name)
    if not args:
        out.reason = f"{name}() has no path"
        return out
    evaluator = ev.evaluator(hf)
    with ev._quiet():  # the path and variables are no graph edges of the stack
        path = evaluator.eval(args[0], scope)
        if name == "templatefile":
            out.variables = evaluator.eval(args[1], scope) if len(args) > 1 else \
                Unknown("templatefile() is called without variables")
    if isinstance(path, Unknown) or not isinstance(path, str):
        out.reason = f"the path given to {name}() is not known" + \
            (f" ({path.reason})" if isinstance(path, Unknown) else "")
    else:
        from_path_values = "path." in evaluator.text(args[0])
        # read only where file() reads: under the scanned directory or the module's own (files.FileReader)
        reader = getattr(ev, "file_reader", None)
        found = reader.locate(name, path, from_path_values) if reader is not None else None
        if isinstance(found, Unknown):
            out.reason = found.reason
        elif found is not None:
            out.path, out.display = _shown(ev, found[0])
        else:
            out.path, out.display = _resolve(ev, path, from_path_values)
    out.origins = _parameter_origins(ev, block, hf, address)
    return out


def _call_in(node):
    """The function call an expression is: `file(...)`, or `"${file(...)}"` (a template of one interpolation,
    whose value is that of the call)."""
    inner = node.named_children[0] if node is not None and node.named_children else None
    if inner is not None and inner.type == "template_expr":
        parts = [c for c in inner.named_children[0].named_children
                 if c.type not in ("comment", "quoted_template_start", "quoted_template_end")] \
            if inner.named_children else []
        if len(parts) == 1 and parts[0].type == "template_interpolation":
            expr = next((c for c in parts[0].named_children if c.type == "expression"), None)
            from .provenance import unwrap

            inner = unwrap(expr).named_children[0] if expr is not None and unwrap(expr).named_children else None
    return inner if inner is not None and inner.type == "function_call" else None


def _resolve(ev, path: str, from_path_values: bool) -> tuple:
    """(absolute path, display path) of a path string as Terraform reads it. rlint's `path.module` and
    `path.root` are display directories, so a path built from them is relative to the module's display
    directory; a literal relative path is relative to the root module (Terraform's working directory)."""
    directory = Path(ev.directory).resolve()
    if os.path.isabs(path):
        real = Path(path)
    else:
        shown = directory / os.path.relpath(path, ev.display_dir or ".")
        literal = Path(getattr(ev, "root_dir", ev.directory)).resolve() / path
        # a variable holding a path a caller built from path.module reads like a literal: the other reading
        # is taken when only it names a file
        first, other = (shown, literal) if from_path_values else (literal, shown)
        real = other if not first.is_file() and other.is_file() else first
    return _shown(ev, real)


def _shown(ev, path: Path) -> tuple:
    """(the path, normalised, and as reports show it: from the module's display directory)."""
    real = Path(os.path.normpath(path))
    directory = Path(ev.directory).resolve()
    display = posixpath.normpath(posixpath.join(ev.display_dir or ".", Path(os.path.relpath(real, directory)).as_posix()))
    return str(real), display


def _parameter_origins(ev, block, hf, address: str) -> dict:
    """parameter name -> where Terraform writes the value the stack passes: the `parameters` entry, then the
    variable or local it reads (the same hops as any Terraform value)."""
    from .provenance import member

    attr = block.body.attributes.get("parameters")
    if attr is None:
        return {}
    out = {}
    node = attr.expr
    names = _object_keys(node)
    for key in names:
        if member(node, key) is None:
            continue
        out[key] = ev._hop("stack parameter", f"{address}.parameters.{key}", node, hf, (key,), 0)
    return out


def _object_keys(node) -> list:
    """The keys written in an object constructor (`{ Name = ... }`), [] for any other expression."""
    from .provenance import _key_name, unwrap

    node = unwrap(node)
    kids = [c for c in node.named_children] if node is not None else []
    if len(kids) != 1 or kids[0].type != "collection_value":
        return []
    coll = kids[0].named_children[0]
    if coll.type != "object":
        return []
    out = []
    for elem in coll.named_children:
        if elem.type == "object_elem":
            exprs = [c for c in elem.named_children if c.type == "expression"]
            key = _key_name(exprs[0]) if exprs else None
            if isinstance(key, str):
                out.append(key)
    return out


# -- rendering templatefile() ---------------------------------------------------------------------------
def render(text: str, variables: Any, display: str) -> Any:
    """The text `templatefile()` renders from `text` with `variables`, or an Unknown saying why not."""
    if "${" not in text and "%{" not in text:
        return text
    if isinstance(variables, Unknown):
        return Unknown(f"its variables are not known ({variables.reason})")
    if not isinstance(variables, dict):
        return Unknown("its variables are not an object")
    from ..parsers.terraform import parse_hcl
    from .hcl_expr import ExprEvaluator, traverse

    body = text if text.endswith("\n") else text + "\n"
    if _MARK in body:
        return Unknown(f"it holds the text {_MARK}")
    source = f"v = <<{_MARK}\n{body}{_MARK}\n".encode()
    parsed = parse_hcl(source, display)
    attr = parsed.body.attributes.get("v")
    if parsed.problems or attr is None:
        return Unknown("it is not a template Terraform can render (a syntax error)")

    def resolve(name, steps, scope, _ev):
        if name not in variables:
            return Unknown(f"error: the template reads {name}, which templatefile() is not given")
        return traverse(variables[name], steps)

    value = ExprEvaluator(source, resolve).eval(attr.expr, {})
    if isinstance(value, Unknown):
        return Unknown(f"a value it interpolates is not known ({value.reason})")
    if not isinstance(value, str):
        return Unknown("it does not render to text")
    return value if text.endswith("\n") else value[:-1]


# -- loading the templates of a unit's stacks --------------------------------------------------------------
def load_stack_templates(resources: list, region: Optional[str] = None):
    """A NestedResult with the resources of every template the unit's stacks deploy from readable files, and
    `skipped` [{file, reason}] for templates a stack deploys that rlint cannot evaluate. `region`: the
    Region a deployment gives the root, for providers that name none."""
    from ..discover import decode
    from ..inputs import CfnInputs
    from .nested import NestedResult, adopt, load_nested, merge, parameter_text, read_template

    out = NestedResult()
    for stack in resources:
        source = stack.meta.get("stack_template") if stack.type in STACK_TYPES else None
        if source is None:
            continue
        what = f"{stack.address} ({source.function}())"
        if source.path is None:
            out.notes.append(f"{stack.file}: the template of {what} is not read: {source.reason}")
            continue
        try:
            data = Path(source.path).read_bytes()
        except OSError as exc:
            # generated or downloaded by another step: not a problem of this configuration
            out.notes.append(f"{stack.file}: {what}: {source.display} cannot be read ({exc.strerror or exc}); "
                             f"its resources are not analysed")
            continue
        text = decode(data, source.display, out.problems)
        if text is None:
            continue
        if source.function == "templatefile":
            rendered = render(text, source.variables, source.display)
            if isinstance(rendered, Unknown):
                out.skipped.append({"file": source.display, "reason": f"{what} deploys it rendered by Terraform, "
                                    f"and rlint cannot render it: {rendered.reason}"})
                continue
            if rendered.count("\n") != text.count("\n"):
                out.skipped.append({"file": source.display, "reason": f"{what} deploys it rendered by Terraform, "
                                    "which adds or removes lines: findings could not be positioned in the file"})
                continue
            if rendered != text:
                stack.meta["stack_rendered"] = True
            text = rendered
        doc = read_template(source.display, text, out.problems)
        if doc is None:
            out.skipped.append({"file": source.display, "reason": f"{what} deploys it, but it is not a "
                                "CloudFormation template rlint can read"})
            continue
        inputs = _stack_inputs(stack, doc, source, region, parameter_text)
        children = adopt(out, stack, doc, source.display, inputs)
        where = _region_of(stack, inputs)
        for child in children:
            child.meta["stack_region"] = where  # (Region or None, what decides it): graphutil.regions
            if stack.meta.get("stack_rendered"):
                child.meta["rendered_by"] = f"templatefile() of {stack.address}"
        deeper = load_nested(children, Path(source.path), source.display,
                             CfnInputs(parameters={k: v for k, v in inputs.parameters.items() if k.startswith("AWS::")}))
        merge(out, deeper, stack.address + ".")
    return out


def _region_of(stack, inputs) -> tuple:
    """(the Region, the scope that decides it): the stack's provider (`provider`, its module, its name), or
    for a stack set its own instances."""
    region = inputs.parameters.get("AWS::Region")
    if stack.type == "aws_cloudformation_stack_set":
        return None, ("stack", stack.address)
    module = ".".join((stack.block_address or stack.address).split(".")[:-2])
    return region, ("provider", module, stack.meta.get("provider"))


def _stack_inputs(stack, doc, source: StackSource, region: Optional[str], parameter_text):
    """The parameters the stack passes (known values as text, the others unknown with Terraform's reason) and
    the Region it is created in."""
    from ..inputs import CfnInputs

    declared = doc.value.get("Parameters") if isinstance(doc.value.get("Parameters"), dict) else {}
    given = stack.attrs.get("parameters")
    bound, unknown = {}, {}
    if isinstance(given, Unknown):
        for name in declared:
            unknown[name] = f"{stack.address} passes parameters Terraform knows only at apply ({given.reason})"
    elif isinstance(given, dict):
        for name, value in given.items():
            text = parameter_text(value)
            if text is not None:
                bound[name] = text
            else:
                reason = value.reason if isinstance(value, Unknown) else "not a string, number, bool or list"
                unknown[name] = f"{stack.address} passes parameters.{name}, known only at apply ({reason})"
    where = stack.meta.get("provider_region")
    if stack.type == "aws_cloudformation_stack_set":
        where = None  # its instances (aws_cloudformation_stack_set_instance) name their Regions
    elif not isinstance(where, str) and stack.meta.get("provider") == "aws":
        where = region
    if isinstance(where, str):
        bound["AWS::Region"] = where
    return CfnInputs(parameters=bound, unknown_parameters=unknown,
                     origins={k: source.origins[k] for k in bound if k in source.origins})

"""Where a CloudFormation fix changes a value: where it is set, not over the function that reads it.

A rule writes its fix as `MultiAZ: true`. When the template writes `MultiAZ: !Ref HaEnabled`, writing the
literal over the `Ref` would leave the parameter unused (cfn-lint W2001) and silently override what every
deployment passes. The value's origin (evaluate/cfn_origins, model.Origin as for Terraform) says where it is
set, and the fix changes it there:

- a parameter's `Default` (with the value added to its `AllowedValues` when they do not list it); stacks
  deployed with an explicit value for the parameter keep theirs;
- the `Mappings` entry the `Fn::FindInMap` keys select;
- the `Fn::If` branch the condition chooses;
- the `Parameters` entry a parent stack passes to a nested stack.

A value given for a deployment, a parameter without a default, a value read by other settings too, or one
computed by another function is not changed: the fix is shown with the reason (FixNotApplicable).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Optional

from ..model import Resource, Span
from .apply import Edit, FixNotApplicable, _append_edit, text_index
from .render import yaml_scalar


@dataclass
class CfnPlaced:
    changes: tuple  # the fix's changes still written in the resources themselves
    at_origin: list = field(default_factory=list)  # [(file, Edit)]: values changed where they are set
    notes: list = field(default_factory=list)  # what those changes affect, for the user


def place_cloudformation(fix, res: Resource, text_of: Callable[[str], Optional[str]], everywhere=None) -> CfnPlaced:
    """The fix with every value that is set elsewhere changed at its origin; FixNotApplicable with the reason
    when an origin cannot be changed. `everywhere(res)` (terraform_place.failing_everywhere): whether the
    finding's rule fails on the resource in every stack that loads its template, when it is a nested stack."""
    if res.meta.get("rendered_by"):
        raise FixNotApplicable(f"{res.file} is rendered by {res.meta['rendered_by']} before it is deployed: rlint "
                               f"does not write into a template Terraform renders; change it by hand")
    kept, at_origin, notes = [], [], []
    for change in _in_own_names(fix.changes, res):
        target = getattr(change, "target", None) or res
        attr = getattr(change, "attr", None)
        hops = None
        if attr is not None and target.format == "cloudformation" and change.__class__.__name__ == "SetAttribute":
            path = attr.path_in(target)
            origins = target.meta.get("origins")
            hops = origins.every(path) if path and hasattr(origins, "every") else None
        if not hops:
            kept.append(change)
            continue
        spelled = ".".join(str(p) for p in path)
        for chain in hops:  # every place a deployment may take the value from
            try:
                found = _at_origin(change.value, chain, spelled, text_of, origins.written)
            except (KeyError, IndexError, TypeError, ValueError) as exc:  # a template shape not foreseen
                raise FixNotApplicable(f"`{spelled}` comes from {_via(chain)}, which rlint cannot change "
                                       f"({exc.__class__.__name__})") from exc
            if found is None:
                continue  # it holds the value already
            edits, note = found
            at_origin.extend(e for e in edits if e not in at_origin)
            notes.append(note)
    placed = CfnPlaced(tuple(kept), at_origin, notes)
    if res.meta.get("nested_stack") and everywhere is not None and not everywhere(res) and \
            (any(getattr(c, "attr", None) is not None or c.__class__.__name__ == "AddResource" for c in kept)
             or any(f == res.file for f, _e in at_origin)):
        stacks = "stacks" if "stack_region" in res.meta else "nested stacks"  # Terraform's, or a template's
        raise FixNotApplicable(f"{res.file} is the template of other {stacks} too, where the finding does "
                               f"not hold: change it through the parameters {res.meta['nested_stack']} passes")
    return placed


def _prefix(res: Resource) -> str:
    """What the scan puts before a nested stack's logical ids: `Stack.`, `aws_cloudformation_stack.app["a"].`."""
    return res.address[:len(res.address) - len(res.address.rsplit(".", 1)[-1])]


def _in_own_names(changes: tuple, res: Resource) -> tuple:
    """A nested stack's resources are `Stack.Db` in the scan and `Db` in their own template: what a fix writes
    there names them as the template does, the resources it adds included (`JobsDlq`, not `Stack.JobsDlq`)."""
    if not res.meta.get("nested_stack"):
        return changes
    prefix = _prefix(res)

    def local(v: Any, naming: bool = False) -> Any:
        if isinstance(v, dict):
            return {k: local(x, naming=k in ("Ref", "Fn::GetAtt", "Fn::Sub", "DependsOn")) for k, x in v.items()}
        if isinstance(v, list):
            return [local(x, naming) for x in v]
        if isinstance(v, str) and naming:
            return v[len(prefix):] if v.startswith(prefix) else v.replace("${" + prefix, "${")
        return v

    out = []
    for change in changes:
        for name in ("value", "item", "attrs"):
            if hasattr(change, name):
                change = replace(change, **{name: local(getattr(change, name))})
        if change.__class__.__name__ == "AddResource":
            change = replace(change, name=local(change.name, naming=True),
                             resource_attributes=tuple((k, local(v, naming=k == "DependsOn"))
                                                       for k, v in change.resource_attributes))
        out.append(change)
    return tuple(out)


def in_own_names(fix, res: Resource):
    """The fix of a nested stack's resource (a template an `AWS::CloudFormation::Stack` or Terraform's
    `aws_cloudformation_stack` deploys) in the template's own names: its changes (_in_own_names) and its title,
    where a resource is named as the user finds it, by its logical id in that template (`JobsDlq` in
    templates/app.yaml), not by the scan's address (`aws_cloudformation_stack.app.JobsDlq`, which names no
    resource anywhere)."""
    if not res.meta.get("nested_stack"):
        return fix
    named = re.compile(r"(`?)" + re.escape(_prefix(res)) + r"([A-Za-z0-9]+)(`?)")
    found = list(named.finditer(fix.title))
    title = fix.title
    for i, m in reversed(list(enumerate(found))):
        quoted = m[1] == "`" and m[3] == "`"
        where = f" in {res.file}" if quoted and i == len(found) - 1 else ""
        title = title[:m.start()] + (f"`{m[2]}`{where}" if quoted else m[1] + m[2] + m[3]) + title[m.end():]
    return replace(fix, title=title, changes=_in_own_names(fix.changes, res))


def _via(hops: tuple) -> str:
    return " -> ".join(h.name for h in hops)


def _at(span: Optional[Span]) -> str:
    return f"{span.file}:{span.line}" if span is not None else "?"


def _at_origin(value: Any, hops: tuple, spelled: str, text_of, written: Callable[[str], Any]) -> tuple:
    """([(file, Edit)], note) that set `value` where the property's value is written; None when it is there.
    `written(file)`: the template's parsed value as the scan read it, or None (then the file is read again)."""
    last = hops[-1]
    wanted = json.dumps(value)
    via = _via(hops)
    if _is_expression(value):
        raise FixNotApplicable(f"`{spelled}` is set by {via}, which cannot hold the value the fix needs "
                               f"({wanted}): set it in the resource instead of {hops[0].name}")
    if last.kind == "parameter value":
        raise FixNotApplicable(f"`{spelled}` comes from parameter {last.name}, {last.detail}: give it {wanted} there")
    if last.kind == "no value":
        raise FixNotApplicable(f"`{spelled}` comes from {via}, which has no Default: give it {wanted} in each "
                               f"deployment's parameters (rlint changes values that are written, and adds none)")
    if not last.written or last.span is None:
        detail = f": {last.detail}" if last.detail else ""
        raise FixNotApplicable(f"`{spelled}` comes from {via}, computed there ({_at(last.span)}{detail}): change "
                               f"it so it gives {wanted}")
    text = text_of(last.span.file)
    if text is None:
        raise FixNotApplicable(f"cannot read {last.span.file}")
    index = text_index(text)
    if last.kind == "stack parameter" and last.span.file.endswith(".tf"):
        return _terraform_parameter(value, last, index)
    json_file = _is_json_text(text)
    if _holds(_nested(value, last.keys), last.span, index, keyed=last.kind != "condition branch"):
        return None
    if last.kind == "parameter default":
        name = last.name.split(".")[1]
        doc = _template(last.span.file, text)  # read again only where the value must change
        return _parameter_default(name, value, last.span, doc, index, json_file), \
            f"set {wanted} as the Default of parameter {name} at {_at(last.span)} (every deployment that does " \
            f"not give {name} a value; stacks deployed with an explicit value for it keep theirs)"
    if last.kind == "mapping entry":
        _, table, key, item = last.name.split(".", 3)
        template = written(last.span.file)
        if template is None:
            template = _template(last.span.file, text).value
        _only_reader(template, table, item, spelled, last.name)
        entry = _mapping_value(template, table, key, item)
        return [(last.span.file, _replace_entry(last.span, _as_written(value, entry, json_file), index))], \
            f"set {wanted} in {last.name} at {_at(last.span)} (every deployment whose keys select {table}.{key})"
    if last.kind == "condition branch":
        new = _nested(value, last.keys)
        rendered = json.dumps(new) if json_file or not isinstance(new, (str, int, float, bool)) else yaml_scalar(new)
        return [(last.span.file, _replace_node(last.span, rendered, index))], \
            f"set {wanted} in the {last.name.split('(', 1)[1].rstrip(')')} of {last.name.split(' (')[0]} at " \
            f"{_at(last.span)} (the deployments where that branch is chosen)"
    if last.kind == "stack parameter":
        return [(last.span.file, _replace_entry(last.span, json.dumps(_text(value)), index))], \
            f"pass {json.dumps(_text(value))} as {last.name} at {_at(last.span)} (this nested stack only)"
    raise FixNotApplicable(f"`{spelled}` comes from {via} ({_at(last.span)}): change it there")


def _terraform_parameter(value: Any, hop, index) -> Optional[tuple]:
    """The value an `aws_cloudformation_stack` passes in its `parameters`, written as an HCL string there (a
    stack parameter is a string; Terraform writes the same text)."""
    start, end = index.offset(hop.span.line, hop.span.column), index.offset(hop.span.end_line, hop.span.end_column)
    wanted = _text(value)
    written = index.text[start:end].strip()
    if written == json.dumps(wanted) or written == wanted:  # "true", or a number or bool written bare
        return None
    if "${" in wanted or "%{" in wanted:
        raise FixNotApplicable(f"{hop.name} would need a template sequence in HCL: set it by hand")
    stack = hop.name.rsplit(".parameters.", 1)[0]
    return [(hop.span.file, _replace_node(hop.span, json.dumps(wanted), index))], \
        f"pass {json.dumps(wanted)} as {hop.name} at {_at(hop.span)} (every instance of {stack})"


def _holds(value: Any, span: Span, index, keyed: bool) -> bool:
    """Whether the text at `span` already gives `value` (as CloudFormation reads it: "true" is true)."""
    import yaml

    start, end = index.offset(span.line, span.column), index.offset(span.end_line, span.end_column)
    written = index.text[start:end]
    if keyed:
        written = written.partition(":")[2]
    try:
        old = _loaded(written)
    except yaml.YAMLError:
        return False
    return old == value or not isinstance(old, (dict, list)) and old is not None and _text(old) == _text(value)


@lru_cache(maxsize=1024)
def _loaded(written: str) -> Any:
    """The value a setting's text gives (read, not changed: the same few texts recur, ` true`, ` 7`)."""
    import yaml

    return yaml.safe_load(written)


def _is_expression(value: Any) -> bool:
    """A value that names something (a Ref, a function, a copied setting): a default or a map holds constants."""
    if isinstance(value, dict):
        return any(isinstance(k, str) and (k == "Ref" or k.startswith("Fn::")) for k in value) or \
            any(_is_expression(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_expression(v) for v in value)
    return not isinstance(value, (str, int, float, bool)) and value is not None


def _text(value: Any) -> str:
    """A parameter's value as CloudFormation passes it: a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _nested(value: Any, keys: tuple) -> Any:
    for key in reversed(keys):
        value = {key: value}
    return value


# -- the template the origin is in ----------------------------------------------------------------------
@lru_cache(maxsize=8)
def _template(path: str, text: str):
    from ..parsers.cloudformation import CfnParseError, parse_cloudformation

    try:
        return parse_cloudformation(text, path)
    except CfnParseError as exc:
        raise FixNotApplicable(f"cannot read {path}") from exc


def _is_json_text(text: str) -> bool:
    from ..parsers.cloudformation import looks_like_json

    return looks_like_json(text)


def _uses(template: dict, name: str) -> int:
    from ..evaluate.cloudformation import _parameter_uses

    return _parameter_uses(template, {name}).get(name, 0)


def _only_reader(template, table: str, item: str, spelled: str, entry: str) -> None:
    """An entry read by other settings too is changed for all of them: only one `Fn::FindInMap` may read it."""
    readers = 0
    stack = [v for k, v in template.items() if k != "Mappings"] if isinstance(template, dict) else []
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            arg = v.get("Fn::FindInMap") if len(v) == 1 else None
            if isinstance(arg, list) and len(arg) >= 3 and arg[0] == table and (arg[2] == item or isinstance(arg[2], dict)):
                readers += 1
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    if readers > 1:
        raise FixNotApplicable(f"`{spelled}` comes from {entry}, which {readers} Fn::FindInMap read: changing it "
                               f"changes them all, so change it by hand")


def _mapping_value(template: dict, table: str, key: str, item: str):
    try:
        return template["Mappings"][table][key][item]
    except (KeyError, TypeError):
        return None


def _as_written(value: Any, written: Any, json_file: bool) -> str:
    """`value` in the type the entry is written in: a string stays a string ("true"), a number a number."""
    if isinstance(written, str):
        return json.dumps(_text(value))
    return json.dumps(value) if json_file else yaml_scalar(value)


# -- parameters -------------------------------------------------------------------------------------------
def _parameter_default(name: str, value: Any, span: Span, doc, index, json_file: bool) -> list:
    template = doc.value if isinstance(doc.value, dict) else {}
    spec = (template.get("Parameters") or {}).get(name) or {}
    ptype = str(spec.get("Type", "String")).strip()
    if ptype.startswith("List<") or ptype == "CommaDelimitedList":
        if not isinstance(value, list):
            raise FixNotApplicable(f"parameter {name} is a list ({ptype}): set the value in the resource")
    elif isinstance(value, (list, dict)):
        raise FixNotApplicable(f"parameter {name} ({ptype}) cannot hold {json.dumps(value)}")
    text = _text(value)
    _check_constraints(name, spec, ptype, text)
    uses = _uses(template, name)
    in_conditions = _uses({"Conditions": template.get("Conditions")}, name)
    # other settings that read it would change too; conditions only matter when their outcome changes
    if uses - in_conditions > 1 or in_conditions and not _conditions_keep(doc, name, text):
        raise FixNotApplicable(f"the value comes from the Default of parameter {name}, which the template reads "
                               f"{uses} times: changing it changes them all, so change it by hand")
    number = ptype == "Number" and not isinstance(spec.get("Default"), str) and not isinstance(value, bool)
    rendered = (json.dumps(value) if number else json.dumps(text)) if json_file else \
        (yaml_scalar(value) if number else _yaml_string(text))
    edits = [(span.file, _replace_entry(span, rendered, index))]
    allowed = spec.get("AllowedValues")
    if isinstance(allowed, list) and text not in [_text(a) for a in allowed]:
        edits.append((span.file, _append_allowed(name, doc, value if number else text, index, json_file)))
    return edits


def _conditions_keep(doc, name: str, text: str) -> bool:
    """Whether every condition decides the same with `text` as the parameter's value as with its Default
    (`HasBackups: !Not [!Equals [!Ref Days, 0]]` stays true when 30 becomes 35)."""
    from ..evaluate.cloudformation import CfnInputs, TemplateEvaluator

    before, after = TemplateEvaluator(doc), TemplateEvaluator(doc, CfnInputs(parameters={name: text}))
    for condition in before.conditions:
        old, new = before.condition(condition), after.condition(condition)
        if not isinstance(old, bool) or old != new:
            return False
    return True


def _yaml_string(text: str) -> str:
    """A YAML string that stays a string (`"true"`, `"7"` quoted; `ENABLED` plain)."""
    plain = yaml_scalar(text)
    return plain if not re.fullmatch(r"[-+]?[0-9.]+", plain) else json.dumps(text)


def _check_constraints(name: str, spec: dict, ptype: str, text: str) -> None:
    """The new Default must satisfy the parameter's own constraints, or CloudFormation rejects every
    deployment that leaves it out."""
    broken = None
    if ptype == "Number":
        try:
            number = float(text)
        except ValueError:
            raise FixNotApplicable(f"parameter {name} is a Number: {text!r} is not one") from None
        for key, bad in (("MinValue", lambda limit: number < limit), ("MaxValue", lambda limit: number > limit)):
            try:
                if key in spec and bad(float(spec[key])):
                    broken = f"{key} {spec[key]}"
            except (TypeError, ValueError):
                pass
    else:
        pattern = spec.get("AllowedPattern")
        if isinstance(pattern, str):
            try:
                if not re.fullmatch(pattern, text):
                    broken = f"AllowedPattern {pattern}"
            except re.error:
                broken = f"AllowedPattern {pattern} (not checked)"
        for key, bad in (("MinLength", lambda n: len(text) < n), ("MaxLength", lambda n: len(text) > n)):
            try:
                if key in spec and bad(int(spec[key])):
                    broken = f"{key} {spec[key]}"
            except (TypeError, ValueError):
                pass
    if broken:
        raise FixNotApplicable(f"parameter {name} allows no {text!r} ({broken}): change the constraint and "
                               f"the Default together")


def _append_allowed(name: str, doc, item: Any, index, json_file: bool) -> Edit:
    """The value added at the end of the parameter's AllowedValues, in the list's own layout."""
    base = ("Parameters", name)
    spans = {k[2:]: s for k, s in doc.spans.items() if len(k) > 2 and k[:2] == base}
    holder = Resource(address=name, type="Parameter", format="cloudformation", attrs={},
                      span=doc.spans.get(base), attr_spans=spans, end_span=doc.spans.get(base),
                      meta={"json": json_file})
    return _append_edit(holder, ("AllowedValues",), item, index)


# -- replacing written text -------------------------------------------------------------------------------
def _replace_entry(span: Span, rendered: str, index) -> Edit:
    """The value of a `key: value` entry (its span holds the key) replaced, the key kept as written."""
    start, end = index.offset(span.line, span.column), index.offset(span.end_line, span.end_column)
    written = index.text[start:end]
    key, sep, old = written.partition(":")
    if not sep or old.strip().startswith(("|", ">")):
        raise FixNotApplicable("cannot replace the value as written (a block scalar)")
    tail = len(written) - len(written.rstrip())  # an end mark past the line break keeps its whitespace
    return Edit(start, end - tail, f"{key}: {rendered}")


def _replace_node(span: Span, rendered: str, index) -> Edit:
    """A node written without a key (a list item: an `Fn::If` branch) replaced."""
    start, end = index.offset(span.line, span.column), index.offset(span.end_line, span.end_column)
    written = index.text[start:end]
    tail = len(written) - len(written.rstrip())
    return Edit(start, end - tail, rendered)

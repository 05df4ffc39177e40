"""Missing resources (`AddResource`) written into the configuration.

Several findings of a unit may ask for the same resource (every uncovered database asks for the same
backup plan): additions with the same kind, type and name are merged, their list attributes concatenated,
and written once per unit, as one insertion: at the end of a Terraform file, after the last resource of a
CloudFormation template (YAML or JSON, with the template's own indentation), or to a new Terraform file
(`rlint fix --generate`). Additions that name a
resource the unit already has are dropped.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from .apply import Edit, FixNotApplicable, indent_unit, last_content_line, text_index
from .hcl_align import align_like_fmt
from .render import ListExpr, hcl_body, hcl_list_expression, is_json, yaml_lines


def is_addition(change) -> bool:
    return change.__class__.__name__ == "AddResource"


def merge(additions: list) -> list:
    """One addition per (kind, type, name), in first-seen order, list attributes concatenated."""
    merged: dict = {}
    for add in additions:
        key = (add.kind, add.type, add.name)
        merged[key] = replace(merged[key], attrs=_merge_values(merged[key].attrs, add.attrs)) \
            if key in merged else add
    return list(merged.values())


def _merge_values(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for k, v in new.items():
            out[k] = _merge_values(old[k], v) if k in old else v
        return out
    if isinstance(old, list) and isinstance(new, list) and not any(isinstance(i, dict) and i.get("__block__")
                                                                    for i in old + new):
        return old + [v for v in new if v not in old]
    return old


def missing(additions: list, existing: list) -> list:
    """Drop the additions the unit already has (by Terraform address or CloudFormation logical id)."""
    have = {r.block_address or r.address for r in existing}
    terraform = bool(existing) and existing[0].format == "terraform"

    def present(add) -> bool:
        name = f"{add.type}.{add.name}" if terraform else add.name
        return add.kind == "resource" and any(h == name or h.endswith("." + name) for h in have)

    return [add for add in additions if not present(add)]


def shared_references(additions: list, provider: str):
    """Rewrites the references to what a module shares (`aws_backup_vault.rlint_backup_copy`, `aws.backup_copy`)
    into the names per_provider gives them for a provider that is not the default one (`aws.west`): used for the
    additions themselves and for the edits of a resource of that provider that reference them."""
    suffix = provider.split(".", 1)[1]
    names = {(a.type, a.name) for a in additions if a.shared and a.kind in ("resource", "provider")}

    def rewrite(text: str) -> str:
        for rtype, name in names:
            text = re.sub(rf"(?<![\w.]){re.escape(rtype)}\.{re.escape(name)}\b", f"{rtype}.{name}_{suffix}", text)
        return text

    return rewrite


def per_provider(additions: list, provider: str) -> list:
    """What a module shares, for the resources of a provider that is not its default one (`aws.west`): names
    of its own (`rlint_backup_west`, "rlint-backup-west") and that provider, beside the default's."""
    suffix = provider.split(".", 1)[1]
    references = shared_references(additions, provider)

    def rename(value: Any) -> Any:
        if isinstance(value, str) and "${" in value:
            return references(value)
        if isinstance(value, str) and value.startswith("rlint-"):  # a name, or a name_prefix ending in "-"
            tail = "-" if value.endswith("-") else ""
            return f"{value.rstrip('-')}-{suffix.replace('_', '-')}{tail}"
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    out = []
    for add in additions:
        if not add.shared or add.kind not in ("resource", "provider"):
            out.append(add)
            continue
        attrs = rename(add.attrs)
        if add.kind == "provider":
            attrs["alias"] = f"{add.name}_{suffix}"
        elif "provider" not in attrs:
            attrs = {"provider": "${%s}" % provider, **attrs}
        out.append(replace(add, name=f"{add.name}_{suffix}", attrs=attrs))
    return out


# -- rendering ------------------------------------------------------------------------------------------
def render_terraform(additions: list) -> str:
    """HCL through python-hcl2's builder and `dumps`, formatted like `terraform fmt`."""
    import hcl2
    from hcl2 import Builder

    builder = Builder()
    for add in additions:
        labels = [json.dumps(label) for label in _labels(add)]
        block = builder.block(add.kind, labels,
                              **{k: _hcl_literal(v) for k, v in add.attrs.items() if not _is_blocks(v)})
        _nested_blocks(block, add.attrs)
    lines = [line.rstrip() for line in hcl2.dumps(builder.build()).splitlines()]
    # dumps separates blocks with two blank lines; `terraform fmt` style keeps one
    text = "\n".join(line for i, line in enumerate(lines) if line or (i and lines[i - 1])).strip("\n") + "\n"
    # dumps also aligns the `=` of a multi-line value with its neighbours, which `terraform fmt` does not
    return align_like_fmt("", text)


def _labels(add) -> list:
    return {"provider": [add.type], "variable": [add.name], "output": [add.name]}.get(add.kind, [add.type, add.name])


def append_terraform(additions: list, text: str) -> Edit:
    """The edit that appends `additions` to a Terraform file, indented as the file is (tabs or spaces)."""
    sep = "" if text.endswith("\n") or not text else "\n"
    body = render_terraform(additions)
    if text and indent_unit(text_index(text)) == "\t":
        body = re.sub(r"^(?:  )+", lambda m: "\t" * (len(m.group(0)) // 2), body, flags=re.M)
    return Edit(len(text), len(text), sep + "\n" + body)


def _hcl_literal(value: Any) -> Any:
    """python-hcl2's dumps writes strings as expressions: quote literals, keep `${...}` references bare."""
    if isinstance(value, ListExpr):
        return str(value)
    if isinstance(value, list) and any(isinstance(v, ListExpr) for v in value):
        return hcl_list_expression(value)
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return json.dumps(value)
    if isinstance(value, list):
        return [_hcl_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _hcl_literal(v) for k, v in value.items()}
    return value


def _is_blocks(v: Any) -> bool:
    """Nested blocks are lists of dicts marked `__block__` (a plain dict is a map value)."""
    return isinstance(v, list) and bool(v) and all(isinstance(i, dict) and i.get("__block__") for i in v)


def _nested_blocks(parent, attrs: dict) -> None:
    for key, blocks in attrs.items():
        if _is_blocks(blocks):
            for body in blocks:
                child = parent.block(key, **{k: _hcl_literal(v) for k, v in body.items()
                                             if k != "__block__" and not _is_blocks(v)})
                _nested_blocks(child, body)


def _cfn_entries(additions: list) -> dict:
    return {a.name: {"Type": a.type, "Properties": a.attrs, **dict(a.resource_attributes)}
            for a in additions if a.kind == "resource"}  # provider and variable blocks are Terraform's


def render_yaml(additions: list, indent: int) -> str:
    pad = " " * indent
    entries = _cfn_entries(additions)
    return "\n".join("".join(f"{pad}{line}\n" for line in yaml_lines({name: entry}, 0))
                     for name, entry in entries.items())


def render_json_members(additions: list, indent: int) -> str:
    pad = " " * indent
    parts = []
    for name, entry in _cfn_entries(additions).items():
        body = json.dumps(entry, indent=2).replace("\n", "\n" + pad)
        parts.append(f"{pad}{json.dumps(name)}: {body}")
    return ",\n".join(parts)


def render_addition_snippet(additions: list, res) -> str:
    """The added resources for a finding's fix snippet. Terraform goes through the snippet renderer, not
    python-hcl2: a scan draws a snippet for every finding, and python-hcl2's import and dumps would cost
    a scan of a large tree seconds; `rlint fix` writes the python-hcl2 rendering."""
    if res.format == "terraform":
        return "\n\n".join(_snippet_block(add) for add in additions)
    if is_json(res):
        return render_json_members(additions, 0)
    return render_yaml(additions, 0).rstrip("\n")


def render_other_stack(additions: list, res) -> str:
    """Resources another stack must create (in another Region): a template of their own, never written."""
    entries = _cfn_entries(additions)
    if is_json(res):
        return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": entries}, indent=2)
    return "# a second stack (or a StackSet instance) in the destination Region:\n" + \
        "\n".join(yaml_lines({"AWSTemplateFormatVersion": "2010-09-09", "Resources": entries}, 0))


def _snippet_block(add) -> str:
    header = f"{add.kind} " + " ".join(json.dumps(label) for label in _labels(add)) + " {"
    return "\n".join([header, *hcl_body(_unmarked(add.attrs), 1), "}"])


def _unmarked(attrs: dict) -> dict:
    """Nested blocks as the snippet renderer reads them: lists of dicts, without the `__block__` marker."""
    return {k: [_unmarked({bk: bv for bk, bv in b.items() if bk != "__block__"}) for b in v] if _is_blocks(v) else v
            for k, v in attrs.items()}


# -- placement ------------------------------------------------------------------------------------------
def insertion(additions: list, home, resources: list, text: str) -> Edit:
    """The one edit that writes `additions` into `home`'s file. `resources`: the unit's resources."""
    index = text_index(text)
    if home.format == "terraform":
        return append_terraform(additions, text)
    in_file = [r for r in resources if r.file == home.file and r.end_span is not None
               and r.span.column == home.span.column]
    if not in_file:
        raise FixNotApplicable("cannot find where the template's resources end")
    last = max(in_file, key=lambda r: (r.end_span.end_line, r.end_span.end_column))
    indent = home.span.column - 1
    if is_json(home):
        brace = index.offset(last.end_span.end_line, last.end_span.end_column)
        if index.text[brace - 1:brace] != "}":
            raise FixNotApplicable("cannot find the last resource's closing brace")
        return Edit(brace, brace, ",\n" + render_json_members(additions, indent))
    if index.text[index.offset(home.span.line, 1):index.offset(home.span.line, home.span.column)].strip():
        raise FixNotApplicable("flow-style Resources mapping")
    end_line = last_content_line(index, last.end_span)
    at = index.starts[end_line] if end_line < len(index.starts) else len(text)
    prefix = "" if text[:at].endswith("\n") else "\n"
    return Edit(at, at, prefix + "\n" + render_yaml(additions, indent))

"""Values and settings written in a resource's own language: HCL for Terraform, YAML or JSON (whichever
the template is written in) for CloudFormation.

The bottom of the fix layers: `apply` (edits), `additions` (added resources) and `snippet` (what a finding
shows) use it; it imports none of them.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..model import Resource

# plain YAML scalars that need no quotes: names, ARNs-like AWS::Type strings, paths
_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./:-]*$")


def language_of(res: Resource) -> str:
    if res.format == "terraform":
        return "hcl"
    return "json" if is_json(res) else "yaml"


def is_json(res: Resource) -> bool:
    """A CloudFormation resource written in JSON (a .json file, or JSON in a .template or .yaml file)."""
    return res.format != "terraform" and (res.file.endswith(".json") or bool(res.meta.get("json")))


def nest_changes(changes, res: Resource) -> dict:
    """Merge SetAttribute changes into one nested dict following each attribute's path (as the resource spells it)."""
    tree: dict = {}
    for change in changes:
        attr = getattr(change, "attr", None)
        if attr is None:
            continue
        path = attr.path_in(res)
        if not path:
            continue
        if not hasattr(change, "value") and not hasattr(change, "item"):
            continue  # a removal shows as the resource without the setting, only from its source text
        node = tree
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = change.value if hasattr(change, "value") else [change.item]
    return tree


class RawExpr(str):
    """A Terraform expression copied from the source as written: rendered as it is."""


class ListExpr(str):
    """A Terraform expression (without `${}`) whose value is a list: inside a list it is flattened into it."""


def hcl_list_expression(items: list) -> str:
    """A list holding list-valued expressions, written so Terraform sees one flat list."""
    return "flatten([" + ", ".join(str(i) if isinstance(i, ListExpr) else hcl_value(i, 0) for i in items) + "])"


def hcl_value(v: Any, indent: int) -> str:
    pad = "  " * indent
    if isinstance(v, (ListExpr, RawExpr)):
        return str(v)
    if isinstance(v, list) and any(isinstance(i, ListExpr) for i in v):
        return hcl_list_expression(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        if v.startswith("${") and v.endswith("}") and v.count("${") == 1:
            return v[2:-1]  # a reference written as an expression
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(hcl_value(i, indent) for i in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        width = max(len(k) for k in v)
        inner = "\n".join(f"{pad}  {k.ljust(width)} = {hcl_value(x, indent + 1)}" for k, x in v.items())
        return "{\n" + inner + f"\n{pad}}}"
    return json.dumps(str(v))


def hcl_body(tree: dict, indent: int) -> list:
    """Attributes first (aligned like `terraform fmt`), then nested blocks."""
    pad = "  " * indent
    lines: list = []
    plain = {k: v for k, v in tree.items() if not _is_block(v)}
    width = max((len(k) for k in plain), default=0)
    for k, v in plain.items():
        lines.append(f"{pad}{k.ljust(width)} = {hcl_value(v, indent)}")
    for k, v in tree.items():
        if _is_block(v):
            for block in v if isinstance(v, list) else [v]:
                lines.append(f"{pad}{k} {{")
                lines.extend(hcl_body(block, indent + 1))
                lines.append(f"{pad}}}")
    return lines


def _is_block(v: Any) -> bool:
    # nested dicts render as blocks (lifecycle { ... }); a dict meant as a map is wrapped by the rule as
    # {"__map__": {...}} -- rare in fixes, so plain dicts are blocks
    if isinstance(v, dict):
        return "__map__" not in v
    return isinstance(v, list) and bool(v) and all(isinstance(i, dict) for i in v)


def render_hcl(res: Resource, tree: dict) -> str:
    name = res.meta.get("name") or res.block_address.rsplit(".", 1)[-1]
    lines = [f'resource "{res.type}" "{name}" {{']
    lines.extend(hcl_body(tree, 1))
    lines.append("}")
    return "\n".join(lines)


def yaml_scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if _PLAIN.match(s) and not s.endswith(":") and s.lower() not in ("true", "false", "yes", "no", "null", "on", "off"):
        return s
    return json.dumps(s)


def yaml_lines(tree: Any, indent: int) -> list:
    pad = "  " * indent
    lines: list = []
    if isinstance(tree, dict):
        for k, v in tree.items():
            if isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.extend(yaml_lines(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {yaml_scalar(v) if not isinstance(v, (dict, list)) else json.dumps(v)}")
    elif isinstance(tree, list):
        for item in tree:
            sub = yaml_lines(item, indent + 1)
            if sub:
                first = sub[0].strip()
                lines.append(f"{pad}- {first}")
                lines.extend(sub[1:])
    else:
        lines.append(pad + yaml_scalar(tree))
    return lines


def render_cfn(res: Resource, tree: dict, language: str) -> str:
    entry = {"Type": res.type}
    entry.update(tree)
    if language == "json":
        return json.dumps({res.address: entry}, indent=2)
    return "\n".join(yaml_lines({res.address: entry}, 0))


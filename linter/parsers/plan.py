"""Terraform plan JSON (`terraform show -json plan.out`): fully resolved resources.

Planned values are what Terraform will apply, after variables, modules, count and for_each: nothing to
evaluate. Values known only after apply are absent from `values` and marked true in the resource change's
`after_unknown`; they become Unknown. References between resources come from the plan's `configuration`
section (each argument's `references`). Positions come from the configuration when its `.tf` files sit
beside the plan (the resource header of the block with that type and name), else line 1 of the plan.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..model import ParseProblem, Resource, Span, Unknown

_INSTANCE = re.compile(r"\[[^\[\]]*\]$")


def _unknowns(values: Any, marks: Any, address: str) -> Any:
    """Overlay `after_unknown` marks onto planned values."""
    if marks is True:
        return Unknown(f"{address}: known only after apply")
    if isinstance(marks, dict):
        out = dict(values) if isinstance(values, dict) else {}
        for key, mark in marks.items():
            out[key] = _unknowns(out.get(key), mark, address)
        return out
    if isinstance(marks, list):
        items = list(values) if isinstance(values, list) else []
        for i, mark in enumerate(marks):
            if i < len(items):
                items[i] = _unknowns(items[i], mark, address)
            elif mark is True:
                items.append(Unknown(f"{address}: known only after apply"))
        return items
    return values


def _walk_modules(module: dict):
    yield module
    for child in module.get("child_modules") or []:
        yield from _walk_modules(child)


def _config_refs(configuration: dict) -> dict:
    """Block address (with module path) -> [(attribute path, target address, target attribute)]."""
    out: dict = {}

    def visit(module: dict, prefix: str):
        for res in module.get("resources") or []:
            address = prefix + res.get("address", "")
            refs = []
            for attr, expr in (res.get("expressions") or {}).items():
                for ref in _references(expr):
                    parts = ref.split(".")
                    if len(parts) >= 2 and not ref.startswith(("var.", "local.", "each.", "count.", "path.")):
                        target = ".".join(parts[:3] if parts[0] == "data" else parts[:2])
                        rest = parts[3:] if parts[0] == "data" else parts[2:]
                        refs.append(((attr,), prefix + target, rest[0] if rest else None))
            out[address] = sorted(set(refs), key=str)
        for name, call in (module.get("module_calls") or {}).items():
            visit(call.get("module") or {}, f"{prefix}module.{name}.")

    visit(configuration.get("root_module") or {}, "")
    return out


def _references(expr) -> list:
    found = []
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, dict):
            found.extend(r for r in e.get("references") or [] if isinstance(r, str))
            stack.extend(v for k, v in e.items() if k != "references")
        elif isinstance(e, list):
            stack.extend(e)
    return found


def _config_positions(directory: Path, display_dir: str) -> dict:
    """"type.name" -> header Span, from the root module's .tf files beside the plan."""
    from .terraform import parse_hcl

    out: dict = {}
    for tf in sorted(directory.glob("*.tf")):
        try:
            parsed = parse_hcl(tf.read_bytes(), f"{display_dir}/{tf.name}" if display_dir else tf.name)
        except OSError:
            continue
        for block in parsed.body.blocks:
            if block.type == "resource" and len(block.labels) == 2:
                s = block.span
                out[f"{block.labels[0]}.{block.labels[1]}"] = Span(s.file, s.line, s.column, s.line,
                                                                   s.column + len(block.type))
    return out


def load_plan(data: bytes, display: str, path: Path = None) -> tuple:
    problems: list = []
    try:
        plan = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        return [], [ParseProblem(Span.point(display, getattr(exc, "lineno", 1) or 1), f"invalid plan JSON: {exc}")]
    if not isinstance(plan, dict):
        return [], [ParseProblem(Span.point(display, 1), "a plan must be a JSON object")]
    changes = {c.get("address"): c.get("change") or {} for c in plan.get("resource_changes") or []
               if isinstance(c, dict)}
    refs = _config_refs(plan.get("configuration") or {})
    parent = Path(display).parent.as_posix()
    display_dir = "" if parent == "." else parent
    positions = _config_positions(path.parent, display_dir) if path is not None else {}
    resources = []
    root = (plan.get("planned_values") or {}).get("root_module") or {}
    for module in _walk_modules(root):
        for r in module.get("resources") or []:
            if not isinstance(r, dict) or r.get("mode") != "managed":
                continue
            address = r.get("address", "")
            block = _INSTANCE.sub("", address)
            change = changes.get(address, {})
            attrs = _unknowns(r.get("values") or {}, change.get("after_unknown") or {}, address)
            local = re.sub(r"^(module\.[^.]+\.)+", "", block)
            span = (positions.get(local) if not block.startswith("module.") else None) or Span.point(display, 1)
            config_block = re.sub(r"\[[^\]]*\]", "", block)
            res = Resource(address=address, type=r.get("type", ""), format="terraform", attrs=attrs, span=span,
                           attr_spans={}, block_address=block, refs=list(refs.get(config_block, [])))
            res.meta.update({"name": r.get("name"), "instance_key": address[len(block):], "from_plan": True,
                             "expansion_unknown": False})
            tags, tags_all = attrs.get("tags"), attrs.get("tags_all")
            if isinstance(tags_all, dict):
                res.meta["default_tags"] = {k: v for k, v in tags_all.items()
                                            if not isinstance(tags, dict) or k not in tags}
            resources.append(res)
    return resources, problems

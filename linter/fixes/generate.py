"""`rlint fix --generate FILE`: resources that are missing rather than misconfigured.

Each rule with something to generate returns AddResource changes in its Fix; they are rendered as a new
Terraform file through python-hcl2's builder (formatted like `terraform fmt`) or, for templates, as a
CloudFormation snippet (YAML or JSON by the target file's extension).
"""
from __future__ import annotations

import json
from pathlib import Path

from .apply import FixNotApplicable  # noqa: F401  (kept for callers that catch it)


def _additions(result, fmt: str) -> list:
    out, seen = [], set()
    for _finding, res, fix in result.fix_plans:
        if res.format != fmt:
            continue
        for change in fix.changes:
            if change.__class__.__name__ == "AddResource" and (change.type, change.name) not in seen:
                seen.add((change.type, change.name))
                out.append(change)
    return out


def _hcl_literal(value):
    """python-hcl2's dumps writes strings as expressions: quote literals, keep `${...}` references bare."""
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return json.dumps(value)
    if isinstance(value, list):
        return [_hcl_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _hcl_literal(v) for k, v in value.items()}
    return value


def render_terraform(additions: list) -> str:
    import hcl2
    from hcl2 import Builder

    builder = Builder()
    for add in additions:
        attrs = {k: v for k, v in add.attrs.items() if not _is_blocks(v)}
        block = builder.block("resource", [json.dumps(add.type), json.dumps(add.name)],
                              **{k: _hcl_literal(v) for k, v in attrs.items()})
        for key, blocks in add.attrs.items():
            if _is_blocks(blocks):
                for b in blocks:
                    _nested(block, key, b)
    text = hcl2.dumps(builder.build())
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _is_blocks(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(i, dict) and i.get("__block__") for i in v)


def _nested(parent, key: str, body: dict) -> None:
    attrs = {k: _hcl_literal(v) for k, v in body.items() if k != "__block__" and not _is_blocks(v)}
    child = parent.block(key, **attrs)
    for k, v in body.items():
        if _is_blocks(v):
            for b in v:
                _nested(child, k, b)


def render_cloudformation(additions: list, as_json: bool) -> str:
    resources = {add.name: {"Type": add.type, "Properties": add.attrs} for add in additions}
    if as_json:
        return json.dumps({"Resources": resources}, indent=2) + "\n"
    from .render import yaml_lines

    return "\n".join(yaml_lines({"Resources": resources}, 0)) + "\n"


def generate(result, target: Path) -> int:
    if target.suffix == ".tf":
        additions = _additions(result, "terraform")
        text = render_terraform(additions) if additions else ""
    else:
        additions = _additions(result, "cloudformation")
        text = render_cloudformation(additions, target.suffix == ".json") if additions else ""
    if additions:
        target.write_text(text)
    return len(additions)

"""Terraform's JSON syntax (`.tf.json`), read by translating it into native HCL.

Terraform JSON strings are templates (`"${var.x}"`), exactly like HCL's quoted strings, so each JSON value
translates into HCL text that the one HCL evaluator then reads. Positions are carried over: every generated
line remembers the JSON key it came from, and the blocks and attributes of the parsed HCL are moved back
onto the JSON file's lines and columns.

JSON cannot tell a nested block from a map-valued attribute (`"lifecycle": {...}` vs `"tags": {...}`);
Terraform decides with the provider schema. Without it, an object is a map when its key names a map by
convention (tags, variables, ...) and a nested block otherwise; arrays of objects are repeated blocks.
"""
from __future__ import annotations

import json

from ..model import ParseProblem, Span

# keys of well-known map arguments (everything else that holds an object is a nested block)
MAP_KEYS = {"tags", "tags_all", "variables", "environment_variables", "parameters", "labels", "options",
            "triggers", "metadata", "attributes", "headers", "query_string_parameters", "context", "inputs",
            "locals", "default", "values", "assume_role_policy", "policy", "redrive_policy", "condition_keys"}
# arguments whose JSON string is a bare expression rather than a template
EXPRESSION_KEYS = {"provider", "depends_on", "type", "providers"}


class _Writer:
    def __init__(self, spans: dict):
        self.lines: list = []
        self.origin: list = []  # generated line (0-based) -> JSON Span
        self.spans = spans

    def emit(self, text: str, path: tuple) -> None:
        self.lines.append(text)
        self.origin.append(self.spans.get(path))


def _hcl_string(value: str) -> str:
    # keep ${...} and %{...} intact: they are the template syntax both forms share
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") \
        .replace("\t", "\\t")
    return f'"{escaped}"'


def _literal(value, key: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        if key in EXPRESSION_KEYS:
            inner = value[2:-1] if value.startswith("${") and value.endswith("}") else value
            return inner
        return _hcl_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v, key) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_hcl_string(k)} = {_literal(v)}" for k, v in value.items() if k != "//")
        return "{" + items + "}"
    return _hcl_string(str(value))


def _is_block(key: str, value) -> bool:
    if key in MAP_KEYS or key.endswith("_tags"):
        return False
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _body(w: _Writer, body, path: tuple, indent: str) -> None:
    if not isinstance(body, dict):
        return
    for key, value in body.items():
        if key == "//":
            continue  # Terraform JSON comments
        child = path + (key,)
        if key == "dynamic" and isinstance(value, dict):
            for name, spec in value.items():
                for i, item in enumerate(spec if isinstance(spec, list) else [spec]):
                    _block(w, f'dynamic "{name}"', item, child + (name,) + ((i,) if isinstance(spec, list) else ()),
                           indent)
            continue
        if _is_block(key, value):
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                _block(w, key, item, child + ((i,) if isinstance(value, list) else ()), indent)
        else:
            w.emit(f"{indent}{key} = {_literal(value, key)}", child)


def _block(w: _Writer, header: str, body, path: tuple, indent: str) -> None:
    w.emit(f"{indent}{header} {{", path)
    _body(w, body, path, indent + "  ")
    w.emit(f"{indent}}}", path)


def _labelled(w: _Writer, kind: str, tree, labels: int, path: tuple) -> None:
    """`"resource": {"type": {"name": {...}}}` -> `resource "type" "name" {...}` (arrays allowed at each level)."""
    def walk(node, names: list, p: tuple):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, names, p + (i,))
            return
        if len(names) == labels:
            header = kind + "".join(f" {json.dumps(n)}" for n in names)
            _block(w, header, node, p, "")
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "//":
                    walk(value, names + [key], p + (key,))

    walk(tree, [], path)


LABELS = {"resource": 2, "data": 2, "variable": 1, "output": 1, "module": 1, "provider": 1, "locals": 0,
          "terraform": 0, "moved": 0, "import": 0, "check": 1}


def translate(value: dict, spans: dict) -> tuple:
    """(HCL text, [JSON Span or None per generated line])."""
    w = _Writer(spans)
    for kind, tree in value.items():
        if kind not in LABELS:
            continue
        if LABELS[kind] == 0:
            for i, item in enumerate(tree if isinstance(tree, list) else [tree]):
                _block(w, kind, item, (kind,) + ((i,) if isinstance(tree, list) else ()), "")
        else:
            _labelled(w, kind, tree, LABELS[kind], (kind,))
    return "\n".join(w.lines) + "\n", w.origin


def _remap(span: Span, origin: list, file: str) -> Span:
    start = origin[span.line - 1] if span.line - 1 < len(origin) else None
    end = origin[span.end_line - 1] if span.end_line - 1 < len(origin) else None
    if start is None:
        return Span(file, 1, 1, 1, 1)
    end = end or start
    return Span(file, start.line, start.column, end.end_line, end.end_column)


def _remap_body(body, origin: list, file: str) -> None:
    for attr in body.attributes.values():
        attr.span = _remap(attr.span, origin, file)
    for block in body.blocks:
        block.span = _remap(block.span, origin, file)
        block.file = file
        _remap_body(block.body, origin, file)


def parse_tf_json(data: bytes, display: str, problems: list):
    """An HclFile for a `.tf.json` file, positioned in the JSON, or None (with a problem) when unreadable."""
    from ..discover import decode
    from ..parsers.cloudformation import CfnParseError, parse_cloudformation
    from ..parsers.terraform import parse_hcl

    text = decode(data, display, problems)
    if text is None:
        return None
    try:
        doc = parse_cloudformation(text, display)  # the same composer reads JSON with positions
    except CfnParseError as exc:
        problems.append(exc.problem)
        return None
    if not isinstance(doc.value, dict):
        problems.append(ParseProblem(Span.point(display, 1), "a .tf.json file must hold a JSON object"))
        return None
    hcl, origin = translate(doc.value, doc.spans)
    parsed = parse_hcl(hcl.encode(), display)
    if parsed.problems:
        first = parsed.problems[0]
        where = _remap(first.span, origin, display)
        problems.append(ParseProblem(where, f"cannot read this Terraform JSON: {first.message}"))
        return None
    _remap_body(parsed.body, origin, display)
    parsed.comments = []
    return parsed


__all__ = ["parse_tf_json", "translate"]

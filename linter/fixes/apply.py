"""Turn a rule's fix (logical terms) into minimal text edits of the resource's own file.

An edit replaces an existing attribute in place, or inserts the missing attribute (or nested block, or
CloudFormation resource attribute such as DeletionPolicy) inside the resource, with the file's own
indentation. Everything else in the file stays byte for byte: comments, formatting, ordering.
"""
from __future__ import annotations

import json
import textwrap
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Optional

from ..model import Resource, Span
from .render import hcl_value


class FixNotApplicable(Exception):
    """The fix cannot be written as a minimal edit here (a computed block, a flow-style mapping...)."""


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the file's text
    end: int
    text: str


class TextIndex:
    """Line/column <-> offset for one file's text (1-based lines and columns)."""

    def __init__(self, text: str):
        self.text = text
        # str.find runs in C: a per-character Python loop made every fix cost O(file) interpreted steps
        self.starts = [0]
        i = text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = text.find("\n", i + 1)

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]

    def indent_of(self, line: int) -> str:
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]


@lru_cache(maxsize=16)
def text_index(text: str) -> TextIndex:
    """One index per file text: every fix of a file's findings reuses it (strings cache their hash)."""
    return TextIndex(text)


def apply_edits(text: str, edits: list) -> str:
    """Apply non-overlapping edits (later offsets first so earlier ones stay valid)."""
    out = text
    last_start = None
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if last_start is not None and e.end > last_start:
            raise FixNotApplicable("two fixes touch the same text")
        out = out[: e.start] + e.text + out[e.end:]
        last_start = e.start
    return out


def edits_for(fix, res: Resource, text: str) -> list:
    index = text_index(text)
    edits = []
    for change in fix.changes:
        attr = getattr(change, "attr", None)
        if attr is None:
            continue  # AddResource: written by `rlint fix --generate`, not as an edit
        path = attr.path(res.format)
        if not path:
            raise FixNotApplicable(f"{attr.name} has no spelling in {res.format}")
        if res.format == "terraform":
            edits.append(_terraform_edit(res, path, change.value, index))
        elif res.file.endswith(".json"):
            edits.append(_json_edit(res, path, change.value, index))
        else:
            edits.append(_yaml_edit(res, path, change.value, index))
    return edits


# -- Terraform ----------------------------------------------------------------------------------------
def _hcl_assignment(name: str, value: Any, indent: str) -> str:
    if isinstance(value, dict):  # a nested block
        inner = indent + "  "
        body = "".join(_hcl_assignment(k, v, inner) for k, v in value.items())
        return f"{indent}{name} {{\n{body}{indent}}}\n"
    return f"{indent}{name} = {hcl_value(value, len(indent) // 2)}\n"


def _nest(path: tuple, value: Any) -> tuple:
    """("lifecycle", "prevent_destroy"), True -> ("lifecycle", {"prevent_destroy": True})."""
    name, inner = path[0], value
    for key in reversed(path[1:]):
        inner = {key: inner}
    return name, inner


def _terraform_edit(res: Resource, path: tuple, value: Any, index: TextIndex) -> Edit:
    existing = res.attr_spans.get(path)
    if existing is not None and not isinstance(value, dict):
        if existing.file != res.file:
            raise FixNotApplicable("the attribute is set in another file")
        start = index.offset(existing.line, existing.column)
        end = index.offset(existing.end_line, existing.end_column)
        eq = index.text.find("=", start, end)
        if eq < 0:
            raise FixNotApplicable("cannot find the attribute's '='")
        return Edit(eq + 1, end, f" {hcl_value(value, 0)}")
    # the deepest enclosing block that exists: insert there
    for depth in range(len(path) - 1, 0, -1):
        block_span = res.attr_spans.get(path[:depth])
        if block_span is not None:
            name, inner = _nest(path[depth:], value)
            return _insert_in_block(block_span, name, inner, index)
    if res.end_span is None:
        raise FixNotApplicable("the resource block's extent is unknown")
    name, inner = _nest(path, value)
    return _insert_in_block(res.end_span, name, inner, index)


def _insert_in_block(block: Span, name: str, value: Any, index: TextIndex) -> Edit:
    brace = index.offset(block.end_line, block.end_column) - 1
    if index.text[brace:brace + 1] != "}":
        raise FixNotApplicable("cannot find the block's closing brace")
    base = index.indent_of(block.line)
    indent = base + "  "
    line_start = index.starts[block.end_line - 1]
    before = index.text[line_start:brace]
    assignment = _hcl_assignment(name, value, indent)
    if before.strip() == "" and block.end_line > block.line:
        return Edit(line_start, line_start, assignment)
    # a one-line block `resource "x" "y" {}`: open it up
    return Edit(brace, brace, "\n" + assignment + base)


# -- CloudFormation YAML ------------------------------------------------------------------------------
def _yaml_scalar(value: Any) -> str:
    from .render import _yaml_scalar as scalar

    return scalar(value)


def _yaml_block(key: str, value: Any, indent: str) -> str:
    if isinstance(value, dict):
        return f"{indent}{key}:\n" + "".join(_yaml_block(k, v, indent + "  ") for k, v in value.items())
    if isinstance(value, list):
        return f"{indent}{key}: {json.dumps(value)}\n"
    return f"{indent}{key}: {_yaml_scalar(value)}\n"


def _key_text(index: TextIndex, span: Span) -> str:
    start = index.offset(span.line, span.column)
    end = index.offset(span.end_line, span.end_column)
    return index.text[start:end].split(":", 1)[0]


def _yaml_edit(res: Resource, path: tuple, value: Any, index: TextIndex) -> Edit:
    existing = res.attr_spans.get(path)
    if existing is not None and not isinstance(value, (dict, list)):
        start = index.offset(existing.line, existing.column)
        end = index.offset(existing.end_line, existing.end_column)
        return Edit(start, end, f"{_key_text(index, existing)}: {_yaml_scalar(value)}")
    for depth in range(len(path) - 1, -1, -1):
        parent = res.attr_spans.get(path[:depth]) if depth else res.end_span
        if parent is None:
            continue
        rest = path[depth:]
        inner = value
        for key in reversed(rest[1:]):
            inner = {key: inner}
        siblings = [s for p, s in res.attr_spans.items() if len(p) == depth + 1 and p[:depth] == path[:depth]]
        if not siblings:
            raise FixNotApplicable("cannot tell the mapping's indentation")
        if any(index.text[index.offset(s.line, 1):index.offset(s.line, s.column)].strip() for s in siblings):
            raise FixNotApplicable("flow-style mapping")
        column = min(s.column for s in siblings)
        end_line = last_content_line(index, parent)
        at = index.starts[end_line] if end_line < len(index.starts) else len(index.text)
        prefix = "" if index.text[:at].endswith("\n") else "\n"
        return Edit(at, at, prefix + _yaml_block(rest[0], inner, " " * (column - 1)))
    raise FixNotApplicable("cannot place the setting")


def last_content_line(index: TextIndex, span: Span) -> int:
    """The last line that belongs to a YAML node: its end mark can run past trailing comments and blank
    lines up to the next key, which belong to whatever follows."""
    line = span.end_line
    if not index.line_text(line)[: max(span.end_column - 1, 0)].strip():
        line -= 1
    while line > span.line and (not index.line_text(line).strip() or index.line_text(line).lstrip().startswith("#")):
        line -= 1
    return line


# -- CloudFormation JSON ------------------------------------------------------------------------------
def _json_edit(res: Resource, path: tuple, value: Any, index: TextIndex) -> Edit:
    existing = res.attr_spans.get(path)
    if existing is not None:
        start = index.offset(existing.line, existing.column)
        end = index.offset(existing.end_line, existing.end_column)
        return Edit(start, end, f"{_key_text(index, existing)}: {json.dumps(value)}")
    for depth in range(len(path) - 1, -1, -1):
        parent = res.attr_spans.get(path[:depth]) if depth else res.end_span
        if parent is None:
            continue
        rest = path[depth:]
        inner = value
        for key in reversed(rest[1:]):
            inner = {key: inner}
        brace = index.offset(parent.end_line, parent.end_column) - 1
        if index.text[brace:brace + 1] != "}":
            raise FixNotApplicable("cannot find the object's closing brace")
        siblings = [s for p, s in res.attr_spans.items() if len(p) == depth + 1 and p[:depth] == path[:depth]]
        indent = " " * (min(s.column for s in siblings) - 1) if siblings else index.indent_of(parent.line) + "  "
        last = brace - 1
        while last >= 0 and index.text[last] in " \t\r\n":
            last -= 1
        entry = f"{json.dumps(rest[0])}: {json.dumps(inner)}"
        if index.text[last] == "{":
            return Edit(last + 1, last + 1, f" {entry} ")
        same_line = siblings and all(s.line == parent.line for s in siblings)
        sep = ", " if same_line else ",\n" + indent
        return Edit(last + 1, last + 1, sep + entry)
    raise FixNotApplicable("cannot place the setting")


def snippet_after(res: Resource, text: str, edits: list, max_lines: int = 20) -> Optional[str]:
    """The resource as it will read once the edits are applied (long ones trimmed around the change)."""
    whole = res.end_span or res.span
    index = text_index(text)
    start = index.starts[whole.line - 1]
    if res.format == "cloudformation" and not res.file.endswith(".json"):
        last = last_content_line(index, whole)
        end = index.starts[last] if last < len(index.starts) else len(text)
    else:
        end = index.offset(whole.end_line, whole.end_column)
    inside = [e for e in edits if start <= e.start <= end]
    if not inside:
        return None
    new_text = apply_edits(text[start:end], [Edit(e.start - start, e.end - start, e.text) for e in inside])
    lines = textwrap.dedent(new_text).rstrip("\n").splitlines()
    if len(lines) <= max_lines:
        return "\n".join(lines)
    first_change = text[start:min(e.start for e in inside)].count("\n")
    added = sum(e.text.count("\n") for e in inside) + 1
    lo, hi = max(1, first_change - 2), min(len(lines) - 1, first_change + added + 2)
    gap = ["  ..."] if res.file.endswith(".json") else ["  # ..."]
    shown = [lines[0]] + (gap if lo > 1 else []) + lines[lo:hi] + (gap if hi < len(lines) - 1 else []) + [lines[-1]]
    return "\n".join(shown)

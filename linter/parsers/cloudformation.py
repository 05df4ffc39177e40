"""CloudFormation YAML and JSON through PyYAML's composer: plain values plus a side table of spans.

Short-form tags (`!Ref X`, `!GetAtt a.b`, `!Sub ...`) become their long forms. Positions never travel
inside the values: `spans` maps a path tuple (("Resources", "Db", "Properties", "MultiAZ")) to a Span.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..model import Comment, ParseProblem, Span

try:  # libyaml is ~10x faster and PyYAML's wheels ship it
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML build
    _Loader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
# string values up to this length are shared (interned): resource types, policies, enum-like settings
_SHARED_SCALAR = 64

# a document that expands to more nodes than this through aliases is hostile (billion laughs)
MAX_NODES = 2_000_000
_ANCHOR = re.compile(r"&[^\s,\[\]{}]")

_FUNCTION_TAGS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
}
for _name in ("Sub", "If", "Join", "Select", "Split", "FindInMap", "GetAZs", "ImportValue", "Base64", "Cidr",
              "Equals", "And", "Or", "Not", "Transform", "ToJsonString", "Length", "ForEach", "GetParam"):
    _FUNCTION_TAGS[_name] = "Fn::" + _name


class CfnParseError(Exception):
    def __init__(self, problem: ParseProblem):
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class CfnDocument:
    path: str
    value: Any
    spans: dict  # path tuple -> Span
    comments: list = field(default_factory=list)  # [Comment]
    key_spans: dict = field(default_factory=dict)  # path tuple -> Span of the key alone
    json: bool = False  # written in JSON, whatever the file's name (a .template, a .yaml holding JSON)


def _span(file: str, start, end) -> Span:
    return Span(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.spans: dict = {}
        self.key_spans: dict = {}
        self.nodes = 0
        self.block_scalar_lines: list = []  # (first, last) lines of | and > scalars: no comments there
        self._scalars = yaml.SafeLoader("")

    def dispose(self) -> None:
        self._scalars.dispose()
        self._scalars.constructed_objects.clear()

    def build(self, node, path: tuple) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise CfnParseError(ParseProblem(_span(self.file, node.start_mark, node.end_mark),
                                             f"document expands to more than {MAX_NODES:,} nodes (alias bomb?)"))
        if path not in self.spans:  # a mapping's entry already has its span, from its key on
            self.spans[path] = _span(self.file, node.start_mark, node.end_mark)
        tag = node.tag or ""
        if isinstance(node, yaml.MappingNode):
            value = self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            value = [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        else:
            if node.style in ("|", ">"):
                self.block_scalar_lines.append((node.start_mark.line + 1, node.end_mark.line + 1))
            if tag == _STR or (tag.startswith("!") and not tag.startswith("!!")):
                value = node.value  # what the constructor would return, without its dispatch
                if len(value) <= _SHARED_SCALAR:  # names and settings that templates repeat: one string each
                    value = sys.intern(value)
            elif tag == "tag:yaml.org,2002:binary":
                value = node.value  # base64 text kept as is: no rule reads binary content
            else:
                value = self._scalars.construct_object(node, deep=True)
        if tag.startswith("!") and not tag.startswith("!!"):
            return self._intrinsic(tag[1:], value, node)
        return value

    def _mapping(self, node, path: tuple) -> dict:
        value: dict = {}
        merged_keys: set = set()  # keys that came from `<<`: an explicit key overrides them
        for key_node, child in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                # `<<: *base` merges the aliased mapping(s); explicit keys win
                merged = self.build(child, path + ("<<",))
                at = _span(self.file, key_node.start_mark, key_node.end_mark)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, v in m.items():
                            if k not in value:
                                value[k] = v
                                merged_keys.add(k)
                                # a merged setting is positioned at the `<<` line that brought it in
                                self.spans.setdefault(path + (k,), at)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise CfnParseError(ParseProblem(_span(self.file, key_node.start_mark, key_node.end_mark),
                                                 "a mapping key must be a plain scalar"))
            key = sys.intern(key_node.value)  # one string per key name for the scan (see parsers/terraform.py)
            if key in value and key not in merged_keys:
                raise CfnParseError(ParseProblem(_span(self.file, key_node.start_mark, key_node.end_mark),
                                                 f"duplicate key {key!r}"))
            merged_keys.discard(key)
            child_path = path + (key,)
            # an attribute's span runs from its key to the end of its value
            self.spans[child_path] = _span(self.file, key_node.start_mark, child.end_mark)
            self.key_spans[child_path] = _span(self.file, key_node.start_mark, key_node.end_mark)
            value[key] = self.build(child, child_path)
        return value

    def _intrinsic(self, name: str, value: Any, node) -> Any:
        long = _FUNCTION_TAGS.get(name)
        if long is None:
            return {"Fn::" + name: value}
        if long == "Fn::GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            value = [resource, attribute]
        elif long == "Fn::GetAZs" and value is None:
            value = ""
        return {long: value}


def _expanded_size(root) -> int:
    """How many nodes the document has once aliases are expanded, computed without expanding them."""
    sizes: dict = {}
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        kids = [k for pair in node.value for k in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if children_done:
            sizes[id(node)] = 1 + sum(sizes.get(id(k), 1) for k in kids)
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _comments(text: str, file: str, block_lines: list) -> list:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        if not stripped.startswith("#"):
            continue
        if any(first < number <= last for first, last in block_lines):
            continue  # a '#' line inside a literal block scalar is content (inline code), not a comment
        out.append(Comment(file, number, len(line) - len(stripped) + 1, stripped.rstrip()))
    return out


def looks_like_json(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def _strict_json(text: str, file: str) -> None:
    """Raise CfnParseError at the position where `text` stops being JSON (CloudFormation reads a .json template
    as JSON; the YAML composer that gives rlint its positions is more lenient)."""
    import json

    try:
        json.loads(text, strict=False)  # strict but for raw control characters (a tab) inside strings
    except json.JSONDecodeError as exc:
        raise CfnParseError(ParseProblem(Span(file, exc.lineno, exc.colno, exc.lineno, exc.colno),
                                         f"JSON syntax error: {exc.msg}")) from None
    except RecursionError:
        raise CfnParseError(ParseProblem(Span.point(file, 1), "document is nested too deeply to read")) from None


def parse_cloudformation(text: str, file: str) -> CfnDocument:
    """Parse YAML or JSON text; raise CfnParseError with a position when it is not readable."""
    is_json = looks_like_json(text)
    if file.endswith(".json") or (is_json and file.endswith(".template")):
        _strict_json(text, file)  # YAML would accept trailing commas, comments and single quotes
        is_json = True
    if is_json:
        # JSON allows tabs between tokens and never inside strings (they must be escaped), so turning
        # them into spaces keeps every line and column while letting the YAML composer read it.
        text = text.replace("\t", " ")
    builder = _Builder(file)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "syntax error"
        kind = "JSON" if is_json else "YAML"
        raise CfnParseError(ParseProblem(Span(file, line, col, line, col), f"{kind} syntax error: {what}")) from None
    except yaml.YAMLError as exc:
        raise CfnParseError(ParseProblem(Span.point(file, 1), f"unreadable document: {exc}")) from None
    except RecursionError:
        raise CfnParseError(ParseProblem(Span.point(file, 1), "document is nested too deeply to read")) from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return CfnDocument(file, {}, {}, [])
    size = _expanded_size(nodes[0]) if _ANCHOR.search(text) else 0  # only aliases can blow a document up
    if size > MAX_NODES:
        raise CfnParseError(ParseProblem(Span.point(file, 1),
                                         f"document expands to {size:,} nodes through aliases (alias bomb?)"))
    try:
        value = builder.build(nodes[0], ())
    except RecursionError:
        raise CfnParseError(ParseProblem(Span.point(file, 1), "document is nested too deeply to read")) from None
    finally:
        # the scalar loader refers to itself (its parser state is one of its bound methods): without this it
        # and every node it constructed stay behind as cyclic garbage until a full collection, which a scan
        # seldom runs
        builder.dispose()
    doc = CfnDocument(file, value, builder.spans, [], builder.key_spans, is_json)
    if not is_json:
        doc.comments = _comments(text, file, builder.block_scalar_lines)
    if len(nodes) > 1:
        doc.extra_documents = len(nodes) - 1  # type: ignore[attr-defined]
    return doc


def is_cloudformation(value: Any) -> bool:
    """A template has AWSTemplateFormatVersion, or Resources whose entries have an AWS:: type."""
    if not isinstance(value, dict):
        return False
    if "AWSTemplateFormatVersion" in value:
        return True
    resources = value.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(("AWS::", "Custom::"))
               for r in resources.values())

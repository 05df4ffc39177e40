"""HCL (Terraform native syntax) through tree-sitter-hcl: blocks, attributes, spans and comments.

Expressions stay as tree-sitter nodes; `rlint.evaluate.terraform` turns them into values.
Tree-sitter keeps going after a syntax error, so a broken file still yields its readable blocks
plus a ParseProblem naming the first error's position.
"""
from __future__ import annotations

import re
import sys

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from ..model import Comment, ParseProblem, Span


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


@lru_cache(maxsize=1)
def _comment_query():
    import tree_sitter
    import tree_sitter_hcl

    language = tree_sitter.Language(tree_sitter_hcl.language())
    return tree_sitter.QueryCursor(tree_sitter.Query(language, "(comment) @comment"))


def node_span(file: str, node) -> Span:
    (sl, sc), (el, ec) = node.start_point, node.end_point
    return Span(file, sl + 1, sc + 1, el + 1, ec + 1)


@dataclass
class Attribute:
    name: str
    expr: Any  # tree-sitter `expression` node
    span: Span
    source: bytes = b""  # the whole file, for slicing expression text


@dataclass
class Block:
    type: str
    labels: list
    body: "Body"
    span: Span
    file: str


@dataclass
class Body:
    attributes: dict = field(default_factory=dict)  # name -> Attribute
    blocks: list = field(default_factory=list)  # [Block]
    problems: list = field(default_factory=list)  # duplicate attributes and such


@dataclass
class HclFile:
    path: str
    body: Body
    comments: list  # [Comment]
    problems: list  # [ParseProblem]
    source: bytes = b""


def _string_lit_value(node) -> Optional[str]:
    """The text of a block label ("aws_db_instance") or None when it is not a plain string."""
    if node.type == "identifier":
        return sys.intern(node.text.decode())
    if node.type == "string_lit":  # types and names: part of every address made from the block (see below)
        parts = [c for c in node.children if c.type == "template_literal"]
        return sys.intern("".join(p.text.decode() for p in parts))
    return None


def _first_error(node):
    """The first ERROR or MISSING node in document order, or None."""
    if not node.has_error:
        return None
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n
        stack.extend(reversed([c for c in n.children if c.has_error or c.is_missing or c.type == "ERROR"]))
    return node


def _build_body(node, file: str, source: bytes) -> Body:
    body = Body()
    for child in node.named_children:
        t = child.type
        if t == "attribute":
            kids = child.named_children  # identifier, expression (the grammar names no fields here)
            exprs = [c for c in kids if c.type == "expression"]
            if not exprs:
                continue
            # one string per name: a scan holds it as a key of every resource's attributes (and a worker's
            # results reach the parent with one copy per name, not one per use)
            name = sys.intern(kids[0].text.decode())
            if name in body.attributes:
                body.problems.append(
                    ParseProblem(node_span(file, child), f"attribute {name!r} is defined more than once")
                )
                continue
            body.attributes[name] = Attribute(name, exprs[0], node_span(file, child), source)
        elif t == "block":
            block = _build_block(child, file, source)
            if block is not None:
                body.blocks.append(block)
    return body


def _build_block(node, file: str, source: bytes) -> Optional[Block]:
    children = node.named_children
    if not children or children[0].type != "identifier":
        return None
    labels = []
    inner = None
    for c in children[1:]:
        if c.type in ("string_lit", "identifier"):
            labels.append(_string_lit_value(c))
        elif c.type == "body":
            inner = c
    body = _build_body(inner, file, source) if inner is not None else Body()
    return Block(sys.intern(children[0].text.decode()), labels, body, node_span(file, node), file)


def parse_hcl(source: bytes, file: str) -> HclFile:
    tree = _parser().parse(source)
    root = tree.root_node
    comments: list = []
    problems: list = []
    body = Body()
    for child in root.children:
        if child.type == "body":
            body = _build_body(child, file, source)
    _collect_comments(root, file, comments)
    err = _first_error(root)
    if err is not None:
        problems.append(_quoted_argument(err, file, source) or _syntax_error(err, file))
    problems.extend(body.problems)
    for block in _walk_blocks(body):
        problems.extend(block.body.problems)
    return HclFile(file, body, comments, problems, source)


def _syntax_error(err, file: str) -> ParseProblem:
    what = "unexpected text" if err.type == "ERROR" else f"missing {err.type!r}"
    snippet = err.text.decode(errors="replace").strip().splitlines()[0][:40] if err.text else ""
    detail = f" near {snippet!r}" if snippet else ""
    return ParseProblem(node_span(file, err), f"HCL syntax error: {what}{detail}")


# `"name" = value` at the start of a line: Terraform 0.11 wrote maps as blocks with quoted keys
_QUOTED_ARGUMENT = re.compile(rb'^([ \t]*)("[^"\n]*")[ \t]*=', re.M)


def _quoted_argument(err, file: str, source: bytes) -> Optional[ParseProblem]:
    """The error Terraform gives for a quoted argument name, at the name, instead of the parser's first
    unexpected token (the brace of the block that holds it): the error's line or the next one starts with one."""
    if err.type != "ERROR":
        return None
    start = source.rfind(b"\n", 0, err.start_byte) + 1
    end = source.find(b"\n", source.find(b"\n", err.end_byte) + 1)
    text = source[start:end if end >= 0 else len(source)]
    m = _QUOTED_ARGUMENT.search(text)
    if m is None:
        return None
    before = text[:m.start(2)]
    line = err.start_point[0] + 1 + before.count(b"\n")
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    name = m.group(2).decode(errors="replace")
    opened = re.search(rb"([A-Za-z_][\w-]*)\s*$", source[start:err.start_byte])  # `request_parameters {`
    block = opened.group(1).decode() if opened else "name"
    return ParseProblem(Span(file, line, column, line, column + len(name)),
                        f"HCL syntax error: argument names must not be quoted ({name[:40]} = ...): Terraform 0.11 "
                        f"wrote a map as a block with quoted keys, Terraform 0.12 and later refuse it; write "
                        f"`{block} = {{ ... }}`, the keys inside the map")


def _walk_blocks(body: Body):
    for b in body.blocks:
        yield b
        yield from _walk_blocks(b.body)


def _collect_comments(node, file: str, out: list) -> None:
    # comments are extras that can sit at any depth: a query finds them in C instead of a Python walk
    found = _comment_query().captures(node).get("comment", [])
    for n in found:
        out.append(Comment(file, n.start_point[0] + 1, n.start_point[1] + 1, n.text.decode(errors="replace")))
    out.sort(key=lambda c: (c.line, c.column))

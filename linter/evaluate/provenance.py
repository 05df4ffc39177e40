"""Value provenance in Terraform: the shape of an expression, read without evaluating it.

The evaluator follows an attribute's value back to where it is written (a variable default, a tfvars entry,
a module argument, a local; see `ModuleEvaluator.attribute_origins`). For that it needs to know whether an
expression is a literal (written here), a plain reference (`var.x.y`, `local.z`, with literal keys only) to
follow, or something computed; and, inside an object constructor, which element holds a key.
"""
from __future__ import annotations

import re
from typing import Optional


def _kids(node) -> list:
    return [c for c in node.children if c.type != "comment"]


def unwrap(node):
    """The expression inside parentheses."""
    return _unwrapped(node)[0]


def _unwrapped(node) -> tuple:
    """(the expression inside parentheses, its children but comments): reading a node's children builds
    new node objects each time, so callers that need both read them once."""
    kids = None
    while node is not None and node.type == "expression":
        kids = _kids(node)
        if len(kids) == 3 and kids[0].type == "(" and kids[2].type == ")":
            node, kids = kids[1], None
        else:
            break
    return node, kids


def is_literal(node) -> bool:
    """A string, number, bool or null, or a list/object of them: a value written out in full."""
    node = unwrap(node)
    kids = _kids(node) if node is not None else []
    if node is None or node.type != "expression" or len(kids) != 1:
        return False
    inner = kids[0]
    if inner.type == "literal_value":
        return True
    if inner.type != "collection_value":
        return False
    coll = inner.named_children[0]
    if coll.type == "tuple":
        return all(is_literal(c) for c in coll.named_children if c.type == "expression")
    if coll.type == "object":
        for elem in coll.named_children:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.named_children if c.type == "expression"]
            if len(exprs) != 2 or _key_name(exprs[0]) is None or not is_literal(exprs[1]):
                return False
        return True
    return False


def reference(node) -> Optional[tuple]:
    """(root name, (attribute or literal key, ...)) for `var.x.y["k"][0]`; None for anything else."""
    node, kids = _unwrapped(node)
    if node is None or node.type != "expression":
        return None
    if not kids or kids[0].type != "variable_expr":
        return None
    steps = []
    for post in kids[1:]:
        if post.type == "get_attr":
            steps.append(post.named_children[-1].text.decode())
        elif post.type == "index":
            inner = post.named_children[0]
            if inner.type == "legacy_index":
                steps.append(int(inner.text.decode().lstrip(".") or 0))
                continue
            exprs = [c for c in inner.named_children if c.type == "expression"]
            key = _literal_key(exprs[0]) if exprs else None
            if key is None:
                return None
            steps.append(key)
        else:
            return None  # a splat: not one value
    return kids[0].text.decode().strip(), tuple(steps)


def conditional_test(node):
    """The condition of `C ? a : b`, else None."""
    node = unwrap(node)
    kids = _kids(node) if node is not None else []
    if node is None or node.type != "expression" or len(kids) != 1 or kids[0].type != "conditional":
        return None
    exprs = [c for c in kids[0].named_children if c.type == "expression"]
    return exprs[0] if len(exprs) == 3 else None


# `TYPE.NAME` (a resource type has an underscore: aws_mq_broker) or `data.TYPE.NAME` in an expression's text
_NAMED = re.compile(r"(?<![\w.-])(?:data\.([a-z][\w-]*)\.([\w-]+)|([a-z][a-z0-9]*_[\w-]+)\.([\w-]+))")


def block_references(block) -> set:
    """What a block's arguments, nested blocks and `depends_on` may name: `TYPE.NAME` and `data.TYPE.NAME`,
    read from the text without evaluating anything (cheap; the caller keeps the names the module declares)."""
    found: set = set()
    stack = [block]
    while stack:
        item = stack.pop()
        stack.extend(item.body.blocks)
        for attr in item.body.attributes.values():
            for m in _NAMED.finditer(attr.expr.text.decode(errors="replace")):
                found.add(f"data.{m[1]}.{m[2]}" if m[1] else f"{m[3]}.{m[4]}")
    return found


def member(node, key):
    """The value expression of `key` in an object constructor (or of index `key` in a tuple), else None."""
    node = unwrap(node)
    kids = _kids(node) if node is not None else []
    if node is None or node.type != "expression" or len(kids) != 1 or kids[0].type != "collection_value":
        return None
    coll = kids[0].named_children[0]
    if coll.type == "tuple" and isinstance(key, int):
        items = [c for c in coll.named_children if c.type == "expression"]
        return items[key] if 0 <= key < len(items) else None
    if coll.type != "object":
        return None
    for elem in coll.named_children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.named_children if c.type == "expression"]
        if len(exprs) == 2 and _key_name(exprs[0]) == key:
            return exprs[1]
    return None


def is_object(node) -> bool:
    node = unwrap(node)
    kids = _kids(node) if node is not None else []
    return bool(kids) and len(kids) == 1 and kids[0].type == "collection_value" and \
        kids[0].named_children[0].type == "object"


def _key_name(expr) -> Optional[str]:
    kids = _kids(expr)
    if len(kids) == 1 and kids[0].type == "variable_expr":
        return kids[0].text.decode().strip()
    key = _literal_key(expr)
    return key if isinstance(key, str) else None


def _literal_key(expr):
    kids = _kids(expr)
    if len(kids) != 1 or kids[0].type != "literal_value":
        return None
    lit = kids[0].named_children[0]
    if lit.type == "numeric_lit":
        try:
            return int(lit.text.decode())
        except ValueError:
            return None
    if lit.type == "string_lit":
        return "".join(c.text.decode() for c in lit.children if c.type == "template_literal")
    return None

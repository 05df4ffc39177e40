"""Value provenance in Terraform: the shape of an expression, read without evaluating it.

The evaluator follows an attribute's value back to where it is written (a variable default, a tfvars entry,
a module argument, a local; see `ModuleEvaluator.attribute_origins`). For that it needs to know whether an
expression is a literal (written here), a plain reference (`var.x.y`, `local.z`, with literal keys only) to
follow, or something computed; and, inside an object constructor, which element holds a key.
"""
from __future__ import annotations

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


# roots of references that name no resource
_NOT_RESOURCES = frozenset({"var", "local", "module", "count", "each", "path", "terraform", "self"})


def block_references(block) -> set:
    """The resources (`TYPE.NAME`) and data sources (`data.TYPE.NAME`) a block's arguments, nested blocks and
    `depends_on` name, read from the syntax without evaluating anything."""
    found: set = set()
    stack = [attr.expr for attr in block.body.attributes.values()] + list(block.body.blocks)
    while stack:
        item = stack.pop()
        if hasattr(item, "body"):  # a nested block
            stack.extend(attr.expr for attr in item.body.attributes.values())
            stack.extend(item.body.blocks)
            continue
        if item.type == "variable_expr":
            kids = [c for c in item.parent.children if c.type == "get_attr"] if item.parent is not None else []
            names = [k.named_children[-1].text.decode() for k in kids[:2]]
            root = item.text.decode().strip()
            if root == "data" and len(names) == 2:
                found.add(f"data.{names[0]}.{names[1]}")
            elif root not in _NOT_RESOURCES and names:
                found.add(f"{root}.{names[0]}")
            continue
        stack.extend(item.children)
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

"""Terraform type constraints (`type = map(object({ ttl = optional(number, 300) }))`) and conversion to them.

A variable's value is converted to its declared type as Terraform does before the module sees it: primitives
from strings (`"true"` for a bool), and objects get every attribute their type declares, an `optional()` one
that is absent (or null with a default) taking its default or null, while attributes the type does not
declare are dropped. Modules read such values as `each.value.failover_routing_policy != null`; without the
conversion the attribute would be missing and the expression an error.
"""
from __future__ import annotations

from typing import Any, Callable

from ..model import Unknown, first_unknown
from .functions import EvalError, _distinct, _num, normalise_number, set_order, to_bool, to_string, unify

ANY = ("any",)
PRIMITIVES = {"string", "number", "bool", "any"}


def _unwrap(node):
    while node is not None and node.type in ("expression", "collection_value") and node.named_children:
        node = node.named_children[0]
    return node


def parse_type(node, source: bytes, eval_default: Callable) -> tuple:
    """The type structure of a constraint expression; anything unrecognised is `any` (no conversion)."""
    node = _unwrap(node)
    if node is None:
        return ANY
    text = source[node.start_byte:node.end_byte].decode(errors="replace").strip()
    if node.type == "variable_expr":
        return (text,) if text in PRIMITIVES else ANY
    if node.type != "function_call" or not node.named_children:
        return ANY
    name = source[node.named_children[0].start_byte:node.named_children[0].end_byte].decode()
    args_node = next((c for c in node.named_children if c.type == "function_arguments"), None)
    args = [c for c in args_node.named_children if c.type == "expression"] if args_node is not None else []
    if name in ("list", "set", "map") and len(args) == 1:
        return (name, parse_type(args[0], source, eval_default))
    if name == "tuple" and len(args) == 1:
        inner = _unwrap(args[0])
        if inner is not None and inner.type == "tuple":
            return ("tuple", [parse_type(e, source, eval_default) for e in inner.named_children
                              if e.type == "expression"])
        return ANY
    if name == "object" and len(args) == 1:
        inner = _unwrap(args[0])
        if inner is None or inner.type != "object":
            return ANY
        attrs = {}
        for elem in inner.named_children:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.named_children if c.type == "expression"]
            if len(exprs) != 2:
                continue
            key = source[exprs[0].start_byte:exprs[0].end_byte].decode().strip().strip('"')
            attrs[key] = _attribute(exprs[1], source, eval_default)
        return ("object", attrs)
    return ANY


def _attribute(node, source: bytes, eval_default: Callable) -> tuple:
    """(type, optional, default) of one object attribute."""
    inner = _unwrap(node)
    if inner is not None and inner.type == "function_call" and inner.named_children and \
            source[inner.named_children[0].start_byte:inner.named_children[0].end_byte] == b"optional":
        args_node = next((c for c in inner.named_children if c.type == "function_arguments"), None)
        args = [c for c in args_node.named_children if c.type == "expression"] if args_node is not None else []
        if not args:
            return ANY, True, None
        t = parse_type(args[0], source, eval_default)
        default = convert_to(eval_default(args[1]), t) if len(args) > 1 else None
        return t, True, default
    return parse_type(node, source, eval_default), False, None


def convert_to(value: Any, t: tuple) -> Any:
    """`value` converted to the type structure `t`; a value that does not convert is Unknown."""
    if isinstance(value, Unknown) or value is None or t == ANY:
        return value
    kind = t[0]
    try:
        if kind == "bool":
            return to_bool(value)
        if kind == "number":
            return normalise_number(_num(value))
        if kind == "string":
            return to_string(value)
    except (EvalError, ValueError, TypeError):
        return Unknown(f"value {value!r} does not convert to {kind}")
    try:
        if kind in ("list", "set") and isinstance(value, list):
            # list(any), set(any): the elements take the one type they unify to (1 and "a" become strings)
            items = [convert_to(v, t[1]) for v in (unify(value) if t[1] == ANY else value)]
            return set_order(_distinct(items)) if kind == "set" and first_unknown(items) is None else items
        if kind == "map" and isinstance(value, dict):
            values = unify(list(value.values())) if t[1] == ANY else list(value.values())
            return {k: convert_to(v, t[1]) for k, v in zip(value, values)}
    except EvalError as exc:
        return Unknown(f"value does not convert to {kind}: {exc}")
    if kind == "tuple" and isinstance(value, list) and len(value) == len(t[1]):
        return [convert_to(v, et) for v, et in zip(value, t[1])]
    if kind == "object" and isinstance(value, dict):
        out = {}
        for name, (at, optional, default) in t[1].items():
            v = value.get(name)
            if v is None and optional:
                out[name] = default
            elif name in value:
                out[name] = convert_to(v, at)
            # a required attribute that is missing is Terraform's error: leave it out
        return out
    return value

"""The HCL expression evaluator over tree-sitter nodes.

`ExprEvaluator.eval(node, scope)` returns a plain value or Unknown(reason). Names are resolved by a
`resolve(root, steps, scope)` callback supplied by the module evaluator, so this file knows the HCL
language and nothing about Terraform's objects. Every reference that resolution meets is reported to
`on_ref`, which is how graph edges are recorded even when the value itself is unknown.
"""
from __future__ import annotations

import contextlib
import re
import sys
from typing import Any, Callable, Optional

from ..model import (AzList, EncodedJson, PartialString, PolicyDocument, Unknown, UnknownList, collect_refs,
                     first_unknown)
from . import hcl_template
from .functions import (FILE_FUNCTIONS, FUNCTIONS, IMPURE, EvalError, Undecidable, arithmetic, equal, normalise_number,
                        to_bool, to_string, type_name, unify, unknown_in)
from .functions import iterate_pairs as _iterate
from .hcl_template import quoted_range, unescape
from .zone_lists import index_zone_list, zone_list_call

MAX_FOR_ITEMS = 10_000  # a `for` over more elements than this is reported unknown, not expanded

def _non_null_string(value: Any) -> bool:
    """A value not known yet that is certainly a string, never null: a template with text around its unknown
    parts (Terraform refines a template's result as not null) or the JSON an aws_iam_policy_document renders."""
    return isinstance(value, (PartialString, PolicyDocument))


def _unknown_from(*values) -> Unknown:
    u = first_unknown(list(values))
    return Unknown(u.reason if u is not None else "unknown", collect_refs(list(values)))


class Steps(list):
    """A reference's traversal after its root name: ("attr", name) / ("index", value) / ("splat", None) /
    ("splat_end", None). The steps between a splat and its end apply to each element; an attribute-only splat
    (`.*`) takes only the attributes that follow it, so in `aws_eip.nat.*.id[count.index]` the index picks one
    element of the list of ids (HCL's rule, as Terraform reads it), where `aws_eip.nat[*].id[0]` indexes each id."""


def split_splat(steps) -> tuple:
    """Steps starting with a splat: (the steps applied to each element, the steps applied to the list)."""
    end = next((i for i, (kind, _arg) in enumerate(steps) if kind == "splat_end"), len(steps))
    return Steps(steps[1:end]), Steps(steps[end + 1:])


# functions whose result may be known while parts of their arguments are not (ExprEvaluator._partial)
_PARTIAL = frozenset({"jsonencode", "length", "concat", "merge", "coalesce", "element"})
# functions whose result is a list or a set whatever their arguments: over unknown arguments, an UnknownList
_LIST_RESULTS = frozenset({"split", "concat", "flatten", "distinct", "compact", "tolist", "toset", "keys", "values",
                           "range", "slice", "reverse", "sort", "chunklist", "regexall", "setunion",
                           "setintersection", "setsubtract", "formatlist", "cidrsubnets", "matchkeys"})


class ExprEvaluator:
    # a conditional's other result is evaluated only for its type, and not inside another such evaluation:
    # else-if chains would cost 2^depth
    MAX_TYPE_PROBES = 1

    def __init__(self, source: bytes, resolve: Callable, on_ref: Optional[Callable] = None,
                 quiet: Optional[Callable] = None, files=None):
        self.source = source
        self.files = files  # files.FileReader: file(), fileexists() ... read from the scanned checkout
        self.resolve = resolve
        self.on_ref = on_ref or (lambda ref: None)
        # `quiet()`: a context in which references met are no graph edges (a result that is not taken)
        self.quiet = quiet or contextlib.nullcontext
        self._type_probes = 0

    def text(self, node) -> str:
        return self.source[node.start_byte:node.end_byte].decode(errors="replace")

    # -- dispatch -------------------------------------------------------------------------------------
    def eval(self, node, scope: dict) -> Any:
        try:
            return self._eval(node, scope)
        except RecursionError:
            return Unknown("expression nested too deeply")

    def _eval(self, node, scope: dict) -> Any:
        t = node.type
        method = self._methods.get(t)
        if method is None:
            return Unknown(f"unsupported expression {t}")
        return method(self, node, scope)

    def _split_operator(self, node):
        """(left children, operator, right children) of a binary operation, whose operands are flat."""
        kids = [c for c in node.children if c.type != "comment"]
        depth = 0
        for i, c in enumerate(kids):
            if c.type == "(":
                depth += 1
            elif c.type == ")":
                depth -= 1
            elif not c.is_named and depth == 0 and i > 0:
                return kids[:i], c.type, kids[i + 1:]
        return kids, None, []

    # -- terms ----------------------------------------------------------------------------------------
    def _e_expression(self, node, scope):
        return self._eval_seq(node.children, scope)

    def _eval_seq(self, children, scope):
        """A term followed by postfix operators (.attr, [index], splats), as expressions and operands are."""
        children = [c for c in children if c.type != "comment"]
        if not children:
            return None
        if children[0].type == "(":
            # a parenthesised expression followed perhaps by postfix operators
            inner_end = next(i for i, c in enumerate(children) if c.type == ")")
            head = self._eval(children[1], scope)
            return self._apply_postfix(head, children[inner_end + 1:], scope)
        head_node, postfix = children[0], children[1:]
        if head_node.type == "variable_expr":
            return self._reference(head_node, self._steps(postfix, scope) if postfix else Steps(), scope)
        return self._apply_postfix(self._eval(head_node, scope), postfix, scope)

    def _e_variable_expr(self, node, scope):
        return self._reference(node, Steps(), scope)

    def _reference(self, var_node, steps, scope):
        name = self.text(var_node).strip()
        if name in scope:  # for-expression and iterator variables shadow everything else
            return traverse(scope[name], steps)
        return self.resolve(name, steps, scope, self)

    def _steps(self, postfix, scope) -> Steps:
        steps = Steps()
        for p in postfix:
            if p.type == "get_attr":
                steps.append(("attr", self.text(p.named_children[-1])))
            elif p.type == "index":
                inner = p.named_children[0]
                if inner.type == "legacy_index":
                    steps.append(("index", int(self.text(inner).lstrip(".") or 0)))
                else:
                    exprs = [c for c in inner.named_children if c.type == "expression"]
                    steps.append(("index", self._eval(exprs[0], scope) if exprs else None))
            elif p.type == "splat":
                splat = p.named_children[0]
                steps.append(("splat", None))
                inner = self._steps(splat.named_children, scope)
                if splat.type == "attr_splat":
                    attrs = next((i for i, (kind, _a) in enumerate(inner) if kind != "attr"), len(inner))
                    inner[attrs:attrs] = [("splat_end", None)]
                steps.extend(inner)
        return steps

    def _apply_postfix(self, value, postfix, scope):
        if not postfix:
            return value
        return traverse(value, self._steps(postfix, scope))

    def _e_literal_value(self, node, scope):
        child = node.named_children[0]
        t = child.type
        if t == "numeric_lit":
            txt = self.text(child)
            try:
                return int(txt)
            except ValueError:
                return normalise_number(float(txt))
        if t == "bool_lit":
            return self.text(child) == "true"
        if t == "null_lit":
            return None
        if t == "string_lit":
            return self._template(child, scope, quoted=True)
        return Unknown(f"unsupported literal {t}")

    def _e_collection_value(self, node, scope):
        return self._eval(node.named_children[0], scope)

    def _e_tuple(self, node, scope):
        return [self._eval(c, scope) for c in node.named_children if c.type == "expression"]

    def _e_object(self, node, scope):
        out: dict = {}
        unknown_keys = []
        for elem in node.named_children:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.named_children if c.type == "expression"]
            if len(exprs) != 2:
                continue
            key = self._object_key(exprs[0], scope)
            value = self._eval(exprs[1], scope)
            if isinstance(key, Unknown):
                unknown_keys.append(key)
                continue
            key = to_string(key) if not isinstance(key, str) else key
            out[sys.intern(key) if type(key) is str else key] = value  # one string per name (parsers/terraform)
        if unknown_keys:
            return Unknown("an object key is unknown: " + unknown_keys[0].reason, collect_refs([unknown_keys, out]))
        return out

    def _object_key(self, expr, scope):
        # a bare identifier key is a literal name, not a variable reference (`{ a = 1 }`)
        kids = [c for c in expr.children if c.type != "comment"]
        if len(kids) == 1 and kids[0].type == "variable_expr":
            return self.text(kids[0]).strip()
        if kids and kids[0].type == "(":
            return self._eval(kids[1], scope)
        return self._eval(expr, scope)

    def _e_template_expr(self, node, scope):
        inner = node.named_children[0]
        if inner.type == "heredoc_template":
            return self._heredoc(inner, scope)
        return self._template(inner, scope, quoted=True)

    def _e_quoted_template(self, node, scope):
        return self._template(node, scope, quoted=True)

    # -- templates ------------------------------------------------------------------------------------
    def _template(self, node, scope, quoted: bool = True):
        kids = node.children
        span = quoted_range(node, kids)
        if span is None:
            return Unknown("malformed string")
        start, end = span
        if not any(c.type in ("template_interpolation", "template_directive") for c in kids):
            return unescape(self.source[start:end].decode(errors="replace"))  # plain text: the common case
        return hcl_template.evaluate(self, node, scope, start, end, kids=kids)

    def _heredoc(self, node, scope):
        idents = [c for c in node.children if c.type == "heredoc_identifier"]
        start = node.children[0]
        flush = self.text(start).strip().startswith("<<-")
        if not idents:
            return Unknown("malformed heredoc")
        # content runs from the line after the opening identifier to the line of the closing one
        open_end = idents[0].end_byte
        nl = self.source.find(b"\n", open_end)
        content_start = nl + 1 if nl >= 0 else open_end
        close = idents[-1] if len(idents) > 1 else None
        content_end = close.start_byte if close is not None else node.end_byte
        line_start = self.source.rfind(b"\n", content_start, content_end)
        content_end = line_start + 1 if line_start >= 0 else content_start
        return hcl_template.evaluate(self, node, scope, content_start, content_end, heredoc=True,
                                     flush_indent=flush)

    # -- operators ------------------------------------------------------------------------------------
    def _e_operation(self, node, scope):
        return self._eval(node.named_children[0], scope)

    def _e_unary_operation(self, node, scope):
        kids = [c for c in node.children if c.type != "comment"]
        op = kids[0].type
        v = self._eval_seq(kids[1:], scope)
        if isinstance(v, Unknown):
            return v
        try:
            if op == "!":
                return not to_bool(v)
            if op == "-":
                return arithmetic("-", 0, _number(v))
        except EvalError as exc:
            return Unknown(f"error: operator {op}: {exc}")
        return Unknown(f"unsupported operator {op}")

    def _e_binary_operation(self, node, scope):
        left_nodes, op, right_nodes = self._split_operator(node)
        if op is None or not right_nodes:
            return Unknown("malformed operation")
        left = self._eval_seq(left_nodes, scope)
        # && and || short-circuit on a decided left side, as Terraform does not, but the result is the same
        if op in ("&&", "||") and not isinstance(left, Unknown):
            try:
                lb = to_bool(left)
            except EvalError as exc:
                return Unknown(f"operator {op}: {exc}")
            if op == "&&" and not lb:
                return False
            if op == "||" and lb:
                return True
            right = self._eval_seq(right_nodes, scope)
            if isinstance(right, Unknown):
                return right
            try:
                return to_bool(right)
            except EvalError as exc:
                return Unknown(f"operator {op}: {exc}")
        right = self._eval_seq(right_nodes, scope)
        if op in ("&&", "||") and isinstance(left, Unknown) and not isinstance(right, Unknown):
            # unknown && false is false; unknown || true is true
            try:
                rb = to_bool(right)
            except EvalError:
                return left
            if op == "&&" and not rb:
                return False
            if op == "||" and rb:
                return True
            return left
        if op in ("==", "!="):
            if _non_null_string(left) and right is None or _non_null_string(right) and left is None:
                return op == "!="
            if first_unknown([left, right]) is not None:
                return _unknown_from(left, right)
            same = equal(left, right)
            return same if op == "==" else not same
        if isinstance(left, Unknown) or isinstance(right, Unknown):
            return _unknown_from(left, right)
        try:
            a, b = _number(left), _number(right)
            if op in ("+", "-", "*", "/", "%"):
                return arithmetic(op, a, b)
            if op == "<":
                return _cmp(a, b) < 0
            if op == ">":
                return _cmp(a, b) > 0
            if op == "<=":
                return _cmp(a, b) <= 0
            if op == ">=":
                return _cmp(a, b) >= 0
        except EvalError as exc:
            return Unknown(f"error: operator {op}: {exc}")
        except Undecidable as exc:
            return Unknown(f"operator {op}: {exc}")
        return Unknown(f"unsupported operator {op}")

    def _e_conditional(self, node, scope):
        exprs = [c for c in node.named_children if c.type == "expression"]
        if len(exprs) != 3:
            return Unknown("malformed conditional")
        cond = self._eval(exprs[0], scope)
        if isinstance(cond, Unknown):
            a, b = self._eval(exprs[1], scope), self._eval(exprs[2], scope)
            if first_unknown([a, b]) is None and equal(a, b):
                return a  # both branches agree: the condition does not matter
            return Unknown(f"depends on a condition: {cond.reason}", collect_refs([cond, a, b]))
        try:
            truth = to_bool(cond)
        except EvalError as exc:
            return Unknown(f"error: condition: {exc}")
        chosen, other = (exprs[1], exprs[2]) if truth else (exprs[2], exprs[1])
        value = self._eval(chosen, scope)
        if isinstance(value, Unknown) or value is None:
            return value
        # the result has the type both results unify to (true ? 1 : "a" is "1"), decided from the other
        # result's value when it is known; the result not taken makes no graph edge
        if self._type_probes >= self.MAX_TYPE_PROBES:
            return value
        self._type_probes += 1
        try:
            with self.quiet():
                alternative = self._eval(other, scope)
        finally:
            self._type_probes -= 1
        if first_unknown([value, alternative]) is not None:
            return value  # the other result's type is not known: rlint keeps the value as written
        try:
            return unify([value, alternative])[0]
        except EvalError as exc:
            return Unknown(f"error: conditional results have no common type: {exc}")

    # -- functions ------------------------------------------------------------------------------------
    def _e_function_call(self, node, scope):
        name = self.text(node.named_children[0])
        args_node = next((c for c in node.named_children if c.type == "function_arguments"), None)
        arg_nodes = [c for c in args_node.named_children if c.type == "expression"] if args_node else []
        expand = args_node is not None and any(c.type == "ellipsis" for c in args_node.children)
        if name in ("try", "can"):
            return self._try_can(name, arg_nodes, scope)
        if name == "element" and len(arg_nodes) == 2 and not expand:
            picked = self._element_of_instances(arg_nodes, scope)
            if picked is not None:
                return picked
        args = [self._eval(a, scope) for a in arg_nodes]
        if expand and args:
            last = args[-1]
            if isinstance(last, Unknown):
                return last
            args = args[:-1] + list(last if isinstance(last, list) else [last])
        if name in FILE_FUNCTIONS and self.files is not None:
            return self.files.call(name, args, any("path." in self.text(a) for a in arg_nodes))
        if name in IMPURE or "::" in name:
            return Unknown(f"{name}() is not evaluated before apply", collect_refs(args))
        fn = FUNCTIONS.get(name)
        if fn is None:
            return Unknown(f"function {name}() is not evaluated", collect_refs(args))
        zones = zone_list_call(name, args)
        if zones is not None:
            return zones
        if name in _PARTIAL:
            return self._partial(name, fn, args)
        u = unknown_in(args)
        if u is not None:
            return _typed(name, u)
        return _call(name, fn, args)

    def _element_of_instances(self, arg_nodes, scope):
        """`element(aws_nat_gateway.this[*].id, count.index)`: the one instance's value, whose references are
        the only graph edges (the list's other elements are not read); None when the list or the index is not
        known, or the element carries no reference of its own (then every reference of the list counts)."""
        index = self._eval(arg_nodes[1], scope)
        if isinstance(index, Unknown):
            return None
        with self.quiet():
            items = self._eval(arg_nodes[0], scope)
        if not isinstance(items, list) or not items:
            return None
        picked = _call("element", FUNCTIONS["element"], [items, index])
        if not isinstance(picked, Unknown) or not picked.refs or picked.reason.startswith(("error", "element")):
            return None
        for ref in picked.refs:
            self.on_ref(ref)
        return picked

    def _partial(self, name, fn, args):
        """Functions whose result is known even when parts of their arguments are not."""
        top = [a for a in args if isinstance(a, Unknown)]
        if name == "length":
            if top or not args:
                return top[0] if top else Unknown("length()")
            if isinstance(args[0], (list, dict)):
                return len(args[0])
        elif name in ("concat", "merge"):
            if not top:
                return _call(name, fn, args)
        elif name == "element":
            # one element of a list whose other elements are unknown is that element, as in Terraform:
            # `element(aws_nat_gateway.this[*].id, count.index)` is the id of one gateway, not of any
            if len(args) == 2 and isinstance(args[0], list) and args[0] and not isinstance(args[1], Unknown):
                return _call(name, fn, args)
        elif name == "coalesce":
            for a in args:
                if isinstance(a, Unknown):
                    return Unknown(a.reason, collect_refs(args))
                if a is not None and a != "":
                    break
            else:
                return Unknown("error: coalesce(): no non-null argument")
            if first_unknown(args) is not None:
                return Unknown(first_unknown(args).reason, collect_refs(args))
        u = unknown_in(args)
        if u is not None:
            if name == "jsonencode" and len(args) == 1 and not top and not u.reason.startswith("error"):
                return EncodedJson(u.reason, u.refs, args[0])  # its known parts stay readable (policy statements)
            return _typed(name, u)
        return _call(name, fn, args)

    def _try_can(self, name, arg_nodes, scope):
        # try() returns its first argument that evaluates without error; an unknown argument makes the
        # result unknown (Terraform cannot tell yet whether it would fail)
        results = []
        for a in arg_nodes:
            v = self._eval(a, scope)
            if isinstance(v, Unknown) and v.reason.startswith("error:"):
                if name == "can":
                    return False
                continue
            if isinstance(v, Unknown):
                return v if name == "try" else Unknown(v.reason, v.refs)
            if name == "can":
                return True
            results.append(v)
            return v
        if name == "can":
            return False
        return Unknown("try(): every argument failed")

    # -- for expressions ------------------------------------------------------------------------------
    def _e_for_expr(self, node, scope):
        return self._eval(node.named_children[0], scope)

    def _for_parts(self, node):
        intro = next(c for c in node.named_children if c.type == "for_intro")
        names = [self.text(c) for c in intro.named_children if c.type == "identifier"]
        coll = next(c for c in intro.named_children if c.type == "expression")
        exprs = [c for c in node.named_children if c.type == "expression"]
        cond = next((c for c in node.named_children if c.type == "for_cond"), None)
        cond_expr = next(c for c in cond.named_children if c.type == "expression") if cond else None
        grouping = any(c.type == "ellipsis" for c in node.children)
        return names, coll, exprs, cond_expr, grouping

    def _for_items(self, names, coll_value, scope):
        for key, value in _iterate(coll_value):
            inner = dict(scope)
            if len(names) == 2:
                inner[names[0]], inner[names[1]] = key, value
            else:
                inner[names[0]] = value
            yield inner

    def _for_collection(self, coll, scope):
        value = self._eval(coll, scope)
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, (list, dict)):
            return Unknown(f"for over a {type_name(value)}")
        if len(value) > MAX_FOR_ITEMS:
            return Unknown(f"for expression over {len(value):,} elements (limit {MAX_FOR_ITEMS:,})")
        return value

    def _keep(self, cond_expr, inner):
        if cond_expr is None:
            return True
        c = self._eval(cond_expr, inner)
        if isinstance(c, Unknown):
            return c
        try:
            return to_bool(c)
        except EvalError as exc:
            return Unknown(f"for condition: {exc}")

    def _e_for_tuple_expr(self, node, scope):
        names, coll, exprs, cond_expr, _ = self._for_parts(node)
        value = self._for_collection(coll, scope)
        if isinstance(value, Unknown):
            return value
        out = []
        for inner in self._for_items(names, value, scope):
            keep = self._keep(cond_expr, inner)
            if isinstance(keep, Unknown):
                return keep
            if keep:
                out.append(self._eval(exprs[0], inner))
        return out

    def _e_for_object_expr(self, node, scope):
        names, coll, exprs, cond_expr, grouping = self._for_parts(node)
        value = self._for_collection(coll, scope)
        if isinstance(value, Unknown):
            return value
        out: dict = {}
        for inner in self._for_items(names, value, scope):
            keep = self._keep(cond_expr, inner)
            if isinstance(keep, Unknown):
                return keep
            if not keep:
                continue
            k = self._eval(exprs[0], inner)
            if isinstance(k, Unknown):
                return Unknown(f"for key: {k.reason}", k.refs)
            try:
                k = to_string(k)
            except EvalError as exc:
                return Unknown(f"for key: {exc}")
            v = self._eval(exprs[1], inner)
            if grouping:
                out.setdefault(k, []).append(v)
            elif k in out:
                return Unknown(f"for expression produces duplicate key {k!r}")
            else:
                out[k] = v
        return out


def _typed(name: str, u: Unknown) -> Unknown:
    """The unknown result of function `name`: an UnknownList when the function always returns a list (an error
    stays a plain Unknown)."""
    if name in _LIST_RESULTS and not u.reason.startswith("error"):
        return UnknownList(u.reason, u.refs)
    return u


def _call(name, fn, args):
    try:
        return fn(*args)
    except EvalError as exc:  # the function rejects known arguments, as Terraform would: try() catches it
        return Unknown(f"error: {name}(): {exc}")
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError) as exc:
        return Unknown(f"{name}(): {exc}")  # rlint cannot say (Undecidable, or arguments it does not read)


def _number(v):
    from .functions import _num

    return _num(v)


def _cmp(a, b) -> int:
    from .functions import _decimal

    x, y = _decimal(a), _decimal(b)
    return (x > y) - (x < y)




def traverse(value, steps) -> Any:
    """Apply attribute, index and splat steps to a known value (unknown stays unknown)."""
    for i, (kind, arg) in enumerate(steps):
        if isinstance(value, AzList) and kind == "index":
            value = index_zone_list(value, arg)  # the i-th zone of a plan-time zone list
            continue
        if isinstance(value, Unknown):
            if type(value) is UnknownList and kind not in ("splat", "splat_end"):
                return Unknown(value.reason, value.refs)  # an element of the list (or its attribute), not a list
            return value
        if kind == "splat_end":
            continue  # reached only from the steps after a splat, which `split_splat` has cut off
        if kind == "splat":
            each, after = split_splat(steps[i:])
            items = [] if value is None else value if isinstance(value, list) else [value]
            return traverse([traverse(item, each) for item in items], after)
        if kind == "attr":
            if isinstance(value, dict):
                if arg not in value:
                    return Unknown(f"error: no attribute {arg!r}")
                value = value[arg]
            else:
                return Unknown(f"error: .{arg} on a {type_name(value)}")
        else:  # index
            if isinstance(arg, Unknown):
                return Unknown(f"index is unknown: {arg.reason}", arg.refs)
            if isinstance(value, list):
                try:
                    i = _number(arg)
                except EvalError:
                    return Unknown(f"error: index {arg!r} is not a number")
                if i != int(i) or i < 0 or i >= len(value):
                    return Unknown(f"error: index {arg!r} out of range")
                value = value[int(i)]
            elif isinstance(value, dict):
                key = to_string(arg) if not isinstance(arg, str) else arg
                if key not in value:
                    return Unknown(f"error: no key {key!r}")
                value = value[key]
            else:
                return Unknown(f"error: index into a {type_name(value)}")
    return value


# node type -> ExprEvaluator._e_<type>, looked up once instead of by name for every node evaluated
ExprEvaluator._methods = {name[3:]: fn for name, fn in vars(ExprEvaluator).items() if name.startswith("_e_")}

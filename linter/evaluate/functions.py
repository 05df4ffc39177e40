"""Terraform's built-in functions over rlint values (plain Python values and Unknown).

Each function receives already-evaluated arguments. When any argument it needs is Unknown the result is
Unknown too (`unknown_in` below), carrying the references so graph edges survive. A function that is not
in the table gives Unknown("function f is not evaluated"). `try` and `can` are special forms handled by the
evaluator, because they must see errors raised while evaluating their arguments.
"""
from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import math
import posixpath
import re
import unicodedata
from typing import Any, Callable

from ..lazy_regex import lazy_regex
from ..model import Unknown, collect_refs, first_unknown


class EvalError(Exception):
    """Terraform itself would reject this expression (wrong type, index out of range...)."""


def unknown_in(args) -> Unknown | None:
    u = first_unknown(list(args))
    if u is None:
        return None
    return Unknown(u.reason, collect_refs(list(args)))


class Undecidable(ValueError):
    """Terraform decides this, but rlint cannot reproduce its answer exactly (a result is Unknown, not an
    error that try() would catch): the decimal form of an inexact number, a grapheme rlint cannot segment."""


# Terraform's decimal number syntax (cty): an optional sign, digits with an optional fraction, an exponent
_DECIMAL = lazy_regex(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _num(v):
    if isinstance(v, bool):
        raise EvalError("a bool is not a number")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        if not _DECIMAL().fullmatch(v):
            raise EvalError(f"{v!r} is not a decimal number")
        from decimal import Decimal  # imported where used: a scan without Terraform arithmetic never needs it

        d = Decimal(v)
        return int(d) if d == d.to_integral_value() else float(d)
    raise EvalError(f"{type_name(v)} is not a number")


def normalise_number(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


def _decimal(v) -> Decimal:
    """A number as Terraform holds it: the decimal it was written as, not the nearest binary float."""
    from decimal import Decimal

    return Decimal(v) if isinstance(v, int) else Decimal(repr(v))


def from_decimal(d: Decimal):
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def arithmetic(op: str, a, b):
    """+ - * / % as Terraform computes them: exactly on decimals (0.1 + 0.2 is 0.3), % with the sign of the
    dividend (-7 % 3 is -1), x % 0 is x; a division by zero is infinite, which rlint leaves undecided."""
    if isinstance(a, int) and isinstance(b, int) and op in "+-*":
        return a + b if op == "+" else a - b if op == "-" else a * b
    from decimal import localcontext

    x, y = _decimal(a), _decimal(b)
    with localcontext() as ctx:
        ctx.prec = 60
        if op == "+":
            r = x + y
        elif op == "-":
            r = x - y
        elif op == "*":
            r = x * y
        elif op == "/":
            if y == 0:
                raise Undecidable("division by zero is infinite")
            r = x / y
        else:
            if y == 0:
                return a
            r = x % y
    return from_decimal(r)


def number_text(v) -> str:
    """A number's string form as Terraform writes it: no exponent, no trailing zeros (1e21 is
    1000000000000000000000, 1e-7 is 0.0000001)."""
    v = normalise_number(v)
    if isinstance(v, int):
        return str(v)
    digits = repr(v).lower().split("e")[0].replace("-", "").replace(".", "").lstrip("0")
    if len(digits) >= 16:  # an inexact result: Terraform prints its 512-bit value, rlint has 53 bits
        raise Undecidable(f"the decimal form of {v!r} (Terraform computes it to 512 bits)")
    from decimal import Decimal

    text = format(Decimal(repr(v)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def type_name(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def to_string(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return number_text(v)
    if isinstance(v, str):
        return v
    if v is None:
        raise EvalError("null cannot be used as a string")
    raise EvalError(f"a {type_name(v)} cannot be used as a string")


def to_bool(v) -> bool:
    if isinstance(v, bool):
        return v
    if v in ("true", "1"):  # cty converts "1" and "0" too
        return True
    if v in ("false", "0"):
        return False
    raise EvalError(f"{v!r} is not a bool")


# -- types: Terraform unifies the types of values that must share one (a conditional's results, the
# elements of a set, map or list(any), coalesce's arguments) -----------------------------------------
def _kind(v) -> str:
    """type_name, with every other kind of value (null included) as one "other"."""
    name = type_name(v)
    return name if name in ("bool", "number", "string", "list", "object") else "other"


def unify(values: list) -> list:
    """`values` converted to the one type they unify to, as cty's Unify: a string among primitives makes every
    primitive a string; numbers and bools do not mix; tuples of one length unify element by element, else
    every element together; objects with the same attributes attribute by attribute, else as a map.
    Known values only (callers test for Unknown first); null takes any type."""
    kinds = {_kind(v) for v in values if v is not None}
    if len(kinds) <= 1 and kinds <= {"string", "number", "bool", "other"}:
        return list(values)
    if kinds <= {"string", "number", "bool"}:
        if "string" not in kinds:
            raise EvalError("a number and a bool have no common type")
        return [None if v is None else to_string(v) for v in values]
    if kinds == {"list"}:
        lists = [v for v in values if v is not None]
        if len({len(v) for v in lists}) == 1:
            columns = [unify([v[i] for v in lists]) for i in range(len(lists[0]))]
            rows = iter(list(row) for row in zip(*columns)) if columns else iter([] for _ in lists)
        else:
            flat = unify([x for v in lists for x in v])
            it = iter(flat)
            rows = iter([next(it) for _ in v] for v in lists)
        return [None if v is None else next(rows) for v in values]
    if kinds == {"object"}:
        objs = [v for v in values if v is not None]
        if len({tuple(sorted(o)) for o in objs}) == 1:
            keys = list(objs[0])
            columns = {k: iter(unify([o[k] for o in objs])) for k in keys}
            fixed = [{k: next(columns[k]) for k in o} for o in objs]
        else:
            flat = iter(unify([x for o in objs for x in o.values()]))
            fixed = [{k: next(flat) for k in o} for o in objs]
        it = iter(fixed)
        return [None if v is None else next(it) for v in values]
    raise EvalError(f"values of types {', '.join(sorted(kinds))} have no common type")


def set_order(items: list) -> list:
    """A set's elements in Terraform's order: strings lexically, numbers ascending, false before true."""
    kinds = {_kind(i) for i in items}
    if kinds == {"string"} or kinds == {"bool"}:
        return sorted(items)
    if kinds == {"number"}:
        return sorted(items, key=_decimal)
    return items


def iterate_pairs(coll) -> list:
    """A for expression's (key, value) pairs: a map's or object's in the lexical order of their keys."""
    if isinstance(coll, dict):
        return sorted(coll.items())
    return list(enumerate(coll))


def _collection(v) -> list:
    """A list, set or tuple argument (a map or object is not one: Terraform rejects it)."""
    if isinstance(v, list):
        return v
    if v is None:
        raise EvalError("argument must not be null")
    raise EvalError(f"a {type_name(v)} is not a list")


def _toset(v):
    if v is None:
        return None
    return set_order(_distinct(unify(list(_collection(v)))))


def _lookup(m, key, *default):
    if not isinstance(m, dict):
        raise EvalError("lookup needs a map" if m is not None else "lookup of null")
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise EvalError(f"no key {key!r} in map")


def _whole(v, what: str = "index") -> int:
    n = _num(v)
    if n != int(n):
        raise EvalError(f"{what} must be a whole number")
    return int(n)


def _element(lst, idx):
    lst = _collection(lst)
    if not lst:
        raise EvalError("element of an empty list")
    i = _whole(idx)
    if i < 0:
        raise EvalError("element of a negative index")
    return lst[i % len(lst)]


def _coalesce(*args):
    for a in unify(list(args)):
        if a is not None and a != "":
            return a
    raise EvalError("no non-null, non-empty argument")


def _coalescelist(*args):
    for a in args:
        if a is not None and not isinstance(a, list):
            raise EvalError("coalescelist takes lists")
        if a:
            return a
    raise EvalError("no non-empty list")


def _flatten(v):
    out = []
    for i in _collection(v):
        if isinstance(i, list):
            out.extend(_flatten(i))
        else:
            out.append(i)
    return out


def _merge(*maps):
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise EvalError("merge takes maps")
        out.update(m)
    return out


_VERB = lazy_regex(r"%(?P<flags>[-+# 0]*)(?:\[(?P<index>[0-9]+)\])?(?P<width>[0-9]*)(?:\.(?P<prec>[0-9]*))?"
                   r"(?P<verb>[a-zA-Z%])")


def _format(fmt, *args):
    """Terraform's format(): Go's verbs over Terraform values (%v/%#v as JSON for collections, %d an integer,
    %s with a precision truncating, %[n] choosing the argument)."""
    out = []
    pos = 0
    next_arg = 0
    used = set()
    while pos < len(fmt):
        ch = fmt[pos]
        if ch != "%":
            out.append(ch)
            pos += 1
            continue
        m = _VERB().match(fmt, pos)
        if not m:
            raise EvalError(f"bad format verb in {fmt!r}")
        pos = m.end()
        verb, flags, width, prec = m.group("verb"), m.group("flags"), m.group("width"), m.group("prec")
        if verb == "%":
            out.append("%")
            continue
        if m.group("index"):
            next_arg = int(m.group("index")) - 1
        if next_arg >= len(args) or next_arg < 0:
            raise EvalError("not enough arguments for format")
        a = args[next_arg]
        used.add(next_arg)
        next_arg += 1
        out.append(_pad(_format_one(verb, "#" in flags, prec, a, flags), flags, width, verb))
    if len(used) < len(args):
        raise EvalError("too many arguments for format")
    return "".join(out)


def _format_one(verb, alt, prec, a, flags):
    if verb == "v" and not alt:
        if isinstance(a, (list, dict)):
            return _jsonencode(a)
        if a is None:
            raise Undecidable("format() of null")
        return to_string(a)
    if verb == "v":
        return _jsonencode(a)
    if a is None:
        raise EvalError("format() of null")
    if verb == "s":
        text = to_string(a)
        return text[: int(prec)] if prec not in (None, "") else text
    if verb == "q":
        return json.dumps(to_string(a), ensure_ascii=False)
    if verb == "t":
        return "true" if to_bool(a) else "false"
    n = _num(a)
    sign = "+" if "+" in flags else " " if " " in flags else ""
    if verb in "bdoxX":
        if n != int(n):
            raise EvalError(f"%{verb} needs an integer")
        n = int(n)
        body = format(abs(n), {"b": "b", "d": "d", "o": "o", "x": "x", "X": "X"}[verb])
        return ("-" if n < 0 else sign) + body
    if verb in "eEfgG":
        p = "" if prec is None else "." + (prec or "0")
        if verb in "gG" and prec is None:
            raise Undecidable("format %g without a precision (Go's shortest form)")
        return ("%" + sign + p + verb) % float(n)
    raise EvalError(f"unsupported format verb %{verb}")


def _pad(text: str, flags: str, width: str, verb: str) -> str:
    if not width or len(text) >= int(width):
        return text
    w = int(width)
    if "-" in flags:
        return text.ljust(w)
    if "0" in flags and verb in "bdoxXeEfgG":
        sign = text[0] if text[:1] in "+- " else ""
        return sign + text[len(sign):].rjust(w - len(sign), "0")
    return text.rjust(w)


# -- strings: Terraform counts user-perceived characters (grapheme clusters) -------------------------------
def _extends_cluster(c: str) -> bool:
    """A code point that joins the character before it: combining marks, joiners, variation selectors, emoji
    skin tones. (A close reading of UAX #29 for the scripts configurations use; not every rule.)"""
    o = ord(c)
    return (unicodedata.category(c) in ("Mn", "Me", "Mc") or o in (0x200C, 0x200D) or 0xFE00 <= o <= 0xFE0F
            or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F)


def graphemes(s: str) -> list:
    if s.isascii():
        return list(s) if "\r\n" not in s else re.findall(r"\r\n|.", s, re.S)
    out: list = []
    for c in s:
        prev = out[-1] if out else ""
        if prev and (_extends_cluster(c) or prev[-1] == "\u200d"
                     or (_regional(c) and len(prev) == 1 and _regional(prev)) or (prev == "\r" and c == "\n")):
            out[-1] = prev + c
        else:
            out.append(c)
    return out


def _regional(c: str) -> bool:
    return 0x1F1E6 <= ord(c) <= 0x1F1FF


def _substr(s, offset, length):
    chars = graphemes(to_string(s))
    offset, length = _whole(offset, "offset"), _whole(length, "length")
    if offset < 0:
        offset = max(len(chars) + offset, 0)
    if offset > len(chars):
        return ""
    return "".join(chars[offset:] if length < 0 else chars[offset:offset + length])


def _upper(s):
    # Go maps each character to one character; a character without a one-character upper case stays
    return "".join(u if len(u := c.upper()) == 1 else c for c in to_string(s))


def _lower(s):
    return "".join(c.lower()[0] for c in to_string(s))


def _title(s):
    """Go's strings.Title: a letter after a separator (not a letter, digit or underscore) goes upper case."""
    out, prev = [], " "
    for c in to_string(s):
        separator = not (prev.isalnum() or prev == "_") if prev.isascii() else prev.isspace()
        out.append(_upper(c) if separator else c)
        prev = c
    return "".join(out)


def _replace(s, old, new):
    s, old, new = to_string(s), to_string(old), to_string(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        try:
            pattern = re.compile(old[1:-1])
        except re.error as exc:
            raise Undecidable(f"regular expression {old!r}: {exc}") from None
        return pattern.sub(lambda m: _expand_go(new, m), s)
    return s.replace(old, new)


def _expand_go(template: str, m) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; an unknown group is empty."""
    def group(name):
        try:
            return m.group(int(name) if name.isdigit() else name) or ""
        except (IndexError, re.error):
            return ""

    return re.sub(r"\$(\$|\{(\w+)\}|(\w+))", lambda g: "$" if g.group(1) == "$"
                  else group(g.group(2) or g.group(3)), template)


def _split(sep, s):
    sep, s = to_string(sep), to_string(s)
    return list(s) if sep == "" else s.split(sep)


def _join(sep, *lists):
    items = [i for lst in lists for i in _collection(lst)]
    if any(i is None for i in items):
        raise EvalError("cannot join null values")
    return to_string(sep).join(to_string(i) for i in items)


def _basename(p):
    """Go's filepath.Base: trailing slashes dropped, "" is "."."""
    p = to_string(p)
    if p == "":
        return "."
    stripped = p.rstrip("/")
    return "/" if stripped == "" else stripped.rsplit("/", 1)[-1]


def _dirname(p):
    """Go's filepath.Dir: everything before the last slash, cleaned; no slash is "."."""
    p = to_string(p)
    head = p[: p.rfind("/") + 1]
    if head == "":
        return "."
    return posixpath.normpath(head) if head.strip("/") else "/"


# -- numbers and collections --------------------------------------------------------------------------
def _range(*args):
    if not 1 <= len(args) <= 3:
        raise EvalError("range takes one to three arguments")
    nums = [_num(a) for a in args]
    if len(nums) == 1:
        start, stop = 0, nums[0]
        step = 1 if stop >= 0 else -1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    else:
        start, stop, step = nums
        if step == 0:
            raise EvalError("range step must not be zero")
        if step > 0 and stop < start:
            raise EvalError("end must be greater than start when step is positive")
        if step < 0 and stop > start:
            raise EvalError("end must be less than start when step is negative")
    count = max(0, math.ceil((stop - start) / step))
    if count > 1024:
        raise EvalError("range of more than 1024 elements")
    return [arithmetic("+", start, arithmetic("*", i, step)) for i in range(count)]


def _one(v):
    items = _collection(v)
    if len(items) > 1:
        raise EvalError("one() of more than one element")
    return items[0] if items else None


def _cidrsubnet(prefix, newbits, netnum):
    try:
        net = ipaddress.ip_network(to_string(prefix), strict=False)
    except ValueError as exc:
        raise EvalError(f"invalid CIDR: {exc}") from None
    newbits, netnum = _whole(newbits, "newbits"), _whole(netnum, "netnum")
    new_prefix = net.prefixlen + newbits
    if newbits < 0 or new_prefix > net.max_prefixlen:
        raise EvalError("cidrsubnet: not enough bits")
    if netnum < 0:
        raise Undecidable("cidrsubnet of a negative network number")
    if netnum >= 2 ** newbits:
        raise EvalError(f"prefix extension of {newbits} does not accommodate a subnet numbered {netnum}")
    size = 2 ** (net.max_prefixlen - new_prefix)
    base = int(net.network_address) + netnum * size
    return str(ipaddress.ip_network((base, new_prefix)))


def _zipmap(keys, values):
    keys, values = _collection(keys), _collection(values)
    if len(keys) != len(values):
        raise EvalError("zipmap: lists of different lengths")
    return {to_string(k): v for k, v in zip(keys, values)}


def _jsondecode(s):
    from decimal import Decimal

    try:
        return json.loads(to_string(s), parse_float=lambda t: from_decimal(Decimal(t)),
                          parse_constant=_no_constant)
    except ValueError as exc:
        raise EvalError(f"jsondecode: {exc}") from None


def _yamldecode(s):
    from .yaml_decode import Undecidable as YamlUndecidable, yamldecode  # PyYAML: loaded only when YAML is decoded

    try:
        return yamldecode(to_string(s))
    except YamlUndecidable as exc:
        raise Undecidable(str(exc)) from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


# Go's encoder escapes these so that JSON can sit inside HTML and JavaScript
_GO_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _jsonencode(v):
    """Terraform's jsonencode: keys sorted, no spaces, non-ASCII as is, <>& escaped, numbers without exponent."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, (int, float)):
        return number_text(v)
    if isinstance(v, str):
        text = json.dumps(v, ensure_ascii=False)
        return re.sub("[<>&\u2028\u2029]", lambda m: _GO_JSON_ESCAPES[m.group(0)], text)
    if isinstance(v, list):
        return "[" + ",".join(_jsonencode(i) for i in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(_jsonencode(k) + ":" + _jsonencode(v[k]) for k in sorted(v)) + "}"
    raise EvalError(f"cannot encode a {type_name(v)} as JSON")


def _tonumber(v):
    return None if v is None else normalise_number(_num(v))


def _tostring(v):
    return None if v is None else to_string(v)


def _tobool(v):
    return None if v is None else to_bool(v)


def _length(v):
    if isinstance(v, str):
        return len(graphemes(v))
    if isinstance(v, (list, dict)):
        return len(v)
    raise EvalError(f"length of a {type_name(v)}")


def equal(a, b) -> bool:
    """Terraform's ==: no conversion (1 == "1" is false, true is not 1), numbers by value, deep."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return _decimal(a) == _decimal(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _contains(lst, v):
    return any(equal(i, v) for i in _collection(lst))


def _index(lst, v):
    for i, item in enumerate(_collection(lst)):
        if equal(item, v):
            return i
    raise EvalError("item not found")


def _distinct(items):
    out = []
    for i in items:
        if not any(equal(i, o) for o in out):
            out.append(i)
    return out


def _keys(m):
    if not isinstance(m, dict):
        raise EvalError("keys needs a map")
    return sorted(m)


def _values(m):
    if not isinstance(m, dict):
        raise EvalError("values needs a map")
    return [m[k] for k in sorted(m)]


def _concat(*lists):
    if not lists:
        raise EvalError("concat needs at least one argument")
    out = []
    for lst in lists:
        out.extend(_collection(lst))
    return out


def _tomap(v):
    if v is None:
        return None
    if not isinstance(v, dict):
        raise EvalError("tomap needs an object")
    return dict(zip(v, unify(list(v.values()))))


def _tolist(v):
    return None if v is None else unify(list(_collection(v)))


def _slice(v, start, end):
    items = _collection(v)
    start, end = _whole(start, "start index"), _whole(end, "end index")
    if start < 0 or end > len(items) or start > end:
        raise EvalError("slice indexes out of range")
    return items[start:end]


def _chunklist(v, size):
    items, size = _collection(v), _whole(size, "size")
    if size < 0:
        raise EvalError("the size argument must be positive")
    if size == 0:
        return [items] if items else []
    return [items[i:i + size] for i in range(0, len(items), size)]


def _sum(v):
    items = _collection(v)
    if not items:
        raise EvalError("cannot sum an empty list")
    total = 0
    for i in items:
        total = arithmetic("+", total, _num(i))
    return total


def _minmax(pick, *args):
    if not args:
        raise EvalError("must pass at least one number")
    nums = [_num(a) for a in args]
    return normalise_number(pick(nums, key=_decimal))


def _parseint(s, base):
    base = _whole(base, "base")
    if not 2 <= base <= 62:
        raise EvalError("base must be a whole number between 2 and 62 inclusive")
    if base > 36:
        raise Undecidable("parseint with a base over 36")
    try:
        return int(to_string(s), base)
    except ValueError:
        raise EvalError(f"cannot parse {s!r} as a base {base} integer") from None


def _base64decode(s):
    try:
        raw = base64.b64decode(to_string(s), validate=True)
    except (binascii.Error, ValueError):
        raise EvalError("failed to decode base64 data") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("the decoded data is not valid UTF-8") from None


def _formatlist(fmt, *lists):
    lengths = {len(a) for a in lists if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist: lists of different lengths")
    n = lengths.pop() if lengths else 1
    return [_format(to_string(fmt), *[(a[i] if isinstance(a, list) else a) for a in lists]) for i in range(n)]


def _setop(op, first, *rest):
    sets = [unify(list(_collection(x))) for x in (first, *rest)]
    flat = unify([i for x in sets for i in x])
    it = iter(flat)
    sets = [[next(it) for _ in x] for x in sets]
    if op == "union":
        out = _distinct([i for x in sets for i in x])
    elif op == "intersection":
        out = [i for i in _distinct(sets[0]) if all(any(equal(i, j) for j in x) for x in sets[1:])]
    else:
        out = [i for i in _distinct(sets[0]) if not any(equal(i, j) for j in sets[1])]
    return set_order(out)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "yamldecode": _yamldecode,
    "merge": _merge,
    "concat": _concat,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "length": _length,
    "element": _element,
    "contains": _contains,
    "keys": _keys,
    "values": _values,
    "flatten": _flatten,
    "distinct": lambda v: _distinct(unify(list(_collection(v)))),
    "toset": _toset,
    "tolist": _tolist,
    "tomap": _tomap,
    "tobool": _tobool,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "format": lambda fmt, *a: _format(to_string(fmt), *a),
    "join": _join,
    "split": _split,
    "lower": _lower,
    "upper": _upper,
    "title": _title,
    "trimspace": lambda s: to_string(s).strip(),
    "trim": lambda s, chars: to_string(s).strip(to_string(chars)),
    "trimprefix": lambda s, p: to_string(s)[len(p):] if to_string(s).startswith(to_string(p)) else to_string(s),
    "trimsuffix": lambda s, p: to_string(s)[: -len(p)] if p and to_string(s).endswith(to_string(p)) else to_string(s),
    "replace": _replace,
    "substr": _substr,
    "min": lambda *a: _minmax(min, *a),
    "max": lambda *a: _minmax(max, *a),
    "abs": lambda a: abs(_num(a)),
    "ceil": lambda a: math.ceil(_decimal(_num(a))),
    "floor": lambda a: math.floor(_decimal(_num(a))),
    "zipmap": _zipmap,
    "range": _range,
    "compact": lambda v: [i for i in unify(list(_collection(v))) if i is not None and i != ""],
    "one": _one,
    "startswith": lambda s, p: to_string(s).startswith(to_string(p)),
    "endswith": lambda s, p: to_string(s).endswith(to_string(p)),
    "strcontains": lambda s, p: to_string(p) in to_string(s),
    "cidrsubnet": _cidrsubnet,
    "reverse": lambda v: list(reversed(_collection(v))),
    "sort": lambda v: sorted(to_string(i) for i in _collection(v)),
    "slice": _slice,
    "index": _index,
    "setunion": lambda first, *rest: _setop("union", first, *rest),
    "setintersection": lambda first, *rest: _setop("intersection", first, *rest),
    "setsubtract": lambda a, b: _setop("subtract", a, b),
    "chunklist": _chunklist,
    "regex": lambda p, s: _regex(p, s),
    "regexall": lambda p, s: _regexall(p, s),
    "basename": _basename,
    "dirname": _dirname,
    "formatlist": _formatlist,
    "transpose": lambda m: _transpose(m),
    "sum": _sum,
    "pow": lambda a, b: normalise_number(_num(a) ** _num(b)),
    "signum": lambda a: (_num(a) > 0) - (_num(a) < 0),
    "parseint": _parseint,
    "alltrue": lambda v: all(to_bool(i) for i in _collection(v)),
    "anytrue": lambda v: any(to_bool(i) for i in _collection(v)),
    "base64encode": lambda s: base64.b64encode(to_string(s).encode()).decode(),
    "base64decode": _base64decode,
    "sha1": lambda s: __import__("hashlib").sha1(to_string(s).encode()).hexdigest(),
    "md5": lambda s: __import__("hashlib").md5(to_string(s).encode()).hexdigest(),
}


def _regex(pattern, s):
    m = re.search(to_string(pattern), to_string(s))
    if not m:
        raise EvalError("regex: no match")
    if m.groupdict():
        return m.groupdict()
    if m.groups():
        return list(m.groups())
    return m.group(0)


def _regexall(pattern, s):
    out = []
    for m in re.finditer(to_string(pattern), to_string(s)):
        out.append(m.groupdict() if m.groupdict() else list(m.groups()) if m.groups() else m.group(0))
    return out


def _transpose(m):
    out: dict = {}
    for k, vs in m.items():
        for v in vs:
            out.setdefault(v, []).append(k)
    return out


# Functions that depend on the machine, the clock or files: never evaluated (their value at plan time is
# not the value here). The file functions (files.FILE_FUNCTIONS) are read from the scanned checkout where a
# module evaluator supplies a files.FileReader, and are impure anywhere else.
FILE_FUNCTIONS = frozenset({"file", "fileexists", "filebase64", "templatefile", "filemd5", "filesha1", "filesha256",
                            "filesha512", "filebase64sha256", "filebase64sha512"})
IMPURE = {"timestamp", "uuid", "bcrypt", "file", "fileexists", "fileset", "filebase64", "templatefile",
          "abspath", "pathexpand", "plantimestamp", "filemd5", "filesha1", "filesha256", "filesha512",
          "filebase64sha256", "filebase64sha512"}

"""Terraform's built-in functions over rlint values (plain Python values and Unknown).

Each function receives already-evaluated arguments. When any argument it needs is Unknown the result is
Unknown too (`unknown_in` below), carrying the references so graph edges survive. A function that is not
in the table gives Unknown("function f is not evaluated"). `try` and `can` are special forms handled by the
evaluator, because they must see errors raised while evaluating their arguments.
"""
from __future__ import annotations

import ipaddress
import json
import math
import re
from typing import Any, Callable

from ..model import Unknown, collect_refs, first_unknown


class EvalError(Exception):
    """Terraform itself would reject this expression (wrong type, index out of range...)."""


def unknown_in(args) -> Unknown | None:
    u = first_unknown(list(args))
    if u is None:
        return None
    return Unknown(u.reason, collect_refs(list(args)))


def _num(v):
    if isinstance(v, bool):
        raise EvalError("a bool is not a number")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            raise EvalError(f"{v!r} is not a number") from None
        return int(f) if f.is_integer() and "." not in v and "e" not in v.lower() else f
    raise EvalError(f"{type_name(v)} is not a number")


def normalise_number(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


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
        v = normalise_number(v)
        return str(v)
    if isinstance(v, str):
        return v
    if v is None:
        raise EvalError("null cannot be used as a string")
    raise EvalError(f"a {type_name(v)} cannot be used as a string")


def to_bool(v) -> bool:
    if isinstance(v, bool):
        return v
    if v == "true":
        return True
    if v == "false":
        return False
    raise EvalError(f"{v!r} is not a bool")


def _collection(v) -> list:
    if isinstance(v, list):
        return v
    if isinstance(v, dict):
        return list(v.values())
    raise EvalError(f"a {type_name(v)} is not a collection")


def _distinct(items):
    out = []
    for i in items:
        if i not in out:
            out.append(i)
    return out


def _toset(v):
    items = _collection(v)
    # Terraform sets of strings iterate in lexical order
    items = _distinct(items)
    if all(isinstance(i, str) for i in items):
        return sorted(items)
    return items


def _lookup(m, key, *default):
    if not isinstance(m, dict):
        raise EvalError("lookup needs a map")
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise EvalError(f"no key {key!r} in map")


def _element(lst, idx):
    lst = _collection(lst)
    if not lst:
        raise EvalError("element of an empty list")
    return lst[int(_num(idx)) % len(lst)]


def _coalesce(*args):
    for a in args:
        if a is not None and a != "":
            return a
    raise EvalError("no non-null, non-empty argument")


def _coalescelist(*args):
    for a in args:
        if isinstance(a, list) and a:
            return a
    return []


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


def _format(fmt, *args):
    args = list(args)
    out = []
    i = 0
    pos = 0
    while pos < len(fmt):
        ch = fmt[pos]
        if ch != "%":
            out.append(ch)
            pos += 1
            continue
        m = re.match(r"%([-+# 0]*)(\d*)(?:\.(\d+))?([sdvfqtbeEgGxXo%])", fmt[pos:])
        if not m:
            raise EvalError(f"bad format verb in {fmt!r}")
        verb = m.group(4)
        pos += m.end()
        if verb == "%":
            out.append("%")
            continue
        if i >= len(args):
            raise EvalError("not enough arguments for format")
        a = args[i]
        i += 1
        flags, width, prec = m.group(1), m.group(2), m.group(3)
        if verb in "sv":
            s = a if isinstance(a, str) else (json.dumps(a) if isinstance(a, (list, dict)) else to_string(a))
        elif verb == "q":
            s = json.dumps(to_string(a))
        elif verb == "d":
            s = str(int(_num(a)))
        elif verb in "feEgG":
            s = ("%" + (("." + prec) if prec else "") + verb) % float(_num(a))
        elif verb == "t":
            s = to_string(to_bool(a))
        elif verb in "xX":
            s = ("%" + verb) % int(_num(a))
        elif verb == "o":
            s = "%o" % int(_num(a))
        else:
            s = "{:b}".format(int(_num(a)))
        if width:
            w = int(width)
            if "0" in flags and verb in "dfeEgGxXob":
                s = s.zfill(w)
            elif "-" in flags:
                s = s.ljust(w)
            else:
                s = s.rjust(w)
        out.append(s)
    return "".join(out)


def _substr(s, offset, length):
    s = to_string(s)
    offset, length = int(_num(offset)), int(_num(length))
    if offset < 0:
        offset = len(s) + offset
    return s[offset:] if length < 0 else s[offset:offset + length]


def _replace(s, old, new):
    s, old, new = to_string(s), to_string(old), to_string(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        pattern = old[1:-1]
        repl = re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", new)
        return re.sub(pattern, repl, s)
    return s.replace(old, new)


def _range(*args):
    nums = [_num(a) for a in args]
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1 if nums[1] >= nums[0] else -1
    else:
        start, stop, step = nums
    if step == 0:
        raise EvalError("range step must not be zero")
    count = max(0, math.ceil((stop - start) / step))
    if count > 1024:
        raise EvalError("range of more than 1024 elements")
    return [normalise_number(start + i * step) for i in range(count)]


def _one(v):
    items = _collection(v) if v is not None else []
    if len(items) > 1:
        raise EvalError("one() of more than one element")
    return items[0] if items else None


def _cidrsubnet(prefix, newbits, netnum):
    net = ipaddress.ip_network(to_string(prefix), strict=False)
    newbits, netnum = int(_num(newbits)), int(_num(netnum))
    new_prefix = net.prefixlen + newbits
    if new_prefix > net.max_prefixlen:
        raise EvalError("cidrsubnet: not enough bits")
    size = 2 ** (net.max_prefixlen - new_prefix)
    base = int(net.network_address) + netnum * size
    return str(ipaddress.ip_network((base, new_prefix)))


def _zipmap(keys, values):
    keys, values = _collection(keys), _collection(values)
    if len(keys) != len(values):
        raise EvalError("zipmap: lists of different lengths")
    return {to_string(k): v for k, v in zip(keys, values)}


def _jsondecode(s):
    try:
        return json.loads(to_string(s))
    except ValueError as exc:
        raise EvalError(f"jsondecode: {exc}") from None


def _jsonencode(v):
    return json.dumps(v, separators=(",", ":"), sort_keys=True)


def _tonumber(v):
    return None if v is None else normalise_number(_num(v))


def _tostring(v):
    return None if v is None else to_string(v)


def _tobool(v):
    return None if v is None else to_bool(v)


def _length(v):
    if isinstance(v, str):
        return len(v)
    if isinstance(v, (list, dict)):
        return len(v)
    raise EvalError(f"length of a {type_name(v)}")


def _contains(lst, v):
    return v in _collection(lst)


def _keys(m):
    if not isinstance(m, dict):
        raise EvalError("keys needs a map")
    return sorted(m)


def _values(m):
    if not isinstance(m, dict):
        raise EvalError("values needs a map")
    return [m[k] for k in sorted(m)]


def _concat(*lists):
    out = []
    for lst in lists:
        out.extend(_collection(lst))
    return out


def _tomap(v):
    if not isinstance(v, dict):
        raise EvalError("tomap needs an object")
    return dict(v)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
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
    "distinct": lambda v: _distinct(_collection(v)),
    "toset": _toset,
    "tolist": lambda v: list(_collection(v)),
    "tomap": _tomap,
    "tobool": _tobool,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "format": lambda fmt, *a: _format(to_string(fmt), *a),
    "join": lambda sep, *lists: to_string(sep).join(to_string(i) for lst in lists for i in _collection(lst)),
    "split": lambda sep, s: to_string(s).split(to_string(sep)),
    "lower": lambda s: to_string(s).lower(),
    "upper": lambda s: to_string(s).upper(),
    "title": lambda s: to_string(s).title(),
    "trimspace": lambda s: to_string(s).strip(),
    "trim": lambda s, chars: to_string(s).strip(to_string(chars)),
    "trimprefix": lambda s, p: to_string(s)[len(p):] if to_string(s).startswith(to_string(p)) else to_string(s),
    "trimsuffix": lambda s, p: to_string(s)[: -len(p)] if p and to_string(s).endswith(to_string(p)) else to_string(s),
    "replace": _replace,
    "substr": _substr,
    "min": lambda *a: normalise_number(min(_num(x) for x in a)),
    "max": lambda *a: normalise_number(max(_num(x) for x in a)),
    "abs": lambda a: abs(_num(a)),
    "ceil": lambda a: math.ceil(_num(a)),
    "floor": lambda a: math.floor(_num(a)),
    "zipmap": _zipmap,
    "range": _range,
    "compact": lambda v: [i for i in _collection(v) if i is not None and i != ""],
    "one": _one,
    "startswith": lambda s, p: to_string(s).startswith(to_string(p)),
    "endswith": lambda s, p: to_string(s).endswith(to_string(p)),
    "strcontains": lambda s, p: to_string(p) in to_string(s),
    "cidrsubnet": _cidrsubnet,
    "reverse": lambda v: list(reversed(_collection(v))),
    "sort": lambda v: sorted(to_string(i) for i in _collection(v)),
    "slice": lambda v, a, b: _collection(v)[int(_num(a)):int(_num(b))],
    "index": lambda v, x: _collection(v).index(x),
    "setunion": lambda *s: _toset(_concat(*s)),
    "setintersection": lambda first, *rest: [i for i in _toset(first) if all(i in _collection(r) for r in rest)],
    "setsubtract": lambda a, b: [i for i in _toset(a) if i not in _collection(b)],
    "chunklist": lambda v, n: [_collection(v)[i:i + int(_num(n))] for i in range(0, len(_collection(v)), int(_num(n)))],
    "regex": lambda p, s: _regex(p, s),
    "regexall": lambda p, s: _regexall(p, s),
    "basename": lambda s: __import__("posixpath").basename(to_string(s)),
    "dirname": lambda s: __import__("posixpath").dirname(to_string(s)),
    "can_regex": None,  # placeholder removed below
    "formatlist": lambda fmt, *lists: _formatlist(fmt, *lists),
    "transpose": lambda m: _transpose(m),
    "sum": lambda v: normalise_number(sum(_num(i) for i in _collection(v))),
    "pow": lambda a, b: normalise_number(_num(a) ** _num(b)),
    "signum": lambda a: (_num(a) > 0) - (_num(a) < 0),
    "parseint": lambda s, base: int(to_string(s), int(_num(base))),
    "alltrue": lambda v: all(to_bool(i) for i in _collection(v)),
    "anytrue": lambda v: any(to_bool(i) for i in _collection(v)),
    "base64encode": lambda s: __import__("base64").b64encode(to_string(s).encode()).decode(),
    "base64decode": lambda s: __import__("base64").b64decode(to_string(s)).decode(),
    "yamlencode": lambda v: json.dumps(v),
    "sha1": lambda s: __import__("hashlib").sha1(to_string(s).encode()).hexdigest(),
    "md5": lambda s: __import__("hashlib").md5(to_string(s).encode()).hexdigest(),
}
del FUNCTIONS["can_regex"]


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


def _formatlist(fmt, *lists):
    n = max((len(lst) for lst in lists if isinstance(lst, list)), default=1)
    return [_format(to_string(fmt), *[(a[i] if isinstance(a, list) else a) for a in lists]) for i in range(n)]


def _transpose(m):
    out: dict = {}
    for k, vs in m.items():
        for v in vs:
            out.setdefault(v, []).append(k)
    return out


# Functions that depend on the machine, the clock or files: never evaluated (their value at plan time is
# not the value here).
IMPURE = {"timestamp", "uuid", "bcrypt", "file", "fileexists", "fileset", "filebase64", "templatefile",
          "abspath", "pathexpand", "plantimestamp"}

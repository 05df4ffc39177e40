"""Value coercions shared by rules: CloudFormation writes booleans and numbers as strings too."""
from __future__ import annotations

import re
from typing import Any

from rlint.model import MISSING, Unknown, parameter_refs


def as_bool(value: Any) -> Any:
    """true/false from a bool or its string spelling; other values unchanged (Unknown stays Unknown)."""
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def as_int(value: Any) -> Any:
    """An int from an int or a numeric string; other values unchanged."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def keyed_value(entries: Any, key: str) -> Any:
    """The `Value` of the `Key` entry in a CloudFormation [{Key, Value}] list (LoadBalancerAttributes,
    TargetGroupAttributes): MISSING when no entry has the key, an Unknown when the list or a key is unknown."""
    if isinstance(entries, Unknown):
        return entries
    undecided = None
    for item in entries if isinstance(entries, list) else []:
        if isinstance(item, Unknown):
            undecided = item if undecided is None else undecided
            continue
        if not isinstance(item, dict):
            continue
        k = item.get("Key")
        if isinstance(k, Unknown):
            undecided = k if undecided is None else undecided
        elif k == key:
            return item.get("Value", MISSING)
    return undecided if undecided is not None else MISSING


def branch_values(res, attr) -> Any:
    """The values a CloudFormation property can take when it is an `Fn::If` (nested or not) whose branches are
    all literals or `AWS::NoValue` (given as the format's default): a list, or None when that is not so.
    The evaluator reports such a property as Unknown; the branches often decide a rule either way."""
    from rlint.rules.base import CLOUDFORMATION, lookup

    raw = res.meta.get("raw")
    path = attr.path(res.format)
    if res.format != CLOUDFORMATION or not isinstance(raw, dict) or path is None:
        return None

    def walk(v):
        if isinstance(v, dict) and len(v) == 1 and "Fn::If" in v:
            arg = v["Fn::If"]
            if not (isinstance(arg, list) and len(arg) == 3):
                return None
            a, b = walk(arg[1]), walk(arg[2])
            return None if a is None or b is None else a + b
        if v == {"Ref": "AWS::NoValue"}:
            return [attr.default(res.format)]
        if isinstance(v, (bool, int, float, str)):
            return [v]
        return None

    value = lookup(raw, path)
    return None if value is MISSING else walk(value)


def scenario_values(res, attr) -> Any:
    """Every value a CloudFormation property can take across deployments: the branches of `Fn::If`
    (nested), and for `Ref` to a parameter its given value or its AllowedValues; `AWS::NoValue` as the
    format's default. A list, or None when some scenario's value is not bounded (a parameter that
    accepts any value, a reference, another function). Terraform: the evaluated value when known."""
    from rlint.rules.base import CLOUDFORMATION, lookup

    path = attr.path(res.format)
    if path is None:
        return None
    if res.format != CLOUDFORMATION:
        value = lookup(res.attrs, path)
        if value is MISSING or value is None:
            value = attr.default(res.format)
        return None if value is MISSING or isinstance(value, Unknown) else [value]
    raw = res.meta.get("raw")
    choices = res.meta.get("parameter_choices") or {}
    if not isinstance(raw, dict):
        return None

    def walk(v):
        if isinstance(v, dict) and len(v) == 1:
            (fn, arg), = v.items()
            if fn == "Fn::If":
                if not (isinstance(arg, list) and len(arg) == 3):
                    return None
                a, b = walk(arg[1]), walk(arg[2])
                return None if a is None or b is None else a + b
            if fn == "Ref" and arg == "AWS::NoValue":
                default = attr.default(res.format)
                return None if default is MISSING else [default]
            if fn == "Ref" and isinstance(arg, str):
                return list(choices[arg]) if choices.get(arg) is not None else None
            return None
        if isinstance(v, (bool, int, float, str)):
            return [v]
        return None

    value = lookup(raw, path)
    if value is MISSING:
        default = attr.default(res.format)
        return None if default is MISSING else [default]
    return walk(value)


def int_floor(res, attr) -> Any:
    """The smallest integer a property takes in any scenario (`scenario_values`), or None when unbounded
    or not a number."""
    values = scenario_values(res, attr)
    if not values:
        return None
    ints = [as_int(v) for v in values]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ints):
        return None
    return min(ints)


def written_as_value(res, attr) -> bool:
    """The setting is written as a plain value in the resource itself (CloudFormation), not through a
    parameter or a function; Terraform's value origins are followed by the fix writer."""
    from rlint.rules.base import CLOUDFORMATION, lookup

    if res.format != CLOUDFORMATION:
        return True
    raw = lookup(res.meta.get("raw") or {}, attr.path(res.format))
    return raw is MISSING or isinstance(raw, (bool, int, float, str))


def last_uses(res, attr) -> list:
    """The template parameters named only inside this setting: removing the setting leaves them unused
    (cfn-lint W2001), and removing them too would break the deployments that pass them."""
    from rlint.rules.base import CLOUDFORMATION, lookup

    if res.format != CLOUDFORMATION:
        return []
    uses = res.meta.get("parameter_uses") or {}
    here = parameter_refs(lookup(res.meta.get("raw") or {}, attr.path(res.format)), uses)
    return sorted(p for p, n in here.items() if uses.get(p, 0) <= n)

"""Value coercions shared by rules: CloudFormation writes booleans and numbers as strings too."""
from __future__ import annotations

import re
from typing import Any

from rlint.model import MISSING, Unknown


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

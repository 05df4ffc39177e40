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

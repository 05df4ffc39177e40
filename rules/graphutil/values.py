"""Value coercions shared by rules: CloudFormation writes booleans and numbers as strings too."""
from __future__ import annotations

import re
from typing import Any


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

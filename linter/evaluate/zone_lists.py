"""A Region's zone list known only at plan time (`data.aws_availability_zones.x.names`, an AzList), taken apart
the way Terraform configurations do it: `names[i]`, `element(names, i)`, `slice(names, a, b)`.

The zone names stay unknown, but positions are facts: `names[0]` and `names[1]` are different zones (the list
has no duplicates, and an index past its end fails the plan). `element()` wraps around, so only positions 0
and 1 are certain to differ (every Region lists at least two zones); a later position gives an AzWrapped,
unknown but comparable with other positions of the same list.
"""
from __future__ import annotations

from typing import Any, Optional

from ..model import AzList, AzToken, AzWrapped, Unknown

# element() wraps at the list's unknown length: only the first positions are certain to be distinct zones
ELEMENT_CERTAIN = 2


def _position(value: Any) -> Optional[int]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
        return None
    return int(value)


def index_zone_list(zones: AzList, index: Any) -> Any:
    """`names[i]`: the i-th zone."""
    i = _position(index)
    if i is None:
        return Unknown(f"the index into {zones.source} is not a known position", zones.refs)
    return AzToken(zones.source, i, zones.refs)


def zone_list_call(name: str, args: list) -> Any:
    """element()/slice() over a zone list, or None when the call is not one (the caller evaluates it)."""
    if not args or not isinstance(args[0], AzList):
        return None
    zones = args[0]
    if name == "element" and len(args) == 2:
        i = _position(args[1])
        if i is not None and i < ELEMENT_CERTAIN:
            return AzToken(zones.source, i, zones.refs)
        if i is not None:
            return AzWrapped(zones.source, i, zones.refs)
        return Unknown(f"element() of {zones.source} wraps around a list of unknown length", zones.refs)
    if name == "slice" and len(args) == 3:
        start, end = _position(args[1]), _position(args[2])
        if start is not None and end is not None and start <= end:
            return [AzToken(zones.source, i, zones.refs) for i in range(start, end)]
    return None


__all__ = ["index_zone_list", "zone_list_call"]

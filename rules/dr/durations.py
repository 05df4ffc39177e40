"""Durations as `.rlint.yaml` writes them (`30s`, `15m`, `1h`, `24h`, `7d`) and as the DR report shows them.

Internally a duration is a number of seconds; `math.inf` means "not recoverable" (the data is lost).
"""
from __future__ import annotations

import math

from rlint.lazy_regex import lazy_regex

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# also the JSON Schema pattern for objectives in config.schema.json
PATTERN = r"^(0|(0|[1-9][0-9]*)(s|m|h|d))$"
_DURATION = lazy_regex(PATTERN)


def parse(text) -> int:
    """Seconds in a duration such as `15m`; ValueError for anything else."""
    m = _DURATION().match(str(text).strip())
    if not m:
        raise ValueError(f"{text!r} is not a duration like 30s, 15m, 1h, 24h or 7d")
    return 0 if m.group(1) == "0" else int(m.group(2)) * UNITS[m.group(3)]


def show(seconds) -> str:
    """`0`, `35s`, `2m`, `1m 30s`, `1h 30m`, `24h`, `7d`; `not recoverable` for math.inf; `unknown` for None."""
    if seconds is None:
        return "unknown"
    if seconds == math.inf:
        return "not recoverable"
    seconds = int(seconds)
    if seconds == 0:
        return "0"
    if seconds % 86400 == 0 and seconds >= 2 * 86400:
        return f"{seconds // 86400}d"
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds >= 3600:
        return f"{seconds // 3600}h {seconds % 3600 // 60}m"
    if seconds >= 60:
        return f"{seconds // 60}m {seconds % 60}s" if seconds % 60 else f"{seconds // 60}m"
    return f"{seconds}s"


__all__ = ["UNITS", "PATTERN", "parse", "show"]

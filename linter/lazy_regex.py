"""Regular expressions compiled on first use.

A module-level `re.compile` runs at import, for every scan, even when the path that needs the pattern never runs
(a Fn::Sub in a Terraform-only scan, a tfsec comment, a pyproject.toml). `lazy_regex` has `re.compile`'s
signature but returns an accessor: `_NAME().match(text)` compiles the pattern the first time and returns that
same compiled pattern ever after (a pure function of its constant arguments, so nothing can go stale)."""
from __future__ import annotations

import functools
import re
from typing import Callable


def lazy_regex(pattern: str, flags: int = 0) -> Callable[[], re.Pattern]:
    @functools.cache
    def compiled() -> re.Pattern:
        return re.compile(pattern, flags)

    return compiled

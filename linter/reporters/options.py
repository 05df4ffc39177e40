"""What a reporter may be told besides the scan result."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReportOptions:
    show_unknown: bool = False
    color: bool = False
    quiet: bool = False
    fail_on: str = "low"
    strict: bool = False
    fixes: bool = True  # the text report shows each fix as a diff (--no-fixes leaves them out)

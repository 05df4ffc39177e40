"""Reporters: pure functions from a ScanResult to text. Imported lazily by name."""
from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")


def get_reporter(name: str):
    """The module for a format; each has `render(result, options) -> str`."""
    module = {"json": "json_report"}.get(name, name)
    return importlib.import_module(f"rlint.reporters.{module}")

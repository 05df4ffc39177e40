"""Reporters: pure functions from a ScanResult to text. Imported lazily by name."""
from __future__ import annotations

import importlib

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")


def get_reporter(name: str):
    """The module for a format; each has `render(result, options) -> str`, and may have `pieces(result, options)`:
    the same text in pieces, for the program to write one after the other."""
    module = {"json": "json_report"}.get(name, name)
    return importlib.import_module(f"rlint.reporters.{module}")


def json_pieces(value):
    """`json.dumps(value, indent=2) + "\n"`, in pieces of a few hundred kilobytes. With an indent the encoder
    yields every key, value and bracket as a string of its own, and the whole text at once held all of them
    before joining them: the largest memory of a big scan, at its very end (a 5 MB report, 17 MB)."""
    import json

    batch: list = []
    for chunk in json.JSONEncoder(indent=2).iterencode(value):
        batch.append(chunk)
        if len(batch) >= 16384:
            yield "".join(batch)
            batch.clear()
    batch.append("\n")
    yield "".join(batch)

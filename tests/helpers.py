"""Shared test helpers: scanning a path in-process and reading fixture annotations."""
from __future__ import annotations

import json
import re
from pathlib import Path

from rlint.engine import ScanOptions, scan
from rlint.model import Outcome

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

ANNOTATION = re.compile(r"(?:#|//)\s*(?P<kind>expect-unknown|expect|ok|todo-expect|todo-ok):\s*"
                        r"(?P<ids>RL\d{3}(?:\s*,\s*RL\d{3})*)")
JSON_ANNOTATION = re.compile(r"^(?P<kind>expect-unknown|expect|ok|todo-expect|todo-ok):\s*"
                             r"(?P<ids>RL\d{3}(?:\s*,\s*RL\d{3})*)")


def run(path, **kwargs):
    """Scan a path in-process with paths shown relative to the path's directory."""
    path = Path(path)
    cwd = path if path.is_dir() else path.parent
    kwargs.setdefault("jobs", 1)
    return scan([path], ScanOptions(cwd=cwd, **kwargs))


def fixture_options(fixture: Path) -> dict:
    """Scan options a fixture folder asks for in its own `.rlint.yaml` (RL701/RL702 need DR objectives)."""
    from rlint.config import dr_settings, load_config

    config = Path(fixture).parent / ".rlint.yaml"
    if not config.is_file():
        return {}
    data = load_config(config).data
    return {"dr": dr_settings(data, config.parent), "stateful": dict(data.get("stateful") or {})}


def is_fixture(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and \
        path.suffix in (".tf", ".yaml", ".yml", ".json", ".template")


def annotations(result, fixture: Path) -> set:
    """(rule id, resource address, kind) from the comment lines above each resource header in `fixture`
    (or the Metadata `rlint-test` entry for JSON templates)."""
    rel = fixture.name
    lines = fixture.read_text().splitlines()
    found = set()
    for res in result.graph.resources:
        if res.file != rel:
            continue
        address = res.block_address or res.address
        if fixture.suffix == ".json" and res.format == "cloudformation":
            meta = res.attrs.get("Metadata")
            notes = meta.get("rlint-test") if isinstance(meta, dict) else None
            for note in notes if isinstance(notes, list) else [notes] if notes else []:
                m = JSON_ANNOTATION.match(note)
                if m:
                    found |= {(rid.strip(), address, m["kind"]) for rid in m["ids"].split(",")}
            continue
        i = res.span.line - 2
        while i >= 0 and lines[i].lstrip().startswith(("#", "//")):
            for m in ANNOTATION.finditer(lines[i]):
                found |= {(rid.strip(), address, m["kind"]) for rid in m["ids"].split(",")}
            i -= 1
    return found


def finding_keys(result, fixture: Path, outcome: Outcome) -> set:
    """(rule id, block address) of unsuppressed findings in the fixture file with the given outcome."""
    out = set()
    blocks = {r.address: (r.block_address or r.address) for r in result.graph.resources}
    for f in result.findings:
        if f.file == fixture.name and f.outcome is outcome and f.suppressed is None:
            out.add((f.rule_id, blocks.get(f.resource, f.resource)))
    return out


def load_json_report(text: str) -> dict:
    return json.loads(text)

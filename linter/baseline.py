"""Baselines: adopt rlint on a legacy repository by recording today's findings, then report only new ones.

An entry is keyed by (rule id, file, resource), never by line, so edits elsewhere in a file keep it valid.
Files are stored relative to the baseline file's directory, so the baseline works from any working
directory. Entries that match no finding any more are *stale* (fixed, renamed or moved) and reported.
Engine findings (RL0xx) are never baselined: a parse error must not disappear silently.
"""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .model import Suppression

BASELINE_VERSION = 1


class BaselineError(Exception):
    pass


def _file_key(display: str, cwd: Path, base_dir: Path) -> str:
    path = Path(display)
    if not path.is_absolute():
        path = cwd / path
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))).as_posix()


def _key(finding, cwd: Path, base_dir: Path) -> tuple:
    return (finding.rule_id, _file_key(finding.file, cwd, base_dir), finding.resource)


def _baselinable(finding) -> bool:
    return not finding.rule_id.startswith("RL0") and finding.suppressed is None


def write(path: Path, findings: list, cwd: Optional[Path] = None) -> int:
    """Record every unsuppressed rule finding (fail or unknown); returns the number of entries."""
    cwd = cwd or Path.cwd()
    keys = sorted({_key(f, cwd, path.parent) for f in findings if _baselinable(f)})
    doc = {"version": BASELINE_VERSION,
           "findings": [{"rule_id": r, "file": file, "resource": res} for r, file, res in keys]}
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return len(keys)


def read(path: Path) -> set:
    try:
        doc = json.loads(path.read_text())
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    entries = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("version") != BASELINE_VERSION or not isinstance(entries, list):
        raise BaselineError(f"{path}: not an rlint baseline (expected version {BASELINE_VERSION} with findings)")
    keys = set()
    for i, e in enumerate(entries):
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("rule_id", "file", "resource"))):
            raise BaselineError(f"{path}: findings[{i}] needs string rule_id, file and resource")
        keys.add((e["rule_id"], e["file"], e["resource"]))
    return keys


def apply(findings: list, keys: set, path: Path, cwd: Optional[Path] = None) -> tuple:
    """(findings with baselined ones marked suppressed, sorted stale entries)."""
    cwd = cwd or Path.cwd()
    used: set = set()
    out = []
    for f in findings:
        key = _key(f, cwd, path.parent)
        if _baselinable(f) and key in keys:
            used.add(key)
            f = replace(f, suppressed=Suppression("baseline", f"in baseline {path.name}"))
        out.append(f)
    stale = sorted(keys - used)
    return out, [{"rule_id": r, "file": file, "resource": res} for r, file, res in stale]

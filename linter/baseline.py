"""Baselines: adopt rlint on a legacy repository by recording today's findings, then report only new ones.

An entry is a finding's identity (design §3): rule id, root (the Terraform root module or template the
finding was evaluated in), deployment, file and resource; never a line, so edits elsewhere in a file keep
it valid, and a module file reached from two roots is two entries. Files and roots are stored relative to
the baseline file's directory, so the baseline works from any working directory. Entries that match no
finding any more are *stale* (fixed, renamed or moved) and reported. Engine findings (RL0xx) are never
baselined: a parse error must not disappear silently.

A finding that stands for several resources of one deployment (RL703, linter/fold.py) is an entry per
resource, as it was before it was folded: it is reported while one of them is not in the baseline, so a store
added beside recorded ones is new.

Version 1 files (written before roots were part of the identity) still work: their entries have no root and
match the finding in every root, as they always did; `--write-baseline` rewrites them as version 2.
"""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .fold import covered
from .model import Suppression

BASELINE_VERSION = 2
LEGACY_VERSION = 1


class BaselineError(Exception):
    pass


class Baseline(set):
    """The entries of a baseline file: (rule, file, resource, root, deployment) tuples, or (rule, file,
    resource) for a version 1 file, whose entries match in every root."""

    version = BASELINE_VERSION


def _file_key(display: str, cwd: Path, base_dir: Path) -> str:
    path = Path(display)
    if not path.is_absolute():
        path = cwd / path
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))).as_posix()


def _key(finding, cwd: Path, base_dir: Path) -> tuple:
    root = _file_key(finding.root, cwd, base_dir) if finding.root else ""
    return (finding.rule_id, _file_key(finding.identity_file, cwd, base_dir), finding.resource, root,
            finding.deployment)


def _keys(finding, cwd: Path, base_dir: Path) -> list:
    """The finding's entries: one, or one per resource a folded finding covers."""
    stands_for = covered(finding)
    if not stands_for:
        return [_key(finding, cwd, base_dir)]
    return [_key(replace(finding, resource=c.resource, resource_file=c.identity_file), cwd, base_dir)
            for c in stands_for]


def _baselinable(finding) -> bool:
    return not finding.rule_id.startswith("RL0") and finding.suppressed is None


def _entry(key: tuple) -> dict:
    if len(key) == 3:
        return {"rule_id": key[0], "file": key[1], "resource": key[2]}
    return {"rule_id": key[0], "root": key[3], "deployment": key[4], "file": key[1], "resource": key[2]}


def _sort_key(key: tuple) -> tuple:
    return tuple("" if part is None else part for part in key)


def write(path: Path, findings: list, cwd: Optional[Path] = None) -> int:
    """Record every unsuppressed rule finding (fail or unknown); returns the number of entries."""
    cwd = cwd or Path.cwd()
    keys = sorted({k for f in findings if _baselinable(f) for k in _keys(f, cwd, path.parent)}, key=_sort_key)
    doc = {"version": BASELINE_VERSION, "findings": [_entry(k) for k in keys]}
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return len(keys)


def read(path: Path) -> Baseline:
    try:
        doc = json.loads(path.read_text())
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    entries = doc.get("findings") if isinstance(doc, dict) else None
    version = doc.get("version") if isinstance(doc, dict) else None
    if version not in (LEGACY_VERSION, BASELINE_VERSION) or not isinstance(entries, list):
        raise BaselineError(f"{path}: not an rlint baseline (expected version {BASELINE_VERSION} with findings)")
    keys = Baseline()
    keys.version = version
    for i, e in enumerate(entries):
        if not (isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("rule_id", "file", "resource"))):
            raise BaselineError(f"{path}: findings[{i}] needs string rule_id, file and resource")
        if version == LEGACY_VERSION:
            keys.add((e["rule_id"], e["file"], e["resource"]))
            continue
        if not isinstance(e.get("root"), str) or not isinstance(e.get("deployment"), (str, type(None))):
            raise BaselineError(f"{path}: findings[{i}] needs a string root and a string or null deployment")
        keys.add((e["rule_id"], e["file"], e["resource"], e["root"], e["deployment"]))
    return keys


def apply(findings: list, keys: set, path: Path, cwd: Optional[Path] = None) -> tuple:
    """(findings with baselined ones marked suppressed, sorted stale entries)."""
    cwd = cwd or Path.cwd()
    used: set = set()
    out = []
    for f in findings:
        if _baselinable(f):
            hits = [key if key in keys else key[:3] if key[:3] in keys else None  # a version 1 entry: any root
                    for key in _keys(f, cwd, path.parent)]
            used.update(h for h in hits if h is not None)
            if None not in hits:
                f = replace(f, suppressed=Suppression("baseline", f"in baseline {path.name}"))
        out.append(f)
    stale = sorted(set(keys) - used, key=_sort_key)
    return out, [_entry(k) for k in stale]

"""`rlint fix`: the fixes that can be written as minimal edits, shown as a unified diff or written.

After writing, rlint scans again: every fixed finding must be gone and every file must still parse, or
the original files are put back and the command says why.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .apply import Edit, FixNotApplicable, apply_edits, edits_for


@dataclass
class FixPlan:
    new_texts: dict = field(default_factory=dict)  # display path -> fixed text
    old_texts: dict = field(default_factory=dict)
    applied: list = field(default_factory=list)  # findings fixed
    skipped: list = field(default_factory=list)  # (finding, why)

    def diff(self) -> str:
        out = []
        for path in sorted(self.new_texts):
            out.extend(difflib.unified_diff(self.old_texts[path].splitlines(keepends=True),
                                            self.new_texts[path].splitlines(keepends=True),
                                            fromfile=f"a/{path}", tofile=f"b/{path}"))
        return "".join(out)


def plan_fixes(result, sources, unsafe: bool) -> FixPlan:
    plan = FixPlan()
    edits_by_file: dict = {}
    for finding, res, fix in result.fix_plans:
        if fix.safety != "safe" and not unsafe:
            plan.skipped.append((finding, f"needs review ({fix.note or fix.safety}); use --unsafe-fixes"))
            continue
        text = sources.text(res.file)
        if text is None:
            plan.skipped.append((finding, "cannot read the file"))
            continue
        try:
            edits = edits_for(fix, res, text)
        except FixNotApplicable as exc:
            plan.skipped.append((finding, str(exc)))
            continue
        if not edits:
            plan.skipped.append((finding, "only a snippet: the fix adds resources (see --generate)"))
            continue
        bucket = edits_by_file.setdefault(res.file, [])
        bucket.extend(e for e in edits if e not in bucket)
        plan.applied.append(finding)
    for path, edits in edits_by_file.items():
        text = sources.text(path)
        try:
            plan.new_texts[path] = apply_edits(text, _merge_inserts(edits))
        except FixNotApplicable as exc:
            plan.skipped.extend((f, str(exc)) for f in plan.applied if f.file == path)
            plan.applied = [f for f in plan.applied if f.file != path]
            continue
        plan.old_texts[path] = text
    return plan


def _merge_inserts(edits: list) -> list:
    """Two insertions at the same place become one, in rule order."""
    merged: dict = {}
    for e in edits:
        key = (e.start, e.end)
        if key in merged and e.start == e.end:
            merged[key] = Edit(e.start, e.end, merged[key].text + e.text)
        elif key not in merged:
            merged[key] = e
    return list(merged.values())


def write_and_verify(plan: FixPlan, cwd: Path, rescan) -> list:
    """Write the fixed files, re-scan, and restore everything when a fix did not hold. Returns problems."""
    paths = {p: (Path(p) if Path(p).is_absolute() else cwd / p) for p in plan.new_texts}
    for p, full in paths.items():
        full.write_text(plan.new_texts[p])
    after = rescan()
    problems = [f"{f.file}:{f.span.line}: {f.message}" for f in after.findings
                if f.rule_id == "RL001" and f.file in plan.new_texts]
    remaining = {(f.rule_id, f.file, f.resource) for f in after.findings if f.suppressed is None}
    problems += [f"{f.rule_id} on {f.resource} is still reported after the fix" for f in plan.applied
                 if (f.rule_id, f.file, f.resource) in remaining]
    if problems:
        for p, full in paths.items():
            full.write_text(plan.old_texts[p])
    return problems

"""`rlint fix`: the fixes that can be written as minimal edits, shown as a unified diff or written.

After writing, rlint scans again: every fixed finding must be gone and every file must still parse, or
the original files are put back and the command says why.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

from .additions import insertion, is_addition, merge, missing, render_terraform
from .apply import Edit, FixNotApplicable, apply_edits, edits_for, targets_of
from .conditions import condition_additions, new_unguarded
from .layout import encode_like


@dataclass
class FixPlan:
    new_texts: dict = field(default_factory=dict)  # display path -> fixed text
    old_texts: dict = field(default_factory=dict)  # display path -> text before (None: a new file)
    originals: dict = field(default_factory=dict)  # display path -> the file's bytes before (its layout)
    given_up: set = field(default_factory=set)  # the reasons fixes were set aside after planning
    applied: list = field(default_factory=list)  # findings fixed
    skipped: list = field(default_factory=list)  # (finding, why)

    def diff(self) -> str:
        out = []
        for path in sorted(self.new_texts):
            old = self.old_texts[path]
            out.extend(difflib.unified_diff((old or "").splitlines(keepends=True),
                                            self.new_texts[path].splitlines(keepends=True),
                                            fromfile="/dev/null" if old is None else f"a/{path}",
                                            tofile=f"b/{path}"))
        return "".join(out)

    @property
    def generated(self) -> list:
        return sorted(p for p, old in self.old_texts.items() if old is None)

    def split_generated(self) -> "FixPlan":
        """Move the new files (and the findings only they fix) to a plan of their own."""
        out = FixPlan()
        for path in self.generated:
            out.new_texts[path] = self.new_texts.pop(path)
            out.old_texts[path] = self.old_texts.pop(path)
            out.originals[path] = self.originals.pop(path, None)
        edited = set(self.new_texts)
        out.applied = [f for f in self.applied if f.file not in edited]
        self.applied = [f for f in self.applied if f.file in edited]
        return out


def plan_fixes(result, sources, unsafe: bool, generate: Optional[str] = None) -> FixPlan:
    """The edits for every applicable fix. `generate`: a file name for the new Terraform resources (in the
    module's directory), instead of appending them to the file of the first finding that asks for them.

    A fix given up for its file (edits that collide, a condition it would break) takes its added resources
    with it: the plan is made again without it, so nothing it adds is written alone."""
    excluded: dict = {}  # id(finding) -> why
    for _attempt in range(MAX_ATTEMPTS):
        plan = _plan_once(result, sources, unsafe, generate, excluded)
        given_up = {id(f): why for f, why in plan.skipped if id(f) not in excluded and why in plan.given_up}
        adding = {id(f) for f, _res, fix in result.fix_plans if any(is_addition(c) for c in fix.changes)}
        if not given_up.keys() & adding:
            return plan
        excluded.update(given_up)
    return plan


MAX_ATTEMPTS = 4


def _plan_once(result, sources, unsafe: bool, generate: Optional[str], excluded: dict) -> FixPlan:
    plan = FixPlan()
    edits_by_file: dict = {}
    additions: dict = {}  # unit key -> (home resource, [AddResource], [findings])
    for finding, res, fix in result.fix_plans:
        adds = [c for c in fix.changes if is_addition(c)]
        if id(finding) in excluded:
            plan.skipped.append((finding, excluded[id(finding)]))
            continue
        if fix.safety == "display-only":
            plan.skipped.append((finding, f"no automatic fix: {fix.manual}"))
            continue
        if fix.safety != "safe" and not unsafe:
            plan.skipped.append((finding, f"needs review ({fix.note or fix.safety}); use --unsafe-fixes"))
            continue
        try:
            edits = _edits_by_file(fix, res, sources)
        except FixNotApplicable as exc:
            plan.skipped.append((finding, f"no automatic fix: {exc}"))
            continue
        if not any(edits.values()) and not adds:
            plan.skipped.append((finding, "no automatic fix: the change has no edit rlint can write here"))
            continue
        for path, file_edits in edits.items():
            bucket = edits_by_file.setdefault(path, [])
            bucket.extend(e for e in file_edits if e not in bucket)
        if adds:
            entry = additions.setdefault(_unit_key(res), (res, [], []))
            entry[1].extend(adds)
            entry[2].append(finding)
        plan.applied.append(finding)
    for key, (home, adds, findings) in additions.items():
        unit = [r for r in result.graph.in_unit(home) if _unit_key(r) == key]
        adds = missing(merge(adds), unit)
        if not adds:
            continue
        if generate and home.format == "terraform":
            target = str(PurePath(home.file).parent / generate)
            plan.new_texts[target] = render_terraform(adds)
            plan.old_texts[target] = sources.text(target)
            if plan.old_texts[target] is not None:
                _give_up(plan, findings, f"{target} exists: name a new file")
            continue
        try:
            if home.format == "cloudformation":
                adds = condition_additions(adds, {r.address: r.meta.get("condition") for r in unit})
            edits_by_file.setdefault(home.file, []).append(insertion(adds, home, unit, sources.text(home.file)))
        except FixNotApplicable as exc:
            _give_up(plan, findings, f"no automatic fix: {exc}")
    for path, edits in edits_by_file.items():
        if not edits:
            continue
        text = sources.text(path)
        try:
            new_text = apply_edits(text, _merge_inserts(edits))
            _check_conditions(path, text, new_text)
        except FixNotApplicable as exc:
            _give_up(plan, [f for f in plan.applied if f.file == path], f"no automatic fix: {exc}")
            continue
        plan.new_texts[path] = new_text
        plan.old_texts[path] = text
        plan.originals[path] = getattr(sources, "original", lambda _p: None)(path)
    return plan


def _check_conditions(path: str, before: str, after: str) -> None:
    """A fixed CloudFormation template references no conditional resource without its condition (a rescan
    does not see it: the evaluator drops what a false condition leaves out)."""
    from ..parsers.cloudformation import CfnParseError, is_cloudformation, parse_cloudformation

    if path.endswith((".tf", ".tf.json")):
        return
    try:
        old, new = parse_cloudformation(before, path).value, parse_cloudformation(after, path).value
    except CfnParseError:
        return  # the rescan reports what does not parse
    if not is_cloudformation(old):
        return
    broken = sorted(new_unguarded(old, new))
    if broken:
        source, target, condition = broken[0]
        raise FixNotApplicable(f"{source} would reference {target}, which exists only under condition "
                               f"{condition} (cfn-lint W1001/E3005; CloudFormation rejects the template)")


def _edits_by_file(fix, res, sources) -> dict:
    """file -> the fix's edits there: the finding's resource and every other resource it changes."""
    if res.file.endswith(".tf.json"):
        raise FixNotApplicable("Terraform JSON is generated by tools: change its source (snippet shown in HCL)")
    out: dict = {}
    for target in targets_of(fix, res):
        text = sources.text(target.file)
        if text is None:
            raise FixNotApplicable(f"cannot read {target.file}")
        out.setdefault(target.file, []).extend(edits_for(fix, res, text, target))
    return out


def _unit_key(res) -> tuple:
    """Where a unit's new resources go: a Terraform module's directory, a template's file."""
    if res.format == "terraform":
        return res.meta.get("unit", ""), str(PurePath(res.file).parent)
    return res.meta.get("unit", ""), res.file


def _give_up(plan: FixPlan, findings: list, why: str) -> None:
    plan.given_up.add(why)
    plan.skipped.extend((f, why) for f in findings if f in plan.applied)
    plan.applied = [f for f in plan.applied if f not in findings]


def _merge_inserts(edits: list) -> list:
    """Insertions at one place become one edit, the most deeply indented text first: in YAML the end of
    `Properties` is also the end of the resource, so a property and a resource attribute (DeletionPolicy)
    inserted there must come in that order or the property would land outside its mapping."""
    at_offset: dict = {}
    others = []
    for e in edits:
        if e.start == e.end:
            at_offset.setdefault(e.start, []).append(e)
        elif e not in others:
            others.append(e)
    merged = [Edit(start, start, "".join(e.text for e in sorted(group, key=lambda e: -_indent(e.text))))
              for start, group in at_offset.items()]
    return others + merged


def _indent(text: str) -> int:
    first = text.lstrip("\n").split("\n", 1)[0]
    return len(first) - len(first.lstrip(" \t"))


def write_and_verify(plan: FixPlan, cwd: Path, rescan) -> list:
    """Write the fixed files, re-scan, and restore everything when a fix did not hold. Returns problems."""
    paths = {p: (Path(p) if Path(p).is_absolute() else cwd / p) for p in plan.new_texts}
    for p, full in paths.items():
        full.write_bytes(encode_like(plan.new_texts[p], plan.originals.get(p)))
    after = rescan()
    problems = [f"{f.file}:{f.span.line}: {f.message}" for f in after.findings
                if f.rule_id == "RL001" and f.file in plan.new_texts]
    # an unknown left beside (another source queue undecided) is not the failure the fix removed
    remaining = {(f.rule_id, f.file, f.resource) for f in after.findings
                 if f.suppressed is None and f.outcome.value == "fail"}
    problems += [f"{f.rule_id} on {f.resource} is still reported after the fix" for f in plan.applied
                 if (f.rule_id, f.file, f.resource) in remaining]
    if problems:
        for p, full in paths.items():
            if plan.old_texts[p] is None:
                full.unlink()
            else:
                original = plan.originals.get(p)
                full.write_bytes(original if original is not None else plan.old_texts[p].encode("utf-8"))
    return problems

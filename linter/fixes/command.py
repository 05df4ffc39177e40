"""`rlint fix`: the fixes that can be written as minimal edits, shown as a unified diff or written.

After writing, rlint scans again: every fixed finding must be gone and every file must still parse, or
the original files are put back and the command says why.
"""
from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Optional

from .additions import append_terraform, insertion, is_addition, merge, missing, per_provider, render_terraform
from .apply import Edit, FixNotApplicable, apply_edits, edits_for, targets_of
from .cfn_place import place_cloudformation
from .conditions import condition_additions, new_unguarded
from .hcl_align import align_like_fmt
from .inserts import merge_inserts
from .layout import encode_like
from .terraform_check import problems as terraform_problems
from .terraform_place import (affected, call_sites, failing_everywhere, local_address, origin_edits, place,
                              reads)


@dataclass
class FixPlan:
    new_texts: dict = field(default_factory=dict)  # display path -> fixed text
    old_texts: dict = field(default_factory=dict)  # display path -> text before (None: a new file)
    originals: dict = field(default_factory=dict)  # display path -> the file's bytes before (its layout)
    given_up: set = field(default_factory=set)  # the reasons fixes were set aside after planning
    applied: list = field(default_factory=list)  # findings fixed
    skipped: list = field(default_factory=list)  # (finding, why)
    notes: list = field(default_factory=list)  # (finding, what a change at a value's origin affects)

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


def plan_fixes(result, sources, unsafe: bool, generate: Optional[str] = None, roots: Optional[list] = None) -> FixPlan:
    """The edits for every applicable fix. `generate`: a file name for the new Terraform resources (in the
    module's directory), instead of appending them to the file of the first finding that asks for them.
    `roots`: the paths given on the command line (display paths); nothing outside them is written.

    A fix given up for its file (edits that collide, a condition it would break) takes its added resources
    with it: the plan is made again without it, so nothing it adds is written alone. So does a fix whose
    Terraform text would not be valid where a rescan cannot see it (terraform_check)."""
    excluded: dict = {}  # id(finding) -> why
    for _attempt in range(MAX_ATTEMPTS):
        plan, touched = _plan_once(result, sources, unsafe, generate, roots, excluded)
        given_up = {id(f): why for f, why in plan.skipped if id(f) not in excluded and why in plan.given_up}
        adding = {id(f) for f, _res, fix in result.fix_plans if any(is_addition(c) for c in fix.changes)}
        bad = _structural_problems(plan, result.graph, sources)
        if not given_up.keys() & adding and not bad:
            return plan
        excluded.update(given_up)
        for path, found in bad.items():
            why = f"no automatic fix: the change to {path} would not be valid Terraform: {'; '.join(found)}"
            excluded.update({id(f): why for f in touched.get(path, ()) if id(f) not in excluded})
    for path in bad:  # still not settled: none of those files is written
        _give_up(plan, touched.get(path, []), "no automatic fix: the change would not be valid Terraform")
        plan.new_texts.pop(path, None)
        plan.old_texts.pop(path, None)
    return plan


MAX_ATTEMPTS = 4


def _plan_once(result, sources, unsafe: bool, generate: Optional[str], roots: Optional[list], excluded: dict):
    plan = FixPlan()
    touched: dict = {}  # file -> [findings whose fix writes to it]
    edits_by_file: dict = {}
    own_edits: dict = {}  # file -> [(finding, [Edit])]
    additions: dict = {}  # CloudFormation: unit key -> (home resource, [AddResource], [findings])
    tf_groups: dict = {}  # Terraform: (module dir, provider) -> _Group
    sites, uses, affects = call_sites(result.graph), reads(sources), affected(result.graph, sources)
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
            placed = None  # Terraform: where the fix is written
            if res.format == "terraform":
                placed = place(fix, res, sites, uses, failing_everywhere(result.findings, result.graph,
                                                                          finding.rule_id), affects)
                fix = replace(fix, changes=tuple(placed.sets) + tuple(placed.additions))
                at_origin, notes = origin_edits(placed, sources), placed.notes
            else:
                cfn = place_cloudformation(fix, res, sources.text,
                                           failing_everywhere(result.findings, result.graph, finding.rule_id))
                fix = replace(fix, changes=cfn.changes)
                adds = [c for c in fix.changes if is_addition(c)]
                at_origin, notes = cfn.at_origin, cfn.notes
            edits = _edits_by_file(fix, res, sources)
            for path, edit in at_origin:
                edits.setdefault(path, []).append(edit)
            targets = [p for p, e in edits.items() if e] + (_addition_targets(placed, generate) if placed else [])
            _check_inside(roots, targets)
        except FixNotApplicable as exc:
            plan.skipped.append((finding, f"no automatic fix: {exc}"))
            continue
        if not any(edits.values()) and not adds:
            plan.skipped.append((finding, "no automatic fix: the change has no edit rlint can write here"))
            continue
        for path, file_edits in edits.items():
            own_edits.setdefault(path, []).append((finding, file_edits))
        for target in targets:
            touched.setdefault(target, []).append(finding)
        plan.notes.extend((finding, note) for note in notes)
        if placed is not None:
            if placed.additions:
                tf_groups.setdefault((placed.home_dir, placed.group), _Group(placed.home_file)).add(
                    placed.additions, finding)
            for directory, file, output in placed.outputs:
                tf_groups.setdefault((directory, ""), _Group(file)).add([output], finding)
        elif adds:
            entry = additions.setdefault(_unit_key(res), (res, [], []))
            entry[1].extend(adds)
            entry[2].append(finding)
        plan.applied.append(finding)
    for path, entries in own_edits.items():
        edits_by_file[path] = _without_conflicts(plan, entries)
    _write_terraform_additions(plan, tf_groups, result.graph, sources, edits_by_file, generate)
    for key, (home, adds, findings) in additions.items():
        unit = [r for r in result.graph.in_unit(home) if _unit_key(r) == key]
        adds = missing(merge(adds), unit)
        if not adds:
            continue
        try:
            adds = condition_additions(adds, {r.address.rsplit(".", 1)[-1] if r.meta.get("nested_stack") else r.address:
                                              r.meta.get("condition") for r in unit})
            edits_by_file.setdefault(home.file, []).append(insertion(adds, home, unit, sources.text(home.file)))
        except FixNotApplicable as exc:
            _give_up(plan, findings, f"no automatic fix: {exc}")
    for path, edits in edits_by_file.items():
        if not edits:
            continue
        text = sources.text(path)
        try:
            new_text = apply_edits(text, merge_inserts(edits, path, text))
            if path.endswith(".tf"):
                new_text = align_like_fmt(text, new_text)
            _check_conditions(path, text, new_text)
        except FixNotApplicable as exc:
            _give_up(plan, [f for f in plan.applied if f in touched.get(path, ()) or f.file == path],
                     f"no automatic fix: {exc}")
            continue
        plan.new_texts[path] = new_text
        plan.old_texts[path] = text
        plan.originals[path] = getattr(sources, "original", lambda _p: None)(path)
    return plan, touched


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}
CONFLICT = "no automatic fix in this pass: its edit overlaps the fix of "


def _without_conflicts(plan: FixPlan, entries: list) -> list:
    """The edits of one file, fix by fix, the most severe finding first: a fix whose edit overlaps one already
    taken waits (given up in this pass, named), and the others are written (ruff's rule; `rlint fix --write`
    then plans again on the result)."""
    taken: list = []  # (Edit, finding)
    for finding, edits in sorted(entries, key=lambda e: (SEVERITY_ORDER.get(e[0].severity.value, 9), e[0].rule_id,
                                                          e[0].span.line, e[0].resource)):
        clash = next((other for e in edits for a, other in taken if e != a and _overlap(e, a)), None)
        if clash is not None:
            _give_up(plan, [finding], f"{CONFLICT}{clash.rule_id} on {clash.resource}")
            continue
        taken += [(e, finding) for e in edits if all(e != a for a, _f in taken)]
    return [e for e, _f in taken]


def _overlap(a: Edit, b: Edit) -> bool:
    """Two edits that cannot both be written: overlapping replacements, or an insertion inside a replacement
    (two insertions at one place merge)."""
    if a.start == a.end and b.start == b.end:
        return False
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


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


def _structural_problems(plan: FixPlan, graph, sources) -> dict:
    """{path: [problem]} for the Terraform files the plan writes."""
    out: dict = {}
    for path, new in plan.new_texts.items():
        if not path.endswith(".tf"):
            continue
        directory = posixpath.dirname(path)
        texts = {p: t for p, t in plan.new_texts.items() if p.endswith(".tf") and posixpath.dirname(p) == directory}
        folder = sources.cwd / (directory or ".")
        for other in sorted(folder.glob("*.tf")):
            display = posixpath.join(directory, other.name) if directory else other.name
            if display not in texts:
                texts[display] = sources.text(display) or ""
        here = [r for r in graph.resources if r.format == "terraform" and not r.meta.get("from_plan")
                and posixpath.normpath(r.meta.get("module_dir") or ".") == posixpath.normpath(directory or ".")]
        expanded = {local_address(r) for r in here if r.meta.get("expansion")}
        declared = {local_address(r) for r in here}
        found = terraform_problems(path, plan.old_texts.get(path), new, texts, expanded, declared)
        if found:
            out[path] = found
    return out


@dataclass
class _Group:
    """What one Terraform module directory gets added, for one provider."""
    file: str  # where the additions are appended without --generate
    adds: list = field(default_factory=list)
    findings: list = field(default_factory=list)

    def add(self, adds: list, finding) -> None:
        self.adds.extend(adds)
        if finding not in self.findings:
            self.findings.append(finding)


def _write_terraform_additions(plan: FixPlan, groups: dict, graph, sources, edits_by_file: dict,
                               generate: Optional[str]) -> None:
    by_file: dict = {}  # target file -> ([AddResource], [findings])
    for (directory, provider), group in groups.items():
        adds = [a for a in merge(group.adds) if not _present(a, directory, graph, sources)]
        if provider:
            adds = per_provider(adds, provider)
        if not adds:
            continue
        target = str(PurePath(directory or ".") / generate) if generate else group.file
        entry = by_file.setdefault(target, ([], []))
        entry[0].extend(adds)
        entry[1].extend(f for f in group.findings if f not in entry[1])
    for target, (adds, findings) in by_file.items():
        if generate:
            plan.new_texts[target] = render_terraform(adds)
            plan.old_texts[target] = sources.text(target)
            if plan.old_texts[target] is not None:
                _give_up(plan, findings, f"no automatic fix: {target} exists: name a new file")
            continue
        edits_by_file.setdefault(target, []).append(append_terraform(adds, sources.text(target) or ""))


_DECLARED = {"output": r'^\s*output\s+"{}"', "variable": r'^\s*variable\s+"{}"',
             "provider": r'^\s*alias\s*=\s*"{}"'}


def _present(add, directory: str, graph, sources) -> bool:
    """Whether the module directory already declares what the fix would add (a second run adds nothing)."""
    if add.kind == "resource":
        name = f"{add.type}.{add.name}"
        return any(r.meta.get("module_dir") == directory and local_address(r) == name for r in graph.resources)
    pattern = _DECLARED.get(add.kind)
    if pattern is None:
        return False
    folder = sources.cwd / (directory or ".")
    for path in sorted(folder.glob("*.tf")):
        text = sources.text(str(PurePath(directory or ".") / path.name))
        if text and re.search(pattern.format(re.escape(add.name)), text, re.M):
            return True
    return False


def _addition_targets(placed, generate: Optional[str]) -> list:
    """The files a Terraform fix's additions and outputs are written to."""
    files = []
    if placed.additions:
        files.append(str(PurePath(placed.home_dir or ".") / generate) if generate else placed.home_file)
    files += [str(PurePath(d or ".") / generate) if generate else f for d, f, _o in placed.outputs]
    return files


def _check_inside(roots: Optional[list], files: list) -> None:
    """Writes stay inside the paths given on the command line."""
    if roots is None:
        return
    for file in files:
        if not any(_within(file, root) for root in roots):
            raise FixNotApplicable(f"{file} is outside the paths given ({', '.join(roots)}): rlint writes only "
                                   f"inside them; change it there by hand, or fix where the value is passed in")


def _within(file: str, root: str) -> bool:
    root = posixpath.normpath(str(root).replace("\\", "/"))
    file = posixpath.normpath(file)
    if root == ".":
        return not file.startswith("../") and file != ".." and not posixpath.isabs(file)
    return file == root or file.startswith(root.rstrip("/") + "/")


def _unit_key(res) -> tuple:
    """Where a unit's new resources go: a Terraform module's directory, a template's file. The deployments of
    one path (`deployments:`) share its files: what they add is added once."""
    unit = ("deployed", res.meta.get("root", "")) if res.meta.get("deployment") else res.meta.get("unit", "")
    if res.format == "terraform":
        return unit, str(PurePath(res.file).parent)
    return unit, res.file


def _give_up(plan: FixPlan, findings: list, why: str) -> None:
    plan.given_up.add(why)
    plan.skipped.extend((f, why) for f in findings if f in plan.applied)
    plan.applied = [f for f in plan.applied if f not in findings]


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
    # a finding left on purpose (another of the rule's findings on the resource, waiting for a later pass)
    # shares the key of the one fixed
    waiting = {(f.rule_id, f.file, f.resource) for f, _why in plan.skipped}
    problems += [f"{f.rule_id} on {f.resource} is still reported after the fix" for f in plan.applied
                 if (f.rule_id, f.file, f.resource) in remaining - waiting]
    if problems:
        for p, full in paths.items():
            if plan.old_texts[p] is None:
                full.unlink()
            else:
                original = plan.originals.get(p)
                full.write_bytes(original if original is not None else plan.old_texts[p].encode("utf-8"))
    return problems

"""The snippet a finding shows for its fix: the resource as it will read, then the resources the fix adds.

Built from the edits `rlint fix` would write (`apply`) and the additions it would insert (`additions`),
falling back to the header and the changed settings (`render`) when the source text is not at hand.
"""
from __future__ import annotations

import textwrap
from dataclasses import replace

from ..model import FixInfo, Resource
from .additions import is_addition, render_addition_snippet, render_other_stack
from .apply import FixNotApplicable, apply_edits, change_target, edits_for, snippet_after, targets_of
from .diff import edit_diff
from .inserts import merge_inserts
from .render import language_of, nest_changes, render_cfn, render_hcl


def render_fix(fix, res: Resource, text: str = None, text_of=None) -> FixInfo:
    """Each resource the fix edits as it should look (its own text with the fix applied when the source is at
    hand, else the header and the changed settings), the finding's own first; then the resources the fix
    adds. `text_of(file)` reads the file of an edited resource other than the finding's."""
    language = language_of(res)
    if res.meta.get("nested_stack"):  # a nested stack's template, in its own names (title and changes)
        from .cfn_place import in_own_names

        fix = in_own_names(fix, res)
    parts = []
    placed: list = []  # (file, line, column, end line, end column, text): the edits, for SARIF `fixes`
    diffs = []  # (file, the target's changed lines) or None when a target has no source to diff
    fix, at_origin = _at_origin(fix, res, text, text_of)
    for target in targets_of(fix, res):
        source = text if target.file == res.file else text_of(target.file) if text_of else None
        shown = None
        if source is not None:
            try:
                # insertions at one place in the order `rlint fix` writes them (a property before DependsOn)
                edits = merge_inserts(edits_for(fix, res, source, target), target.file, source)
                shown = snippet_after(target, source, edits)
                placed += [(target.file, *_position(source, e.start), *_position(source, e.end), e.text)
                           for e in edits]
                diffs.append((target.file, edit_diff(source, edits)) if shown is not None else None)
            except FixNotApplicable:
                shown = None
                placed.append(None)
        if shown is None:
            tree = nest_changes([c for c in fix.changes if change_target(c, res) is target], target)
            shown = render_hcl(target, tree) if target.format == "terraform" else \
                render_cfn(target, tree, language_of(target))
            diffs.append(None)
        parts.append(shown)
    for file in sorted({f for f, _e in at_origin}, key=lambda f: f != res.file):
        source = text if file == res.file else text_of(file)
        edits = [e for f, e in at_origin if f == file]
        placed += [(file, *_position(source, e.start), *_position(source, e.end), e.text) for e in edits]
        changed = edit_diff(source, edits)
        diffs.append((file, changed))
        parts.append(textwrap.dedent("\n".join(line for _n, mark, line in changed if mark in " +")))
    added = [c for c in fix.changes if is_addition(c)]
    if added:
        parts.append(render_addition_snippet(added, res))
    elsewhere = getattr(fix, "elsewhere", ())
    if elsewhere:
        parts.append(render_other_stack(elsewhere, res))
    snippet = "\n\n".join(p for p in parts if p)
    diff = () if elsewhere or None in diffs else _joined_diff(diffs, res.file, parts[-1] if added else None)
    # only a fix made of edits alone can be replayed by another tool: added resources are merged per unit
    whole = placed and None not in placed and not added and fix.safety != "display-only"
    return FixInfo(fix.title, snippet, language, fix.safety, fix.note, fix.manual,
                   tuple(getattr(fix, "follow_up", ())), tuple(placed) if whole else (), diff)


def _at_origin(fix, res: Resource, text, text_of) -> tuple:
    """(the fix without the changes made where their values are set, [(file, Edit)] made there instead); a
    CloudFormation fix whose origin cannot be changed is display-only with the reason `rlint fix` gives."""
    if res.format != "cloudformation" or fix.safety == "display-only":
        return fix, []
    from .cfn_place import place_cloudformation  # each format's placement is loaded when a finding needs it

    read = lambda f: text if f == res.file else text_of(f) if text_of else None
    try:
        placed = place_cloudformation(fix, res, read)
    except FixNotApplicable as exc:
        return replace(fix, safety="display-only", manual=str(exc)), []
    if not placed.at_origin:
        return fix, []
    if any(read(f) is None for f, _e in placed.at_origin):
        return fix, []
    note = "; ".join(([fix.note] if fix.note else []) + placed.notes)
    return replace(fix, changes=placed.changes, note=note), placed.at_origin


def _position(text: str, offset: int) -> tuple:
    """(line, column), 1-based, of an offset into a file's text."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _joined_diff(diffs: list, own_file: str, addition) -> tuple:
    """The changed lines of every edited file (a file other than the finding's is named first), then the
    added resources as added lines."""
    out: tuple = ()
    for file, lines in diffs:
        if file != own_file:
            out += ((None, "f", file),)
        elif out:
            out += ((None, "@", ""),)
        out += lines
    if addition:
        out += ((None, "@", ""),) * bool(out) + tuple((None, "+", line) for line in addition.splitlines())
    return out


def _nested_writable(fix, res: Resource, sources, everywhere):
    """A fix inside a nested stack's template, display-only when other stacks loading it do not need it."""
    from .cfn_place import place_cloudformation

    try:
        place_cloudformation(fix, res, sources.text, everywhere)
    except FixNotApplicable as exc:
        return replace(fix, safety="display-only", manual=str(exc))
    return fix


def settle_terraform(findings: list, fix_plans: list, graph, sources) -> tuple:
    """Terraform fixes that cannot be written validly (terraform_place) are shown as display-only with the
    reason `rlint fix` gives: (findings, fix_plans) with those findings' fixes redrawn."""
    from .terraform_place import failing_everywhere, settled

    redrawn: dict = {}
    for finding, res, fix in fix_plans:
        if fix.safety == "display-only" or res.format != "terraform" and not res.meta.get("nested_stack"):
            continue
        everywhere = failing_everywhere(findings, graph, finding.rule_id)
        if res.format != "terraform":
            shown = _nested_writable(fix, res, sources, everywhere)
            if shown is not fix:
                redrawn[id(finding)] = replace(finding, fix=render_fix(shown, res, sources.text(res.file),
                                                                       sources.text))
            continue
        shown, placed = settled(fix, res, graph, sources, everywhere)
        if shown is not fix:
            redrawn[id(finding)] = replace(finding, fix=render_fix(shown, res, sources.text(res.file), sources.text))
        elif placed is not None and placed.at_origin:
            at_origin = _at_origin_fix(fix, res, placed, sources)
            if at_origin is not None:
                redrawn[id(finding)] = replace(finding, fix=at_origin)
    if not redrawn:
        return findings, fix_plans
    return ([redrawn.get(id(f), f) for f in findings],
            [(redrawn.get(id(f), f), r, x) for f, r, x in fix_plans])


def _at_origin_fix(fix, res: Resource, placed, sources):
    """A fix that changes values where they are written (value provenance) shows those edits, in their files,
    and says what they affect; the rest of the fix (settings of the resource's own block, what it adds) after.
    None when the origin cannot be read (the fix then shows as rendered)."""
    from .terraform_place import origin_edits

    try:
        edits = origin_edits(placed, sources)
    except FixNotApplicable:
        return None
    rest = replace(fix, changes=tuple(placed.sets) + tuple(c for c in fix.changes if is_addition(c)))
    own = render_fix(rest, res, sources.text(res.file), sources.text) if rest.changes else None
    diff: tuple = ()
    shown, placed_edits = [], []
    for file in dict.fromkeys(f for f, _e in edits):
        text = sources.text(file)
        mine = [e for f, e in edits if f == file]
        diff += ((None, "f", file),) + edit_diff(text, mine)
        after = apply_edits(text, mine).splitlines()
        for e in mine:
            line, column = _position(text, e.start)
            shown.append(f"# {file}:{line}\n{after[line - 1].strip()}")
            placed_edits.append((file, line, column, *_position(text, e.end), e.text))
    if own is not None:
        diff += ((None, "f", res.file),) + own.diff if own.diff else ()
        shown.append(own.snippet)
    title = f"{fix.title}, where the value is written: {'; '.join(placed.notes)}"
    edits_out = tuple(placed_edits) + own.edits if own is not None and own.edits else \
        tuple(placed_edits) if own is None else ()
    return FixInfo(title, "\n\n".join(p for p in shown if p), language_of(res), fix.safety, fix.note, fix.manual,
                   tuple(getattr(fix, "follow_up", ())), edits_out, diff)

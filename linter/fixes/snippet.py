"""The snippet a finding shows for its fix: the resource as it will read, then the resources the fix adds.

Built from the edits `rlint fix` would write (`apply`) and the additions it would insert (`additions`),
falling back to the header and the changed settings (`render`) when the source text is not at hand.
"""
from __future__ import annotations

from ..model import FixInfo, Resource
from .additions import is_addition, render_addition_snippet
from .apply import FixNotApplicable, edits_for, snippet_after
from .render import language_of, nest_changes, render_cfn, render_hcl


def render_fix(fix, res: Resource, text: str = None) -> FixInfo:
    """The resource as it should look: its own text with the fix applied when the source is at hand,
    else the header and the changed settings; then the resources the fix adds."""
    language = language_of(res)
    snippet = None
    edits_only = [c for c in fix.changes if not is_addition(c)]
    if text is not None and edits_only:
        try:
            snippet = snippet_after(res, text, edits_for(fix, res, text))
        except FixNotApplicable:
            snippet = None
    if snippet is None and edits_only:
        tree = nest_changes(fix.changes, res)
        snippet = render_hcl(res, tree) if res.format == "terraform" else render_cfn(res, tree, language)
    added = [c for c in fix.changes if is_addition(c)]
    if added:
        snippet = "\n\n".join(p for p in (snippet, render_addition_snippet(added, res)) if p)
    return FixInfo(fix.title, snippet or "", language, fix.safety, fix.note)

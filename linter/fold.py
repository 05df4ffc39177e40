"""One finding per deployment for the rules that judge a deployment's posture rather than a resource.

RL703 asks whether a store has a copy outside its Region. Until a recovery objective asks for Region recovery,
the answer is a property of the whole workload (AWS's DR strategies are chosen per workload): a single-Region
root with 27 volumes is one decision, not 27. Such a rule still judges every resource, so suppressions, scenario
and var-file verdicts, baselines of unsuppressed resources and fixture expectations stay per resource; here its
unsuppressed failures of one root module or template (and deployment) become one finding at the first of them,
listing the others (`covers`: JSON, SARIF related locations, the text report, JUnit and the checkov bridge).
"""
from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from .model import Finding, Outcome, root_implied


class Covered(NamedTuple):
    """One resource a folded finding stands for: what its own finding said, and where."""
    resource: str
    resource_type: str
    file: str  # where its finding was shown
    line: int
    column: int
    message: str
    identity_file: str  # the file that declares it (its identity, design §3)


def covered(finding: Finding) -> tuple:
    """The resources a folded finding stands for, the first being the one it is shown at ((Covered, ...));
    empty for an ordinary finding."""
    return dict(finding.extra).get("covers", ())


def fold_per_deployment(findings: list, rules: list) -> tuple:
    """(findings with each folding rule's failures of one root and deployment folded into one, {id(old
    finding): new finding} for the findings that stand as the folded one)."""
    folding = {r.id: r for r in rules if r.folds_per_deployment}
    if not folding:
        return findings, {}
    groups: dict = {}
    for f in findings:
        if f.rule_id in folding and f.outcome is Outcome.FAIL and f.suppressed is None:
            # a result's own severity (rules may lower one) keeps its finding apart
            groups.setdefault((f.rule_id, f.root, f.deployment or "", f.severity), []).append(f)
    drop: set = set()
    folded: dict = {}
    for (rule_id, *_where), group in groups.items():
        if len(group) < 2:
            continue
        # at the first of them in the root's own files (a template, the root module's directory): where a reader
        # of that root looks; a module file shared by several roots only when the root has none of its own
        group.sort(key=lambda f: (not root_implied(f.root, f.file), f.sort_key()))
        anchor, rule = group[0], folding[rule_id]()
        covers = tuple(Covered(f.resource, f.resource_type, f.file, f.span.line, f.span.column, f.message,
                               f.identity_file) for f in group)
        fix = anchor.fix if anchor.fix is None else replace(anchor.fix, title=rule.fold_fix_title(group))
        folded[id(anchor)] = replace(anchor, message=rule.fold_message(group), fix=fix,
                                     extra=anchor.extra + (("covers", covers),))
        drop.update(id(f) for f in group[1:])
    out = [folded.get(id(f), f) for f in findings if id(f) not in drop]
    return out, folded

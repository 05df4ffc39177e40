"""What RL701 (RPO) and RL702 (RTO) share: compare each scenario's estimate with the resource's objective."""
from __future__ import annotations

from typing import Iterator, Optional

from rlint.model import Unknown
from rlint.rules.base import Result, Rule, RuleContext, manual_fix
from rlint.rules.data_value import judges_kept_data
from rlint.rules.dr.durations import show
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import DELETION, LOST, SCENARIO_LABELS
from rlint.rules.dr.model import STORE_TYPES, store_of
from rlint.rules.dr.objectives import MISSED, UNDECIDED, judge, objective_for


class ObjectiveRule(Rule):
    metric = ""  # "rpo" | "rto"
    resource_types = STORE_TYPES
    graph_rule = True

    @judges_kept_data
    def check(self, res, ctx: RuleContext) -> Iterator[Result]:
        objective = objective_for(ctx, res)
        store = store_of(ctx, res) if objective is not None else None
        if store is None:
            return
        label = self.metric.upper()
        if isinstance(objective, Unknown):
            yield self.unknown(res, objective, what=f"which {label} objective applies")
            return
        target = objective.target(self.metric)
        if target is None:
            return
        missed, undecided = [], None
        for scenario in objective.scenarios:
            est = store.estimates[scenario]
            status, value, why = judge(est, self.metric, target)
            if status == MISSED:
                missed.append((scenario, est, value))
            elif status == UNDECIDED and undecided is None:
                undecided = Unknown(f"{SCENARIO_LABELS[scenario]}: {why.reason}")
        if missed:
            yield self._fail(res, store, objective, target, missed)
        elif undecided is not None:
            yield self.unknown(res, undecided, what=f"whether it meets its {label} objective of {show(target)}")

    def _fail(self, res, store, objective, target, missed) -> Result:
        label = self.metric.upper()
        parts = []
        for scenario, est, value in missed:
            estimate = "not recoverable" if value == LOST else f"{label} {show(value)}"
            parts.append(f"{SCENARIO_LABELS[scenario]}: {estimate} ({est.basis(self.metric)})")
        applicable = [[g for g in est.gaps if self.metric in g.metrics] for _s, est, _v in missed]
        # a fix only when one change closes every missed scenario's first gap, and what it adds meets the
        # objective (automated backups reach 5 minutes back, not 1): a fix that leaves the finding is not written
        firsts = [gaps[0] for gaps in applicable if gaps]
        fixes = {id(g.fix): g.fix for g in firsts}
        short = [g for g in firsts if g.reaches is not None and not (
            getattr(g.reaches, self.metric) is not None and getattr(g.reaches, self.metric) <= target)]
        fix = next(iter(fixes.values())) if len(fixes) == 1 and len(firsts) == len(missed) and not short else None
        close = "; ".join(dict.fromkeys(g.text for gaps in applicable for g in gaps))
        if not close and self.metric == "rto" and any(s == DELETION for s, _e, _v in missed):
            close = (f"nothing in the configuration makes a restore faster (assumed {show(F.RESTORE.seconds)}): "
                     f"time a restore drill and set the deletion objective from it")
        if fix is None and short and short[0].fix is not None:
            reached = getattr(short[0].reaches, self.metric)
            fix = manual_fix(f"Close the {label} gap: {close}",
                             f"{short[0].fix.title[0].lower()}{short[0].fix.title[1:]} reaches "
                             f"{'an unestimated ' + label if reached is None else label + ' ' + show(reached)} at "
                             f"best, short of the objective of {show(target)}: which of the changes named to make, "
                             f"or whether to relax the objective, is a cost decision")
        if fix is None:
            fix = manual_fix(f"Close the {label} gap: {close}" if close else f"Meet the {label} objective",
                             "no one change closes every scenario the objective misses: each gap named is a "
                             "change of its own (a copy, a replica, a shorter backup interval), and which to make "
                             "is a cost decision" if close else "rlint knows no change that meets this objective")
        tier = "" if objective.tier == "default" else f" (tier `{objective.tier}`)"
        message = (f"{res.address} ({store.kind}) misses its {label} objective of {show(target)}{tier}: "
                   + "; ".join(parts) + (f". To close the gap: {close}" if close else ""))
        return self.fail(res, message, at=self._at(fix), fix=fix)

    @staticmethod
    def _at(fix) -> Optional[object]:
        if fix is None or not fix.changes:
            return None
        return getattr(fix.changes[0], "attr", None)


__all__ = ["ObjectiveRule"]

"""AWS Backup plans that select a store: local recovery points for an AZ failure and a deletion, copies
for a Region failure (plans that cannot improve what is already known are not matched)."""
from __future__ import annotations

from dataclasses import replace

from rlint.model import Unknown
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.backup_reading import covering
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Option
from rlint.rules.dr.stores.base import Store, every, opt


def backup_options(ctx: RuleContext, store: Store, continuous_ok: bool) -> None:
    """Plan rules that select the store: local recovery points for AZ and deletion, copies for a Region."""
    bars: list = []  # the store's `_bars`, refreshed after each plan that adds options
    reach = ctx.graph.memo("backup.plan_reach", dict)  # a plan's rules are asked about every store

    def known() -> tuple:
        if not bars:
            bars.append(_bars({s: (e.value("rpo"), e.value("rto")) for s, e in store.estimates.items()}))
        return bars[0]

    def useful(rules: list) -> bool:
        return _could_improve(known(), _reach(reach, rules, continuous_ok))

    def hopeless() -> bool:  # the best plan of the scan cannot improve on the store's known options
        return not _could_improve(known(), _best_reach(ctx, reach, continuous_ok))

    for rules, answer in covering(ctx, store.res, useful, hopeless):
        bars.clear()
        if isinstance(rules, Unknown):
            option = Option("an AWS Backup plan", None, F.RESTORE.seconds, "the plan is not known", F.RESTORE.source)
            for scenario in (AZ, DELETION, REGION):
                store.maybe(scenario, option, answer if isinstance(answer, Unknown) else rules)
            continue
        for rule in rules:
            if answer is True:
                _backup_rule(store, rule, continuous_ok)
            else:
                _maybe_rule(store, rule, answer)


def _local_rpo(rule, continuous_ok: bool):
    return F.PITR.seconds if rule.continuous is True and continuous_ok else rule.interval


def _bars(bests: dict) -> tuple:
    """For AZ, deletion and Region: the RPO an option must beat to improve on the store's known options (`bests`:
    scenario -> (best RPO, best RTO)), or None when any option improves it (no RPO or RTO known, or a restore
    beats the best RTO)."""
    def bar(scenario: str):
        best_rpo, best_rto = bests[scenario]
        return None if best_rpo is None or best_rto is None or F.RESTORE.seconds < best_rto else best_rpo

    return bar(AZ), bar(DELETION), bar(REGION)


def _could_improve(bars: tuple, reach: tuple) -> bool:
    """Whether some rule of a plan (its `_reach`) could give a better RPO or RTO than the store's known options
    (their `_bars`)."""
    local, copy = reach
    if local is _ANY or copy is _ANY:
        return True
    az, deletion, region = bars
    if local is not None and (az is None or local < az or deletion is None or local < deletion):
        return True
    return copy is not None and (region is None or copy < region)


_ANY = object()  # a rule whose RPO is not a number: it could improve anything


def _reach(memo: dict, rules: list, continuous_ok: bool) -> tuple:
    """The best the plan's rules can reach: (the shortest local RPO, the shortest copy interval), each None when
    no rule gives one and _ANY when some rule's is not a number (it could improve anything). Improving is
    monotone in the RPO (`_could_improve`), so the shortest decides for every rule."""
    key = (id(rules), continuous_ok)
    hit = memo.get(key)
    if hit is not None and hit[0] is rules:
        return hit[1]
    local = copy = None
    for rule in rules:
        rpo = _local_rpo(rule, continuous_ok)
        if not isinstance(rpo, (int, float)):
            local = _ANY
        elif local is not _ANY and (local is None or rpo < local):
            local = rpo
        if rule.copy_regions:
            if not isinstance(rule.interval, (int, float)):
                copy = _ANY
            elif copy is not _ANY and (copy is None or rule.interval < copy):
                copy = rule.interval
    memo[key] = (rules, (local, copy))
    return local, copy


def _best_reach(ctx: RuleContext, memo: dict, continuous_ok: bool) -> tuple:
    """The best `_reach` of every plan in the scan (the shortest of each, _ANY when any is)."""
    from rlint.rules.dr.backup_reading import plan_rule_sets

    key = ("best", continuous_ok)
    if key not in memo:
        local = copy = None
        for rules in plan_rule_sets(ctx):
            one_local, one_copy = _reach(memo, rules, continuous_ok)
            local = _shorter(local, one_local)
            copy = _shorter(copy, one_copy)
        memo[key] = (local, copy)
    return memo[key]


def _shorter(a, b):
    if a is _ANY or b is _ANY:
        return _ANY
    if a is None or b is None:
        return b if a is None else a
    return b if b < a else a


def _maybe_rule(store: Store, rule, why: Unknown) -> None:
    basis = f"AWS Backup plan {rule.plan.address} rule {rule.name}"
    interval = _local_rpo(rule, True) if isinstance(_local_rpo(rule, True), (int, float)) else None
    option = Option(basis, interval, F.RESTORE.seconds, "the plan may select it", F.RESTORE.source)
    for scenario in (AZ, DELETION):
        store.maybe(scenario, option, why)
    if any(away is not False for _where, away in rule.copy_regions):
        # a copy the plan may make: the store may have a copy in another Region (RL703 says unknown, not "none")
        store.maybe(REGION, replace(option, basis=f"{basis} copy", cross_region=True), why)


def _backup_rule(store: Store, rule, continuous_ok: bool) -> None:
    basis = f"AWS Backup plan {rule.plan.address} rule {rule.name}"
    if rule.continuous is True and continuous_ok:
        local = opt(basis + " (continuous)", F.PITR.seconds, F.RESTORE.seconds, F.PITR, F.RESTORE)
    elif isinstance(rule.interval, Unknown):
        local = None
        for scenario in (AZ, DELETION):
            store.maybe(scenario, Option(basis, None, F.RESTORE.seconds, rule.interval.reason), rule.interval)
    else:
        local = Option(basis, rule.interval, F.RESTORE.seconds,
                       f"a recovery point every {every(rule.interval)}, {rule.kept}", F.RESTORE.source,
                       rto_says=F.RESTORE.says)
    if local is not None:
        store.add(AZ, local)
        store.add(DELETION, local)
    for where, away in rule.copy_regions:
        rpo = rule.interval if isinstance(rule.interval, (int, float)) else None
        assumed = f" (assuming the stack is not deployed in {where})" if store.res.format != TERRAFORM else ""
        copy = Option(f"{basis} copy to {where}", rpo, F.RESTORE.seconds,
                      (f"a copy every {every(rpo)}" if rpo else "the schedule is not known") + assumed,
                      F.RESTORE.source, cross_region=True, rto_says=F.RESTORE.says + assumed,
                      to=(where,) if where != "another Region" else ())
        if isinstance(rule.interval, Unknown) and away is True:
            store.maybe(REGION, copy, rule.interval)
        else:
            store.offer(REGION, away, copy)
            store.copies.append(copy)


__all__ = ["backup_options"]

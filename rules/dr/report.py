"""The `--dr-report` table as plain data: the engine asks for it, reporters print it, the JSON report
carries it under `dr` (schema: linter/report.schema.json). Rules never see it.

Per data store and scenario: the RPO and RTO estimates with their basis, the objective of the store's
tier and whether the estimate meets it (decided exactly as RL701/RL702 decide).
"""
from __future__ import annotations

from typing import Any, Optional

from rlint.model import Unknown
from rlint.rules.base import RuleContext
from rlint.rules.dr.durations import show
from rlint.rules.dr.entries import entry_estimates
from rlint.rules.dr.estimate import LOST, REGION, SCENARIO_LABELS, SCENARIOS
from rlint.rules.dr.model import recovery_model
from rlint.rules.dr.objectives import judge, objective_for
from rlint.rules.dr.regions import region_label

METRICS = ("rpo", "rto")


def _cell(est, metric: str, objective: Any, scenario: str) -> dict:
    target = None
    if objective is not None and not isinstance(objective, Unknown) and scenario in objective.scenarios:
        target = objective.target(metric)
    status, value, why = judge(est, metric, target)
    if isinstance(objective, Unknown):
        status, why = "unknown", objective
    return {
        "estimate": show(value),
        "seconds": None if value is None or value == LOST else int(value),
        "recoverable": value != LOST,
        "basis": est.basis(metric),
        "objective": None if target is None else show(target),
        "objective_seconds": target,
        "status": status,
        **({"why": why.reason} if why is not None else {}),
    }


def _tier(objective: Any) -> Optional[str]:
    if objective is None:
        return None
    return "unknown" if isinstance(objective, Unknown) else objective.tier


def _entry(ctx: RuleContext, entry, moved, sources: set) -> dict:
    rows = []
    for scenario, est in entry_estimates(ctx, entry, moved).items():
        sources.update(est.sources())
        value, why = est.value("rto"), est.undecided("rto", LOST)
        if value == LOST and why is not None:
            rows.append({"scenario": scenario, "label": SCENARIO_LABELS[scenario], "rto": show(None),
                         "basis": why.reason})
            continue
        rows.append({"scenario": scenario, "label": SCENARIO_LABELS[scenario], "rto": show(value),
                     "basis": est.basis("rto")})
    res = entry.res
    return {"resource": res.address, "resource_type": res.type, "kind": entry.kind, "file": res.file,
            "line": res.span.line, "region": entry.region, "where": region_label(res),
            "deployment": res.meta.get("deployment"), "idle": entry.idle, "scenarios": rows}


_RANK = {"missed": 3, "unknown": 2, "met": 1, "no objective": 0}


def _worst(rows: list) -> str:
    """The store's status for the pictures: its worst scenario (missed, unknown, met, no objective)."""
    return max((r[m]["status"] for r in rows for m in METRICS), key=_RANK.__getitem__)


def _copies(est) -> list:
    """The store's copies in other Regions, as the pictures draw them: live (replicas, global tables,
    replication) or backups, certain or only possible (an undecided input)."""
    def copy(o, certain: bool) -> dict:
        peers = [{"resource": a, "deployment": d} for a, d in o.peers]
        return {"basis": o.basis, "live": o.live, "to": list(o.to), "certain": certain,
                **({"peers": peers} if peers else {})}

    return [copy(o, True) for o in est.options if o.cross_region] + \
        [copy(o, False) for o, _why in est.maybe if o.cross_region]


def _records(ctx: RuleContext) -> list:
    """The Route 53 records that route between stacks (failover pairs, latency, weighted, geolocation)."""
    from rlint.rules.dr.traffic import _protected, answer_region, static_site
    from rlint.rules.graphutil.route53 import FAILOVER_POLICY, SIMPLE, MULTIVALUE_POLICY, all_records

    out = []
    for k in all_records(ctx):
        if not k.decided or isinstance(k.policy, Unknown) or k.policy in (SIMPLE, MULTIVALUE_POLICY):
            continue
        region = answer_region(ctx, k)
        res = k.record.holder
        out.append({"record": k.record.label, "name": k.name, "file": res.file, "line": res.span.line,
                    "routing": k.role if k.policy == FAILOVER_POLICY and isinstance(k.role, str) else k.policy,
                    "region": None if isinstance(region, Unknown) else region_label(region),
                    "deployment": res.meta.get("deployment"),
                    "health_checked": _protected(ctx, k), "static_site": static_site(ctx, k)})
    return out


def dr_report(ctx: RuleContext) -> dict:
    model = recovery_model(ctx)
    stores = []
    sources: set = set()
    for store in model.stores:
        objective = objective_for(ctx, store.res)
        rows = []
        for scenario in SCENARIOS:
            est = store.estimates[scenario]
            sources.update(est.sources())
            rows.append({"scenario": scenario, "label": SCENARIO_LABELS[scenario],
                         **{m: _cell(est, m, objective, scenario) for m in METRICS}})
        res = store.res
        stores.append({"resource": res.address, "resource_type": res.type, "kind": store.kind,
                       "file": res.file, "line": res.span.line, "tier": _tier(objective), "scenarios": rows,
                       "region": region_label(res), "deployment": res.meta.get("deployment"),
                       "status": _worst(rows), "copies": _copies(store.estimates[REGION])})
    moved = model.traffic
    if moved.option is not None:
        sources.add(moved.option.source)
    return {
        "strategy": None if model.strategy is None else {"name": model.strategy.name,
                                                          "reason": model.strategy.reason},
        "traffic": {"mode": moved.mode, "rto": None if moved.option is None else show(moved.option.rto),
                    "basis": "" if moved.option is None else f"{moved.option.basis}: {moved.option.says}",
                    "notes": list(moved.notes), "records": _records(ctx)},
        "entry_points": [_entry(ctx, e, moved, sources) for e in moved.entries],
        "stores": stores,
        "sources": sorted(sources),
    }


__all__ = ["dr_report"]

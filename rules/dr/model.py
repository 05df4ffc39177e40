"""The recovery model of a whole configuration: every data store with its estimates for the three
scenarios, the traffic path to another Region, and the DR strategy they add up to. Each store is read once
per graph, on demand, and shared by RL701-RL703 and the `--dr-report` table.

A Region failure is recovered when both the data and the traffic have moved: the Region estimate's RTO
is the longer of the store's own recovery and the entry points' (see traffic.py).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace
from typing import Optional

from rlint.model import Resource
from rlint.rules.base import RuleContext
from rlint.rules.dr.estimate import REGION, Gap, Option
from rlint.rules.dr.stores import STORE_TYPES, Store, read_store
from rlint.rules.dr.strategy import Strategy, classify
from rlint.rules.dr.traffic import ACTIVE, FAILOVER, PILOT, Traffic, traffic

STANDBY_MODES = (ACTIVE, FAILOVER, PILOT)

STANDBY_GAP = "a standby stack in another Region behind Route 53 failover records with health checks"


@dataclass
class Model:
    stores: list = field(default_factory=list)
    traffic: Optional[Traffic] = None
    strategy: Optional[Strategy] = None


def _with_traffic(store: Store, moved: Traffic) -> None:
    est = store.estimates[REGION]
    if not moved.applies_to(store.res):
        return  # the application's own failover is not in the configuration: the data's time alone
    t = moved.option
    est.options = [o if o.rto is None else _moved(o, t, moved.mode) for o in est.options]
    if moved.maybe is not None:
        est.maybe.append((moved.maybe_option, moved.maybe))
    if moved.mode not in (FAILOVER, ACTIVE):
        est.gaps.append(Gap(STANDBY_GAP, metrics=("rto",)))


def _moved(o: Option, t: Option, mode: str) -> Option:
    """The option once traffic has moved too: the longer of the data's and the traffic's recovery. A copy
    that clients must be repointed at (an S3 replica) is assumed already used by a standby stack."""
    if o.repoint and mode in STANDBY_MODES:
        return replace(o, rto=t.rto, rto_says=f"the standby stack is assumed to use the copy in its own Region; "
                                              f"traffic: {t.basis}: {t.says}")
    return replace(o, rto=max(o.rto, t.rto), rto_says=f"{o.assumption('rto')}; traffic: {t.basis}: {t.says}")


# per graph: id(resource) -> Store or None (read once, on demand, so that one store that cannot be read
# fails only its own checks)
_STORES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_MODELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def store_of(ctx: RuleContext, res: Resource) -> Optional[Store]:
    """The store's recovery model, or None when the resource is not a data store of its own."""
    cache = _STORES.setdefault(ctx.graph, {})
    if id(res) not in cache:
        store = read_store(ctx, res)
        if store is not None:
            _with_traffic(store, traffic(ctx))
        cache[id(res)] = store
    return cache[id(res)]


def recovery_model(ctx: RuleContext) -> Model:
    """Every store of the scan, the traffic path and the strategy (computed once per graph). A store that
    cannot be read is left out here; the rules report it as RL002 on that resource."""
    found = _MODELS.get(ctx.graph)
    if found is not None:
        return found
    model = Model(traffic=traffic(ctx))
    for res in ctx.graph.by_type(*STORE_TYPES):
        try:
            store = store_of(ctx, res)
        except Exception:  # noqa: BLE001 - the rule run reports it; the table goes on without it
            continue
        if store is not None:
            model.stores.append(store)
    model.strategy = classify(model.stores, model.traffic)
    _MODELS[ctx.graph] = model
    return model


__all__ = ["Model", "recovery_model", "store_of", "STORE_TYPES"]

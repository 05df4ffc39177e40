"""The recovery model of a whole configuration: every data store with its estimates for the three
scenarios, the traffic path to another Region, and the DR strategy they add up to. Computed once per
graph and shared by RL701-RL703 and the `--dr-report` table.

A Region failure is recovered when both the data and the traffic have moved: the Region estimate's RTO
is the longer of the store's own recovery and the entry points' (see traffic.py).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field, replace
from typing import Optional

from rlint.model import Resource
from rlint.rules.base import RuleContext
from rlint.rules.dr.estimate import LOST, REGION, Gap, Option
from rlint.rules.dr.stores import STORE_TYPES, Store, read_store
from rlint.rules.dr.strategy import Strategy, classify
from rlint.rules.dr import figures as F
from rlint.rules.dr.traffic import ACTIVE, FAILOVER, Traffic, traffic

STANDBY_GAP = "a standby stack in another Region behind Route 53 failover records with health checks"


@dataclass
class Model:
    stores: list = field(default_factory=list)
    traffic: Optional[Traffic] = None
    strategy: Optional[Strategy] = None
    by_resource: dict = field(default_factory=dict)  # id(resource) -> Store


def _with_traffic(store: Store, moved: Traffic) -> None:
    est = store.estimates[REGION]
    if moved.option is None:
        return  # the application's own failover is not in the configuration: the data's time alone
    t = moved.option
    est.options = [o if o.rto is None else
                   replace(o, rto=max(o.rto, t.rto), rto_says=f"{o.assumption('rto')}; traffic: {t.basis}: {t.says}")
                   for o in est.options]
    if moved.maybe is not None:
        better = Option("Route 53 failover", LOST, F.DNS_FAILOVER.seconds, F.DNS_FAILOVER.says, F.DNS_FAILOVER.source)
        est.maybe.append((better, moved.maybe))
    if moved.mode not in (FAILOVER, ACTIVE):
        est.gaps.append(Gap(STANDBY_GAP, metrics=("rto",)))


_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def recovery_model(ctx: RuleContext) -> Model:
    found = _CACHE.get(ctx.graph)
    if found is not None:
        return found
    moved = traffic(ctx)
    model = Model(traffic=moved)
    for res in ctx.graph.by_type(*STORE_TYPES):
        store = read_store(ctx, res)
        if store is None:
            continue
        _with_traffic(store, moved)
        model.stores.append(store)
        model.by_resource[id(res)] = store
    model.strategy = classify(model.stores, moved)
    _CACHE[ctx.graph] = model
    return model


def store_of(ctx: RuleContext, res: Resource) -> Optional[Store]:
    return recovery_model(ctx).by_resource.get(id(res))


__all__ = ["Model", "recovery_model", "store_of", "STORE_TYPES"]

"""Which of the four AWS DR strategies the configuration as a whole implements.

- multi-site active/active: every data store is replicated live to another Region and Route 53 spreads
  traffic over the Regions with health checks (latency, weighted or geolocation records);
- warm standby: every store is replicated live and a health-checked Route 53 failover pair sends traffic to
  a running standby stack;
- pilot light: every store is replicated live, and the standby stack exists but runs no capacity, or runs
  in another Region with no failover routing to it;
- replicated data, no standby: every store is replicated live, but nothing of the application is provisioned
  in another Region (the data half of a pilot light: a data-only global table is not a pilot light);
- backup & restore: some store reaches another Region only through backup copies, or not at all.
(https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rlint.rules.dr.estimate import REGION
from rlint.rules.dr.regions import named
from rlint.rules.dr.traffic import ACTIVE, FAILOVER, PILOT, compute_elsewhere

BACKUP_RESTORE, PILOT_LIGHT, WARM_STANDBY, ACTIVE_ACTIVE = (
    "backup & restore", "pilot light", "warm standby", "multi-site active/active")
# what exists when the data is replicated but nothing of the application is provisioned in another Region:
# only the data half of a pilot light
DATA_ONLY = "replicated data, no standby"
STRATEGIES = (BACKUP_RESTORE, DATA_ONLY, PILOT_LIGHT, WARM_STANDBY, ACTIVE_ACTIVE)


@dataclass
class Strategy:
    name: str
    reason: str


def _live_copy(store) -> bool:
    return any(o.live and o.cross_region for o in store.estimates[REGION].options)


def classify(stores: list, traffic) -> Optional[Strategy]:
    if not stores:
        return None
    behind = [s for s in stores if not _live_copy(s)]
    if behind:
        names = [named(s.res) for s in behind]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        undecided = [named(s.res) for s in behind if any(o.live for o, _why in s.estimates[REGION].maybe)]
        maybe = f"; {', '.join(undecided[:3])} may have a live copy (undecided inputs)" if undecided else ""
        return Strategy(BACKUP_RESTORE, f"{shown} reach{'es' if len(names) == 1 else ''} another Region only "
                                        f"through backups, if at all{maybe}")
    if traffic.mode == ACTIVE:
        return Strategy(ACTIVE_ACTIVE, "every data store is replicated live to another Region and Route 53 "
                                       "routes across Regions with health checks")
    if traffic.mode == FAILOVER:
        return Strategy(WARM_STANDBY, "every data store is replicated live and Route 53 fails over to a running "
                                      "standby stack")
    if traffic.mode == PILOT:
        return Strategy(PILOT_LIGHT, "every data store is replicated live and the standby stack exists but runs no "
                                     "capacity until a failover scales it out")
    elsewhere = compute_elsewhere(traffic.entries)
    if elsewhere is True:
        return Strategy(PILOT_LIGHT, "every data store is replicated live and the application runs in another "
                                     "Region too, but no health-checked Route 53 failover sends traffic there")
    where = "the configuration has no entry point of the application" if not traffic.entries else \
        "the application's entry points all run in one Region" if elsewhere is False else \
        f"the application's entry points may all run in one Region ({elsewhere.reason})"
    return Strategy(DATA_ONLY, f"every data store is replicated live to another Region, but no compute runs or "
                               f"waits there: {where}. That is the data half of a pilot light; recovering the "
                               f"application means deploying it in the other Region")


__all__ = ["Strategy", "classify", "STRATEGIES", "BACKUP_RESTORE", "DATA_ONLY", "PILOT_LIGHT", "WARM_STANDBY", "ACTIVE_ACTIVE"]

"""Which of the four AWS DR strategies the configuration as a whole implements.

- multi-site active/active: every data store is replicated live to another Region and Route 53 spreads
  traffic over the Regions with health checks (latency, weighted or geolocation records);
- warm standby: every store is replicated live and a health-checked Route 53 failover pair sends traffic to
  a running standby stack;
- pilot light: every store is replicated live, but the standby runs no capacity or there is no failover
  routing to it;
- backup & restore: some store reaches another Region only through backup copies, or not at all.
(https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rlint.rules.dr.estimate import REGION
from rlint.rules.dr.traffic import ACTIVE, FAILOVER

BACKUP_RESTORE, PILOT_LIGHT, WARM_STANDBY, ACTIVE_ACTIVE = (
    "backup & restore", "pilot light", "warm standby", "multi-site active/active")
STRATEGIES = (BACKUP_RESTORE, PILOT_LIGHT, WARM_STANDBY, ACTIVE_ACTIVE)


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
        names = [s.res.address for s in behind]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        undecided = [s.res.address for s in behind if any(o.live for o, _why in s.estimates[REGION].maybe)]
        maybe = f"; {', '.join(undecided[:3])} may have a live copy (undecided inputs)" if undecided else ""
        return Strategy(BACKUP_RESTORE, f"{shown} reach{'es' if len(names) == 1 else ''} another Region only "
                                        f"through backups, if at all{maybe}")
    if traffic.mode == ACTIVE:
        return Strategy(ACTIVE_ACTIVE, "every data store is replicated live to another Region and Route 53 "
                                       "routes across Regions with health checks")
    if traffic.mode == FAILOVER:
        return Strategy(WARM_STANDBY, "every data store is replicated live and Route 53 fails over to a running "
                                      "standby stack")
    why = "the standby runs no capacity" if traffic.mode == "pilot" else \
        "no health-checked Route 53 failover to a standby stack"
    return Strategy(PILOT_LIGHT, f"every data store is replicated live, but {why}")


__all__ = ["Strategy", "classify", "STRATEGIES", "BACKUP_RESTORE", "PILOT_LIGHT", "WARM_STANDBY", "ACTIVE_ACTIVE"]

"""Recovery options and the estimate they give for one scenario.

An *option* is one way the configuration can recover from a scenario (a Multi-AZ standby, a
point-in-time restore, a copy in another Region), with its RPO and RTO. The estimate of a scenario is
the best RPO and the best RTO among the options that certainly exist. Options that exist only under an
undecidable value (a variable without default) are kept as `maybe`: they could make the estimate better,
so an objective the estimate misses is then `unknown`, never a failure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional

from rlint.model import Unknown

AZ, REGION, DELETION = "az", "region", "deletion"
SCENARIOS = (AZ, REGION, DELETION)
SCENARIO_LABELS = {AZ: "AZ failure", REGION: "Region failure", DELETION: "deletion or corruption"}
LOST = math.inf


@dataclass(frozen=True)
class Option:
    basis: str            # what recovers the data: "Multi-AZ standby", "AWS Backup copy in us-west-2"
    rpo: Optional[float]  # seconds; None when it cannot be estimated (see `says`)
    rto: Optional[float]
    says: str             # the assumption behind the numbers
    source: str = ""      # the AWS page of the figure
    cross_region: bool = False
    live: bool = False    # a continuously replicated copy (replica, global table), not a backup
    rto_says: str = ""    # the assumption behind the RTO when it is not `says`
    rto_source: str = ""  # the AWS page of the RTO's figure when it is not `source`
    to: tuple = ()        # where a cross-Region copy lives (regions.region_label), empty when not named
    peers: tuple = ()     # (address, deployment) of stores of the scan that are this copy (global cluster peers)
    repoint: bool = False  # clients must be pointed at the copy (an S3 replica): a standby stack already is

    def assumption(self, metric: str) -> str:
        return self.rto_says if metric == "rto" and self.rto_says else self.says


@dataclass(frozen=True)
class Gap:
    """What would close a gap: a sentence, and a Fix in logical terms where one is mechanical."""

    text: str
    fix: object = None  # rules.base.Fix
    metrics: tuple = ("rpo", "rto")  # what it improves
    reaches: object = None  # the Option the fix adds: an objective beyond its RPO or RTO is not met by it


@dataclass
class Estimate:
    scenario: str
    options: list = field(default_factory=list)
    maybe: list = field(default_factory=list)   # (Option, Unknown)
    gaps: list = field(default_factory=list)    # Gap, best first
    note: str = ""                              # e.g. why there is nothing to recover from

    def _best(self, metric: str) -> Optional[Option]:
        known = [o for o in self.options if getattr(o, metric) is not None]
        return min(known, key=lambda o: getattr(o, metric)) if known else None

    def value(self, metric: str) -> Optional[float]:
        """Seconds, LOST when nothing recovers the data, None when it cannot be estimated."""
        best = self._best(metric)
        if best is not None:
            return getattr(best, metric)
        if self.options:
            return None  # options exist, but none gives a number (S3 replication without RTC)
        return LOST

    def basis(self, metric: str) -> str:
        best = self._best(metric)
        if best is not None:
            return f"{best.basis}: {best.assumption(metric)}"
        if self.options:
            return "; ".join(f"{o.basis}: {o.assumption(metric)}" for o in self.options)
        return self.note or "nothing in the configuration recovers the data"

    def sources(self) -> list:
        return sorted({src for o in self.options for src in (o.source, o.rto_source) if src})

    def undecided(self, metric: str, target: float) -> Optional[Unknown]:
        """Why an option that may exist could reach `target`, or None."""
        for option, why in self.maybe:
            value = getattr(option, metric)
            if value is None or value <= target and value != LOST:
                return Unknown(f"{option.basis} may apply ({why.reason})")
        return None


__all__ = ["AZ", "REGION", "DELETION", "SCENARIOS", "SCENARIO_LABELS", "LOST", "Option", "Gap", "Estimate"]

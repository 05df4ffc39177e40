"""What every store reader shares: the Store being built and small readings of values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.base import Attr, Fix, RuleContext
from rlint.rules.dr import figures as F
from rlint.rules.dr.estimate import AZ, DELETION, REGION, Estimate, Gap, Option
from rlint.rules.graphutil.values import as_bool

BACKUP_COPY_GAP = "an AWS Backup rule with a copy action to a vault in another Region"


@dataclass
class Store:
    res: Resource
    kind: str                                   # "RDS DB instance", "Aurora cluster", ...
    estimates: dict = field(default_factory=dict)  # scenario -> Estimate
    copies: list = field(default_factory=list)  # the AWS Backup copies to another Region (Options)

    def __post_init__(self):
        for scenario in (AZ, REGION, DELETION):
            self.estimates.setdefault(scenario, Estimate(scenario))

    def add(self, scenario: str, option: Option) -> None:
        self.estimates[scenario].options.append(option)

    def maybe(self, scenario: str, option: Option, why: Unknown) -> None:
        self.estimates[scenario].maybe.append((option, why))

    def gap(self, scenario: str, text: str, fix: Optional[Fix] = None, reaches: Optional[Option] = None) -> None:
        self.estimates[scenario].gaps.append(Gap(text, fix, reaches=reaches))

    def region_gap(self, live: Optional[str], other: str = "") -> None:
        """What would close a Region gap: `live` (the store's kinds of live copy), `other` (another copy it
        can have) or an AWS Backup copy to another Region. Advice never names what exists: with a backup copy
        already there, a more frequent copy or continuous replication; with any copy, a live one for the RTO."""
        options = self.estimates[REGION].options
        if any(o.cross_region and o.live for o in options):
            return  # the data has a live copy: what is left is the traffic's (model.STANDBY_GAP)
        existing = [o for o in options if o.cross_region]
        if not existing:
            kinds = [k for k in (live, other) if k] + [BACKUP_COPY_GAP]
            self.gap(REGION, kinds[0] if len(kinds) == 1 else
                     ", ".join(kinds[:-1]) + (", or " if len(kinds) > 2 else " or ") + kinds[-1])
            return
        gaps = self.estimates[REGION].gaps
        scheduled = [o for o in self.copies if o in existing and isinstance(o.rpo, (int, float))]
        if scheduled:
            best = min(scheduled, key=lambda o: o.rpo)
            continuous = f", or continuous replication ({live})" if live else ""
            gaps.append(Gap(f"copy more often: {best.basis} runs every {every(best.rpo)}; give that rule a more "
                            f"frequent schedule{continuous}", metrics=("rpo",)))
        elif live:
            gaps.append(Gap(f"continuous replication ({live})", metrics=("rpo",)))
        if live:
            gaps.append(Gap(f"a live copy ({live}) instead of restoring {existing[0].basis}", metrics=("rto",)))

    def offer(self, scenario: str, decided: Any, option: Option) -> None:
        """Add the option when `decided` is True, keep it as maybe when it is an Unknown."""
        if decided is True:
            self.add(scenario, option)
        elif isinstance(decided, Unknown):
            self.maybe(scenario, option, decided)


def opt(basis: str, rpo, rto, fig: F.Figure, rto_fig: Optional[F.Figure] = None, **kw) -> Option:
    other = rto_fig is not None and rto_fig is not fig
    return Option(basis, rpo, rto, fig.says, fig.source, rto_says=rto_fig.says if other else "",
                  rto_source=rto_fig.source if other and rto_fig.source != fig.source else "", **kw)


def is_true(value: Any) -> Any:
    value = as_bool(value)
    return value if isinstance(value, Unknown) else value is True


def is_set(ctx: RuleContext, res: Resource, attr: Attr) -> Any:
    """True when the attribute holds an identifier or references a resource of the configuration, an
    Unknown when its value is an undecided input."""
    value = ctx.get(res, attr)
    if isinstance(value, Unknown):
        return True if ctx.graph.targets(res, attr.path(res.format)) else value
    return value not in (MISSING, None, "")


def every(seconds) -> str:
    from rlint.rules.dr.durations import show

    return show(seconds)


__all__ = ["Store", "opt", "is_true", "is_set", "every", "BACKUP_COPY_GAP"]

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

    def __post_init__(self):
        for scenario in (AZ, REGION, DELETION):
            self.estimates.setdefault(scenario, Estimate(scenario))

    def add(self, scenario: str, option: Option) -> None:
        self.estimates[scenario].options.append(option)

    def maybe(self, scenario: str, option: Option, why: Unknown) -> None:
        self.estimates[scenario].maybe.append((option, why))

    def gap(self, scenario: str, text: str, fix: Optional[Fix] = None) -> None:
        self.estimates[scenario].gaps.append(Gap(text, fix))

    def offer(self, scenario: str, decided: Any, option: Option) -> None:
        """Add the option when `decided` is True, keep it as maybe when it is an Unknown."""
        if decided is True:
            self.add(scenario, option)
        elif isinstance(decided, Unknown):
            self.maybe(scenario, option, decided)


def opt(basis: str, rpo, rto, fig: F.Figure, rto_fig: Optional[F.Figure] = None, **kw) -> Option:
    rto_says = rto_fig.says if rto_fig is not None and rto_fig is not fig else ""
    return Option(basis, rpo, rto, fig.says, fig.source, rto_says=rto_says, **kw)


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

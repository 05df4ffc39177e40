"""The AWS Backup plans that cover a resource, as the DR model needs them: how often each rule runs (its cron
schedule's longest gap), whether it is continuous, and whether its copies leave the Region. The plan walk
is graphutil.backup_plans', coverage (which selections select a resource) graphutil.backup's.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.backup import PLAN_TYPES, RULE_SCHEDULE, SELECTION_PLAN
from rlint.rules.attrs.stateful import BACKUP_KINDS
from rlint.rules.base import TERRAFORM, RuleContext
from rlint.rules.graphutil.backup import outside_plan, possible_selections, selections, target_of
from rlint.rules.graphutil.backup_plans import copy_destinations, crosses_region, lifecycle_of, plan_rules
from rlint.rules.graphutil.regions import Region

DAY_MINUTES = 1440


def _key(res: Resource, pair: tuple) -> str:
    return pair[0] if res.format == TERRAFORM else pair[1]


@dataclass
class RuleView:
    """What the DR model needs of one plan rule (graphutil.backup_plans reads the plan)."""

    plan: Resource
    name: str
    interval: Any          # seconds between recovery points, or an Unknown
    continuous: Any        # True / False / Unknown
    copy_regions: list = field(default_factory=list)  # (where, True/False/Unknown: it leaves the Region)
    kept: str = ""         # how long recovery points are kept, as the report says it


# -- cron(Minutes Hours Day-of-month Month Day-of-week Year) ----------------------------------------------
def _field(text: str, low: int, high: int) -> set:
    out: set = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = int(a), int(b)
        else:
            start = int(part)
            end = high if step > 1 else start
        out.update(range(start, end + 1, step))
    return out


def _max_gap(points: list, cycle: int) -> int:
    points = sorted(points)
    gaps = [b - a for a, b in zip(points, points[1:])] + [points[0] + cycle - points[-1]]
    return max(gaps)


def schedule_interval(expression: Any) -> Any:
    """Seconds between two runs of an AWS Backup cron expression (the longest gap), or an Unknown."""
    if isinstance(expression, Unknown):
        return expression
    if expression is MISSING or expression is None:
        return Unknown("the rule has no schedule (AWS Backup's default is not in the configuration)")
    m = re.fullmatch(r"\s*cron\((.+)\)\s*", str(expression))
    fields = m.group(1).split() if m else []
    if len(fields) != 6:
        return Unknown(f"the schedule {expression!r} is not a cron expression rlint reads")
    minutes, hours, dom, month, dow, _year = fields
    try:
        times = [h * 60 + mi for h in _field(hours, 0, 23) for mi in _field(minutes, 0, 59)]
        gap = _max_gap(times, DAY_MINUTES) * 60
        if dow not in ("*", "?"):
            days = _field(re.sub(r"[A-Za-z]{3}", lambda d: str(_DOW[d.group(0).upper()]), dow), 1, 7)
            gap = max(gap, _max_gap(list(days), 7) * 86400)
        if dom not in ("*", "?") or month not in ("*", "?"):
            gap = max(gap, 31 * 86400)
    except (ValueError, KeyError):
        return Unknown(f"the schedule {expression!r} is not a cron expression rlint reads")
    return gap


_DOW = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}


# -- plans ------------------------------------------------------------------------------------------------
def _copies(ctx: RuleContext, rule) -> list:
    dests = copy_destinations(ctx, rule)
    if isinstance(dests, Unknown):
        return [("another Region", dests)]
    out = []
    for dest in dests:
        region = dest.region
        where = region.name if isinstance(region, Region) and region.name else "another Region"
        out.append((where, Unknown(f"it copies to {dest.missing}") if dest.missing else crosses_region(rule.plan, dest)))
    return out


def rule_views(ctx: RuleContext, plan: Resource) -> Any:
    """Every rule of the plan as the DR model sees it, or an Unknown when the rules cannot be read."""
    rules = plan_rules(ctx, plan)
    if isinstance(rules, Unknown):
        return rules
    return [RuleView(plan, r.label, schedule_interval(r.body.get(_key(plan, RULE_SCHEDULE), MISSING)),
                     r.continuous, _copies(ctx, r), _kept(lifecycle_of(r).delete_after)) for r in rules]


def _kept(days: Any) -> str:
    """Retention does not change the RPO (the latest point counts) but bounds how late corruption may be
    noticed; the report says it."""
    if days is None:
        return "kept until deleted"
    return f"kept {days} days" if isinstance(days, int) else "kept for a time that is not known"


_PLANS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _plan_rules_once(ctx: RuleContext, plan: Resource) -> Any:
    cache = _PLANS.setdefault(ctx.graph, {})
    if id(plan) not in cache:
        cache[id(plan)] = rule_views(ctx, plan)
    return cache[id(plan)]


def _potential(candidate: tuple) -> tuple:
    """Plans that copy to another Region and run often first: they make later plans redundant."""
    rules = candidate[1]
    if isinstance(rules, Unknown):
        return (0, 0)
    intervals = [r.interval if isinstance(r.interval, (int, float)) else 0 for r in rules] or [0]
    return (0 if any(r.copy_regions for r in rules) else 1, min(intervals))


def _candidates(ctx: RuleContext) -> list:
    """Every selection with its plan's rules (an Unknown when the plan is not in the scan), best first. Kept by
    the graph itself: the selections hold their context, so a cache keyed weakly by the graph would keep every
    graph (a scenario's, a template's alone) and all it read alive to the end of the scan."""
    return ctx.graph.memo("dr.backup_candidates", lambda: _sorted_candidates(ctx))


def _sorted_candidates(ctx: RuleContext) -> list:
    found = []
    for sel in selections(ctx):
        path = SELECTION_PLAN.path(sel.res.format)
        plans = [p for p in ctx.graph.targets(sel.res, path) if p.type in PLAN_TYPES]
        rules = _plan_rules_once(ctx, plans[0]) if plans else \
            Unknown(f"the plan of {sel.res.address} is not in the configuration")
        found.append((sel, rules))
    found.sort(key=_potential)
    return found


def plan_rule_sets(ctx: RuleContext) -> list:
    """The rules of every plan a selection of the scan names (the plans `covering` can yield)."""
    return [rules for _sel, rules in _candidates(ctx) if not isinstance(rules, Unknown)]


def _ranks(ctx: RuleContext) -> dict:
    """id(selection) -> its place in `_candidates`: a resource's few possible selections are visited in that
    order without walking every selection of the scan."""
    return ctx.graph.memo("backup.candidate_ranks",
                          lambda: {id(sel): i for i, (sel, _rules) in enumerate(_candidates(ctx))})


def covering(ctx: RuleContext, res: Resource, useful: Callable[[list], bool],
             hopeless: Callable[[], bool] = lambda: False) -> Iterator[tuple]:
    """(the plan's rules or an Unknown, True or an Unknown) for each AWS Backup selection that selects or may
    select the resource, best plans first. A selection whose plan `useful(rules)` cannot improve on what is
    already known is not evaluated: with many stacks in one scan, every plan would otherwise be matched
    against every store. `hopeless()` says that no plan of the scan can improve on what is known (what
    `useful` knows changes only after a plan is yielded): then only selections whose plan is not known are
    asked."""
    if res.type not in BACKUP_KINDS:
        return
    target = target_of(ctx, res)
    possible = possible_selections(ctx, target)  # every other selection answers False
    candidates = _candidates(ctx)
    rank = _ranks(ctx)
    stop = hopeless()
    for i in sorted(rank[s] for s in possible if s in rank):
        sel, rules = candidates[i]
        if not isinstance(rules, Unknown) and (stop or not useful(rules)):
            continue
        answer = sel.selects(target)
        if answer is not False:
            yield rules, answer
            stop = hopeless()
    outside = outside_plan(ctx, target)  # tagged for a plan the scan does not hold: its rules are not known
    if outside is not None:
        yield outside, outside


__all__ = ["RuleView", "schedule_interval", "rule_views", "covering"]

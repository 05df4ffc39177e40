"""Verdicts across the deployment scenarios of a template (design.md §13, evaluate/scenarios.py).

The rules first run once on the graph as evaluated from the defaults. For each scenario group of a template,
the rules run again on the group's members in every distinct shape, and the member's findings become:

- a failure when the rule fails in every shape in which the resource exists (a resource is judged only where
  it exists; a rule that reads another resource reads it in the same shape);
- unknown, naming the parameters and values, when it fails in some shapes and not in others;
- unknown when it is unknown somewhere and fails nowhere.

A group with more assignments than the cap keeps its default verdicts, its failures turned into unknowns.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .evaluate.scenarios import CAP, OTHER, properties_rules_read, show_value, types_rules_read
from .graph import ResourceGraph, ScenarioGraph
from .model import Outcome


def judge_scenarios(pairs: list, units: list, graph: ResourceGraph, run: Callable, graph_rules: dict,
                    alternative_rules: set = frozenset()) -> tuple:
    """The pairs (finding, resource, result, covered) with every scenario member's findings judged across its
    shapes, and the resources that exist only in some shapes (for suppressions). `run(graph, resources, ids)`
    yields the pairs of the selected rules (those of `ids` when it is not None) on them, in rule order;
    `graph_rules` holds the ids of the rules that read other resources, in the order the rules run.

    Shapes are judged over the template's own resources: a scan of many templates would otherwise redo every
    whole-scan reading (backup selections, Route 53 groups, the DR model) once per shape. Only rules that read
    other resources (`graph_rule`) can see another template; a member whose default verdicts from those rules
    change when the other templates are left out (a backup stack elsewhere selects it by tag, a record pairs with
    another template's) depends on them and keeps its default verdicts."""
    replaced: set = set()  # id() of base resources whose findings are re-judged
    judged: list = []
    extra: list = []
    by_resource: dict = {}
    for p in pairs:
        by_resource.setdefault(id(p[1]), []).append(p)
    for ui, unit in enumerate(units):
        groups = [g for g in getattr(unit, "scenario_groups", None) or () if g.members]
        if not groups:
            continue
        base_by_id = {r.address: r for r in unit.resources}
        alone = ResourceGraph(unit.resources)
        # what the rules that read other resources say of the members at the defaults, the template alone
        judged_members = list(dict.fromkeys(base_by_id[m] for g in groups if not g.capped for m in g.members
                                            if m in base_by_id))
        alone_list = list(run(alone, judged_members, graph_rules))
        alone_pairs: dict = {}
        alone_by_rule: dict = {}
        for p in alone_list:
            alone_pairs.setdefault(id(p[1]), []).append(p)
            alone_by_rule.setdefault(p[0].rule_id, []).append(p)
        # the default scenario takes its members' findings from this pass: each is about the member it checked (a
        # rule's results name the resource it checks) and names its rule (a rule that broke is run again)
        reusable = {id(p[1]) for p in alone_list} <= {id(r) for r in judged_members} and "RL002" not in alone_by_rule
        for group in groups:
            members = [base_by_id[m] for m in group.members if m in base_by_id]
            if group.capped:
                judged.extend(_capped(pairs, members, group))
                replaced.update(id(r) for r in members)
                continue
            # members absent at the defaults have no default verdicts to keep
            own = {m for m in group.members if m not in base_by_id} | \
                {r.address for r in members if _verdicts(by_resource.get(id(r), ()), graph_rules)
                 == _verdicts(alone_pairs.get(id(r), ()), graph_rules)}
            if not own:
                continue
            merged = _merge_shapes(group)
            shapes = _shape_graphs(alone, ui, group, merged, _unit_meta(unit))
            defaults = group.shapes[group.base_shape].assignments[0] if group.base_shape is not None else None
            runs = []
            for g, shape in zip(shapes, merged):
                here = [r for r in _members_in(shape, group, base_by_id) if r.address in own]
                if defaults is not None and defaults in shape.assignments:
                    # the defaults: the scan's own verdicts, but those of the rules that read other resources as
                    # the template alone gives them, and those of the rules that read the template's other
                    # deployments again, here where they can see them (RL204 pairs across them)
                    found = [p for r in here for p in by_resource.get(id(base_by_id[r.address]), ())
                             if p[0].rule_id not in graph_rules]
                    if reusable and all(r is base_by_id[r.address] for r in here):
                        # the shape's members are the default resources, and its graph is the template alone
                        # but for the other deployments: the template-alone pass already judged them
                        mine = {id(r) for r in here}
                        for rid in graph_rules:  # in the order one run of the rules gives them
                            if rid in alternative_rules:
                                found += run(g, here, (rid,))
                            elif rid in alone_by_rule:
                                found += [p for p in alone_by_rule[rid] if id(p[1]) in mine]
                    else:
                        found += list(run(g, here, graph_rules))
                else:
                    found = list(run(g, here, None))
                runs.append((shape, here, found))
            for g in shapes:  # the shapes refer to each other: let them go as soon as the group is judged
                g.alternatives = ()
                g.forget()
            judged.extend(_aggregate(group, runs))
            replaced.update(id(r) for r in members if r.address in own)
            seen = set(base_by_id)
            for shape in group.shapes:
                for lid, res in shape.resources.items():
                    if lid not in seen and lid in own:
                        seen.add(lid)
                        extra.append(res)
        alone.forget()
        for group in groups:  # judged: the shapes' resources are not read again (`extra` holds those it needs)
            group.shapes = []
    kept = [p for p in pairs if id(p[1]) not in replaced]
    return kept + judged, extra


def _verdicts(pairs, rule_ids: set) -> set:
    return {(p[0].rule_id, p[0].span, p[0].outcome) for p in pairs if p[0].rule_id in rule_ids}


def _projection(res) -> str:
    """What the rules can see of a resource: its attributes and edges, restricted to the names they read
    (nothing of a type no rule names)."""
    if res is None:
        return "absent"
    if res.type not in types_rules_read():
        return "unread"
    read = properties_rules_read()
    props = res.attrs.get("Properties")
    shown = {k: v for k, v in res.attrs.items() if k != "Properties" and k in read}
    if isinstance(props, dict):
        shown["Properties"] = {k: v for k, v in props.items() if k in read}
    elif props is not None:
        shown["Properties"] = props
    refs = [r for r in res.refs if not (len(r[0]) > 1 and r[0][0] == "Properties" and r[0][1] not in read)]
    return repr((sorted(shown.items(), key=str), refs, res.meta.get("condition_value")))


def _merge_shapes(group) -> list:
    """The group's shapes with those the rules cannot tell apart merged (their assignments joined)."""
    from .evaluate.scenarios import Shape

    merged: dict = {}
    seen: dict = {}  # id(resource) -> its projection: shapes share most of their resources

    def shown(res):
        if id(res) not in seen:
            seen[id(res)] = _projection(res)
        return seen[id(res)]

    for shape in group.shapes:
        key = tuple(shown(shape.resources.get(lid)) for lid in group.affected)
        if key in merged:
            merged[key].assignments.extend(shape.assignments)
        else:
            merged[key] = Shape(list(shape.assignments), shape.resources)
    return list(merged.values())


def _unit_meta(unit) -> dict:
    """What the engine writes on every resource of a unit (its root, deployment, Region and account)."""
    first = unit.resources[0].meta if unit.resources else {}
    meta = {k: first[k] for k in ("root", "deployment", "deployment_region", "account") if k in first}
    meta.setdefault("root", unit.name)
    return meta


def _shape_graphs(graph: ResourceGraph, ui: int, group, shapes: list, meta: dict) -> list:
    graphs = []
    for shape in shapes:
        swapped = {lid: shape.resources.get(lid) for lid in group.affected}
        for res in shape.resources.values():
            res.meta["unit"] = ui
            res.meta.update(meta)
        graphs.append(ScenarioGraph(graph, ui, swapped, shape.assignments))
    for g in graphs:
        g.alternatives = tuple(graphs)
    return graphs


def _members_in(shape, group, base_by_id: dict) -> list:
    """The group's members as they exist in one shape (re-evaluated, or the default version)."""
    affected = set(group.affected)
    out = []
    for lid in group.members:
        res = shape.resources.get(lid) if lid in affected else base_by_id.get(lid)
        if res is not None:
            out.append(res)
    return out


def _identity(pair) -> tuple:
    f = pair[0]
    return (f.rule_id, f.resource, f.span)


def _aggregate(group, runs: list) -> list:
    exists: dict = {}  # address -> [shape index]
    found: dict = {}  # identity -> {shape index: pair}
    for i, (_shape, here, pairs) in enumerate(runs):
        for res in here:
            exists.setdefault(res.address, []).append(i)
        for p in pairs:
            found.setdefault(_identity(p), {}).setdefault(i, p)
    out = []
    for key, per_shape in found.items():
        first = next(iter(per_shape.values()))
        if first[0].rule_id.startswith("RL0"):
            out.append(first)
            continue
        where = exists.get(key[1]) or sorted(per_shape)
        fails = [i for i in where if i in per_shape and per_shape[i][0].outcome is Outcome.FAIL]
        if len(fails) == len(where):
            p = per_shape[fails[0]]
            every = [a for i in fails for a in runs[i][0].assignments]
            varied = [(name, _values([a[name] for a in every])) for name in group.params
                      if len({a[name] for a in every}) > 1]
            if len(fails) > 1 and varied:
                allowed = " and ".join(f"{name} is {values}" for name, values in varied)
                p = (replace(p[0], message=f"{p[0].message} -- in every deployment the template allows ({allowed})"),
                     p[1], p[2], p[3])
            out.append(p)
        elif fails:
            holds = [a for i in fails for a in runs[i][0].assignments]
            not_holds = [a for i in where if i not in fails for a in runs[i][0].assignments]
            p = per_shape[fails[0]]
            message = f"{p[0].message} -- {_where(group, holds, not_holds)}"
            out.append((replace(p[0], outcome=Outcome.UNKNOWN, message=message), p[1], p[2], p[3]))
        else:
            out.append(per_shape[sorted(per_shape)[0]])
    return out


def _values(values: list) -> str:
    shown = [show_value(v) for v in dict.fromkeys(values)]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _where(group, holds: list, not_holds: list) -> str:
    """Which deployments the failure holds in, by the parameters whose values separate them."""
    parts = []
    for p in group.params:
        yes = [a[p] for a in holds]
        no = [a[p] for a in not_holds]
        if not set(yes) & set(no):
            parts.append(f"{p} is {_values(yes)} (not {_values(no)})")
    if parts:
        return f"holds only in the deployments where {' and '.join(parts)}"
    names = ", ".join(group.params)
    return (f"holds in {len(holds)} of the {len(holds) + len(not_holds)} combinations of {names} that the "
            f"template allows")


def _capped(pairs: list, members: list, group) -> list:
    ids = {id(r) for r in members}
    out = []
    for p in pairs:
        if id(p[1]) not in ids:
            continue
        f = p[0]
        if f.outcome is Outcome.FAIL and not f.rule_id.startswith("RL0"):
            message = (f"{f.message} -- with the defaults; too many condition combinations to check every "
                       f"deployment ({group.total} assignments of {', '.join(group.params)}, more than {CAP})")
            f = replace(f, outcome=Outcome.UNKNOWN, message=message)
        out.append((f,) + tuple(p[1:]))
    return out


__all__ = ["judge_scenarios", "OTHER"]

"""The engine: load units, build the graph, run the selected rules, locate, suppress, sort.

Rules only judge; everything cross-cutting happens here: rule selection, crash isolation (RL002),
resolving a result's attribute to a span, suppressions (RL003/RL004), collapsing the findings of
every instance of a count/for_each block into one finding on the block, and folding a posture rule's failures
of one deployment into one finding (fold.py).
"""
from __future__ import annotations

import codecs

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Optional

from .collection import fewer_collections
from .discover import discover
from .fold import fold_per_deployment
from .graph import ResourceGraph
from .inputs import CfnInputs, TerraformInputs
from .model import Finding, Outcome, Resource, Severity, Span, Suppression
from .units import UnitResult, import_loaders, load_unit

FAIL_ON = ("high", "medium", "low", "info", "never")
# Below this much source, starting worker processes and shipping their results back (pickled resources)
# costs more than loading the units in this process. Measured with benchmarks/run.py on 2 idle CPUs: 1.5 MB
# (0.8 s serial) ran 20% slower with 2 workers, 15 MB (7.4 s) 27% faster; the lines cross near 2.6 MB.
PARALLEL_MIN_BYTES = 3 * 1024 * 1024
PARALLEL_MIN_UNITS = 16


@dataclass
class ScanOptions:
    select: tuple = ()
    ignore: tuple = ()
    fail_on: str = "low"
    strict: bool = False
    require_reason: bool = False
    severity: dict = field(default_factory=dict)  # rule id -> severity name
    rule_options: dict = field(default_factory=dict)  # rule id -> {option: value}
    exclude: tuple = ()  # glob patterns on display paths
    terraform: TerraformInputs = field(default_factory=TerraformInputs)
    cloudformation: CfnInputs = field(default_factory=CfnInputs)
    jobs: int = 1
    parallel_min_bytes: Optional[int] = None  # less source loads serially whatever `jobs` says (PARALLEL_MIN_BYTES)
    cwd: Optional[Path] = None
    progress: Optional[Callable[[int, int], None]] = None  # called with (units done, units) as units load
    dr: dict = field(default_factory=dict)  # the configuration's `dr` section (objectives, tiers)
    stateful: dict = field(default_factory=dict)  # the configuration's `stateful` section (rules/data_value.py)
    recreatable: list = field(default_factory=list)  # [declare.ConfigEntry]: `stateful.recreatable`, anchored
    dr_report: bool = False  # build the DR table (rules/dr/report.py) into ScanResult.dr
    deployments: list = field(default_factory=list)  # [deployments.Deployment]: each path with its own inputs


@dataclass
class ScanResult:
    findings: list
    files: int
    resources: int
    seconds: float
    graph: Optional[ResourceGraph] = None
    rules: list = field(default_factory=list)
    units: list = field(default_factory=list)
    fix_plans: list = field(default_factory=list)  # [(Finding, Resource, Fix)] for unsuppressed failures
    baseline_stale: Optional[list] = None  # set when a baseline was applied: its entries that matched nothing
    dr: Optional[dict] = None  # the DR table when asked for (--dr-report)
    # what was not read (design §3): {"modules_not_read": [...], "files_skipped": [...]}
    coverage: dict = field(default_factory=lambda: {"modules_not_read": [], "files_skipped": []})
    empty_paths: list = field(default_factory=list)  # scanned paths that held nothing rlint reads
    notes: list = field(default_factory=list)  # what discovery read differently (a plan instead of its directory)
    input_errors: list = field(default_factory=list)  # --var/--parameter values that cannot be right (exit 2)
    declared: int = 0  # stores whose data the team declared recreatable (linter/declare.py)

    def failing(self, fail_on: str, strict: bool = False) -> list:
        if fail_on == "never":
            return []
        threshold = Severity(fail_on).rank
        return [f for f in self.findings if f.suppressed is None
                and (f.outcome is Outcome.FAIL or (strict and f.outcome is Outcome.UNKNOWN))
                and f.severity.rank >= threshold]

    def not_read(self) -> int:
        """Module calls and files the scan could not read: blind spots that --strict counts as failing."""
        return len(self.coverage["modules_not_read"]) + len(self.coverage["files_skipped"])

    def fails(self, fail_on: str, strict: bool = False) -> bool:
        """The exit status: failing findings, or with --strict also unknowns and what was not read."""
        if fail_on == "never":
            return False
        return bool(self.failing(fail_on, strict)) or (strict and self.not_read() > 0)


def matches(rule, keys) -> bool:
    """A rule is named by its id, its name, or an id prefix such as RL3 or RL30."""
    for key in keys:
        k = key.strip()
        if not k:
            continue
        if k == rule.name or rule.id == k.upper() or (k.upper().startswith("RL") and rule.id.startswith(k.upper())):
            return True
    return False


def select_rules(rules: list, select: tuple, ignore: tuple) -> list:
    chosen = [r for r in rules if not select or matches(r, select)]
    return [r for r in chosen if not matches(r, ignore)]


def _exclude_fn(patterns: tuple):
    if not patterns:
        return None
    from fnmatch import fnmatch

    def excluded(path: str) -> bool:
        return any(fnmatch(path, p) or fnmatch(path, p.rstrip("/") + "/*") or path.startswith(p.rstrip("/") + "/")
                   for p in patterns)

    return excluded


def scan(paths: list, options: Optional[ScanOptions] = None) -> ScanResult:
    with fewer_collections():
        return _scan(paths, options)


@dataclass
class Loaded:
    """What was read, before any rule runs: the discovered files, the loaded units and their graph."""

    found: object  # discover.Discovery
    units: list
    resources: list
    graph: ResourceGraph
    declarations: list = field(default_factory=list)  # [declare.Declaration]: what the team declared recreatable


def load(paths: list, options: Optional[ScanOptions] = None) -> Loaded:
    """Discover, parse and evaluate PATHS into one graph (what `scan` checks and `rlint graph` shows)."""
    options = options or ScanOptions()
    found = discover([Path(p) for p in paths] or [Path(".")], cwd=options.cwd, exclude=_exclude_fn(options.exclude))
    deployed = _deployment_units(options, found)
    claimed = {_unit_key(u) for _dep, u in deployed}
    units = _load_units([u for u in found.units if _unit_key(u) not in claimed], options)
    units = _drop_nested_copies(units + [_load_deployment(dep, u, options) for dep, u in deployed])
    for unit in units:
        if unit.workspace is not None and unit.resources:
            where = unit.name + (f" (deployment {unit.deployment})" if unit.deployment else "")
            unit.notes.append(f"{where}: evaluated in Terraform workspace {unit.workspace.name!r} "
                              f"({unit.workspace.source})")
    resources: list = []
    for i, unit in enumerate(units):
        for res in unit.resources:
            res.meta["unit"] = i
            res.meta["root"] = unit.name  # part of every finding's identity (design §3)
            resources.append(res)
    from .declare import bind

    declarations = bind(units, resources, options.recreatable)  # before any rule reads the data's class
    return Loaded(found, units, resources, ResourceGraph(resources), declarations)


def _scan(paths: list, options: Optional[ScanOptions]) -> ScanResult:
    from rlint.rules import all_rules, catalogue

    options = options or ScanOptions()
    started = time.perf_counter()
    rules = select_rules(all_rules(), options.select, options.ignore)  # first: its modules live until the end
    loaded = load(paths, options)
    found, units, resources, graph = loaded.found, loaded.units, loaded.resources, loaded.graph
    sources = SourceCache(options.cwd, {u.file.display: u.file.text for u in found.units
                                        if u.kind == "cloudformation" and u.file.text is not None})
    _note_non_production_roots(units, options)
    pairs = list(_run_rules(rules, graph, options, sources, fixes=False))
    scenario_only: list = []
    if any(getattr(unit, "scenario_groups", None) for unit in units):
        # only templates whose conditions a parameter decides have scenarios: a Terraform tree never loads them
        from .scenarios import judge_scenarios

        by_id = {r.id: r for r in rules}
        pairs, scenario_only = judge_scenarios(
            pairs, units, graph,
            lambda g, only, ids: _run_rules(rules if ids is None else [by_id[i] for i in ids], g, options, sources,
                                            only=only, fixes=False),
            dict.fromkeys(r.id for r in rules if r.graph_rule), {r.id for r in rules if r.reads_alternatives})
    if any(unit.kind == "terraform" for unit in units):
        # a failure a root's named var file (prod.tfvars) lifts holds only in some runs: unknown
        from .var_files import judge_var_files

        by_id = {r.id: r for r in rules}
        pairs = judge_var_files(pairs, options, sources, _attr_path,
                                lambda rid, res: _run_rules([by_id[rid]], graph, options, sources, only=[res],
                                                            fixes=False))
    # snippets only for the findings the shapes' verdicts keep (most of a scenario run's are set aside)
    pairs = _with_fixes(pairs, sources)
    pairs = _collapse_instances(pairs, graph)
    findings = _suppress(pairs, units, resources + scenario_only, options, {r.id for r in rules}, catalogue())
    findings.extend(_declaration_findings(loaded.declarations, rules, options, catalogue()))
    findings = [f for f in findings if _engine_rule_wanted(f, options)]
    findings, folded = fold_per_deployment(findings, rules)
    kept = {id(f) for f in findings} | set(folded)
    fix_plans = [(folded.get(id(item[0]), item[0]), item[1], item[2].fix) for item in pairs
                 if item[2] is not None and item[2].fix is not None and id(item[0]) in kept
                 and item[0].outcome is Outcome.FAIL]
    findings, fix_plans = _settle_fixes(findings, fix_plans, graph, sources)
    findings.extend(_parse_error(p, root) for p, root in _dedupe(_rooted_problems(found.problems, units)))
    findings.sort(key=Finding.sort_key)
    dr = _dr_report(graph, options) if options.dr_report else None
    return ScanResult(findings=findings, files=found.files_seen, resources=len(resources),
                      seconds=time.perf_counter() - started, graph=graph, rules=rules, units=units,
                      fix_plans=fix_plans, dr=dr, coverage=_coverage(units), empty_paths=found.empty_paths,
                      notes=[f"{d}: its .tf files are not read; the plan {plan} beside them replaces them"
                             for d, plan in found.replaced_by_plan],
                      input_errors=sorted({e for unit in units for e in unit.input_errors}),
                      declared=_declared_stores(loaded))


def _note_non_production_roots(units: list, options: ScanOptions) -> None:
    """A root module left unjudged whole because it names a non-production environment is never silent: its
    note says why and how to judge it."""
    from rlint.rules.data_value import included_in, non_production_root

    if "test-only" in included_in(_settings(options)):
        return
    for unit in units:
        why = non_production_root(unit.resources[0]) if unit.kind == "terraform" and unit.resources else None
        if why:
            unit.not_judged = why
            n = len(unit.resources)
            unit.notes.append(f"{unit.name}: not judged ({n} resource{'s' if n != 1 else ''}): the root module names "
                              f"a non-production environment ({why}); `stateful: {{include: [test-only]}}` in "
                              f".rlint.yaml judges it")


def _settle_fixes(findings: list, fix_plans: list, graph, sources) -> tuple:
    """A Terraform fix (or one in a nested stack's shared template) that cannot be written validly is shown
    display-only, with `rlint fix`'s reason."""
    if not any(res.format == "terraform" or res.meta.get("nested_stack") for _f, res, _x in fix_plans):
        return findings, fix_plans
    from rlint.fixes.snippet import settle_terraform

    return settle_terraform(findings, fix_plans, graph, sources)


def _unit_key(unit) -> tuple:
    where = unit.directory if unit.kind == "terraform" else unit.file.path
    return unit.kind, Path(where).resolve()


def _deployment_units(options: ScanOptions, found) -> list:
    """(deployment, unit) for every configured deployment: its path's root module or template, found whether
    or not it lies under the scanned paths (the deployments are the application the rules judge)."""
    from .inputs import DeploymentError

    out, by_path = [], {}
    for dep in options.deployments:
        root = dep.root().resolve()
        if root not in by_path:
            seen = discover([root], cwd=options.cwd)
            found.problems.extend(p for p in seen.problems if p not in found.problems)
            by_path[root] = next((u for u in seen.units if _unit_key(u)[1] == root), None)
        if by_path[root] is None:
            raise DeploymentError(f"{dep.where}.path: {dep.path} holds no Terraform root module or template")
        out.append((dep, by_path[root]))
    return out


def _load_deployment(dep, unit, options: ScanOptions) -> UnitResult:
    """The unit evaluated with the deployment's own inputs; its resources know their deployment and Region."""
    loaded = load_unit(unit, dep.tf_inputs(options.terraform), dep.cfn_inputs(options.cloudformation))
    loaded.deployment = dep.name
    for res in loaded.resources:
        res.meta["deployment"] = dep.name
        res.meta["deployment_region"] = dep.region
        if dep.account:
            res.meta["account"] = dep.account
    return loaded


def _coverage(units: list) -> dict:
    """Module calls not read, one per call site and root (a call inside a counted module is one call), and
    files skipped whole."""
    modules, seen = [], set()
    for unit in units:
        for entry in unit.unread_modules:
            key = (unit.name, entry["file"], entry["line"])
            if key not in seen:
                seen.add(key)
                modules.append({"root": unit.name, **entry})
    files = []
    for entry in (entry for unit in units for entry in unit.skipped_files):
        if entry not in files:  # a module directory two roots call is one skipped file
            files.append(entry)
    modules.sort(key=lambda e: (e["file"], e["line"], e["root"]))
    files.sort(key=lambda e: e["file"])
    return {"modules_not_read": modules, "files_skipped": files}


def _settings(options: ScanOptions) -> dict:
    """Configuration sections that a family of rules reads as a whole (RuleContext.setting)."""
    return {"dr": options.dr, "stateful": options.stateful}


def _dr_report(graph: ResourceGraph, options: ScanOptions) -> dict:
    from rlint.rules.base import RuleContext
    from rlint.rules.dr.report import dr_report

    return dr_report(RuleContext(graph, {}, _settings(options)))


def _drop_nested_copies(units: list) -> list:
    """A template read as another template's nested stack is analysed there, with the parent's parameters, and a
    Terraform module called by another scanned module is analysed in its callers, with their inputs; the
    standalone copy would repeat every finding under other values. A module that scanned modules call, each
    call deciding it has no instance (`count = 0`, an empty `for_each`), creates nothing in them: its
    standalone copy would report resources no caller creates."""
    idle = {(u.kind, f): "a module that other scanned modules call with no instance (count = 0 or an empty "
            "for_each): it creates nothing there" for u in units for f in u.idle_files}
    nested = {(u.kind, f): "a nested stack of another template" if u.kind == "cloudformation" else
              "a module called by another scanned module" for u in units for f in u.nested_files}
    copies = {**idle, **nested}  # a module some caller does instantiate is analysed there
    # a template a Terraform stack deploys, claimed by the roots that are analysed (not a module's own copy)
    deployed = {("cloudformation", f): f"a template that aws_cloudformation_stack deploys in the Terraform root {u.name}"
                for u in units if (u.kind, u.name) not in copies for f in u.stack_templates}
    why = {**copies, **deployed}
    for u in units:
        what = why.get((u.kind, u.name))
        if (u.kind, u.name) in deployed and any("deployment" in r.meta for r in u.resources):
            continue  # a configured deployment of the template: evaluated with its own parameters too
        if what is not None and (u.resources or u.unread_modules):
            u.resources = []
            u.scenario_groups = []  # its deployments are the ones its parents make
            u.unread_modules = []  # its callers report the module calls it makes
            u.notes.append(f"{u.name}: analysed as {what}")
    return units


def _source_bytes(units: list) -> int:
    total = 0
    for u in units:
        for f in u.files if u.kind == "terraform" else [u.file]:
            if f.text is not None or f.data is not None:
                total += len(f.text if f.text is not None else f.data)
            else:
                try:
                    total += f.path.stat().st_size
                except OSError:
                    pass
    return total


def _parallel(units: list, options: ScanOptions) -> bool:
    """Worker processes pay off for many units with enough source between them (see PARALLEL_MIN_BYTES)."""
    if options.jobs <= 1 or len(units) < max(PARALLEL_MIN_UNITS, 2 * options.jobs):
        return False
    least = PARALLEL_MIN_BYTES if options.parallel_min_bytes is None else options.parallel_min_bytes
    return least <= 0 or _source_bytes(units) >= least


def _load_units(units: list, options: ScanOptions) -> list:
    import_loaders({u.kind for u in units})
    if _parallel(units, options):
        from .parallel import load_units_parallel

        return load_units_parallel(units, options)
    loaded = []
    for u in units:
        loaded.append(load_unit(u, options.terraform, options.cloudformation))
        if options.progress is not None:
            options.progress(len(loaded), len(units))
    return loaded


def _rooted_problems(discovery_problems: list, units: list) -> list:
    """(problem, root): a unit's problems belong to its root; a file discovery could not read is its own."""
    out = [(p, p.span.file) for p in discovery_problems]
    for unit in units:
        out.extend((p, unit.name) for p in unit.problems)
    return out


def _dedupe(problems: list) -> list:
    """A module file read from several roots is one broken file: reported once, in the first root."""
    seen, out = set(), []
    for p, root in problems:
        key = (p.span.file, p.span.line, p.message)
        if key not in seen:
            seen.add(key)
            out.append((p, root))
    return out


def _parse_error(problem, root: str = "") -> Finding:
    return Finding("RL001", "parse-error", Severity.HIGH, Outcome.FAIL, "", "", problem.span, problem.message,
                   root=root)


# RL001 (a file not read) and RL002 (a rule that crashed) mean the scan is incomplete: always on
ALWAYS_ON = ("RL001", "RL002")


def _engine_rule_wanted(finding: Finding, options: ScanOptions) -> bool:
    """RL003 and RL004 are selected, ignored and re-graded like any rule; RL001 and RL002 always report."""
    if finding.rule_id not in ("RL003", "RL004"):
        return True
    from rlint.rules import find_rule

    rule = find_rule(finding.rule_id)
    return (not options.select or matches(rule, options.select)) and not matches(rule, options.ignore)


# -- running rules ------------------------------------------------------------------------------------
class SourceCache:
    """File texts by display path, read once, for fix snippets and edits. `known`: texts discovery read already
    (the same decoding), shared instead of read again."""

    def __init__(self, cwd: Optional[Path], known: Optional[dict] = None):
        self.cwd = (cwd or Path.cwd()).resolve()
        self.texts: dict = dict(known or {})
        self._known = set(self.texts)
        # display path -> the bytes as read (a fix writes back their layout), where they are not the text's UTF-8
        # (a byte order mark, CRLF line endings): most files are, and keeping them twice costs the scan's memory
        self.originals: dict = {}
        # root module dir -> its .tfvars files (display path, text): listed once (fixes.terraform_place.var_files)
        self.tfvars_listing: dict = {}

    def _path(self, display: str) -> Path:
        return Path(display) if Path(display).is_absolute() else self.cwd / display

    def text(self, display: str) -> Optional[str]:
        """The file's text without a byte order mark and with LF line endings (what positions count in)."""
        if display not in self.texts:
            try:
                data = self._path(display).read_bytes()
                self.texts[display] = data.decode("utf-8-sig").replace("\r\n", "\n")
                self._keep_original(display, data)
            except (OSError, UnicodeDecodeError):
                self.texts[display] = None
        return self.texts[display]

    def _keep_original(self, display: str, data: bytes) -> None:
        if data.startswith(codecs.BOM_UTF8) or b"\r\n" in data:
            self.originals[display] = data

    def original(self, display: str) -> Optional[bytes]:
        text = self.text(display)
        if display in self._known:  # read by discovery: its bytes were not kept
            self._known.discard(display)
            try:
                self._keep_original(display, self._path(display).read_bytes())
            except OSError:
                pass
        if display in self.originals:
            return self.originals[display]
        return None if text is None else text.encode("utf-8")


def _run_rules(rules: list, graph: ResourceGraph, options: ScanOptions, sources: "SourceCache", only=None,
               fixes: bool = True):
    """Run the rules over the graph's resources (or only over `only`, resources of the graph). Without `fixes`
    the findings carry no snippet yet (`_with_fixes` renders them)."""
    from rlint.rules.base import RuleContext
    from rlint.rules.data_value import included_in, test_only

    present = None if only is None else {r.type for r in only}
    settings = _settings(options)
    # a resource that exists only in a test deployment is judged by no rule unless the configuration asks
    # (`stateful: {include: [test-only]}`): its availability and its data are the test's, not production's
    skipped = None if "test-only" in included_in(settings) else {}
    for rule in rules:
        if present is not None and present.isdisjoint(rule.resource_types):
            continue
        targets = graph.by_type(*rule.resource_types) if only is None else \
            [r for r in only if r.type in rule.resource_types]
        if not targets:
            continue
        rule_options = dict(rule.options)
        rule_options.update(options.rule_options.get(rule.id, {}))
        ctx = RuleContext(graph, rule_options, settings)
        severity = Severity(options.severity.get(rule.id, rule.severity.value))
        for res in targets:
            if skipped is not None:
                test = skipped.get(id(res))
                if test is None:
                    test = skipped[id(res)] = test_only(res) is not None
                if test:
                    continue
            try:
                results = list(rule().check(res, ctx))
            except Exception as exc:  # one broken rule must not hide the others
                yield (Finding("RL002", "rule-error", Severity.HIGH, Outcome.FAIL, res.address, res.type, res.span,
                               f"{rule.id} failed on {res.address}: {exc.__class__.__name__}: {exc}",
                               format=res.format, root=res.meta.get("root", "")), res, None, [res])
                continue
            for result in results:
                target = result.resource
                span = locate(target, result)
                fix = _render(result, target, sources) if fixes else None
                # a result may carry its own severity (an Aurora global secondary); configuration still wins
                sev = severity if rule.id in options.severity or result.severity is None else result.severity
                extra = (("cdk_path", target.meta["cdk_path"]),) if target.meta.get("cdk_path") else ()
                hops = provenance(target, result)
                if hops:
                    extra += (("provenance", hops),)
                finding = Finding(rule.id, rule.name, sev, result.outcome, target.address, target.type, span,
                                  result.message, fix, None, target.format,
                                  extra=extra, root=target.meta.get("root", ""),
                                  deployment=target.meta.get("deployment"), workspace=target.meta.get("workspace"),
                                  resource_file=target.file if span.file != target.file else "")
                yield (finding, target, result, [target])


def _render(result, target: Resource, sources: "SourceCache"):
    """The finding's fix snippet, or None (a broken snippet must not lose the finding)."""
    if result.fix is None:
        return None
    from rlint.fixes.snippet import render_fix

    try:
        return render_fix(result.fix, target, sources.text(target.file), sources.text)
    except Exception:
        return None


def _with_fixes(pairs: list, sources: "SourceCache") -> list:
    """The pairs of `_run_rules(fixes=False)` with their findings' fix snippets, rendered file by file (a fix
    written at a parameter's default reads its template again: fixes.cfn_place keeps the last few)."""
    out = list(pairs)
    todo = [i for i, item in enumerate(pairs) if item[2] is not None and item[2].fix is not None]
    todo.sort(key=lambda i: pairs[i][1].file)
    for i in todo:
        item = pairs[i]
        fix = _render(item[2], item[1], sources)
        if fix is not None:
            out[i] = (replace(item[0], fix=fix),) + tuple(item[1:])
    return out


def _attr_path(res: Resource, result) -> Optional[tuple]:
    path = result.path
    if path is None and result.attr is not None:
        path = result.attr.path_in(res)
    return tuple(path) if path else None


def provenance(res: Resource, result) -> tuple:
    """Where the deciding attribute's value is written, hop by hop (value provenance, both formats):
    ((kind, what, file, line, column), ...), in Terraform from the attribute that reads it (the finding may sit
    at the origin); empty when the value is written at the attribute."""
    path = _attr_path(res, result)
    hops = (res.meta.get("origins") or {}).get(path) if path else None
    if not hops:
        return ()
    at = res.attr_spans.get(path) if res.format == "terraform" else None  # the setting that reads the value
    head = (("attribute", ".".join(str(p) for p in path), at.file, at.line, at.column),) if at else ()
    return head + tuple((h.kind, h.name, h.span.file if h.span else "", h.span.line if h.span else 0,
                         h.span.column if h.span else 0) for h in hops)


def locate(res: Resource, result) -> Span:
    """The attribute's span when the rule is about an attribute (nearest present ancestor), else the header.
    A Terraform value written elsewhere is reported where it is written, where the user changes it and `rlint fix`
    writes: a variable default, a tfvars entry, a module argument in the caller, a local. When following it
    stops at something computed, a value a module's caller passes in is reported at the outermost module
    argument."""
    path = _attr_path(res, result)
    if path:
        hops = (res.meta.get("origins") or {}).get(path)
        origin = hops[-1] if hops and res.format == "terraform" else None
        if origin is not None and origin.written and origin.span is not None:
            return origin.span
        passed = [h for h in hops or () if h.kind == "module argument" and h.span is not None]
        if passed and res.meta.get("module_chain"):
            return passed[-1].span
        for n in range(len(path), 0, -1):
            if path[:n] == ("Properties",):
                break  # a missing property is reported at the resource's logical id, not at `Properties:`
            span = res.attr_spans.get(path[:n])
            if span is not None:
                return span
    return res.span


def _collapse_instances(pairs: list, graph: ResourceGraph) -> list:
    """When every instance of a count/for_each block fails a rule the same way, report the block once."""
    groups: dict = {}
    for item in pairs:
        finding, res = item[0], item[1]
        key_suffix = res.meta.get("instance_key") if res.format == "terraform" else ""
        if not key_suffix or finding.resource != res.address:
            continue
        groups.setdefault((finding.rule_id, finding.outcome, res.meta.get("unit"), res.block_address), []).append(item)
    drop: set = set()
    extra: list = []
    for (_rid, _outcome, unit, block), items in groups.items():
        instances = [r for r in graph.resolve(items[0][1], block) if r.meta.get("unit") == unit]
        if len(items) != len(instances) or len({id(i[1]) for i in items}) != len(instances) or len(instances) < 2:
            continue
        first_finding, first_res = items[0][0], items[0][1]
        message = first_finding.message.replace(first_res.address, block)
        collapsed = replace(first_finding, resource=block, message=message, suppressed=None)
        drop.update(id(i) for i in items)
        extra.append((collapsed, first_res, items[0][2], [i[1] for i in items]))
    return [p for p in pairs if id(p) not in drop] + extra


# -- suppressions -------------------------------------------------------------------------------------
def _suppress(pairs: list, units: list, resources: list, options: ScanOptions, ran: set, catalogue: dict) -> list:
    from . import suppress as sup

    directives: list = []
    comments, first_block = sup.unit_comments(units)
    runs = sup.comment_runs(comments)
    for c in comments:
        d = sup.parse_comment(c)
        if d is not None:
            directives.append(d)
    sup.attach(directives, resources, first_block, runs)
    for res in resources:
        directives.extend(sup.metadata_directives(res))
    sup.resolve(directives, catalogue, options.require_reason)

    out: list = []
    for item in pairs:
        finding, covered = item[0], item[3]
        if finding.rule_id.startswith("RL0"):
            out.append(finding)
            continue
        d = next((d for d in directives if any(d.covers(finding.rule_id, r, finding.identity_file) for r in covered)),
                 None)
        if d is not None:
            d.used = True
            kind = "metadata" if d.kind == "metadata" else "inline"
            finding = _with_suppression(finding, Suppression(kind, d.reason))
        out.append(finding)
    roots = _file_roots(units)
    for d in directives:
        resource = d.resource.address if d.resource is not None else d.module_call[0] if d.module_call else ""
        rtype = d.resource.type if d.resource is not None else "module" if d.module_call else ""
        root = d.resource.meta.get("root", "") if d.resource is not None else roots.get(d.span.file, d.span.file)
        if d.problem and d.kind not in sup.FOREIGN:
            out.append(_suppression_finding("RL003", options, catalogue, resource, rtype, d.span, d.problem, root))
        elif not d.used and d.kind not in sup.FOREIGN and d.rule_ids and d.rule_ids <= ran:
            what = ", ".join(d.rule_keys)
            where = f" on {resource}" if resource else (" in this file" if d.file_level else "")
            out.append(_suppression_finding("RL004", options, catalogue, resource, rtype, d.span,
                                            f"suppression of {what}{where} matched no finding", root))
    return out


def _declared_stores(loaded: Loaded) -> int:
    """How many resources whose data a rule judges the team declared recreatable (the summary shows it)."""
    if not loaded.declarations:
        return 0
    from .declare import judged_types

    judged = judged_types()
    return sum(1 for res in loaded.resources if "declared" in res.meta and res.type in judged)


def _declaration_findings(declarations: list, rules: list, options: ScanOptions, catalogue: dict) -> list:
    """RL003 for a declaration without a reason; RL004 for one that declares nothing a data rule reads, when a
    rule that judges data ran (or the DR table was asked for), as an unused suppression is reported only when
    its rules ran."""
    if not declarations:
        return []
    from rlint.rules.data_value import judges_data

    from .declare import judged_types

    read = judged_types()
    ran = options.dr_report or any(judges_data(r) for r in rules)
    out = []
    for d in declarations:
        if d.problem:
            out.append(_suppression_finding("RL003", options, catalogue, d.on, d.on_type, d.span, d.problem, d.root))
        elif ran and d.judged and not any(r.type in read for r in d.targets):
            out.append(_suppression_finding("RL004", options, catalogue, d.on if d.kind != "config" else "",
                                            d.on_type, d.span, _declares_nothing(d), d.root))
    return out


def _declares_nothing(d) -> str:
    if d.kind == "config":
        return f"stateful.recreatable entry {d.on!r} matches no resource that a rule judging data reads"
    if not d.on:
        return "rlint:recreatable is on no resource: write it directly above a resource header or inside its block"
    return f"declaration that the data of {d.on} is recreatable changes nothing: no rule judges the data of {d.on_type} resources"


def _suppression_finding(rule_id: str, options: ScanOptions, catalogue: dict, resource: str, rtype: str, span,
                         message: str, root: str) -> Finding:
    """An RL003 or RL004 finding (a suppression or a declaration that is invalid or changes nothing)."""
    return Finding(rule_id, catalogue[rule_id].name, _severity(rule_id, options, catalogue), Outcome.FAIL, resource,
                   rtype, span, message, root=root)


def _severity(rule_id: str, options: ScanOptions, catalogue: dict) -> Severity:
    return Severity(options.severity.get(rule_id, catalogue[rule_id].severity.value))


def _file_roots(units: list) -> dict:
    """display file -> the first root that read it (for findings about a file rather than a resource)."""
    out: dict = {}
    for unit in units:
        for f in unit.files:
            out.setdefault(f, unit.name)
    return out


def _with_suppression(finding: Finding, suppression: Suppression) -> Finding:
    return replace(finding, suppressed=suppression)


__all__ = ["ScanOptions", "ScanResult", "scan", "select_rules", "UnitResult", "FAIL_ON"]

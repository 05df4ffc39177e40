"""Where a Terraform fix can be written, and how what it adds must read there.

A rule writes its fix as if the resource stood alone in a root module: `${aws_sqs_queue.jobs.id}`. Terraform
asks more of the text, and a rescan cannot see most of it, so it is settled here, before anything is written:

- Instance keys. A resource with `count` or `for_each` is referenced per instance. What the fix adds for the
  resource (a dead-letter queue, a health check) gets the same instances (`count = length(X)`, `for_each = X`)
  and references `X[count.index]` / `X[each.key]`; what the whole module shares (the backup selection) lists
  every instance (`X[*].arn`, `values(X)[*].arn`).
- Module boundaries. A resource inside a called module cannot be referenced from its caller except through
  an output. What the fix adds goes to the root module that calls it, reaching the resource through an output
  added to each module on the way (`module.db.aws_db_instance_this_arn`). Added resources are named after the
  call, so two calls of one module do not add the same name.
- Providers. What is added for a resource uses that resource's provider, as the root module names it (an alias
  passed through `providers = {...}`); shared additions are kept apart per provider (a backup plan per Region).
- Edits inside a module change it for every caller: only a local module called once is edited; otherwise the
  fix is shown, not written, with the reason.

What cannot be written validly raises FixNotApplicable with the reason: the finding keeps its snippet.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from ..model import Resource
from .additions import shared_references
from .apply import Edit, FixNotApplicable, text_index
from .render import ListExpr, hcl_value


@dataclass
class Placed:
    sets: list  # SetAttribute changes for the resource's own block, values rewritten
    additions: list  # AddResource for `home_dir`, rewritten
    home_dir: str  # display directory of the module that gets the additions
    home_file: str  # the file they are appended to (without --generate)
    group: str = ""  # the provider of the additions when it is not the default one
    outputs: list = field(default_factory=list)  # [(module dir, file, AddResource(kind="output"))]
    at_origin: list = field(default_factory=list)  # [(Span, new text)]: values changed where they are written
    notes: list = field(default_factory=list)  # what those changes affect, for the user


def call_sites(graph) -> Callable[[str], int]:
    """module directory -> how many module calls (blocks) in the scan use it (once per graph)."""
    def build() -> dict:
        calls: dict = {}
        for res in graph.resources:
            chain = res.meta.get("module_chain")
            if chain:
                calls.setdefault(chain[-1].module_dir, set()).add(chain[-1].span)
        return calls

    calls = graph.memo("fixes.call_sites", build)
    return lambda directory: len(calls.get(directory, ()))


def reads(sources) -> Callable[[str, str], int]:
    """(module dir, "var.x") -> how many times the module's `.tf` files read it (comments left out)."""
    cache = getattr(sources, "_rlint_reads", None)
    if cache is None:
        cache = {}
        try:
            sources._rlint_reads = cache  # one count per source cache: every finding of a scan shares it
        except AttributeError:
            pass

    def count(directory: str, name: str) -> int:
        key = (directory, name)
        if key not in cache:
            pattern = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
            total = 0
            for path in sorted((sources.cwd / (directory or ".")).glob("*.tf")):
                text = sources.text(posixpath.join(directory, path.name) if directory not in ("", ".")
                                    else path.name) or ""
                total += sum(len(pattern.findall(line.split("#", 1)[0])) for line in text.splitlines())
            cache[key] = total
        return cache[key]

    return count


def writable(fix, res: Resource, graph, sources, everywhere=None):
    """The fix as `rlint fix` will treat it: display-only, with the reason, when it cannot be written validly
    (so what a finding shows agrees with what the command does)."""
    return settled(fix, res, graph, sources, everywhere)[0]


def settled(fix, res: Resource, graph, sources, everywhere=None) -> tuple:
    """(the fix as `rlint fix` treats it, its Placed or None when it is not written)."""
    if getattr(fix, "safety", "") == "display-only":
        return fix, None
    try:
        placed = place(fix, res, call_sites(graph), reads(sources), everywhere, affected(graph, sources))
    except FixNotApplicable as exc:
        return replace(fix, safety="display-only", manual=str(exc)), None
    return fix, placed


def origin_edits(placed, sources) -> list:
    """[(file, Edit)] that change values where they are written (a variable default, a module argument...)."""
    out = []
    for span, text in placed.at_origin:
        source = sources.text(span.file)
        if source is None:
            raise FixNotApplicable(f"cannot read {span.file}")
        index = text_index(source)
        out.append((span.file, Edit(index.offset(span.line, span.column), index.offset(span.end_line, span.end_column),
                                    text)))
    return out


def failing_everywhere(findings: list, graph, rule_id: str) -> Callable[[Resource], bool]:
    """Whether `rule_id` fails, unsuppressed, on every instance of a resource's block in every call of its
    module: then a setting written in a shared module is changed there for callers that all need it."""
    failing: dict = graph.memo(("fixes.failing", id(findings)), lambda: _failing(findings))
    addresses = failing.get(rule_id, set())

    def everywhere(res: Resource) -> bool:
        siblings = graph.memo(("fixes.siblings", res.type), lambda: _by_home(graph.by_type(res.type))).get(
            _home(res), ())
        return bool(siblings) and all(r.address in addresses or r.block_address in addresses for r in siblings)

    return everywhere


def _by_home(resources: list) -> dict:
    """`_home` -> the resources of one type written there (an index: scanning the whole graph for each resource
    asked about is quadratic)."""
    out: dict = {}
    for r in resources:
        out.setdefault(_home(r), []).append(r)
    return out


def _home(res: Resource) -> tuple:
    """Where a resource's block is written: a module directory and the address inside it; a nested stack's
    template and the logical id in it (several parent stacks may load one template)."""
    if res.meta.get("nested_stack"):
        return res.file, res.address.rsplit(".", 1)[-1]
    return res.meta.get("module_dir"), local_address(res)


def _failing(findings: list) -> dict:
    out: dict = {}
    for f in findings:
        if f.outcome.value == "fail" and f.suppressed is None:
            out.setdefault(f.rule_id, set()).add(f.resource)
    return out


def is_addition(change) -> bool:
    return change.__class__.__name__ == "AddResource"


def place(fix, res: Resource, call_sites: Callable[[str], int],
          uses: Optional[Callable[[str, str], int]] = None, everywhere=None, affects=None) -> Placed:
    """The fix of a Terraform resource's finding as it can be written. `call_sites(module_dir)`: how many
    module calls in the scan use that directory; `uses(module_dir, "var.x")`: how often the module reads a
    variable or local (a value shared with other settings is not changed at its origin); `everywhere(res)`:
    whether the finding's rule fails on every instance of the resource's block (failing_everywhere);
    `affects(hop)`: what changing the value written at an origin affects (Affected), for the user."""
    if res.meta.get("from_plan"):
        where = "" if res.file.endswith(".json") else f" in {res.file}"
        raise FixNotApplicable(f"read from the plan {res.meta.get('root') or 'file'}: make the change{where} and run "
                               f"terraform plan again (rlint cannot check it against the plan)")
    sets = [c for c in fix.changes if not is_addition(c) and getattr(c, "attr", None) is not None]
    adds = [c for c in fix.changes if is_addition(c)]
    chain = res.meta.get("module_chain") or ()
    at_origin, notes = [], []
    for change in list(sets):
        target = getattr(change, "target", None) or res
        _check_workspace(change, target)
        hops = (target.meta.get("origins") or {}).get(change.attr.path(target.format)) \
            if change.__class__.__name__ == "SetAttribute" else None
        if hops:
            span, text, note = _at_origin(change, hops, target, uses, affects)
            at_origin.append((span, text))
            notes.append(note)
            sets.remove(change)
    for target in {id(t): t for t in [getattr(c, "target", None) or res for c in sets]}.values():
        if target.meta.get("module_chain"):
            _check_module_edit([c for c in sets if (getattr(c, "target", None) or res) is target],
                               target.meta["module_chain"], call_sites,
                               everywhere is not None and everywhere(target))
    home_dir = chain[0].caller_dir if chain else res.meta.get("module_dir", "")
    home_file = chain[0].span.file if chain else res.file
    placed = Placed(list(sets), [], home_dir, home_file, at_origin=at_origin, notes=notes)
    if not adds:
        return placed
    placed.group = _provider_at_home(res, chain)
    reach = _Reach(res, chain, type(adds[0]))
    prefix = "_".join(c.name for c in chain)
    per_instance = {(a.type, a.name) for a in adds if a.kind == "resource" and not a.shared}
    renamed = {(t, n): f"{prefix}_{n}" if prefix else n for t, n in per_instance}
    for add in adds:
        attrs = add.attrs
        if add.kind == "resource" and not add.shared:
            attrs = _rewrite(attrs, lambda s: _for_instance(s, reach, renamed))
            provider = {"provider": "${%s}" % placed.group} if placed.group and "provider" not in attrs else {}
            attrs = {**reach.meta_argument(), **provider, **attrs}
            add = replace(add, name=renamed[(add.type, add.name)], attrs=attrs)
        elif add.kind == "resource":
            add = replace(add, attrs=_rewrite(attrs, lambda s: _for_all(s, reach)))
        placed.additions.append(add)
    if sets:
        added = {(a.type, a.name) for a in adds if a.kind == "resource"}
        if chain and any(_mentions(getattr(c, "value", getattr(c, "item", None)), t, n)
                         for c in sets for t, n in added):
            raise FixNotApplicable("the edit inside the module would reference what the fix adds in the root "
                                   "module that calls it")
        # what the module shares is named per provider (per_provider): the resource's edits say which
        shared = shared_references(adds, placed.group) if placed.group else (lambda s: s)
        own = lambda s: shared(_for_instance(s, reach, renamed, own=True))
        placed.sets = [replace(c, value=_rewrite(c.value, own)) if hasattr(c, "value") else
                       replace(c, item=_rewrite(c.item, own)) if hasattr(c, "item") else c for c in sets]
    placed.outputs = reach.outputs
    return placed


def _check_workspace(change, res: Resource) -> None:
    """A value terraform.workspace chooses (`lookup(var.sizes, terraform.workspace)`, `local.env == "prod" ? ...`)
    or an input variable computes (`var.env == "prod" ? 14 : 1`, scanned with `--var env=staging`) holds for
    this workspace or value only: one written in its place would hold for all of them, and may undo what another
    has (a production's longer retention). A variable read as a plain reference is changed where it is written
    instead (_at_origin); so is not this."""
    if change.__class__.__name__ != "SetAttribute":
        return
    path = change.attr.path(res.format)
    spelled = ".".join(str(p) for p in path)
    if path in res.meta.get("by_workspace", ()):
        raise FixNotApplicable(f"`{spelled}` is chosen by terraform.workspace ({res.meta.get('workspace')!r} here): "
                               f"a value written in its place would hold in every workspace; give it "
                               f"{hcl_value(change.value, 0)} for this workspace where the expression chooses it")
    inputs = next((names for at, names in res.meta.get("by_variable", ()) if at == path), None)
    if inputs:
        names = ", ".join(text.split(" ", 1)[0] for text in inputs)
        raise FixNotApplicable(f"`{spelled}` is computed from {', '.join(inputs)}: a value written in its place "
                               f"would hold whatever {names} {'is' if len(inputs) == 1 else 'are'} (another "
                               f"environment's too); give it {hcl_value(change.value, 0)} for this value where "
                               f"the expression chooses it")


# -- values set elsewhere: change them where they are written -------------------------------------------
def _at_origin(change, hops: tuple, res: Resource, uses, affects=None) -> tuple:
    """(span, text, note) of the edit that sets `change` where the attribute's value is written: a variable
    default, a tfvars entry, a module argument, a local. Follows tfupdate's rule: change a value that is
    written; never write one where none is (a default a variable did not have, a key an object lacks)."""
    spelled = ".".join(str(p) for p in change.attr.path(res.format))
    via = " -> ".join(h.name for h in hops)
    last = hops[-1]
    wanted = hcl_value(change.value, 0)
    if last.kind in ("--var", "environment"):
        raise FixNotApplicable(f"`{spelled}` comes from {via}, given {'on the command line' if last.kind == '--var' else 'in the environment'}: "
                               f"give it {wanted} there")
    if last.kind == "no value":
        raise FixNotApplicable(f"`{spelled}` comes from {via}, which has no default and no value here: give it "
                               f"{wanted} where the root module is run (a tfvars file or -var)")
    if last.kind == "missing":
        raise FixNotApplicable(f"`{spelled}` comes from {via}, where `{'.'.join(map(str, last.keys))}` is not written "
                               f"({_at(last.span)}): set it to {wanted} there (rlint changes values that are "
                               f"written, and adds none)")
    if last.kind == "tfvars" and not last.written:  # a JSON tfvars file: rlint reads it, and does not rewrite JSON
        raise FixNotApplicable(f"`{spelled}` comes from {via}, set in {last.span.file if last.span else 'a tfvars file'} "
                               f"(JSON, which rlint does not rewrite): give it {wanted} there")
    if not last.written:
        raise FixNotApplicable(f"`{spelled}` comes from {via}, computed there ({_at(last.span)}: {last.name}): "
                               f"change it so it gives {wanted}")
    if _is_expression(change.value) and last.kind != "local":
        raise FixNotApplicable(f"`{spelled}` comes from {via} ({_at(last.span)}), which cannot hold the expression "
                               f"the fix needs ({wanted}): set it where `{spelled}` is written")
    downloaded = next((h for h in hops if h.span is not None and ".terraform/" in h.span.file + "/"), None)
    if downloaded is not None:
        raise FixNotApplicable(f"`{spelled}` comes from {via}, written in a downloaded module "
                               f"({_at(downloaded.span)}): pass it {wanted} through the module's inputs")
    directory = res.meta.get("module_dir") or "."
    for hop in hops:
        name = hop.name if hop.name.startswith(("var.", "local.")) else "var." + hop.name.rsplit(".", 1)[-1]
        count = uses(directory, name) if uses is not None else 1
        if count > 1:
            raise FixNotApplicable(f"`{spelled}` comes from {via}; {name} is read {count} times in "
                                   f"{directory}: changing it changes them all, so change it by hand")
        if hop.span is not None:
            directory = posixpath.dirname(hop.span.file) or "."
    return last.span, wanted, f"set {wanted} at {_at(last.span)} ({affects(last) if affects else _affects(last)})"


def _is_expression(value: Any) -> bool:
    """A value that references something (a variable default or a tfvars entry must be a constant, and a module
    argument is read in the caller, where the module's resources are not)."""
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, list):
        return any(_is_expression(v) for v in value)
    if isinstance(value, dict):
        return any(_is_expression(v) for v in value.values())
    return False


def _at(span) -> str:
    return f"{span.file}:{span.line}" if span is not None else "?"


def affected(graph, sources) -> Callable:
    """hop -> what changing the value written there affects, named: the deployments and environments (tfvars
    files) that take it and those that keep their own value, or the module calls that take a default."""
    users = graph.memo("fixes.origin_users", lambda: _origin_users(graph))
    setting = var_files(sources)

    def affects(hop) -> str:
        taken = users.get(_span_key(hop.span), []) if hop.span is not None else []
        deployments = sorted({r.meta["deployment"] for r in taken if r.meta.get("deployment")})
        named = f"; deployment{'s' if len(deployments) > 1 else ''} {', '.join(deployments)}" if deployments else ""
        if hop.kind == "variable default":
            directory = posixpath.dirname(hop.span.file) or "."
            calls = sorted({r.meta["module_chain"][-1].address for r in taken if r.meta.get("module_chain")
                            and r.meta["module_chain"][-1].module_dir == directory})
            if calls:
                return (f"the default of {hop.name} in module {directory}: the calls that do not pass "
                        f"{hop.name[4:]} ({', '.join(calls)}); calls that pass it keep their value")
            sets, lacks = setting(directory, hop.name[4:])
            out = f"the default of {hop.name}: every run that does not set it otherwise{named}"
            if sets:
                out += f"; {', '.join(sets)} set{'s' if len(sets) == 1 else ''} it and keep{'s' if len(sets) == 1 else ''} its value"
            if lacks:
                out += f"; {', '.join(lacks)} {'does' if len(lacks) == 1 else 'do'} not set it: runs with {'it' if len(lacks) == 1 else 'them'} change too"
            return out
        if hop.kind == "module argument":
            return _argument_affects(hop, taken) + named
        return _affects(hop) + named

    return affects


def _span_key(span) -> tuple:
    return span.file, span.line, span.column


def _origin_users(graph) -> dict:
    """(file, line, column) of a written value -> the resources whose settings take it."""
    users: dict = {}
    for res in graph.resources:
        if res.format != "terraform":
            continue
        for hops in (res.meta.get("origins") or {}).values():
            last = hops[-1]
            if last.written and last.span is not None:
                found = users.setdefault(_span_key(last.span), [])
                if all(r is not res for r in found):
                    found.append(res)
    return users


def _argument_affects(hop, taken: list) -> str:
    """A module call's argument: that call only, but every instance of a call with count or for_each (the
    argument is written once for all of them)."""
    instances, block = set(), None
    for res in taken:
        for call in res.meta.get("module_chain") or ():
            if call.expansion and hop.span is not None and call.span.file == hop.span.file and \
                    call.span.line <= hop.span.line <= call.span.end_line:
                instances.add(call.address)
                block = call
    if block is None:
        return _affects(hop)
    prefix = block.address[:block.address.rindex(f"module.{block.name}")]
    return (f"the argument of {prefix}module.{block.name}: this module call only, and each of its "
            f"{len(instances)} {block.expansion} instances here")


def var_files(sources) -> Callable[[str, str], tuple]:
    """(root module dir, variable) -> (the .tfvars files for that root that set it, those that do not): the
    root's own directory and the folders below it that hold no Terraform module (env/, vars/...). Terraform
    loads the auto-loaded ones by itself; the others with -var-file, per environment."""
    cache = sources.tfvars_listing  # one listing per source cache: the scan's verdicts and fixes share it

    def files(directory: str) -> list:
        if directory not in cache:
            base = sources.cwd / (directory or ".")
            found = []
            for path in sorted(base.rglob("*.tfvars*")):
                rel = path.relative_to(base)
                if not path.name.endswith((".tfvars", ".tfvars.json")) or ".terraform" in rel.parts or \
                        any(any(p.glob("*.tf")) for p in [base / q for q in rel.parents if str(q) != "."]):
                    continue
                display = posixpath.normpath(posixpath.join(directory or ".", rel.as_posix()))
                found.append((display, sources.text(display) or ""))
            cache[directory] = found
        return cache[directory]

    def setting(directory: str, name: str) -> tuple:
        sets, lacks = [], []
        pattern = re.compile(rf'^\s*"?{re.escape(name)}"?\s*[=:]', re.M)
        for display, text in files(directory):
            (sets if pattern.search(text) else lacks).append(display)
        return sets, lacks

    return setting


def _affects(hop) -> str:
    if hop.kind == "module argument":
        return f"the argument of {hop.name.rsplit('.', 1)[0]}: this module call only"
    if hop.kind == "tfvars":
        return f"{hop.detail} {hop.span.file}: every run that loads it" if hop.detail == "-var-file" else \
            f"{hop.span.file}, loaded by every run in its directory"
    if hop.kind == "variable default":
        return f"the default of {hop.name}: every run that does not set it otherwise (tfvars, -var, TF_VAR_)"
    return hop.name


def _check_module_edit(sets: list, chain: tuple, call_sites, all_fail: bool = False) -> None:
    """A setting written inside a module is changed there only for a local module that one call uses, or
    when every instance of the resource, in every call, fails the same way (every caller needs the change)."""
    if not sets:
        return
    inner = chain[-1]
    if not all(c.local for c in chain):
        raise FixNotApplicable(f"the setting is inside a downloaded module ({inner.module_dir}): change it "
                               f"through the module's inputs or its own source")
    shared = call_sites(inner.module_dir)
    if (shared > 1 or any(c.expansion for c in chain)) and not all_fail:
        what = f"{shared} module calls use it" if shared > 1 else f"{inner.address} has instances"
        raise FixNotApplicable(f"the setting is written in module {inner.module_dir}, and {what}: changing it "
                               f"there changes every caller; give the module an input for it, or change it "
                               f"there if every caller should")


def _provider_at_home(res: Resource, chain: tuple) -> str:
    """The resource's provider as the root module names it ("" for the default configuration)."""
    provider = res.meta.get("provider") or "aws"
    for call in reversed(chain):
        mapping = dict(call.providers)
        if provider in mapping:
            provider = mapping[provider]
        elif "." in provider:
            raise FixNotApplicable(f"provider {provider} of {res.address} is not passed to {call.address}")
    return provider if "." in provider else ""


class _Reach:
    """How the home module refers to the resource: per instance, for all instances, and the outputs needed."""

    def __init__(self, res: Resource, chain: tuple, make):
        self.res = res
        self.make = make  # the class of the additions (rules' AddResource), for the outputs
        self.chain = chain
        self.own = res.meta.get("expansion")
        self.address = res.block_address
        self.outputs: list = []
        if chain:
            if any(c.expansion for c in chain[1:]) or (chain[0].expansion and self.own):
                raise FixNotApplicable(f"{res.block_address} has instances at more than one level of modules: "
                                       f"add the resources beside it by hand")
            self.kind = chain[0].expansion or self.own
        else:
            self.kind = self.own
        self.local = res.block_address[len(chain[-1].address) + 1:] if chain else res.block_address

    def meta_argument(self) -> dict:
        if self.kind is None:
            return {}
        collection = self._collection()
        if self.kind == "count":
            written = not self.chain and self.res.meta.get("expansion_expr")
            return {"count": "${%s}" % (collection if written else f"length({collection})")}
        return {"for_each": "${%s}" % collection}

    def _collection(self) -> str:
        if not self.chain:  # as the resource writes it: `length(X)` would cycle when X refers to the addition
            return self.res.meta.get("expansion_expr") or self.address
        if self.chain[0].expansion:
            return f"module.{self.chain[0].name}"
        return f"module.{self.chain[0].name}.{self._output('id')}"

    def element(self, attr: str) -> str:
        if not self.chain:
            key = {"count": "[count.index]", "for_each": "[each.key]"}.get(self.kind, "")
            return f"{self.address}{key}.{attr}"
        out, call = self._output(attr), f"module.{self.chain[0].name}"
        if self.chain[0].expansion == "count":
            return f"{call}[count.index].{out}"
        if self.chain[0].expansion == "for_each":
            return f"{call}[each.key].{out}"
        key = {"count": "[count.index]", "for_each": "[each.key]"}.get(self.own, "")
        return f"{call}.{out}{key}"

    def every(self, attr: str) -> str:
        """All instances' values: a list expression when there are instances, else the one value."""
        if not self.chain:
            if self.kind == "count":
                return ListExpr(f"{self.address}[*].{attr}")
            if self.kind == "for_each":
                return ListExpr(f"values({self.address})[*].{attr}")
            return f"{self.address}.{attr}"
        out, call = self._output(attr), f"module.{self.chain[0].name}"
        if self.chain[0].expansion == "count":
            return ListExpr(f"{call}[*].{out}")
        if self.chain[0].expansion == "for_each":
            return ListExpr(f"values({call})[*].{out}")
        if self.own == "count":
            return ListExpr(f"{call}.{out}")
        if self.own == "for_each":
            return ListExpr(f"values({call}.{out})")
        return f"{call}.{out}"

    def _output(self, attr: str) -> str:
        """The output that carries `attr` of the resource up to the root; added to each module on the way."""
        name = f"{self.local.replace('.', '_')}_{attr}"
        value = {None: f"{self.local}.{attr}", "count": f"{self.local}[*].{attr}",
                 "for_each": f"{{ for key, instance in {self.local} : key => instance.{attr} }}"}[self.own]
        file = self.res.file
        for depth in range(len(self.chain) - 1, -1, -1):
            call = self.chain[depth]
            out = self.make("output", name, {"description": f"{attr} of {self.local}, for the module that calls this one",
                                             "value": "${%s}" % value}, kind="output", shared=True)
            if (call.module_dir, out.name) not in {(d, o.name) for d, _f, o in self.outputs}:
                self.outputs.append((call.module_dir, file, out))
            value = f"module.{call.name}.{name}"
            file = call.span.file
        return name


# -- rewriting references ---------------------------------------------------------------------------------
_REFERENCE = r"(?<![\w.\]\"]){}\.([A-Za-z_][A-Za-z0-9_-]*)"


def _rewrite(value: Any, fn) -> Any:
    if isinstance(value, str):
        return fn(value) if "${" in value else value
    if isinstance(value, list):
        return [_rewrite(v, fn) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, fn) for k, v in value.items()}
    return value


def _mentions(value: Any, rtype: str, name: str) -> bool:
    found = []
    _rewrite(value, lambda s: found.append(re.search(_REFERENCE.format(re.escape(f"{rtype}.{name}")), s)) or s)
    return any(found)


def _for_instance(text: str, reach: _Reach, renamed: dict, own: bool = False) -> str:
    """References in what is added per instance (or in the resource's own block, `own`): the instance's."""
    out = re.sub(_REFERENCE.format(re.escape(reach.address)), lambda m: reach.element(m.group(1)), text)
    key = {"count": "[count.index]", "for_each": "[each.key]"}.get(reach.kind, "")
    for (rtype, name), new in renamed.items():
        out = re.sub(_REFERENCE.format(re.escape(f"{rtype}.{name}")),
                     lambda m, rtype=rtype, new=new: f"{rtype}.{new}{key}.{m.group(1)}", out)
    return out


def _for_all(text: str, reach: _Reach) -> Any:
    """References in what the module shares: every instance."""
    whole = re.fullmatch(r"\$\{" + re.escape(reach.address) + r"\.([A-Za-z_][A-Za-z0-9_-]*)\}", text)
    if whole:
        every = reach.every(whole.group(1))
        return every if isinstance(every, ListExpr) else "${%s}" % every
    return re.sub(_REFERENCE.format(re.escape(reach.address)), lambda m: reach.every(m.group(1)), text)


def local_address(res: Resource) -> str:
    """The resource's address inside its own module (without the calls' prefix)."""
    chain = res.meta.get("module_chain") or ()
    return res.block_address[len(chain[-1].address) + 1:] if chain else res.block_address


__all__ = ["Placed", "place", "local_address", "call_sites", "reads", "writable", "failing_everywhere", "affected",
           "var_files", "settled", "origin_edits"]

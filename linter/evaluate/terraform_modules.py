"""Module calls: local modules (`source = "./..."`, `"../..."`) and, after `terraform init`, the registry and git
modules listed in `.terraform/modules/modules.json`, expanded into the calling unit.

Each instance of a module call (after its own count/for_each) is a child evaluator whose variables are the
call's arguments, evaluated in the caller's scope when the child first reads them (so calls, or a call and a
resource of its caller, may feed each other through different variables and outputs, as Terraform allows);
its resources get the address prefix
`module.NAME[KEY].` and keep their own files and lines; its outputs are what the caller reads as
`module.NAME.OUTPUT`. A module that cannot be read (a registry module without modules.json, a missing
directory, a call cycle, nesting deeper than MAX_DEPTH) has unknown outputs and contributes no resources.

`evaluate_module` (a root module and every module it calls) is the entry point; this module builds on the
single-directory `terraform` evaluator, which knows nothing of module calls.
"""
from __future__ import annotations

import json
import os
import posixpath
from functools import partial
from pathlib import Path
from typing import Any, Optional

from ..inputs import TerraformInputs
from ..lazy_regex import lazy_regex
from ..model import ModuleCall, Unknown, collect_refs
from .environment import declared_environments
from .files import FileReader
from .hcl_expr import Steps, traverse
from .provider_version import aws_majors
from .terraform import MODULE_ARGUMENTS, VAR_READ, WORKSPACE_READ, ModuleEvaluator, ModuleResult

MAX_DEPTH = 16
MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
_PROVIDER_PAIR = lazy_regex(r"\"?([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)\"?\s*=\s*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?)")


def _module_manifest(root: Path) -> dict:
    """modules.json written by `terraform init`: module key ("a" or "a.b") -> directory."""
    try:
        data = json.loads((root / ".terraform" / "modules" / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str):
            out[entry["Key"]] = root / entry["Dir"]
    return out


def remote_kind(source: str) -> str:
    """What kind of non-local source a module call names (Terraform's module source forms)."""
    lowered = source.lower()
    if lowered.startswith(("git::", "git@")) or "github.com/" in lowered or "bitbucket.org/" in lowered:
        return "git"
    if lowered.startswith(("hg::", "s3::", "gcs::")):
        return lowered.split("::", 1)[0]
    if lowered.split("?", 1)[0].endswith((".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
        return "archive"
    if lowered.startswith(("http://", "https://")):
        return "URL"
    return "registry"


class ModuleTreeEvaluator(ModuleEvaluator):
    def __init__(self, *args, chain: tuple = (), key: tuple = (), manifest: Optional[dict] = None,
                 root_dir: Optional[Path] = None, calls: tuple = (), module_chain: tuple = (),
                 module_expansion: Optional[str] = None, scan_root: Optional[Path] = None,
                 file_cache: Optional[dict] = None, **kwargs):
        super().__init__(*args, **kwargs)
        # why this module instance may not exist or may be one of several (its call's count/for_each, or an
        # enclosing call's, is unknown): its resources' instances are undecided too
        self.module_expansion = module_expansion
        self.chain = chain + (self.directory.resolve(),)
        self.calls = calls  # (address, block span) of each module call from the root down to this module
        self.module_chain = module_chain  # the same calls as ModuleCall: where fixes can reach this module
        self.key = key  # module names from the root: ("a", "b") for module.a.module.b
        self.root_dir = root_dir or self.directory
        self.manifest = manifest if manifest is not None else _module_manifest(self.root_dir)
        # file(), fileexists() ...: read from the scanned directory the root was found in, or this module's own
        self.scan_root = scan_root or self.root_dir
        self.file_cache = file_cache if file_cache is not None else {}
        self.file_reader = FileReader((self.scan_root, self.root_dir), self.root_dir, self.directory,
                                      self.display_dir, (self.display_dir, self.root_display), self.file_cache)
        self._children: dict = {}  # call name -> [(instance suffix, child)] | None (not readable) | Unknown
        self._output_cache: dict = {}

    # -- outputs read by the caller -----------------------------------------------------------------
    def module_output(self, module_name: Optional[str], steps: Steps) -> Any:
        address = self.prefix + f"module.{module_name}"
        self._on_ref((address, None))
        edge = frozenset({(address, None)})
        if module_name not in self.module_blocks:
            return Unknown(f"error: module.{module_name} is not declared in this module", edge)
        children = self._instances_of(module_name)
        if children is None:
            return Unknown(f"output of module.{module_name} is not evaluated (its source is not read)", edge)
        if isinstance(children, Unknown):
            return Unknown(children.reason, edge)
        block, _hf = self.module_blocks[module_name]
        rest = steps
        if "count" in block.body.attributes or "for_each" in block.body.attributes:
            if not rest or rest[0][0] != "index":
                return traverse(self._every_instance(module_name, children, "count" in block.body.attributes,
                                                     edge), rest)
            if isinstance(rest[0][1], Unknown):
                return Unknown(f"module.{module_name} across its instances is not evaluated", edge)
            suffix = f"[{json.dumps(rest[0][1])}]"
            rest = Steps(rest[1:])
            child = next((c for s, c in children if s == suffix), None)
            if child is None:
                return Unknown(f"module.{module_name}{suffix} is not an instance of the call", edge)
        elif children:
            child = children[0][1]
        else:
            return Unknown(f"module.{module_name} has no instance", edge)
        if not rest or rest[0][0] != "attr":
            return Unknown(f"module.{module_name} as a whole object is not evaluated", edge)
        value, refs = child.output(rest[0][1])
        if self._ref_sink is not None:
            self._ref_sink |= refs
        if isinstance(value, Unknown):
            return Unknown(value.reason, value.refs | edge)
        return traverse(value, Steps(rest[1:]))

    def _every_instance(self, module_name: str, children: list, counted: bool, edge: frozenset) -> Any:
        """`module.NAME` of a call with count (a list) or for_each (a map): each instance as an object of its
        outputs, e.g. for `values(module.db)[*].arn`."""
        if any(suffix == "" for suffix, _child in children):  # the instances themselves are unknown
            return Unknown(f"the instances of module.{module_name} are not known", edge)
        objects = []
        for suffix, child in children:
            values = {}
            for name in child.outputs:
                value, refs = child.output(name)
                if self._ref_sink is not None:
                    self._ref_sink |= refs
                values[name] = value
            objects.append((json.loads(suffix[1:-1]), values))
        return [v for _k, v in objects] if counted else dict(objects)

    def output(self, name: str) -> tuple:
        """(value, references met while evaluating it) of one output of this module."""
        if name in self._output_cache:
            return self._output_cache[name]
        found = self.outputs.get(name)
        if found is None or "value" not in found[0].body.attributes:
            return Unknown(f"error: output {name!r} is not declared in {self.display_dir}"), frozenset()
        key = ("output", name)
        if key in self._in_progress:
            return Unknown(f"output {name} of {self.prefix[:-1] or 'the root module'} depends on itself (a reference "
                           f"cycle, which Terraform rejects)"), frozenset()
        block, hf = found
        self._in_progress.add(key)
        outer, self._ref_sink = self._ref_sink, set()
        try:
            value = self._eval_in(block.body.attributes["value"], hf, {})
            refs = frozenset(self._ref_sink)
        finally:
            self._in_progress.discard(key)
            self._ref_sink = outer
        self._output_cache[name] = (value, refs)
        return value, refs

    def report_templates(self, directory: Path, display: str) -> None:
        """Report the Terraform code templates of a module directory read (once per directory and unit)."""
        from ..discover import terraform_templates

        for entry in terraform_templates(directory, display):
            if entry not in self.result.skipped_files:
                self.result.skipped_files.append(entry)

    # -- instances of a call ------------------------------------------------------------------------
    def _instances_of(self, name: str):
        if name in self._children:
            return self._children[name]
        # a cycle guard while building: only count and for_each are evaluated here, so only a call whose count or
        # for_each reads its own outputs (a cycle, which Terraform rejects) meets it
        self._children[name] = Unknown(f"the instances of {self.prefix}module.{name} depend on themselves (its "
                                       f"count or for_each reads its outputs: a reference cycle, which Terraform "
                                       f"rejects)")
        outer, self._ref_sink = self._ref_sink, None  # the call's inputs are no edge of the resource being read
        try:
            self._children[name] = self._build_instances(name)
        finally:
            self._ref_sink = outer
        return self._children[name]

    def _build_instances(self, name: str):
        block, hf = self.module_blocks[name]
        directory = self._source_dir(name, block, hf)
        if directory is None:
            self._not_read(name, block, hf)
            return None
        files = sorted(p for p in directory.iterdir() if p.is_file() and p.name.endswith((".tf", ".tf.json")))
        if not files:
            self._not_read(name, block, hf, "its directory has no .tf files")
            return None
        from ..discover import SourceFile

        # displayed as discovery would show it, so that findings, comments and the standalone copy line up
        display = posixpath.normpath(posixpath.join(self.display_dir or ".",
                                                    Path(os.path.relpath(directory, self.directory.resolve())).as_posix()))
        sources = [SourceFile(p, posixpath.normpath(posixpath.join(display, p.name))) for p in files]
        self.report_templates(directory, display)
        providers = self._providers_for(block, hf)
        attrs = block.body.attributes
        expansion = "count" if "count" in attrs else "for_each" if "for_each" in attrs else None
        source = self._eval_in(attrs["source"], hf, {})
        local = isinstance(source, str) and source.startswith(("./", "../"))
        children = []
        for suffix, scope, unknown in self.instances(block, hf):
            expansion_reason = self.module_expansion
            if unknown and expansion_reason is None:
                reason = next(v.reason for v in scope.values() if isinstance(v, Unknown))
                expansion_reason = f"module.{name}: {reason}"
            arguments = {arg: (attr, hf) for arg, attr in block.body.attributes.items() if arg not in MODULE_META}
            # evaluated when the child first reads the variable (ModuleEvaluator._given_variable), not here
            given = {arg: partial(self._module_argument, attr, hf, scope) for arg, (attr, _hf) in arguments.items()}
            child = ModuleTreeEvaluator(
                directory, display, sources, [], self.inputs,
                caller=(self, arguments, f"{self.prefix}module.{name}{suffix}"),
                address_prefix=f"{self.prefix}module.{name}{suffix}.", given=given,
                result=self.result,
                parse_cache=self._parse_cache, inherited_providers=providers, root_display=self.root_display,
                data_read_cache=self._data_read_cache, workspace=self.workspace,
                chain=self.chain, key=self.key + (name,), manifest=self.manifest, root_dir=self.root_dir,
                scan_root=self.scan_root, file_cache=self.file_cache,
                calls=self.calls + ((f"{self.prefix}module.{name}{suffix}", block.span),),
                module_expansion=expansion_reason,
                module_chain=self.module_chain + (ModuleCall(
                    name, f"{self.prefix}module.{name}{suffix}", block.span, expansion, self.display_dir, display,
                    local, self._provider_names(block, hf)),))
            children.append((suffix, child))
        if children and display not in self.result.module_dirs:
            self.result.module_dirs.append(display)
        elif not children and display not in self.result.idle_module_dirs:
            self.result.idle_module_dirs.append(display)  # count = 0 or an empty for_each: it creates nothing here
        return children

    def _module_argument(self, attr, hf, scope: dict) -> tuple:
        """(value, the references it is made of) of one argument of a call instance, in this (the caller's)
        scope: the references become edges of the child's resources that read the variable."""
        outer, self._ref_sink = self._ref_sink, set()
        reading, self._reading_type = self._reading_type, MODULE_ARGUMENTS
        try:
            return self._eval_in(attr, hf, scope), frozenset(self._ref_sink)
        finally:
            self._ref_sink = outer
            self._reading_type = reading

    def _source_dir(self, name: str, block, hf) -> Optional[Path]:
        source_attr = block.body.attributes.get("source")
        source = self._eval_in(source_attr, hf, {}) if source_attr is not None else None
        if not isinstance(source, str):
            return None
        if source.startswith(("./", "../")):
            directory = (self.directory / source).resolve()
        else:
            directory = self.manifest.get(".".join(self.key + (name,)))
            directory = directory.resolve() if directory is not None else None
        if directory is None or not directory.is_dir() or directory in self.chain or len(self.chain) > MAX_DEPTH:
            return None
        return directory

    def _not_read(self, name: str, block, hf, why: Optional[str] = None) -> None:
        """Record a module call whose resources are not analysed (the scan's coverage; never silent)."""
        source_attr = block.body.attributes.get("source")
        source = self._eval_in(source_attr, hf, {}) if source_attr is not None else None
        hint = ""
        if why is None:
            why, hint = self._unread_reason(name, source)
        self.result.unread_modules.append({
            "module": f"{self.prefix}module.{name}", "source": source if isinstance(source, str) else None,
            "file": block.span.file, "line": block.span.line, "column": block.span.column,
            "reason": why, "hint": hint})
        self._export_refs_of([attr for arg, attr in block.body.attributes.items() if arg not in MODULE_META], hf,
                             handed_to=f"{self.prefix}module.{name}")

    def _export_refs_of(self, attrs: list, hf, handed_to: Optional[str] = None) -> None:
        """What these expressions reference leaves the code rlint reads (a module it cannot read, a root
        output another configuration may consume): noted so rules do not assume nothing else uses it, and for
        an unread module call (`handed_to`), which call receives it."""
        outer, self._ref_sink = self._ref_sink, set()
        try:
            found: set = set()
            for attr in attrs:
                found |= collect_refs(self._eval_in(attr, hf, {}))
            found |= self._ref_sink
        finally:
            self._ref_sink = outer
        found = {ref for ref in found if ref != WORKSPACE_READ and ref[0] != VAR_READ}  # markers, not references
        self.result.exported_refs |= found
        for address, _attr in sorted(found, key=str) if handed_to else ():
            self.result.handed_to.setdefault(address, handed_to)

    def export_root_outputs(self) -> None:
        for name in self.outputs:
            _value, refs = self.output(name)
            self.result.exported_refs |= {ref for ref in refs if ref != WORKSPACE_READ and ref[0] != VAR_READ}

    def _unread_reason(self, name: str, source) -> tuple:
        """(why a call's source was not read, the command that reads it or "")."""
        if not isinstance(source, str):
            return "its source is not a literal string", ""
        if source.startswith(("./", "../")):
            directory = (self.directory / source).resolve()
            if directory in self.chain:
                return "it calls a module that is already being read (a cycle)", ""
            if len(self.chain) > MAX_DEPTH:
                return f"modules are nested deeper than {MAX_DEPTH}", ""
            return f"directory {source} does not exist", ""
        kind = remote_kind(source)
        if ".".join(self.key + (name,)) in self.manifest:
            return f"the {kind} module is listed in .terraform/modules/modules.json but its directory is missing", \
                "terraform init -backend=false"
        return f"the {kind} module is not downloaded (no .terraform/modules/modules.json entry)", \
            "terraform init -backend=false"

    def _providers_for(self, block, hf) -> dict:
        """A child gets its caller's default providers, and aliased ones only through `providers = {...}`."""
        out = {k: v for k, v in self.providers.items() if "." not in k}
        for inner, outer_name in self._provider_names(block, hf):
            if outer_name in self.providers:
                out[inner] = self.providers[outer_name]
        return out

    def _provider_names(self, block, hf) -> tuple:
        """(name inside the module, name in the caller) for each entry of the call's `providers = {...}`."""
        attr = block.body.attributes.get("providers")
        if attr is None:
            return ()
        text = hf.source[attr.expr.start_byte:attr.expr.end_byte].decode(errors="replace")
        return tuple(_PROVIDER_PAIR().findall(text))

    # -- resources ----------------------------------------------------------------------------------
    def _resource_meta(self, *args) -> dict:
        meta = super()._resource_meta(*args)
        if self.calls:
            meta["module_calls"] = self.calls  # a suppression on a call covers what the call creates
            meta["module_chain"] = self.module_chain
        return meta

    def release(self) -> None:
        """Drop the links that make this tree of evaluators a reference cycle (a child's caller, a caller's
        children, a provider's owner) once its result is complete: the evaluators and what they cached are
        then freed at once instead of by a later cyclic collection that has to traverse them (memory and CPU
        at scale)."""
        for children in self._children.values():
            for _suffix, child in children if isinstance(children, list) else ():
                child.release()
        self._children.clear()
        self.providers.clear()
        self.caller = None

    def evaluate_resources(self) -> ModuleResult:
        super().evaluate_resources()
        for name in self.module_blocks:
            children = self._instances_of(name)
            if isinstance(children, list):
                for _suffix, child in children:
                    child.evaluate_resources()
        return self.result


def evaluate_module(unit, inputs: Optional[TerraformInputs] = None) -> ModuleResult:
    """One Terraform root module with the local (and initialised) modules it calls."""
    evaluator = ModuleTreeEvaluator(unit.directory, unit.display_dir, unit.files, unit.tfvars, inputs,
                                    scan_root=getattr(unit, "scan_root", None))
    evaluator.report_templates(unit.directory, unit.display_dir)
    result = evaluator.evaluate_resources()
    evaluator.export_root_outputs()
    environments = declared_environments(evaluator, unit.directory)  # what the rules read as the root's environment
    evaluator.release()
    majors = aws_majors(result.aws_constraints, unit.directory)  # fixes spell renamed arguments for it
    exported = {address for address, _attr in result.exported_refs}
    for res in result.resources:
        if environments:
            res.meta["environments"] = environments
        if majors is not None:
            res.meta["aws_provider_majors"] = majors
        if res.address in exported or res.block_address in exported:
            res.meta["exported"] = True
            handed_to = result.handed_to.get(res.address) or result.handed_to.get(res.block_address)
            if handed_to:  # an unread module call receives it: what that module does with it is not known
                res.meta["unread_module"] = handed_to
    return result

"""Evaluate one Terraform module directory into graph resources.

Variables come from defaults, `TF_VAR_*`, `terraform.tfvars(.json)`, `*.auto.tfvars(.json)` (lexical order),
then `--var-file` and `--var` in the order given: Terraform's own precedence, later wins. Locals are
evaluated lazily with a cycle guard. References to resources yield the referenced attribute when it is a
literal in the configuration, else Unknown; either way the reference is recorded as a graph edge.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..inputs import TerraformInputs
from ..lazy_regex import lazy_regex
from ..model import AzList, AzToken, AzWrapped, Origin, ParseProblem, PolicyDocument, Resource, SomeBlocks, Span, \
    Unknown, UnknownList, collect_refs, first_unknown
from ..parsers.terraform import Block, HclFile, node_span, parse_hcl
from .attr_paths import shared_path
from .functions import EvalError, _num
from .hcl_expr import ExprEvaluator, Steps, split_splat, traverse
from .parse_cache import SharedParses
from .provenance import block_references, conditional_test, is_literal, is_object, member, reference, unwrap
from .provider_version import aws_constraints
from .terraform_stacks import STACK_TYPES, stack_source
from .terraform_types import convert_to, parse_type
from .workspace import Workspace, resolve as resolve_workspace

META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"}
MAX_INSTANCES = 1_000  # count/for_each beyond this is treated as unknown rather than expanded
# the reading type while a module call's arguments are evaluated: a policy document handed to a module (to be
# merged into a bucket policy there) is read as it is where a bucket policy names it directly
MODULE_ARGUMENTS = "module arguments"
# a variable's list, set or tuple type constraint, also Terraform 0.11's quoted `"list"`
_LIST_TYPE = lazy_regex(r'(list|set|tuple)\s*\(.*|"(list|set)"', re.S)


@dataclass
class ModuleResult:
    resources: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    files: list = field(default_factory=list)  # display paths
    first_blocks: list = field(default_factory=list)  # [Span] of each file's first top-level block
    module_dirs: list = field(default_factory=list)  # display dirs of the local modules expanded into this unit
    idle_module_dirs: list = field(default_factory=list)  # display dirs of modules called here with no instance
    aws_constraints: list = field(default_factory=list)  # AWS provider version constraints of every module read
    exported_refs: set = field(default_factory=set)  # (address, attr) read by root outputs and unread modules
    handed_to: dict = field(default_factory=dict)  # address -> the first unread module call whose arguments name it
    unread_modules: list = field(default_factory=list)  # module calls whose resources are not analysed (coverage)
    skipped_files: list = field(default_factory=list)  # [{file, reason}] Terraform code templates (coverage)
    input_errors: list = field(default_factory=list)  # --var/--var-file values that cannot be right (usage errors)
    workspace: Optional[Workspace] = None  # set when the configuration reads terraform.workspace and it is known


# a reference-sink marker: the value read a known terraform.workspace (kept out of the resource's references)
WORKSPACE_READ = ("terraform.workspace", None)
BY_WORKSPACE = ("rlint:by-workspace",)  # key in a body's origins while it is evaluated
# a reference-sink marker: (VAR_READ, "var.env (\"staging\" here)"), the value read an input variable
VAR_READ = "rlint:var"
BY_VARIABLE = ("rlint:by-variable",)  # key in a body's origins: attribute path -> the variables it was computed from


class _Cycle(Exception):
    pass


def tfvars_values(data: bytes, display: str) -> tuple:
    """A var file's values (literals; anything else evaluates to unknown), the problems reading it, and its HCL
    parse (None for a JSON file)."""
    if display.endswith(".json"):
        try:
            value = json.loads(data.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            return {}, [ParseProblem(Span.point(display, 1), f"invalid JSON: {exc}")], None
        return (value if isinstance(value, dict) else {}), [], None
    parsed = parse_hcl(data, display)
    ev = _literal_evaluator(data)
    values = {name: ev.eval(attr.expr, {}) for name, attr in parsed.body.attributes.items()}
    return values, list(parsed.problems), parsed


def _literal_evaluator(source: bytes) -> ExprEvaluator:
    """An evaluator for tfvars and CLI values: literals only, any name is unknown."""
    return ExprEvaluator(source, lambda name, steps, scope, ev: Unknown(f"{name} is not allowed here"))


def parse_hcl_value(text: str) -> Any:
    """Parse `--var name=<hcl>` style text as one HCL expression."""
    src = f"v = {text}\n".encode()
    parsed = parse_hcl(src, "<var>")
    attr = parsed.body.attributes.get("v")
    if attr is None or parsed.problems:
        raise EvalError(f"cannot parse {text!r} as an HCL value")
    return _literal_evaluator(src).eval(attr.expr, {})


class ModuleEvaluator:
    def __init__(self, directory: Path, display_dir: str, files: list, tfvars: list,
                 inputs: Optional[TerraformInputs] = None, address_prefix: str = "",
                 given: Optional[dict] = None, result: Optional[ModuleResult] = None,
                 parse_cache: Optional[dict] = None, inherited_providers: Optional[dict] = None,
                 root_display: Optional[str] = None, caller: Optional[tuple] = None,
                 data_read_cache: Optional[dict] = None, workspace: Optional[Workspace] = None):
        """`given` holds a module call's inputs, per argument a function that evaluates it in the caller and
        returns (value, the references its expression is made of): a child module reads its variables from
        them and its defaults only, never from TF_VAR_*, tfvars files or --var. An argument is evaluated when
        its variable is first read, not when the call is expanded: Terraform's graph is per variable and
        output, so two calls (or a call and a caller's resource) may feed each other through different
        variables and outputs. Reading the variable makes the argument's references edges of the child's
        resource, as reading a local does (a bucket name passed in is known, so its value alone carries no
        reference)."""
        self.directory = directory
        self.display_dir = display_dir
        self.root_display = display_dir if root_display is None else root_display  # path.root and path.cwd
        self.inputs = inputs or TerraformInputs()
        # terraform.workspace: the root's, shared by the modules it calls
        self.workspace = workspace or resolve_workspace(directory, self.inputs.workspace, self.inputs.environ,
                                                         self.inputs.workspace_from)
        self.prefix = address_prefix
        self.given = given
        # a called module's caller: (calling evaluator, {argument: (Attribute, HclFile)}, call address)
        self.caller = caller
        self.var_sources: dict = {}  # root module: variable -> where its value comes from (provenance)
        self._origin_cache: dict = {}
        # (module directory, data source key) -> the resources its arguments name: the same in every call
        self._data_read_cache = data_read_cache if data_read_cache is not None else {}
        self.result = result if result is not None else ModuleResult()
        self._parse_cache = parse_cache if parse_cache is not None else {}
        self.parsed: list = []  # [HclFile]
        self.variables: dict = {}  # name -> Block
        self.var_values: dict = {}
        self.var_refs: dict = {}  # variable -> the references of the module argument that set it
        self.local_attrs: dict = {}  # name -> Attribute
        self.local_cache: dict = {}
        self.local_refs: dict = {}
        self.resource_blocks: dict = {}  # "type.name" -> Block
        self.providers: dict = dict(inherited_providers or {})  # "aws" / "aws.alias" -> (Block, HclFile, owner)
        self.module_blocks: dict = {}  # module call name -> (Block, HclFile)
        self.outputs: dict = {}  # output name -> (Block, HclFile)
        self._attr_cache: dict = {}
        self._provider_cache: dict = {}
        self._policy_documents: dict = {}  # (data source address, instance key) -> statements read, or None
        self._reading_type: Optional[str] = None  # the type of the resource whose arguments are evaluated
        self._in_progress: set = set()
        self._ref_sink: Optional[set] = None
        self._var_marks: dict = {}  # variable name -> its sink marker (_var_mark); by_variable tuples, shared
        for f in files:
            self._parse(f)
        # files rlint could not read (RL001 says why): a name they declare is missing, not undeclared
        self.unread = [f.display for f in files if self._parse_cache.get(f.display) is None]
        self._collect()
        self._bind_variables(tfvars)

    # -- parsing ------------------------------------------------------------------------------------
    def _parse(self, source_file) -> None:
        display = source_file.display
        if display in self._parse_cache:  # a module called more than once: parsed and reported once
            if self._parse_cache[display] is not None:
                self.parsed.append(self._parse_cache[display])
            return
        self._parse_cache[display] = None
        self.result.files.append(display)
        from ..discover import _read, decode

        data = source_file.data if source_file.data is not None else _read(source_file.path, display,
                                                                         self.result.problems)
        if data is None:
            return
        if display.endswith(".tf.json"):
            from .terraform_json import parse_tf_json

            parsed = parse_tf_json(data, display, self.result.problems)
            if parsed is not None:
                self.parsed.append(parsed)
                self._parse_cache[display] = parsed
            return
        text = decode(data, display, self.result.problems)
        if text is None:
            return
        parsed = _parse_cached(text.encode(), display)
        if parsed.problems:  # what error recovery salvaged from a broken file could mislead rules: RL001 only
            from ..discover import generator_template

            template = generator_template(text)
            if template is None:
                self.result.problems.extend(parsed.problems)
            elif not any(entry["file"] == display for entry in self.result.skipped_files):
                self.result.skipped_files.append({"file": display, **template})
            return
        self.result.comments.extend(parsed.comments)
        if parsed.body.blocks:
            self.result.first_blocks.append(parsed.body.blocks[0].span)
        self.parsed.append(parsed)
        self._parse_cache[display] = parsed

    def _collect(self) -> None:
        from .terraform_blocks import block_problems

        self.result.problems.extend(block_problems(self.parsed))
        for hf in self.parsed:
            for block in hf.body.blocks:
                kind, labels = block.type, block.labels
                if kind == "variable" and labels:
                    self.variables[labels[0]] = (block, hf)
                elif kind == "locals":
                    for name, attr in block.body.attributes.items():
                        self.local_attrs[name] = (attr, hf)
                elif kind in ("resource", "data") and len(labels) >= 2:
                    key = f"{labels[0]}.{labels[1]}" if kind == "resource" else f"data.{labels[0]}.{labels[1]}"
                    self.resource_blocks[key] = (block, hf)
                elif kind == "terraform":
                    self._note_constraints([block], [], hf)
                elif kind == "provider" and labels:
                    if labels[0] == "aws":
                        self._note_constraints([], [block], hf)
                    alias_attr = block.body.attributes.get("alias")
                    alias = self._eval_in(alias_attr, hf, {}) if alias_attr else None
                    name = f"{labels[0]}.{alias}" if isinstance(alias, str) else labels[0]
                    self.providers[name] = (block, hf, self)
                elif kind == "module" and labels:
                    self.module_blocks[labels[0]] = (block, hf)
                elif kind == "output" and labels:
                    self.outputs[labels[0]] = (block, hf)

    def _note_constraints(self, terraform_blocks: list, provider_blocks: list, hf: HclFile) -> None:
        literal = _literal_evaluator(hf.source)
        self.result.aws_constraints.extend(
            aws_constraints(terraform_blocks, provider_blocks, lambda attr: literal.eval(attr.expr, {})))

    # -- variables ----------------------------------------------------------------------------------
    def _root_inputs(self, tfvars: list) -> dict:
        """Terraform's precedence, later wins; `var_sources` records which source won, for provenance."""
        given: dict = {}
        environ = self.inputs.environ if self.inputs.environ is not None else os.environ
        for key, raw in sorted(environ.items()):
            if key.startswith("TF_VAR_"):
                given[key[7:]] = ("cli", raw)
                self.var_sources[key[7:]] = ("environment", f"TF_VAR_{key[7:]}")
        self._given_by_user: dict = {}  # name -> where the user gave it (a wrong value there is a usage error)
        for path, display, detail in [(p, posixpath.join(self.display_dir or ".", p.name), "automatically loaded")
                                      for p in tfvars] + \
                [(Path(p), _shown(Path(p)), "-var-file") for p in self.inputs.var_files]:
            entries: dict = {}
            values = self._read_tfvars(path, entries, display)
            given.update({k: ("value", v) for k, v in values.items()})
            for name in entries:
                self.var_sources[name] = ("tfvars", posixpath.normpath(display), entries[name], detail)
            if detail == "-var-file":
                self._given_by_user.update({k: f"--var-file {Path(path).as_posix()}" for k in values})
        for name, raw in self.inputs.variables:
            given[name] = ("cli", raw)
            self.var_sources[name] = ("--var", f"--var {name}=...")
            self._given_by_user[name] = "--var"
        return given

    def _check_user_value(self, name: str, raw: Any, value: Any, type_text: Optional[str], block) -> None:
        """A value the user gave that does not convert to the variable's type cannot be right: Terraform
        would refuse the run, so rlint reports a usage error instead of analysing an unknown."""
        origin = self._given_by_user.get(name)  # set by _root_inputs: only a root module takes user values
        if origin is None or first_unknown(raw) is not None or first_unknown(value) is None:
            return
        reason = first_unknown(value).reason
        self.result.input_errors.append(
            f"{origin}: {name} = {raw!r} is not a valid value for variable {name!r} of type {type_text or 'any'} "
            f"declared at {block.span.file}:{block.span.line} ({reason})")

    def _bind_variables(self, tfvars: list) -> None:
        """The root's variables from the user's inputs and defaults; a called module's from its defaults, those
        its call sets being bound when first read (_given_variable)."""
        given = self._root_inputs(tfvars) if self.given is None else {}
        for name in self.variables:
            if self.given is None or name not in self.given:
                self.var_values[name] = self._bind(name, given.get(name))

    def _bind(self, name: str, entry: Optional[tuple]) -> Any:
        """var.NAME from its given ("value" | "cli", raw) or, without one, its default, as its type converts it."""
        block, hf = self.variables[name]
        type_attr = block.body.attributes.get("type")
        type_text = hf.source[type_attr.expr.start_byte:type_attr.expr.end_byte].decode() if type_attr else None
        if entry is not None:
            how, raw = entry
            value = self._cli_value(raw, type_text) if how == "cli" else raw
        elif "default" in block.body.attributes:
            value = self._default(name, block, hf)
        else:
            value = Unknown(f"var.{name} has no default and no value was given")
            if type_text is not None and _LIST_TYPE().fullmatch(type_text.strip()):
                value = UnknownList(value.reason)  # a list however long: not one member of a list around it
        nullable = block.body.attributes.get("nullable")
        if value is None and nullable is not None and self._eval_in(nullable, hf, {}) is False:
            value = self._default(name, block, hf) if "default" in block.body.attributes \
                else Unknown(f"var.{name} is null")
        if type_attr is not None:
            ev = self.evaluator(hf)
            value = convert_to(value, parse_type(type_attr.expr, hf.source, lambda node: ev.eval(node, {})))
        if entry is not None and self.given is None:
            self._check_user_value(name, entry[1], value, type_text, block)
        return value

    def _given_variable(self, name: str) -> Any:
        """A variable the module call sets, its argument evaluated in the caller now. Reached again while that
        argument is evaluated, the variable depends on itself: a cycle, which Terraform rejects."""
        key = ("var", name)
        if key in self._in_progress:
            return Unknown(f"var.{name} of {self.prefix[:-1]} depends on itself (a reference cycle, which Terraform "
                           f"rejects)")
        self._in_progress.add(key)
        try:
            raw, refs = self.given[name]()
            value = self._bind(name, ("value", raw))
        finally:
            self._in_progress.discard(key)
        self.var_values[name] = value
        self.var_refs[name] = refs
        return value

    def _default(self, name: str, block, hf: HclFile) -> Any:
        """A variable's default: a literal value (Terraform refuses references to anything in a default)."""
        attr = block.body.attributes["default"]
        value = _literal_evaluator(hf.source).eval(attr.expr, {})
        unknown = first_unknown(value)
        if unknown is not None and unknown.reason.endswith("is not allowed here"):
            self.result.problems.append(ParseProblem(
                attr.span, f"variable {name!r}: a default must be a literal value ({unknown.reason}); Terraform "
                           f"refuses it"))
        return value

    def _cli_value(self, raw: str, type_text: Optional[str]) -> Any:
        # primitive (or untyped) variables take the text as a string; complex ones parse it as HCL
        t = (type_text or "string").replace(" ", "")
        if t in ("string", "number", "bool", "any") and not raw.lstrip().startswith(("[", "{")):
            return raw
        try:
            return parse_hcl_value(raw)
        except EvalError as exc:
            return Unknown(str(exc))

    def _read_tfvars(self, path: Path, entries: Optional[dict] = None, shown: Optional[str] = None) -> dict:
        """The file's values; `entries` gets {name: (Attribute, HclFile) or None for JSON} for provenance."""
        display = path.as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.result.problems.append(ParseProblem(Span.point(display, 1), f"cannot read {display}: {exc}"))
            return {}
        values, problems, parsed = tfvars_values(data, display)
        self.result.problems.extend(problems)
        if entries is not None and parsed is None:
            entries.update({name: None for name in values})
        elif entries is not None:
            named = parse_hcl(data, posixpath.normpath(shown)) if shown and shown != display else parsed
            entries.update({name: (attr, named) for name, attr in named.body.attributes.items()})
        return values

    # -- evaluation ---------------------------------------------------------------------------------
    def evaluator(self, hf: HclFile) -> ExprEvaluator:
        return ExprEvaluator(hf.source, self.resolve, self._on_ref, self._quiet, getattr(self, "file_reader", None))

    @contextmanager
    def _quiet(self):
        """References met in here are no graph edges (a conditional's result that is not taken)."""
        outer, self._ref_sink = self._ref_sink, None
        try:
            yield
        finally:
            self._ref_sink = outer

    def _eval_in(self, attr, hf: HclFile, scope: dict) -> Any:
        return self.evaluator(hf).eval(attr.expr, scope)

    def _on_ref(self, ref) -> None:
        if self._ref_sink is not None:
            self._ref_sink.add(ref)

    def resolve(self, name: str, steps: Steps, scope: dict, ev: ExprEvaluator) -> Any:
        if name in scope:
            return traverse(scope[name], steps)
        first = steps[0][1] if steps and steps[0][0] == "attr" else None
        rest = Steps(steps[1:])
        if name == "var":
            if first not in self.variables:
                return Unknown(f"error: undeclared variable var.{first}")
            value = self.var_values[first] if first in self.var_values else self._given_variable(first)
            if self._ref_sink is not None:
                self._ref_sink.add(self._var_mark(first, value))  # what the attribute holds for this value only
                if first in self.var_refs:
                    self._ref_sink |= self.var_refs[first]
            return traverse(value, rest)
        if name == "local":
            return traverse(self._local(first), rest)
        if name == "count":
            return scope.get("count.index", Unknown("count.index outside a counted resource"))
        if name == "each":
            key = "each." + (first or "")
            return traverse(scope.get(key, Unknown(f"{key} outside a for_each resource")), rest)
        if name == "path":
            if first == "module":
                return self.display_dir or "."
            if first in ("root", "cwd"):
                return self.root_display or "."
            return Unknown(f"path.{first}")
        if name == "terraform":
            if first != "workspace":
                return Unknown(f"terraform.{first} is known only when Terraform runs")
            if not self.workspace.known:
                return Unknown(self.workspace.source)
            self.result.workspace = self.workspace
            self._on_ref(WORKSPACE_READ)  # the attribute reading it holds in this workspace only (fixes)
            return traverse(self.workspace.name, rest)
        if name == "self":
            return Unknown("self is known only after apply")
        if name == "data":
            if len(steps) >= 2:
                address = f"data.{steps[0][1]}.{steps[1][1]}"
                attr = steps[2][1] if len(steps) > 2 and steps[2][0] == "attr" else None
                self._on_ref((self.prefix + address, attr))
                refs = frozenset({(self.prefix + address, attr)})
                token = _az_token(self.prefix + address, steps, refs)
                if token is not None:
                    return token
                if self._whole_zone_list(address, steps):
                    return AzList(self.prefix + address, refs, f"{address} lists the Region's Availability Zones at "
                                                               f"plan time")
                document = self._policy_document(address, steps, refs)
                if document is not None:
                    return document
                return Unknown(f"{address} is read at plan time", refs)
            return Unknown("data source")
        if name == "module":
            return self.module_output(first, rest)
        if first is not None:
            return self._resource_ref(name, first, rest)
        return Unknown(f"error: unknown name {name!r}")

    def _var_mark(self, name: str, value: Any) -> tuple:
        """The sink marker of a read of var.NAME, built once per variable: it says the value for the fix's reason."""
        mark = self._var_marks.get(name)
        if mark is None:
            shown = json.dumps(value) if isinstance(value, (str, int, float, bool)) and len(str(value)) <= 40 else None
            mark = self._var_marks[name] = (VAR_READ, f"var.{name} ({shown} here)" if shown else f"var.{name}")
        return mark

    def _policy_document(self, address: str, steps: Steps, refs: frozenset) -> Optional[PolicyDocument]:
        """`data.aws_iam_policy_document.x.json` (or `x[i].json`): Terraform renders the JSON at plan time; rlint
        keeps it undecided but reads who each statement lets do what, for the rules that ask that."""
        if steps[0][1] != "aws_iam_policy_document" or self._reading_type not in self._POLICY_READERS:
            return None
        rest = list(steps[2:])
        index = rest.pop(0)[1] if rest and rest[0][0] == "index" else None
        if rest not in ([("attr", "json")], [("attr", "minified_json")]):
            return None
        found = self.resource_blocks.get(address)
        if found is None:
            return None
        key = (address, index if isinstance(index, (int, str)) else None)
        if key not in self._policy_documents:
            self._policy_documents[key] = None  # a document built from itself stays a plain unknown
            self._policy_documents[key] = self._policy_statements(*found, index)
        statements = self._policy_documents[key]
        return None if statements is None else PolicyDocument(f"{address} is read at plan time", refs, statements)

    _POLICY_MERGES = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")
    # the resources whose policies a rule reads (the data-value model's log buckets); elsewhere a document stays a
    # plain unknown, so IAM role policies cost no evaluation
    _POLICY_READERS = frozenset({"aws_s3_bucket_policy", "aws_s3_bucket", MODULE_ARGUMENTS})

    def _policy_statements(self, block: Block, hf: HclFile, index: Any) -> Optional[tuple]:
        """Each `statement` as {effect, actions, not_actions, principals, not_principals: [{type, identifiers}]}
        (what is set), or None when the document takes statements from elsewhere that cannot be read here
        (overrides, JSON sources, source documents not read, dynamic blocks) and so cannot be read whole.
        Source documents come first, as Terraform merges them; a statement with a `sid` here would replace the
        source's of that sid, which is not modelled (None)."""
        body = block.body
        if any(b.type == "dynamic" for b in body.blocks):
            return None
        scope: dict = {}
        if "count" in body.attributes:
            scope["count.index"] = index if isinstance(index, int) else Unknown("count.index is undecided")
        if "for_each" in body.attributes:
            scope["each.key"] = index if isinstance(index, str) else Unknown("each.key is undecided")
            scope["each.value"] = Unknown("each.value of a data source is not read")
        statements = []
        with self._quiet():  # reading the document adds no graph edge
            for name in self._POLICY_MERGES:
                if name not in body.attributes:
                    continue
                merged = self._eval_in(body.attributes[name], hf, scope)
                if merged in ([], None, ""):
                    continue  # a merge that merges nothing (`var.policy == null ? [] : [var.policy]`, no policy)
                if name != "source_policy_documents" or not isinstance(merged, list) or \
                        not all(isinstance(d, PolicyDocument) for d in merged):
                    return None  # documents not read here: the whole cannot be read
                if any("sid" in b.body.attributes for b in body.blocks if b.type == "statement"):
                    return None  # a statement of this document with a sid replaces the source's of that sid
                statements.extend(st for d in merged for st in d.statements)  # sources first, as Terraform merges
            for statement in (b for b in body.blocks if b.type == "statement"):
                if any(b.type == "dynamic" for b in statement.body.blocks):
                    return None
                read = {name: self._eval_in(attr, hf, scope) for name, attr in statement.body.attributes.items()
                        if name in ("effect", "actions", "not_actions")}
                for kind in ("principals", "not_principals"):
                    blocks = [b for b in statement.body.blocks if b.type == kind]
                    if blocks:
                        read[kind] = [{name: self._eval_in(attr, hf, scope) for name, attr in b.body.attributes.items()
                                       if name in ("type", "identifiers")} for b in blocks]
                statements.append(read)
        return tuple(statements)

    def _whole_zone_list(self, address: str, steps: Steps) -> bool:
        """`data.aws_availability_zones.x.names` (or `.zone_ids`) as a whole, from a data source that excludes
        no zone: every zone of the Region, in a fixed order."""
        if len(steps) != 3 or steps[0][1] != "aws_availability_zones" or steps[2] not in (("attr", "names"),
                                                                                       ("attr", "zone_ids")):
            return False
        found = self.resource_blocks.get(address)
        if found is None:
            return False
        body = found[0].body
        return not any(name in body.attributes for name in ("exclude_names", "exclude_zone_ids")) and \
            not any(b.type in ("filter", "dynamic") for b in body.blocks)

    def module_output(self, module_name: Optional[str], steps: Steps) -> Any:
        """Module calls are resolved by the module-aware evaluator; here their outputs are unknown."""
        address = f"module.{module_name}"
        self._on_ref((self.prefix + address, None))
        return Unknown(f"output of {address} is not evaluated", frozenset({(self.prefix + address, None)}))

    def _local(self, name: Optional[str]) -> Any:
        if name not in self.local_attrs:
            return Unknown(f"error: undeclared local.{name}")
        if name in self.local_cache:
            if self._ref_sink is not None:
                self._ref_sink |= self.local_refs[name]
            return self.local_cache[name]
        key = ("local", name)
        if key in self._in_progress:
            return Unknown(f"local.{name} refers to itself")
        self._in_progress.add(key)
        outer_sink, self._ref_sink = self._ref_sink, set()
        try:
            attr, hf = self.local_attrs[name]
            value = self._eval_in(attr, hf, {})
            refs = self._ref_sink
        finally:
            self._in_progress.discard(key)
            self._ref_sink = outer_sink
        self.local_cache[name] = value
        self.local_refs[name] = refs
        if self._ref_sink is not None:
            self._ref_sink |= refs
        return value

    def _resource_ref(self, rtype: str, rname: str, steps: Steps) -> Any:
        block_key = f"{rtype}.{rname}"
        if steps and steps[0][0] == "splat":
            each, after = split_splat(steps)
            one = self._one_of_splat(rtype, rname, each, after)
            if one is not None:
                return one
            every = self._splat_of_instances(rtype, rname, each)
            if every is not None:
                return traverse(every, after)
        if not steps:
            # the whole counted resource is the list of its instances, as long as Terraform knows at plan time
            # (`length(aws_subnet.private)` is a number then), each an object known only after apply
            every = self._whole_counted(rtype, rname)
            if every is not None:
                return every
        instance_key = None
        rest = steps
        if rest and rest[0][0] == "index":
            instance_key = rest[0][1]
            rest = Steps(rest[1:])
        attr = rest[0][1] if rest and rest[0][0] == "attr" else None
        target = self.prefix + block_key
        if instance_key is not None and not isinstance(instance_key, Unknown):
            target += f"[{json.dumps(instance_key)}]"
        self._on_ref((target, attr))
        refs = frozenset({(target, attr)})
        found = self.resource_blocks.get(block_key)
        if found is None:
            if self.unread:
                names = ", ".join(posixpath.basename(d) for d in self.unread[:3])
                more = f" and {len(self.unread) - 3} more" if len(self.unread) > 3 else ""
                return Unknown(f"{block_key} is not declared in the files of this module rlint could read "
                               f"({names}{more} could not be read, RL001)", refs)
            return Unknown(f"{block_key} is not declared in this module", refs)
        if attr is None:
            return Unknown(f"{block_key} is known only after apply", refs)
        block, hf = found
        literal = block.body.attributes.get(attr)
        if literal is None or attr in META_ARGUMENTS:
            return Unknown(f"{block_key}.{attr} is known only after apply", refs)
        cache_key = (block_key, attr, json.dumps(instance_key, default=str))
        if cache_key in self._attr_cache:
            value = self._attr_cache[cache_key]
        elif cache_key in self._in_progress:
            return Unknown(f"{block_key}.{attr} refers to itself", refs)
        else:
            self._in_progress.add(cache_key)
            try:
                scope = self._instance_scope_for_key(block, hf, instance_key)
                value = self._eval_in(literal, hf, scope) if scope is not None else Unknown("instance unknown")
            finally:
                self._in_progress.discard(cache_key)
            self._attr_cache[cache_key] = value
        if isinstance(value, AzToken) and len(rest) == 1:
            return AzToken(value.source, value.index, value.refs | refs)  # keep the zone's identity
        if isinstance(value, AzWrapped) and len(rest) == 1:
            return AzWrapped(value.source, value.index, value.refs | refs, value.reason)
        if isinstance(value, Unknown):
            return Unknown(value.reason, value.refs | refs)
        return traverse(value, Steps(rest[1:]))

    def _one_of_splat(self, rtype: str, rname: str, each: Steps, after: Steps) -> Any:
        """`aws_eip.nat.*.id[count.index]` is `aws_eip.nat[count.index].id` (the splat of a counted resource
        lists its instances in index order): a reference to that one instance, not to all. None otherwise."""
        found = self.resource_blocks.get(f"{rtype}.{rname}")
        if found is None or not after or after[0][0] != "index" or "for_each" in found[0].body.attributes:
            return None
        index = after[0][1]
        if isinstance(index, bool) or not isinstance(index, int):
            return None
        if "count" in found[0].body.attributes:
            return self._resource_ref(rtype, rname, Steps([("index", index)] + list(each) + list(after[1:])))
        return self._resource_ref(rtype, rname, Steps(list(each) + list(after[1:]))) if index == 0 else None

    def _whole_counted(self, rtype: str, rname: str) -> Optional[list]:
        """`aws_subnet.private` of a resource with `count`: one reference per instance when their number is known,
        else None (a resource without count is one object; one with for_each a map keyed as Terraform keys it)."""
        found = self.resource_blocks.get(f"{rtype}.{rname}")
        if found is None or "count" not in found[0].body.attributes:
            return None
        return self._splat_of_instances(rtype, rname, Steps([]))

    def _splat_of_instances(self, rtype: str, rname: str, steps: Steps) -> Optional[list]:
        """`aws_subnet.private[*].id`: one value per instance when the number of instances is known (as it is
        to Terraform at plan time), each a reference to its own instance. None when it is not (or for_each)."""
        found = self.resource_blocks.get(f"{rtype}.{rname}")
        if found is None or "for_each" in found[0].body.attributes:
            return None
        block, hf = found
        if "count" not in block.body.attributes:
            return [self._resource_ref(rtype, rname, steps)]  # a splat of one object is a list of one
        key = ("count", rtype, rname)
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            instances = self.instances(block, hf)
        finally:
            self._in_progress.discard(key)
        if any(unknown for _suffix, _scope, unknown in instances):
            return None
        return [self._resource_ref(rtype, rname, Steps([("index", scope["count.index"])] + list(steps)))
                for _suffix, scope, _unknown in instances]

    def _instance_scope_for_key(self, block: Block, hf: HclFile, key) -> Optional[dict]:
        attrs = block.body.attributes
        if "count" in attrs:
            return {"count.index": key if isinstance(key, int) else Unknown("count.index")}
        if "for_each" in attrs:
            coll = self._eval_in(attrs["for_each"], hf, {})
            if isinstance(coll, dict) and key in coll:
                return {"each.key": key, "each.value": coll[key]}
            if isinstance(coll, list) and key in coll:
                return {"each.key": key, "each.value": key}
            return {"each.key": Unknown("each.key"), "each.value": Unknown("each.value")}
        return {}

    # -- provenance ---------------------------------------------------------------------------------
    def attribute_origins(self, attr, hf: HclFile) -> Optional[tuple]:
        """Where the value of a resource attribute that reads a variable or a local is written: (Origin, ...)
        from the first hop to the last. None for a literal (written right there) and for what is computed."""
        key = id(attr)
        if key not in self._origin_cache:
            found = None
            expr = attr.expr
            # only `var.` and `local.` references are followed: an expression whose text holds neither word is
            # settled without reading its tree (most attributes: literals and resource references)
            if hf.source.find(b"var", expr.start_byte, expr.end_byte) >= 0 or \
                    hf.source.find(b"local", expr.start_byte, expr.end_byte) >= 0:
                ref = reference(expr)  # None for a literal too: no need to walk a literal's whole tree first
                if ref is not None and ref[1] and isinstance(ref[1][0], str):
                    found = self._follow(ref[0], ref[1][0], ref[1][1:], 0)
            self._origin_cache[key] = found
        return self._origin_cache[key]

    def _follow(self, root: str, name: str, keys: tuple, depth: int) -> Optional[tuple]:
        if depth > 16:
            return (Origin("computed", f"{root}.{name}"),)
        if root == "local" and name in self.local_attrs:
            attr, hf = self.local_attrs[name]
            return self._hop("local", f"local.{name}", attr.expr, hf, keys, depth)
        if root != "var" or name not in self.variables:
            return None
        block, hf = self.variables[name]
        default = block.body.attributes.get("default")
        if self.caller is not None:
            caller, arguments, address = self.caller
            if name in arguments:
                attr, chf = arguments[name]
                return caller._hop("module argument", f"{address}.{name}", attr.expr, chf, keys, depth)
        else:
            source = self.var_sources.get(name)
            if source is not None and source[0] in ("environment", "--var"):
                return (Origin(source[0], source[1], keys=keys),)
            if source is not None and source[0] == "tfvars":
                _kind, display, entry, detail = source
                if entry is None:  # a JSON tfvars file: its entries have no positions here
                    return (Origin("tfvars", f"var.{name}", Span.point(display, 1), keys=keys, detail=detail),)
                attr, thf = entry
                return self._hop("tfvars", f"var.{name}", attr.expr, thf, keys, depth, detail)
        if default is not None:
            return self._hop("variable default", f"var.{name}", default.expr, hf, keys, depth)
        return (Origin("no value", f"var.{name}", block.span, keys=keys),)

    def _hop(self, kind: str, name: str, node, hf: HclFile, keys: tuple, depth: int, detail: str = "") -> tuple:
        """The hop at expression `node`, then the hops its value comes from."""
        entered = keys
        while keys and member(node, keys[0]) is not None:
            node, keys = member(node, keys[0]), keys[1:]
        span = node_span(hf.path, node)
        if keys and (is_literal(node) or is_object(node)):
            # the key is not written (an object without it: a type's optional default applies)
            return (Origin("missing", name, span, keys=keys, detail=detail),)
        if is_literal(node):
            return (Origin(kind, name, span, written=True, detail=detail, path=entered),)
        head = Origin(kind, name, span, keys=keys, detail=detail)
        ref = reference(node)
        if ref is not None and ref[1] and isinstance(ref[1][0], str):
            rest = self._follow(ref[0], ref[1][0], ref[1][1:] + keys, depth + 1)
            if rest is not None:
                return (head,) + rest
        text = hf.source[node.start_byte:node.end_byte].decode(errors="replace")
        return (head, Origin("computed", text if len(text) <= 60 else text[:57] + "...", span))

    # -- resources ----------------------------------------------------------------------------------
    def instances(self, block: Block, hf: HclFile) -> list:
        """[(address suffix, scope)] for a resource block after count/for_each; [] when it is removed."""
        attrs = block.body.attributes
        if "count" in attrs:
            n = count_value(self._eval_in(attrs["count"], hf, {}))
            if isinstance(n, Unknown):
                return [("", {"count.index": Unknown(f"count is unknown: {n.reason}")}, True)]
            if n > MAX_INSTANCES:
                return [("", {"count.index": Unknown(f"count = {n} is over the expansion limit")}, True)]
            return [(f"[{i}]", {"count.index": i}, False) for i in range(max(n, 0))]
        if "for_each" in attrs:
            coll = self._eval_in(attrs["for_each"], hf, {})
            if isinstance(coll, dict) and first_unknown(list(coll.keys())) is None:
                items = list(coll.items())
            elif isinstance(coll, list) and all(isinstance(k, str) for k in coll):
                items = [(k, k) for k in sorted(set(coll))]
            else:
                reason = coll.reason if isinstance(coll, Unknown) else "for_each is not a map or set of strings"
                unknown = Unknown(f"for_each is unknown: {reason}")
                return [("", {"each.key": unknown, "each.value": unknown}, True)]
            if len(items) > MAX_INSTANCES:
                unknown = Unknown(f"for_each over {len(items)} items is over the expansion limit")
                return [("", {"each.key": unknown, "each.value": unknown}, True)]
            return [(f"[{json.dumps(k)}]", {"each.key": k, "each.value": v}, False) for k, v in items]
        return [("", {}, False)]

    def evaluate_resources(self) -> ModuleResult:
        for key, (block, hf) in self.resource_blocks.items():
            if key.startswith("data."):
                continue
            rtype, rname = block.labels[0], block.labels[1]
            block_address = self.prefix + key
            for suffix, scope, unknown_expansion in self.instances(block, hf):
                origins: dict = {}
                self._reading_type = rtype
                try:
                    attrs, spans, refs = self._evaluate_body(block.body, hf, scope, (), origins)
                finally:
                    self._reading_type = None
                count_attr = block.body.attributes.get("count")
                if count_attr is not None:  # a fix may change the number of instances where it is written
                    spans[("count",)] = count_attr.span
                    chain = self.attribute_origins(count_attr, hf)
                    if chain:
                        origins[("count",)] = chain
                header = Span(block.span.file, block.span.line, block.span.column, block.span.line,
                              block.span.column + len(block.type))
                res = Resource(address=block_address + suffix, type=rtype, format="terraform", attrs=attrs,
                               span=header, attr_spans=spans, block_address=block_address, refs=refs,
                               end_span=block.span)
                res.meta.update(self._resource_meta(block, hf, rname, suffix, unknown_expansion))
                if unknown_expansion:  # why the instances are not known, for `rlint graph`
                    res.meta["expansion_reason"] = next(v.reason for v in scope.values() if isinstance(v, Unknown))
                elif getattr(self, "module_expansion", None):  # the module call's instances are not known
                    res.meta["expansion_unknown"] = True
                    res.meta["expansion_reason"] = self.module_expansion
                by_workspace = origins.pop(BY_WORKSPACE, None)
                if by_workspace:  # attribute paths whose value terraform.workspace chooses (a fix keeps them)
                    res.meta["by_workspace"] = by_workspace
                by_variable = origins.pop(BY_VARIABLE, None)
                if by_variable:  # ((attribute path, variables), ...) computed from inputs (a fix keeps them too)
                    # most resources have some (`tags = merge(var.tags, ...)`, `name = "${var.name}-db"`), and
                    # the blocks of a module share them: one tuple each, not a dict per resource
                    shared = self._var_marks
                    found = tuple(shared.setdefault(pair, pair) for pair in sorted(by_variable.items(), key=str))
                    res.meta["by_variable"] = shared.setdefault(found, found)
                if origins:
                    res.meta["origins"] = origins  # attribute path -> (Origin, ...): where its value is written
                reads = self._data_reads_of(refs)
                if reads:
                    res.meta["data_reads"] = reads
                if rtype in STACK_TYPES:  # a template from a file, evaluated with the unit (terraform_stacks)
                    source = stack_source(self, block, hf, scope, res.address)
                    if source is not None:
                        res.meta["stack_template"] = source
                self.result.resources.append(res)
        return self.result

    def _resource_meta(self, block: Block, hf: HclFile, rname: str, suffix: str, unknown_expansion: bool) -> dict:
        attrs = block.body.attributes
        expansion = "count" if "count" in attrs else "for_each" if "for_each" in attrs else None
        meta: dict = {"name": rname, "instance_key": suffix, "module_dir": self.display_dir,
                      "expansion_unknown": unknown_expansion, "expansion": expansion}
        if expansion:  # as written: what a fix gives the resources it adds for each instance
            expr = attrs[expansion].expr
            meta["expansion_expr"] = hf.source[expr.start_byte:expr.end_byte].decode(errors="replace")
            condition = self._count_condition(expr) if expansion == "count" else None
            if condition is not None:
                meta["count_condition"] = condition
        provider_attr = block.body.attributes.get("provider")
        provider = hf.source[provider_attr.expr.start_byte:provider_attr.expr.end_byte].decode().strip() \
            if provider_attr else block.labels[0].split("_")[0]
        meta["provider"] = sys.intern(provider)  # "aws" for almost every resource: one string, not one each
        meta.update(self._provider_meta(provider))
        return meta

    def _data_reads_of(self, refs: list) -> dict:
        """{data source address: (resource address, ...)} for the data sources `refs` name whose arguments name
        resources of this module, directly or through other data sources: what a looked-up value belongs to
        (`target_id = data.aws_network_interface.x.private_ip`, an interface of `aws_vpc_endpoint.y`)."""
        out = {}
        start = self.prefix + "data."
        for _path, target, _attr in refs:
            if target.startswith(start) and target not in out:
                reads = self._data_reads(target[len(self.prefix):], frozenset())
                if reads:
                    out[target] = tuple(self.prefix + address for address in sorted(reads))
        return out

    def _data_reads(self, key: str, seen: frozenset) -> frozenset:
        cache_key = (self.display_dir, key)
        cached = self._data_read_cache.get(cache_key)
        if cached is not None:
            return cached
        if key in seen:  # a cycle (Terraform rejects one): nothing more, and nothing cached on the way
            return frozenset()
        found = self.resource_blocks.get(key)
        reads: set = set()
        if found is not None:
            for address in block_references(found[0]):
                if address.startswith("data."):
                    reads |= self._data_reads(address, seen | {key})
                elif address in self.resource_blocks:
                    reads.add(address)
        cached = self._data_read_cache[cache_key] = frozenset(reads)
        return cached

    def _count_condition(self, expr) -> Optional[tuple]:
        """For `count = local.x ? n : m`: (`local.x`, the text of the expression that local holds, following
        locals that only name another local), so the data-value model can read in which environments the
        resource exists (`local.is_dev = var.env == "dev"`). None for any other count."""
        test = conditional_test(expr)
        name, text = None, None
        for _hop in range(16):
            ref = reference(test) if test is not None else None
            if ref is None or ref[0] != "local" or len(ref[1]) != 1 or ref[1][0] not in self.local_attrs:
                break
            name = name or f"local.{ref[1][0]}"
            attr, hf = self.local_attrs[ref[1][0]]
            test = unwrap(attr.expr)
            text = hf.source[test.start_byte:test.end_byte].decode(errors="replace")
        return (name, text) if name is not None else None

    def _provider_meta(self, provider: str) -> dict:
        """The provider's region and default tags, evaluated once per module rather than once per resource."""
        if provider in self._provider_cache:
            return self._provider_cache[provider]
        out: dict = {}
        found = self.providers.get(provider)
        if found is not None:
            pblock, phf, owner = found  # a provider passed down from a caller is evaluated in the caller
            region_attr = pblock.body.attributes.get("region")
            if region_attr is not None:
                out["provider_region"] = owner._eval_in(region_attr, phf, {})
            default_tags = [b for b in pblock.body.blocks if b.type == "default_tags"]
            if default_tags and "tags" in default_tags[0].body.attributes:
                out["default_tags"] = owner._eval_in(default_tags[0].body.attributes["tags"], phf, {})
        self._provider_cache[provider] = out
        return out

    def _evaluate_body(self, body, hf: HclFile, scope: dict, path: tuple, origins: Optional[dict] = None):
        attrs: dict = {}
        spans: dict = {}
        refs: list = []
        origins = {} if origins is None else origins
        ev = self.evaluator(hf)
        for name, attr in body.attributes.items():
            if name in ("count", "for_each", "depends_on", "provider"):
                continue
            sink: set = set()
            outer, self._ref_sink = self._ref_sink, sink
            try:
                value = ev.eval(attr.expr, scope)
            finally:
                self._ref_sink = outer
            attrs[name] = value
            at = shared_path(path + (name,))
            spans[at] = attr.span
            chain = self.attribute_origins(attr, hf)
            if chain:
                origins[at] = chain
            if WORKSPACE_READ in sink:
                sink.discard(WORKSPACE_READ)
                origins.setdefault(BY_WORKSPACE, set()).add(at)
            read = sorted({mark for mark in sink if mark[0] == VAR_READ}) if sink else ()
            if read:
                sink.difference_update(read)
                if not chain:  # a value computed here from inputs (`var.env == "prod" ? 14 : 1`), not one written
                    names = tuple(text for _tag, text in read)
                    origins.setdefault(BY_VARIABLE, {})[at] = self._var_marks.setdefault(names, names)
            refs.extend((at, target, tattr) for target, tattr in sorted(sink, key=str))
            refs.extend((at, t, a) for t, a in sorted(collect_refs(value) - sink, key=str))
        counters: dict = {}
        for block in body.blocks:
            if block.type == "dynamic":
                self._expand_dynamic(block, hf, scope, path, attrs, spans, refs, counters)
                continue
            if block.type in ("provisioner", "connection"):
                continue
            i = counters.get(block.type, 0)
            counters[block.type] = i + 1
            sub_attrs, sub_spans, sub_refs = self._evaluate_body(block.body, hf, scope, path + (block.type, i), origins)
            existing = attrs.setdefault(block.type, [])
            if isinstance(existing, list):
                existing.append(sub_attrs)
            elif isinstance(existing, Unknown):  # written after an undecided dynamic block of its type
                attrs[block.type] = _with_known(existing, sub_attrs)
            spans[shared_path(path + (block.type, i))] = block.span
            spans.setdefault(shared_path(path + (block.type,)), block.span)
            spans.update(sub_spans)
            if i == 0:  # logical attributes name nested settings without the block index
                for sub_path, span in sub_spans.items():
                    logical = shared_path(sub_path[:len(path) + 1] + sub_path[len(path) + 2:])
                    spans.setdefault(logical, span)
                    if sub_path in origins:
                        origins.setdefault(logical, origins[sub_path])
                    if sub_path in origins.get(BY_WORKSPACE, ()):
                        origins[BY_WORKSPACE].add(logical)
                    if sub_path in origins.get(BY_VARIABLE, ()):
                        origins[BY_VARIABLE].setdefault(logical, origins[BY_VARIABLE][sub_path])
            refs.extend(sub_refs)
        return attrs, spans, refs

    def _expand_dynamic(self, block, hf, scope, path, attrs, spans, refs, counters) -> None:
        if not block.labels:
            return
        name = block.labels[0]
        for_each = block.body.attributes.get("for_each")
        iterator_attr = block.body.attributes.get("iterator")
        iterator = hf.source[iterator_attr.expr.start_byte:iterator_attr.expr.end_byte].decode().strip() \
            if iterator_attr else name
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if for_each is None or content is None:
            return
        coll = self._eval_in(for_each, hf, scope)
        spans.setdefault(path + (name,), block.span)
        if isinstance(coll, Unknown) or not isinstance(coll, (list, dict)):
            reason = f"dynamic {name!r} blocks: " + (coll.reason if isinstance(coll, Unknown) else
                                                    "for_each is not a collection")
            refs_of = coll.refs if isinstance(coll, Unknown) else frozenset()
            # the blocks written out beside it exist whatever the dynamic block adds: keep them as known
            existing = attrs.get(name)
            known = tuple(existing) if isinstance(existing, list) else \
                existing.known if isinstance(existing, SomeBlocks) else ()
            attrs[name] = SomeBlocks(reason, refs_of, known) if known else Unknown(reason, refs_of)
            return
        items = list(coll.items()) if isinstance(coll, dict) else list(enumerate(coll))
        for key, value in items:
            inner = dict(scope)
            inner[iterator] = {"key": key, "value": value}
            i = counters.get(name, 0)
            counters[name] = i + 1
            sub_attrs, sub_spans, sub_refs = self._evaluate_body(content.body, hf, inner, path + (name, i))
            existing = attrs.setdefault(name, [])
            if isinstance(existing, list):
                existing.append(sub_attrs)
            elif isinstance(existing, Unknown):  # after an undecided dynamic block of the same type
                attrs[name] = _with_known(existing, sub_attrs)
            spans[path + (name, i)] = block.span
            spans.update(sub_spans)
            refs.extend(sub_refs)


def _with_known(blocks: Unknown, block: dict) -> SomeBlocks:
    """Undecided blocks of a type (a dynamic block's) with one more block that certainly exists."""
    known = blocks.known if isinstance(blocks, SomeBlocks) else ()
    return SomeBlocks(blocks.reason, blocks.refs, known + (block,))


def _shown(path: Path) -> str:
    """A file given by path, as reports show files: relative to the working directory when below it (a
    deployment's var file is given absolute)."""
    if path.is_absolute():
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path.as_posix()


def count_value(n):
    """`count` as Terraform reads it: a whole number, converted from a string ("0" is no instance); anything
    else (a bool, null, a fraction, a negative number) is Terraform's error, so Unknown."""
    if isinstance(n, Unknown):
        return n
    try:
        number = _num(n) if n is not None else None
    except EvalError:
        number = None
    if number is None or number != int(number) or number < 0:
        return Unknown(f"error: count is {n!r}, not a whole number of instances")
    return int(number)


# a module called from many root modules (every example of a module repository) is parsed once
_parse_cached = SharedParses(parse_hcl)


def _az_token(address: str, steps: Steps, refs: frozenset) -> Optional[AzToken]:
    """`data.aws_availability_zones.x.names[i]` (or `.zone_ids[i]`, the same zone) with a known index."""
    if len(steps) != 4 or steps[0][1] != "aws_availability_zones" or steps[2] not in (("attr", "names"),
                                                                                   ("attr", "zone_ids")):
        return None
    kind, index = steps[3]
    if kind != "index" or isinstance(index, (bool, Unknown)) or not isinstance(index, (int, float)) \
            or index < 0 or index != int(index):
        return None
    return AzToken(address, int(index), refs)


"""The rule framework: logical attributes, rules, the context rules read through, results and fixes.

A rule is written once for Terraform and CloudFormation. It reads *logical attributes* (`Attr`), each
spelled once per format with that format's documented default, and returns `fail` or `unknown` results
naming the resource, the attribute and a fix in logical terms. Rules never see parsers, positions or
suppressions: the engine resolves an attribute to its span and applies suppressions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Iterator, Optional

from rlint.graph import ResourceGraph
from rlint.lazy_regex import lazy_regex
from rlint.model import MISSING, Outcome, Resource, Severity, Unknown

TERRAFORM = "terraform"
CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True)
class Attr:
    """One logical setting: its dotted path in each format and each format's default when it is absent.

    `terraform` is a path in the resource body ("multi_az", "lifecycle.prevent_destroy"); nested blocks are
    followed through their first instance. `cloudformation` is a path in the resource entry
    ("Properties.MultiAZ", "DeletionPolicy"). None means the format has no such setting.
    """

    name: str
    terraform: Optional[str]
    cloudformation: Optional[str]
    tf_default: Any = MISSING
    cfn_default: Any = MISSING
    # earlier AWS provider spellings (removed in 5.0, see rules/attrs/provider_renames.py): read when the current
    # one is absent, and edited in place by fixes, never doubled by the new name beside them
    tf_legacy: tuple = ()

    def path(self, fmt: str) -> Optional[tuple]:
        spelled = self.terraform if fmt == TERRAFORM else self.cloudformation
        return tuple(spelled.split(".")) if spelled else None

    def paths(self, fmt: str) -> tuple:
        """Every spelling read in `fmt`: the current one first, then the legacy ones."""
        return self._tf_paths if fmt == TERRAFORM else self._cfn_paths

    @cached_property
    def _tf_paths(self) -> tuple:
        current = self.path(TERRAFORM)
        return () if current is None else (current,) + tuple(tuple(p.split(".")) for p in self.tf_legacy)

    @cached_property
    def _cfn_paths(self) -> tuple:
        current = self.path(CLOUDFORMATION)
        return () if current is None else (current,)

    def path_in(self, res: Resource) -> Optional[tuple]:
        """The spelling this resource uses (the one it writes, else the one its provider version takes)."""
        paths = self.paths(res.format)
        if len(paths) < 2:
            return paths[0] if paths else None
        for path in paths:
            value = lookup(res.attrs, path)
            if value is not MISSING and value is not None:
                return path
        from rlint.rules.attrs.provider_renames import writes_legacy_names

        return paths[1] if writes_legacy_names(res) else paths[0]

    def spelled_in(self, res: Resource) -> str:
        """The attribute's name as this resource's own file spells it (or would)."""
        path = self.path_in(res)
        if path is None:
            return self.name
        if res.format == CLOUDFORMATION and path[0] == "Properties" and len(path) > 1:
            path = path[1:]
        return ".".join(path)

    def default(self, fmt: str) -> Any:
        return self.tf_default if fmt == TERRAFORM else self.cfn_default

    def spelling(self, fmt: str) -> str:
        spelled = self.terraform if fmt == TERRAFORM else self.cloudformation
        if not spelled:
            return self.name
        return spelled.split(".", 1)[1] if fmt == CLOUDFORMATION and spelled.startswith("Properties.") else spelled


@dataclass(frozen=True)
class EntryAttr(Attr):
    """An attribute inside the n-th entry of a nested list, with the exact path (indices included) per format."""

    tf_path: Optional[tuple] = None
    cfn_path: Optional[tuple] = None

    def path(self, fmt: str) -> Optional[tuple]:
        return self.tf_path if fmt == TERRAFORM else self.cfn_path


def entry_attr(res: Resource, path: tuple) -> EntryAttr:
    """An EntryAttr for a path in the resource's own format, named by its last key."""
    dotted = ".".join(str(p) for p in path)
    if res.format == TERRAFORM:
        return EntryAttr(str(path[-1]), dotted, None, tf_path=path)
    return EntryAttr(str(path[-1]), None, dotted, cfn_path=path)


# -- fixes in logical terms ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SetAttribute:
    """Set (or replace) an attribute; for nested paths the enclosing blocks/maps are created. `target`:
    another resource of the unit to change (the finding's own resource when None), e.g. the execution
    role a dead-letter queue needs a permission on."""

    attr: Attr
    value: Any
    target: Optional[Resource] = None


@dataclass(frozen=True)
class AppendItem:
    """Add an item at the end of a list setting (a single value becomes a list of two; an absent setting a
    list of one): a policy statement, a DependsOn entry."""

    attr: Attr
    item: Any
    target: Optional[Resource] = None


@dataclass(frozen=True)
class AddResource:
    """A resource that is missing rather than misconfigured. `kind` "provider" adds a Terraform provider
    block instead (`type` is the provider, `name` its alias), "variable" a Terraform variable (`name`). Additions with the same kind, type and name
    from several findings are written once, their list attributes concatenated (one backup selection
    listing every uncovered resource)."""

    type: str
    name: str
    attrs: dict
    kind: str = "resource"
    # CloudFormation resource attributes beside Properties: {"DeletionPolicy": "Retain", ...}
    resource_attributes: tuple = ()
    # one for the whole module or template (a backup plan every uncovered resource shares), as opposed to
    # one per resource it serves (a queue's dead-letter queue: one per instance of a counted queue)
    shared: bool = False


@dataclass(frozen=True)
class SameAs:
    """A value written the way the resource writes another of its settings (that expression, not its value):
    a second backup rule writing to the first rule's vault. `path` is in the resource's own format."""

    path: tuple


@dataclass(frozen=True)
class RemoveAttribute:
    """Remove a setting so that the service's default (or its own choice) applies."""

    attr: Attr
    target: Optional[Resource] = None


SAFE, REVIEW, DISPLAY_ONLY = "safe", "review", "display-only"
APPLICABILITY = (SAFE, REVIEW, DISPLAY_ONLY)


@dataclass(frozen=True)
class Fix:
    """A fix in logical terms. `safety` is its applicability: `safe` (written by `rlint fix --write`),
    `review` (written with `--unsafe-fixes` too) or `display-only` (shown, never written). A display-only
    fix says why in `manual` ("no automatic fix: <manual>"); its changes, if any, are the snippet that
    would fix the finding once the author has made the decision rlint cannot make."""

    title: str
    changes: tuple = ()
    safety: str = SAFE
    note: str = ""
    manual: str = ""
    # resources that belong in another stack (a vault in another Region): shown, never written
    elsewhere: tuple = ()
    # rule ids of findings the written fix knowingly leaves on what it adds (their fixes need a decision)
    follow_up: tuple = ()

    def __post_init__(self):
        if self.safety not in APPLICABILITY:
            raise ValueError(f"fix safety {self.safety!r} is not one of {APPLICABILITY}")
        if (self.safety == DISPLAY_ONLY) != bool(self.manual):
            raise ValueError("a display-only fix, and only it, says why it is not written (manual=...)")


def keeps_parameters_used(fix: Optional[Fix], res: Resource) -> Optional[Fix]:
    """A fix that removes the only use of a template parameter is shown, not written: the parameter would be
    left unused (cfn-lint W2001), and removing it as well would break every deployment that passes it."""
    if fix is None or fix.safety == DISPLAY_ONLY:
        return fix
    from rlint.rules.graphutil.values import last_uses

    orphans = [p for c in fix.changes if isinstance(c, RemoveAttribute) for p in last_uses(c.target or res, c.attr)]
    if not orphans:
        return fix
    return replace(fix, safety=DISPLAY_ONLY,
                   manual=f"the setting it removes is the only use of parameter {orphans[0]}, which would be left "
                          f"unused; remove the setting, and the parameter once no deployment passes it")


def manual_fix(title: str, why: str, changes: tuple = (), note: str = "", elsewhere: tuple = ()) -> Fix:
    """A fix rlint shows but never writes: `why` completes "no automatic fix: ..."."""
    return Fix(title, tuple(changes), DISPLAY_ONLY, note, why, tuple(elsewhere))


@dataclass
class Result:
    outcome: Outcome
    resource: Resource
    message: str
    attr: Optional[Attr] = None
    fix: Optional[Fix] = None
    # attribute path in the resource's own format when not an Attr (e.g. a nested block index)
    path: Optional[tuple] = None
    # a lower (or higher) severity for this result than the rule's own, e.g. an Aurora global secondary;
    # a severity set in the configuration still wins
    severity: Optional[Severity] = None


class RuleContext:
    """What a rule may read: the graph, its options, and attribute values with per-format defaults."""

    def __init__(self, graph: ResourceGraph, options: Optional[dict] = None, settings: Optional[dict] = None):
        self.graph = graph
        self.options = options or {}
        # configuration sections shared by a family rather than owned by one rule (`dr` for RL7xx)
        self.settings = settings or {}

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)

    def setting(self, section: str) -> dict:
        return self.settings.get(section) or {}

    def get(self, res: Resource, attr: Attr, default: Any = None) -> Any:
        """The attribute's value, its format's default when absent or null, or MISSING."""
        paths = attr.paths(res.format)
        if not paths:
            return MISSING
        value = MISSING
        for path in paths:
            value = lookup(res.attrs, path)
            if value is not MISSING and value is not None:
                break
        if value is MISSING or value is None:
            d = attr.default(res.format)
            if d is MISSING and default is not None:
                return default
            return d
        return value

    def has(self, res: Resource, attr: Attr) -> bool:
        for path in attr.paths(res.format):
            v = lookup(res.attrs, path)
            if v is not MISSING and v is not None:
                return True
        return False


def lookup(value: Any, path: tuple) -> Any:
    """Walk a path through dicts; a list of nested blocks is followed through its first element."""
    for key in path:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, list) and isinstance(key, int):  # an explicit index (a RecordSetGroup entry)
            value = value[key] if -len(value) <= key < len(value) else MISSING
            if value is MISSING:
                return MISSING
            continue
        if isinstance(value, list):
            if not value:
                return MISSING
            value = value[0]
            if isinstance(value, Unknown):
                return value
        if not isinstance(value, dict) or key not in value:
            return MISSING
        value = value[key]
    return value


def describe(value: Any) -> str:
    """A value as a message shows it: `false`, `"EC2"`, `35`, or `not set`."""
    if value is MISSING or value is None:
        return "not set"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


_SECTION = lazy_regex(r"^## (.+)$", re.M)
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Known problems",
                     "Fix safety", "References")


class Rule:
    """Base class. Subclasses set the metadata and implement `check`."""

    id: str = ""
    name: str = ""
    severity: Severity = Severity.MEDIUM
    resource_types: tuple = ()
    checkov_ids: tuple = ()
    # the tfsec/trivy checks this rule answers (AVD id and long name): their ignore comments suppress it
    trivy_ids: tuple = ()
    options: dict = {}  # option name -> default
    graph_rule: bool = False
    # reads the other deployments of its template (ScenarioGraph.alternatives): re-run in the default scenario
    reads_alternatives: bool = False
    # judges a deployment's posture: its failures in one root module or template become one finding (linter/fold.py)
    folds_per_deployment: bool = False

    def check(self, res: Resource, ctx: RuleContext) -> Iterator[Result]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fold_message(self, findings: list) -> str:  # pragma: no cover - folding rules override
        """The message of the one finding that stands for `findings` (a folding rule's failures of one root)."""
        raise NotImplementedError

    def fold_fix_title(self, findings: list) -> str:  # pragma: no cover - folding rules override
        raise NotImplementedError

    # -- helpers for subclasses ---------------------------------------------------------------------
    def fail(self, res: Resource, message: str, at: Optional[Attr] = None, fix: Optional[Fix] = None,
             path: Optional[tuple] = None) -> Result:
        return Result(Outcome.FAIL, res, message, at, keeps_parameters_used(fix, res), path)

    def unknown(self, res: Resource, because: Unknown, at: Optional[Attr] = None, what: str = "",
                path: Optional[tuple] = None, fix: Optional[Fix] = None) -> Result:
        subject = what or (f"`{at.spelling(res.format)}`" if at else "the deciding value")
        return Result(Outcome.UNKNOWN, res, f"{res.address}: {subject} cannot be decided ({because.reason})",
                      at, fix, path)

    # -- metadata -----------------------------------------------------------------------------------
    @classmethod
    def formats(cls) -> tuple:
        fmts = []
        if any(t.startswith("aws_") for t in cls.resource_types):
            fmts.append(TERRAFORM)
        if any(t.startswith("AWS::") for t in cls.resource_types):
            fmts.append(CLOUDFORMATION)
        return tuple(fmts)

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def sections(cls) -> dict:
        text = cls.doc()
        parts = _SECTION().split(text)
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    @classmethod
    def summary(cls) -> str:
        what = cls.sections().get("What it does", "")
        return what.split("\n\n")[0].replace("\n", " ").strip()

    @classmethod
    def references(cls) -> list:
        return re.findall(r"https?://\S+", cls.sections().get("References", ""))

    @classmethod
    def metadata(cls) -> dict:
        return {
            "id": cls.id,
            "name": cls.name,
            "severity": cls.severity.value,
            "formats": list(cls.formats()),
            "resource_types": list(cls.resource_types),
            "summary": cls.summary(),
            "checkov_ids": list(cls.checkov_ids),
            "options": dict(cls.options),
            "references": cls.references(),
            "docs": cls.doc(),
            "fix": cls.fix_summary(),
        }

    @classmethod
    def fix_summary(cls) -> str:
        return cls.sections().get("Fix safety", "").split("\n\n")[0].replace("\n", " ").strip()


@dataclass
class EngineRule:
    """Metadata of the engine's own findings (RL0xx): listed in the catalogue, never run as rules."""

    id: str
    name: str
    severity: Severity
    summary: str
    docs: str = ""  # the documentation, in the sections every rule has (rules.md §0)
    resource_types: tuple = ()
    checkov_ids: tuple = ()
    options: dict = field(default_factory=dict)

    def doc(self) -> str:
        import inspect

        return inspect.cleandoc(self.docs) if self.docs else self.summary

    def sections(self) -> dict:
        parts = _SECTION().split(self.doc())
        return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}

    def references(self) -> list:
        return re.findall(r"https?://\S+", self.sections().get("References", ""))

    def formats(self) -> tuple:
        return (TERRAFORM, CLOUDFORMATION)

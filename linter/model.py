"""The shared vocabulary of rlint: positions, severities, outcomes, unknown values and findings.

This module imports nothing from rlint; every other module may import it.
"""
from __future__ import annotations

import enum
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple, Optional

from .lazy_regex import lazy_regex

_SUB_NAMES = lazy_regex(r"\$\{([A-Za-z0-9_:]+)\}")  # the names an Fn::Sub string reads


class Span(NamedTuple):
    """A region of a file, 1-based lines and columns, end exclusive (the column after the last character).

    A named tuple: parsers make hundreds of thousands of these, and a frozen dataclass costs several times more
    to build.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, file: str, line: int, column: int = 1) -> "Span":
        return cls(file, line, column, line, column)


class Severity(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


class Outcome(str, enum.Enum):
    FAIL = "fail"
    UNKNOWN = "unknown"


_NO_REFS: frozenset = frozenset()
_ONE_REF: dict = {}  # {(address, attribute)} -> that set, shared by every value derived from that one reference


def _shared_refs(refs):
    """No reference or one (most unknown values): one set each for the scan. These sets never change, so the
    table cannot go stale; it holds one entry per reference to a resource attribute."""
    if type(refs) is not frozenset or len(refs) > 1:
        return refs
    return _ONE_REF.setdefault(refs, refs) if refs else _NO_REFS


class Unknown:
    """A value that cannot be decided before deployment, with the reason why.

    `refs` names the resources the value was derived from, as (address, attribute) pairs
    (attribute may be None for a bare reference). References to resources are graph edges
    even though their values are unknown.
    """

    __slots__ = ("reason", "refs")

    def __init__(self, reason: str, refs: frozenset = frozenset()):
        # A scan keeps tens of thousands of these; most repeat a reason ("... is known only at deploy time") and
        # hold no refs. One string per reason and one empty set keep them small, and let a worker process's
        # results reach the parent with one copy of each per batch (pickling shares what is one object).
        self.reason = sys.intern(reason) if type(reason) is str else reason
        self.refs = _shared_refs(refs)

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason and other.refs == self.refs

    def __hash__(self) -> int:
        return hash((self.reason, self.refs))

    def __bool__(self) -> bool:
        raise TypeError("an Unknown value has no truth value; test isinstance(x, Unknown) first")

    def with_refs(self, refs) -> "Unknown":
        return Unknown(self.reason, self.refs | frozenset(refs))


class PartialString(Unknown):
    """A string template whose literal text is known and whose interpolations are not: Terraform
    `"logs.${data.aws_region.current.name}.amazonaws.com"`. Still an Unknown (the whole string is not known),
    but its shape is: `pieces` holds the literal text in order, None where an unknown value goes. Readers that
    only need the literal parts (which service a principal names) can decide from it."""

    __slots__ = ("pieces",)

    def __init__(self, reason: str, refs: frozenset, pieces: tuple):
        super().__init__(reason, refs)
        self.pieces = pieces

    def __repr__(self) -> str:
        return f"PartialString({self.pattern()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialString) and (other.reason, other.refs, other.pieces) == \
            (self.reason, self.refs, self.pieces)

    def __hash__(self) -> int:
        return hash(("PartialString", self.reason, self.refs, self.pieces))

    def with_refs(self, refs) -> "PartialString":
        return PartialString(self.reason, self.refs | frozenset(refs), self.pieces)

    def pattern(self, hole: str = "*") -> str:
        """The template with `hole` where each unknown value goes: `logs.*.amazonaws.com`."""
        return "".join(hole if p is None else p for p in self.pieces)

    @staticmethod
    def of(parts: list, reason: str, refs: frozenset, normalise: Callable = str) -> Unknown:
        """The value of a string template with unknown parts: `parts` holds, in order, its known text (strings)
        and the unknown values in its holes. A PartialString when some text is known, else a plain Unknown;
        `normalise` is applied to each run of known text (Terraform's NFC)."""
        pieces: list = []
        text: list = []
        for part in parts:
            if isinstance(part, str):
                text.append(part)
                continue
            if text:
                pieces.append(normalise("".join(text)))
                text = []
            pieces.append(None)
        if text:
            pieces.append(normalise("".join(text)))
        if any(pieces):  # some text is known: keep the template's shape
            return PartialString(reason, refs, tuple(pieces))
        return Unknown(reason, refs)


class AzToken(Unknown):
    """One Availability Zone known only by its position in a list resolved at deploy or plan time:
    CloudFormation `Fn::Select [i, Fn::GetAZs region]`, Terraform `data.aws_availability_zones.x.names[i]`.

    Still an Unknown (the zone's name is not known), but two tokens of the same `source` with different
    indexes are different zones, and equal tokens are the same zone. `source` names the list:
    "Fn::GetAZs:" + region ("" for the stack's own Region) or the data source address.
    """

    __slots__ = ("source", "index")

    def __init__(self, source: str, index: int, refs: frozenset = frozenset()):
        super().__init__(f"the Availability Zone at index {index} of {source or 'the Region'} is chosen at deploy "
                         f"time", refs)
        self.source = source
        self.index = index

    def __repr__(self) -> str:
        return f"AzToken({self.source!r}, {self.index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AzToken) and (other.source, other.index) == (self.source, self.index)

    def __hash__(self) -> int:
        return hash(("AzToken", self.source, self.index))


class AzWrapped(Unknown):
    """Terraform `element(data.aws_availability_zones.x.names, i)` at a position `i` of 2 or more: element()
    wraps around, so this is the zone at `i` modulo the list's length, which is known only at plan time.

    Not an AzToken (it may be the same zone as a smaller position), but comparable with another position of the
    same list (rules/graphutil/zones.py `same_zone`): the same `i` is the same zone, and `i` and `i + 1` are
    different zones whatever the length (every Region lists at least two).
    """

    __slots__ = ("source", "index")

    def __init__(self, source: str, index: int, refs: frozenset = frozenset(), reason: str = ""):
        super().__init__(reason or f"element() of {source} wraps around a list of unknown length", refs)
        self.source = source
        self.index = index

    def __repr__(self) -> str:
        return f"AzWrapped({self.source!r}, {self.index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AzWrapped) and (other.source, other.index, other.reason) == \
            (self.source, self.index, self.reason)

    def __hash__(self) -> int:
        return hash(("AzWrapped", self.source, self.index, self.reason))


class AzList(Unknown):
    """The whole list of a Region's Availability Zones, known only at deploy or plan time: CloudFormation
    `Fn::GetAZs`, Terraform `data.aws_availability_zones.x.names` of a data source that excludes no zone.
    Every Region lists at least two. Indexing it gives an AzToken of the same `source`."""

    __slots__ = ("source",)

    def __init__(self, source: str, refs: frozenset = frozenset(), reason: str = ""):
        super().__init__(reason or "Fn::GetAZs lists the Region's Availability Zones at deploy time", refs)
        self.source = source


class AzChoice(AzList):
    """The Availability Zones a deployment chooses: a CloudFormation `List<AWS::EC2::AvailabilityZone::Name>`
    parameter without a value (quick starts ask for one). How many is not known, so it is no region-wide list;
    indexing it still gives an AzToken (source `Parameter:<name>`): the same position is the same zone, and
    different positions are different zones, as the console offers each zone once."""

    __slots__ = ()


class UnknownList(Unknown):
    """A list (or set) whose elements are not known: a list function (`split`, `concat`, `distinct` ...) over an
    unknown argument. Still an Unknown, but known to be a list, so it is not one element of an enclosing list:
    `["${split(",", var.subnets)}"]` is Terraform 0.11's way of writing the split list itself (0.11 merged a
    list into the list around it; Terraform 0.12 and later reject a list where a string is required)."""

    __slots__ = ()


class PolicyDocument(Unknown):
    """The JSON of a Terraform `aws_iam_policy_document` data source, which Terraform renders at plan time and
    rlint does not: still an Unknown, but carrying who each `statement` block lets do what, as read (a dict of
    what it sets of `effect`, `actions`, `not_actions`, `principals` and `not_principals` [{type, identifiers}],
    undecided values Unknown), so a rule can tell who a policy lets write. `source_policy_documents` made of
    documents read so are merged in (their statements first), and a merge that merges nothing (an empty list,
    null) is no merge; a document that merges others otherwise (`override_policy_documents`, `source_json` ...),
    or has dynamic blocks, stays a plain Unknown."""

    __slots__ = ("statements",)

    def __init__(self, reason: str, refs: frozenset = frozenset(), statements: tuple = ()):
        super().__init__(reason, refs)
        self.statements = tuple(statements)


class SomeBlocks(Unknown):
    """Nested blocks of one type of which only some are known: the ones written out, beside a `dynamic` block
    whose `for_each` cannot be decided. Still an Unknown (how many blocks there are is not known), but `known`
    holds the written blocks, which Terraform creates whatever the dynamic block adds: a rule asking whether
    there is at least one such block can answer."""

    __slots__ = ("known",)

    def __init__(self, reason: str, refs: frozenset = frozenset(), known: tuple = ()):
        super().__init__(reason, refs)
        self.known = tuple(known)


class EncodedJson(Unknown):
    """The text `jsonencode` makes of a value some parts of which are not known before apply (an account id, an
    ARN): still an Unknown, as in Terraform, but carrying the `value` as read, so a rule can read its known parts
    (which actions a policy statement allows, whoever the unknown principal is)."""

    __slots__ = ("value",)

    def __init__(self, reason: str, refs: frozenset = frozenset(), value: Any = None):
        super().__init__(reason, refs)
        self.value = value


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def collect_refs(value: Any) -> frozenset:
    """Every (address, attribute) reference inside a value, however deeply nested."""
    found: set = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Unknown):
            found |= v.refs
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return frozenset(found)


def parameter_refs(value: Any, names) -> dict:
    """How many times `value` (a raw CloudFormation fragment) names each of the parameters `names`, by
    `Ref` or inside an `Fn::Sub` string."""
    uses: dict = {}
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if len(v) == 1 and isinstance(v.get("Ref"), str) and v["Ref"] in names:
                uses[v["Ref"]] = uses.get(v["Ref"], 0) + 1
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, str) and "${" in v:
            for name in _SUB_NAMES().findall(v):
                if name in names:
                    uses[name] = uses.get(name, 0) + 1
    return uses


def first_unknown(value: Any) -> Optional[Unknown]:
    """The first Unknown found inside a value, or None when the value is fully known."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Unknown):
            return v
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
    return None


class Missing:
    """The marker for an attribute that is absent from the configuration (distinct from null)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self):
        return (Missing, ())


MISSING = Missing()


@dataclass(frozen=True)
class Comment:
    file: str
    line: int
    column: int
    text: str  # the comment text including its leading marker (# or //)


@dataclass(frozen=True)
class Declared:
    """The team's declaration that a resource's data is recreatable (linter/declare.py binds it to the resource
    as meta `declared`; rules/data_value.py reads it): why, and where it is written (file:line)."""

    reason: str
    where: str


@dataclass(frozen=True)
class ParseProblem:
    """A file that could not be read or parsed: becomes an RL001 finding."""

    span: Span
    message: str


@dataclass(frozen=True)
class Origin:
    """One hop on the way from an attribute to the text that sets its value (value provenance), in Terraform
    and CloudFormation.

    An attribute `multi_az = var.db_multi_az` has the hops: the variable's value from a tfvars entry, say.
    The last hop is where the value is written (`written`: a literal there can be changed in place) or where
    following it stops (a value given on the command line, a computed expression)."""

    kind: str  # "variable default" | "tfvars" | "--var" | "environment" | "module argument" | "local" |
    #            "computed" | "missing" | "no value"; CloudFormation: "parameter default" | "parameter value" |
    #            "mapping entry" | "condition branch" | "stack parameter" (what a parent stack passes)
    name: str  # what was followed: var.x, local.y, module.db.x (the argument), a tfvars file
    span: Optional[Span] = None  # the expression at this hop (None for --var and TF_VAR_)
    written: bool = False  # the expression is a literal: the value is written here
    keys: tuple = ()  # the part of the value still to find inside it ("missing": the absent key)
    detail: str = ""  # how Terraform chose it ("automatically loaded", "-var-file")
    # a value written at a variable's default or tfvars entry: the keys inside the variable that lead to it
    # (`var.db.multi_az` written in `default = { multi_az = false }`: ("multi_az",))
    path: tuple = ()


@dataclass(frozen=True)
class ModuleCall:
    """One Terraform module call on the way from a root module down to a resource."""

    name: str  # the call's label
    address: str  # module.a["key"].module.b: the instance this resource belongs to
    span: Span  # the `module` block, in the caller's file
    expansion: Optional[str]  # "count", "for_each" or None
    caller_dir: str  # display directory of the calling module
    module_dir: str  # display directory of the called module
    local: bool  # a local path source (not a registry or git download)
    providers: tuple = ()  # (name inside the module, name in the caller) from `providers = {...}`


@dataclass(frozen=True)
class FixInfo:
    """A fix as shown in a report: a title and a snippet in the file's own language."""

    title: str
    snippet: str
    language: str  # hcl | yaml | json
    safety: str = "safe"  # its applicability: safe | review | display-only
    note: str = ""
    manual: str = ""  # display-only: why rlint does not write it ("no automatic fix: <manual>")
    follow_up: tuple = ()  # rule ids of findings the fix knowingly leaves on what it adds
    # the edits, when the fix is edits alone: ((file, line, column, end_line, end_column, new text), ...)
    edits: tuple = ()
    # what the terminal shows: the changed lines with context ((old line or None, " "|"-"|"+"|"@", text), ...)
    diff: tuple = ()


@dataclass(frozen=True)
class Suppression:
    kind: str  # inline | metadata | config | baseline
    reason: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule: str
    severity: Severity
    outcome: Outcome
    resource: str
    resource_type: str
    span: Span
    message: str
    fix: Optional[FixInfo] = None
    suppressed: Optional[Suppression] = None
    # the unit's format (terraform | cloudformation) and the resource's display path (CDK path, module)
    format: str = ""
    extra: tuple = field(default_factory=tuple)
    # where the finding was evaluated: the Terraform root module directory or the template (design §3), and
    # the configured deployment (None until `deployments:` names them)
    root: str = ""
    deployment: Optional[str] = None
    # the file that declares the resource when the finding is shown elsewhere (a module argument's value is
    # reported at the caller's line): identity and suppressions keep to the resource
    resource_file: str = ""
    # the Terraform workspace its root was evaluated in, when the configuration reads terraform.workspace
    workspace: Optional[str] = None

    @property
    def file(self) -> str:
        return self.span.file

    @property
    def identity_file(self) -> str:
        return self.resource_file or self.span.file

    @property
    def identity(self) -> tuple:
        """What makes two findings the same finding across runs: never the line (design §3)."""
        return (self.rule_id, self.root, self.deployment, self.identity_file, self.resource)

    @property
    def shown_root(self) -> Optional[str]:
        """The root when the file does not already say it: a module file reached from a root elsewhere, a
        nested stack's template. None for a finding in its root's own directory or template."""
        return None if root_implied(self.root, self.identity_file) else self.root

    @property
    def evaluated_in(self) -> Optional[str]:
        """Where the finding was evaluated, when its file does not say it: `root module X`, `deployment Y`."""
        return evaluated_in(self.shown_root, self.deployment, self.workspace)

    def sort_key(self) -> tuple:
        s = self.span
        return (s.file, s.line, s.column, self.rule_id, self.resource, self.root, self.deployment or "")


def evaluated_in(shown_root: Optional[str], deployment: Optional[str], workspace: Optional[str] = None) -> Optional[str]:
    """With a deployment, the workspace it reads too (one root evaluated as several workspaces); a plain scan
    names its roots' workspaces once, in a note."""
    parts = ([f"root module {shown_root}"] if shown_root else []) + ([f"deployment {deployment}"] if deployment else [])
    if deployment and workspace is not None:
        parts.append(f"workspace {workspace}")
    return ", ".join(parts) or None


def root_implied(root: str, file: str) -> bool:
    """A root says nothing new when it is the file itself (a template, a plan) or the file's directory (a
    Terraform root module), or when it is not known."""
    if not root or root == file:
        return True
    directory = file.rsplit("/", 1)[0] if "/" in file else "."
    return root.rstrip("/") == directory


@dataclass
class Resource:
    """One resource instance in the graph, whatever format it came from.

    `attrs` holds the evaluated configuration: for Terraform the block body (nested blocks as lists of
    dicts under their block type), for CloudFormation the whole resource entry (Type, Properties,
    DeletionPolicy, Metadata ...). `attr_spans` maps attribute paths within `attrs` to their spans.
    """

    address: str
    type: str
    format: str  # terraform | cloudformation
    attrs: dict
    span: Span  # the resource header
    attr_spans: dict = field(default_factory=dict)
    block_address: str = ""  # Terraform: the address without an instance key; CloudFormation: the logical id
    refs: list = field(default_factory=list)  # [(attr path tuple, target address, target attribute or None)]
    meta: dict = field(default_factory=dict)  # provider, region, default_tags, module, cdk_path, source_type ...
    end_span: Optional[Span] = None  # the whole block, for suppressions inside it

    @property
    def file(self) -> str:
        return self.span.file

    def __hash__(self) -> int:
        return hash((self.format, self.address, self.span))

    def __eq__(self, other: object) -> bool:
        return self is other

"""Which AWS Backup selections select a stateful resource, decided with three-valued logic.

A selection (`aws_backup_selection` / `AWS::Backup::BackupSelection`) assigns resources to a plan by
- `resources` / `Resources`: ARN references (graph edges to the resource), ARN patterns with `*`, or `"*"`;
- `selection_tag` / `ListOfTags`: StringEquals tests, ORed with each other and with the ARNs;
- `condition` / `Conditions`: StringEquals/StringLike/StringNotEquals/StringNotLike on tags, all ANDed;
- `not_resources` / `NotResources`: exclusions.
With neither ARNs nor tags, every supported resource is a candidate (API_BackupSelection). So:
    selected = (ARNs or tags, or everything when both are empty) and conditions and not excluded.

Each test answers True, False or an Unknown that says why it cannot be decided. What is known of a resource
is its type (service and ARN prefix), its name when the configuration sets it, its region when the provider or
`region` argument sets it, and its tags merged over the provider's `default_tags`. The account is never known.
A resource no selection of the scan selects, but tagged for a backup plan by a key no selection tests
(`BackupPolicy = "Prod"`), may be in a plan outside the scan: `outside_plan` makes that an Unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from rlint.lazy_regex import lazy_regex
from rlint.model import MISSING, Resource, Unknown
from rlint.rules.attrs.backup import (CONDITION_OPERATORS, SELECTION_CONDITIONS, SELECTION_NOT_RESOURCES,
                                      SELECTION_RESOURCES, SELECTION_TAGS, SELECTION_TYPES)
from rlint.rules.attrs.dlm import DLM_TARGET_TAGS, DLM_TYPES
from rlint.rules.attrs.efs import (EFS_AZ_NAME, EFS_BACKUP_POLICY_STATUS, EFS_TYPES, ENABLED, TF_EFS_BACKUP_POLICY,
                                   TF_POLICY_FILE_SYSTEM, TF_POLICY_STATUS)
from rlint.rules.attrs.stateful import BACKUP_KINDS, CFN_TAG_PATHS, TAGS, BackupKind
from rlint.rules.base import TERRAFORM, RuleContext, lookup
from rlint.rules.graphutil.regions import resource_region

RESOURCE_TAG = "aws:ResourceTag/"
REFERENCE = "<reference>"  # a `resources` entry that is the ARN of a resource in the configuration
_SENTINEL = "\x00"  # stands for the unknown rest of a name: only a `*` can match it


# -- three-valued logic -------------------------------------------------------------------------------
def t_or(values) -> Any:
    unknown = None
    for v in values:
        if v is True:
            return True
        if isinstance(v, Unknown) and unknown is None:
            unknown = v
    return unknown if unknown is not None else False


def t_and(values) -> Any:
    unknown = None
    for v in values:
        if v is False:
            return False
        if isinstance(v, Unknown) and unknown is None:
            unknown = v
    return unknown if unknown is not None else True


def t_not(value) -> Any:
    return value if isinstance(value, Unknown) else not value


# -- glob patterns (AWS Backup ARNs and StringLike use `*` only) -----------------------------------------
def glob(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.S) is not None


def _can_start(pattern: str, prefix: str) -> bool:
    """Whether some string beginning with `prefix` matches `pattern`."""
    while prefix:
        if not pattern:
            return False
        if pattern[0] == "*":
            return True
        if pattern[0] != prefix[0]:
            return False
        pattern, prefix = pattern[1:], prefix[1:]
    return True


def match_partial(pattern: str, known: str, complete: bool, what: str) -> Any:
    """Match `pattern` against a value of which `known` is all (complete) or only the beginning."""
    if complete:
        return glob(pattern, known)
    if glob(pattern, known + _SENTINEL):
        return True  # a `*` takes whatever the rest is
    if not _can_start(pattern, known):
        return False
    return Unknown(f"{what} is not known")


# -- what is known of a stateful resource -------------------------------------------------------------------
@dataclass
class Target:
    res: Resource
    kind: BackupKind
    region: Optional[str]
    name: Optional[str]         # the full name, when known
    name_prefix: str            # the known beginning of the name
    tag_layers: list            # highest priority first: dict, Unknown or MISSING

    def tag(self, key: str) -> Any:
        """A tag's value, MISSING when the resource does not have it, or an Unknown."""
        for layer in self.tag_layers:
            if isinstance(layer, Unknown):
                return Unknown(f"the tags of {self.res.address} are not known ({layer.reason})")
            if isinstance(layer, dict) and key in layer:
                return layer[key]
        return MISSING


def tag_text(t: Target, key: str) -> Any:
    """The target's tag `key` as the text a tag test compares (a boolean as Terraform writes it: "true"),
    MISSING when it does not have the tag, or an Unknown."""
    actual = t.tag(key)
    if isinstance(actual, Unknown) or actual is MISSING or actual is None:
        return MISSING if actual is None else actual
    if isinstance(actual, bool):
        return str(actual).lower()
    return actual if isinstance(actual, str) else str(actual)


def _tag_list(value: Any) -> Any:
    """CloudFormation [{Key, Value}] (or a map) as a dict; an Unknown when an entry is."""
    if isinstance(value, Unknown) or value is MISSING or value is None:
        return MISSING if value is None else value
    if isinstance(value, dict):
        return value
    out = {}
    for item in value if isinstance(value, list) else []:
        if isinstance(item, Unknown):
            return item
        if isinstance(item, dict):
            k, v = item.get("Key"), item.get("Value")
            if isinstance(k, Unknown):
                return k
            if isinstance(k, str):
                out[k] = v
    return out


def target_of(ctx: RuleContext, res: Resource) -> Target:
    kind = BACKUP_KINDS[res.type]
    name, prefix = None, ""
    if kind.name is not None:
        value = ctx.get(res, kind.name)
        if isinstance(value, str):
            name = value.lower() if kind.lowercase else value
    if name is None and kind.name_prefix is not None:
        value = ctx.get(res, kind.name_prefix)
        if isinstance(value, str):
            prefix = value.lower() if kind.lowercase else value
    known = resource_region(res)
    region = None if isinstance(known, Unknown) else known.name
    return Target(res, kind, region, name, prefix, tag_layers(ctx, res))


def tag_layers(ctx: RuleContext, res: Resource) -> list:
    """A resource's tags, highest priority first: its own, then (Terraform) the provider's default_tags."""
    if res.format == TERRAFORM:
        return [ctx.get(res, TAGS), res.meta.get("default_tags", MISSING)]
    path = CFN_TAG_PATHS.get(res.type, ("Properties", "Tags"))
    return [_tag_list(lookup(res.attrs, path))]


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def arn_pattern_matches(pattern: str, t: Target) -> Any:
    """An ARN pattern from `resources`/`not_resources` against what is known of the target."""
    if pattern == "*":
        return True
    parts = pattern.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return False
    _arn, partition, service, region, account, rest = parts
    tests = [glob(service, t.kind.service)]
    if t.region is not None:
        tests.append(glob(partition, _partition(t.region)))
        tests.append(glob(region, t.region))
    else:
        # the partition is assumed to be `aws` when the region is not known
        tests.append(True if glob(partition, "aws") else Unknown(f"the partition of {t.res.address} is not known"))
        tests.append(True if set(region) <= {"*"} else Unknown(f"the region of {t.res.address} is not known"))
    tests.append(True if set(account) <= {"*"} else Unknown(f"the account of {t.res.address} is not known"))
    what = f"the name of {t.res.address}"
    if t.name is not None:
        tests.append(glob(rest, t.kind.prefix + t.name))
    else:
        tests.append(match_partial(rest, t.kind.prefix + t.name_prefix, False, what))
    return t_and(tests)


# -- selections ----------------------------------------------------------------------------------------
_PSEUDO = {"AWS::Partition", "AWS::Region", "AWS::AccountId", "AWS::URLSuffix"}
_SUB_VAR = lazy_regex(r"\$\{([^}!]*)\}")


def _sub_pattern(raw: Any, resources: set) -> Any:
    """A CloudFormation `Fn::Sub` ARN as written: None when it is not one or uses other variables, "resource"
    when it names resources of the template (`${Db}`, `${Db.Arn}`), else a pattern in which the stack's own
    partition, region and account become `*` (over-approximating for other stacks' resources)."""
    if not (isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("Fn::Sub"), str)):
        return None
    text = raw["Fn::Sub"]
    names = [v.split(".", 1)[0] for v in _SUB_VAR().findall(text)]
    if any(n not in _PSEUDO and n not in resources for n in names):
        return None
    if any(n in resources for n in names):
        return "resource"
    return _SUB_VAR().sub("*", text)


def _after_deploy(value: Unknown) -> bool:
    """The value is some attribute of referenced resources (not a variable or an input)."""
    return "known only after" in value.reason


class Selection:
    def __init__(self, ctx: RuleContext, res: Resource):
        self.ctx = ctx
        self.res = res
        self.fmt = res.format

    def _raw(self, attr) -> Any:
        raw = self.res.meta.get("raw")
        return lookup(raw, attr.path(self.fmt)) if isinstance(raw, dict) else MISSING

    def _referenced(self, value: Unknown) -> list:
        out = []
        for address, _attr in value.refs:
            out.extend(self.ctx.graph.resolve(self.res, address))
        return out

    def _arn_value_matches(self, value: Any, raw: Any, t: Target) -> Any:
        if isinstance(value, str):
            return arn_pattern_matches(value, t)
        if isinstance(value, Unknown):
            referenced = self._referenced(value)
            if any(r is t.res for r in referenced):
                return True
            pattern = _sub_pattern(raw, {address for address, _a in value.refs})
            if pattern == "resource":
                return False  # the ARN of other resources of the template
            if pattern is not None:
                return arn_pattern_matches(pattern, t)
            if referenced and _after_deploy(value):
                return False  # the ARN of other resources
            return Unknown(f"{self.res.address} names resources by a value that is not known ({value.reason})")
        return False

    def arns_match(self, attr, t: Target) -> Any:
        """Whether the ARN list (`resources` or `not_resources`) names the target; MISSING when empty."""
        value = self.ctx.get(self.res, attr)
        if value is MISSING or value is None or value == []:
            return MISSING
        if isinstance(value, Unknown):
            referenced = self._referenced(value)
            if any(r is t.res for r in referenced):
                return True
            if referenced and _after_deploy(value):
                return False
            return Unknown(f"`{attr.spelling(self.fmt)}` of {self.res.address} is not known ({value.reason})")
        raw = self._raw(attr)
        raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
        return t_or(self._arn_value_matches(v, r, t) for v, r in zip(value, raws))

    def _tag_test(self, op: str, key: Any, value: Any, t: Target) -> Any:
        for v in (key, value):
            if isinstance(v, Unknown):
                return Unknown(f"a tag condition of {self.res.address} is not known ({v.reason})")
        if not isinstance(key, str) or not isinstance(value, str):
            return False
        if key.startswith(RESOURCE_TAG):
            key = key[len(RESOURCE_TAG):]
        actual = tag_text(t, key)
        if isinstance(actual, Unknown):
            return actual
        negated = op in ("StringNotEquals", "StringNotLike")
        if actual is MISSING:
            return negated
        hit = glob(value, actual) if op in ("StringLike", "StringNotLike") else actual == value
        return not hit if negated else hit

    def tag_list(self) -> Any:
        """The tag list, or MISSING when there is none."""
        value = self.ctx.get(self.res, SELECTION_TAGS)
        return MISSING if value is MISSING or value is None or value == [] else value

    def tag_tests(self) -> Any:
        """The tag list's tests (`selection_tag` / `ListOfTags`), each ("StringEquals", key, value) or an Unknown
        entry; MISSING when there is none, an Unknown when the list is. Read once: `selects` asks for every
        resource."""
        if not hasattr(self, "_tag_tests"):
            value = self.tag_list()
            if isinstance(value, Unknown):
                value = Unknown(f"the tag selection of {self.res.address} is not known ({value.reason})")
            elif value is not MISSING:
                keys = ("key", "value") if self.fmt == TERRAFORM else ("ConditionKey", "ConditionValue")
                value = [Unknown(f"a tag of {self.res.address} is not known ({entry.reason})")
                         if isinstance(entry, Unknown) else ("StringEquals", entry.get(keys[0]), entry.get(keys[1]))
                         for entry in value if isinstance(entry, (Unknown, dict))]
            self._tag_tests = value
        return self._tag_tests

    def condition_tests(self) -> Any:
        """The conditions' tests (`condition` / `Conditions`), each (operator, key, value) or an Unknown for a
        part that cannot be read; an empty list when there are none, an Unknown when the conditions are."""
        if not hasattr(self, "_condition_tests"):
            value = self.ctx.get(self.res, SELECTION_CONDITIONS)
            if value is MISSING or value is None:
                tests: Any = []
            elif isinstance(value, Unknown):
                tests = Unknown(f"the conditions of {self.res.address} are not known ({value.reason})")
            else:
                tf = self.fmt == TERRAFORM
                blocks = [b for b in (value if isinstance(value, list) else [value]) if isinstance(b, dict)] \
                    if tf else [value] if isinstance(value, dict) else []
                tests = []
                for block in blocks:
                    for tf_op, op in CONDITION_OPERATORS.items():
                        entries = block.get(tf_op if tf else op)
                        if isinstance(entries, Unknown):  # dynamic blocks over an unknown collection
                            tests.append(Unknown(f"the {op} conditions of {self.res.address} are not known"))
                            continue
                        names = ("key", "value") if tf else ("ConditionKey", "ConditionValue")
                        tests.extend((op, e.get(names[0]), e.get(names[1]))
                                     for e in (entries if isinstance(entries, list) else []) if isinstance(e, dict))
            self._condition_tests = tests
        return self._condition_tests

    def tags_match(self, t: Target) -> Any:
        """`selection_tag` / `ListOfTags`: any StringEquals test; MISSING when there are none."""
        tests = self.tag_tests()
        if tests is MISSING or isinstance(tests, Unknown):
            return tests
        return t_or([x if isinstance(x, Unknown) else self._tag_test(*x, t) for x in tests])

    def conditions_match(self, t: Target) -> Any:
        """`condition` / `Conditions`: every test must hold (True when there are none)."""
        tests = self.condition_tests()
        if isinstance(tests, Unknown):
            return tests
        return t_and([x if isinstance(x, Unknown) else self._tag_test(*x, t) for x in tests])

    def written_arns(self, attr=SELECTION_RESOURCES) -> Any:
        """The ARN list as written, one entry each: a literal pattern, REFERENCE for the ARN of a resource
        (a graph reference, or a `Fn::Sub` naming one), or an Unknown; an Unknown for the whole list."""
        value = self.ctx.get(self.res, attr)
        if value is MISSING or value is None:
            return []
        if isinstance(value, Unknown):
            if self._referenced(value) and _after_deploy(value):
                return [REFERENCE]
            return value
        raw = self._raw(attr)
        raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
        out = []
        for v, r in zip(value, raws):
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, Unknown):
                pattern = _sub_pattern(r, {address for address, _a in v.refs})
                if pattern == "resource" or (pattern is None and self._referenced(v) and _after_deploy(v)):
                    out.append(REFERENCE)
                else:
                    out.append(pattern if pattern is not None else v)
        return out

    def exists(self) -> Any:
        return resource_exists(self.res)

    def selects(self, t: Target) -> Any:
        arns, tags = self.arns_match(SELECTION_RESOURCES, t), self.tags_match(t)
        if arns is MISSING and tags is MISSING:
            base = True  # no ARNs and no tags: every supported resource
        else:
            base = t_or(x for x in (arns, tags) if x is not MISSING)
        excluded = self.arns_match(SELECTION_NOT_RESOURCES, t)
        excluded = False if excluded is MISSING else excluded
        return t_and([base, self.conditions_match(t), t_not(excluded), self.exists()])


def resource_exists(res: Resource) -> Any:
    """True, or an Unknown when a condition or count/for_each decides whether the resource exists."""
    cond = res.meta.get("condition_value")
    if isinstance(cond, Unknown):
        return Unknown(f"{res.address} exists only under condition {res.meta.get('condition')} ({cond.reason})")
    if res.meta.get("expansion_unknown"):
        return Unknown(f"the count or for_each of {res.address} is not known")
    return True


def selections(ctx: RuleContext) -> list:
    """Every selection of the graph, built once per graph (they do not depend on rule options)."""
    return ctx.graph.memo("backup.selections",
                          lambda: [Selection(ctx, r) for r in ctx.graph.by_type(*SELECTION_TYPES)])


def _only_referenced(s: Selection) -> Optional[set]:
    """The ids of the resources a selection names by reference, when that is all it can select; else None.

    Such a selection has no tags and an ARN list whose every entry is a reference to resources of its own
    template or module (or another resource's ARN there): `selects` answers False for any other resource.
    """
    if s.tag_list() is not MISSING:
        return None
    value = s.ctx.get(s.res, SELECTION_RESOURCES)
    if value is MISSING or value is None or value == []:
        return None  # no ARNs and no tags: every supported resource
    if isinstance(value, Unknown):
        referenced = s._referenced(value)
        return {id(r) for r in referenced} if referenced and _after_deploy(value) else None
    raw = s._raw(SELECTION_RESOURCES)
    raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
    ids: set = set()
    for v, r in zip(value, raws):
        if isinstance(v, str):
            return None  # an ARN pattern: any resource of the kind may match
        if not isinstance(v, Unknown):
            continue  # never matches
        referenced = s._referenced(v)
        pattern = _sub_pattern(r, {address for address, _a in v.refs})
        if pattern != "resource" and not (pattern is None and referenced and _after_deploy(v)):
            return None
        ids.update(id(x) for x in referenced)
    return ids


def _tag_pairs(s: Selection) -> Optional[set]:
    """The (tag key, value) tests of a selection that selects by literal tags alone, else None: for a resource
    whose tags are all known, `selects` answers False unless the resource has one of those tags."""
    value = s.ctx.get(s.res, SELECTION_RESOURCES)
    tests = s.tag_tests()
    if not isinstance(s.tag_list(), list) or not (value is MISSING or value is None or value == []):
        return None
    pairs: set = set()
    for test in tests:
        if isinstance(test, Unknown) or isinstance(test[1], Unknown) or isinstance(test[2], Unknown):
            return None
        _op, key, val = test
        if isinstance(key, str) and isinstance(val, str):
            pairs.add((key[len(RESOURCE_TAG):] if key.startswith(RESOURCE_TAG) else key, val))
    return pairs


def _tag_view(t: Target) -> tuple:
    """(tags known as the strings `_tag_test` compares, keys whose value is unknown, whether a whole layer of
    tags is unknown), following `Target.tag`: the first layer that has a key decides it."""
    seen: dict = {}
    for layer in t.tag_layers:
        if isinstance(layer, Unknown):
            break
        if isinstance(layer, dict):
            for k, v in layer.items():
                seen.setdefault(k, v)
    else:
        layer = None
    known, unknown = {}, set()
    for k, v in seen.items():
        if isinstance(v, Unknown):
            unknown.add(k)
        elif v is not None and v is not MISSING:
            known[k] = v if isinstance(v, str) else (str(v).lower() if isinstance(v, bool) else str(v))
    return known, unknown, isinstance(layer, Unknown)


@dataclass
class _SelectionIndex:
    """Which selections can select a resource, so that `coverage` asks only those (asking every selection
    about every resource is quadratic in the size of the scan)."""
    always: list   # indices of the selections to ask about every resource
    by_ref: dict   # id(resource) -> indices of the reference-only selections naming it
    by_tag: dict   # (key, value) -> indices of the tag-only selections testing that tag
    by_key: dict   # key -> indices of the tag-only selections testing that key
    tag_only: list  # indices of every tag-only selection


def _selection_index(ctx: RuleContext) -> _SelectionIndex:
    def build() -> _SelectionIndex:
        idx = _SelectionIndex([], {}, {}, {}, [])
        for i, s in enumerate(selections(ctx)):
            refs, pairs = _only_referenced(s), _tag_pairs(s)
            if refs is not None:
                for r in refs:
                    idx.by_ref.setdefault(r, []).append(i)
            elif pairs is not None:
                idx.tag_only.append(i)
                for pair in pairs:
                    idx.by_tag.setdefault(pair, []).append(i)
                    idx.by_key.setdefault(pair[0], []).append(i)
            else:
                idx.always.append(i)
        return idx

    return ctx.graph.memo("backup.selection_index", build)


def _candidates(ctx: RuleContext, t: Target) -> tuple:
    """(indices of the selections that may select the target, in graph order; those of them that can answer
    Unknown at best). Every other selection answers False."""
    idx = _selection_index(ctx)
    chosen = set(idx.always)
    chosen.update(idx.by_ref.get(id(t.res), ()))
    known, unknown, open_layer = _tag_view(t)
    for pair in known.items():
        chosen.update(idx.by_tag.get(pair, ()))
    for key in unknown:
        chosen.update(idx.by_key.get(key, ()))
    at_best_unknown: set = set()
    if open_layer:  # a tag the target does not show may be in the unknown layer: Unknown, never True
        at_best_unknown = set(idx.tag_only) - chosen
        chosen.update(at_best_unknown)
    return sorted(chosen), at_best_unknown


def efs_backup_policy(ctx: RuleContext, res: Resource) -> Any:
    """The automatic-backup policy status as written: "ENABLED", "DISABLED", MISSING (no policy), or an
    Unknown. CloudFormation inlines it (`BackupPolicy.Status`); in Terraform it is the `status` of the
    `aws_efs_backup_policy` resources naming the file system (ENABLED wins when several do)."""
    if res.type == "AWS::EFS::FileSystem":
        return ctx.get(res, EFS_BACKUP_POLICY_STATUS)
    answers = []
    for policy in ctx.graph.referrers(res, type=TF_EFS_BACKUP_POLICY, attr=TF_POLICY_FILE_SYSTEM.path(TERRAFORM)):
        status = ctx.get(policy, TF_POLICY_STATUS)
        if policy.meta.get("expansion_unknown") and status == ENABLED:
            status = Unknown(f"the count or for_each of {policy.address} is not known")
        answers.append(status)
    if ENABLED in answers:
        return ENABLED
    unknown = next((a for a in answers if isinstance(a, Unknown)), None)
    if unknown is not None:
        return unknown
    if answers:
        return answers[0]
    return _unattributed_policy(ctx, res)


def _unattributed_policy(ctx: RuleContext, res: Resource) -> Any:
    """MISSING, or an Unknown when some policy in the scan that may be ENABLED names a file system that cannot
    be resolved (a module output, a data source, a literal ID): it might be this one."""
    path = TF_POLICY_FILE_SYSTEM.path(TERRAFORM)
    for policy in ctx.graph.by_type(TF_EFS_BACKUP_POLICY):
        if ctx.graph.targets(policy, path, type=res.type):
            continue  # it names a file system of the configuration
        status = ctx.get(policy, TF_POLICY_STATUS)
        if status == ENABLED or isinstance(status, Unknown):
            return Unknown(f"{policy.address} names a file system that cannot be resolved; it may be this one")
    return MISSING


def efs_automatic_backups(ctx: RuleContext, res: Resource) -> Any:
    """EFS automatic backups put the file system in AWS Backup's default plan. On when the backup policy is
    ENABLED; without a policy the API default applies: on for One Zone file systems, off for Regional ones."""
    if res.type not in EFS_TYPES:
        return False
    status = efs_backup_policy(ctx, res)
    if isinstance(status, Unknown):
        return status
    if status is MISSING:
        one_zone = ctx.get(res, EFS_AZ_NAME)
        return one_zone if isinstance(one_zone, Unknown) else one_zone is not MISSING
    return status == ENABLED


def none_selects(sels: list) -> str:
    """How a message says that no selection selects a resource: "none of the 3 AWS Backup selections ..."."""
    if not sels:
        return "there is no AWS Backup selection in the scan"
    if len(sels) == 1:
        return "the one AWS Backup selection in the scan does not select it"
    return f"none of the {len(sels)} AWS Backup selections in the scan selects it"


def possible_selections(ctx: RuleContext, t: Target) -> set:
    """The ids of the selections that may select the target (True or an Unknown); every other one answers
    False, so callers that go through the selections for each resource can skip them unasked."""
    order, _at_best_unknown = _candidates(ctx, t)
    sels = selections(ctx)
    return {id(sels[i]) for i in order}


def coverage(ctx: RuleContext, res: Resource) -> tuple:
    """(True | False | Unknown, the selections looked at, the selection that selects the resource or None)."""
    t = target_of(ctx, res)
    sels = selections(ctx)
    answers = [efs_automatic_backups(ctx, res)]
    if answers[0] is True:
        return True, sels, None
    order, at_best_unknown = _candidates(ctx, t)
    have_unknown = isinstance(answers[0], Unknown)
    for i in order:
        if have_unknown and i in at_best_unknown:
            continue  # it cannot be True, and an earlier Unknown already decides the answer
        a = sels[i].selects(t)
        if a is True:
            return True, sels, sels[i]
        have_unknown = have_unknown or isinstance(a, Unknown)
        answers.append(a)
    answer = t_or(answers)
    outside = outside_plan(ctx, t) if answer is False else None
    return (answer if outside is None else outside), sels, None


# a tag value that keeps a resource out of a tag-driven backup plan
_OPT_OUT = frozenset({"", "false", "no", "none", "off", "0", "disabled", "disable", "exclude", "excluded", "skip",
                      "never", "n/a", "na"})
_BACKUP_KEY = lazy_regex(r"backup", re.IGNORECASE)


def _tested_keys(ctx: RuleContext) -> Optional[set]:
    """The tag keys the scan's selections test (`selection_tag`, `condition`, `ListOfTags`, `Conditions`) and its
    Data Lifecycle Manager policies target, or None when one's tests are not known (it may test any key)."""
    def build() -> Optional[set]:
        keys: set = set()
        for s in selections(ctx):
            tags, conditions = s.tag_tests(), s.condition_tests()
            for tests in (tags, conditions):
                if isinstance(tests, Unknown):
                    return None
                for test in tests if isinstance(tests, list) else []:
                    key = test if isinstance(test, Unknown) else test[1]
                    if not isinstance(key, str):
                        return None
                    keys.add(key[len(RESOURCE_TAG):] if key.startswith(RESOURCE_TAG) else key)
        for policy in ctx.graph.by_type(*DLM_TYPES):  # Data Lifecycle Manager snapshots volumes by tag too
            wanted = ctx.get(policy, DLM_TARGET_TAGS)
            if isinstance(wanted, Unknown):
                return None
            wanted = wanted if policy.format == TERRAFORM else _tag_list(wanted)
            if isinstance(wanted, dict):
                keys.update(k for k in wanted if isinstance(k, str))
        return keys

    return ctx.graph.memo("backup.tested_keys", build)


def outside_plan(ctx: RuleContext, t: Target) -> Optional[Unknown]:
    """An Unknown when the target carries a tag that marks it for AWS Backup (a key that names backups, with a
    value that is not an opt-out: `BackupPolicy = "Prod"`) and no selection of the scan tests that key: a plan
    the scan does not hold selects by it (an AWS Organizations backup policy selects by tags only, a central
    backup stack), so the scan cannot tell whether the resource is backed up. None otherwise."""
    tested = _tested_keys(ctx)
    if tested is None:
        return None
    known, unknown_keys, open_layer = _tag_view(t)
    outside = "a plan outside the scan (an AWS Organizations backup policy, a central backup stack) may select it"
    for key, value in known.items():
        if _BACKUP_KEY().search(key) and key not in tested and value.strip().lower() not in _OPT_OUT:
            return Unknown(f"it is tagged `{key} = \"{value}\"` for a backup plan, and no AWS Backup selection in the "
                           f"scan tests that tag: {outside}")
    undecided = sorted(k for k in unknown_keys if _BACKUP_KEY().search(k) and k not in tested)
    if undecided:
        return Unknown(f"it is tagged `{undecided[0]}` for a backup plan (the value is undecided), and no AWS Backup "
                       f"selection in the scan tests that tag: {outside}")
    used = sorted(_backup_tag_keys(ctx) - tested) if open_layer else ()
    if used:  # which tags it gets is not known, and the configuration tags resources for an outside plan
        return Unknown(f"its tags are undecided, and the scan tags resources `{used[0]}` for a backup plan that no "
                       f"AWS Backup selection in the scan tests: {outside}")
    return None


def _backup_tag_keys(ctx: RuleContext) -> frozenset:
    """The tag keys naming backups that the scan's backup-supported resources carry (`BackupPolicy`), whatever
    their values: the configuration's sign that a plan selects resources by tag."""
    def build() -> frozenset:
        keys: set = set()
        for res in ctx.graph.by_type(*BACKUP_KINDS):  # what AWS Backup can select: the tags it reads
            for layer in tag_layers(ctx, res):
                if isinstance(layer, dict):
                    keys.update(k for k in layer if isinstance(k, str) and _BACKUP_KEY().search(k))
        return frozenset(keys)

    return ctx.graph.memo("backup.tag_keys", build)


def type_wide(pattern: str) -> Any:
    """For an ARN pattern that selects every resource of a type (`"*"`, `arn:aws:rds:*:*:db:*`,
    `arn:aws:s3:::*`), what it selects ("every resource", "every rds db"); None for narrower patterns."""
    if pattern == "*":
        return "every resource"
    parts = pattern.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    service, rest = parts[2], parts[5]
    if service == "*" and rest == "*":
        return "every resource"
    m = re.fullmatch(r"([A-Za-z0-9-]+)[:/]\*", rest)
    if m:
        return f"every {service} {m.group(1)}"
    if rest == "*":
        return f"every {service} resource"
    return None


__all__ = ["REFERENCE", "type_wide", "Selection", "Target", "target_of", "tag_layers", "resource_exists", "selections",
           "coverage", "arn_pattern_matches", "glob", "match_partial", "efs_backup_policy", "efs_automatic_backups",
           "none_selects", "outside_plan", "t_or", "t_and", "t_not"]

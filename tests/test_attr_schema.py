"""Every Terraform attribute path the rules read exists in the AWS provider's schema for its resource type.

A misspelt or renamed argument would otherwise read as "not set" on every configuration and the rule would
silently report its default. The schema is `terraform providers schema -json` of provider 5.100, recorded in
tests/recordings/terraform/schema.json (re-record with `python tests/tf_oracle.py record --only schema`).

What is checked:
- every path a rule reads on a Terraform resource while the whole catalogue runs over every fixture and
  example (recorded by watching the resources' attribute dictionaries, so reads through `RuleContext.get`,
  `lookup` and direct `.get` all count), against that resource type's schema;
- every `Attr` spelled in rules/attrs/ is read at least once that way (else nothing above checks it);
- provider 4.x spellings (`Attr.tf_legacy`, rules/attrs/provider_renames.LEGACY_ONLY) are declared as such:
  they must NOT exist in 5.100's schema (if they did, the declaration would be wrong); so are the 6.x
  arguments read ahead of time (provider_renames.NEWER_ONLY: `region` on every resource).
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import tf_oracle
from rlint.rules.base import Attr

REPO = Path(__file__).resolve().parent.parent
# Terraform's own meta-arguments and blocks: in every resource, never in a provider schema
META = {"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "dynamic"}


class _Reads:
    def __init__(self):
        self.paths: set = set()  # (resource type, path without list indexes)


class _Dict(dict):
    """A resource's attribute dictionary that records every key read (and wraps what it hands out)."""

    def __init__(self, data, rtype: str, path: tuple, reads: _Reads):
        super().__init__(data)
        self._where = (rtype, path, reads)

    def _note(self, key):
        rtype, path, reads = self._where
        if isinstance(key, str):
            reads.paths.add((rtype, path + (key,)))
        return rtype, path + (key,), reads

    def __getitem__(self, key):
        return _wrap(super().__getitem__(key), *self._note(key))

    def get(self, key, default=None):
        where = self._note(key)
        return _wrap(super().get(key, default), *where) if key in self else default

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


class _List(list):
    def __init__(self, data, rtype: str, path: tuple, reads: _Reads):
        super().__init__(data)
        self._where = (rtype, path, reads)

    def __getitem__(self, i):
        item = super().__getitem__(i)
        return [_wrap(v, *self._where) for v in item] if isinstance(i, slice) else _wrap(item, *self._where)

    def __iter__(self):
        return (_wrap(v, *self._where) for v in super().__iter__())


def _wrap(value, rtype, path, reads):
    if type(value) is dict:
        return _Dict(value, rtype, path, reads)
    if type(value) is list:
        return _List(value, rtype, path, reads)
    return value


@pytest.fixture(scope="module")
def reads() -> _Reads:
    """Run every rule over every fixture and example, recording the Terraform attribute paths they read."""
    from rlint import engine

    recorder = _Reads()
    original = engine.ResourceGraph.__init__

    def watching(self, resources=()):
        resources = list(resources)
        for res in resources:
            if res.format == "terraform":
                res.attrs = _Dict(res.attrs, res.type, (), recorder)
        original(self, resources)

    # an attribute path also reaches the graph as the place a reference is written: graph.targets(res, path),
    # graph.referrers(res, type=T, attr=path) (the path is in the referring resource)
    targets, referrers = engine.ResourceGraph.targets, engine.ResourceGraph.referrers

    def watching_targets(self, res, attr=None, type=None):
        if attr and res.format == "terraform":
            recorder.paths.add((res.type, tuple(p for p in attr if isinstance(p, str))))
        return targets(self, res, attr, type)

    def watching_referrers(self, res, type=None, attr=None):
        found = referrers(self, res, type, attr)
        if attr:
            for t in {type} if type else {s.type for s in found}:
                if t and not t.startswith("AWS::"):
                    recorder.paths.add((t, tuple(p for p in attr if isinstance(p, str))))
        return found

    engine.ResourceGraph.__init__ = watching
    engine.ResourceGraph.targets, engine.ResourceGraph.referrers = watching_targets, watching_referrers
    try:
        engine.scan([REPO / p for p in tf_oracle.FIXTURE_PATHS],
                    engine.ScanOptions(cwd=REPO, jobs=1, dr_report=True, dr={}))
    finally:
        engine.ResourceGraph.__init__ = original
        engine.ResourceGraph.targets, engine.ResourceGraph.referrers = targets, referrers
    return recorder


@pytest.fixture(scope="module")
def schema() -> dict:
    return tf_oracle.load_schema()


def schema_has(schema: dict, rtype: str, path: tuple) -> bool:
    """Whether `path` names an argument or nested block (and what lies below) of `rtype`."""
    block = schema.get(rtype)
    if block is None:
        return False
    for i, name in enumerate(path):
        if name in block["blocks"]:
            block = block["blocks"][name]["block"]
            continue
        if name not in block["attributes"]:
            return False
        return _type_has(block["attributes"][name], path[i + 1:])
    return True


def _type_has(cty, rest: tuple) -> bool:
    if not rest:
        return True
    if cty == "dynamic" or (isinstance(cty, list) and cty[0] == "map"):
        return True  # any key
    if isinstance(cty, list) and cty[0] in ("list", "set"):
        return _type_has(cty[1], rest)
    if isinstance(cty, list) and cty[0] == "object":
        return rest[0] in cty[1] and _type_has(cty[1][rest[0]], rest[1:])
    return False  # a string, number or bool has nothing below it


def catalogue_attrs() -> list:
    """Every Attr defined in rules/attrs/ (module-level), with the module it lives in."""
    import rlint.rules.attrs as package

    out = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Attr) and value.terraform:
                out.append((f"{info.name}.{name}", value))
    return out


def legacy_spellings(removed_only: bool = False) -> set:
    """(resource type or None for any, path) of every declared provider 4.x spelling; with `removed_only`, just
    the names 5.0 removed outright (LEGACY_ONLY's "block" entries are names 5.x kept with another shape)."""
    from rlint.rules.attrs.provider_renames import LEGACY_ONLY

    out = {(None, tuple(p.split("."))) for _n, a in catalogue_attrs() for p in a.tf_legacy}
    out |= {(rtype, (name,)) for rtype, names in LEGACY_ONLY.items() for name, form in names.items()
            if form == "any" or not removed_only}
    return out


def _is_legacy(rtype: str, path: tuple, legacy: set) -> bool:
    return any((t is None or t == rtype) and path[:len(p)] == p for t, p in legacy)


def _is_newer(rtype: str, path: tuple) -> bool:
    """A provider 6.x argument read on purpose (provider_renames.NEWER_ONLY)."""
    from rlint.rules.attrs.provider_renames import NEWER_ONLY

    return len(path) == 1 and (path[0] in NEWER_ONLY.get("*", {}) or path[0] in NEWER_ONLY.get(rtype, {}))


def test_every_attribute_path_the_rules_read_is_in_the_provider_schema(reads, schema):
    legacy = legacy_spellings()
    missing_types = sorted({t for t, _p in reads.paths if t not in schema})
    assert not missing_types, f"no recorded schema for {missing_types}; re-record: python tests/tf_oracle.py record"
    wrong = sorted(f"{t}: {'.'.join(p)}" for t, p in reads.paths
                   if p[0] not in META and not schema_has(schema, t, p) and not _is_legacy(t, p, legacy)
                   and not _is_newer(t, p))
    assert not wrong, ("rules read attribute paths that AWS provider 5.100 does not have (misspelt, renamed, or "
                       "a 4.x spelling to declare in Attr.tf_legacy):\n" + "\n".join(wrong))


def test_the_reads_are_recorded(reads):
    """The recorder sees reads through every path rules use (a recorder that sees nothing would pass above)."""
    assert ("aws_db_instance", ("multi_az",)) in reads.paths  # RuleContext.get
    assert len(reads.paths) > 150


# Attributes no fixture reads to their full path (a reference-only attribute with no reference in the fixtures,
# a nested one whose block no fixture writes): their resource types, so the schema check still covers them.
DECLARED_TYPES = {
    "aurora.GLOBAL_SOURCE": ("aws_rds_global_cluster",),
    "autoscaling.ATTACHMENT_ELB": ("aws_autoscaling_attachment",),
    "autoscaling.ATTACHMENT_TARGET_GROUP": ("aws_autoscaling_attachment",),
    "autoscaling.ATTACHMENT_TARGET_GROUP_OLD": ("aws_autoscaling_attachment",),
    "cache_az.CACHE_NUM_NODES": ("aws_elasticache_cluster",),
    "lambda_.ENVIRONMENT": ("aws_lambda_function",),
    "lambda_.EVENT_SOURCE_ARN": ("aws_lambda_event_source_mapping",),
    "s3.INLINE_RULES": ("aws_s3_bucket",),
    "sns.ENDPOINT": ("aws_sns_topic_subscription",),
}


def test_every_catalogue_attribute_is_read_on_some_fixture_or_declared(reads):
    read_paths = {p for _t, p in reads.paths}
    unread = sorted(name for name, a in catalogue_attrs() if a.path("terraform") not in read_paths
                    and name not in DECLARED_TYPES)
    assert not unread, (f"attributes no fixture reads, so no test checks their spelling: {unread} (add a fixture "
                        f"that reads them, or their resource types to DECLARED_TYPES)")


def test_declared_attributes_are_in_the_schema(schema):
    attrs = dict(catalogue_attrs())
    legacy = legacy_spellings()
    wrong = [f"{name} on {t}: {'.'.join(a.path('terraform'))}" for name, types in DECLARED_TYPES.items()
             for a in [attrs[name]] for t in types
             if not schema_has(schema, t, a.path("terraform")) and not _is_legacy(t, a.path("terraform"), legacy)]
    assert not wrong, wrong


def test_declared_4x_spellings_are_not_5x_names(schema, reads):
    """A declared legacy spelling that 5.100 still has is a wrong declaration (it would be read as 4.x)."""
    types_reading: dict = {}
    for t, p in reads.paths:
        types_reading.setdefault(p, set()).add(t)
    still_there = sorted(f"{t}: {'.'.join(path)}" for rtype, path in legacy_spellings(removed_only=True)
                         for t in ([rtype] if rtype else sorted(types_reading.get(path, ())))
                         if schema_has(schema, t, path))
    assert not still_there, still_there


def test_schema_lookup_itself(schema):
    assert schema_has(schema, "aws_db_instance", ("multi_az",))
    assert not schema_has(schema, "aws_db_instance", ("multi_azz",))
    assert schema_has(schema, "aws_lb_target_group", ("health_check", "path"))
    assert schema_has(schema, "aws_db_instance", ("tags", "Name"))
    assert not schema_has(schema, "aws_db_instance", ("multi_az", "x"))

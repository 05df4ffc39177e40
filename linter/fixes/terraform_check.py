"""Structural checks of what `rlint fix` is about to write to Terraform files, for what a rescan cannot see.

rlint's own evaluator is lenient where Terraform is not: a reference to a counted resource without an
instance key, a reference into a called module's resources, a reference to a resource the module does not
declare (one that lives in a called module, named as if it stood in the caller), or a provider alias nothing
declares all scan cleanly and all fail `terraform validate`. The written text is read back for them before anything is
written; a file with such a problem is not written, and its fixes are reported as not fixed, with why.
"""
from __future__ import annotations

import difflib
import posixpath
import re

_INTO_MODULE = re.compile(r"(?<![\w.])(module\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?\.(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+"
                          r"\.[A-Za-z0-9_-]+)\.[A-Za-z_]")
_EXPANDED_BLOCK = re.compile(r'^\s*resource\s+"([^"]+)"\s+"([^"]+)"\s*\{\s*\n\s*(?:count|for_each)\s*=', re.M)
# `aws_rds_cluster.main.id`: a managed resource's attribute (a type has a provider prefix and an underscore; data
# sources, module outputs, var., local. and the like are preceded by a dot or have no underscore); a quoted
# name in a description is not a reference
_RESOURCE_USE = re.compile(r"(?<![\w.\"])([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]]*\])?"
                           r"\.[A-Za-z_]")
_RESOURCE_BLOCK = re.compile(r'^\s*resource\s+"([^"]+)"\s+"([^"]+)"', re.M)
_PROVIDER_USE = re.compile(r"^\s*provider\s*=\s*([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\s*$", re.M)
_ALIAS = re.compile(r'^\s*alias\s*=\s*"([^"]+)"', re.M)
_CONFIGURATION_ALIASES = re.compile(r"configuration_aliases\s*=\s*\[([^\]]*)\]")


def added_text(old: str, new: str) -> str:
    """The lines of `new` that are not in `old` (what the fixes wrote)."""
    old_lines, new_lines = (old or "").splitlines(), new.splitlines()
    out = []
    for tag, _i1, _i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            out.extend(new_lines[j1:j2])
    return "\n".join(out)


def problems(path: str, old: str, new: str, directory_texts: dict, expanded: set, declared: set = None) -> list:
    """What Terraform would reject in the lines the fixes add to `path`. `directory_texts`: every Terraform file of
    the module as it will read ({path: text}); `expanded`: addresses in the module with count or for_each;
    `declared`: the addresses of the resources rlint read in the module (its `.tf.json` and override files
    included), when known: a reference to any other resource is one Terraform cannot resolve."""
    written = added_text(old, new)
    if not written.strip():
        return []
    found = [f"`{m.group(1)}` reads a resource inside a called module: Terraform exposes only its outputs"
             for m in _INTO_MODULE.finditer(written)]
    counted = set(expanded)
    for text in directory_texts.values():
        counted |= {f"{t}.{n}" for t, n in _EXPANDED_BLOCK.findall(text)}
    for address in sorted(counted):
        if re.search(rf"(?<![\w.]){re.escape(address)}\.[A-Za-z_]", written):
            found.append(f"`{address}` has count or for_each: a reference needs an instance key")
    if declared is not None:
        present = set(declared)
        for text in directory_texts.values():
            present |= {f"{t}.{n}" for t, n in _RESOURCE_BLOCK.findall(text)}
        for address in sorted({f"{t}.{n}" for t, n in _RESOURCE_USE.findall(written)} - present):
            found.append(f"`{address}` is not declared in {posixpath.dirname(path) or '.'}: a resource of a called "
                         f"module is reached through its outputs")
    aliases = set()
    for text in directory_texts.values():
        aliases |= set(_ALIAS.findall(text))
        for listed in _CONFIGURATION_ALIASES.findall(text):
            aliases |= {a.split(".", 1)[1] for a in re.findall(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", listed)}
    for provider, alias in sorted(set(_PROVIDER_USE.findall(written))):
        if alias not in aliases:
            found.append(f"provider `{provider}.{alias}` is not configured in {posixpath.dirname(path) or '.'}")
    return found

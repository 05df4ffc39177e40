"""Which major versions of the AWS provider a Terraform configuration can run with.

Read from the dependency lock file (`.terraform.lock.hcl`: the exact version `terraform init` chose) or else
from every version constraint in the module tree (`required_providers`, and the old `version` argument of a
`provider "aws"` block): Terraform installs a version that satisfies all of them at once. The answer is a
pair (lowest major, highest major or None when unbounded), or None when nothing constrains the version.
Fixes use it to spell arguments the way that provider version accepts (rules/attrs/provider_renames.py).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..lazy_regex import lazy_regex

AWS_SOURCES = ("hashicorp/aws", "registry.terraform.io/hashicorp/aws")
_CONSTRAINT = re.compile(r"^\s*(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]*)?\s*$")
_LOCKED = lazy_regex(r'provider\s+"(?:registry\.terraform\.io/)?hashicorp/aws"\s*\{[^}]*?\bversion\s*=\s*"(\d+)\.',
                     re.S)


def major_bounds(constraint: str) -> Optional[tuple]:
    """(lowest major, highest major or None) one constraint string allows; None when it cannot be read."""
    low, high = 0, None
    for part in constraint.split(","):
        if not part.strip():
            continue
        m = _CONSTRAINT.match(part)
        if m is None:
            return None
        op, major = m.group(1) or "=", int(m.group(2))
        minor, patch = m.group(3), m.group(4)
        if op == "=":
            low, high = max(low, major), _lower(high, major)
        elif op in (">=", ">"):
            low = max(low, major)
        elif op == "<=":
            high = _lower(high, major)
        elif op == "<":
            below = major - 1 if int(minor or 0) == 0 and int(patch or 0) == 0 else major
            high = _lower(high, below)
        elif op == "~>":
            low = max(low, major)
            if minor is not None:  # "~> 4.0" and "~> 4.0.1" stay within 4.x; "~> 4" allows any later major
                high = _lower(high, major)
    return low, high


def _lower(high: Optional[int], major: int) -> int:
    return major if high is None else min(high, major)


def combine(bounds: list) -> Optional[tuple]:
    """The majors every constraint allows together; None when no constraint was read."""
    bounds = [b for b in bounds if b is not None]
    if not bounds:
        return None
    low = max(b[0] for b in bounds)
    highs = [b[1] for b in bounds if b[1] is not None]
    return low, (min(highs) if highs else None)


def locked_major(directory: Path) -> Optional[int]:
    """The AWS provider major version recorded in the root module's `.terraform.lock.hcl`."""
    try:
        text = (directory / ".terraform.lock.hcl").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    m = _LOCKED().search(text)
    return int(m.group(1)) if m else None


def aws_constraints(terraform_blocks: list, provider_blocks: list, literal) -> list:
    """The AWS version constraint strings of a module: `required_providers` entries whose source is the
    HashiCorp AWS provider (or named `aws` without a source), and `version` in `provider "aws"` blocks.
    `literal(attr)` evaluates an attribute without references."""
    found = []
    for block in terraform_blocks:
        for inner in block.body.blocks:
            if inner.type != "required_providers":
                continue
            for name, attr in inner.body.attributes.items():
                value = literal(attr)
                if isinstance(value, str) and name == "aws":  # the 0.12 shorthand: aws = "~> 3.0"
                    found.append(value)
                elif isinstance(value, dict):
                    source = value.get("source")
                    is_aws = (isinstance(source, str) and source.lower() in AWS_SOURCES) or \
                        (source is None and name == "aws")
                    if is_aws and isinstance(value.get("version"), str):
                        found.append(value["version"])
    for block in provider_blocks:
        attr = block.body.attributes.get("version")
        value = literal(attr) if attr is not None else None
        if isinstance(value, str):
            found.append(value)
    return found


def aws_majors(constraints: list, lock_dir: Optional[Path]) -> Optional[tuple]:
    """(lowest, highest or None) major of the AWS provider, the lock file first."""
    if lock_dir is not None:
        locked = locked_major(lock_dir)
        if locked is not None:
            return locked, locked
    return combine([major_bounds(c) for c in constraints])


__all__ = ["major_bounds", "combine", "locked_major", "aws_constraints", "aws_majors"]

"""What a Terraform root module says about the environment it deploys, as written: the decided string values of
its locals and user-given variables named like an environment (`local.environment = "development"`,
`env = "dev"` in terraform.tfvars), and the name of its directory (`environments/development`,
`envs/dev/eu-west-1`). The rules decide what the names mean (rules/data_value.py: a root that names only
non-production environments is `test-only`); the evaluator only records them.

Only locals the evaluation of the root already read count (evaluating another could read `terraform.workspace`
and mark the root as depending on it). A variable's default is not read: the run that deploys the root may set
the variable (`-var`, `TF_VAR_`), and the default does not say which environment that run is for.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from ..lazy_regex import lazy_regex

# local and variable names that hold the environment's name, compared with `-` read as `_`, in lower case
ENVIRONMENT_NAMES = frozenset({"environment", "env", "environment_name", "env_name", "stage", "stage_name",
                               "environment_type", "env_type", "deployment_environment", "app_env"})
# a directory named after a Region (`envs/dev/eu-west-1`) is one Region of the environment its parent names
_REGION_DIR = lazy_regex(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$")
_MAX_NAME = 40  # longer strings are not environment names (a description, a JSON document)


def declared_environments(evaluator, directory: Path) -> tuple:
    """((kind, how it is said, the name), ...) for a root module's evaluator, in a stable order; kind is "value"
    (a local's or variable's value) or "directory" (a directory's name, which may carry words besides the
    environment's: `billing-dev`)."""
    out = []
    for name in sorted(evaluator.local_cache):  # the locals the root's evaluation read: reading no other has effects
        if _environment_name(name):
            value = evaluator.local_cache[name]
            if _name_like(value):
                out.append(("value", f"`local.{name} = \"{value}\"`", value))
    for name, value in sorted(evaluator.var_values.items()):
        source = evaluator.var_sources.get(name)
        if source is not None and _environment_name(name) and _name_like(value):
            out.append(("value", f"`var.{name} = \"{value}\"` {_given_in(source)}", value))
    folder = _folder(directory)
    if folder:
        shown, name = folder
        out.append(("directory", f"the root module's directory `{shown}`", name))
    return tuple(out)


def _environment_name(name: str) -> bool:
    return name.lower().replace("-", "_") in ENVIRONMENT_NAMES


def _name_like(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= _MAX_NAME


def _given_in(source: tuple) -> str:
    """Where a root variable's value was given (evaluator.var_sources): a var file, TF_VAR_ or --var."""
    return f"set in {source[1]}" if source[0] == "tfvars" else f"set by {source[1]}"


def _folder(directory: Path) -> Optional[tuple]:
    """(the directory as shown, the name it gives): the root's own directory, or its parent when the root's is
    named after a Region (`dev/eu-west-1` gives `dev`). None when the path has no name (a filesystem root)."""
    path = Path(os.path.abspath(directory))  # the name as the user sees it; resolving costs a syscall a component
    if not path.name:
        return None
    if _REGION_DIR().match(path.name) and path.parent.name:
        return f"{path.parent.name}/{path.name}", path.parent.name
    return path.name, path.name

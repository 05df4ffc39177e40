"""Which Terraform workspace a root module is evaluated in: the value of `terraform.workspace`.

The user may name it to rlint (a deployment's `workspace:`, else `--workspace`, else `workspace:` in the
configuration); otherwise rlint reads it where Terraform does (internal/command/meta.go, WorkspaceOverridden):
a non-empty `TF_WORKSPACE` first, then the file `terraform workspace select` writes, `environment` in the data
directory (`TF_DATA_DIR`, default `.terraform`, relative to the root module where Terraform runs), its content
trimmed. Terraform falls back to "default" when neither is there; rlint cannot know which workspace a later run
selects, so the value stays unknown.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# Terraform accepts a name that url.PathEscape leaves unchanged: unreserved characters and : @ & = + $
VALID = re.compile(r"^[A-Za-z0-9_.~:@&=+$-]+$")
HOW_TO_NAME = "name it with --workspace, TF_WORKSPACE or `terraform: {workspace: NAME}` in .rlint.yaml"


@dataclass(frozen=True)
class Workspace:
    name: Optional[str]  # None: not known before the run
    source: str          # where the name comes from, or why it is not known

    @property
    def known(self) -> bool:
        return self.name is not None


def valid_name(name: str) -> bool:
    return bool(VALID.match(name))


def resolve(directory: Path, named: Optional[str], environ: Optional[dict] = None, named_in: str = "") -> Workspace:
    """The workspace of the root module in `directory`; `named` is what the user told rlint (in `named_in`)."""
    if named is not None:
        return Workspace(named, named_in or "named to rlint")
    environ = os.environ if environ is None else environ
    env = environ.get("TF_WORKSPACE", "")
    if env:
        if not valid_name(env):  # Terraform refuses to run: no value to agree with
            return Workspace(None, f"TF_WORKSPACE={env!r} is not a workspace name Terraform accepts")
        return Workspace(env, "TF_WORKSPACE")
    data_dir = Path(environ.get("TF_DATA_DIR") or ".terraform")
    path = data_dir / "environment" if data_dir.is_absolute() else directory / data_dir / "environment"
    try:
        selected = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        selected = ""
    if selected:
        shown = (data_dir / "environment").as_posix()
        return Workspace(selected, f"{shown} (terraform workspace select)")
    return Workspace(None, f"terraform.workspace is chosen at run time: {HOW_TO_NAME}")

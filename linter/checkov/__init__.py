"""rlint inside checkov: a directory of checkov custom checks that answer from rlint's own engine.

`rlint checkov-dir` writes the directory and prints its path, for
`checkov -d infra --external-checks-dir "$(rlint checkov-dir)"`. The checks run rlint once per checkov
run, as a subprocess of rlint's own interpreter, and answer every resource from that one result, so
graph rules, unknowns and suppressions behave exactly as in `rlint scan`. Nothing of rlint is imported
into checkov's process: the two tools pin incompatible libraries that share the import name `hcl2`
(checkov's bc-python-hcl2 and rlint's python-hcl2), so they must live in separate environments.
"""
from __future__ import annotations

import json
import os
import sys
from importlib import resources
from pathlib import Path

from .. import __version__


def checkov_id(rule_id: str) -> str:
    """RL101 -> CKV_RLINT_101 (checkov's custom id convention: CKV_<NAMESPACE>_<number>)."""
    return f"CKV_RLINT_{rule_id[2:]}"


def catalog() -> list:
    from rlint.rules import all_rules

    out = []
    for rule in all_rules():
        refs = rule.references()
        out.append({
            "id": checkov_id(rule.id),
            "rule_id": rule.id,
            "name": f"{rule.id} {rule.name}: {rule.summary()}"[:250],
            "terraform": [t for t in rule.resource_types if not t.startswith("AWS::")],
            "cloudformation": [t for t in rule.resource_types if t.startswith("AWS::")],
            "guideline": refs[0] if refs else "",
        })
    return out


def default_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "rlint" / f"checkov-{__version__}"


PLACEHOLDER = '_BRIDGE = json.loads(r"""{"python": "", "rlint_version": "", "checks": []}""")'


def write_checks_dir(target: Path = None) -> Path:
    """The checks module with the catalogue and this interpreter written into it. No .json or .yaml file goes
    in the directory: checkov reads those as YAML policies and warns about each."""
    target = Path(target) if target else default_dir()
    target.mkdir(parents=True, exist_ok=True)
    (target / "__init__.py").write_text("")  # checkov only loads directories that are packages
    (target / "rlint_bridge.json").unlink(missing_ok=True)  # written by earlier versions
    template = resources.files("rlint.checkov").joinpath("template", "rlint_checks.py").read_text()
    bridge = {"python": sys.executable, "rlint_version": __version__, "checks": catalog()}
    data = json.dumps(bridge, indent=1)  # JSON escapes every quote inside a string: never three in a row
    if PLACEHOLDER not in template or '"""' in data:
        raise RuntimeError("cannot write the checks: the template lost its placeholder")
    (target / "rlint_checks.py").write_text(template.replace(PLACEHOLDER, f'_BRIDGE = json.loads(r"""{data}""")'))
    return target

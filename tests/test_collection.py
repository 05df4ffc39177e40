"""When the cyclic garbage collector runs (linter/collection.py): what the program freezes, what library
callers keep. No timers: the collector's own counters."""
from __future__ import annotations

import gc
import subprocess
import sys

from helpers import ROOT, invoke

EXAMPLES = ROOT / "examples"

PROGRAM = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), "enabled", gc.isenabled()))
sys.argv = ["rlint", "scan", sys.argv[1], "--quiet"]
from rlint.cli import main
main()
"""


def test_the_program_freezes_its_rule_catalogue_and_keeps_collecting():
    proc = subprocess.run([sys.executable, "-c", PROGRAM, str(EXAMPLES / "web-tier-terraform")],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    frozen, enabled = proc.stdout.splitlines()[-1].split()[1::2]
    assert int(frozen) > 10_000 and enabled == "True"  # the catalogue's modules alone hold more


def test_library_callers_freeze_nothing_and_keep_the_collector_as_it_was(monkeypatch):
    import rlint.collection as collection

    monkeypatch.setattr(collection, "_PROGRAM", False)
    before = gc.get_freeze_count()
    with collection.long_lived():
        made = [[i] for i in range(1000)]
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == before and gc.is_tracked(made)
    assert invoke("scan", EXAMPLES / "web-tier-terraform", "--quiet").exit_code == 1
    assert gc.get_freeze_count() == before and gc.isenabled()
    gc.disable()
    try:
        with collection.long_lived():
            pass
        assert not gc.isenabled()  # a caller that turned it off keeps it off
    finally:
        gc.enable()


def test_the_loaders_of_the_kinds_found_are_imported_before_any_unit_and_only_those(tmp_path):
    """units.import_loaders runs first in a scan (under long_lived), for the kinds discovered: a Terraform-only
    scan still never imports the CloudFormation machinery (tests/test_startup.py checks the whole set)."""
    from rlint.units import LOADER_MODULES

    probe = ("import json, sys\nfrom rlint import engine, units\nseen = []\nload = units.load_unit\n"
             "def first(unit, *a):\n    seen.append(sorted(m for ms in units.LOADER_MODULES.values() for m in ms"
             " if m in sys.modules))\n    return load(unit, *a)\n"
             "engine.load_unit = first\nengine.scan([sys.argv[1]])\nprint(json.dumps(seen[0]))\n")
    (tmp_path / "main.tf").write_text('resource "aws_db_instance" "db" {\n  multi_az = false\n}\n')
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ['["rlint.evaluate.terraform_modules"]']
    assert set(LOADER_MODULES) == {"terraform", "cloudformation"}

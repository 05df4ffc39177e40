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

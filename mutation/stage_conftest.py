"""conftest.py of the mutation staging tree (copied there by mutation/run.py; not a test module of the repo).

In a mutant's test process (MUTANT_UNDER_TEST names a mutant):
- a mutant that mutation/equivalent.yaml declares equivalent exits at once with mutmut's "skipped" code;
- functools caches filled by the parent process (which ran the original code to collect which tests reach
  which function) are emptied, so the mutant's own code computes every value.
"""
import functools
import os
import sys
from pathlib import Path

import pytest

SKIPPED = 34  # mutmut's exit code for "skipped"


def _clear_caches():
    for name, module in list(sys.modules.items()):
        if not name.startswith("rlint") or module is None:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def pytest_sessionstart(session):
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in name:
        return
    _clear_caches()
    from mutation_triage import Mutant, load_notes, note_for

    notes = load_notes(Path(os.environ["RLINT_MUTATION_NOTES"]))
    stage = Path(__file__).resolve().parent.parent
    if note_for(stage, Mutant.parse(name), notes) is not None:
        pytest.exit("equivalent mutant (mutation/equivalent.yaml)", returncode=SKIPPED)

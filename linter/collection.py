"""When Python's cyclic garbage collector runs during a scan (design: speed)."""
from __future__ import annotations

import functools
import gc
from contextlib import contextmanager


@contextmanager
def fewer_collections():
    """A scan allocates millions of small objects that live until the report is written and form almost no
    reference cycles. With the default thresholds the cyclic collector re-traverses that growing heap again
    and again: a fifth of a large scan's CPU time, for nothing. Collect less often while scanning and while
    the report is written (a command ends soon after; the thresholds are restored for library callers).
    The young generation is collected every 50,000 allocations (every 10,000 traversed the objects made for
    one resource's evaluation before they were freed: a third more collector time at N=1000); the middle one
    only after 1,000 of those: it only ever saw the scan's long-lived objects again (a Terraform scan leaves
    no cyclic garbage since the evaluator trees are released, CloudFormation a few thousand objects at
    N=1000), and traversing them once more cost about half of the collector's time."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 1_000, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


_PROGRAM = False


def as_program() -> None:
    """Called by the `rlint` program itself (cli._Program), never by library callers: it may freeze what lives
    as long as the process."""
    global _PROGRAM
    _PROGRAM = True


@contextmanager
def long_lived():
    """Objects made inside live as long as the process (the rule catalogue's modules: classes, functions,
    tables). No collection runs while they are made: each would traverse all of them for nothing. The program
    then freezes everything it holds (gc.freeze: the modules imported so far, its options), so no later
    collection traverses it again, and worker processes forked after that share those pages. Library callers
    keep Python's collector as it was: nothing of theirs is frozen."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _PROGRAM:
            gc.freeze()
        if was:
            gc.enable()


def collecting_less(command):
    """Run a command (scan, fix, graph) with fewer collections, its reporting included."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with fewer_collections():
            return command(*args, **kwargs)
    return run

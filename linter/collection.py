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
    the report is written (a command ends soon after; the thresholds are restored for library callers)."""
    before = gc.get_threshold()
    gc.set_threshold(10_000, 10, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def collecting_less(command):
    """Run a command (scan, fix, graph) with fewer collections, its reporting included."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        with fewer_collections():
            return command(*args, **kwargs)
    return run

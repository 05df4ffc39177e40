"""One tuple per attribute path for the whole scan (both formats).

Every resource keeps a position per setting (`attr_spans`), and most resources spell the same paths (`tags`,
`Properties.Engine` ...): one shared tuple per path keeps that small, and a worker process's results reach the
scan's parent with one copy of each path per batch (pickling shares what is one object). Tuples of names and
indexes never change, so the table cannot go stale."""
from __future__ import annotations

_PATHS: dict = {}


def shared_path(path: tuple) -> tuple:
    return _PATHS.setdefault(path, path)

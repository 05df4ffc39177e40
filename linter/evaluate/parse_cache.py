"""Parsed HCL files kept for the next module that reads the same file (design: speed and memory).

A module called from many roots (every environment of a repository, every example of a module repository) is
parsed once. A parsed file keeps its whole syntax tree, several times the size of its text, so keeping the
last few hundred files parsed cost more memory than anything else a large scan holds, for files that are
mostly read once. New files wait in a short queue; a file read again while it waits, or again after it has
left the queue (its key is remembered), is kept among the files known to be shared.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Callable


class SharedParses:
    def __init__(self, parse: Callable, waiting: int = 64, shared: int = 256, remembered: int = 4096):
        self._parse = parse
        self._limits = (waiting, shared, remembered)
        self._waiting: OrderedDict = OrderedDict()  # (source, display) -> parsed, read once so far
        self._shared: OrderedDict = OrderedDict()  # (source, display) -> parsed, read more than once
        self._left: OrderedDict = OrderedDict()  # (hash of source, display) of files that left the queue

    def __call__(self, source: bytes, display: str):
        key = (source, display)
        found = self._shared.pop(key, None)
        if found is None:
            found = self._waiting.pop(key, None)
        if found is not None:
            self._share(key, found)
            return found
        parsed = self._parse(source, display)
        remembered = (hash(source), display)  # a key only: a collision costs a parse, never a wrong tree
        if remembered in self._left:
            del self._left[remembered]
            self._share(key, parsed)
        else:
            self._wait(key, parsed)
        return parsed

    def _share(self, key: tuple, parsed) -> None:
        self._shared[key] = parsed
        if len(self._shared) > self._limits[1]:
            self._shared.popitem(last=False)

    def _wait(self, key: tuple, parsed) -> None:
        self._waiting[key] = parsed
        if len(self._waiting) > self._limits[0]:
            (source, display), _parsed = self._waiting.popitem(last=False)
            self._left[(hash(source), display)] = None
            if len(self._left) > self._limits[2]:
                self._left.popitem(last=False)

    def clear(self) -> None:
        self._waiting.clear()
        self._shared.clear()
        self._left.clear()

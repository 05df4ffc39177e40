"""Parsed files kept for the next module that reads them (linter/evaluate/parse_cache.py): files read once
leave after a short queue, files read again are kept, and a file is never confused with another."""
from __future__ import annotations

from rlint.evaluate.parse_cache import SharedParses


def counting_cache(**limits):
    parses = []

    def parse(source, display):
        parses.append(display)
        return (source, display, len(parses))  # a new object for every parse

    return SharedParses(parse, **limits), parses


def test_a_file_read_again_while_it_waits_is_parsed_once_and_kept():
    cache, parses = counting_cache(waiting=2, shared=4)
    first = cache(b"a = 1", "m/main.tf")
    assert cache(b"a = 1", "m/main.tf") is first
    for i in range(10):  # files read once push the queue, not the shared files
        cache(f"x = {i}".encode(), f"r{i}/main.tf")
    assert cache(b"a = 1", "m/main.tf") is first
    assert parses.count("m/main.tf") == 1


def test_a_file_read_once_leaves_after_the_queue_and_is_kept_when_read_again():
    cache, parses = counting_cache(waiting=2, shared=4)
    cache(b"a = 1", "m/main.tf")
    cache(b"b = 1", "r1/main.tf")
    cache(b"c = 1", "r2/main.tf")  # the queue holds two: m/main.tf leaves it, remembered
    again = cache(b"a = 1", "m/main.tf")
    assert parses.count("m/main.tf") == 2
    for i in range(10):
        cache(f"x = {i}".encode(), f"r{i}/main.tf")
    assert cache(b"a = 1", "m/main.tf") is again  # read twice: kept among the shared files
    assert parses.count("m/main.tf") == 2


def test_the_same_path_with_other_text_is_another_file():
    cache, parses = counting_cache()
    old = cache(b"a = 1", "m/main.tf")
    new = cache(b"a = 2", "m/main.tf")
    assert new is not old and new[0] == b"a = 2" and parses == ["m/main.tf", "m/main.tf"]


def test_shared_files_are_bounded():
    cache, parses = counting_cache(waiting=1, shared=2)
    for name in ("a", "b", "c"):
        cache(name.encode(), name)
        cache(name.encode(), name)  # shared
    assert len(parses) == 3
    cache(b"a", "a")  # the oldest shared file was dropped
    assert len(parses) == 4

"""Load units in worker processes when there are many. Results come back in unit order, so a parallel scan
produces exactly the report of a serial one (tests/test_parallel.py asserts it byte for byte)."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from .units import load_unit


def _load(args):
    unit, tf_inputs, cfn_inputs = args
    return load_unit(unit, tf_inputs, cfn_inputs)


def load_units_parallel(units: list, options) -> list:
    work = [(u, options.terraform, options.cloudformation) for u in units]
    # chunks amortise the pickling of small units; several chunks per worker keep the cores busy
    chunk = max(1, len(units) // (options.jobs * 8))
    try:
        with ProcessPoolExecutor(max_workers=options.jobs) as pool:
            loaded = []
            for unit in pool.map(_load, work, chunksize=chunk):
                loaded.append(unit)
                if options.progress is not None:
                    options.progress(len(loaded), len(units))
            return loaded
    except (OSError, RuntimeError):  # no process support here (sandboxes): fall back to serial
        return [_load(w) for w in work]

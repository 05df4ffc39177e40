"""How the `rlint` program ends (design: speed).

At a normal exit the interpreter frees every object it still holds, one by one, after a last garbage collection
over all of them. A scan holds everything it read until its report is written, so that teardown is pure cost:
about a quarter of a whole scan's CPU at 100 roots, for nothing the user sees. Like other command-line tools
(mypy's hard exit), the program ends without it, once everything a normal exit does for the outside world is
done: the exit functions run (multiprocessing, logging, weakref finalizers) and the standard streams are
flushed. Anything unusual takes the ordinary way out."""
from __future__ import annotations

import atexit
import os
import sys
import threading


def leave(code) -> None:
    """End the process with `code` (a SystemExit's code: None, an int, or a message for stderr)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        raise SystemExit(code)  # Python prints the message and chooses the status
    if threading.active_count() > 1:
        raise SystemExit(code)  # a normal exit waits for running threads
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - e.g. a closed pipe: Python's own exit reports it and sets the status
        raise SystemExit(code) from None
    os._exit(status)

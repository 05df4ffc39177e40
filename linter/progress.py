"""A progress bar on stderr for long scans: silent for the first half second, so short scans print nothing,
and only when stderr is a terminal (never in CI logs or when piped)."""
from __future__ import annotations

import os
import sys
import time

WIDTH = 30
DELAY = 0.5  # seconds before the bar appears


class Progress:
    def __init__(self, stream=None, delay: float = DELAY, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.drawn = False

    @staticmethod
    def wanted(stream=None) -> bool:
        stream = stream if stream is not None else sys.stderr
        if os.environ.get("TERM") == "dumb":  # a terminal that cannot redraw a line
            return False
        return bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        if not self.drawn and self.clock() - self.started < self.delay:
            return
        filled = WIDTH * done // total if total else WIDTH
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total} units")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Erase the bar so the report starts on a clean line."""
        if self.drawn:
            self.stream.write("\r" + " " * (WIDTH + 30) + "\r")
            self.stream.flush()

"""Several render processes used as one: a bulk job renders on every core at once.

A RenderPool answers `render()` like a RenderProcess (client.py), from whichever of its
processes is free, so `render_report(…, process=pool)` works unchanged. Its callers run
one thread more than it has processes: while every process lays out a report, that
thread draws the next report's charts, and no process waits for its next document.
"""

from __future__ import annotations

import queue
from collections.abc import Callable

from cxmaturity.reports.client import RenderProcess
from cxmaturity.reports.errors import ReportRenderError

CORES = 2
"""Render processes of a pool: the cores of the machine this app is sized for."""


class RenderPool:
    """Render processes of their own, so that a bulk job never holds up a download (which
    renders with the web worker's render process). Thread-safe."""

    def __init__(self, size: int = CORES) -> None:
        self.processes = tuple(RenderProcess() for _ in range(size))
        self._free: queue.Queue[RenderProcess] = queue.Queue()
        for process in self.processes:
            self._free.put(process)

    @property
    def threads(self) -> int:
        """How many threads keep every process busy."""
        return len(self.processes) + 1

    def start(self) -> None:
        """Start every process; returns at once, they load WeasyPrint in parallel."""
        for process in self.processes:
            process.start()

    def render(
        self, html: str, timeout: float, while_waiting: Callable[[], object] | None = None
    ) -> bytes:
        """The PDF of `html` from the first free process; raises ReportRenderError."""
        try:
            process = self._free.get(timeout=timeout)
        except queue.Empty:
            raise ReportRenderError(
                f"The report took longer than {timeout:g} seconds and was stopped. "
                "Please try again."
            ) from None
        try:
            return process.render(html, timeout, while_waiting)
        finally:
            self._free.put(process)

    def close(self) -> None:
        """Stop every process; the next render starts them again."""
        for process in self.processes:
            process.close()

"""The web worker's side of rendering: one render process per worker process, asked over a socket.

Why a process: a Python thread cannot be stopped, and `signal.alarm` works only in the
main thread, which gunicorn's threaded workers do not give a request. A child process
can be killed at any point and holds WeasyPrint's memory outside the web worker. Each web
worker process owns one render process, started by its first report or `start()`, never
at import; its threads take turns.

Why `python -m` over a socketpair rather than multiprocessing: a fresh interpreter
shares no locks or threads with the web worker (fork would), and does not re-import the
host's `__main__` (spawn would). See protocol.py for the messages and server.py for the
render process itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress

from cxmaturity.config import PROJECT_ROOT
from cxmaturity.reports import protocol
from cxmaturity.reports.errors import ReportRenderError

CHILD_ENVIRONMENT = {"PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH", "PYTHONHASHSEED"}


class RenderProcess:
    """The render process of this process; thread-safe, restarted after a timeout or crash."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._socket: socket.socket | None = None
        self._temporary: str | None = None
        self._owner = 0

    def start(self) -> None:
        """Start the process if it is not running; returns at once, it loads in parallel."""
        with self._lock:
            self._ensure_running()

    def render(
        self, html: str, timeout: float, while_waiting: Callable[[], object] | None = None
    ) -> bytes:
        """The PDF of `html`; `while_waiting` runs here while the render process works."""
        return self._call(protocol.RENDER, html.encode("utf-8"), timeout, while_waiting)

    def warm_up(self, timeout: float) -> None:
        self._call(protocol.WARM_UP, b"", timeout)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and self._owner == os.getpid() else None

    def _call(
        self,
        kind: bytes,
        payload: bytes,
        timeout: float,
        while_waiting: Callable[[], object] | None = None,
    ) -> bytes:
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            raise ReportRenderError(_too_slow(timeout))
        try:
            try:
                connection = self._ensure_running()
                protocol.send(connection, kind + payload, deadline)
                if while_waiting is not None:
                    while_waiting()
                answer = protocol.receive(connection, deadline)
            except TimeoutError:
                self._stop()
                raise ReportRenderError(_too_slow(timeout)) from None
            except OSError:
                self._stop()
                raise ReportRenderError(
                    "The report could not be rendered. Please try again."
                ) from None
        finally:
            self._lock.release()
        status, body = answer[:1], answer[1:]
        if status == protocol.DONE:
            return body
        if status == protocol.REFUSED:
            raise ReportRenderError(
                "The report refers to a resource outside the application and was not rendered."
            )
        raise ReportRenderError("The report could not be rendered. Please try again.")

    def _ensure_running(self) -> socket.socket:
        if self._owner != os.getpid():
            # Forked (e.g. by gunicorn --preload): the inherited process is the parent's.
            self._process = self._socket = None
        if self._process is not None and self._process.poll() is None:
            return self._socket
        self._stop()
        ours, theirs = socket.socketpair()
        # Only what WeasyPrint needs: the child never sees secrets such as
        # CXM_SECRET_KEY or a database password.
        environment = {
            name: value
            for name, value in os.environ.items()
            if name in CHILD_ENVIRONMENT
            or name.startswith(("LC_", "FONTCONFIG", "XDG_", "OPENBLAS"))
        }
        # The child must import this package even where it is not installed.
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), environment.get("PYTHONPATH")])
        )
        # WeasyPrint keeps the report's fonts in a temporary folder that a killed process
        # cannot remove: a folder of this render process's own, removed by _stop(), holds it.
        self._temporary = environment["TMPDIR"] = tempfile.mkdtemp(prefix="cxmaturity-render-")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "cxmaturity.reports.server", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env=environment,
            # Its own process group, so that stopping it stops the report it is rendering
            # in a fork too, on every system.
            start_new_session=True,
        )
        theirs.close()
        self._socket, self._owner = ours, os.getpid()
        return ours

    def close(self) -> None:
        """Stop the render process; the next report starts a new one."""
        with self._lock:
            self._stop()

    def _stop(self) -> None:
        process, connection, temporary = self._process, self._socket, self._temporary
        self._process = self._socket = self._temporary = None
        if connection is not None:
            connection.close()
        if process is None or self._owner != os.getpid():
            return  # a forked web worker leaves its parent's render process alone
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _too_slow(timeout: float) -> str:
    return f"The report took longer than {timeout:g} seconds and was stopped. Please try again."

"""Renders PDFs in a separate process, so a render that overruns its deadline can be killed.

Why a process: a Python thread cannot be stopped, and `signal.alarm` works only in the
main thread, which gunicorn's threaded workers do not give a request. A child process
can be killed at any point and holds WeasyPrint's memory outside the web worker. Each web
worker process owns one render process (started by `warm_up()` or the first report); its
threads take turns.

Why a fork per report: the render process loads WeasyPrint and renders its first report
itself, which leaves every cache warm; each later report is rendered in a fork of it that
exits when done. The render process so never grows, however many reports it renders, and
no report pays for collecting the garbage of the one before it (about 50 ms of cycles).

Why `python -m` over a socketpair rather than multiprocessing: a fresh interpreter
shares no locks or threads with the web worker (fork would), and does not re-import the
host's `__main__` (spawn would). The socket carries length-prefixed messages, with a
deadline on every read and write.
"""

from __future__ import annotations

import ctypes
import gc
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import suppress
from functools import cache

from cxmaturity.config import PROJECT_ROOT
from cxmaturity.reports.errors import ReportRenderError

RENDER, WARM_UP = b"R", b"W"
DONE, REFUSED, FAILED = b"K", b"E", b"X"
FORK_DEADLINE = 120
"""Seconds after which a forked render ends itself whatever happens to its render process
(the caller's own deadline is far shorter, and stopping the render process stops its forks)."""
_HEADER = struct.Struct("!Q")
PR_SET_PDEATHSIG = 1


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

    def render(self, html: str, timeout: float) -> bytes:
        return self._call(RENDER, html.encode("utf-8"), timeout)

    def warm_up(self, timeout: float) -> None:
        self._call(WARM_UP, b"", timeout)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process and self._owner == os.getpid() else None

    def _call(self, kind: bytes, payload: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            raise ReportRenderError(_too_slow(timeout))
        try:
            try:
                connection = self._ensure_running()
                _send(connection, kind + payload, deadline)
                answer = _receive(connection, deadline)
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
        if status == DONE:
            return body
        if status == REFUSED:
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
            [sys.executable, "-m", "cxmaturity.reports.worker", str(theirs.fileno())],
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


def _send(connection: socket.socket, message: bytes, deadline: float | None) -> None:
    _set_deadline(connection, deadline)
    connection.sendall(_HEADER.pack(len(message)))
    connection.sendall(message)


def _receive(connection: socket.socket, deadline: float | None) -> bytes:
    size = _HEADER.unpack(_exactly(connection, _HEADER.size, deadline))[0]
    return _exactly(connection, size, deadline)


def _exactly(connection: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, missing = [], size
    while missing:
        _set_deadline(connection, deadline)
        chunk = connection.recv(min(missing, 1 << 20))
        if not chunk:
            raise ConnectionError("the render process closed the connection")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _set_deadline(connection: socket.socket, deadline: float | None) -> None:
    if deadline is None:
        connection.settimeout(None)
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    connection.settimeout(remaining)


def serve(connection: socket.socket) -> None:
    """The render process: answer requests until the web worker closes the socket."""
    from cxmaturity.reports import engine

    # Warm up only while nobody waits: a report already sent is the better warm-up.
    if not _pending(connection):
        engine.warm_up()
    warm = False
    while True:
        try:
            message = _receive(connection, None)
        except (ConnectionError, OSError):
            return
        kind, payload = message[:1], message[1:]
        if kind == WARM_UP:
            engine.warm_up()
            _send(connection, DONE, None)
        elif warm:
            _send(connection, _render_in_fork(payload), None)
        else:
            # The first report is rendered here, so every fork starts with its caches.
            answer = _render(payload)
            _send(connection, answer, None)
            warm = answer.startswith(DONE)
            _tidy_up()  # after the answer, so nobody waits for it


def _render(payload: bytes) -> bytes:
    from weasyprint.urls import FatalURLFetchingError

    from cxmaturity.reports import engine

    try:
        return DONE + engine.html_to_pdf(payload.decode("utf-8"))
    except FatalURLFetchingError as error:
        print(f"report: {error.__cause__ or error}", file=sys.stderr)
        return REFUSED
    except Exception:  # a bad document must not end the process
        traceback.print_exc()
        return FAILED


def _render_in_fork(payload: bytes) -> bytes:
    """The answer of a render in a forked child, which exits without tidying up."""
    parent = os.getpid()
    reader, writer = os.pipe()
    try:
        child = os.fork()
    except OSError:  # out of processes or memory: this report fails, the process lives on
        os.close(reader)
        os.close(writer)
        return FAILED
    if child == 0:  # pragma: no cover - runs in the fork; coverage does not follow it
        status = 1
        try:
            os.close(reader)
            _die_with_parent()
            if os.getppid() != parent:
                os._exit(1)
            signal.alarm(FORK_DEADLINE)
            gc.disable()  # all its memory goes back at exit: collecting would only cost time
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(_render(payload))
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        answer = pipe.read()
    _, status = os.waitpid(child, 0)
    # A child that crashed or was killed may have written half an answer.
    return answer if status == 0 and answer else FAILED


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this fork when the render process dies."""
    with suppress(AttributeError):
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _tidy_up() -> None:
    # Pango objects caught in reference cycles are freed only by the cycle collector, and
    # glibc keeps freed pages unless asked; freezing keeps the collector off what is left,
    # so forks do not copy pages only to scan them.
    gc.collect()
    gc.freeze()
    with suppress(AttributeError):  # malloc_trim is glibc's: not on musl or macOS
        _libc().malloc_trim(0)


@cache
def _libc() -> ctypes.CDLL:
    """The C library of this process (loaded once, so forks inherit it loaded)."""
    return ctypes.CDLL(None)


def _pending(connection: socket.socket) -> bool:
    connection.settimeout(0)
    try:
        return bool(connection.recv(1, socket.MSG_PEEK))
    except (BlockingIOError, TimeoutError):
        return False
    finally:
        connection.settimeout(None)


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))

"""The render process: WeasyPrint in a process of its own, serving one web worker over a socket.

Started by client.RenderProcess as `python -m cxmaturity.reports.server FD`.

Why a fork per report: the render process loads WeasyPrint and renders its first report
itself, which leaves every cache warm; each later report is rendered in a fork of it that
exits when done. The render process so never grows, however many reports it renders, and
no report pays for collecting the garbage of the one before it (about 50 ms of cycles).
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import sys
import traceback
from contextlib import suppress
from functools import cache

from cxmaturity.reports import protocol

FORK_DEADLINE = 120
"""Seconds after which a forked render ends itself whatever happens to its render process
(the caller's own deadline is far shorter, and stopping the render process stops its forks)."""
PR_SET_PDEATHSIG = 1


def serve(connection: socket.socket) -> None:
    """The render process: answer requests until the web worker closes the socket."""
    from cxmaturity.reports import engine

    # Warm up only while nobody waits: a report already sent is the better warm-up.
    if not _pending(connection):
        engine.warm_up()
    warm = False
    while True:
        try:
            message = protocol.receive(connection, None)
        except (ConnectionError, OSError):
            return
        kind, payload = message[:1], message[1:]
        if kind == protocol.WARM_UP:
            engine.warm_up()
            protocol.send(connection, protocol.DONE, None)
        elif warm:
            protocol.send(connection, _render_in_fork(payload), None)
        else:
            # The first report is rendered here, so every fork starts with its caches.
            answer = _render(payload)
            protocol.send(connection, answer, None)
            warm = answer.startswith(protocol.DONE)
            _tidy_up()  # after the answer, so nobody waits for it


def _render(payload: bytes) -> bytes:
    from weasyprint.urls import FatalURLFetchingError

    from cxmaturity.reports import engine

    try:
        return protocol.DONE + engine.html_to_pdf(payload.decode("utf-8"))
    except FatalURLFetchingError as error:
        print(f"report: {error.__cause__ or error}", file=sys.stderr)
        return protocol.REFUSED
    except Exception:  # a bad document must not end the process
        traceback.print_exc()
        return protocol.FAILED


def _render_in_fork(payload: bytes) -> bytes:
    """The answer of a render in a forked child, which exits without tidying up."""
    parent = os.getpid()
    reader, writer = os.pipe()
    try:
        child = os.fork()
    except OSError:  # out of processes or memory: this report fails, the process lives on
        os.close(reader)
        os.close(writer)
        return protocol.FAILED
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
    return answer if status == 0 and answer else protocol.FAILED


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

"""The render protocol: length-prefixed messages over a socket, read and written under deadlines.

A request is one byte of kind (RENDER, WARM_UP) and its payload; an answer is one byte of
status (DONE, REFUSED, FAILED) and, when DONE, the PDF.
"""

from __future__ import annotations

import socket
import struct
import time

RENDER, WARM_UP = b"R", b"W"
DONE, REFUSED, FAILED = b"K", b"E", b"X"
_HEADER = struct.Struct("!Q")


def send(connection: socket.socket, message: bytes, deadline: float | None) -> None:
    _set_deadline(connection, deadline)
    connection.sendall(_HEADER.pack(len(message)))
    connection.sendall(message)


def receive(connection: socket.socket, deadline: float | None) -> bytes:
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

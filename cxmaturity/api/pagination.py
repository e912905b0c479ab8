"""Cursor pagination: items in order of their ids, a page after the last id seen.

The cursor is opaque to clients (base64 of a small JSON object). Paging by id is
stable under inserts: a new object gets a higher id and shows up on a later
page, never twice and never pushing another out.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from cxmaturity.api.problems import ApiProblem

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id the cursor continues after; ApiProblem 400 for one we did not make."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise ApiProblem(400, "bad-cursor", "Bad Request", "The cursor is not one we gave out.")
    return after


def page_of(
    items: Iterable[T], id_of: Callable[[T], int], cursor: str | None, limit: int
) -> tuple[Sequence[T], str | None]:
    """The page of `items` after `cursor`, at most `limit`, and the cursor of the next page
    (None at the end)."""
    after = decode_cursor(cursor)
    ordered = sorted((item for item in items if after is None or id_of(item) > after), key=id_of)
    page = ordered[:limit]
    more = len(ordered) > limit
    return page, encode_cursor(id_of(page[-1])) if more else None

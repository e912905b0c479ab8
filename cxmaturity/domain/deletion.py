"""Deleting a client (DESIGN §9): archived first, restorable for 30 days, then purged for good.

Pure: the services ask these functions with the time they go by (`Services.now`),
so a test or a cron run can move the clock.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

RESTORE_DAYS = 30
"""Days after archiving in which a client can be restored; after them it is purged."""


def purge_due_at(archived_at: datetime.datetime) -> datetime.datetime:
    """The moment the archived client may no longer be restored and is purged by cron."""
    return archived_at + datetime.timedelta(days=RESTORE_DAYS)


def restorable(archived_at: datetime.datetime, now: datetime.datetime) -> bool:
    """Whether a client archived at `archived_at` may still be restored at `now`."""
    return now < purge_due_at(archived_at)


def archived_before(now: datetime.datetime) -> datetime.datetime:
    """Clients archived at or before this moment are due to be purged at `now`."""
    return now - datetime.timedelta(days=RESTORE_DAYS)


SHORTEST_NAME_REPLACED = 3
"""Shorter names ("HR") are left alone in audit details: they match ordinary words."""


def reduced_detail(detail: str | None, names: Mapping[str, str]) -> str | None:
    """`detail` with every name in `names` (any case) replaced by its id form ("client #7").

    Longer names go first, so "Alpha AG Nord" is replaced whole before "Alpha AG".
    """
    if not detail:
        return detail
    for name in sorted(names, key=len, reverse=True):
        if len(name.strip()) >= SHORTEST_NAME_REPLACED:
            detail = re.sub(re.escape(name.strip()), names[name], detail, flags=re.IGNORECASE)
    return detail

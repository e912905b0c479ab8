"""The report cache's entries in Redis (CXM_REDIS_URL), so that every app host serves every
PDF that any host or worker rendered.

Keys are `cxm:report:<assessment id>:<cache key>`, so a purge finds a client's reports by
its assessments; each PDF expires KEEP after it was last stored or read. Redis not
answering is no error here: a read finds nothing and a write is skipped, with one warning
line, and Redis is left alone (`resting`) for a few seconds, while the caller uses its
own folder.
"""

from __future__ import annotations

import datetime
import logging
import time

from redis import Redis
from redis.exceptions import RedisError

KEY_PREFIX = "cxm:report:"
KEEP = datetime.timedelta(days=7)
PAUSE_AFTER_FAILURE = 10.0
logger = logging.getLogger(__name__)


class SharedEntries:
    def __init__(self, redis: Redis, keep: datetime.timedelta = KEEP) -> None:
        self.redis = redis
        self.keep = keep
        self._quiet_until = 0.0

    @staticmethod
    def key(assessment_id: int, cache_key: str) -> str:
        return f"{KEY_PREFIX}{int(assessment_id)}:{cache_key}"

    def get(self, name: str) -> bytes | None:
        """The stored PDF (its expiry renewed), or None: missing, or Redis not answering."""
        if self.resting():
            return None
        try:
            found = self.redis.getex(name, ex=self.keep)
        except RedisError as error:
            self._note(error)
            return None
        return found if isinstance(found, bytes) else None

    def put(self, name: str, data: bytes) -> None:
        if self.resting():
            return
        try:
            self.redis.set(name, data, ex=self.keep)
        except RedisError as error:
            self._note(error)

    def forget(self, assessment_id: int) -> int:
        """Delete every PDF of the assessment; how many. Raises RedisError: a purge must
        know when something may have been left."""
        names = list(self.redis.scan_iter(match=f"{KEY_PREFIX}{int(assessment_id)}:*"))
        return int(self.redis.delete(*names)) if names else 0

    def resting(self) -> bool:
        """Whether Redis failed a moment ago and is left alone for now."""
        return time.monotonic() < self._quiet_until

    def _note(self, error: RedisError) -> None:
        if not self.resting():
            logger.warning("Redis does not answer (%s): reports are cached on this host", error)
        self._quiet_until = time.monotonic() + PAUSE_AFTER_FAILURE

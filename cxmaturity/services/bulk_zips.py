"""Bulk ZIPs shared by every app host through Redis (CXM_REDIS_URL).

A finished ZIP is stored under `cxm:bulk-zip:<job id>` for as long as ZIPs are kept (24
hours), before its job is marked done; a host that did not render it copies it into its
download from Redis. Redis rather than the database: the ZIP is a file for
one day, not a record, and Redis drops it on time by itself. Without Redis, the folder is
all there is, as before. Workspace-export files are shared the same way under a key of
their own (`SharedZips(…, key=EXPORT_KEY)`, export_job_runs.py).
"""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path
from typing import BinaryIO

from redis import Redis
from redis.exceptions import RedisError

ZIP_KEY = "cxm:bulk-zip:{job_id}"
logger = logging.getLogger(__name__)


class SharedZips:
    def __init__(
        self,
        directory: Path,
        redis: Redis | None,
        keep: datetime.timedelta,
        key: str = ZIP_KEY,
    ) -> None:
        self.directory = directory
        self.redis = redis
        self.keep = keep
        self.key = key
        """The Redis key of a job's file, with `{job_id}` in it."""

    def publish(self, job_id: int, path: Path) -> None:
        """Store the finished ZIP where every host finds it (Redis), before the job is
        marked done. While Redis does not answer, only this host has it."""
        if self.redis is None:
            return
        try:
            self.redis.set(self.key.format(job_id=job_id), path.read_bytes(), ex=self.keep)
        except RedisError as error:
            logger.warning(
                "Redis does not answer (%s): ZIP of job %s on this host only", error, job_id
            )

    def open(self, job_id: int, file_name: str | None) -> Path | BinaryIO | None:
        """The job's ZIP: its file on this host, else its bytes from Redis (another host
        made it; no copy is left here, so that a purge finds every ZIP); None when gone."""
        if not file_name:
            return None
        path = self.directory / file_name
        if path.is_file() or self.redis is None:
            return path if path.is_file() else None
        try:
            data = self.redis.get(self.key.format(job_id=job_id))
        except RedisError:
            logger.warning("Redis does not answer: the ZIP of job %s cannot be fetched", job_id)
            return None
        return io.BytesIO(data) if isinstance(data, bytes) else None

    def has(self, job_id: int, file_name: str | None) -> bool:
        if not file_name:
            return False
        if (self.directory / file_name).is_file() or self.redis is None:
            return (self.directory / file_name).is_file()
        try:
            return bool(self.redis.exists(self.key.format(job_id=job_id)))
        except RedisError:
            return False

    def forget(self, job_id: int, file_name: str) -> None:
        """Remove the ZIP here and from Redis (for a purge). A ZIP that Redis, not answering,
        could not delete is logged: it expires within `keep` by itself."""
        (self.directory / file_name).unlink(missing_ok=True)
        if self.redis is None:
            return
        try:
            self.redis.delete(self.key.format(job_id=job_id))
        except RedisError as error:
            logger.error("the ZIP of job %s stays in Redis until it expires: %s", job_id, error)

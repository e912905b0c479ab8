"""The pydantic models of the export jobs of /api/v1 (issue 12): what a client asks for and
what it reads back while the job runs."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, Field

from cxmaturity.api.schemas import Strict
from cxmaturity.services.exports import TABLE_NAMES


class ExportJobIn(Strict):
    format: Literal["xlsx", "csv"] = Field(
        description="xlsx: every table as one workbook; csv: every table's CSV in one ZIP,"
        " or one table's CSV when `table` names it."
    )
    table: str | None = Field(
        default=None,
        pattern=f"^({'|'.join(TABLE_NAMES)})$",
        description="One table only (format csv).",
    )


class ExportJobOut(BaseModel):
    id: int
    format: Literal["xlsx", "csv"]
    table: str | None
    status: Literal["queued", "running", "done", "failed"]
    tables_done: int
    tables_total: int
    rows_done: int = Field(description="Rows written so far.")
    error: str | None = Field(
        description="Why it failed: interrupted, storage, not_allowed, client_purged, unexpected."
    )
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    file: str | None = Field(
        description="Where to download the file: once done, for 24 hours (null before and after)."
    )

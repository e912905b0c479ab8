"""The only way WeasyPrint may load anything: the app's own static files and data: URIs.

WeasyPrint's default fetcher opens any URL, so a `file:` link in a document would put a
local file into the PDF (`rel="attachment"`) and `file:///dev/zero` would never end.
This fetcher refuses every other scheme, every path outside the static folder (after
resolving symlinks and `..`) and anything but a regular file, and any refusal stops the
rendering instead of leaving a gap in the report.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from cxmaturity.config import STATIC_DIR

MAX_FILE_BYTES = 8 * 1024 * 1024
MIME_TYPES = {".css": "text/css", ".otf": "font/otf", ".ttf": "font/ttf", ".svg": "image/svg+xml"}


class RefusedResource(ValueError):
    """A document asked for something outside the app's static files."""


class StaticFilesOnly(URLFetcher):
    """Serves `data:` URIs and regular files under the static folder; refuses all else."""

    def __init__(self, static_dir: Path = STATIC_DIR) -> None:
        # fail_on_errors: WeasyPrint turns every exception raised here into a fatal error.
        super().__init__(
            timeout=1, allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True
        )
        self.root = Path(static_dir).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            # urllib decodes data: URIs in memory; nothing outside the document is read.
            return super().fetch(url, headers)
        if scheme == "file":
            return self._static_file(url)
        raise RefusedResource(f"refused to fetch {_short(url)}: only the app's static files")

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedResource(f"refused to fetch {_short(url)}: not a local file")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not path.is_relative_to(self.root):
            raise RefusedResource(f"refused to fetch {_short(url)}: outside the static folder")
        # O_NONBLOCK: opening a FIFO planted under static/ must not wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                raise RefusedResource(f"refused to fetch {_short(url)}: not a small regular file")
            body = handle.read(MAX_FILE_BYTES)
        content_type = MIME_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        headers = {"Content-Type": content_type or "application/octet-stream"}
        return URLFetcherResponse(path.as_uri(), body, headers)


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."

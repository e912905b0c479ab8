"""The report cache's keys and files: a PDF is found again by a hash of all that shapes it.

The key covers every input of the report, the language, and a version of the code and
templates that draw it, so an updated template or library never serves an old PDF.
Files are written to a temporary name and renamed into place, so processes sharing the
folder never read half a file.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from fractions import Fraction
from functools import cache
from importlib import metadata
from pathlib import Path

from cxmaturity.config import PROJECT_ROOT, STATIC_DIR, TEMPLATES_DIR
from cxmaturity.domain.outcome import Outcome
from cxmaturity.domain.questionnaire import Questionnaire

LIBRARIES = ("weasyprint", "pydyf", "matplotlib", "jinja2", "fonttools")
PDF_END = b"%%EOF"


@cache
def code_version() -> str:
    """A hash of the report's templates, stylesheet, fonts, code and drawing libraries."""
    digest = hashlib.sha256()
    package = PROJECT_ROOT / "cxmaturity"
    folders = (TEMPLATES_DIR / "report", STATIC_DIR / "report", package / "reports")
    # The words (catalogues) and the number formats shape the report as much as its code.
    paths = [path for folder in folders for path in sorted(folder.rglob("*"))]
    paths += [*sorted((package / "translations").rglob("*.mo")), package / "locale.py"]
    for path in paths:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()


def _canonical(value: object) -> object:
    """A JSON-ready form of any part of the outcome, equal exactly when the values are.

    It walks dataclasses field by field, so a field added to the Outcome (or to any record
    inside it) is part of the key without anyone remembering to add it here.
    """
    if isinstance(value, Questionnaire):
        # The content digest covers every text, weight and threshold of the file.
        return ["questionnaire", value.id, value.version, value.content_digest]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [
            type(value).__name__,
            {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)},
        ]
    if isinstance(value, Fraction):
        return ["fraction", str(value)]
    if isinstance(value, datetime.date):
        return ["date", value.isoformat()]
    if isinstance(value, Mapping):
        return ["mapping", sorted([str(k), _canonical(v)] for k, v in value.items())]
    if isinstance(value, (tuple, list)):
        return [_canonical(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"the cache key cannot cover a {type(value).__name__}")


def cache_key(outcome: Outcome, language: str, day: datetime.date) -> str:
    """The hex digest naming this report's PDF in the cache: every field of the outcome,
    the language, the render date and the code version."""
    document = {
        "code": code_version(),
        "language": language,
        "date": day.isoformat(),
        "outcome": _canonical(outcome),
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_entry(path: Path) -> bytes | None:
    """The cached PDF, or None when it is missing or incomplete."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    # Written without fsync for speed: after a crash a file may be cut short; never serve it.
    return data if data.rstrip().endswith(PDF_END) else None


def write_entry(path: Path, data: bytes, keep: int) -> None:
    """Store atomically, then drop the oldest entries beyond `keep`."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(path.parent, keep)


def _prune(directory: Path, keep: int) -> None:
    entries = []
    with os.scandir(directory) as found:
        for entry in found:
            if entry.name.endswith(".pdf") and not entry.name.startswith("."):
                try:
                    entries.append((entry.stat().st_mtime, entry.path))
                except FileNotFoundError:
                    continue
    for _, stale in sorted(entries)[: max(0, len(entries) - keep)]:
        Path(stale).unlink(missing_ok=True)

"""The report cache's keys and files: a PDF is found again by a hash of all that shapes it.

The key covers every input of the report, the language, and a version of the code and
templates that draw it, so an updated template or library never serves an old PDF.
Files are written to a temporary name and renamed into place, so processes sharing the
folder never read half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from fractions import Fraction
from functools import cache
from importlib import metadata
from pathlib import Path

from cxmaturity.config import PROJECT_ROOT, STATIC_DIR, TEMPLATES_DIR
from cxmaturity.domain.scoring import AssessmentResult
from cxmaturity.reports.model import ReportInput

LIBRARIES = ("weasyprint", "pydyf", "matplotlib", "jinja2", "fonttools")
PDF_END = b"%%EOF"


@cache
def code_version() -> str:
    """A hash of the report's templates, stylesheet, fonts, code and drawing libraries."""
    digest = hashlib.sha256()
    folders = (TEMPLATES_DIR / "report", STATIC_DIR / "report", PROJECT_ROOT / "cxmaturity/reports")
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _result(result: AssessmentResult | None) -> dict | None:
    if result is None:
        return None
    return {
        "questionnaire": [result.questionnaire_id, result.questionnaire_version],
        "overall": [_exact(result.overall_score), result.overall_level, result.uncapped_level],
        "dimensions": [
            [d.dimension_id, _exact(d.score), d.level, [_exact(s) for s in d.respondent_scores]]
            for d in result.dimensions
        ],
        "priorities": list(result.ranked_priorities),
    }


def cache_key(report: ReportInput, language: str) -> str:
    """The hex digest naming this report's PDF in the cache."""
    questionnaire = report.questionnaire
    document = {
        "code": code_version(),
        "language": language,
        "questionnaire": [questionnaire.id, questionnaire.version],
        "questionnaire_content": questionnaire.content_digest,
        "organization": report.organization,
        "period": report.period,
        "generated_on": report.generated_on.isoformat(),
        "result": _result(report.result),
        "respondents": [[r.name, sorted(r.answers.items())] for r in report.respondents],
        "comments": [[c.respondent, c.question_id, c.text] for c in report.comments],
        "previous": _result(report.previous),
        "previous_period": report.previous_period,
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

"""Two quarters of one client for the "since last period" tests: 2026-Q3 on 1.0, 2026-Q4 on 1.1.

Four respondents each; Anna, Ben and Cem answer both times (by email), Dora only in Q3
and Emil only in Q4: 3 of 4 took part both times. In Q3 everybody answers 2 everywhere
(score 2.0, level 2). In Q4:

- strategy (bridged in 1.1: `strategy-budget` reworded, 1 of 5 questions changed) is 2
  except the reworded question at 5: (2·2 + 1·2·3 + 5) / 6 = 2.5, change +0.5, and
  like for like (the four unchanged questions) ±0.0; the stable panel +0.5;
- customer-understanding is 3 everywhere: 3.0, change +1.0, level 2 → 3 (▲); its five
  questions moved by a level;
- every other dimension stays at 2: the questions low in both periods.

Overall: (1.5·2.5 + 1.25·3 + 6.25·2) / 9 = 20 / 9 = 2.222… (shown 2.2), change +0.22
(shown +0.2), bridged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from questionnaire_versions import REWORDED_BRIDGED, versions_dir
from report_fixtures import pages_text

from cxmaturity.domain.loader import Catalogue

ORGANIZATION = "Alpha AG"
THEN, NOW = "2026-Q3", "2026-Q4"
BOTH_TIMES = ("Anna", "Ben", "Cem")
FOOTER = re.compile(rf" {ORGANIZATION} (Since|Seit) {THEN} (Page|Seite) \d+ (of|von) \d+$")
"""The running header and page number, which pypdf puts at the end of a page's text."""


def catalogue(folder: Path) -> Catalogue:
    return Catalogue.from_directory(versions_dir(folder))


def _question_ids(folder_catalogue: Catalogue, version: str) -> list[str]:
    return list(folder_catalogue.get("cx-maturity", version).questions)


def _level_now(question_id: str) -> int:
    if question_id == REWORDED_BRIDGED:
        return 5
    if question_id.startswith("customer-understanding-"):
        return 3
    return 2


def documents(
    folder_catalogue: Catalogue, version_now: str = "1.1"
) -> tuple[dict[str, object], dict[str, object]]:
    """The answers files (DESIGN §6) of Q3 (version 1.0) and Q4 (`version_now`)."""
    before = _question_ids(folder_catalogue, "1.0")
    after = _question_ids(folder_catalogue, version_now)
    then = {
        "questionnaire": "cx-maturity",
        "version": "1.0",
        "organization": ORGANIZATION,
        "period": THEN,
        "respondents": [
            {"name": name, "email": f"{name.lower()}@example.com", "group": "manager",
             "answers": dict.fromkeys(before, 2)}
            for name in (*BOTH_TIMES, "Dora")
        ],
    }  # fmt: skip
    now = {
        "questionnaire": "cx-maturity",
        "version": version_now,
        "organization": ORGANIZATION,
        "period": NOW,
        "respondents": [
            {"name": name, "email": f"{name.lower()}@example.com", "group": "manager",
             "answers": {question: _level_now(question) for question in after}}
            for name in (*BOTH_TIMES, "Emil")
        ],
    }  # fmt: skip
    return then, now


def write_documents(folder: Path, folder_catalogue: Catalogue, version_now: str = "1.1"):
    """Both answers files in `folder`: (previous path, current path)."""
    then, now = documents(folder_catalogue, version_now)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "q3.json", folder / "q4.json"
    for path, document in zip(paths, (then, now), strict=True):
        path.write_text(json.dumps(document), encoding="utf-8")
    return paths


def since_page(pdf: bytes, heading: str = "Since 2026-Q3") -> str:
    """The PDF's since page as text, without its running footer (its page number)."""
    found = [page for page in pages_text(pdf)[2:] if page.startswith(f"{heading} ")]
    assert len(found) == 1, f"expected one page headed {heading!r}"
    return FOOTER.sub("", found[0])

"""Later versions of the cx-maturity questionnaire, for tests only (never shipped).

Each is the shipped 1.0 with named changes, so that tests can prove every class of
DESIGN §4.9 against the real questionnaire:

- 1.1 — bridged: one of strategy's five questions reworded (J = 4/5); a help text of
  customer-understanding reworded, which changes nothing (same).
- 1.2 — broken: 1.1, plus two of data-technology's five questions reworded (J = 3/5,
  broken) and a sixth question added to measurement (J = 5/6, bridged).
- 2.0 — the content of 1.0 under a new major version: every dimension broken.

`versions_dir(path)` writes 1.0 and all three into `path` for a catalogue.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml
from factories import CX_MATURITY_FILE

REWORDED_BRIDGED = "strategy-budget"
REWORDED_HELP = "customer-understanding-personas"
REWORDED_BROKEN = ("data-technology-logging", "data-technology-realtime")
ADDED_QUESTION = "measurement-ces-survey"


def _shipped() -> dict:
    return yaml.safe_load(CX_MATURITY_FILE.read_text(encoding="utf-8"))


def _question(data: dict, question_id: str) -> dict:
    for dimension in data["dimensions"]:
        for question in dimension["questions"]:
            if question["id"] == question_id:
                return question
    raise KeyError(question_id)


def _dimension(data: dict, dimension_id: str) -> dict:
    return next(d for d in data["dimensions"] if d["id"] == dimension_id)


def _reword(question: dict) -> None:
    question["text"] = {
        lang: text + " (neu gefasst)" if lang == "de" else text + " (reworded)"
        for lang, text in question["text"].items()
    }


def version_1_1() -> dict:
    data = _shipped()
    data["version"] = "1.1"
    _reword(_question(data, REWORDED_BRIDGED))
    _question(data, REWORDED_HELP)["help"] = {
        "de": "Eine neu formulierte Hilfe.",
        "en": "A reworded help text.",
    }
    return data


def version_1_2() -> dict:
    data = version_1_1()
    data["version"] = "1.2"
    for question_id in REWORDED_BROKEN:
        _reword(_question(data, question_id))
    measurement = _dimension(data, "measurement")
    added = copy.deepcopy(measurement["questions"][0])
    added["id"] = ADDED_QUESTION
    added.pop("short", None)
    added["text"] = {
        "de": "Wie oft erheben Sie den Customer Effort Score?",
        "en": "How often do you survey the Customer Effort Score?",
    }
    measurement["questions"].append(added)
    return data


def version_2_0() -> dict:
    data = _shipped()
    data["version"] = "2.0"
    return data


VERSIONS = {"1.1": version_1_1, "1.2": version_1_2, "2.0": version_2_0}


def versions_dir(path: Path) -> Path:
    """A questionnaire folder with the shipped 1.0 and the test versions 1.1, 1.2 and 2.0."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy(CX_MATURITY_FILE, path / "cx-maturity.yaml")
    for version, build in VERSIONS.items():
        text = yaml.safe_dump(build(), allow_unicode=True, sort_keys=False)
        (path / f"cx-maturity-{version}.yaml").write_text(text, encoding="utf-8")
    return path

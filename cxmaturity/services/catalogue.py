"""Access to the questionnaire catalogue, loaded once per folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from cxmaturity.domain.loader import Catalogue


@cache
def _load(directory: Path) -> Catalogue:
    return Catalogue.from_directory(directory)


def catalogue_for(directory: str | Path) -> Catalogue:
    """The catalogue of `directory`; raises QuestionnaireError if a file is invalid."""
    return _load(Path(directory).resolve())

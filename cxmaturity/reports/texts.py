"""The report's words in one language: gettext from the app's catalogues, outside any request.

The report shares the interface's catalogue (cxmaturity/translations), so every
user-facing text goes through one system; `make extract-messages` finds the report's
texts in reports/*.py and templates/report/*.html. Numbers and dates come from
cxmaturity.locale, which rounds by DESIGN §4.8 before Babel writes them.
The texts are plain text, never markup: templates escape whatever they produce.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction
from functools import cache

from babel.lists import format_list
from babel.support import NullTranslations, Translations

from cxmaturity import locale
from cxmaturity.config import PROJECT_ROOT
from cxmaturity.locale import LANGUAGES

TRANSLATIONS_DIR = PROJECT_ROOT / "cxmaturity" / "translations"


@cache
def _catalogue(language: str) -> NullTranslations:
    # English is the source language: without a catalogue the msgids are the text.
    return Translations.load(str(TRANSLATIONS_DIR), [language])


class ReportText:
    """gettext, ngettext and the number formats of one language, for views and templates."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"the report is written in {' or '.join(LANGUAGES)}, not {language!r}")
        self.language = language
        self._translations = _catalogue(language)

    def gettext(self, message: str, **values: object) -> str:
        text = self._translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self._translations.ngettext(singular, plural, count)
        return text % {"num": count, **values}

    def score(self, value: Fraction | None) -> str:
        return locale.format_score(value, self.language)

    def spread(self, value: Fraction | None) -> str:
        return locale.format_spread(value, self.language)

    def change(self, value: Fraction | None) -> str:
        return locale.format_change(value, self.language)

    def weight(self, value: Fraction) -> str:
        return locale.format_weight(value, self.language)

    def date(self, day: datetime.date) -> str:
        return locale.format_date(day, self.language)

    def names(self, names: Sequence[str]) -> str:
        """ "A, B und C" / "A, B, and C"."""
        return format_list(list(names), locale=self.language) if names else ""

    def count(self, number: int) -> str:
        """A whole number with the language's grouping: "24.000", "24,000"."""
        return locale.format_count(number, self.language)

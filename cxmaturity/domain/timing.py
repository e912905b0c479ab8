"""How long answering a questionnaire takes, computed from its own words (issue 13).

The start page and the questionnaire's description state this time instead of a number
someone once wrote by hand, so that a longer version can never promise the old time.

The time is reading plus choosing:

- **reading**: every word a respondent reads on the pages of answers (dimension
  descriptions, questions, help texts, the five options), counted as whitespace-separated
  words the way word processors do, at the reading speed of the language;
- **choosing**: a fixed allowance per question for comparing five options and deciding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from cxmaturity.domain.questionnaire import LocalizedText, Questionnaire

ENGLISH_WORDS_PER_MINUTE = 238
"""Silent reading of English non-fiction by adults: the mean of 190 studies in M. Brysbaert,
"How many words do we read per minute? A review and meta-analysis of reading rate",
Journal of Memory and Language 109 (2019) 104047 (most adults read 175–300 wpm)."""

WORDS_PER_MINUTE: dict[str, int] = {
    "en": ENGLISH_WORDS_PER_MINUTE,
    # Brysbaert (2019) finds that reading rates in other languages follow from the number
    # of words a language needs for the same message as English. German needs fewer,
    # longer words: cx-maturity 1.0 says the same in 4,577 German words as in 4,836 English
    # ones (shared/reviews/questionnaire-1.0-review.md §5), so 238 × 4,577 / 4,836 = 225.
    "de": 225,
}
"""Reading speed per language, in words per minute."""

SECONDS_TO_CHOOSE = 10
"""Per question, for comparing five multi-clause options and picking one: the lower end of
the 10–15 s the expert review allows (questionnaire-1.0-review.md §5)."""

ROUND_TO_MINUTES = 5
"""The time is stated as "about N minutes", N rounded up to a multiple of this: an estimate
that errs long is the honest one, since running over the promise costs respondents."""


@dataclass(frozen=True)
class AnsweringTime:
    """The estimated time to answer a questionnaire for the first time, in one language."""

    language: str
    words: int
    questions: int
    words_per_minute: int

    @property
    def reading_minutes(self) -> Fraction:
        return Fraction(self.words, self.words_per_minute)

    @property
    def choosing_minutes(self) -> Fraction:
        return Fraction(self.questions * SECONDS_TO_CHOOSE, 60)

    @property
    def exact_minutes(self) -> Fraction:
        return self.reading_minutes + self.choosing_minutes

    @property
    def minutes(self) -> int:
        """The time to state: rounded up to a multiple of five minutes, at least five."""
        steps = max(1, math.ceil(self.exact_minutes / ROUND_TO_MINUTES))
        return steps * ROUND_TO_MINUTES


def _words(text: LocalizedText | None, language: str) -> int:
    return len(text.get(language).split()) if text is not None else 0


def words_to_read(questionnaire: Questionnaire, language: str) -> int:
    """The words of every page of answers: dimension descriptions, questions, help, options."""
    total = 0
    for dimension in questionnaire.dimensions:
        total += _words(dimension.description, language)
        for question in dimension.questions:
            total += _words(question.text, language) + _words(question.help, language)
            total += sum(_words(option.text, language) for option in question.options)
    return total


def answering_time(questionnaire: Questionnaire, language: str) -> AnsweringTime:
    """The time to answer `questionnaire` in `language` (a language without a known speed
    is read at the English one)."""
    return AnsweringTime(
        language=language,
        words=words_to_read(questionnaire, language),
        questions=len(questionnaire.questions),
        words_per_minute=WORDS_PER_MINUTE.get(language, ENGLISH_WORDS_PER_MINUTE),
    )


MINUTES_PLACEHOLDER = "{minutes}"
QUESTIONS_PLACEHOLDER = "{questions}"


def description(questionnaire: Questionnaire, language: str) -> str:
    """The questionnaire's description in `language`, its `{minutes}` and `{questions}`
    filled in with the computed time and the number of questions.

    Plain replacement rather than str.format: any other brace in an author's text is
    shown as written instead of failing.
    """
    text = questionnaire.description.get(language)
    return text.replace(
        MINUTES_PLACEHOLDER, str(answering_time(questionnaire, language).minutes)
    ).replace(QUESTIONS_PLACEHOLDER, str(len(questionnaire.questions)))

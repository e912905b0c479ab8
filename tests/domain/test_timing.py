"""The time to answer a questionnaire, computed from its own words (issue 13)."""

from fractions import Fraction

from factories import CX_MATURITY_1_1_FILE, cx_maturity

from cxmaturity.domain.loader import load_questionnaire, parse_questionnaire
from cxmaturity.domain.timing import (
    SECONDS_TO_CHOOSE,
    WORDS_PER_MINUTE,
    answering_time,
    description,
    words_to_read,
)

SMALL = """
id: tiny
version: "1.0"
languages: [de, en]
title: {de: "Klein", en: "Small"}
description:
  de: "{questions} Fragen, etwa {minutes} Minuten. {unbekannt} bleibt."
  en: "{questions} questions, about {minutes} minutes."
levels:
  - {level: "1", key: a, name: {de: a, en: a}, description: {de: a, en: a}, threshold: "1"}
  - {level: "2", key: b, name: {de: b, en: b}, description: {de: b, en: b}, threshold: "2"}
  - {level: "3", key: c, name: {de: c, en: c}, description: {de: c, en: c}, threshold: "3"}
  - {level: "4", key: d, name: {de: d, en: d}, description: {de: d, en: d}, threshold: "4"}
  - {level: "5", key: e, name: {de: e, en: e}, description: {de: e, en: e}, threshold: "5"}
dimensions:
  - id: only
    title: {de: "Titel wird nicht gezählt", en: "Title not counted"}
    description: {de: "Zwei Wörter", en: "Three words here"}
    questions:
      - id: q
        text: {de: "Eine Frage?", en: "A question?"}
        short: {de: "Kurz ungezählt", en: "Short uncounted"}
        help: {de: "Hilfe hilft", en: "Help helps"}
        options:
          - {level: "1", text: {de: "eins", en: "one"}}
          - {level: "2", text: {de: "zwei", en: "two"}}
          - {level: "3", text: {de: "drei", en: "three"}}
          - {level: "4", text: {de: "vier", en: "four"}}
          - {level: "5", text: {de: "fünf Wörter sind es hier", en: "five"}}
    recommendations:
      "1": [{de: "nicht gezählt", en: "not counted"}]
      "2": [{de: "x", en: "x"}]
      "3": [{de: "x", en: "x"}]
      "4": [{de: "x", en: "x"}]
      "5": [{de: "x", en: "x"}]
"""


def test_words_are_those_of_the_pages_of_answers_in_the_language():
    tiny = parse_questionnaire(SMALL)
    # description 2 + question 2 + help 2 + options 1+1+1+1+5; titles, short labels and
    # recommendations are not read while answering.
    assert words_to_read(tiny, "de") == 2 + 2 + 2 + 9
    assert words_to_read(tiny, "en") == 3 + 2 + 2 + 5


def test_time_is_reading_at_the_language_speed_plus_choosing_rounded_up_to_five():
    tiny = parse_questionnaire(SMALL)
    time = answering_time(tiny, "de")
    assert time.reading_minutes == Fraction(15, WORDS_PER_MINUTE["de"])
    assert time.choosing_minutes == Fraction(SECONDS_TO_CHOOSE, 60)
    assert time.minutes == 5  # never less than five, never "about 0 minutes"


def test_the_stated_reading_speeds():
    # Brysbaert (2019) for English non-fiction; German by the same source's rule (fewer,
    # longer words for the same message).
    assert WORDS_PER_MINUTE == {"en": 238, "de": 225}
    assert answering_time(parse_questionnaire(SMALL), "fr").words_per_minute == 238


def test_shipped_versions_state_an_honest_time():
    version_1_0 = cx_maturity()
    version_1_1 = load_questionnaire(CX_MATURITY_1_1_FILE)
    for language in ("de", "en"):
        time = answering_time(version_1_1, language)
        # 1.1: about 5,000 words and 42 questions, a little under 30 minutes in both
        # languages; 1.0 promised "about 15".
        assert 29 < time.exact_minutes < 30 and time.minutes == 30
        assert answering_time(version_1_0, language).exact_minutes > 26
    assert answering_time(version_1_1, "de").words == 5028
    assert answering_time(version_1_1, "en").words == 5336


def test_description_fills_in_the_computed_time_and_count():
    tiny = parse_questionnaire(SMALL)
    assert description(tiny, "en") == "1 questions, about 5 minutes."
    assert description(tiny, "de") == "1 Fragen, etwa 5 Minuten. {unbekannt} bleibt."
    shipped = load_questionnaire(CX_MATURITY_1_1_FILE)
    assert "Die Beantwortung der 42 Fragen dauert beim ersten Mal etwa 30 Minuten" in (
        description(shipped, "de")
    )
    assert "Answering the 42 questions takes about 30 minutes the first time" in (
        description(shipped, "en")
    )

"""Every fixed text of the PDF report in German and English, and how numbers and dates read.

Kept as one dict so the texts can move into the web app's gettext catalogues later.
The texts are plain text, never markup: templates escape whatever they produce.
"""

from __future__ import annotations

import datetime
from fractions import Fraction

from cxmaturity.config import LANGUAGES
from cxmaturity.domain.scoring import round_half_up

MINUS = "\N{MINUS SIGN}"

TEXTS: dict[str, dict[str, str]] = {
    "report.title": {"en": "CX Maturity Report", "de": "CX-Reifegradbericht"},
    "cover.kicker": {
        "en": "Customer experience maturity assessment",
        "de": "Analyse des Customer-Experience-Reifegrads",
    },
    "cover.period": {"en": "Period", "de": "Zeitraum"},
    "cover.date": {"en": "Date", "de": "Datum"},
    "cover.questionnaire": {"en": "Questionnaire", "de": "Fragebogen"},
    "cover.version": {"en": "version {version}", "de": "Version {version}"},
    "cover.respondents": {"en": "Respondents", "de": "Teilnehmende"},
    "cover.confidential": {
        "en": "Confidential — prepared for the management of {organization}",
        "de": "Vertraulich — erstellt für die Geschäftsleitung von {organization}",
    },
    "toc.title": {"en": "Contents", "de": "Inhalt"},
    "footer.page": {"en": "Page", "de": "Seite"},
    "footer.of": {"en": "of", "de": "von"},
    "summary.title": {"en": "Executive summary", "de": "Management Summary"},
    "summary.overall": {"en": "Overall maturity", "de": "Gesamtreifegrad"},
    "summary.level_of": {"en": "Level {level} of 5", "de": "Stufe {level} von 5"},
    "summary.score_of": {"en": "Score {score} of 5.0", "de": "Wert {score} von 5,0"},
    "summary.none_scored": {
        "en": "No dimension could be scored: too few questions were answered.",
        "de": "Keine Dimension konnte bewertet werden: Es wurden zu wenige Fragen beantwortet.",
    },
    "summary.cap": {
        "en": "Weakest link: the overall level is capped at level {level}, because it may be "
        "at most {cap} {levels} above the weakest dimension ({dimension}, level {weakest}). "
        "Without the cap the score would mean level {uncapped}.",
        "de": "Schwächstes Glied: Der Gesamtreifegrad ist auf Stufe {level} begrenzt, weil er "
        "höchstens {cap} {levels} über der schwächsten Dimension liegen darf ({dimension}, "
        "Stufe {weakest}). Ohne diese Begrenzung entspräche der Wert Stufe {uncapped}.",
    },
    "word.level": {"en": "level", "de": "Stufe"},
    "word.levels": {"en": "levels", "de": "Stufen"},
    "summary.figures": {"en": "At a glance", "de": "Auf einen Blick"},
    "summary.strongest": {"en": "Strongest dimension", "de": "Stärkste Dimension"},
    "summary.weakest": {"en": "Weakest dimension", "de": "Schwächste Dimension"},
    "summary.disagreements": {"en": "Disagreement", "de": "Uneinigkeit"},
    "summary.disagreement_count": {
        "en": "{count} of {total} dimensions",
        "de": "{count} von {total} Dimensionen",
    },
    "summary.priorities": {
        "en": "Priorities for the next quarter",
        "de": "Prioritäten für das nächste Quartal",
    },
    "summary.no_priorities": {
        "en": "Every scored dimension is at the highest level: the task is to sustain it.",
        "de": "Alle bewerteten Dimensionen sind auf der höchsten Stufe: Es gilt, sie zu halten.",
    },
    "summary.first_step": {"en": "First step", "de": "Erster Schritt"},
    "change.since": {"en": "Change since {period}", "de": "Veränderung seit {period}"},
    "profile.title": {"en": "Maturity profile", "de": "Reifegradprofil"},
    "profile.intro": {
        "en": "Each axis is one dimension; the rings mark the thresholds of the levels. "
        "The further out the line, the more mature the dimension.",
        "de": "Jede Achse ist eine Dimension; die Ringe markieren die Schwellen der Stufen. "
        "Je weiter außen die Linie, desto reifer die Dimension.",
    },
    "chart.this_period": {"en": "This period", "de": "Aktueller Zeitraum"},
    "chart.previous": {"en": "Previous period", "de": "Vorperiode"},
    "results.title": {"en": "Results by dimension", "de": "Ergebnisse nach Dimension"},
    "results.dimension": {"en": "Dimension", "de": "Dimension"},
    "results.score": {"en": "Score", "de": "Wert"},
    "results.level": {"en": "Level", "de": "Stufe"},
    "results.spread": {"en": "Spread", "de": "Streuung"},
    "results.respondents": {"en": "Answers", "de": "Antworten"},
    "results.change": {"en": "Change", "de": "Veränderung"},
    "results.disagreement": {"en": "Disagreement", "de": "Uneinigkeit"},
    "results.note": {
        "en": "Score: mean of the respondents' dimension scores (1.0 to 5.0). Spread: highest "
        "minus lowest respondent score; from {spread} on the dimension is flagged as "
        "disagreement. Answers: respondents with a score for the dimension.",
        "de": "Wert: Mittel der Dimensionswerte der Teilnehmenden (1,0 bis 5,0). Streuung: "
        "höchster minus niedrigster Wert; ab {spread} gilt die Dimension als uneinig. "
        "Antworten: Teilnehmende mit einem Wert für die Dimension.",
    },
    "not_scored": {"en": "not scored", "de": "nicht bewertet"},
    "not_scored.explained": {
        "en": "Not scored: no respondent answered questions carrying at least half of this "
        "dimension's weight.",
        "de": "Nicht bewertet: Niemand hat Fragen beantwortet, die mindestens die Hälfte des "
        "Gewichts dieser Dimension tragen.",
    },
    "dimensions.title": {"en": "The dimensions in detail", "de": "Die Dimensionen im Einzelnen"},
    "dimension.respondents": {"en": "{count} answering", "de": "{count} mit Antworten"},
    "dimension.next": {
        "en": "Level {level} ({name}) in practice",
        "de": "Stufe {level} ({name}) in der Praxis",
    },
    "dimension.top": {
        "en": "The highest level is reached. The next steps keep it there.",
        "de": "Die höchste Stufe ist erreicht. Die nächsten Schritte sichern sie.",
    },
    "dimension.answers": {"en": "Answers", "de": "Antworten"},
    "dimension.na": {"en": "n/a", "de": "k. A."},
    "dimension.see_roadmap": {
        "en": "Next steps: in the roadmap, priority {number}.",
        "de": "Nächste Schritte: im Fahrplan, Priorität {number}.",
    },
    "dimension.answers_note": {
        "en": "For each dimension: where it stands, the answers per question in short "
        "(mean Ø and range of the levels chosen; n/a: not applicable or unanswered), what the "
        "next level looks like where the gap is widest, and the next steps.",
        "de": "Je Dimension: wo sie steht, die Antworten je Frage in Kürze (Mittel Ø und Spanne "
        "der gewählten Stufen; k. A.: nicht zutreffend oder unbeantwortet), wie die nächste "
        "Stufe dort aussieht, wo die Lücke am größten ist, und die nächsten Schritte.",
    },
    "dimension.disagreement": {
        "en": "The respondents disagree here (spread {spread}): discuss the differing "
        "views before acting on this dimension.",
        "de": "Die Teilnehmenden sind sich hier uneinig (Streuung {spread}): Klären Sie die "
        "unterschiedlichen Sichten, bevor Sie in dieser Dimension handeln.",
    },
    "roadmap.title": {
        "en": "Roadmap for the next quarter",
        "de": "Fahrplan für das nächste Quartal",
    },
    "roadmap.intro": {
        "en": "The three priorities and their next steps form the plan for the coming quarter. "
        "Re-assess at its end to see what moved.",
        "de": "Die drei Prioritäten und ihre nächsten Schritte bilden den Plan für das kommende "
        "Quartal. Eine erneute Analyse an seinem Ende zeigt, was sich bewegt hat.",
    },
    "roadmap.priority": {"en": "Priority {number}", "de": "Priorität {number}"},
    "roadmap.target": {
        "en": "From level {level} to level {target}",
        "de": "Von Stufe {level} auf Stufe {target}",
    },
    "roadmap.later": {"en": "After that", "de": "Danach"},
    "method.title": {"en": "Method", "de": "Methodik"},
    "method.levels": {"en": "The five levels", "de": "Die fünf Stufen"},
    "method.from": {"en": "from {value}", "de": "ab {value}"},
    "method.scoring": {"en": "How the scores are computed", "de": "Wie die Werte entstehen"},
    "method.answers": {
        "en": "Each answer option describes observable practice at one level from 1 to 5. "
        "Answers marked “not applicable” and unanswered questions are left out of every mean.",
        "de": "Jede Antwortoption beschreibt beobachtbare Praxis auf einer Stufe von 1 bis 5. "
        "Als „nicht zutreffend“ markierte und unbeantwortete Fragen fließen in keinen "
        "Mittelwert ein.",
    },
    "method.respondent": {
        "en": "A respondent's dimension score is the weighted mean of the levels chosen for its "
        "questions. It counts only where the answered questions carry at least half of the "
        "dimension's question weight.",
        "de": "Der Dimensionswert einer Person ist das gewichtete Mittel der gewählten Stufen "
        "ihrer Fragen. Er zählt nur, wenn die beantworteten Fragen mindestens die Hälfte des "
        "Fragengewichts der Dimension tragen.",
    },
    "method.dimension": {
        "en": "A dimension's score is the mean of the respondents' dimension scores; its spread "
        "is the highest minus the lowest of them. From a spread of {spread} on, the dimension is "
        "flagged as disagreement. A dimension without any respondent score is not scored.",
        "de": "Der Wert einer Dimension ist das Mittel der Dimensionswerte der Teilnehmenden; "
        "die Streuung ist der höchste minus den niedrigsten davon. Ab einer Streuung von "
        "{spread} gilt die Dimension als uneinig. Eine Dimension ohne jeden Wert ist nicht "
        "bewertet.",
    },
    "method.overall": {
        "en": "The overall score is the mean of the scored dimensions, weighted by the "
        "dimension weights. A score reaches the highest level whose threshold it meets; levels "
        "are decided on exact values, and shown scores are rounded half up to one decimal.",
        "de": "Der Gesamtwert ist das nach Dimensionsgewichten gewichtete Mittel der bewerteten "
        "Dimensionen. Ein Wert erreicht die höchste Stufe, deren Schwelle er erreicht; "
        "entschieden wird auf exakten Werten, angezeigt wird kaufmännisch auf eine "
        "Nachkommastelle gerundet.",
    },
    "method.cap": {
        "en": "Weakest link: the overall level is at most {cap} {levels} above the level of "
        "the weakest scored dimension, because one neglected area holds the whole experience "
        "back.",
        "de": "Schwächstes Glied: Der Gesamtreifegrad liegt höchstens {cap} {levels} über der "
        "Stufe der schwächsten bewerteten Dimension, denn ein vernachlässigter Bereich bremst "
        "das gesamte Kundenerlebnis.",
    },
    "method.priorities": {
        "en": "Priorities are the scored dimensions below level 5: lowest level first, then "
        "higher dimension weight, then lower score. The first three form the plan for the next "
        "quarter; their next steps are the recommendations for their current level.",
        "de": "Prioritäten sind die bewerteten Dimensionen unter Stufe 5: niedrigste Stufe "
        "zuerst, dann höheres Dimensionsgewicht, dann niedrigerer Wert. Die ersten drei bilden "
        "den Plan für das nächste Quartal; ihre nächsten Schritte sind die Empfehlungen für "
        "ihre aktuelle Stufe.",
    },
    "method.weights": {"en": "Dimension weights", "de": "Gewichte der Dimensionen"},
    "comments.title": {"en": "Respondents' comments", "de": "Kommentare der Teilnehmenden"},
}

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
}  # fmt: skip


class Strings:
    """The report's texts and number formats in one language."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"the report is written in {' or '.join(LANGUAGES)}, not {language!r}")
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        text = TEXTS[key][self.language]
        return text.format(**values) if values else text

    def decimal(self, value: Fraction, places: int = 1) -> str:
        """A number rounded half up; German uses the decimal comma."""
        shown = str(round_half_up(value, places))
        if shown.startswith("-"):
            shown = MINUS + shown[1:]
        return shown.replace(".", ",") if self.language == "de" else shown

    def score(self, value: Fraction | None) -> str:
        return self("not_scored") if value is None else self.decimal(value)

    def change(self, value: Fraction | None) -> str:
        """A signed change such as +0.4 or −0.2; empty where there is nothing to compare."""
        if value is None:
            return ""
        shown = self.decimal(value)
        if shown.lstrip(MINUS) == self.decimal(Fraction(0)):
            return "±" + shown.lstrip(MINUS)
        return shown if shown.startswith(MINUS) else "+" + shown

    def levels_word(self, count: int) -> str:
        return self("word.level") if count == 1 else self("word.levels")

    def date(self, day: datetime.date) -> str:
        month = MONTHS[self.language][day.month - 1]
        if self.language == "de":
            return f"{day.day}. {month} {day.year}"
        return f"{day.day} {month} {day.year}"

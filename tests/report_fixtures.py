"""The assessment the report tests read: three respondents, one strong disagreement.

The shipped cx-maturity questionnaire, answered by three people who agree within one
level everywhere except on Personalization & privacy, where they answer 1, 2 and 4
(spread 3.0); nobody answered Culture & organization (not scored); Measurement & KPIs
sits at level 1, so the weakest-link cap holds the overall level at 2.
"""

from __future__ import annotations

import datetime
import io

from factories import CX_MATURITY_FILE
from pypdf import PdfReader

from cxmaturity.domain.loader import load_questionnaire
from cxmaturity.domain.outcome import Comment, Outcome, Participant, PreviousPeriod, outcome_of
from cxmaturity.domain.questionnaire import Questionnaire

ORGANIZATION = "Müller & Söhne Maschinenbau GmbH"
DAY = datetime.date(2026, 11, 12)
# Per dimension, the level each respondent chose for every question; None: unanswered.
PLAN = {
    "strategy": (3, 4, 3),
    "customer-understanding": (4, 5, 4),
    "touchpoints": (3, 4, 3),
    "measurement": (1, 2, 1),
    "data-technology": (4, 4, 3),
    "personalization": (1, 2, 4),
    "service-voc": (4, 5, 4),
    "culture": (None, None, None),
}
PEOPLE = (("Dr. Jürgen Weiß", "executive"), ("Anna Schäfer", "manager"), ("Özlem Yılmaz", None))
DISPUTED = "personalization"
PAGE_DOCUMENT = """<!doctype html><html lang="de"><body><section>
<h1>Management Summary</h1><p class="lead">Der Gesamtreifegrad liegt auf Stufe 3.</p>
<p>Die Strategie ist definiert, Ziele sind mit dem Vorstand abgestimmt, und Prozesse folgen
im ganzen Unternehmen einheitlichen Standards. Messung und Daten hinken hinterher.</p>
<table><tr><th>Dimension</th><th>Wert</th></tr><tr><td>Strategie &amp; Führung</td><td>3,2</td></tr>
<tr><td>Messung &amp; KPIs</td><td>2,1</td></tr></table></section></body></html>"""
"""A one-page document for comparing render times with."""


def questionnaire() -> Questionnaire:
    return load_questionnaire(CX_MATURITY_FILE)


def participants(chosen: Questionnaire) -> tuple[Participant, ...]:
    people = []
    for index, (name, group) in enumerate(PEOPLE):
        answers = {
            question.id: PLAN[dimension.id][index]
            for dimension in chosen.dimensions
            for question in dimension.questions
        }
        people.append(Participant(name=name, answers=answers, group=group))
    return tuple(people)


def comments(chosen: Questionnaire) -> tuple[Comment, ...]:
    first, second = list(chosen.questions)[:2]
    return (
        Comment("Anna Schäfer", first, "Größte Lücke: Budget für das Kundenerlebnis."),
        Comment("Dr. Jürgen Weiß", second, "Die Ziele stehen, aber niemand misst sie."),
    )


def outcome_with_disagreement(**changes) -> Outcome:
    chosen = questionnaire()
    people = participants(chosen)
    outcome = outcome_of(
        chosen,
        ORGANIZATION,
        "2026-Q4",
        people,
        comments(chosen),
        previous=PreviousPeriod(chosen, "2026-Q3", tuple(people[:2])),
    )
    return outcome if not changes else Outcome(**{**outcome.__dict__, **changes})


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with its whitespace (also no-break spaces) made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pages_lines(pdf: bytes) -> list[list[str]]:
    """Each page's text lines as pypdf lays them out."""
    return [
        [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]

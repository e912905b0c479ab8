"""What the report says in the edge cases, read from its view: no rendering needed.

The factory questionnaire: dimension a (a1, a2, a3 with N/A allowed), b (b1, b2),
c (c1, c2); its questions have no short labels.
"""

import datetime

from factories import make_questionnaire, respondent

from cxmaturity.domain.scoring import score_assessment
from cxmaturity.reports.model import ReportInput
from cxmaturity.reports.view import build_view


def view_of(*people, language="en"):
    chosen = make_questionnaire()
    report = ReportInput(
        questionnaire=chosen,
        organization="Müller GmbH",
        period="2026-Q4",
        result=score_assessment(chosen, people),
        respondents=people,
        generated_on=datetime.date(2026, 11, 23),
    )
    return build_view(report, language)


def dimension(view, dimension_id):
    return next(d for d in view.dimensions if d.id == dimension_id)


def test_a_question_nobody_answered_says_how_many_gave_no_answer():
    view = view_of(
        respondent("A", a1=2, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
        respondent("B", a1=3, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
    )
    a1, a2, a3 = dimension(view, "a").questions
    assert (a1.answers, a2.answers, a3.answers) == ("Ø 2.5 (2–\u20603)", "Ø 3.0 (3)", "– (2 n/a)")


def test_german_answers_use_the_decimal_comma_and_k_a():
    view = view_of(
        respondent("A", a1=2, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
        respondent("B", a1=4, a2=3, a3=4, b1=2, b2=2, c1=2, c2=2),
        language="de",
    )
    assert dimension(view, "a").questions[2].answers == "Ø 4,0 (4; 1 k. A.)"


def test_questions_without_a_short_label_are_named_by_their_first_words():
    view = view_of(respondent("A", a1=2, a2=2, a3=2, b1=2, b2=2, c1=2, c2=2))
    assert dimension(view, "b").answers_line == (
        "Question b1 (en) Ø 2.0 (2), Question b2 (en) Ø 2.0 (2)"
    )


def test_next_level_is_shown_where_the_answers_are_lowest_and_below_it():
    # b scores 2.5 (level 2): b2 (mean 2) is the gap to level 3, not b1 (mean 3).
    view = view_of(respondent("A", a1=2, a2=2, a3=2, b1=3, b2=2, c1=2, c2=2))
    assert dimension(view, "b").next_practice == "Question b2 (en): Option 3 (en)"


def test_a_dimension_at_the_top_level_keeps_its_steps_and_shows_no_next_level():
    view = view_of(respondent("A", a1=5, a2=5, a3=5, b1=5, b2=5, c1=5, c2=5))
    top = dimension(view, "c")
    assert top.level.number == 5 and top.next_level is None and top.next_practice is None
    assert top.steps == ("c step 5.1 (en)", "c step 5.2 (en)")
    assert view.priorities == ()


def test_an_unscored_dimension_has_no_level_steps_or_next_practice():
    view = view_of(respondent("A", a1=2, a2=2, a3=2, b1=3, b2=3))
    unscored = dimension(view, "c")
    assert not unscored.scored and unscored.level is None
    assert unscored.next_practice is None and unscored.steps == ()
    assert unscored.answers_line == "Question c1 (en) – (1 n/a), Question c2 (en) – (1 n/a)"
    assert unscored not in view.priorities

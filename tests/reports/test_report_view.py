"""What the report says, read from its view: no rendering needed.

The factory questionnaire: dimension a (a1, a2, a3 with N/A allowed; weight 2), b (b1, b2),
c (c1, c2); its questions have no short labels; thresholds 1.0, 1.8, 2.6, 3.4, 4.2.
"""

import datetime
from fractions import Fraction

import pytest
from factories import make_questionnaire, questionnaire_data, questionnaire_from

from cxmaturity.domain.outcome import Comment, Participant, outcome_of
from cxmaturity.reports import comments as report_comments
from cxmaturity.reports.summary import LISTED_PARTICIPANTS
from cxmaturity.reports.text_tools import NO_BREAK_SPACE, WORD_JOINER
from cxmaturity.reports.view import build_view
from cxmaturity.services.results import ResultsView

DAY = datetime.date(2026, 11, 23)


def person(name="A", group=None, **answers):
    return Participant(name=name, answers=answers, group=group)


def view_of(*people, language="en", questionnaire=None, comments=(), organization="Müller GmbH"):
    chosen = questionnaire or make_questionnaire()
    outcome = outcome_of(chosen, organization, "2026-Q4", people, comments)
    return build_view(outcome, language, DAY)


def dimension(view, dimension_id):
    return next(d for d in view.dimensions if d.id == dimension_id)


def test_a_question_nobody_answered_says_how_many_gave_no_answer():
    view = view_of(
        person("A", a1=2, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
        person("B", a1=3, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
        person("C", a1=2, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
    )
    a1, a2, a3 = (q.answers.replace(NO_BREAK_SPACE, " ") for q in dimension(view, "a").questions)
    joined = f"–{WORD_JOINER}"
    assert (a1, a2, a3) == (f"Ø 2.3 (2{joined}3)", "Ø 3.0 (3)", f"– (3 n/{WORD_JOINER}a)")


def test_the_pieces_of_an_answer_in_short_never_break_across_lines():
    view = view_of(
        person("A", a1=2, a2=3, a3=None, b1=2, b2=2, c1=2, c2=2),
        person("B", a1=4, a2=3, a3=4, b1=2, b2=2, c1=2, c2=2),
        language="de",
    )
    shown = dimension(view, "a").questions[2].answers
    # One answer: no range (DESIGN §8 shows it only from three answers on).
    assert shown == f"Ø{NO_BREAK_SPACE}4,0 (1{NO_BREAK_SPACE}k.{NO_BREAK_SPACE}A.)"


def test_questions_without_a_short_label_are_named_by_their_first_words():
    view = view_of(person("A", a1=2, a2=2, a3=2, b1=2, b2=2, c1=2, c2=2))
    line = dimension(view, "b").answers_line.replace(NO_BREAK_SPACE, " ")
    assert line == "Question b1 (en) Ø 2.0, Question b2 (en) Ø 2.0"


def test_next_level_is_shown_where_the_answers_are_lowest_and_below_it():
    # b scores 2.5 (level 2): b2 (mean 2) is the gap to level 3, not b1 (mean 3).
    view = view_of(person("A", a1=2, a2=2, a3=2, b1=3, b2=2, c1=2, c2=2))
    assert dimension(view, "b").next_practice == "Question b2 (en): Option 3 (en)"


def test_a_dimension_at_the_top_level_keeps_its_steps_and_shows_no_next_level():
    view = view_of(person("A", a1=5, a2=5, a3=5, b1=5, b2=5, c1=5, c2=5))
    top = dimension(view, "c")
    assert top.level.number == 5 and top.next_level is None and top.next_practice is None
    assert top.steps == ("c step 5.1 (en)", "c step 5.2 (en)")
    assert view.priorities == ()


def test_an_unscored_dimension_has_no_level_steps_or_next_practice():
    view = view_of(person("A", a1=2, a2=2, a3=2, b1=3, b2=3))
    unscored = dimension(view, "c")
    assert not unscored.scored and unscored.level is None
    assert unscored.next_practice is None and unscored.steps == ()
    assert unscored not in view.priorities


def test_displayed_scores_are_rounded_down_so_they_agree_with_the_level():
    # b: 1 and 2.5 -> 1.75, level 1 (level 2 starts at 1.8): shown 1.7, never 1.8.
    view = view_of(
        person("A", a1=3, a2=3, a3=3, b1=1, b2=1, c1=3, c2=3),
        person("B", a1=3, a2=3, a3=3, b1=3, b2=2, c1=3, c2=3),
        language="de",
    )
    b = dimension(view, "b")
    assert b.exact_score == Fraction(7, 4) and b.level.number == 1
    assert b.score == "1,7" and b.spread == "1,5"  # a spread is rounded half up
    assert [level.threshold for level in view.levels] == ["1,0", "1,8", "2,6", "3,4", "4,2"]


def test_the_results_page_rounds_scores_down_too():
    outcome = outcome_of(make_questionnaire(), "X", "2026-Q4", [person(a1=1)])
    assert ResultsView(outcome, "de").display(Fraction(7, 4)) == "1,7"
    assert ResultsView(outcome, "en").display(Fraction(259, 100)) == "2.5"
    assert ResultsView(outcome, "en").display_spread(Fraction(9, 4)) == "2.3"
    assert ResultsView(outcome, "en").display(None) == "–"


def test_weights_are_printed_exactly():
    data = questionnaire_data()
    data["dimensions"][1]["weight"] = "1.25"
    view = view_of(person(a1=2, b1=2, c1=2), questionnaire=questionnaire_from(data), language="de")
    assert [d.weight for d in view.dimensions] == ["2", "1,25", "1"]


def three_respondents_one_disagreement(language="de"):
    # a: 3, 3, 3 -> 3.0; b: 1, 3, 4 -> 2.67, spread 3 (disputed); c: 2, 2, 2 -> 2.0, level 2.
    return view_of(
        person("Anna", "executive", a1=3, a2=3, a3=3, b1=1, b2=1, c1=2, c2=2),
        person("Ben", "manager", a1=3, a2=3, a3=3, b1=3, b2=3, c1=2, c2=2),
        person("Cem", "frontline", a1=3, a2=3, a3=3, b1=4, b2=4, c1=2, c2=2),
        language=language,
        organization="Müller GmbH",
    )


def test_the_summary_is_written_from_this_assessments_data():
    summary = three_respondents_one_disagreement("en").summary.replace(NO_BREAK_SPACE, " ")
    # Overall (2*3 + 8/3 + 2) / 4 = 2.67 -> level 3; cap: weakest c is level 2 -> at most 3.
    assert summary.startswith("Müller GmbH stands at level 3 (Level 3 (en)) overall in 2026-Q4")
    assert "overall score of 2.6." in summary
    assert "Dimension a (en) is the most advanced dimension (3.0)" in summary
    assert "Dimension c (en) needs the most work (2.0)" in summary
    assert "disagree on Dimension b (en): their scores lie 3.0 points apart" in summary
    assert "confirm Dimension c (en), Dimension a (en), and Dimension b (en) as the priorities" in (
        summary
    )
    assert "Level 3 description" not in summary


def test_the_summary_says_when_the_weakest_link_capped_the_level():
    view = view_of(person(a1=5, a2=5, a3=5, b1=5, b2=5, c1=1, c2=1), language="de")
    summary = view.summary.replace(NO_BREAK_SPACE, " ")
    assert "Der Gesamtwert von 4,0 entspräche Stufe 4" in summary
    assert "weil Dimension c (de) nur Stufe 1 erreicht" in summary
    assert "den Gesamtreifegrad auf Stufe 2" in summary
    assert "einer einzigen Person" in summary


def test_the_summary_ends_with_two_words_kept_together():
    summary = three_respondents_one_disagreement().summary
    assert summary.endswith(f"zu{NO_BREAK_SPACE}benennen.")


def test_a_disputed_dimension_starts_its_steps_by_agreeing_where_it_stands():
    view = three_respondents_one_disagreement()
    disputed = dimension(view, "b")
    assert disputed.disagreement and disputed in view.priorities
    assert disputed.steps[0].startswith("Gemeinsamen Stand klären: Die Werte der Teilnehmenden")
    assert "3,0 Punkte auseinander" in disputed.steps[0]
    assert disputed.steps[1:] == ("b step 3.1 (de)", "b step 3.2 (de)")  # 2.67 is level 3
    assert not dimension(view, "a").steps[0].startswith("Gemeinsamen Stand")


def test_participants_are_listed_with_group_and_questions_answered():
    view = three_respondents_one_disagreement()
    assert view.participants.listed == (
        "Anna · Geschäftsleitung · 7 von 7 Fragen beantwortet",
        "Ben · Führungskraft · 7 von 7 Fragen beantwortet",
        "Cem · Kundenkontakt · 7 von 7 Fragen beantwortet",
    )
    assert view.participants.answered == "7 von 7 Fragen beantwortet"


def test_many_or_unnamed_participants_are_counted_by_group():
    many = [person(f"P{n}", "manager", a1=2) for n in range(LISTED_PARTICIPANTS + 1)]
    view = view_of(*many, person("", "executive", a1=3, b1=1), language="en")
    assert view.participants.listed == ()
    assert view.participants.counted == "10 respondents: manager (9), executive (1)"
    assert view.participants.answered == "2 of 7 questions answered"


def test_german_wording_is_natural():
    view = three_respondents_one_disagreement()
    texts = " ".join([view.summary, *[step for d in view.dimensions for step in d.steps]])
    for stilted in ("minus den niedrigsten", "gilt als uneinig", "mit Antworten"):
        assert stilted not in texts


def test_a_long_comment_is_shortened_with_a_visible_note():
    long_text = "Wort " * 2000  # 10,000 characters
    view = view_of(
        person("Anna", a1=2, b1=2, c1=2),
        comments=(Comment("Anna", "a1", long_text), Comment("Anna", "b1", "Kurz.")),
        language="de",
    )
    first, second = (group.comments[0] for group in view.comments.groups)
    assert len(first.text) <= report_comments.COMMENT_LIMIT + 2 and first.text.endswith(" …")
    assert first.note.startswith("gekürzt: ") and "von 9.999 Zeichen abgedruckt" in first.note
    assert (second.text, second.note) == ("Kurz.", "")


def test_comments_beyond_the_sections_room_are_counted_not_printed():
    comments = tuple(Comment(f"P{n}", "a1", "x" * 1000) for n in range(40))
    view = view_of(person("P0", a1=2), comments=comments, language="en")
    printed = sum(len(c.text) for group in view.comments.groups for c in group.comments)
    assert printed <= report_comments.COMMENTS_LIMIT
    assert view.comments.left_out.startswith("16 more comments are not printed")


def test_comments_of_unnamed_respondents_are_quoted_under_an_alias():
    view = view_of(person("", a1=2), comments=(Comment("", "a1", "Gut."),))
    assert view.comments.groups[0].comments[0].author == "R1"


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_report_text_is_translated_or_english(language):
    view = three_respondents_one_disagreement(language)
    assert ("Geschäftsleitung ist gebeten" in view.summary) == (language == "de")

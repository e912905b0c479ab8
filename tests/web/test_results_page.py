"""The results page after submission: the private link's box, the spread, the radar's text."""

import itertools
import re
from fractions import Fraction

from factories import make_assessment, make_respondent

from cxmaturity.domain.scoring import round_half_up
from cxmaturity.locale import round_down
from cxmaturity.store.database import transaction
from cxmaturity.web.context import services_of


def results_page(client, token: str) -> str:
    response = client.get(f"/r/{token}/results", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def submitted(app, questionnaire, *level_sets: int) -> str:
    """An assessment whose respondents answered every question with one level each."""
    with transaction(services_of(app).sessions) as session:
        assessment = make_assessment(session)
        tokens = [
            make_respondent(
                session,
                assessment,
                name=f"R{index}",
                answers=dict.fromkeys(questionnaire.questions, level),
                submitted=True,
            )[1]
            for index, level in enumerate(level_sets)
        ]
    return tokens[0]


def spread_cells(page: str) -> list[str]:
    cells = re.findall(r'<td class="number" data-label="Spread">(.*?)</td>', page, re.S)
    return [re.sub(r"<[^>]+>", " ", cell).split()[0] for cell in cells]


def test_after_submission_the_private_link_is_for_results_and_answers(client, app, questionnaire):
    page = results_page(client, submitted(app, questionnaire, 3))
    assert "Your private link to your results and answers" in page
    assert "change your answers" not in page
    assert "continue later" not in page


def test_with_one_respondent_there_is_no_spread_and_no_disagreement_hint(
    client, app, questionnaire
):
    page = results_page(client, submitted(app, questionnaire, 3))
    assert set(spread_cells(page)) == {"–"}
    assert "0.0" not in spread_cells(page)
    assert "from 2.0 the respondents disagree" not in page
    assert "disagreement</span>" not in page


def test_with_two_respondents_the_spread_and_its_hint_are_shown(client, app, questionnaire):
    page = results_page(client, submitted(app, questionnaire, 1, 4))
    assert set(spread_cells(page)) == {"3.0"}
    assert "from 2.0 the respondents disagree" in page
    assert "disagreement</span>" in page


def test_the_radar_text_points_at_the_table_below_it(client, app, questionnaire):
    page = results_page(client, submitted(app, questionnaire, 3))
    alt = re.search(r'<img src="[^"]*radar.svg" alt="([^"]*)"', page).group(1)
    assert "below" in alt and "beside" not in alt


def test_a_spread_is_rounded_half_up_while_scores_are_rounded_down(client, app, questionnaire):
    # DESIGN §4.8: a spread of 1.75 shows 1.8 (a score of 2.75 would show 2.7).
    dimension = questionnaire.dimensions[0]
    levels = next(
        combination
        # Unanswered questions (None) make quarters possible: the weights add up to 6.
        for combination in itertools.product((None, 1, 2, 3, 4, 5), repeat=len(dimension.questions))
        if combination.count(None) == 1 and weighted_mean(dimension, combination) * 100 % 10 == 5
    )
    with transaction(services_of(app).sessions) as session:
        assessment = make_assessment(session)
        low = dict.fromkeys(questionnaire.questions, 1)
        varied = {**low, **dict(zip((q.id for q in dimension.questions), levels, strict=True))}
        token = make_respondent(session, assessment, name="A", answers=low, submitted=True)[1]
        make_respondent(session, assessment, name="B", answers=varied, submitted=True)
    spread = weighted_mean(dimension, levels) - 1
    page = results_page(client, token)
    assert spread_cells(page)[0] == str(round_half_up(spread, 1))
    assert str(round_down(spread, 1)) != str(round_half_up(spread, 1))


def weighted_mean(dimension, levels) -> Fraction:
    """The mean over the answered questions (at least half the weight stays answered here)."""
    answered = [
        (Fraction(question.weight), level)
        for question, level in zip(dimension.questions, levels, strict=True)
        if level is not None
    ]
    return sum(weight * level for weight, level in answered) / sum(w for w, _ in answered)

"""The results page after submission: the private link's box, the spread, the radar's text."""

import re

from factories import make_assessment, make_respondent

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

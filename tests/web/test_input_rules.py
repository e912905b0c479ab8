"""Typed text that the input rules refuse is refused by the pages and the services alike."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from web_helpers import answer_page, csrf_token, start_assessment

from cxmaturity.domain.responses import AnswerInput
from cxmaturity.services import assessments
from cxmaturity.web.context import services_of


def count_rows(app, table):
    with services_of(app).engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def post_start(client, **fields):
    page = client.get("/").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "organization": "ACME", "period": "2026-Q4"}
    return client.post("/start", data={**form, "language": "en", **fields})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organization", "   ", "Please enter the company name."),
        ("organization", "\u3000\u00a0", "Please enter the company name."),
        ("organization", "ACME\r\nGmbH", "Please write this on one line."),
        ("organization", "ACME\nGmbH", "Please write this on one line."),
        ("organization", "ACME \u202eHbmG", "invisible text-direction characters"),
        ("organization", "ACME \u2067x\u2069", "invisible text-direction characters"),
        ("respondent", "CEO\rCFO", "Please write this on one line."),
        ("respondent", "\u202dCEO", "invisible text-direction characters"),
        ("period", "2026-Q4\n2027-Q1", "e.g. 2026-Q4"),
    ],
)
def test_the_start_page_refuses_what_the_input_rules_refuse_and_stores_nothing(
    client, app, field, value, message
):
    response = post_start(client, **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count_rows(app, "organizations") == 0


def test_a_right_to_left_mark_in_a_name_is_kept(client, app):
    response = post_start(client, organization="שלום\u200f בע״מ")
    assert response.status_code == 302
    assert count_rows(app, "organizations") == 1


def test_a_comment_with_a_bidi_override_keeps_the_page_and_saves_nothing(
    client, app, questionnaire
):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions[0]
    comment = "gut \u202eslecxe"
    response = answer_page(client, token, 1, {first.id: "2"}, **{f"comment-{first.id}": comment})
    assert response.status_code == 400
    assert "invisible text-direction characters" in response.get_data(as_text=True)
    assert count_rows(app, "answers") == 0


def test_a_comment_keeps_its_line_breaks(client, app, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions[0]
    comment = "Erstens.\r\nZweitens."
    response = answer_page(client, token, 1, {first.id: "2"}, **{f"comment-{first.id}": comment})
    assert response.status_code == 302
    assert "Erstens.\r\nZweitens." in client.get(f"/r/{token}/d/1").get_data(as_text=True)


# --- the services do not trust that a form checked the input ------------------


def details(**changes) -> assessments.StartDetails:
    fields = {"organization": "ACME", "period": "2026-Q4", "language": "en", **changes}
    return assessments.StartDetails(**fields)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organization": "   "}, "organization"),
        ({"organization": "ACME\r\nGmbH"}, "organization"),
        ({"organization": "ACME \u202eHbmG"}, "organization"),
        ({"organization": "x" * 201}, "organization"),
        ({"respondent_name": "C\u2066EO"}, "respondent_name"),
        ({"period": "2026-Q4\n"}, "period"),
        ({"period": "2026-Q5"}, "period"),
        ({"language": "fr"}, "language"),
        ({"size": "huge"}, "size"),
        ({"industry": "retail\x00"}, "industry"),
    ],
)
def test_starting_through_the_service_applies_the_same_rules(app, questionnaire, changes, field):
    sessions = services_of(app).sessions
    with pytest.raises(assessments.InvalidInput) as caught:
        assessments.start_self_assessment(sessions, questionnaire, details(**changes))
    assert caught.value.field == field
    assert count_rows(app, "organizations") == 0


def test_the_service_stores_the_cleaned_name(app, questionnaire):
    sessions = services_of(app).sessions
    catalogue = services_of(app).catalogue
    token = assessments.start_self_assessment(
        sessions,
        questionnaire,
        details(organization="  Mu\u0308ller GmbH  ", respondent_name="CEO\n"),
    )
    state = assessments.open_respondent(sessions, catalogue, token)
    assert state.organization == "Müller GmbH"


def test_saving_a_comment_through_the_service_applies_the_rule(app, questionnaire):
    sessions = services_of(app).sessions
    catalogue = services_of(app).catalogue
    token = assessments.start_self_assessment(sessions, questionnaire, details())
    first = questionnaire.dimensions[0].questions[0]

    with pytest.raises(assessments.InvalidInput):
        assessments.save_answers(sessions, catalogue, token, {first.id: AnswerInput(2, "a\u202eb")})
    assert count_rows(app, "answers") == 0


def test_a_period_in_lower_case_with_spaces_is_stored_as_written_properly(client):
    response = post_start(client, period=" 2026-q4 ")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "· 2026-Q4</p>" in page

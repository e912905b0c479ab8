"""The CX key figures pages: `/w/<slug>/clients/<id>/kpis?period=…` and the client page's section,
used by a consultant, a viewer, a German reader and a stranger."""

import re

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.store.models import KpiValue

GERMAN = {"Accept-Language": "de"}
NPS = {"nps_promoters": "50", "nps_passives": "30", "nps_detractors": "20"}


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        emails = {
            "owner": make_member(session, nord, role="owner").email,
            "viewer": make_member(session, nord, role="viewer").email,
            "staff": make_client_staff(session, alpha, "client_viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued")).email,
        }
        assessment = make_assessment(session, alpha, period="2026-Q4")
        tokens = [
            make_respondent(
                session,
                assessment,
                name=name,
                answers=dict.fromkeys(cx_maturity().questions, 3),
                submitted=True,
            )[1]
            for name in ("Anna", "Ben")
        ]
        return {
            "emails": emails,
            "alpha": alpha.id,
            "assessment": assessment.id,
            "token": tokens[0],
        }


def as_user(client, world, who):
    assert log_in(client, world["emails"][who]).status_code == 302


def form_url(world, period="2026-Q4", slug="nord"):
    return f"/w/{slug}/clients/{world['alpha']}/kpis?period={period}"


def save(client, world, period="2026-Q4", headers=None, **fields):
    url = form_url(world, period)
    token = csrf_token(client.get(url, headers=headers).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields}, headers=headers)


def kpi_rows(sessions) -> int:
    with transaction(sessions) as session:
        return session.scalar(select(func.count()).select_from(KpiValue))


def field_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert tag, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_a_consultant_enters_figures_and_sees_the_values_computed(client, world):
    as_user(client, world, "owner")
    response = save(
        client,
        world,
        **NPS,
        nps_note="Umfrage September",
        csat_satisfied="45",
        csat_responses="60",
        response_time_total_hours="12.5",
        response_time_inquiries="4",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The key figures of 2026-Q4 have been saved." in page
    assert "<strong>30.0</strong>" in page  # NPS 50 % − 20 %
    assert "<strong>75.0%</strong>" in page  # CSAT 45 of 60
    assert "<strong>3.1\N{NO-BREAK SPACE}h</strong>" in page  # 3.125 h, rounded half up
    assert "100 responses" in page and "4 inquiries" in page
    assert field_value(page, "response_time_total_hours") == "12.5"
    assert "Umfrage September" in page

    client_page = client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True)
    assert "Key figures (KPIs)" in client_page
    assert "Net Promoter Score (NPS)" in client_page and "75.0%" in client_page
    assert f"/w/nord/clients/{world['alpha']}/kpis" in client_page


def test_the_change_to_the_previous_quarter_is_shown(client, world):
    as_user(client, world, "owner")
    assert save(client, world, "2026-Q3", **NPS).status_code == 302
    later = {"nps_promoters": "60", "nps_passives": "25", "nps_detractors": "15"}
    assert save(client, world, "2026-Q4", **later).status_code == 302
    page = client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True)
    assert "45.0" in page and "+15.0" in page and "since 2026-Q3" in page


def test_bad_figures_come_back_with_a_message_per_field_and_the_input_kept(client, world, sessions):
    as_user(client, world, "owner")
    response = save(
        client,
        world,
        nps_promoters="12",
        nps_detractors="9",
        nps_responses="20",
        csat_satisfied="-3",
        csat_responses="zehn",
        clv_annual_revenue="1200",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Promoters and detractors (12 + 9) cannot be more than the responses (20)." in page
    assert "This cannot be negative." in page
    assert "Please enter a number, such as 12 or 12.5." in page
    assert 'href="#nps_responses"' in page and 'href="#csat_satisfied"' in page
    assert 'aria-describedby="nps_responses-hint nps_responses-error"' in page
    assert 'aria-describedby="clv_years-error"' in page  # required once CLV is begun
    assert field_value(page, "csat_responses") == "zehn"
    assert field_value(page, "nps_promoters") == "12"
    assert kpi_rows(sessions) == 0


def test_zero_responses_are_saved_as_no_value(client, world, sessions):
    as_user(client, world, "owner")
    response = save(client, world, ces_agreeing="0", ces_responses="0")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no value (no responses)" in page
    assert kpi_rows(sessions) == 1


def test_a_german_reader_types_a_decimal_comma_and_reads_german(client, world):
    as_user(client, world, "owner")
    response = save(
        client,
        world,
        headers=GERMAN,
        clv_annual_revenue="1200,50",
        clv_years="2,5",
        clv_acquisition_cost="300",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=GERMAN).get_data(as_text=True)
    assert "Kennzahlen für 2026-Q4" in page
    assert "Kundenwert (CLV)" in page
    assert "2.701\N{NO-BREAK SPACE}€" in page  # 1200.50 × 2.5 − 300 = 2701.25
    assert field_value(page, "clv_years") == "2,5"
    bad = save(client, world, headers=GERMAN, csat_satisfied="7", csat_responses="5")
    assert bad.status_code == 400
    assert "Dies kann nicht mehr sein als die Antworten (5)." in bad.get_data(as_text=True)


def test_a_period_not_written_as_a_quarter_gets_a_400(client, world):
    as_user(client, world, "owner")
    response = client.get(form_url(world, "2026-Q7"))
    assert response.status_code == 400
    assert "Please write the period as year and quarter" in response.get_data(as_text=True)


def test_a_viewer_reads_but_may_not_save(app, client, world, sessions):
    as_user(client, world, "owner")
    save(client, world, **NPS)
    viewer = app.test_client()
    as_user(viewer, world, "viewer")
    # A viewer's pages carry no form; a token from the session's pages is enough.
    page = viewer.get(form_url(world))
    assert page.status_code == 200
    assert "30.0" in page.get_data(as_text=True)
    assert "Save key figures" not in page.get_data(as_text=True)
    token = csrf_token(viewer.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True))
    refused = viewer.post(form_url(world), data={"csrf_token": token, "nps_promoters": "1"})
    assert refused.status_code == 403
    assert kpi_rows(sessions) == 1


def test_client_staff_read_their_own_figures(client, world):
    as_user(client, world, "staff")
    assert client.get(form_url(world)).status_code == 200


def test_a_user_of_another_workspace_gets_404(client, world, sessions):
    as_user(client, world, "other")
    assert client.get(form_url(world)).status_code == 404
    assert client.get(form_url(world, slug="sued")).status_code == 404
    token = csrf_token(client.get("/w/sued/clients/new").get_data(as_text=True))
    for slug in ("nord", "sued"):
        refused = client.post(form_url(world, slug=slug), data={"csrf_token": token, **NPS})
        assert refused.status_code == 404
    assert kpi_rows(sessions) == 0


def test_the_results_page_shows_the_periods_key_figures_beside_the_maturity(client, world):
    as_user(client, world, "owner")
    save(client, world, "2026-Q2", csat_satisfied="30", csat_responses="50")
    save(client, world, "2026-Q3", csat_satisfied="0", csat_responses="0")  # no value
    save(client, world, "2026-Q4", csat_satisfied="45", csat_responses="60", **NPS)
    save(client, world, "2027-Q1", csat_satisfied="1", csat_responses="60")
    page = client.get(f"/w/nord/assessments/{world['assessment']}/results")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    section = text[text.index('id="kpis-heading"') :]
    assert "CX maturity" in section and "3.0" in section
    assert "Customer satisfaction (CSAT)" in section
    assert "75.0%" in section and "+15.0" in section  # 60 % in 2026-Q2, none in 2026-Q3
    assert "Net Promoter Score (NPS)" in section and "30.0" in section
    assert "1.7%" not in section  # a later quarter's figure is not this period's


def test_a_results_page_without_key_figures_has_no_kpi_section(client, world):
    as_user(client, world, "owner")
    page = client.get(f"/w/nord/assessments/{world['assessment']}/results")
    assert 'id="kpis-heading"' not in page.get_data(as_text=True)


def test_a_respondents_results_page_shows_the_key_figures_in_their_language(app, client, world):
    as_user(client, world, "owner")
    save(client, world, "2026-Q4", ces_agreeing="30", ces_responses="40")
    respondent = app.test_client()
    # The page speaks the respondent's language (English here), whatever the browser asks.
    page = respondent.get(f"/r/{world['token']}/results", headers=GERMAN)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    section = text[text.index('id="kpis-heading"') :]
    assert "Customer Effort Score (CES)" in section and "75.0%" in section
    assert "CX maturity" in section


def test_an_expired_form_is_shown_again_with_the_figures_kept(client, world, sessions):
    as_user(client, world, "owner")
    response = client.post(form_url(world), data={"csrf_token": "stale", "csat_satisfied": "9"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your session had expired, so these figures are not saved yet." in page
    assert field_value(page, "csat_satisfied") == "9"
    assert kpi_rows(sessions) == 0

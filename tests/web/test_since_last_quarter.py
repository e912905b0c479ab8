"""“Since last quarter” on the workspace's results page and in results.json (DESIGN §4.9–4.10).

Two closed quarters of one client, imported as `cxmaturity assessments import --close`
would: 2026-Q3 on questionnaire 1.0, 2026-Q4 on 1.1 (tests/since_fixtures.py has the
figures and how they come about).
"""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner
from factories import (
    make_assessment,
    make_member,
    make_organization,
    make_respondent,
    make_workspace,
)
from questionnaire_versions import versions_dir
from since_fixtures import documents, since_page, write_documents
from sqlalchemy import select
from web_helpers import log_in

from cxmaturity.cli import cli
from cxmaturity.services.assessment_import import import_answers
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Answer, Organization, Respondent
from cxmaturity.web.context import services_of


@pytest.fixture
def app_config(tmp_path):
    return {"QUESTIONNAIRES_DIR": str(versions_dir(tmp_path / "questionnaires"))}


def workspace_with_client(sessions) -> tuple[str, int, str, str]:
    """(slug, client id, a consultant's and another workspace's member's email)."""
    with transaction(sessions) as session:
        workspace = make_workspace(session, name="Beratung Nord")
        client_id = make_organization(session, name="Alpha AG", workspace=workspace).id
        consultant = make_member(session, workspace, role="consultant").email
        stranger = make_member(session, make_workspace(session, name="Andere Beratung")).email
        return workspace.slug, client_id, consultant, stranger


def two_quarters(app, sessions, version_now="1.1", change_now=None):
    """Q3 and Q4 imported and closed: (slug, Q3's id, Q4's id, consultant, stranger).

    `change_now` may change Q4's answers document before it is imported."""
    slug, client_id, consultant, stranger = workspace_with_client(sessions)
    catalogue = services_of(app).catalogue
    then, now = documents(catalogue, version_now)
    if change_now:
        change_now(now)
    ids = [
        import_answers(sessions, catalogue, slug, client_id, document, close=True).id
        for document in (then, now)
    ]
    return slug, *ids, consultant, stranger


@pytest.fixture
def quarters(app, sessions):
    return two_quarters(app, sessions)


def text_of(page: str) -> str:
    """The page's visible text, one space between words (tags and hidden text kept out)."""
    page = re.sub(r'<span class="visually-hidden">.*?</span>', " ", page)
    page = re.sub(r"</?(bdi|span|strong)\b[^>]*>", "", page)  # inline: no space of their own
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def section(page: str) -> str:
    match = re.search(r'<section class="since".*?</section>', page, re.S)
    assert match, "the page has no since-last-period section"
    return match.group(0)


def row(since: str, title: str) -> str:
    match = re.search(rf"<tr>\s*<th scope=\"row\">{re.escape(html.escape(title))}</th>.*?</tr>",
                      since, re.S)  # fmt: skip
    assert match, f"no row for {title}"
    return match.group(0)


def test_the_results_page_shows_the_change_since_last_quarter(client, quarters):
    slug, _q3, q4, consultant, _stranger = quarters
    log_in(client, consultant)
    page = client.get(f"/w/{slug}/assessments/{q4}/results", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    since = section(page.get_data(as_text=True))
    shown = text_of(since)
    assert "Since 2026-Q3" in shown
    assert "Overall: 2.0 (level 2) → 2.2 (level 2) (+0.2)" in shown
    assert "3 of 4 respondents took part both times" in shown
    assert "Different respondents" not in shown

    strategy = text_of(row(since, "Strategy & leadership"))
    assert "2.0 (level 2) 2.5 (level 2) +0.5 bridged 1 of 5 questions changed" in strategy
    assert "like for like: ±0.0" in strategy
    assert "4 → 4" in strategy and "0.0 → 0.0" in strategy  # respondents, spread
    assert "+0.5" in strategy.rsplit("4 → 4", 1)[1]  # the stable panel's change

    understanding = row(since, "Customer understanding")
    assert 'class="crossed crossed-up"' in understanding
    assert "level rose" in understanding  # for a screen reader
    assert "+1.0" in text_of(understanding) and "bridged" not in understanding
    assert "crossed" not in row(since, "Strategy & leadership")

    moved = since.split("Questions that moved by a level or more", 1)[1].split("</ul>", 1)[0]
    assert text_of(moved).count("(Customer understanding): 2.0 → 3.0 (+1.0)") == 5
    assert "Questions low in both periods" in shown


def test_the_results_page_in_german(client, quarters):
    slug, _q3, q4, consultant, _stranger = quarters
    log_in(client, consultant)
    client.get("/language/de")
    shown = text_of(section(client.get(f"/w/{slug}/assessments/{q4}/results").get_data(True)))
    assert "Seit 2026-Q3" in shown
    assert "Gesamt: 2,0 (Stufe 2) → 2,2 (Stufe 2) (+0,2)" in shown
    assert "Beide Male teilgenommen: 3 von 4 Befragten" in shown
    assert "überbrückt 1 von 5 Fragen geändert; gleiche Fragen: ±0,0" in shown


def test_the_first_quarter_has_no_since_section(client, quarters):
    slug, q3, _q4, consultant, _stranger = quarters
    log_in(client, consultant)
    page = client.get(f"/w/{slug}/assessments/{q3}/results").get_data(as_text=True)
    assert 'class="since"' not in page


def test_a_broken_dimension_shows_no_change_but_a_new_series(app, client, sessions):
    slug, _q3, q4, consultant, _stranger = two_quarters(app, sessions, version_now="1.2")
    log_in(client, consultant)
    since = section(client.get(f"/w/{slug}/assessments/{q4}/results").get_data(as_text=True))
    data_technology = text_of(row(since, "Data & technology"))
    assert "new series from 1.2" in data_technology
    assert "±0.0" not in data_technology and "+" not in data_technology
    assert "Overall: 2.0 (level 2) → 2.2 (level 2); new series from 1.2 no change shown" in (
        text_of(since)
    )


def test_results_json_gives_since_last_period_in_numbers(client, quarters):
    slug, _q3, q4, consultant, _stranger = quarters
    log_in(client, consultant)
    response = client.get(f"/w/{slug}/assessments/{q4}/results.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["questionnaire"] == {"id": "cx-maturity", "version": "1.1"}
    assert data["period"] == "2026-Q4"
    assert data["overall"] == {"score": 2.22, "level": 2, "level_key": data["overall"]["level_key"],
                               "capped": False}  # fmt: skip
    assert data["reconfirmed"] is None
    since = data["since_last_period"]
    assert {key: since[key] for key in since if key != "dimensions"} == {
        "period": "2026-Q3",
        "comparability": "bridged",
        "change": 0.22,
        "panel_overlap": 0.75,
        "different_respondents": False,
        "respondents_then": 4,
        "respondents_now": 4,
    }
    by_id = {dimension["id"]: dimension for dimension in since["dimensions"]}
    assert by_id["strategy"] == {
        "id": "strategy",
        "comparability": "bridged",
        "change": 0.5,
        "like_for_like_change": 0.0,
        "stable_panel_change": 0.5,
        "score_then": 2.0,
        "score_now": 2.5,
        "level_then": 2,
        "level_now": 2,
        "spread_then": 0.0,
        "spread_now": 0.0,
        "changed_questions": 1,
    }
    understanding = by_id["customer-understanding"]
    assert (understanding["comparability"], understanding["change"]) == ("same", 1.0)
    assert understanding["like_for_like_change"] is None
    assert (understanding["level_then"], understanding["level_now"]) == (2, 3)


def test_results_json_of_the_first_quarter_has_no_since(client, quarters):
    slug, q3, _q4, consultant, _stranger = quarters
    log_in(client, consultant)
    data = client.get(f"/w/{slug}/assessments/{q3}/results.json").get_json()
    assert data["since_last_period"] is None and data["period"] == "2026-Q3"


def test_results_json_of_another_workspace_is_not_found(client, quarters):
    slug, _q3, q4, _consultant, stranger = quarters
    log_in(client, stranger)
    assert client.get(f"/w/{slug}/assessments/{q4}/results.json").status_code == 404
    assert client.get(f"/w/{slug}/assessments/999999/results.json").status_code == 404


def test_results_json_needs_a_login(client, quarters):
    slug, _q3, q4, _consultant, _stranger = quarters
    response = client.get(f"/w/{slug}/assessments/{q4}/results.json")
    assert response.status_code in (302, 401, 404)


# --- the CLI's report with --previous shows what the web's report shows -------------------


def test_the_cli_report_with_previous_shows_the_webs_since_page(app, client, sessions, tmp_path):
    slug, _q3, q4, consultant, _stranger = two_quarters(app, sessions)
    log_in(client, consultant)
    web = client.get(f"/w/{slug}/assessments/{q4}/report.pdf?lang=en")
    assert web.status_code == 200

    previous, current = write_documents(tmp_path / "answers", services_of(app).catalogue)
    output = tmp_path / "R.pdf"
    arguments = ["--questionnaires", str(tmp_path / "questionnaires"), "report", str(current)]
    result = CliRunner().invoke(cli, [*arguments, "-o", str(output), "--previous", str(previous)])
    assert result.exit_code == 0, result.output
    assert since_page(output.read_bytes()) == since_page(web.data)
    assert "+0.5 bridged: 1 of 5 questions changed" in since_page(output.read_bytes())


def test_the_page_and_the_json_say_how_many_pre_filled_answers_were_re_confirmed(
    client, sessions, quarters
):
    slug, _q3, q4, consultant, _stranger = quarters
    with transaction(sessions) as session:
        answers = session.scalars(
            select(Answer)
            .join(Respondent)
            .where(Respondent.assessment_id == q4)
            .order_by(Answer.id)
            .limit(40)
        ).all()
        for number, answer in enumerate(answers):
            answer.offered = True
            answer.prefilled = number >= 38  # the last two are neither confirmed nor changed
    log_in(client, consultant)
    page = client.get(f"/w/{slug}/assessments/{q4}/results").get_data(as_text=True)
    assert "38 of 40 pre-filled answers re-confirmed" in text_of(section(page))
    data = client.get(f"/w/{slug}/assessments/{q4}/results.json").get_json()
    assert data["reconfirmed"] == {"confirmed": 38, "offered": 40}


def test_a_respondents_own_results_page_shows_since_last_quarter(app, client, sessions):
    slug, client_id, _consultant, _stranger = workspace_with_client(sessions)
    catalogue = services_of(app).catalogue
    then, now = documents(catalogue)
    import_answers(sessions, catalogue, slug, client_id, then, close=True)
    with transaction(sessions) as session:
        organization = session.get(Organization, client_id)
        assessment = make_assessment(session, organization, catalogue.get("cx-maturity", "1.1"))
        for person in now["respondents"]:
            respondent, token = make_respondent(
                session, assessment, name=person["name"], answers=person["answers"], submitted=True
            )
            respondent.email = person["email"]
    page = client.get(f"/r/{token}/results", headers={"Accept-Language": "en"})
    shown = text_of(section(page.get_data(as_text=True)))
    assert "Since 2026-Q3" in shown
    assert "3 of 4 respondents took part both times" in shown
    assert "bridged 1 of 5 questions changed; like for like: ±0.0" in shown


def test_mostly_different_respondents_are_warned_about(app, client, sessions):
    def only_anna_again(now):  # only Anna answers both times: 1 of 4
        for person in now["respondents"][1:]:
            person["email"] = "new-" + person["email"]

    slug, _q3, q4, consultant, _stranger = two_quarters(app, sessions, change_now=only_anna_again)
    log_in(client, consultant)
    since = section(client.get(f"/w/{slug}/assessments/{q4}/results").get_data(as_text=True))
    shown = text_of(since)
    assert "1 of 4 respondents took part both times" in shown
    assert "Different respondents: fewer than half took part both times" in shown
    assert "Stable panel" not in shown  # it needs two respondents who took part both times
    data = client.get(f"/w/{slug}/assessments/{q4}/results.json").get_json()
    since_json = data["since_last_period"]
    assert (since_json["panel_overlap"], since_json["different_respondents"]) == (0.25, True)
    assert {d["stable_panel_change"] for d in since_json["dimensions"]} == {None}

"""Your position among the other clients (DESIGN §4.13) on the pages a client sees — the
workspace's results page (also its staff's) and the respondent's own — and in the PDF;
and the owners' setting of the workspace's min-n on the members page."""

import html
import io
import re

import pytest
from factories import (
    cx_maturity,
    make_assessment,
    make_client_staff,
    make_member,
    make_organization,
    make_respondent,
    make_user,
    make_workspace,
)
from pypdf import PdfReader
from sqlalchemy import select
from web_helpers import csrf_token, log_in

from cxmaturity.services.assessment_import import import_answers
from cxmaturity.store.database import transaction
from cxmaturity.store.models import AuditEntry, Workspace
from cxmaturity.web.context import services_of

QUESTIONNAIRE = cx_maturity()
HEADING = "Your position among the other clients"


def arrange(app, peers, kind="consultancy", language="en"):
    """Workspace "nord" with "Own AG" (its open 2026-Q4, one respondent at level 3) and a
    closed 2026-Q4 per level in `peers`, each of a client named "Peer n GmbH"."""
    sessions = services_of(app).sessions
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord", kind=kind)
        own = make_organization(session, name="Own AG", workspace=nord)
        assessment = make_assessment(session, own)
        _, token = make_respondent(
            session,
            assessment,
            name="Eva",
            answers=dict.fromkeys(QUESTIONNAIRE.questions, 3),
            submitted=True,
        )
        peer_ids = [
            make_organization(session, name=f"Peer {n} GmbH", workspace=nord).id
            for n in range(len(peers))
        ]
        world = {
            "url": f"/w/nord/assessments/{assessment.id}",
            "token": token,
            "owner": make_member(session, nord, make_user(session, language=language), "owner"),
            "consultant": make_member(session, nord, make_user(session, language=language)),
            "staff": make_client_staff(session, own, "client_viewer"),
        }
        world = {key: getattr(value, "email", value) for key, value in world.items()}
    for client_id, level in zip(peer_ids, peers, strict=True):
        document = {
            "questionnaire": "cx-maturity",
            "organization": "Peer",
            "period": "2026-Q4",
            "respondents": [
                {"name": "P", "answers": dict.fromkeys(QUESTIONNAIRE.questions, level)}
            ],
        }
        import_answers(
            sessions, services_of(app).catalogue, "nord", client_id, document, close=True
        )
    return world


def section(page: str) -> str:
    """The cohort section of a results page, as text."""
    found = re.search(r'<section aria-labelledby="cohort-heading">(.*?)</section>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def get(client, world, who, path=""):
    assert log_in(client, world[who]).status_code == 302
    return client.get(world["url"] + path)


def test_the_consultants_results_page_shows_the_band_of_five_peers(app, client):
    world = arrange(app, [1, 2, 3, 4, 5])
    page = get(client, world, "consultant", "/results").get_data(as_text=True)
    shown = section(page)
    assert HEADING in shown and "Compared with 5 other clients" in shown
    # Overall and every dimension: your 3.0 beside the peers' 2.0, 3.0 and 4.0.
    assert len(re.findall(r">3\.0<.*?>2\.0<.*?>3\.0<.*?>4\.0<", shown, re.S)) == 9
    assert "1.0" not in shown and "5.0" not in shown  # never the minimum or maximum
    assert "Peer" not in page  # no peer by name, anywhere
    assert "/cohort.svg" in shown
    chart = client.get(world["url"] + "/cohort.svg")
    assert chart.mimetype == "image/svg+xml" and b'id="cohort-band"' in chart.data


def test_client_staff_see_the_band_and_no_peer(app, client):
    world = arrange(app, [1, 2, 3, 4, 5])
    client.get("/language/de")
    page = get(client, world, "staff", "/results").get_data(as_text=True)
    assert "Ihre Position unter den anderen Kunden" in section(page)
    assert "2,0" in section(page) and "Peer" not in page


def test_the_respondents_own_results_show_the_band(app, client):
    world = arrange(app, [1, 2, 3, 4, 5])
    page = client.get(f"/r/{world['token']}/results", headers={"Accept-Language": "en"})
    shown = section(page.get_data(as_text=True))
    assert HEADING in shown and "4.0" in shown and "Peer" not in page.get_data(as_text=True)
    chart = client.get(f"/r/{world['token']}/cohort.svg")
    assert chart.status_code == 200 and b'id="cohort-own"' in chart.data


def test_four_peers_show_why_and_no_number(app, client):
    world = arrange(app, [1, 2, 4, 5])
    shown = section(get(client, world, "consultant", "/results").get_data(as_text=True))
    assert shown.count("fewer than 5 comparable clients") == 10  # 9 rows and the reason
    assert not re.search(r">\d\.\d<", shown.replace(">3.0<", ""))  # only the own score
    assert "/cohort.svg" not in shown


def test_a_team_workspace_shows_no_cohort(app, client):
    world = arrange(app, [], kind="team")
    page = get(client, world, "consultant", "/results").get_data(as_text=True)
    assert "cohort-heading" not in page and HEADING not in page
    assert client.get(world["url"] + "/cohort.svg").status_code == 404
    pdf = client.get(world["url"] + "/report.pdf?lang=en").data
    assert HEADING not in pdf_text(pdf)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize(
    ("language", "heading", "lower", "withheld"),
    [
        ("en", HEADING, "Lower quartile", "fewer than 5 comparable clients"),
        ("de", "Ihre Position unter den anderen Kunden", "Unteres Quartil",
         "weniger als 5 vergleichbare Kunden"),
    ],
)  # fmt: skip
def test_the_pdf_has_the_band_page_in_both_languages(app, client, language, heading, lower,
                                                     withheld):  # fmt: skip
    world = arrange(app, [1, 2, 3, 4, 5])
    assert log_in(client, world["consultant"]).status_code == 302
    text = pdf_text(client.get(world["url"] + f"/report.pdf?lang={language}").data)
    assert text.count(heading) >= 2  # the contents and the page
    assert lower.upper() in text  # table headings are printed in capitals
    decimal = "," if language == "de" else "."
    assert f"3{decimal}0 2{decimal}0 3{decimal}0 4{decimal}0" in text
    assert withheld not in text and "Peer" not in text
    with transaction(services_of(app).sessions) as session:
        session.scalars(select(Workspace)).one().cohort_min_n = 6
    text = pdf_text(client.get(world["url"] + f"/report.pdf?lang={language}").data)
    assert withheld.replace("5", "6") in text and f"2{decimal}0 3{decimal}0" not in text


def post_min_n(client, value):
    page = client.get("/w/nord/members").get_data(as_text=True)
    return client.post(
        "/w/nord/settings/cohort", data={"csrf_token": csrf_token(page), "cohort_min_n": value}
    )


def min_n_and_audit(app):
    with transaction(services_of(app).sessions) as session:
        workspace = session.scalars(select(Workspace)).one()
        entries = session.scalars(select(AuditEntry.detail)).all()
        return workspace.cohort_min_n, entries


def test_an_owner_sets_the_min_n_to_three_and_the_band_shows_with_three(app, client):
    world = arrange(app, [2, 3, 4])
    assert log_in(client, world["owner"]).status_code == 302
    assert "fewer than 5 comparable clients" in section(
        client.get(world["url"] + "/results").get_data(as_text=True)
    )
    page = client.get("/w/nord/members").get_data(as_text=True)
    assert 'id="cohort-min-n"' in page and 'value="5"' in page
    response = post_min_n(client, "3")
    assert response.status_code == 303
    assert min_n_and_audit(app) == (3, ["cohort minimum: 5 → 3 comparable clients"])
    shown = section(client.get(world["url"] + "/results").get_data(as_text=True))
    assert "Compared with 3 other clients" in shown and "2.5" in shown


@pytest.mark.parametrize("value", ["2", "0", "-3", "abc", "", "4.5", "1000", "٣"])
def test_a_min_n_below_three_or_not_a_number_is_refused_in_english_and_german(app, client, value):
    world = arrange(app, [], language="en")
    assert log_in(client, world["owner"]).status_code == 302
    response = post_min_n(client, value)
    assert response.status_code == 400
    assert "Enter a whole number from 3 to 999" in html.unescape(response.get_data(as_text=True))
    client.get("/language/de")
    response = post_min_n(client, value)
    assert "Geben Sie eine ganze Zahl von 3 bis 999 ein" in html.unescape(
        response.get_data(as_text=True)
    )
    assert min_n_and_audit(app) == (5, [])


def test_a_consultant_may_not_set_the_min_n(app, client):
    world = arrange(app, [])
    assert log_in(client, world["consultant"]).status_code == 302
    page = client.get("/w/nord/members").get_data(as_text=True)
    assert 'id="cohort-min-n"' not in page and "from 5 comparable clients" in page
    assert post_min_n(client, "3").status_code == 403
    assert min_n_and_audit(app) == (5, [])

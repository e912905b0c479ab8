"""Issue 9 "Done when": a consultant's whole quarter in Chromium, as a new user would try it.

Log in, create a client, create and open 2026-Q4, invite three colleagues (one by e-mail
through a real local SMTP server), follow the participation as they answer, remind the
pending one, close, download the PDF: once in German, once in English (switched with the
header's language switch). Screenshots at 1280 and 375 px go to /work/journey-shots/.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from factories import PASSWORD, make_member, make_user, make_workspace
from pypdf import PdfReader
from sqlalchemy import select

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction
from cxmaturity.store.models import Respondent

pytestmark = pytest.mark.browser
QUESTIONNAIRE = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity")
SHOTS = Path("/work/journey-shots")
WIDTHS = (1280, 375)

# What the consultant reads on the buttons and labels, in each language.
TEXT = {
    "de": {
        "log_in": "Anmelden",
        "email": "E-Mail-Adresse",
        "password": "Passwort",
        "new_client": "Neuer Kunde",
        "client_name": "Name des Kunden",
        "create_client": "Kunden anlegen",
        "period": "Zeitraum",
        "create_assessment": "Assessment anlegen",
        "open": "Assessment öffnen",
        "participation": "Teilnahme und Einladungen",
        "invite_one": "Eine Person einladen",
        "name": "Name",
        "optional_email": "E-Mail-Adresse (freiwillig)",
        "language": "Sprache",
        "invite": "Einladen",
        "link_for": "Link für {name}",
        "back": "Zurück zur Teilnahme",
        "remind": "Ausstehende jetzt erinnern",
        "too_early": "zu früh (3 Tage nach der Einladung, 2 zwischen Erinnerungen): 1",
        "none_sent": "0 Erinnerungen gesendet.",
        "one_sent": "1 Erinnerung gesendet.",
        "in_progress": "in Bearbeitung",
        "submitted": "abgeschickt",
        "answered": "von 42 beantwortet",
        "close": "Assessment abschließen",
        "results": "Ergebnisse",
        "pdf": "PDF-Bericht",
    },
    "en": {
        "log_in": "Log in",
        "email": "E-mail address",
        "password": "Password",
        "new_client": "New client",
        "client_name": "Client name",
        "create_client": "Create client",
        "period": "Period",
        "create_assessment": "Create assessment",
        "open": "Open the assessment",
        "participation": "Participation and invitations",
        "invite_one": "Invite a respondent",
        "name": "Name",
        "optional_email": "E-mail address (optional)",
        "language": "Language",
        "invite": "Invite",
        "link_for": "Link for {name}",
        "back": "Back to participation",
        "remind": "Remind pending now",
        "too_early": "too early (3 days after the invitation, 2 between reminders): 1",
        "none_sent": "0 reminders sent.",
        "one_sent": "1 reminder sent.",
        "in_progress": "in progress",
        "submitted": "submitted",
        "answered": "of 42 answered",
        "close": "Close the assessment",
        "results": "Results",
        "pdf": "PDF report",
    },
}
LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}


def shoot(page, name: str) -> None:
    """The page as a whole at desktop and phone width; the phone one must not scroll sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == 375:
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 375, f"{name} is {overflow} px wide at 375 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def answer_everything(page, link: str, level: int) -> None:
    """A colleague answers every page of the questionnaire and submits."""
    page.goto(link)
    count = len(QUESTIONNAIRE.dimensions)
    for number, dimension in enumerate(QUESTIONNAIRE.dimensions, start=1):
        page.wait_for_url(re.compile(rf"/d/{number}(\?.*)?$"))
        for question in dimension.questions:
            page.locator(f'input[name="answer-{question.id}"]').nth(level - 1).check()
        button = "next" if number < count else "review"
        with page.expect_navigation():
            page.locator(f'.actions button[value="{button}"]').click()
    page.wait_for_url(re.compile(r"/review$"))
    with page.expect_navigation():
        page.locator('form[action$="/submit"] button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/results$"))


def invite(page, text: dict, name: str, language: str, email: str | None = None) -> str:
    """Invite one colleague by the form; return the link shown once on the next page."""
    form = page.get_by_role("region", name=text["invite_one"])
    form.get_by_label(text["name"], exact=True).fill(name)
    if email:
        form.get_by_label(text["optional_email"]).fill(email)
    form.get_by_label(text["language"], exact=True).select_option(language)
    with page.expect_navigation():
        form.get_by_role("button", name=text["invite"], exact=True).click()
    link = page.get_by_label(text["link_for"].format(name=name)).input_value()
    with page.expect_navigation():
        page.get_by_role("link", name=text["back"]).click()
    return link


def flash_text(page) -> str:
    return page.locator("main").inner_text()


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_consultants_quarter_from_login_to_the_pdf(new_page, mailing_live_server, language):
    server = mailing_live_server
    text = TEXT[language]
    slug = f"beratung-{language}"
    email = f"berater-{language}@beratung.test"
    colleague_email = f"anna-{language}@kunde.test"
    sessions = session_factory(make_engine(server.database_url))
    with transaction(sessions) as session:
        workspace = make_workspace(session, slug=slug, name="Beratung Nord")
        make_member(session, workspace, make_user(session, email=email, name="Bea Berater"))

    # The consultant's browser starts in German; the English journey switches in the header.
    page = new_page(
        locale="de-DE", extra_http_headers={"Accept-Language": "de"}, accept_downloads=True
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server.url + "/login")
    if language == "en":
        with page.expect_navigation():
            page.get_by_role("navigation", name="Sprache").get_by_role(
                "link", name="English"
            ).click()
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_label(text["email"], exact=True).fill(email)
    page.get_by_label(text["password"]).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=text["log_in"]).click()

    # A client, and its assessment 2026-Q4, opened.
    page.goto(f"{server.url}/w/{slug}/")
    page.get_by_role("link", name=text["new_client"]).click()
    client_name = f"Größe & Söhne {language.upper()} AG"
    page.get_by_label(text["client_name"]).fill(client_name)
    with page.expect_navigation():
        page.get_by_role("button", name=text["create_client"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == client_name
    client_url = page.url
    page.get_by_label(text["period"]).fill("2026-Q4")
    with page.expect_navigation():
        page.get_by_role("button", name=text["create_assessment"]).click()
    assert "2026-Q4" in page.get_by_role("heading", level=1).inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name=text["open"]).click()
    overview_url = page.url.split("?")[0]
    page.get_by_role("link", name=text["participation"]).click()
    participation_url = page.url

    # Three colleagues: Anna by e-mail, Ben and Cem by the links shown once.
    invite(page, text, "Anna Albers", language, email=colleague_email)
    ben_link = invite(page, text, "Ben Brandt", language)
    cem_link = invite(page, text, "Cem Celik", language)
    invitation = next(m for m in server.smtp.received if colleague_email in m.recipients)
    anna_link = re.search(r"https?://\S+/r/\S+", invitation.text).group(0)
    assert anna_link.startswith(server.url + "/r/")

    # They answer, each in a browser of their own; Anna stops after the first page.
    anna = new_page(extra_http_headers={"Accept-Language": language})
    anna.goto(anna_link)
    anna.wait_for_url(re.compile(r"/d/1$"))
    for question in QUESTIONNAIRE.dimensions[0].questions:
        anna.locator(f'input[name="answer-{question.id}"]').nth(1).check()
    with anna.expect_navigation():
        anna.locator('.actions button[value="next"]').click()
    rows = {
        name: page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name))
        for name in ("Anna Albers", "Ben Brandt", "Cem Celik")
    }
    asked = len(QUESTIONNAIRE.dimensions[0].questions)
    page.reload()  # the consultant follows along: Anna has begun, nobody has submitted
    assert f"{text['in_progress']} ({asked} {text['answered']})" in rows["Anna Albers"].inner_text()
    assert page.locator('dd[data-count="submitted"]').inner_text() == "0"
    answer_everything(new_page(), ben_link, level=3)
    page.reload()
    assert text["submitted"] in rows["Ben Brandt"].inner_text()
    assert page.locator('dd[data-count="submitted"]').inner_text() == "1"
    answer_everything(new_page(), cem_link, level=4)

    page.goto(participation_url)
    assert f"{text['in_progress']} ({asked} {text['answered']})" in rows["Anna Albers"].inner_text()
    assert text["submitted"] in rows["Ben Brandt"].inner_text()
    assert text["submitted"] in rows["Cem Celik"].inner_text()
    assert page.locator('dd[data-count="all"]').inner_text() == "3"
    assert page.locator('dd[data-count="submitted"]').inner_text() == "2"

    # Reminding now is too early (the invitation is minutes old): the page says why.
    with page.expect_navigation():
        page.get_by_role("button", name=text["remind"]).click()
    assert text["none_sent"] in flash_text(page)
    assert text["too_early"] in flash_text(page)
    shoot(page, f"{language}-participation-too-early")
    assert len([m for m in server.smtp.received if colleague_email in m.recipients]) == 1

    # Four days later (the invitation moved back in the database), the reminder goes out.
    with transaction(sessions) as session:
        anna_row = session.scalars(select(Respondent).where(Respondent.email == colleague_email))
        anna_row.one().invited_at -= datetime.timedelta(days=4)
    with page.expect_navigation():
        page.get_by_role("button", name=text["remind"]).click()
    assert text["one_sent"] in flash_text(page)
    mails = [m for m in server.smtp.received if colleague_email in m.recipients]
    assert len(mails) == 2
    assert anna_link in mails[1].text  # the same link, reminded
    page.goto(participation_url)
    assert rows["Anna Albers"].get_by_role("cell").nth(3).inner_text() == "1"  # reminders
    shoot(page, f"{language}-participation")

    # Back to the assessment by the page's own link; closed, then the results and the PDF.
    with page.expect_navigation():
        page.get_by_role("link", name=f"{client_name} · 2026-Q4").click()
    assert page.url == overview_url
    with page.expect_navigation():
        page.get_by_role("button", name=text["close"]).click()
    page.get_by_role("link", name=text["results"], exact=True).click()
    page.wait_for_url(re.compile(r"/results$"))
    assert client_name in page.locator("main").inner_text()
    shoot(page, f"{language}-results")

    with page.expect_navigation():
        page.get_by_role("link", name=f"{client_name} · 2026-Q4").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=text["pdf"]).click()
    pdf = PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    pdf_text = " ".join(p.extract_text() for p in pdf.pages)
    assert client_name in pdf_text
    assert "2026-Q4" in pdf_text

    page.goto(client_url)
    shoot(page, f"{language}-client")
    page.goto(f"{server.url}/w/{slug}/")
    assert client_name in page.locator("main").inner_text()
    shoot(page, f"{language}-start")

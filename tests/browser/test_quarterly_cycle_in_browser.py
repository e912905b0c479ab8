"""Issue 10 "Done when": a CX team's four quarters (2026-Q1 … 2026-Q4) in Chromium.

A `team` workspace's owner does everything through the pages, as a team would: the client,
the first assessment, two colleagues invited by the links shown once, their answers in
browsers of their own, the close; default targets and one changed; an action from a
recommended step and one written by hand; the CX key figures, with one bad figure first.
Each next quarter starts in one step ("Start next quarter", respondents invited again,
their answers pre-filled), the colleagues confirm some answers and change others, the
recommended action is done before the close; in Q3 one colleague does not come back and a
new one joins, in Q4 two new ones join (so the panel changes); the hand-written action is
never touched, so it is carried twice and stalls. After each close the test reads what the
team would read: "since last quarter" on the results page, the client's history and trend
chart, targets' progress, the plan's effects, the key figures and their change, the PDF.
The last quarter runs in German (switched in the header); screenshots at 1280 and 375 px
go to /work/quarter-shots/.
"""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from factories import PASSWORD, make_member, make_user, make_workspace
from playwright.sync_api import expect
from pypdf import PdfReader

from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
from cxmaturity.domain.statuses import WorkspaceKind, WorkspaceRole
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory, transaction

pytestmark = pytest.mark.browser
QUESTIONNAIRE = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity")
DIMENSIONS = QUESTIONNAIRE.dimensions
QUESTIONS = sum(len(d.questions) for d in DIMENSIONS)
SHOTS = Path("/work/quarter-shots")
WIDTHS = (1280, 375)
TRANSLATIONS = Path(__file__).resolve().parents[2] / "cxmaturity" / "translations"
SLUG = "cx-team"
OWNER = "lena@team.test"
CLIENT = "Nordlicht Versand GmbH"
# The recommended step goes on the first dimension, the hand-written action on the second.
STEP_DIMENSION, HAND_DIMENSION = DIMENSIONS[0], DIMENSIONS[1]
HAND_ACTION = "Map the customer journey of our three largest segments"
HAND_OWNER = "Carla Chef"
SAME_IN_GERMAN = {"Name", "Status"}


class Words:
    """The interface's texts in one language, exactly as the app's catalogue has them."""

    def __init__(self, language: str):
        self.language = language
        self.catalogue = gettext.translation(
            "messages", localedir=TRANSLATIONS, languages=[language], fallback=language == "en"
        )

    def __call__(self, message: str, **values) -> str:
        text = self.catalogue.gettext(message)
        if self.language != "en" and message not in SAME_IN_GERMAN:
            assert text != message, f"not translated: {message!r}"
        return text % values if values else text

    def n(self, singular: str, plural: str, num: int, **values) -> str:
        text = self.catalogue.ngettext(singular, plural, num)
        return text % {"num": num, **values}

    def title(self, dimension) -> str:
        return dimension.title.get(self.language)


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


def main_text(page) -> str:
    return page.locator("main").inner_text()


def click_to_navigate(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def answer(page, link: str, levels: dict[int, int], default: int | None) -> None:
    """A colleague goes through every dimension page: where `levels` (page number → level)
    or `default` gives a level, every question of the page gets it; otherwise last
    quarter's answers on the page are confirmed with the page's own button. Then submit."""
    page.goto(link)
    for number, dimension in enumerate(DIMENSIONS, start=1):
        page.wait_for_url(re.compile(rf"/d/{number}(\?.*)?(#.*)?$"))
        level = levels.get(number, default)
        if level is None:
            click_to_navigate(page, page.locator('button[value="confirm-page"]'))
            expect(page.locator("fieldset.is-prefilled")).to_have_count(0)
        else:
            for question in dimension.questions:
                page.locator(f'input[name="answer-{question.id}"][value="{level}"]').check()
        button = "next" if number < len(DIMENSIONS) else "review"
        click_to_navigate(page, page.locator(f'.actions button[value="{button}"]'))
    page.wait_for_url(re.compile(r"/review$"))
    click_to_navigate(page, page.locator('form[action$="/submit"] button[type="submit"]'))
    page.wait_for_url(re.compile(r"/results$"))


class Team:
    """The owner's browser and the way through the pages, in the interface's language."""

    def __init__(self, page, server: str, words: Words):
        self.page, self.server, self.words = page, server, words
        self.client_url = ""
        self.overview_url = ""

    def go_client(self) -> None:
        self.page.goto(self.client_url)

    def back_to_overview(self, period: str) -> None:
        click_to_navigate(self.page, self.page.get_by_role("link", name=f"{CLIENT} · {period}"))
        self.overview_url = self.page.url.split("?")[0]

    def invite(self, name: str, email: str) -> str:
        """One colleague by the participation page's form; the link shown once."""
        page, w = self.page, self.words
        form = page.get_by_role("region", name=w("Invite a respondent"))
        form.get_by_label(w("Name"), exact=True).fill(name)
        form.get_by_label(w("E-mail address (optional)")).fill(email)
        form.get_by_label(w("Language"), exact=True).select_option(w.language)
        click_to_navigate(page, form.get_by_role("button", name=w("Invite"), exact=True))
        link = page.get_by_label(w("Link for %(name)s", name=name)).input_value()
        click_to_navigate(page, page.get_by_role("link", name=w("Back to participation")))
        return link

    def open_assessment(self) -> None:
        self.page.goto(self.overview_url)
        click_to_navigate(
            self.page, self.page.get_by_role("button", name=self.words("Open the assessment"))
        )

    def to_participation(self) -> None:
        self.page.goto(self.overview_url)
        self.page.get_by_role("link", name=self.words("Participation and invitations")).click()
        self.page.wait_for_url(re.compile(r"/participation$"))

    def close(self) -> None:
        self.page.goto(self.overview_url)
        click_to_navigate(
            self.page, self.page.get_by_role("button", name=self.words("Close the assessment"))
        )

    def results(self) -> str:
        self.page.goto(self.overview_url)
        self.page.get_by_role("link", name=self.words("Results"), exact=True).click()
        self.page.wait_for_url(re.compile(r"/results$"))
        return main_text(self.page)

    def pdf(self) -> str:
        self.page.goto(self.overview_url)
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name=self.words("PDF report")).click()
        reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
        return "\n".join(p.extract_text() for p in reader.pages)

    def plan(self) -> str:
        self.go_client()
        w = self.words
        self.page.get_by_role(
            "link", name=re.compile(re.escape(w("The whole action plan")))
        ).click()
        self.page.wait_for_url(re.compile(r"/actions$"))
        return main_text(self.page)

    def action_card(self, title: str):
        return self.page.locator("li.action-card").filter(
            has=self.page.get_by_role("heading", name=title, exact=True)
        )

    def start_next_quarter(self, period: str, prefilled: int) -> dict[str, str]:
        """Start next quarter, with the respondents invited again and answers pre-filled;
        the new links by name, from the page that shows them once."""
        page, w = self.page, self.words
        self.go_client()
        click_to_navigate(page, page.get_by_role("link", name=w("Start next quarter")))
        expect(page.get_by_label(w("Period"), exact=True)).to_have_value(period)
        page.get_by_label(w("Invite last quarter's respondents again (new links)")).check()
        page.get_by_label(w("Offer them their previous answers pre-filled")).check()
        click_to_navigate(page, page.get_by_role("button", name=w("Start next quarter")))
        expect(page.locator("main")).to_contain_text(
            w.n(
                "%(num)s answer from last quarter is offered pre-filled; each counts only once "
                "its respondent confirms or changes it.",
                "%(num)s answers from last quarter are offered pre-filled; each counts only once "
                "its respondent confirms or changes it.",
                prefilled,
            )
        )
        links = {}
        for row in page.locator("table.new-links tbody tr").all():
            name = row.get_by_role("rowheader").inner_text().strip()
            links[name] = row.locator("input").input_value()
        click_to_navigate(page, page.get_by_role("link", name=w("Back to participation")))
        self.back_to_overview(period)
        return links

    def kpi_form(self, period: str) -> None:
        self.go_client()
        click_to_navigate(
            self.page, self.page.get_by_role("link", name=self.words("Enter key figures"))
        )
        assert self.page.url.endswith(f"period={period}")

    def fill_kpis(self, figures: dict[str, str]) -> None:
        """Raw figures by their labels (empty string clears a box), then save."""
        page, w = self.page, self.words
        for (kpi, label), value in figures.items():
            box = page.locator(f"#kpi-{kpi}").get_by_label(w(label), exact=True)
            box.fill(value)
        click_to_navigate(page, page.get_by_role("button", name=w("Save key figures")))


def field_error(page, box) -> str:
    """The message beside a field sent back, found the way a screen reader finds it."""
    expect(box).to_have_attribute("aria-invalid", "true")
    return page.locator(f'[id="{box.get_attribute("id")}-error"]').inner_text()


def table_row(page, section, header: str):
    return section.get_by_role("row").filter(has=page.get_by_role("rowheader", name=header))


def expect_chart(page) -> None:
    """The history's trend chart is an SVG image that the browser could draw."""
    chart = page.locator("figure.trend img")
    expect(chart).to_be_visible()
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    svg = page.request.get(chart.evaluate("img => img.src"))
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text()


# Some checks are gathered and asserted together at the end, so that one failure does not
# hide what the rest of the journey would show (they found three bugs the first time).
def known(problems: list[str], ok: bool, what: str) -> None:
    if not ok:
        problems.append(what)


def test_a_team_runs_four_quarters_in_the_browser(new_page, mailing_live_server):
    server = mailing_live_server
    problems: list[str] = []
    sessions = session_factory(make_engine(server.database_url))
    with transaction(sessions) as session:
        workspace = make_workspace(
            session, slug=SLUG, name="CX-Team Nordlicht", kind=WorkspaceKind.TEAM
        )
        owner = make_user(session, email=OWNER, name="Lena Lind", language="en")
        make_member(session, workspace, owner, role=WorkspaceRole.OWNER)

    en = Words("en")
    step_title, hand_title = en.title(STEP_DIMENSION), en.title(HAND_DIMENSION)
    page = new_page(
        locale="en-GB", extra_http_headers={"Accept-Language": "en"}, accept_downloads=True
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    team = Team(page, server.url, en)
    page.goto(server.url + "/login")
    page.get_by_label(en("E-mail address"), exact=True).fill(OWNER)
    page.get_by_label(en("Password")).fill(PASSWORD)
    click_to_navigate(page, page.get_by_role("button", name=en("Log in")))

    # ---- 2026-Q1: the client, its first assessment, two colleagues, the close.
    page.goto(f"{server.url}/w/{SLUG}/")
    page.get_by_role("link", name=en("New client")).click()
    page.get_by_label(en("Client name")).fill(CLIENT)
    click_to_navigate(page, page.get_by_role("button", name=en("Create client")))
    assert page.get_by_role("heading", level=1).inner_text() == CLIENT
    team.client_url = page.url
    page.get_by_label(en("Period")).fill("2026-Q1")
    click_to_navigate(page, page.get_by_role("button", name=en("Create assessment")))
    team.overview_url = page.url.split("?")[0]
    team.open_assessment()
    team.to_participation()
    links = {
        "Anna Albers": team.invite("Anna Albers", "anna@team.test"),
        "Ben Brandt": team.invite("Ben Brandt", "ben@team.test"),
    }
    for link in links.values():
        answer(new_page(), link, {}, default=2)
    team.close()
    text = team.results()
    assert "2 · Development" in text
    expect(page.locator("section.since")).to_have_count(0)  # nothing to compare with yet

    team.go_client()
    history = page.get_by_role("region", name=en("History"))
    expect(history.locator("details.history-period summary")).to_have_text(
        ["2026-Q1: 2.0 · " + en("Level %(level)s", level=2)]
    )
    expect_chart(page)

    # Targets: one level up everywhere by the button, then the second dimension to level 4.
    click_to_navigate(
        page,
        page.get_by_role(
            "button",
            name=en.n(
                "Set the default target (one level up) for the dimension without one",
                "Set default targets (one level up) for the %(num)d dimensions without one",
                len(DIMENSIONS),
            ),
        ),
    )
    page.get_by_text(en("Change targets"), exact=True).click()
    page.locator(f'select[name="level-{HAND_DIMENSION.id}"]').select_option("4")
    click_to_navigate(page, page.get_by_role("button", name=en("Save targets")))
    targets = page.locator("section#targets")
    expect(table_row(page, targets, step_title)).to_contain_text("3 · Definition\t–\t0.6\t 0%")
    expect(table_row(page, targets, hand_title)).to_contain_text("4 · Managed\t–\t1.4\t 0%")

    # The action plan: a recommended step of the first dimension, and one written by hand.
    team.plan()
    step = (
        page.locator("ul.step-list > li")
        .filter(has_text=f"{step_title} · {en('Level %(level)s', level=2)}")
        .first
    )
    step_action = step.locator("p").first.inner_text().split("\n")[-1].strip()
    click_to_navigate(page, step.get_by_role("button", name=re.compile(en("Add to the plan"))))
    form = page.get_by_role("region", name=en("Add an action by hand"))
    form.get_by_label(en("Dimension"), exact=True).select_option(label=hand_title)
    form.get_by_label(en("Action"), exact=True).fill(HAND_ACTION)
    form.get_by_label(en("Responsible (optional)")).fill(HAND_OWNER)
    form.get_by_label(en("Due date (optional)")).fill("2027-03-31")
    form.get_by_label(en("Status"), exact=True).select_option("planned")
    click_to_navigate(page, form.get_by_role("button", name=en("Add action")))
    expect(page.get_by_role("heading", name=f"{en('Planned')} (2)")).to_be_visible()
    expect(team.action_card(step_action)).to_contain_text(
        en("From the questionnaire's recommended steps")
    )
    expect(team.action_card(HAND_ACTION)).to_contain_text(
        f"{en('Responsible')}: {HAND_OWNER}\n{en('Due date')}: Mar 31, 2027"
    )

    # Key figures of Q1: promoters + detractors above the responses and a negative count
    # are named beside their fields and nothing is stored; then the right figures.
    team.kpi_form("2026-Q1")
    bad = {
        ("nps", "Promoters (answers 9–10)"): "60",
        ("nps", "Detractors (answers 0–6)"): "50",
        ("nps", "Responses in all (optional)"): "100",
        ("csat", "Satisfied answers (4–5)"): "-5",
        ("csat", "Responses"): "100",
    }
    team.fill_kpis(bad)
    expect(page.locator(".error-summary h2")).to_have_text(en("Please correct the marked fields:"))
    nps_box = page.locator("#kpi-nps").get_by_label(en("Responses in all (optional)"))
    assert field_error(page, nps_box) == en(
        "Promoters and detractors (%(promoters)s + %(detractors)s) cannot be more than the"
        " responses (%(responses)s).",
        promoters=60,
        detractors=50,
        responses=100,
    )
    csat_box = page.locator("#kpi-csat").get_by_label(en("Satisfied answers (4–5)"))
    assert field_error(page, csat_box) == en("This cannot be negative.")
    expect(page.locator(".kpi-result")).to_have_count(0)  # nothing saved
    team.fill_kpis(kpis(40, 30, 30, 70) | {("nps", "Responses in all (optional)"): ""})
    expect(page.locator("#kpi-nps .kpi-result")).to_have_text(
        f"{en('Value')}: 10.0 · {en('Sample')}: 100 responses"
    )
    expect(page.locator("#kpi-csat .kpi-result")).to_have_text(
        f"{en('Value')}: 70.0% · {en('Sample')}: 100 responses"
    )

    # ---- 2026-Q2: started in one step; both raise the first dimension, the step is done.
    links = team.start_next_quarter("2026-Q2", prefilled=2 * QUESTIONS)
    assert sorted(links) == ["Anna Albers", "Ben Brandt"]
    team.open_assessment()
    for name in ("Anna Albers", "Ben Brandt"):
        answer(new_page(), links[name], {1: 3}, default=None)
    team.plan()
    card = team.action_card(step_action)
    card.locator("select").select_option("done")
    click_to_navigate(page, card.get_by_role("button", name=re.compile(en("Change status"))))
    team.kpi_form("2026-Q2")
    team.fill_kpis(kpis(45, 30, 25, 75))
    team.close()

    team.results()
    since = page.locator("section.since")
    expect(since.get_by_role("heading", level=2)).to_have_text(
        en("Since %(period)s", period="2026-Q1")
    )
    expect(since.locator(".since-panel")).to_have_text(
        en("%(matched)s of %(num)s respondents took part both times", matched=2, num=2)
    )
    expect(table_row(page, since, step_title)).to_contain_text(
        "2.0 (level 2)\t3.0 (level 3)\t+1.0 ▲"
    )
    expect(table_row(page, since, hand_title)).to_contain_text("2.0 (level 2)\t2.0 (level 2)\t±0.0")
    expect(since.locator(".since-reconfirmed")).to_have_text(
        en.n(
            "%(confirmed)s of %(num)s pre-filled answer re-confirmed",
            "%(confirmed)s of %(num)s pre-filled answers re-confirmed",
            2 * QUESTIONS,
            confirmed=2 * QUESTIONS,
        )
    )
    plan = page.locator("section.results-actions")
    expect(table_row(page, plan, step_action)).to_contain_text(f"{en('Done')}\t{en('effect seen')}")
    expect(table_row(page, plan, HAND_ACTION)).to_contain_text(
        f"{hand_title}\t{HAND_OWNER}\tMarch 31, 2027\t{en('Planned')}"
    )
    kpi_section = page.get_by_role("region", name=en("Key figures (KPIs)"))
    expect(table_row(page, kpi_section, en("Net Promoter Score (NPS)"))).to_contain_text(
        "20.0\t+10.0"
    )
    known(
        problems,
        table_row(page, page.locator("section#targets"), f"{step_title} (3.0)").count() == 1
        and en("reached") in page.locator("section#targets").inner_text(),
        "Q2 results page: the target reached at this close (Strategy & leadership, level 3)"
        " is not in the Targets section at all, so 'reached' never shows there",
    )
    team.plan()
    expect(team.action_card(step_action)).to_contain_text(
        f"{en('Effect')}: {en('effect seen')} (2026-Q2)"
    )
    expect(team.action_card(HAND_ACTION)).to_contain_text(
        f"{en('Times carried')}: " + en.n("carried once", "carried %(num)d times", 1)
    )
    team.go_client()
    history = page.get_by_role("region", name=en("History"))
    latest = history.locator("details.history-period").first
    expect(latest.locator("summary")).to_have_text(
        "2026-Q2: 2.1 · " + en("Level %(level)s", level=2)
    )
    expect(latest).to_contain_text(
        en("%(share)s %% of the respondents also answered last time", share="100.0")
    )
    expect(table_row(page, latest, step_title)).to_contain_text("3.0\tLevel 3\t+1.0 ▲")
    expect_chart(page)
    expect(page.get_by_role("region", name=en("Targets"))).to_contain_text(
        f"✓ {step_title}: 3 · Definition"
    )
    client_kpis = page.get_by_role("region", name=en("Key figures (KPIs)"))
    expect(table_row(page, client_kpis, en("Net Promoter Score (NPS)"))).to_contain_text(
        "20.0\t+10.0 " + en("since %(period)s", period="2026-Q1")
    )
    expect(table_row(page, client_kpis, en("Customer satisfaction (CSAT)"))).to_contain_text(
        "75.0%\t+5.0 " + en("since %(period)s", period="2026-Q1")
    )
    pdf = team.pdf()
    assert "Since 2026-Q1\n" in pdf
    assert (
        f"2 of 2 respondents took part both times. {2 * QUESTIONS} of {2 * QUESTIONS} pre-filled "
        "answers re-confirmed." in pdf
    )
    assert "\nTargets\n" in pdf
    roadmap = roadmap_of(pdf, en)
    for word in (HAND_OWNER, "March 31,", en("Planned"), en("Done"), en("effect seen")):
        assert word in roadmap, word
    known(
        problems,
        "0 of 7 targets reached" not in pdf,
        "Q2 PDF: the Targets page says '0 of 7 targets reached' although Strategy & leadership"
        " reached its target level 3 at this close (it is left out of the page)",
    )
    known(
        problems,
        "in the roadmap, priority" not in pdf,
        "Q2 PDF: the priority dimensions say 'Next steps: in the roadmap, priority N.', but the"
        " roadmap is the action plan and lists no priorities: their next steps are nowhere",
    )

    # ---- 2026-Q3: Anna does not come back, Cem joins; the hand-written action stalls.
    links = team.start_next_quarter("2026-Q3", prefilled=2 * QUESTIONS)
    team.to_participation()
    links["Cem Celik"] = team.invite("Cem Celik", "cem@team.test")
    team.open_assessment()
    answer(new_page(), links["Ben Brandt"], {}, default=None)
    answer(new_page(), links["Cem Celik"], {}, default=3)
    team.kpi_form("2026-Q3")
    team.fill_kpis(kpis(50, 30, 20, 80))
    team.close()

    team.results()
    since = page.locator("section.since")
    expect(since.get_by_role("heading", level=2)).to_have_text(
        en("Since %(period)s", period="2026-Q2")
    )
    expect(since.locator(".since-panel")).to_have_text(
        en("%(matched)s of %(num)s respondents took part both times", matched=1, num=2)
    )
    expect(since.locator(".notice")).to_have_count(0)  # half the panel: still comparable
    expect(table_row(page, since, hand_title)).to_contain_text("2.0 (level 2)\t2.5 (level 2)\t+0.5")
    expect(since.locator(".since-reconfirmed")).to_have_text(
        en.n(
            "%(confirmed)s of %(num)s pre-filled answer re-confirmed",
            "%(confirmed)s of %(num)s pre-filled answers re-confirmed",
            QUESTIONS,
            confirmed=QUESTIONS,
        )
    )
    expect(table_row(page, page.locator("section#targets"), f"{hand_title} (2.5)")).to_contain_text(
        "4 · Managed\t–\t0.9\t 35%"
    )
    plan = page.locator("section.results-actions")
    expect(table_row(page, plan, HAND_ACTION)).to_contain_text(f"{en('Planned')}\t{en('stalled')}")
    expect(plan).to_contain_text(f"{en('Moved without a recorded action')}: {hand_title}, ")
    shoot(page, "en-results")
    team.plan()
    expect(team.action_card(HAND_ACTION)).to_contain_text(
        f"{en('Times carried')}: "
        + en.n("carried once", "carried %(num)d times", 2)
        + " "
        + en("stalled")
    )
    shoot(page, "en-plan")
    team.go_client()
    latest = page.get_by_role("region", name=en("History")).locator("details.history-period").first
    expect(latest).to_contain_text(
        en("%(share)s %% of the respondents also answered last time", share="50.0")
    )
    expect_chart(page)
    shoot(page, "en-client")
    roadmap = roadmap_of(team.pdf(), en)
    assert en.n("carried once", "carried %(num)d times", 2) in roadmap
    assert en("stalled") in roadmap

    # ---- 2026-Q4, in German: Ben comes back, Dora and Emil join; Anna and Cem do not answer.
    page.get_by_role("navigation", name=en("Language")).get_by_role("link", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"
    de = Words("de")
    team.words = de
    hand_de = de.title(HAND_DIMENSION)
    links = team.start_next_quarter("2026-Q4", prefilled=2 * QUESTIONS)
    team.to_participation()
    links["Dora Dietz"] = team.invite("Dora Dietz", "dora@team.test")
    links["Emil Engel"] = team.invite("Emil Engel", "emil@team.test")
    team.open_assessment()
    answer(new_page(), links["Ben Brandt"], {}, default=None)
    answer(new_page(), links["Dora Dietz"], {}, default=3)
    answer(new_page(), links["Emil Engel"], {}, default=3)
    team.kpi_form("2026-Q4")
    team.fill_kpis(kpis(55, 30, 15, 82))
    team.close()

    team.results()
    since = page.locator("section.since")
    expect(since.get_by_role("heading", level=2)).to_have_text("Seit 2026-Q3")
    expect(since.locator(".since-overall")).to_contain_text("2,5 (Stufe 2) → 2,7 (Stufe 3)")
    expect(since.locator(".since-panel")).to_have_text(
        de("%(matched)s of %(num)s respondents took part both times", matched=1, num=3)
    )
    expect(since.locator(".notice")).to_contain_text("Andere Befragte: Weniger als die Hälfte")
    expect(table_row(page, since, hand_de)).to_contain_text("2,5 (Stufe 2)\t2,6 (Stufe 3)\t+0,2 ▲")
    expect(since.locator(".since-reconfirmed")).to_have_text(
        f"{QUESTIONS} von {QUESTIONS} vorausgefüllten Antworten erneut bestätigt"
    )
    expect(table_row(page, page.locator("section#targets"), f"{hand_de} (2,6)")).to_contain_text(
        "4 · Managed\t–\t0,8\t 47 %"
    )
    plan = page.locator("section.results-actions")
    expect(plan.get_by_role("heading")).to_have_text("Maßnahmenplan")
    expect(table_row(page, plan, HAND_ACTION)).to_contain_text(
        f"{hand_de}\t{HAND_OWNER}\t31. März 2027\tGeplant\tfestgefahren"
    )
    kpi_section = page.get_by_role("region", name="Kennzahlen (KPIs)")
    expect(table_row(page, kpi_section, "Net Promoter Score (NPS)")).to_contain_text("40,0\t+10,0")
    expect(table_row(page, kpi_section, de("Customer satisfaction (CSAT)"))).to_contain_text(
        "82,0 %\t+2,0"
    )
    shoot(page, "de-results")
    team.plan()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Maßnahmenplan: {CLIENT}")
    expect(team.action_card(step_action)).to_contain_text("Wirkung: Wirkung sichtbar (2026-Q2)")
    expect(team.action_card(HAND_ACTION)).to_contain_text(
        "Übertragen: 3-mal übertragen festgefahren"
    )
    shoot(page, "de-plan")
    team.go_client()
    history = page.get_by_role("region", name="Verlauf")
    expect(history.locator("details.history-period summary")).to_have_text(
        [
            "2026-Q4: 2,7 · Stufe 3 · andere Befragte",
            "2026-Q3: 2,5 · Stufe 2",
            "2026-Q2: 2,1 · Stufe 2",
            "2026-Q1: 2,0 · Stufe 2",
        ]
    )
    latest = history.locator("details.history-period").first
    expect(latest).to_contain_text("33,3 % der Befragten haben auch beim letzten Mal geantwortet")
    expect(table_row(page, latest, hand_de)).to_contain_text("2,6\tStufe 3\t+0,2 ▲")
    expect(table_row(page, history, "2026-Q4")).to_contain_text(
        "40,0 +10,0 (n = 100)\t82,0 % +2,0 (n = 100)"
    )
    expect_chart(page)
    expect(page.get_by_role("region", name="Ziele")).to_contain_text("Erreichte Ziele")
    client_kpis = page.get_by_role("region", name="Kennzahlen (KPIs)")
    expect(table_row(page, client_kpis, "Net Promoter Score (NPS)")).to_contain_text(
        "40,0\t+10,0 seit 2026-Q3"
    )
    shoot(page, "de-client")
    pdf = team.pdf()
    assert "Seit 2026-Q3\n" in pdf and "\nZiele\n" in pdf
    assert "1 von 3 Befragten" in pdf
    assert f"{QUESTIONS} von {QUESTIONS} vorausgefüllten Antworten erneut bestätigt" in pdf
    roadmap = roadmap_of(pdf, de)
    for word in (HAND_OWNER, "31. März", "Geplant", "festgefahren", "3-mal übertragen"):
        assert word in roadmap, word

    # history.json: the four quarters, oldest first, no change for the first.
    data = page.request.get(f"{team.client_url}/history.json").json()
    periods = data["periods"]
    assert [p["period"] for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert all(p["status"] == "closed" for p in periods)
    first = periods[0]
    assert first["overall"]["change"] is None and first["panel_overlap"] is None
    assert all(d["change"] is None for d in first["dimensions"])
    changes = {d["id"]: d["change"] for d in periods[1]["dimensions"]}
    assert changes[STEP_DIMENSION.id] == 1.0 and changes[HAND_DIMENSION.id] == 0.0
    assert [p["panel_overlap"] for p in periods[1:]] == [1.0, 0.5, 0.33]
    assert [p["different_respondents"] for p in periods] == [False, False, False, True]
    assert [p["overall"]["level"] for p in periods] == [2, 2, 2, 3]

    assert not problems, "\n".join(problems)


def roadmap_of(pdf: str, words: Words) -> str:
    """The PDF's roadmap page: from its introduction to its running footer."""
    intro = words(
        "The action plan: what is being done, by whom and by when. Unfinished actions carry"
        " into the next quarter; when an assessment closes, each done action is judged by the"
        " change of its dimension (or its question)."
    )
    start = pdf.index(intro[:30])
    return pdf[start : pdf.index(f"{CLIENT} {words('Roadmap for the next quarter')}", start)]


def kpis(promoters: int, passives: int, detractors: int, satisfied: int) -> dict:
    """A quarter's NPS and CSAT raw figures as the form's boxes take them."""
    return {
        ("nps", "Promoters (answers 9–10)"): str(promoters),
        ("nps", "Passives (answers 7–8)"): str(passives),
        ("nps", "Detractors (answers 0–6)"): str(detractors),
        ("csat", "Satisfied answers (4–5)"): str(satisfied),
        ("csat", "Responses"): "100",
    }

"""The history on the client page (`/w/<slug>/clients/<id>`), its chart and its JSON, as people
see them: consultant, client staff, a team's owner and a user of another workspace."""

import json
import re
import xml.etree.ElementTree as ElementTree

import pytest
from factories import make_client_staff, make_member, make_organization, make_user, make_workspace
from history_quarters import four_versions, import_all, same_version
from questionnaire_versions import versions_dir
from web_helpers import log_in

from cxmaturity.domain.statuses import WorkspaceKind, WorkspaceRole
from cxmaturity.store.database import transaction
from cxmaturity.store.models import KpiValue, Target
from cxmaturity.web.context import services_of


@pytest.fixture(scope="module")
def versions_folder(tmp_path_factory):
    # Written once: the versions take seconds to write and load (the catalogue is cached).
    return versions_dir(tmp_path_factory.mktemp("questionnaires"))


@pytest.fixture
def app_config(versions_folder):
    return {"QUESTIONNAIRES_DIR": str(versions_folder)}


@pytest.fixture
def catalogue(app):
    return services_of(app).catalogue


@pytest.fixture
def world(sessions, catalogue):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        beta = make_organization(session, name="Beta GmbH", workspace=nord)
        english = make_user(session, language="en")
        make_member(session, nord, english, role=WorkspaceRole.CONSULTANT)
        emails = {
            "consultant": english.email,
            "german": make_member(session, nord, role=WorkspaceRole.VIEWER).email,
            "staff": make_client_staff(session, alpha, "client_viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued")).email,
            "limited": make_member(session, nord, listed_clients=[beta]).email,
            "beta_staff": make_client_staff(session, beta, "client_admin").email,
        }
        session.add(
            Target(
                organization_id=alpha.id,
                questionnaire_id="cx-maturity",
                dimension_id="strategy",
                target_level=4,
                status="active",
            )
        )
        for period, kpi, value in (
            ("2026-Q1", "nps", "25/2"),
            ("2026-Q2", "nps", "31/2"),
            ("2026-Q2", "csat", "161/2"),
        ):
            session.add(
                KpiValue(
                    organization_id=alpha.id,
                    period=period,
                    kpi=kpi,
                    inputs="{}",
                    value=value,
                    sample_size=120,
                )
            )
    import_all(sessions, catalogue, "nord", alpha.id, four_versions(catalogue))
    return {"emails": emails, "alpha": alpha.id}


def as_user(client, world, who):
    assert log_in(client, world["emails"][who]).status_code == 302


def page_of(client, world):
    response = client.get(f"/w/nord/clients/{world['alpha']}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def history_section(page):
    return page[page.index('id="history-heading"') :]


def test_the_client_page_shows_every_closed_period_with_its_marks(client, world):
    as_user(client, world, "consultant")
    section = history_section(page_of(client, world))
    for period in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        assert f"<summary>{period}" in section
    # Newest first, the latest open.
    assert section.index("<summary>2026-Q4") < section.index("<summary>2026-Q1")
    assert '<details class="history-period" open>' in section
    # Bridged in Q2: strategy with its mark and the like-for-like change beside it.
    assert "1 of 5 questions changed" in section
    assert "like for like +0.5" in section
    # Q2's strategy 17/6 = 2.833… shows rounded down, its change 1/12 rounded half up.
    assert ">2.8<" in section and "+0.1" in section
    # Broken: data-technology in 1.2, everything in 2.0.
    assert "new series from 1.2" in section and "new series from 2.0" in section
    # Q3: one of four respondents known.
    assert "different respondents" in section
    assert "25.0 % of the respondents also answered last time" in section
    # A level boundary crossed (customer understanding 2.5 → 3.0 in Q2).
    assert "▲" in section and "level boundary crossed upwards" in section


def test_the_kpis_stand_beside_the_maturity(client, world):
    as_user(client, world, "consultant")
    section = history_section(page_of(client, world))
    kpis = section[section.index("Key figures per quarter") :]
    assert "NPS" in kpis and "12.5" in kpis and "15.5" in kpis and "n = 120" in kpis
    assert '<span class="history-change">+3.0</span>' in kpis  # since 2026-Q1
    assert "80.5%" in kpis  # with its unit, as the results page shows it


def test_the_chart_is_an_svg_with_a_text_alternative(client, world):
    as_user(client, world, "consultant")
    section = history_section(page_of(client, world))
    image = re.search(r'<img src="([^"]+history.svg)" alt="([^"]+)"', section)
    assert image, "the chart is shown as an image"
    assert "over 4 closed periods, from 2026-Q1 to 2026-Q4" in image[2]
    assert "New series from 2.0 (2026-Q4)" in image[2]
    assert "the target of Strategy &amp; leadership, level 4" in image[2]
    response = client.get(image[1])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    ids = set(re.findall(r'id="(trend-[^"]+)"', svg))
    # One line per dimension plus the overall, each broken into segments where broken.
    assert {"trend-overall-0", "trend-overall-1", "trend-strategy-0"} <= ids
    assert "trend-data-technology-1" in ids and "trend-data-technology-break-2" in ids
    assert "trend-strategy-break-3" in ids  # 2.0 starts every series anew
    assert "trend-target-strategy" in ids
    assert "trend-different-2" in ids  # Q3: most respondents new
    text = " ".join(ElementTree.fromstring(svg).itertext())
    assert "Strategy" in text and "Target" in text and "Different respondents" in text


def test_the_chart_labels_stay_readable_at_375_px(client, world):
    as_user(client, world, "consultant")
    svg = client.get(f"/w/nord/clients/{world['alpha']}/history.svg").get_data(as_text=True)
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg)[1]) * 4 / 3
    # The SVG's own units are points: a text of 10.5 of them is 14 px at the chart's width.
    sizes = [float(size) * 4 / 3 for size in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes, "the texts say their size"
    # A 375 px screen leaves the figure about 327 px (page and figure padding).
    assert min(sizes) * 327 / width >= 11


def test_history_json_is_the_same_as_the_command_lines(client, world, sessions, catalogue):
    from cxmaturity.exports.serializers import history_json
    from cxmaturity.services.history import client_history_as_operator

    as_user(client, world, "consultant")
    response = client.get(f"/w/nord/clients/{world['alpha']}/history.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    expected = history_json(client_history_as_operator(sessions, catalogue, "nord", world["alpha"]))
    assert json.loads(response.get_data(as_text=True)) == expected
    # Byte for byte what the command line prints, keys in the order of DESIGN §6.
    assert response.get_data(as_text=True) == json.dumps(expected, ensure_ascii=False, indent=2)
    assert len(expected["periods"]) == 4


@pytest.mark.parametrize("path", ["", "/history.json", "/history.svg"])
def test_a_user_of_another_workspace_gets_404(client, world, path):
    as_user(client, world, "other")
    assert client.get(f"/w/nord/clients/{world['alpha']}{path}").status_code == 404
    assert client.get(f"/w/sued/clients/{world['alpha']}{path}").status_code == 404


@pytest.mark.parametrize("who", ["limited", "beta_staff"])
@pytest.mark.parametrize("path", ["", "/history.json", "/history.svg"])
def test_a_client_outside_a_members_list_or_own_organization_is_404(client, world, who, path):
    as_user(client, world, who)
    assert client.get(f"/w/nord/clients/{world['alpha']}{path}").status_code == 404


@pytest.mark.parametrize("path", ["/history.json", "/history.svg"])
def test_client_staff_read_their_own_history(client, world, path):
    as_user(client, world, "staff")
    assert client.get(f"/w/nord/clients/{world['alpha']}{path}").status_code == 200


def test_the_history_is_in_german_for_a_german_reader(client, world):
    as_user(client, world, "german")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    section = history_section(page_of(client, world))
    assert "Verlauf" in section
    assert "1 von 5 Fragen geändert" in section
    assert "neue Reihe ab 1.2" in section
    assert "überbrückt" in section and "gleich" in section
    assert "andere Befragte" in section
    assert "Kennzahlen je Quartal" in section and "12,5" in section
    svg = client.get(f"/w/nord/clients/{world['alpha']}/history.svg").get_data(as_text=True)
    assert "Gesamt" in svg and "Ziel" in svg


def test_a_team_workspace_shows_the_same_history_and_no_portfolio(client, sessions, catalogue):
    with transaction(sessions) as session:
        team = make_workspace(session, slug="wir", name="Wir", kind=WorkspaceKind.TEAM)
        own = make_organization(session, name="Wir GmbH", workspace=team)
        owner = make_member(session, team, role=WorkspaceRole.OWNER)
    import_all(sessions, catalogue, "wir", own.id, same_version(catalogue, 3))
    assert log_in(client, owner.email).status_code == 302
    page = client.get(f"/w/wir/clients/{own.id}").get_data(as_text=True)
    assert "2024-Q3" in history_section(page)
    assert "portfolio" not in page.lower()
    assert client.get(f"/w/wir/clients/{own.id}/history.svg").status_code == 200
    data = client.get(f"/w/wir/clients/{own.id}/history.json").get_json()
    assert len(data["periods"]) == 3


def test_a_client_without_closed_periods_says_so(client, sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="leer")
        empty = make_organization(session, name="Leer AG", workspace=nord)
        member = make_member(session, nord)
    assert log_in(client, member.email).status_code == 302
    page = client.get(f"/w/leer/clients/{empty.id}", headers={"Accept-Language": "de"})
    page = page.get_data(as_text=True)
    assert "Noch kein abgeschlossenes Assessment" in history_section(page)
    assert "history.svg" not in page

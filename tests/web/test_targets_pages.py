"""The targets section of a client page and its form: `/w/<slug>/clients/<id>/targets`."""

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
from sqlalchemy import select
from web_helpers import csrf_token, log_in

from cxmaturity.services import workspace_assessments
from cxmaturity.services.access import load_actor
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Organization, Target, User
from cxmaturity.web.context import services_of

CLIENT_PAGE = "/w/nord/clients/{id}"
TARGETS = "/w/nord/clients/{id}/targets"


@pytest.fixture
def world(app, sessions):
    """Alpha AG with a closed 2026-Q3: Strategy at level 3, everything else at level 2."""
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        owner = make_member(session, nord, make_user(session, language="en"), role="owner")
        emails = {
            "owner": owner.email,
            "german": make_member(session, nord, make_user(session, language="de")).email,
            "viewer": make_member(
                session, nord, make_user(session, language="en"), role="viewer"
            ).email,
            "staff": make_client_staff(session, alpha, "client_viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued"), role="owner").email,
        }
        assessment = make_assessment(session, alpha, period="2026-Q3")
        answers = {
            question.id: 3 if dimension.id == "strategy" else 2
            for dimension in cx_maturity().dimensions
            for question in dimension.questions
        }
        make_respondent(session, assessment, answers=answers, submitted=True)
        ids = (owner.id, alpha.id, assessment.id)
    world_ids = {"assessment": ids[2]}
    workspace_assessments.close_assessment(
        sessions, services_of(app).catalogue, load_actor(sessions, ids[0]), "nord", ids[2]
    )
    return {"emails": emails, "alpha": ids[1], **world_ids}


def as_user(client, world, who):
    assert log_in(client, world["emails"][who]).status_code == 302


def text(response) -> str:
    return response.get_data(as_text=True)


def post(client, world, path="", **fields):
    url = TARGETS.format(id=world["alpha"]) + path
    token = csrf_token(text(client.get(TARGETS.format(id=world["alpha"]))))
    return client.post(url, data={"csrf_token": token, **fields})


def all_fields(**chosen) -> dict:
    """The form as sent: every dimension without a target, except those given."""
    fields = {}
    for dimension in cx_maturity().dimensions:
        level, due = chosen.get(dimension.id.replace("-", "_"), ("", ""))
        fields[f"level-{dimension.id}"] = level
        fields[f"due-{dimension.id}"] = due
    return fields


def stored(sessions):
    with transaction(sessions) as session:
        return [
            (row.dimension_id, row.target_level, row.due_period, row.status)
            for row in session.scalars(select(Target).order_by(Target.id))
        ]


def test_the_client_page_shows_each_dimension_with_its_level_and_a_suggested_target(client, world):
    as_user(client, world, "owner")
    client_page = text(client.get(CLIENT_PAGE.format(id=world["alpha"])))
    # The client page shows the table and links to the form; the targets page has both.
    assert f'<a href="{TARGETS.format(id=world["alpha"])}">Change targets</a>' in client_page
    assert 'name="level-strategy"' not in client_page
    page = text(client.get(TARGETS.format(id=world["alpha"])))
    section = page[page.index('id="targets"') :]
    assert "Targets" in section and "Measured against the scores of 2026-Q3." in section
    assert "3 · Definition (3.0)" in section
    assert "suggested: 4 · Managed" in section and "suggested: 3 · Definition" in section
    assert 'name="level-strategy"' in section and 'name="due-strategy"' in section
    assert "Set default targets (one level up) for the 8 dimensions without one" in section


def test_a_consultant_sets_targets_and_sees_gap_and_progress(client, world, sessions):
    as_user(client, world, "owner")
    response = post(client, world, **all_fields(strategy=("4", "2027-q2"), touchpoints=("3", "")))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/w/nord/clients/{world['alpha']}#targets")
    assert stored(sessions) == [
        ("strategy", 4, "2027-Q2", "active"),
        ("touchpoints", 3, None, "active"),
    ]
    page = text(client.get(CLIENT_PAGE.format(id=world["alpha"])))
    assert "2 targets have been saved." in page
    row = re.search(r"<tr>\s*<th scope=\"row\"><bdi>Strategy &amp; leadership.*?</tr>", page, re.S)
    assert row is not None
    cells = row.group(0)
    # Strategy 3.0, target 4 (threshold 3.4): gap 0.4, progress 0 % from the baseline 3.0.
    assert "4 · Managed" in cells and "2027-Q2" in cells and "0.4" in cells
    assert '<progress max="100" value="0"' in cells and "0%" in cells
    # The form shows the target now set.
    form = text(client.get(TARGETS.format(id=world["alpha"])))
    assert re.search(r'<option selected value="4">|<option value="4" selected>', form)


def test_dropping_by_choosing_no_target_keeps_the_old_one_as_history(client, world, sessions):
    as_user(client, world, "owner")
    post(client, world, **all_fields(strategy=("4", "")))
    post(client, world, **all_fields(strategy=("5", "")))
    post(client, world, **all_fields())
    assert stored(sessions) == [
        ("strategy", 4, None, "superseded"),
        ("strategy", 5, None, "dropped"),
    ]


def test_default_targets_in_one_click(client, world, sessions):
    as_user(client, world, "owner")
    response = post(client, world, "/defaults")
    assert response.status_code == 302
    levels = {dimension: level for dimension, level, _, _ in stored(sessions)}
    assert levels["strategy"] == 4 and levels["measurement"] == 3 and len(levels) == 8
    page = text(client.get(response.headers["Location"]))
    assert "8 default targets have been set." in page
    assert "Set default targets" not in page


def test_bad_input_is_sent_back_with_a_message_per_field_and_nothing_stored(
    client, world, sessions
):
    as_user(client, world, "owner")
    response = post(
        client,
        world,
        **all_fields(strategy=("7", ""), touchpoints=("3", "2027-Q5"), measurement=("", "2027-Q1")),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Please choose a level from 1 to 5, or no target." in page
    assert "Please write the period as year and quarter, e.g. 2026-Q4." in page
    assert "Please choose a target level for this due period." in page
    assert 'aria-describedby="due-touchpoints-hint due-touchpoints-error"' in page
    assert 'href="#level-strategy"' in page  # the summary links to the field
    assert stored(sessions) == []


def test_the_page_speaks_german(client, world):
    as_user(client, world, "german")
    page = text(client.get(TARGETS.format(id=world["alpha"]), headers={"Accept-Language": "de"}))
    section = page[page.index('id="targets"') :]
    for words in ("Ziele", "Zielstufe", "Abstand", "Fortschritt", "Fällig", "Ziele speichern"):
        assert words in section, words
    assert "3 · Definition (3,0)" in section and "vorgeschlagen" in section


def test_the_section_is_safe_at_375_px_and_usable_without_colour(client, world):
    as_user(client, world, "owner")
    post(client, world, **all_fields(strategy=("3", "")))
    page = text(client.get(TARGETS.format(id=world["alpha"])))
    section = page[
        page.index('id="targets"') : page.index("</section>", page.index('id="targets"'))
    ]
    # The table stacks on a phone (record-table) inside a scroll box; no fixed widths.
    assert '<div class="table-scroll">' in section and 'class="record-table' in section
    assert "style=" not in section and "width=" not in section
    cells = re.findall(r"<td( data-label=\"[^\"]+\")?", section)
    assert cells and all(label for label in cells)
    # Reached is said in words, not only with a colour or a mark.
    assert "reached" in section and '<span aria-hidden="true">✓</span>' in section
    # Every form field has a label and sits in a fieldset named by its dimension.
    assert section.count("<fieldset>") == len(cx_maturity().dimensions)
    assert '<label for="level-strategy">' in section and '<label for="due-strategy">' in section
    # Beside the page's other form, every id is still unique (labels find their fields).
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("who", ["viewer", "staff"])
def test_readers_see_the_targets_without_a_form_and_may_not_post(client, world, sessions, who):
    as_user(client, world, who)
    page = text(client.get(CLIENT_PAGE.format(id=world["alpha"])))
    assert 'id="targets"' in page and 'name="level-strategy"' not in page
    assert "Set default targets" not in page
    assert post(client, world, **all_fields(strategy=("4", ""))).status_code == 403
    assert post(client, world, "/defaults").status_code == 403
    assert stored(sessions) == []


def test_another_workspace_gets_404_for_every_targets_route(client, world, sessions):
    as_user(client, world, "other")
    url = TARGETS.format(id=world["alpha"])
    assert client.get(url).status_code == 404
    token = csrf_token(text(client.get("/w/sued/clients/new")))
    for path in ("", "/defaults"):
        data = {"csrf_token": token, **all_fields(strategy=("4", ""))}
        assert client.post(url + path, data=data).status_code == 404
        other = f"/w/sued/clients/{world['alpha']}/targets{path}"
        assert client.post(other, data=data).status_code == 404
    assert stored(sessions) == []


def test_the_results_page_and_its_radar_show_the_targets(client, world):
    as_user(client, world, "owner")
    post(client, world, **all_fields(strategy=("4", "2027-Q2"), measurement=("2", "")))
    base = f"/w/nord/assessments/{world['assessment']}"
    page = text(client.get(f"{base}/results"))
    section = page[
        page.index('id="targets"') : page.index("</section>", page.index('id="targets"'))
    ]
    assert "Target level" in section and "Gap" in section and "Progress" in section
    assert "Strategy &amp; leadership" in section and "4 · Managed" in section
    assert "2027-Q2" in section and "0.4" in section
    # Measurement at 2.0 is at its target level 2 already: reached, 100 %.
    assert "reached" in section and "100%" in section
    assert "Touchpoints" not in section  # no target, not listed
    radar = text(client.get(f"{base}/radar.svg"))
    assert 'id="radar-target"' in radar and ">Target<" in radar


def test_results_without_targets_show_no_targets_section(client, world):
    as_user(client, world, "owner")
    page = text(client.get(f"/w/nord/assessments/{world['assessment']}/results"))
    assert 'id="targets"' not in page
    radar = text(client.get(f"/w/nord/assessments/{world['assessment']}/radar.svg"))
    assert "radar-target" not in radar


def test_a_target_reached_at_the_next_close_is_listed_as_achieved(client, world, sessions, app):
    as_user(client, world, "owner")
    post(client, world, **all_fields(strategy=("4", "2026-Q4")))
    with transaction(sessions) as session:
        organization = session.get_one(Organization, world["alpha"])
        assessment = make_assessment(session, organization, period="2026-Q4")
        answers = {question_id: 4 for question_id in cx_maturity().questions}
        make_respondent(session, assessment, answers=answers, submitted=True)
        assessment_id = assessment.id
    owner = load_actor(sessions, user_id_of(sessions, world["emails"]["owner"]))
    catalogue = services_of(app).catalogue
    workspace_assessments.close_assessment(sessions, catalogue, owner, "nord", assessment_id)
    page = text(client.get(CLIENT_PAGE.format(id=world["alpha"])))
    section = page[page.index('id="targets"') :]
    assert "Targets achieved" in section
    assert "Strategy &amp; leadership</bdi>: 4 · Managed · achieved in 2026-Q4" in section
    assert stored(sessions) == [("strategy", 4, "2026-Q4", "achieved")]


def user_id_of(sessions, email):
    with transaction(sessions) as session:
        return session.scalar(select(User.id).where(User.email == email))

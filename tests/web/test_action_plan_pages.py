"""The action plan's pages, as a consultant, a viewer and a stranger use them:
`/w/<slug>/clients/<id>/actions` (and its part on the client page and the results page)."""

import html

import pytest
from factories import cx_maturity, make_member, make_organization, make_workspace
from sqlalchemy import func, select
from web_helpers import csrf_token, log_in

from cxmaturity.services.assessment_import import import_answers
from cxmaturity.store.database import transaction
from cxmaturity.store.models import Action, ActionEvent
from cxmaturity.web.context import services_of


@pytest.fixture
def world(sessions):
    with transaction(sessions) as session:
        nord = make_workspace(session, slug="nord", name="Beratung Nord")
        alpha = make_organization(session, name="Alpha AG", workspace=nord)
        emails = {
            "owner": make_member(session, nord, role="owner").email,
            "viewer": make_member(session, nord, role="viewer").email,
            "other": make_member(session, make_workspace(session, slug="sued")).email,
        }
        return {"emails": emails, "alpha": alpha.id, "url": f"/w/nord/clients/{alpha.id}/actions"}


def as_user(client, world, who):
    assert log_in(client, world["emails"][who]).status_code == 302


def quarter(app, world, period, *levels):
    """A closed assessment of `period`: one respondent per level, every question at it."""
    document = {
        "questionnaire": "cx-maturity",
        "organization": "Alpha AG",
        "period": period,
        "respondents": [
            {"name": f"P{number}", "answers": dict.fromkeys(cx_maturity().questions, level)}
            for number, level in enumerate(levels, 1)
        ],
    }
    catalogue = services_of(app).catalogue
    sessions = services_of(app).sessions
    return import_answers(sessions, catalogue, "nord", world["alpha"], document, close=True).id


def post(client, page_url, action_url, **fields):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(action_url, data={"csrf_token": token, **fields})


def counts(sessions):
    with transaction(sessions) as session:
        return (
            session.scalar(select(func.count()).select_from(Action)),
            session.scalar(select(func.count()).select_from(ActionEvent)),
        )


def only_action_id(sessions, title):
    with transaction(sessions) as session:
        return session.scalars(select(Action.id).where(Action.title == title)).one()


def test_an_action_added_by_hand_shows_on_the_plan_and_on_the_client_page(client, world):
    as_user(client, world, "owner")
    response = post(
        client,
        world["url"],
        world["url"],
        dimension_id="strategy",
        question_id="strategy-budget",
        title="Budget für CX beantragen",
        owner="Anna Berger",
        due_date="2027-01-31",
        status="planned",
    )
    assert response.status_code == 302
    plan = client.get(world["url"]).get_data(as_text=True)
    assert "Budget für CX beantragen" in plan and "Jan 31, 2027" in plan
    assert "Planned (1)" in plan and "History of changes" in plan
    page = client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True)
    assert "Action plan" in page and "Budget für CX beantragen" in page
    assert "Anna Berger" in page and f'href="{world["url"]}"' in page


def test_bad_input_gets_a_message_beside_each_field_and_stores_nothing(client, world, sessions):
    as_user(client, world, "owner")
    response = post(
        client,
        world["url"],
        world["url"],
        dimension_id="strategy",
        question_id="culture-training",
        title=" ",
        owner="x" * 201,
        status="finished",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Please describe the action." in page
    assert 'aria-describedby="title-hint title-error"' in page
    assert "at most 200 characters" in page
    assert counts(sessions) == (0, 0)
    response = post(
        client,
        world["url"],
        world["url"],
        dimension_id="strategy",
        question_id="culture-training",
        title="Fine",
        status="planned",
    )
    assert response.status_code == 400
    assert "not part of the chosen dimension" in response.get_data(as_text=True)
    assert counts(sessions) == (0, 0)


def test_a_recommended_step_is_added_with_one_click_and_not_twice(app, client, world, sessions):
    quarter(app, world, "2026-Q3", 2)
    as_user(client, world, "owner")
    plan = client.get(world["url"]).get_data(as_text=True)
    assert 'name="source_key" type="hidden" value="strategy:2:0"' in plan
    # The quarter was imported without a version: the newest, whose next steps the plan offers.
    newest = services_of(app).catalogue.get("cx-maturity")
    step = newest.dimension("strategy").recommendations[2][0].get("en")
    response = post(client, world["url"], world["url"] + "/steps", source_key="strategy:2:0")
    assert response.status_code == 303
    assert step in client.get(world["url"]).get_data(as_text=True)
    response = post(client, world["url"], world["url"] + "/steps", source_key="strategy:2:0")
    assert "already in the plan" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert counts(sessions)[0] == 1
    response = post(client, world["url"], world["url"] + "/priority-steps")
    assert response.status_code == 303
    assert counts(sessions)[0] == 9  # three priorities, three steps each
    assert "Add all" not in client.get(world["url"]).get_data(as_text=True)


def test_a_status_change_and_an_edit_show_in_the_history(client, world, sessions):
    as_user(client, world, "owner")
    post(
        client, world["url"], world["url"], dimension_id="culture", title="Train", status="planned"
    )
    action_id = only_action_id(sessions, "Train")
    response = post(client, world["url"], f"{world['url']}/{action_id}/status", status="blocked")
    assert response.status_code == 303
    edit_url = f"{world['url']}/{action_id}/edit"
    assert "Train" in client.get(edit_url).get_data(as_text=True)
    response = post(
        client,
        edit_url,
        edit_url,
        title="Train the team",
        owner="Bea",
        status="done",
        question_id="culture-training",
    )
    assert response.status_code == 302
    plan = client.get(world["url"]).get_data(as_text=True)
    assert "Status changed" in plan and "Planned → Blocked" in plan and "Blocked → Done" in plan
    assert "<bdi>Train</bdi> → <bdi>Train the team</bdi>" in plan and "Done (1)" in plan
    training = cx_maturity().questions["culture-training"]
    assert f"– → {html.escape((training.short or training.text).get('en'))}" in plan
    response = post(client, edit_url, edit_url, title="", status="done")
    assert response.status_code == 400 and "Please describe the action." in response.get_data(
        as_text=True
    )


def test_the_results_page_says_which_action_had_an_effect(app, client, world, sessions):
    quarter(app, world, "2026-Q3", 2)
    as_user(client, world, "owner")
    post(client, world["url"], world["url"], dimension_id="strategy", title="Done", status="done")
    post(client, world["url"], world["url"], dimension_id="culture", title="Waiting")
    q4 = quarter(app, world, "2026-Q4", 3)
    page = client.get(f"/w/nord/assessments/{q4}/results").get_data(as_text=True)
    assert "effect seen" in page
    assert "Moved without a recorded action" in page and "Culture" in page
    client.get("/language/de")
    page = client.get(f"/w/nord/assessments/{q4}/results").get_data(as_text=True)
    assert "Maßnahmenplan" in page and "Wirkung sichtbar" in page


def test_a_viewer_reads_the_plan_but_may_not_change_it(app, client, world, sessions):
    as_user(client, world, "owner")
    post(
        client, world["url"], world["url"], dimension_id="culture", title="Train", status="planned"
    )
    action_id = only_action_id(sessions, "Train")
    client = app.test_client()
    as_user(client, world, "viewer")
    page = client.get(world["url"])
    assert page.status_code == 200 and "Train" in page.get_data(as_text=True)
    assert "Add an action by hand" not in page.get_data(as_text=True)
    token = csrf_token(client.get(f"/w/nord/clients/{world['alpha']}").get_data(as_text=True))
    for url, fields in [
        (world["url"], {"dimension_id": "culture", "title": "Mine", "status": "planned"}),
        (world["url"] + "/steps", {"source_key": "strategy:2:0"}),
        (world["url"] + "/priority-steps", {}),
        (f"{world['url']}/{action_id}/status", {"status": "done"}),
        (f"{world['url']}/{action_id}/edit", {"title": "Mine", "status": "done"}),
    ]:
        assert client.post(url, data={"csrf_token": token, **fields}).status_code == 403, url
    assert client.get(f"{world['url']}/{action_id}/edit").status_code == 403
    assert counts(sessions) == (1, 1)


def test_another_workspace_gets_404_on_every_page_of_the_plan(app, client, world, sessions):
    as_user(client, world, "owner")
    post(
        client, world["url"], world["url"], dimension_id="culture", title="Train", status="planned"
    )
    action_id = only_action_id(sessions, "Train")
    client = app.test_client()
    as_user(client, world, "other")
    token = csrf_token(client.get("/w/sued/clients/").get_data(as_text=True))
    assert client.get(world["url"]).status_code == 404
    assert client.get(f"{world['url']}/{action_id}/edit").status_code == 404
    for url in (
        world["url"],
        world["url"] + "/steps",
        world["url"] + "/priority-steps",
        f"{world['url']}/{action_id}/status",
        f"{world['url']}/{action_id}/edit",
    ):
        assert client.post(url, data={"csrf_token": token, "status": "done"}).status_code == 404
    assert counts(sessions) == (1, 1)


def test_the_plan_page_speaks_german(app, client, world):
    quarter(app, world, "2026-Q3", 2)
    as_user(client, world, "owner")
    client.get("/language/de")
    page = client.get(world["url"]).get_data(as_text=True)
    for text in ("Maßnahmenplan", "Maßnahme selbst formulieren", "Verantwortlich (optional)"):
        assert text in page, text
    assert "In den Plan übernehmen" in page and "nächsten Schritte der Prioritäten" in page

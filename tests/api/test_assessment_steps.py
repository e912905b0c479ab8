"""An assessment's other steps through the API, with the web's rules: its anonymity mode
(locked at the first submission), a link's extension (at most 120 days), and the next
quarter in one step (last quarter's people invited again, answers offered pre-filled)."""

from __future__ import annotations

import datetime

from api_helpers import answer_everything, call, last_quarter
from sqlalchemy import select

from cxmaturity.store.database import reading
from cxmaturity.store.models import Answer, Assessment, Respondent
from cxmaturity.web.context import services_of


def anonymity_path(world) -> str:
    return f"/api/v1/assessments/{world.assessment_id}/anonymity"


def test_the_mode_is_read_and_changed_until_the_first_submission(app, client, world):
    token = world.tokens["consultant"]
    shown = call(client, "GET", anonymity_path(world), token).get_json()
    assert shown == {
        "assessment_id": world.assessment_id,
        "mode": "confidential",
        "locked": False,
        "changeable": True,
    }
    viewer = call(client, "GET", anonymity_path(world), world.tokens["viewer"]).get_json()
    assert viewer["changeable"] is False

    changed = call(client, "PUT", anonymity_path(world), token, {"mode": "anonymous"})
    assert changed.status_code == 200 and changed.get_json()["mode"] == "anonymous"
    shown_participation = f"/api/v1/assessments/{world.assessment_id}/participation"
    assert call(client, "GET", shown_participation, token).get_json()["respondents"] == []

    base = f"/api/v1/assessments/{world.assessment_id}"
    link = call(client, "POST", f"{base}/invitations", token, {"respondents": [{"name": "Ida"}]})
    answer_everything(app, link.get_json()["links"][0]["url"], 4)
    locked = call(client, "PUT", anonymity_path(world), token, {"mode": "named"})
    assert locked.status_code == 409
    assert locked.get_json()["type"] == "urn:cxmaturity:problem:anonymity-locked"
    after = call(client, "GET", anonymity_path(world), token).get_json()
    assert (after["mode"], after["locked"], after["changeable"]) == ("anonymous", True, False)


def test_a_reader_may_not_change_the_mode_and_an_unknown_mode_is_refused(client, world):
    for who in ("viewer", "read"):
        response = call(client, "PUT", anonymity_path(world), world.tokens[who], {"mode": "named"})
        assert response.status_code == 403
    refused = call(client, "PUT", anonymity_path(world), world.tokens["owner"], {"mode": "secret"})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "mode"


def invited(client, world) -> tuple[str, int]:
    base = f"/api/v1/assessments/{world.assessment_id}"
    made = call(
        client,
        "POST",
        f"{base}/invitations",
        world.tokens["consultant"],
        {"respondents": [{"name": "Jo"}]},
    )
    return base, made.get_json()["links"][0]["respondent_id"]


def expires_at(sessions, respondent_id: int) -> datetime.datetime:
    with reading(sessions) as session:
        return session.get_one(Respondent, respondent_id).expires_at


def test_a_link_is_extended_to_the_end_of_its_new_last_day(client, sessions, world):
    base, respondent_id = invited(client, world)
    last_day = datetime.date.today() + datetime.timedelta(days=60)
    extended = call(
        client,
        "POST",
        f"{base}/invitations/{respondent_id}/extend",
        world.tokens["consultant"],
        {"last_day": last_day.isoformat()},
    )
    assert extended.status_code == 200, extended.get_json()
    ends = datetime.datetime.fromisoformat(extended.get_json()["expires_at"])
    assert ends.date() == last_day + datetime.timedelta(days=1) and ends.hour == 0
    assert expires_at(sessions, respondent_id).replace(tzinfo=datetime.UTC) == ends


def test_an_extension_in_the_past_or_past_120_days_is_refused(client, sessions, world):
    base, respondent_id = invited(client, world)
    before = expires_at(sessions, respondent_id)
    path = f"{base}/invitations/{respondent_id}/extend"
    for days in (-1, 200):
        last_day = (datetime.date.today() + datetime.timedelta(days=days)).isoformat()
        body = {"last_day": last_day}
        refused = call(client, "POST", path, world.tokens["consultant"], body)
        assert refused.status_code == 422
        assert refused.get_json()["errors"][0]["field"] == "last_day"
    in_time = {"last_day": (datetime.date.today() + datetime.timedelta(days=10)).isoformat()}
    assert call(client, "POST", path, world.tokens["read"], in_time).status_code == 403
    assert expires_at(sessions, respondent_id) == before


def next_quarter_path(client_id: int) -> str:
    return f"/api/v1/clients/{client_id}/next-quarter"


def new_client(client, world) -> int:
    made = call(client, "POST", "/api/v1/clients", world.tokens["consultant"], {"name": "Alpha AG"})
    return made.get_json()["id"]


def test_the_next_quarter_invites_last_quarters_people_with_their_answers_offered(
    app, client, sessions, world
):
    token = world.tokens["consultant"]
    client_id = new_client(client, world)
    last_quarter(app, client_id)
    offer = call(client, "GET", next_quarter_path(client_id), token).get_json()
    assert (offer["previous_period"], offer["suggested_period"]) == ("2026-Q3", "2026-Q4")
    assert (offer["invitable"], offer["left_out"], offer["anonymous"]) == (2, 0, False)

    key = {"Idempotency-Key": "next-q"}
    body = {"prefill": True}
    started = call(client, "POST", next_quarter_path(client_id), token, body, **key)
    assert started.status_code == 201, started.get_json()
    shown = started.get_json()
    assert shown["assessment"]["period"] == "2026-Q4"
    assert shown["assessment"]["status"] == "draft"
    assert started.headers["Location"].endswith(f"/api/v1/assessments/{shown['assessment']['id']}")
    assert sorted(link["name"] for link in shown["links"]) == ["Anna", "Ben"]
    questions = len(services_of(app).catalogue.get(app.config["QUESTIONNAIRE_ID"]).questions)
    assert shown["prefilled_respondents"] == 2
    assert shown["prefilled_answers"] == 2 * questions
    with reading(sessions) as session:
        offered = session.scalars(
            select(Answer)
            .join(Respondent)
            .where(Respondent.assessment_id == shown["assessment"]["id"], Answer.prefilled)
        ).all()
    assert len(offered) == 2 * questions

    # The links are secrets shown once: a retry with the key gets the same ones back.
    again = call(client, "POST", next_quarter_path(client_id), token, body, **key)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["links"] == shown["links"]
    with reading(sessions) as session:
        periods = session.scalars(
            select(Assessment.period).where(Assessment.organization_id == client_id)
        ).all()
    assert sorted(periods) == ["2026-Q3", "2026-Q4"]


def test_the_next_quarter_refuses_what_the_web_refuses(app, client, world):
    token = world.tokens["consultant"]
    client_id = new_client(client, world)
    nothing_closed = call(client, "POST", next_quarter_path(client_id), token, {})
    assert nothing_closed.status_code == 409
    assert nothing_closed.get_json()["type"] == "urn:cxmaturity:problem:no-closed-assessment"

    last_quarter(app, client_id)
    too_early = call(client, "POST", next_quarter_path(client_id), token, {"period": "2026-Q2"})
    assert too_early.status_code == 422
    assert too_early.get_json()["errors"][0]["field"] == "period"
    alone = {"reinvite": False, "prefill": True}
    refused = call(client, "POST", next_quarter_path(client_id), token, alone)
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "prefill"
    for who in ("viewer", "read"):
        assert (
            call(client, "POST", next_quarter_path(client_id), world.tokens[who], {}).status_code
            == 403
        )
        assert (
            call(client, "GET", next_quarter_path(client_id), world.tokens[who]).status_code == 403
        )

    call(client, "POST", f"/api/v1/clients/{client_id}/archive", token)
    archived = call(client, "POST", next_quarter_path(client_id), token, {})
    assert archived.status_code == 409
    assert archived.get_json()["type"] == "urn:cxmaturity:problem:client-archived"

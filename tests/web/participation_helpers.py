"""Helpers for the participation tests: a workspace with an open assessment and a consultant."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from factories import make_assessment, make_member, make_organization, make_workspace
from web_helpers import csrf_token, log_in

from cxmaturity.store.database import transaction
from cxmaturity.web.context import install_services, services_of

LINK = re.compile(r'value="(https://cx\.example\.org/r/([A-Za-z0-9_-]+)/)"')


@dataclass
class Setting:
    slug: str
    assessment_id: int
    email: str

    @property
    def base(self) -> str:
        return f"/w/{self.slug}/assessments/{self.assessment_id}"


def open_assessment(sessions, anonymity="confidential", name="Beratung Nord", due_date=None):
    with transaction(sessions) as session:
        workspace = make_workspace(session, name=name)
        organization = make_organization(session, workspace=workspace)
        assessment = make_assessment(session, organization=organization)
        assessment.anonymity = anonymity
        assessment.due_date = due_date
        user = make_member(session, workspace)
        return Setting(workspace.slug, assessment.id, user.email)


def logged_in(client, setting: Setting) -> None:
    assert log_in(client, setting.email).status_code == 302


def participation_page(client, setting: Setting):
    return client.get(f"{setting.base}/participation")


def invite(client, setting: Setting, name="Eva Roth", email="eva@example.com", **fields):
    page = participation_page(client, setting).get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "name": name,
        "email": email or "",
        "group": "manager",
        "language": "de",
        **fields,
    }
    return client.post(f"{setting.base}/invitations", data=form)


def paste(client, setting: Setting, text: str):
    page = participation_page(client, setting).get_data(as_text=True)
    return client.post(
        f"{setting.base}/invitations/list",
        data={"csrf_token": csrf_token(page), "respondents": text},
    )


def post_action(client, setting: Setting, path: str, **fields):
    page = participation_page(client, setting).get_data(as_text=True)
    return client.post(f"{setting.base}/{path}", data={"csrf_token": csrf_token(page), **fields})


def links_of(page: str) -> list[tuple[str, str]]:
    """(url, token) of every link a creation page shows."""
    return LINK.findall(page)


def move_clock(app, to: datetime.datetime) -> None:
    """The app's clock (Services.now) at `to` from now on."""
    install_services(app, dataclasses.replace(services_of(app), now=lambda: to))

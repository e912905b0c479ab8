"""Helpers for the account tests: a clock the app goes by, and users made in one call."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from factories import make_member, make_user, make_workspace

from cxmaturity.store.database import transaction
from cxmaturity.web.context import install_services, services_of

START = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


class Clock:
    """The app's `now()`, moved on by the test instead of by waiting."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime.datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += datetime.timedelta(**delta)


@pytest.fixture
def clock(app):
    clock = Clock()
    install_services(app, dataclasses.replace(services_of(app), now=clock))
    return clock


def user(sessions, email=None, name="Anna Berger", language="de", workspaces=()):
    """A user, member (consultant) of each workspace slug in `workspaces`; returns the User."""
    with transaction(sessions) as session:
        made = make_user(session, email=email, name=name, language=language)
        for slug in workspaces:
            make_member(session, make_workspace(session, slug=slug, name=slug.title()), made)
    return made

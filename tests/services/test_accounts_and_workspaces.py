"""The accounts, login-limit and workspace services on SQLite and PostgreSQL."""

import datetime

import pytest
from sqlalchemy import func, select

from cxmaturity.services import accounts, login_guard, workspaces
from cxmaturity.services.errors import InvalidInput
from cxmaturity.store.database import transaction
from cxmaturity.store.models import AuditEntry, LoginFailure, User, Workspace, WorkspaceMember

PASSWORD = "a long enough password"
NOON = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


def at(minutes: float):
    return lambda: NOON + datetime.timedelta(minutes=minutes)


def count(sessions, model):
    with transaction(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def fail_login(sessions, email, minutes, remote="192.0.2.1"):
    with pytest.raises(accounts.LoginRefused):
        accounts.log_in(sessions, email, "wrong", remote_address=remote, now=at(minutes))


def test_the_fifth_failure_blocks_until_the_first_leaves_the_window(sessions):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    for minute in range(5):
        fail_login(sessions, "Anna@Example.com", minute)
    with pytest.raises(login_guard.TooManyFailures) as blocked:
        accounts.log_in(sessions, "anna@example.com", PASSWORD, now=at(6))
    assert blocked.value.retry_at == NOON + datetime.timedelta(minutes=15)
    # At 15:00 the first failure has left the window: four remain, the login works.
    assert accounts.log_in(sessions, "anna@example.com", PASSWORD, now=at(15)).user_id


def test_an_unknown_address_is_counted_and_blocked_the_same(sessions):
    for minute in range(5):
        fail_login(sessions, "nobody@example.com", minute)
    with pytest.raises(login_guard.TooManyFailures):
        accounts.log_in(sessions, "nobody@example.com", "wrong", now=at(5))
    assert count(sessions, LoginFailure) == 5


def test_a_blocked_try_is_not_counted_again(sessions):
    for minute in range(5):
        fail_login(sessions, "nobody@example.com", minute)
    for _ in range(3):
        with pytest.raises(login_guard.TooManyFailures):
            accounts.log_in(sessions, "nobody@example.com", "wrong", now=at(5))
    assert count(sessions, LoginFailure) == 5


def test_the_remote_address_limit_spans_addresses(sessions):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    for number in range(20):
        fail_login(sessions, f"guess{number}@example.com", 1, remote="198.51.100.1")
    with pytest.raises(login_guard.TooManyFailures):
        accounts.log_in(
            sessions, "anna@example.com", PASSWORD, remote_address="198.51.100.1", now=at(2)
        )
    accounts.log_in(
        sessions, "anna@example.com", PASSWORD, remote_address="198.51.100.2", now=at(2)
    )


def test_set_password_raises_the_session_version_and_clears_failures(sessions):
    user_id = accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    fail_login(sessions, "anna@example.com", 0)
    fail_login(sessions, "bernd@example.com", 0)
    assert accounts.set_password(sessions, "ANNA@example.com", "another long password") == user_id
    assert accounts.session_user(sessions, user_id).session_version == 2
    with transaction(sessions) as session:
        assert session.scalars(select(LoginFailure.email)).all() == ["bernd@example.com"]
    with pytest.raises(InvalidInput):
        accounts.set_password(sessions, "anna@example.com", "short")
    with pytest.raises(accounts.UnknownUser):
        accounts.set_password(sessions, "nobody@example.com", PASSWORD)


@pytest.mark.parametrize("name", ["", "   ", "Anna\nBerger", "A" * 201])
def test_create_user_refuses_a_bad_name(sessions, name):
    with pytest.raises(InvalidInput) as refused:
        accounts.create_user(sessions, "anna@example.com", name, PASSWORD)
    assert refused.value.field == "name"
    assert count(sessions, User) == 0


def test_create_user_refuses_a_taken_address_in_any_case(sessions):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    with pytest.raises(accounts.EmailTaken):
        accounts.create_user(sessions, "ANNA@EXAMPLE.COM", "Anna", PASSWORD)


@pytest.mark.parametrize(
    "slug", ["-nord", "Nord", "n", "a" * 61, "nord_sued", "nord sued", "nörd", "", "nord\n"]
)
def test_a_bad_slug_is_refused_and_nothing_is_written(sessions, slug):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    with pytest.raises(InvalidInput) as refused:
        workspaces.create_workspace(sessions, slug, "Nord", "anna@example.com")
    assert refused.value.field == "slug"
    assert count(sessions, Workspace) == 0


@pytest.mark.parametrize("slug", ["nord", "n1", "2026-beratung", "a" * 60, "a-"])
def test_good_slugs_are_taken(sessions, slug):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    assert workspaces.create_workspace(sessions, slug, "Nord", "anna@example.com")


def test_an_unknown_owner_writes_nothing(sessions):
    with pytest.raises(accounts.UnknownUser):
        workspaces.create_workspace(sessions, "nord", "Nord", "nobody@example.com")
    assert count(sessions, Workspace) == 0


def test_a_taken_slug_is_refused(sessions):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    workspaces.create_workspace(sessions, "nord", "Nord", "anna@example.com")
    with pytest.raises(workspaces.SlugTaken):
        workspaces.create_workspace(sessions, "nord", "Anders", "anna@example.com")
    assert (count(sessions, Workspace), count(sessions, WorkspaceMember)) == (1, 1)


def test_add_member_and_its_refusals(sessions):
    accounts.create_user(sessions, "anna@example.com", "Anna", PASSWORD)
    bernd = accounts.create_user(sessions, "bernd@example.com", "Bernd", PASSWORD)
    workspaces.create_workspace(sessions, "nord", "Nord", "anna@example.com")
    workspaces.add_member(sessions, "nord", "bernd@example.com", "consultant")
    assert [e.role for e in accounts.workspaces_of(sessions, bernd)] == ["consultant"]
    with pytest.raises(workspaces.AlreadyMember):
        workspaces.add_member(sessions, "nord", "BERND@example.com", "viewer")
    with pytest.raises(workspaces.UnknownWorkspace):
        workspaces.add_member(sessions, "sued", "bernd@example.com", "viewer")
    with pytest.raises(InvalidInput):
        workspaces.add_member(sessions, "nord", "bernd@example.com", "admin")
    assert count(sessions, WorkspaceMember) == 2
    assert count(sessions, AuditEntry) == 2

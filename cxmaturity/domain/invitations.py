"""The rules of invitations (DESIGN §8): expiry, who may be reminded when, and pasted lists.

Pure: the services pass in times, counts and addresses; nothing here reads a
clock or a database. Problems come back as codes, so that each caller words
them in its user's language.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from cxmaturity.domain.statuses import Delivery, Language, RespondentGroup
from cxmaturity.domain.text import TextRefused, clean_text

DAYS_AFTER_DUE_DATE = 7
DAYS_WITHOUT_DUE_DATE = 30
MAX_DAYS = 120
# Never born dead: a link made after its assessment's due date still lives a week.
MIN_DAYS = 7

MAX_REMINDERS = 3
DAYS_BETWEEN_REMINDERS = 2
DAYS_BEFORE_FIRST_REMINDER = 3

MAX_LIST_LINES = 5000
NAME_MAX_LENGTH = 120
EMAIL_MAX_LENGTH = 320
# One @, something before it, a dotted domain after it, no spaces or controls.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f.]+$")
_SEPARATOR = re.compile(r"[,;\t]")


def expiry(invited_at: datetime.datetime, due_date: datetime.date | None) -> datetime.datetime:
    """When a link made at `invited_at` ends: the end of the due date + 7 days, else 30 days
    after the invitation; never more than 120 days after it, never less than 7."""
    if due_date is None:
        ends = invited_at + datetime.timedelta(days=DAYS_WITHOUT_DUE_DATE)
    else:
        last_day = due_date + datetime.timedelta(days=DAYS_AFTER_DUE_DATE + 1)
        ends = datetime.datetime.combine(last_day, datetime.time(), tzinfo=datetime.UTC)
    earliest = invited_at + datetime.timedelta(days=MIN_DAYS)
    return min(max(ends, earliest), latest_expiry(invited_at))


def latest_expiry(invited_at: datetime.datetime) -> datetime.datetime:
    """The furthest a link made at `invited_at` may be extended to."""
    return invited_at + datetime.timedelta(days=MAX_DAYS)


class ExtensionRefused(ValueError):
    """A new expiry in the past or more than 120 days after the invitation."""

    def __init__(self, latest: datetime.datetime) -> None:
        super().__init__(f"the new expiry must be after now and at most {latest:%Y-%m-%d}")
        self.latest = latest


def extended_expiry(
    invited_at: datetime.datetime, last_day: datetime.date, now: datetime.datetime
) -> datetime.datetime:
    """The expiry for a link extended to the end of `last_day` (UTC); raises ExtensionRefused."""
    ends = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time(), tzinfo=datetime.UTC
    )
    latest = latest_expiry(invited_at)
    if ends <= now:
        raise ExtensionRefused(latest)
    if ends > latest:
        # The last whole day within the limit is still allowed: cut to the limit itself.
        if ends - latest >= datetime.timedelta(days=1):
            raise ExtensionRefused(latest)
        ends = latest
    return ends


def link_works(
    revoked_at: datetime.datetime | None,
    expires_at: datetime.datetime | None,
    now: datetime.datetime,
) -> bool:
    """Whether a link opens its pages: not revoked and not expired (None: never expires)."""
    return revoked_at is None and (expires_at is None or now < expires_at)


class Skip(StrEnum):
    """Why a respondent gets no reminder now."""

    SUBMITTED = "submitted"
    REVOKED = "revoked"
    EXPIRED = "expired"
    OPTED_OUT = "opted_out"
    NO_ADDRESS = "no_address"
    NOT_DELIVERED = "not_delivered"
    """The invitation itself has not reached them (bounced, failed or not sent yet)."""
    LIMIT_REACHED = "limit_reached"
    TOO_EARLY = "too_early"
    """Less than 3 days since the invitation, or 2 since the last reminder."""


@dataclass(frozen=True)
class ReminderFacts:
    submitted: bool
    email: str | None
    delivery: str | None
    invited_at: datetime.datetime
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    opted_out_at: datetime.datetime | None
    reminder_count: int
    last_reminded_at: datetime.datetime | None


def reminder_skip(facts: ReminderFacts, now: datetime.datetime) -> Skip | None:
    """None when the respondent may be reminded now, else the first reason not to."""
    if facts.submitted:
        return Skip.SUBMITTED
    if facts.revoked_at is not None:
        return Skip.REVOKED
    if facts.expires_at is not None and now >= facts.expires_at:
        return Skip.EXPIRED
    if facts.opted_out_at is not None:
        return Skip.OPTED_OUT
    if not facts.email:
        return Skip.NO_ADDRESS
    if facts.delivery != Delivery.SENT:
        return Skip.NOT_DELIVERED
    if facts.reminder_count >= MAX_REMINDERS:
        return Skip.LIMIT_REACHED
    if now - facts.invited_at < datetime.timedelta(days=DAYS_BEFORE_FIRST_REMINDER):
        return Skip.TOO_EARLY
    if facts.last_reminded_at is not None and now - facts.last_reminded_at < datetime.timedelta(
        days=DAYS_BETWEEN_REMINDERS
    ):
        return Skip.TOO_EARLY
    return None


class Stage(StrEnum):
    """How far a respondent has come, for the participation page."""

    INVITED = "invited"
    OPENED = "opened"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


def stage(submitted: bool, answered: int, last_opened_at: datetime.datetime | None) -> Stage:
    if submitted:
        return Stage.SUBMITTED
    if answered:
        return Stage.IN_PROGRESS
    if last_opened_at is not None:
        return Stage.OPENED
    return Stage.INVITED


# --- new respondents, one by one or pasted as a list ------------------------------------


class Problem(StrEnum):
    NAME_MISSING = "name_missing"
    NAME_INVALID = "name_invalid"
    EMAIL_INVALID = "email_invalid"
    GROUP_INVALID = "group_invalid"
    LANGUAGE_INVALID = "language_invalid"
    TOO_MANY_FIELDS = "too_many_fields"
    DUPLICATE_IN_LIST = "duplicate_in_list"
    """`other_line` names the line with the same address."""
    ALREADY_INVITED = "already_invited"


@dataclass(frozen=True)
class NewRespondent:
    name: str
    email: str | None
    group: str
    language: str


@dataclass(frozen=True)
class LineProblem:
    line: int
    problem: Problem
    text: str
    other_line: int | None = None


class ListTooLong(ValueError):
    def __init__(self, lines: int) -> None:
        super().__init__(f"{lines} lines; at most {MAX_LIST_LINES} at once")
        self.lines = lines


def checked_email(text: str | None) -> str | None:
    """The address trimmed, None for none; raises ValueError unless it looks like one."""
    address = (text or "").strip()
    if not address:
        return None
    if len(address) > EMAIL_MAX_LENGTH or not _EMAIL.match(address):
        raise ValueError("not an e-mail address")
    return address


def checked_respondent(
    name: str, email: str | None, group: str, language: str
) -> tuple[NewRespondent | None, Problem | None]:
    """One new respondent, or the first problem with what was given."""
    try:
        cleaned = clean_text(name or "", required=True, max_length=NAME_MAX_LENGTH)
    except TextRefused:
        return None, Problem.NAME_MISSING if not (name or "").strip() else Problem.NAME_INVALID
    try:
        address = checked_email(email)
    except ValueError:
        return None, Problem.EMAIL_INVALID
    group_key = (group or RespondentGroup.OTHER).strip().lower()
    if group_key not in tuple(RespondentGroup):
        return None, Problem.GROUP_INVALID
    language_key = (language or "").strip().lower()
    if language_key not in tuple(Language):
        return None, Problem.LANGUAGE_INVALID
    return NewRespondent(cleaned, address, group_key, language_key), None


def parse_list(
    text: str, existing_emails: Collection[str], default_language: str
) -> tuple[list[NewRespondent], list[LineProblem]]:
    """The respondents of a pasted list and the problems of its lines.

    One respondent per line: "name, e-mail, group, language" (comma, semicolon
    or tab between them; e-mail may be empty; group defaults to "other",
    language to `default_language`). Blank lines are left out but keep their
    number. `existing_emails` are the assessment's addresses, lower case.
    Raises ListTooLong for more than 5,000 respondent lines.
    """
    lines = text.splitlines()
    filled = sum(1 for line in lines if line.strip())
    if filled > MAX_LIST_LINES:
        raise ListTooLong(filled)
    entries: list[NewRespondent] = []
    problems: list[LineProblem] = []
    seen: dict[str, int] = {}
    for number, line in _filled_lines(lines):
        fields = [part.strip() for part in _SEPARATOR.split(line)]
        if len(fields) > 4:
            problems.append(LineProblem(number, Problem.TOO_MANY_FIELDS, line))
            continue
        name, email, group, language = [*fields, "", "", ""][:4]
        entry, problem = checked_respondent(name, email, group, language or default_language)
        if entry is None:
            problems.append(LineProblem(number, problem or Problem.NAME_INVALID, line))
            continue
        key = entry.email.lower() if entry.email else None
        if key is not None and key in seen:
            problems.append(LineProblem(number, Problem.DUPLICATE_IN_LIST, line, seen[key]))
            continue
        if key is not None and key in existing_emails:
            problems.append(LineProblem(number, Problem.ALREADY_INVITED, line))
            continue
        if key is not None:
            seen[key] = number
        entries.append(entry)
    return entries, problems


def _filled_lines(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line.strip()

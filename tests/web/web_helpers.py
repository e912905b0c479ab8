"""Helpers for request-level tests: read CSRF tokens and links out of pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TOKEN_PATTERN = re.compile(r"/r/([A-Za-z0-9_-]+)/")


def csrf_token(page: str) -> str:
    match = CSRF_PATTERN.search(page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def start_assessment(client, organization="Müller & Söhne GmbH", language="en", **fields) -> str:
    """Start an assessment through the start page; return the respondent's token."""
    page = client.get("/").get_data(as_text=True)
    form = {
        "csrf_token": csrf_token(page),
        "organization": organization,
        "industry": "retail",
        "size": "50-249",
        "period": "2026-Q4",
        "language": language,
        "respondent": "CEO",
        **fields,
    }
    response = client.post("/start", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return TOKEN_PATTERN.search(response.headers["Location"]).group(1)


def answer_page(client, token: str, number: int, answers: dict, action="stay", **extra):
    """Post answers ({question id: "1".."5" or "na"}) to dimension page `number`."""
    page = client.get(f"/r/{token}/d/{number}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "action": action, **extra}
    for question_id, choice in answers.items():
        form[f"answer-{question_id}"] = choice
    return client.post(f"/r/{token}/d/{number}", data=form)


def is_checked(page: str, input_id: str) -> bool:
    """Whether the radio button with this id is rendered as checked."""
    tag = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', page)
    assert tag, f"no input {input_id}"
    return " checked" in tag.group(0)


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind == "radio" and "checked" not in attributes:
                return
            self.fields[name] = attributes.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # The HTML parser drops one newline right after <textarea>.
            self.fields[self._textarea] = self.fields[self._textarea].removeprefix("\n")
            self._textarea = None


def page_fields(page: str) -> dict[str, str]:
    """What a browser would send for the page's form: hidden fields, checked options, comments."""
    reader = _FormReader()
    reader.feed(page)
    return reader.fields


def log_in(client, email: str, password: str | None = None):
    """Log in through the login page; returns the response (302 on success)."""
    from factories import PASSWORD

    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login",
        data={"csrf_token": csrf_token(page), "email": email, "password": password or PASSWORD},
    )

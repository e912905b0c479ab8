"""Keeps respondents' private link tokens out of every log line (DESIGN §7).

A respondent's token is the only key to their answers, and log files are read
by more people than the database is: every path `/r/<token>/…` is written as
`/r/<redacted>/…`, in the message, the arguments and any traceback. So are a
`token=` in a query string and the credentials of an `Authorization: Bearer` header,
should a message ever hold them.
"""

from __future__ import annotations

import logging
import re

# Also percent-encoded (%2F), as a path may appear inside another URL's query.
TOKEN_IN_PATH = re.compile(r"(/|%2[Ff])r(/|%2[Ff])[^/\s?#&%\"'<>]+")
# A password-reset link is a key as well (web/password_reset.py).
RESET_TOKEN_IN_PATH = re.compile(
    r"((?:/|%2[Ff])password(?:/|%2[Ff])reset(?:/|%2[Ff]))[^/\s?#&%\"'<>]+"
)
# `?token=…`, `&access_token=…`, also percent-encoded inside another parameter (next=…).
TOKEN_IN_QUERY = re.compile(r"(?<![\w-])((?:access_)?token(?:=|%3[Dd]))[^&\s?#%\"'<>]+")
BEARER_CREDENTIALS = re.compile(r"\b(Bearer\s+)[^\s\"',;]+", re.IGNORECASE)
REDACTED = "<redacted>"
# Flask's app logger, the development server's access log, gunicorn's two logs.
REDACTED_LOGGERS = ("cxmaturity", "werkzeug", "gunicorn.error", "gunicorn.access")


def redact_tokens(text: str) -> str:
    """`text` with every respondent's and reset link's token, every `token=` of a query
    string and every Bearer credential replaced by <redacted>."""
    text = TOKEN_IN_PATH.sub(rf"\1r\2{REDACTED}", text)
    text = RESET_TOKEN_IN_PATH.sub(rf"\1{REDACTED}", text)
    text = TOKEN_IN_QUERY.sub(rf"\1{REDACTED}", text)
    return BEARER_CREDENTIALS.sub(rf"\1{REDACTED}", text)


class RedactTokens(logging.Filter):
    """A filter that rewrites each record's text before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            # The arguments are merged into the text, so none is printed unredacted.
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set, so the traceback is redacted too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_tokens(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_tokens(record.stack_info)
        return True


def install_redaction(logger: logging.Logger) -> None:
    """Add the filter to `logger`, once however often the app is created."""
    if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
        logger.addFilter(RedactTokens())


def redact_application_logs(app_logger: logging.Logger) -> None:
    install_redaction(app_logger)
    for name in REDACTED_LOGGERS:
        install_redaction(logging.getLogger(name))

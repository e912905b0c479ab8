"""Sending e-mail by SMTP (CXM_SMTP_URL), or knowing that there is no server to send with.

`Mailer.send` either hands the message to the server or raises `MailNotSent`
saying why; the caller decides what that means (an invitation stays, marked
not sent, and is tried again later). A refused address is `permanent`: trying
it again would only be refused again.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

# Long enough for a slow server, short enough that a request does not hang on one.
SMTP_TIMEOUT_SECONDS = 10
DEFAULT_SENDER = "cxmaturity@localhost"


class MailNotSent(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    text: str
    sender_name: str
    """Shown as the sender: the workspace's name (DESIGN §8)."""
    language: str
    html: str | None = None
    list_unsubscribe: str | None = None
    """The opt-out link, also as a List-Unsubscribe header for mail programs."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    implicit_tls: bool
    starttls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """smtp://[user:password@]host[:port] (STARTTLS when the server offers it, or with
        ?starttls=required), smtps://… for TLS from the start. Raises ValueError."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("CXM_SMTP_URL must look like smtp://user:password@host:587")
        implicit_tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit_tls else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit_tls,
            starttls="starttls=required" in parts.query,
        )


class Mailer:
    """Sends through one SMTP server; `configured` is False when CXM_SMTP_URL is unset."""

    def __init__(self, smtp_url: str | None, sender: str | None) -> None:
        self.server = SmtpServer.from_url(smtp_url) if smtp_url else None
        self.sender = sender or DEFAULT_SENDER

    @property
    def configured(self) -> bool:
        return self.server is not None

    def message(self, mail: OutgoingMail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = formataddr((mail.sender_name, self.sender))
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        if mail.list_unsubscribe:
            message["List-Unsubscribe"] = f"<{mail.list_unsubscribe}>"
        message.set_content(mail.text)
        if mail.html:
            message.add_alternative(mail.html, subtype="html")
        # After the content: set_content and add_alternative drop Content-* headers.
        message["Content-Language"] = mail.language
        return message

    def send(self, mail: OutgoingMail) -> None:
        """Hand the mail to the server; raises MailNotSent (permanent for a refused address)."""
        if self.server is None:
            raise MailNotSent("no mail server is configured (CXM_SMTP_URL)")
        message = self.message(mail)
        try:
            with self._connect(self.server) as smtp:
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            raise MailNotSent(_describe(refused), permanent=_is_permanent(refused)) from None
        except (smtplib.SMTPException, OSError) as error:
            raise MailNotSent(_describe(error)) from None

    def _connect(self, server: SmtpServer) -> smtplib.SMTP:
        if server.implicit_tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                server.host,
                server.port,
                timeout=SMTP_TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=SMTP_TIMEOUT_SECONDS)
            smtp.ehlo()
            if server.starttls or smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if server.username:
            smtp.login(server.username, server.password or "")
        return smtp


def _is_permanent(refused: smtplib.SMTPRecipientsRefused) -> bool:
    # 5xx: the server will not take this address, now or later.
    return all(code >= 500 for code, _message in refused.recipients.values())


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        answer = error.smtp_error
        words = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
        return f"{error.smtp_code} {words}"[:500]
    return (str(error) or type(error).__name__)[:500]

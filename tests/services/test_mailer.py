"""The mailer hands mail to a real SMTP server and says why when it cannot."""

from __future__ import annotations

import socket

import pytest

from cxmaturity.services.mailer import Mailer, MailNotSent, OutgoingMail, SmtpServer


def mail(to: str = "anna@example.com", **fields) -> OutgoingMail:
    values = {
        "to": to,
        "subject": "Einladung: CX-Reifegrad 2026-Q4",
        "text": "Guten Tag, Ihr Link: https://cx.example.org/r/abc/",
        "sender_name": "Beratung Nord & Söhne",
        "language": "de",
        "list_unsubscribe": "https://cx.example.org/r/abc/opt-out",
    }
    return OutgoingMail(**{**values, **fields})


def test_a_mail_arrives_with_the_workspace_as_sender_name_and_an_opt_out_header(smtp_server):
    Mailer(smtp_server.url, "noreply@cx.example.org").send(mail())

    (received,) = smtp_server.received
    assert received.recipients == ["anna@example.com"]
    (sender,) = received.message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Beratung Nord & Söhne",
        "noreply@cx.example.org",
    )
    assert received.message["Content-Language"] == "de"
    assert received.message["List-Unsubscribe"] == "<https://cx.example.org/r/abc/opt-out>"
    assert "https://cx.example.org/r/abc/" in received.text


def test_a_refused_address_is_a_permanent_failure(smtp_server):
    smtp_server.refuse("gone@example.com")

    with pytest.raises(MailNotSent) as caught:
        Mailer(smtp_server.url, None).send(mail("gone@example.com"))

    assert caught.value.permanent
    assert "550" in str(caught.value)
    assert smtp_server.received == []


def test_a_server_in_trouble_is_a_failure_to_try_again(smtp_server):
    smtp_server.fail_everything()

    with pytest.raises(MailNotSent) as caught:
        Mailer(smtp_server.url, None).send(mail())

    assert not caught.value.permanent
    assert "451" in str(caught.value)


def test_no_server_listening_is_a_failure_to_try_again():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(MailNotSent) as caught:
        Mailer(f"smtp://127.0.0.1:{port}", None).send(mail())
    assert not caught.value.permanent


def test_without_a_server_configured_nothing_is_sent():
    mailer = Mailer(None, None)
    assert not mailer.configured
    with pytest.raises(MailNotSent):
        mailer.send(mail())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, None, None, False, False)),
        (
            "smtp://user%40x:p%3Ass@mail.example.org:587?starttls=required",
            ("mail.example.org", 587, "user@x", "p:ss", False, True),
        ),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, "u", "p", True, False)),
    ],
)
def test_the_smtp_url_names_host_port_login_and_tls(url, expected):
    server = SmtpServer.from_url(url)
    assert (
        server.host,
        server.port,
        server.username,
        server.password,
        server.implicit_tls,
        server.starttls,
    ) == expected


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "mail.example.org"])
def test_an_smtp_url_that_is_not_one_is_refused(url):
    with pytest.raises(ValueError, match="CXM_SMTP_URL"):
        SmtpServer.from_url(url)

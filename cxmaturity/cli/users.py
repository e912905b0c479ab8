"""`cxmaturity users create|set-password`: accounts for operators and scripts (DESIGN §6).

The password comes from standard input, never from an argument: arguments show
in the process list and the shell's history.
"""

from __future__ import annotations

import sys

import click

from cxmaturity.cli.common import fail, print_json, process_services
from cxmaturity.locale import LANGUAGES


class OneLineErrors(click.Command):
    """A command whose usage errors are one line on stderr and exit 2 (DESIGN §6)."""

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            fail(error.format_message())


class OneLineGroup(click.Group):
    command_class = OneLineErrors


@click.group("users", cls=OneLineGroup)
def users() -> None:
    """Create accounts and set their passwords."""


def read_password() -> str:
    """The password from standard input: asked for twice on a terminal, else its first line."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        fail("no password on standard input (give it as the first line)")
    return password


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The name shown for the user.")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True)
def create_user(email: str, name: str, language: str) -> None:
    """Create an account; the password is read from standard input."""
    # Imported here, as in every group: SQLAlchemy would slow the other commands.
    from cxmaturity.services import accounts
    from cxmaturity.services.errors import InvalidInput

    password = read_password()
    with process_services() as services:
        try:
            user_id = accounts.create_user(services.sessions, email, name, password, language)
        except InvalidInput as error:
            fail(str(error))
        except accounts.EmailTaken:
            fail(f"an account with the address {email.strip()} exists already")
    print_json({"id": user_id, "email": email.strip(), "name": name.strip(), "language": language})


@users.command("set-password")
@click.argument("email")
def set_password(email: str) -> None:
    """Give an account a new password, read from standard input; its other sessions end."""
    from cxmaturity.services import accounts
    from cxmaturity.services.errors import InvalidInput

    password = read_password()
    with process_services() as services:
        try:
            user_id = accounts.set_password(services.sessions, email, password)
        except InvalidInput as error:
            fail(str(error))
        except accounts.UnknownUser:
            fail(f"no account has the address {email.strip()}")
    print_json({"id": user_id, "email": email.strip()})

"""`cxmaturity reminders send [--dry-run]`: reminders by the rules of DESIGN §8, for cron.

Safe to run every hour: a reminder is claimed (counted and dated) before it is
sent, so a second run right after finds nothing due; invitations the mail
server did not take are tried again. Prints a JSON summary.
"""

from __future__ import annotations

import click

from cxmaturity.cli.common import fail, print_json, process_services


@click.group("reminders")
def reminders_group() -> None:
    """Send the reminders that are due (for cron, e.g. every hour)."""


@reminders_group.command("send")
@click.option("--dry-run", is_flag=True, help="Only count what would be sent; send nothing.")
def send(dry_run: bool) -> None:
    """Remind pending respondents of every open assessment; retry invitations not sent."""
    from cxmaturity.services.errors import StorageUnavailable
    from cxmaturity.services.reminders import send_due

    with process_services(sends_mail=True) as services:
        if not services.mailer.configured:
            fail("no mail server is configured (CXM_SMTP_URL): nothing can be sent")
        postage = services.job_context.own_postage()  # with Redis, each mail is a job
        try:
            summary = send_due(postage, dry_run=dry_run)
        except StorageUnavailable as error:
            fail(f"the database is not available: {error}")
    print_json(summary.as_json(dry_run))

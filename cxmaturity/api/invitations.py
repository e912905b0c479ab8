"""`/api/v1/assessments/<id>/invitations` and `/participation`: invite in bulk (links shown
once), resend the same link, rotate it, revoke it, extend it; who has answered how far."""

from __future__ import annotations

from flask import current_app

from cxmaturity.api.auth import services, token
from cxmaturity.api.base import blueprint
from cxmaturity.api.lifecycle_schemas import ExtendedOut, ExtensionIn
from cxmaturity.api.schemas import (
    Done,
    IdempotencyHeaders,
    InvitationsIn,
    InvitationsOut,
    LinkOut,
    ParticipationOut,
    Problem,
    ResendOut,
)
from cxmaturity.api.spec import answers, api
from cxmaturity.domain.invitations import ExtensionRefused
from cxmaturity.services import invitations, participation
from cxmaturity.services.emails import Postage
from cxmaturity.services.errors import InvalidInput

TAGS = ["invitations"]


def postage() -> Postage:
    return Postage.of(services(), current_app.config)


def _link(link: invitations.NewLink) -> LinkOut:
    return LinkOut(respondent_id=link.respondent_id, name=link.name, email=link.email, url=link.url)


@blueprint.post("/assessments/<int:assessment_id>/invitations")
@api.validate(
    json=InvitationsIn,
    headers=IdempotencyHeaders,
    resp=answers(HTTP_201=InvitationsOut, HTTP_409=Problem),
    tags=TAGS,
)
def invite(assessment_id: int, json: InvitationsIn):
    """Invite respondents, all or none; their private links are in this answer only (and in
    its replay with the same Idempotency-Key)."""
    found = token()
    entries = [(r.name, r.email, r.group, r.language) for r in json.respondents]
    created = invitations.add_respondents(
        postage(), found.actor, found.workspace_slug, assessment_id, entries
    )
    body = InvitationsOut(
        links=[_link(link) for link in created.links],
        mailed=created.mailed.sent,
        waiting=created.waiting,
    )
    return body, 201


@blueprint.post("/assessments/<int:assessment_id>/invitations/<int:respondent_id>/resend")
@api.validate(
    headers=IdempotencyHeaders, resp=answers(HTTP_200=ResendOut, HTTP_409=Problem), tags=TAGS
)
def resend(assessment_id: int, respondent_id: int):
    """Send the invitation again with the same link (needs a mail server and an address)."""
    found = token()
    sent = invitations.resend(
        postage(), found.actor, found.workspace_slug, assessment_id, respondent_id
    )
    return ResendOut(id=respondent_id, sent=sent.sent, failed=sent.failed, bounced=sent.bounced)


@blueprint.post("/assessments/<int:assessment_id>/invitations/<int:respondent_id>/rotate")
@api.validate(headers=IdempotencyHeaders, resp=answers(HTTP_200=LinkOut), tags=TAGS)
def rotate(assessment_id: int, respondent_id: int):
    """A new link for the respondent; the old one ends at once, the answers stay."""
    found = token()
    link = invitations.rotate(
        postage(), found.actor, found.workspace_slug, assessment_id, respondent_id
    )
    return _link(link)


@blueprint.post("/assessments/<int:assessment_id>/invitations/<int:respondent_id>/revoke")
@api.validate(headers=IdempotencyHeaders, resp=answers(HTTP_200=Done), tags=TAGS)
def revoke(assessment_id: int, respondent_id: int):
    """End the respondent's link now; what they saved stays. Revoking twice changes nothing."""
    found = token()
    invitations.revoke(postage(), found.actor, found.workspace_slug, assessment_id, respondent_id)
    return Done(id=respondent_id)


@blueprint.post("/assessments/<int:assessment_id>/invitations/<int:respondent_id>/extend")
@api.validate(
    json=ExtensionIn, headers=IdempotencyHeaders, resp=answers(HTTP_200=ExtendedOut), tags=TAGS
)
def extend(assessment_id: int, respondent_id: int, json: ExtensionIn):
    """Let the link work to the end of `last_day` (UTC): after today, and at most 120 days
    after the invitation (DESIGN §8). The link stays the same."""
    found = token()
    try:
        ends = invitations.extend(
            postage(),
            found.actor,
            found.workspace_slug,
            assessment_id,
            respondent_id,
            json.last_day,
        )
    except ExtensionRefused as refused:
        latest = refused.latest.date().isoformat()
        raise InvalidInput("last_day", f"must be after today and at most {latest}") from None
    return ExtendedOut(respondent_id=respondent_id, expires_at=ends)


@blueprint.get("/assessments/<int:assessment_id>/participation")
@api.validate(resp=answers(HTTP_200=ParticipationOut), tags=TAGS)
def participation_of(assessment_id: int):
    """Who was invited and how far each has come; counts only for an anonymous assessment."""
    own, found = services(), token()
    shown = participation.participation(
        own.sessions,
        own.catalogue,
        found.actor,
        found.workspace_slug,
        assessment_id,
        own.now(),
        mail_configured=own.mailer.configured,
    )
    respondents = [
        {
            "id": line.id,
            "name": line.name,
            "email": line.email,
            "group": line.group,
            "language": line.language,
            "stage": line.stage.value,
            "answered": line.answered,
            "bounced": line.bounced,
            "opted_out": line.opted_out,
            "revoked": line.revoked,
            "expired": line.expired,
            "expires_at": line.expires_at,
        }
        for line in shown.lines
    ]
    return ParticipationOut.model_validate(
        {
            "assessment_id": shown.assessment_id,
            "status": shown.status,
            "anonymity": shown.anonymity,
            "total_questions": shown.total_questions,
            "counts": shown.counts,
            "respondents": respondents,
        }
    )

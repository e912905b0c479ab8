"""The participation page of an assessment, and what a consultant does with the invitations.

Links are shown once, on the page answering the step that made them. The
"copy links" CSV of that step is one POST away: the session keeps the new
respondents' ids (never a link), and the first download forgets them.
"""

from __future__ import annotations

import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from cxmaturity.domain import invitations as rules
from cxmaturity.services import invitations, participation, reminders
from cxmaturity.services.emails import Postage
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.i18n import current_language
from cxmaturity.web.invitation_forms import (
    DELIVERY_LABELS,
    GROUP_LABELS,
    SKIP_LABELS,
    STAGE_LABELS,
    ExtendForm,
    ListForm,
    RespondentForm,
    line_problem,
    refusal_message,
)

blueprint = Blueprint("participation", __name__)
BASE = "/w/<slug>/assessments/<int:assessment_id>"
FRESH_LINKS = "fresh_links"


def postage() -> Postage:
    return Postage.of(services(), current_app.config)


def _page(slug, assessment_id, *, one=None, pasted=None, problems=(), notice=None, status=200):
    own = services()
    view = participation.participation(
        own.sessions,
        own.catalogue,
        current_actor(),
        slug,
        assessment_id,
        own.now(),
        mail_configured=own.mailer.configured,
    )
    one = one or RespondentForm(language=current_language())
    return render_template(
        "participation/page.html",
        view=view,
        one=one,
        pasted=pasted or ListForm(),
        problems=problems,
        notice=notice,
        extend=ExtendForm(),
        csrf_form=FlaskForm(),
        groups=GROUP_LABELS,
        stages=STAGE_LABELS,
        deliveries=DELIVERY_LABELS,
    ), status


@blueprint.get(f"{BASE}/participation")
def page(slug: str, assessment_id: int):
    return _page(slug, assessment_id)


def created_page(slug: str, assessment_id: int, created: invitations.Created):
    """The step's new links, shown once (also after "start next quarter", web/next_quarter.py)."""
    # A range of ids and the step's time, not a list: 5,000 ids would not fit into a cookie.
    ids = [link.respondent_id for link in created.links]
    session[FRESH_LINKS] = {
        "assessment": assessment_id,
        "first": min(ids),
        "last": max(ids),
        "at": created.invited_at.isoformat() if created.invited_at else None,
    }
    return render_template(
        "participation/created.html",
        slug=slug,
        assessment_id=assessment_id,
        created=created,
        csrf_form=FlaskForm(),
    )


@blueprint.post(f"{BASE}/invitations")
def add_one(slug: str, assessment_id: int):
    form = RespondentForm()
    if not form.validate():
        return _page(slug, assessment_id, one=form, status=400)
    entry = (form.name.data, form.email.data, form.group.data, form.language.data)
    try:
        created = invitations.add_respondent(postage(), current_actor(), slug, assessment_id, entry)
    except invitations.InvitationRefused as refused:
        if refused.reason == "closed":
            return _page(slug, assessment_id, notice=refusal_message("closed"), status=409)
        field = form.email if refused.reason == rules.Problem.ALREADY_INVITED else form.name
        field.errors = [refusal_message(refused.reason)]
        return _page(slug, assessment_id, one=form, status=409 if field is form.email else 400)
    return created_page(slug, assessment_id, created)


@blueprint.post(f"{BASE}/invitations/list")
def add_list(slug: str, assessment_id: int):
    form = ListForm()
    if not form.validate():
        return _page(slug, assessment_id, pasted=form, status=400)
    try:
        created = invitations.add_list(
            postage(),
            current_actor(),
            slug,
            assessment_id,
            form.respondents.data,
            current_language(),
        )
    except invitations.ListRefused as refused:
        problems = [(p.line, p.text, line_problem(p)) for p in refused.problems]
        form.respondents.errors = [
            ngettext(
                "%(num)s line has a problem; nothing was added.",
                "%(num)s lines have problems; nothing was added.",
                len(problems),
            )
        ]
        return _page(slug, assessment_id, pasted=form, problems=problems, status=400)
    except rules.ListTooLong as too_long:
        form.respondents.errors = [
            _(
                "The list has %(lines)s lines; at most 5,000 can be added at once. Nothing was "
                "added.",
                lines=too_long.lines,
            )
        ]
        return _page(slug, assessment_id, pasted=form, status=400)
    except invitations.InvitationRefused as refused:
        if refused.reason == "closed":
            return _page(slug, assessment_id, notice=refusal_message("closed"), status=409)
        form.respondents.errors = [refusal_message(refused.reason)]
        return _page(slug, assessment_id, pasted=form, status=409)
    return created_page(slug, assessment_id, created)


@blueprint.post(f"{BASE}/links.csv")
def links_csv(slug: str, assessment_id: int):
    fresh = session.get(FRESH_LINKS) or {}
    step = None
    if fresh.get("assessment") == assessment_id:
        at = datetime.datetime.fromisoformat(fresh["at"]) if fresh.get("at") else None
        step = invitations.Step(fresh["first"], fresh["last"], at)
    # Asked also without a step: the service checks who asks first (404, 403).
    links = invitations.fresh_links(postage(), current_actor(), slug, assessment_id, step)
    if not links:
        abort(
            404,
            description=_(
                "The links can be downloaded once, right after they were made. "
                "To hand over a link again, rotate it."
            ),
        )
    session.pop(FRESH_LINKS, None)
    body = participation.links_csv(links, [_("Name"), _("E-mail address"), _("Link")])
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="links-{assessment_id}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _back(slug: str, assessment_id: int):
    return redirect(url_for("participation.page", slug=slug, assessment_id=assessment_id))


@blueprint.post(f"{BASE}/invitations/<int:respondent_id>/resend")
def resend(slug: str, assessment_id: int, respondent_id: int):
    try:
        sent = invitations.resend(postage(), current_actor(), slug, assessment_id, respondent_id)
    except invitations.InvitationRefused as refused:
        flash(refusal_message(refused.reason), "error")
        return _back(slug, assessment_id)
    if sent.sent:
        flash(_("The invitation was sent again, with the same link."), "success")
    elif sent.queued:
        flash(_("The invitation is being sent again, with the same link."), "success")
    elif sent.bounced:
        flash(_("The mail server refused this address."), "error")
    else:
        flash(_("The mail server did not take the e-mail; it is tried again later."), "error")
    return _back(slug, assessment_id)


@blueprint.post(f"{BASE}/invitations/<int:respondent_id>/rotate")
def rotate(slug: str, assessment_id: int, respondent_id: int):
    link = invitations.rotate(postage(), current_actor(), slug, assessment_id, respondent_id)
    return created_page(slug, assessment_id, invitations.Created([link]))


@blueprint.post(f"{BASE}/invitations/<int:respondent_id>/revoke")
def revoke(slug: str, assessment_id: int, respondent_id: int):
    invitations.revoke(postage(), current_actor(), slug, assessment_id, respondent_id)
    flash(_("The link was revoked. What was saved with it stays."), "success")
    return _back(slug, assessment_id)


@blueprint.post(f"{BASE}/invitations/<int:respondent_id>/extend")
def extend(slug: str, assessment_id: int, respondent_id: int):
    form = ExtendForm()
    if not form.validate():
        flash(_("Please give the new last day as a date."), "error")
        return _back(slug, assessment_id)
    try:
        invitations.extend(
            postage(), current_actor(), slug, assessment_id, respondent_id, form.last_day.data
        )
    except rules.ExtensionRefused as refused:
        flash(
            _(
                "The new last day must be after today and at most 120 days after the "
                "invitation (%(latest)s). Nothing was changed.",
                latest=refused.latest.date().isoformat(),
            ),
            "error",
        )
        return _back(slug, assessment_id)
    flash(_("The link now works until %(day)s.", day=form.last_day.data.isoformat()), "success")
    return _back(slug, assessment_id)


@blueprint.post(f"{BASE}/invitations/remind")
def remind(slug: str, assessment_id: int):
    try:
        summary = reminders.remind_pending(postage(), current_actor(), slug, assessment_id)
    except invitations.InvitationRefused as refused:
        flash(refusal_message(refused.reason), "error")
        return _back(slug, assessment_id)
    sent = summary.reminded.sent
    message = ngettext("%(num)s reminder sent.", "%(num)s reminders sent.", sent)
    if summary.reminded.queued:
        sent += summary.reminded.queued
        message = ngettext(
            "%(num)s reminder is being sent.",
            "%(num)s reminders are being sent.",
            summary.reminded.queued,
        )
    reasons = [
        f"{SKIP_LABELS[reason]}: {count}"
        for reason, count in sorted(summary.skipped.items())
        if reason in SKIP_LABELS
    ]
    if reasons:
        message += " " + _("Not reminded: %(reasons)s.", reasons="; ".join(reasons))
    if summary.reminded.failed or summary.reminded.bounced:
        message += " " + _(
            "%(count)s could not be sent.",
            count=summary.reminded.failed + summary.reminded.bounced,
        )
    flash(message, "success" if sent else "info")
    return _back(slug, assessment_id)

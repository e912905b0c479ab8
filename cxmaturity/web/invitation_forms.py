"""The participation page's forms and the words for what the invitation services answer."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cxmaturity.domain import invitations as rules
from cxmaturity.domain.statuses import RespondentGroup
from cxmaturity.locale import LANGUAGE_NAMES
from cxmaturity.web.forms import TEXT, text_rule

GROUP_LABELS = {
    RespondentGroup.EXECUTIVE: _l("Executive"),
    RespondentGroup.MANAGER: _l("Manager"),
    RespondentGroup.FRONTLINE: _l("Front line"),
    RespondentGroup.OTHER: _l("Other"),
}
STAGE_LABELS = {
    rules.Stage.INVITED: _l("not opened yet"),
    rules.Stage.OPENED: _l("opened"),
    rules.Stage.IN_PROGRESS: _l("in progress"),
    rules.Stage.SUBMITTED: _l("submitted"),
}
DELIVERY_LABELS = {
    "pending": _l("e-mail waiting"),
    "sent": _l("e-mail sent"),
    "failed": _l("e-mail not sent yet (tried again later)"),
    "bounced": _l("e-mail refused (bounced)"),
}
SKIP_LABELS = {
    rules.Skip.SUBMITTED: _l("submitted already"),
    rules.Skip.REVOKED: _l("link revoked"),
    rules.Skip.EXPIRED: _l("link expired"),
    rules.Skip.OPTED_OUT: _l("opted out of e-mails"),
    rules.Skip.NO_ADDRESS: _l("no e-mail address"),
    rules.Skip.NOT_DELIVERED: _l("invitation not delivered"),
    rules.Skip.LIMIT_REACHED: _l("3 reminders sent already"),
    rules.Skip.TOO_EARLY: _l("too early (3 days after the invitation, 2 between reminders)"),
    "not_resendable": _l("link cannot be sent again (rotate it)"),
}


def email_rule(form, field) -> None:
    try:
        rules.checked_email(field.data)
    except ValueError:
        raise ValidationError(PROBLEM_LABELS[rules.Problem.EMAIL_INVALID]) from None


class RespondentForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=rules.NAME_MAX_LENGTH), text_rule()],
        **TEXT,
    )
    email = EmailField(
        _l("E-mail address (optional)"),
        validators=[Optional(), Length(max=rules.EMAIL_MAX_LENGTH), email_rule],
        description=_l("Without an address, hand over the link yourself."),
        **TEXT,
    )
    group = SelectField(
        _l("Group"),
        choices=[SelectChoice(key, label) for key, label in GROUP_LABELS.items()],
        default="other",
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice(key, name) for key, name in LANGUAGE_NAMES.items()]
    )


class ListForm(FlaskForm):
    respondents = TextAreaField(
        _l("One respondent per line"),
        validators=[DataRequired()],
        description=_l(
            "Name, e-mail, group, language — separated by commas, semicolons or tabs, e.g. "
            "“Eva Roth, eva.roth@example.com, manager, de”. Group: executive, manager, "
            "frontline or other; language: de or en. At most 5,000 lines. If a line has a "
            "problem, nothing is added and every such line is listed."
        ),
    )


class ExtendForm(FlaskForm):
    last_day = DateField(_l("Link works until"), validators=[DataRequired()])


PROBLEM_LABELS = {
    rules.Problem.NAME_MISSING: _l("The name is missing."),
    rules.Problem.NAME_INVALID: _l("The name is too long or contains invisible characters."),
    rules.Problem.EMAIL_INVALID: _l("This is not an e-mail address."),
    rules.Problem.GROUP_INVALID: _l("The group must be executive, manager, frontline or other."),
    rules.Problem.LANGUAGE_INVALID: _l("The language must be de or en."),
    rules.Problem.TOO_MANY_FIELDS: _l("More than four fields: name, e-mail, group, language."),
    rules.Problem.ALREADY_INVITED: _l("This address is already invited to this assessment."),
}


def line_problem(problem: rules.LineProblem) -> str:
    if problem.problem == rules.Problem.DUPLICATE_IN_LIST:
        return _("The same address as in line %(other)s.", other=problem.other_line)
    return str(PROBLEM_LABELS[problem.problem])


def refusal_message(reason: str) -> str:
    if reason in PROBLEM_LABELS:
        return str(PROBLEM_LABELS[rules.Problem(reason)])
    messages = {
        "closed": _("This assessment is closed: nobody can be invited any more."),
        "not_open": _("Reminders go out only while the assessment is open."),
        "empty_list": _("The list has no respondents."),
        "no_mail_server": _(
            "No mail server is set up (CXM_SMTP_URL), so no e-mail can be sent. "
            "Hand over the links yourself."
        ),
        "no_address": _("This respondent has no e-mail address."),
        "opted_out": _("This respondent asked for no more e-mails."),
        "link_ended": _("This link has ended. Rotate it to make a new one."),
        "not_resendable": _(
            "This link cannot be sent again (it was made before, or with another secret key). "
            "Rotate it to make a new one."
        ),
    }
    return messages.get(reason, _("This is not possible. Nothing was changed."))

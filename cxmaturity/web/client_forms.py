"""The forms of the workspace pages: a client's details, and a new assessment for a period."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cxmaturity.services.clients import MAX_TAGS, TAG_MAX_LENGTH
from cxmaturity.web.forms import INDUSTRIES, SIZES, TEXT, text_rule, valid_period


def split_tags(text: str | None) -> list[str]:
    """Tags as typed: separated by commas."""
    return [tag for tag in (text or "").split(",") if tag.strip()]


def tags_rule(form, field) -> None:
    tags = {" ".join(tag.split()).casefold() for tag in split_tags(field.data)}
    if len(tags) > MAX_TAGS:
        raise ValidationError(_l("Please give at most %(max)d tags.", max=MAX_TAGS))
    if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
        raise ValidationError(
            _l("Please shorten each tag to at most %(max)d characters.", max=TAG_MAX_LENGTH)
        )


class ClientForm(FlaskForm):
    name = StringField(
        _l("Client name"),
        validators=[
            DataRequired(_l("Please enter the client's name.")),
            Length(max=200, message=_l("Please shorten the name to at most %(max)d characters.")),
            text_rule(),
        ],
        **TEXT,
    )
    industry = SelectField(_l("Industry"), choices=INDUSTRIES, validators=[Optional()])
    size = SelectField(_l("Company size"), choices=SIZES, validators=[Optional()])
    external_reference = StringField(
        _l("External reference (optional)"),
        description=_l("E.g. the client's number in your CRM."),
        validators=[
            Optional(),
            Length(max=100, message=_l("Please shorten this to at most %(max)d characters.")),
            text_rule(),
        ],
        **TEXT,
    )
    tags = StringField(
        _l("Tags (optional)"),
        description=_l("Separated by commas, at most 10, e.g. “retail, pilot”."),
        validators=[Optional(), text_rule(), tags_rule],
        **TEXT,
    )


class NewAssessmentForm(FlaskForm):
    period = StringField(
        _l("Period"),
        description=_l("The quarter this assessment describes, e.g. 2026-Q4."),
        validators=[DataRequired(_l("Please enter the period.")), valid_period],
        **TEXT,
    )
    due_date = DateField(
        _l("Due date (optional)"),
        description=_l("By when the respondents should have answered."),
        validators=[Optional()],
    )


class PurgeForm(FlaskForm):
    """The owner's confirmation that an archived client is to be deleted for good."""

    # No validators: the service checks the name, after it has checked who asks.
    confirm_name = StringField(_l("Type the client's name to confirm"), **TEXT)

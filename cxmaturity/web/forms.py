"""The web forms: starting an assessment, and one page of answers per dimension."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cxmaturity.config import LANGUAGE_NAMES
from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.questionnaire import Dimension
from cxmaturity.domain.text import Refusal, TextRefused, normalize
from cxmaturity.domain.text import clean_text as clean_domain_text
from cxmaturity.services.answering import NOT_APPLICABLE, AnswerInput
from cxmaturity.services.assessments import COMMENT_MAX_LENGTH
from cxmaturity.store.models import ORGANIZATION_SIZES


def clean_text(value: str | None) -> str | None:
    """Typed text as stored: trimmed and in Unicode NFC, so 'ü' is always one character."""
    return normalize(value) if isinstance(value, str) else value


TEXT_REFUSALS = {
    Refusal.LINE_BREAK: _l("Please write this on one line."),
    Refusal.CONTROL: _l("Please remove the invisible control characters from this text."),
    Refusal.BIDI: _l("Please remove the invisible text-direction characters from this text."),
}


def text_rule(*, multiline: bool = False):
    """A validator applying the domain's input rule for typed text (domain.text)."""

    def validate(form, field) -> None:
        if not field.data:
            return
        try:
            clean_domain_text(field.data, multiline=multiline)
        except TextRefused as refused:
            if refused.reason in TEXT_REFUSALS:
                raise ValidationError(TEXT_REFUSALS[refused.reason]) from None
            raise ValidationError(str(refused)) from None

    return validate


def valid_period(form, field) -> None:
    try:
        Period.parse(field.data)
    except PeriodRefused:
        raise ValidationError(
            _l("Please write the period as year and quarter, e.g. 2026-Q4.")
        ) from None


TEXT = {"filters": [clean_text]}

INDUSTRIES = (
    SelectChoice("", _l("— choose —")),
    SelectChoice("retail", _l("Retail and e-commerce")),
    SelectChoice("finance", _l("Banking and insurance")),
    SelectChoice("manufacturing", _l("Manufacturing")),
    SelectChoice("services", _l("Professional services")),
    SelectChoice("telecom", _l("Telecommunications and IT")),
    SelectChoice("health", _l("Health care")),
    SelectChoice("travel", _l("Travel and hospitality")),
    SelectChoice("energy", _l("Energy and utilities")),
    SelectChoice("public", _l("Public sector")),
    SelectChoice("other", _l("Other")),
)
SIZE_LABELS = {
    "1-49": _l("1–49 employees"),
    "50-249": _l("50–249 employees"),
    "250-999": _l("250–999 employees"),
    "1000-4999": _l("1,000–4,999 employees"),
    "5000+": _l("5,000 employees or more"),
}
# The stored bands are the database's list; a label is needed for each.
SIZES = (
    SelectChoice("", _l("— choose —")),
    *(SelectChoice(size, SIZE_LABELS[size]) for size in ORGANIZATION_SIZES),
)
LANGUAGES = tuple(SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items())


class StartForm(FlaskForm):
    organization = StringField(
        _l("Company name"),
        validators=[
            # DataRequired, not InputRequired: it looks at the trimmed text,
            # so a name of only spaces is refused too.
            DataRequired(_l("Please enter the company name.")),
            Length(max=200),
            text_rule(),
        ],
        **TEXT,
    )
    industry = SelectField(_l("Industry"), choices=INDUSTRIES, validators=[Optional()])
    size = SelectField(_l("Company size"), choices=SIZES, validators=[Optional()])
    period = StringField(
        _l("Period"),
        description=_l("The quarter this assessment describes, e.g. 2026-Q4."),
        validators=[
            DataRequired(_l("Please enter the period.")),
            valid_period,
        ],
        **TEXT,
    )
    language = RadioField(_l("Language of the assessment"), choices=LANGUAGES, default="en")
    respondent = StringField(
        _l("Your name or role (optional)"),
        validators=[Optional(), Length(max=120), text_rule()],
        **TEXT,
    )


def answer_field(question_id: str) -> str:
    return f"answer-{question_id}"


def comment_field(question_id: str) -> str:
    return f"comment-{question_id}"


def dimension_form(dimension: Dimension, language: str, formdata=None, data=None) -> FlaskForm:
    """A form with one radio group and one comment per question of `dimension`."""

    class DimensionForm(FlaskForm):
        pass

    for question in dimension.questions:
        choices = [
            SelectChoice(str(option.level), option.text.get(language))
            for option in question.options
        ]
        if question.allow_na:
            choices.append(SelectChoice(NOT_APPLICABLE, _l("Not applicable")))
        setattr(
            DimensionForm,
            answer_field(question.id),
            RadioField(question.text.get(language), choices=choices, validators=[Optional()]),
        )
        setattr(
            DimensionForm,
            comment_field(question.id),
            TextAreaField(
                _l("Comment (optional)"),
                validators=[Optional(), Length(max=COMMENT_MAX_LENGTH), text_rule(multiline=True)],
                filters=[clean_text],
                render_kw={"maxlength": COMMENT_MAX_LENGTH, "rows": 2},
            ),
        )
    return DimensionForm(formdata=formdata, data=data)


def allowed_field_names(dimension: Dimension) -> set[str]:
    names = {"csrf_token", "action"}
    for question in dimension.questions:
        names.update((answer_field(question.id), comment_field(question.id)))
    return names


def posted_answers(dimension: Dimension, form: FlaskForm) -> dict[str, AnswerInput]:
    """The answers this post changes.

    A question counts only when its radio group was sent, or a comment was
    written: a question left unanswered in an old tab does not erase an answer
    given meanwhile in another tab. (A choice the old tab does show is sent
    again, and the later save wins.)
    """
    changes: dict[str, AnswerInput] = {}
    for question in dimension.questions:
        choice = form[answer_field(question.id)].data
        comment = (form[comment_field(question.id)].data or "").strip()
        if choice is None and not comment:
            continue
        changes[question.id] = AnswerInput.from_choice(choice, comment)
    return changes

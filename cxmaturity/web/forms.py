"""The web forms: starting an assessment, and one page of answers per dimension."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from cxmaturity.domain.periods import Period, PeriodRefused
from cxmaturity.domain.questionnaire import Dimension
from cxmaturity.domain.statuses import ORGANIZATION_SIZES
from cxmaturity.domain.text import Refusal, TextRefused, normalize
from cxmaturity.domain.text import clean_text as clean_domain_text
from cxmaturity.locale import LANGUAGE_NAMES
from cxmaturity.services.answering import CLEAR, NOT_APPLICABLE, AnswerInput, AnswerRow
from cxmaturity.services.assessments import COMMENT_MAX_LENGTH


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
            Length(max=200, message=_l("Please shorten the name to at most %(max)d characters.")),
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
        validators=[
            Optional(),
            Length(max=120, message=_l("Please shorten this to at most %(max)d characters.")),
            text_rule(),
        ],
        **TEXT,
    )


def answer_field(question_id: str) -> str:
    return f"answer-{question_id}"


def comment_field(question_id: str) -> str:
    return f"comment-{question_id}"


def shown_field(name: str) -> str:
    """The hidden field that carries back what the page showed in field `name`.

    With it a save changes only what the person changed on the page (see
    AnswerInput.shown): a second window's stale fields undo nothing.
    """
    return f"shown-{name}"


def clear_field(question_id: str) -> str:
    """Takes an answer back: a field the script sends, or the action of the clear button."""
    return f"clear-{question_id}"


def confirm_field(question_id: str) -> str:
    """Confirms last quarter's answer as it stands (DESIGN §8): a field the script sends,
    or the action of the question's confirm button."""
    return f"confirm-{question_id}"


CONFIRM_PAGE = "confirm-page"
"""The action of "confirm every answer from last quarter on this page"."""


# One form class per dimension, built once: the page is posted far more often
# than the questionnaire changes. Keyed by object identity, the dimension kept alive.
_FORM_CLASSES: dict[int, tuple[Dimension, type[FlaskForm]]] = {}


def _dimension_form_class(dimension: Dimension) -> type[FlaskForm]:
    cached = _FORM_CLASSES.get(id(dimension))
    if cached is not None and cached[0] is dimension:
        return cached[1]

    class DimensionForm(FlaskForm):
        pass

    for question in dimension.questions:
        # Validation only: the page renders its options from plain data (see
        # web/dimension_page.py), so the labels here are never shown.
        values = [str(option.level) for option in question.options]
        if question.allow_na:
            values.append(NOT_APPLICABLE)
        setattr(
            DimensionForm,
            answer_field(question.id),
            RadioField(
                choices=[SelectChoice(value, value) for value in values], validators=[Optional()]
            ),
        )
        setattr(
            DimensionForm,
            comment_field(question.id),
            TextAreaField(
                _l("Comment (optional)"),
                validators=[
                    Optional(),
                    Length(
                        max=COMMENT_MAX_LENGTH,
                        message=_l(
                            "Please shorten the comment to at most %(max)d characters "
                            "(it has %(length)d now)."
                        ),
                    ),
                    text_rule(multiline=True),
                ],
                filters=[clean_text],
            ),
        )
    _FORM_CLASSES[id(dimension)] = (dimension, DimensionForm)
    return DimensionForm


def dimension_form(dimension: Dimension, formdata) -> FlaskForm:
    """The posted page of `dimension` as a form: one radio group and one comment per question."""
    return _dimension_form_class(dimension)(formdata=formdata)


def allowed_field_names(dimension: Dimension) -> set[str]:
    names = {"csrf_token", "action"}
    for question in dimension.questions:
        answer, comment = answer_field(question.id), comment_field(question.id)
        names.update(
            (answer, comment, clear_field(question.id), shown_field(answer), shown_field(comment))
        )
        names.add(confirm_field(question.id))
    return names


def duplicated_fields(formdata) -> list[str]:
    """Field names sent more than once: no page of ours does that, so the post is refused."""
    return sorted(name for name in formdata if len(formdata.getlist(name)) > 1)


def posted_answers(dimension: Dimension, form: FlaskForm, formdata) -> dict[str, AnswerInput]:
    """The answers this post sends, each with what its page showed.

    The service applies only what differs from what the page showed, so the
    page sends every question. (A post without the shown fields, from a page
    older than them, sends a question only when its radio group was sent, a
    comment was written, or it was cleared.) Clearing wins over a choice sent
    with it: without JavaScript the checked option is always sent.
    """
    action = formdata.get("action")
    changes: dict[str, AnswerInput] = {}
    for question in dimension.questions:
        choice = form[answer_field(question.id)].data
        comment = (form[comment_field(question.id)].data or "").strip()
        if clear_field(question.id) in formdata or action == clear_field(question.id):
            choice = CLEAR
        shown = shown_answer(question.id, formdata)
        if shown is None and choice is None and not comment:
            continue
        changes[question.id] = AnswerInput.from_choice(choice, comment, shown)
    return changes


def posted_confirms(dimension: Dimension, formdata) -> set[str]:
    """The questions whose pre-filled answer this post confirms: by its button or field, or
    all of the page's by "confirm all" (the service confirms only those still pre-filled)."""
    action = formdata.get("action")
    return {
        question.id
        for question in dimension.questions
        if action in (CONFIRM_PAGE, confirm_field(question.id))
        or confirm_field(question.id) in formdata
    }


def shown_answer(question_id: str, formdata) -> AnswerRow | None:
    """What the page showed for the question; raises InvalidAnswer for an option it has not."""
    choice_name = shown_field(answer_field(question_id))
    comment_name = shown_field(comment_field(question_id))
    if choice_name not in formdata and comment_name not in formdata:
        return None
    return AnswerRow.shown(formdata.get(choice_name, ""), formdata.get(comment_name, ""))

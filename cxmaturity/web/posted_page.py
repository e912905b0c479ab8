"""Reading a posted dimension page (by button or autosave): all of it is saved, or none."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from cxmaturity.domain.questionnaire import Dimension
from cxmaturity.services import assessments
from cxmaturity.services.answering import InvalidAnswer
from cxmaturity.web.context import services
from cxmaturity.web.forms import (
    allowed_field_names,
    dimension_form,
    duplicated_fields,
    posted_answers,
    posted_confirms,
)
from cxmaturity.web.respondent import catalogue


class RefusedPost(Exception):
    """A post no page of ours sends (tampered, duplicated, unknown fields): nothing is saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_an_option() -> str:
    return _("An answer was not one of the options offered. Nothing was saved.")


def read_posted_page(dimension: Dimension) -> FlaskForm:
    """The posted page, validated; raises RefusedPost for a tampered post.

    Comment errors (too long, control characters) stay in `form.errors` for
    the page to show: a person can fix those.
    """
    if duplicated_fields(request.form):
        raise RefusedPost(_("The form contained a field twice. Nothing was saved."))
    if set(request.form) - allowed_field_names(dimension):
        raise RefusedPost(
            _("The form contained fields this page does not have. Nothing was saved.")
        )
    form = dimension_form(dimension, formdata=request.form)
    form.validate()
    if any(name.startswith("answer-") for name in form.errors):
        raise RefusedPost(not_an_option())
    return form


def save_page(token: str, dimension: Dimension, form: FlaskForm) -> assessments.RespondentState:
    """Store the page's answers; raises RefusedPost, or AlreadySubmitted after submission."""
    try:
        changes = posted_answers(dimension, form, request.form)
        confirms = posted_confirms(dimension, request.form)
        return assessments.save_answers(
            services().sessions, catalogue(), token, changes, confirm=confirms
        )
    except InvalidAnswer:
        raise RefusedPost(not_an_option()) from None


def changed_elsewhere_message(
    state: assessments.RespondentState, dimension: Dimension
) -> str | None:
    """What to tell a person whose page was out of date: another window had changed answers."""
    numbers = [
        str(number)
        for number, question in enumerate(dimension.questions, start=1)
        if question.id in state.changed_elsewhere
    ]
    if not numbers:
        return None
    return ngettext(
        "Meanwhile, question %(questions)s on this page was changed in another window. "
        "This page now shows the answers as they are stored; where you changed the same "
        "answer here, your change was kept.",
        "Meanwhile, questions %(questions)s on this page were changed in another window. "
        "This page now shows the answers as they are stored; where you changed the same "
        "answer here, your change was kept.",
        len(numbers),
        questions=", ".join(numbers),
    )

"""The dimension page as plain data: its questions and options, what is chosen, where to go next.

The options are rendered by the template from these records rather than by
WTForms widgets: rendering widgets was most of the time a page took. The
posted page is still validated by the WTForms form in `forms.py`.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field, replace
from functools import lru_cache

from flask import get_template_attribute, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from cxmaturity.domain.questionnaire import Dimension, Question
from cxmaturity.domain.statuses import Language
from cxmaturity.services.answering import NOT_APPLICABLE, choice_of
from cxmaturity.services.assessments import COMMENT_MAX_LENGTH, RespondentState
from cxmaturity.web.forms import (
    answer_field,
    clear_field,
    comment_field,
    confirm_field,
    shown_field,
)
from cxmaturity.web.i18n import current_language
from cxmaturity.web.jump_list import jump_list
from cxmaturity.web.respondent import resume_url

# "goto-3" opens page 3; "goto-3@budget" opens it at question "budget".
GOTO_ACTION = re.compile(r"goto-([1-9][0-9]{0,2})(?:@([a-z][a-z0-9_-]{0,99}))?")
LANGUAGE_ACTION = re.compile(r"language-([a-z]{2})")
SHORT_LABEL_WIDTH = 40
NO_HTML = Markup()


@dataclass(frozen=True)
class OptionView:
    value: str
    input_id: str
    level: int | None  # None for "not applicable"
    text: str
    html: Markup = NO_HTML  # rendered once, unchecked and checked
    checked_html: Markup = NO_HTML


@dataclass(frozen=True)
class QuestionView:
    id: str
    number: int
    text: str
    help: str | None
    options: tuple[OptionView, ...]
    answer_name: str
    comment_name: str
    clear_action: str
    confirm_action: str = ""
    start_html: Markup = NO_HTML  # the fieldset up to its options (templates/question.html)
    middle_html: Markup = NO_HTML  # from after the options to the comment's label
    # The same two for a choice offered from last quarter: marked, with a confirm button.
    prefilled_start_html: Markup = NO_HTML
    prefilled_middle_html: Markup = NO_HTML
    comment_html: Markup = NO_HTML  # the comment's textarea up to its text, with no error
    end_html: Markup = NO_HTML  # from after the comment's text to its limit (then shown-* fields)


def short_label(question: Question, language: str) -> str:
    """The question's short label, or its first words where it has none."""
    if question.short:
        return question.short.get(language)
    return textwrap.shorten(question.text.get(language), width=SHORT_LABEL_WIDTH, placeholder=" …")


# Built once per dimension and language: the questionnaire does not change while
# the process runs. Keyed by object identity, the dimension kept alive with its entry.
_QUESTION_VIEWS: dict[tuple[int, str], tuple[Dimension, tuple[QuestionView, ...]]] = {}


def question_views(dimension: Dimension, language: str) -> tuple[QuestionView, ...]:
    """The page's questions in `language`; call inside a request in that language."""
    cached = _QUESTION_VIEWS.get((id(dimension), language))
    if cached is not None and cached[0] is dimension:
        return cached[1]
    views = tuple(
        _rendered(_question_view(question, number, language))
        for number, question in enumerate(dimension.questions, start=1)
    )
    _QUESTION_VIEWS[(id(dimension), language)] = (dimension, views)
    return views


def _question_view(question: Question, number: int, language: str) -> QuestionView:
    name = answer_field(question.id)
    options = [
        OptionView(str(option.level), f"{name}-{index}", option.level, option.text.get(language))
        for index, option in enumerate(question.options)
    ]
    if question.allow_na:
        options.append(
            OptionView(NOT_APPLICABLE, f"{name}-{len(options)}", None, _("Not applicable"))
        )
    return QuestionView(
        id=question.id,
        number=number,
        text=question.text.get(language),
        help=question.help.get(language) if question.help else None,
        options=tuple(options),
        answer_name=name,
        comment_name=comment_field(question.id),
        clear_action=clear_field(question.id),
        confirm_action=confirm_field(question.id),
    )


def _rendered(question: QuestionView) -> QuestionView:
    """The question with its fixed HTML rendered, from the macros of templates/question.html."""

    def macro(name: str):
        return get_template_attribute("question.html", name)

    option = macro("option")
    options = tuple(
        replace(each, html=option(question, each, False), checked_html=option(question, each, True))
        for each in question.options
    )
    return replace(
        question,
        options=options,
        start_html=macro("question_start")(question),
        middle_html=macro("question_middle")(question),
        prefilled_start_html=macro("question_start")(question, True),
        prefilled_middle_html=macro("question_middle")(question, True),
        comment_html=macro("comment_opening")(question, (), COMMENT_MAX_LENGTH),
        end_html=macro("question_end")(question, COMMENT_MAX_LENGTH),
    )


def _shown_fields(answer_name: str, choice: str, comment_name: str, comment: str) -> str:
    # Plain text joined: Markup.format's escaping formatter cost more than the rest of the
    # question. The names are questionnaire ids (letters, digits, - and _); the values
    # are escaped here.
    return (
        f'<input type="hidden" name="shown-{answer_name}" value="{escape(choice)}">'
        f'<input type="hidden" name="shown-{comment_name}" value="{escape(comment)}">'
        "\n  </fieldset>\n"
    )


def questions_html(questions: tuple[QuestionView, ...], values: PageValues) -> Markup:
    """The page's questions with the respondent's choices and comments, put together in Python.

    Looping in the template cost more than the rest of the page; only a comment
    with an error message needs its own rendering.
    """
    parts: list[str] = []
    for question in questions:
        chosen = values.choices.get(question.answer_name)
        prefilled = question.id in values.to_confirm
        parts.append(question.prefilled_start_html if prefilled else question.start_html)
        parts.extend(
            option.checked_html if option.value == chosen else option.html
            for option in question.options
        )
        parts.append(question.prefilled_middle_html if prefilled else question.middle_html)
        errors = values.errors.get(question.comment_name)
        if errors:
            opening = get_template_attribute("question.html", "comment_opening")
            parts.append(opening(question, errors, COMMENT_MAX_LENGTH))
        else:
            parts.append(question.comment_html)
        parts.append(escape(values.comments.get(question.comment_name, "")))
        parts.append(question.end_html)
        # What the page showed: the save changes only what was changed here (forms.shown_field).
        parts.append(
            _shown_fields(
                question.answer_name,
                values.shown_choices.get(question.answer_name, ""),
                question.comment_name,
                values.shown_comments.get(question.comment_name, ""),
            )
        )
    # Every part is markup already or escaped above: joined as text, not escaped again.
    return Markup("".join(parts))


@lru_cache(maxsize=4096)
def progress_html(language: str, number: int, count: int, answered: int, total: int) -> Markup:
    """The progress line (macros.html); call inside a request in `language`."""
    return get_template_attribute("macros.html", "progress")(number, count, answered, total)


# Stands for the link while the private-link box is rendered: no text of it can hold it,
# and escaping leaves it as it is.
_LINK_SLOT = "\x1f"


def resume_link_html(url: str, *, expanded: bool) -> Markup:
    """The private-link box (macros.html resume_link) with `url`, escaped."""
    before, after = _resume_link_parts(current_language(), expanded, request.script_root)
    return before + url + after


@lru_cache(maxsize=64)
def _resume_link_parts(language: str, expanded: bool, script_root: str) -> tuple[Markup, Markup]:
    # Keyed by what the box depends on besides the link: the language of its texts and the
    # address its script is served from.
    rendered = get_template_attribute("macros.html", "resume_link")(_LINK_SLOT, expanded=expanded)
    before, after = rendered.split(_LINK_SLOT)
    return Markup(before), Markup(after)


@dataclass(frozen=True)
class PageValues:
    """What the page shows as chosen and typed, and the messages beside the fields."""

    choices: dict[str, str]
    comments: dict[str, str]
    errors: dict[str, list[str]]
    # What the page showed before the person changed anything, sent back in
    # hidden fields: the save then changes only what the person changed.
    shown_choices: dict[str, str] = field(default_factory=dict)
    shown_comments: dict[str, str] = field(default_factory=dict)
    # Question ids whose choice is last quarter's, still to confirm (DESIGN §8).
    to_confirm: frozenset[str] = frozenset()


def stored_values(state: RespondentState, dimension: Dimension) -> PageValues:
    choices, comments = {}, {}
    for question in dimension.questions:
        answer = state.answers.get(question.id)
        if answer is None:
            continue
        choice = choice_of(answer)
        if choice is not None:
            choices[answer_field(question.id)] = choice
        comments[comment_field(question.id)] = answer.comment
    return PageValues(choices, comments, {}, choices, comments, to_confirm(state, dimension))


def to_confirm(state: RespondentState, dimension: Dimension) -> frozenset[str]:
    return frozenset(q.id for q in dimension.questions if state.to_confirm(q.id))


def posted_values(form, dimension: Dimension, state: RespondentState | None = None) -> PageValues:
    """What the person sent, to show again with the problems marked (nothing was saved).

    Last quarter's answers stay marked where the person left them as shown."""
    choices, comments, shown_choices, shown_comments = {}, {}, {}, {}
    for question in dimension.questions:
        answer, comment = answer_field(question.id), comment_field(question.id)
        shown_choices[answer] = request.form.get(shown_field(answer), "")
        shown_comments[comment] = request.form.get(shown_field(comment), "")
        choice = form[answer_field(question.id)].data
        if choice is not None:
            choices[answer_field(question.id)] = choice
        comments[comment_field(question.id)] = form[comment_field(question.id)].data or ""
    errors = {name: list(errors) for name, errors in form.errors.items()}
    waiting = frozenset(
        question_id
        for question_id in (to_confirm(state, dimension) if state else ())
        if choices.get(answer_field(question_id)) == shown_choices[answer_field(question_id)]
    )
    return PageValues(choices, comments, errors, shown_choices, shown_comments, waiting)


@dataclass(frozen=True)
class OpenPage:
    """A dimension page with questions still open, for the "still open" list."""

    number: int
    title: str
    questions: tuple[tuple[str, str], ...]  # (question id, short label)


def open_pages(state: RespondentState, language: str) -> list[OpenPage]:
    return [
        OpenPage(
            number,
            dimension.title.get(language),
            tuple((question.id, short_label(question, language)) for question in questions),
        )
        for number, dimension, questions in state.unanswered()
    ]


def confirm_pages(state: RespondentState, language: str) -> list[OpenPage]:
    """The pages with answers from last quarter still to confirm, and those questions."""
    return [
        OpenPage(
            number,
            dimension.title.get(language),
            tuple((question.id, short_label(question, language)) for question in questions),
        )
        for number, dimension, questions in state.to_confirm_by_page()
    ]


def render(
    token: str,
    number: int,
    state: RespondentState,
    values: PageValues,
    *,
    problem: str | None = None,
    status: int = 200,
    resumed: bool = False,
):
    questionnaire = state.questionnaire
    language = current_language()
    dimension = questionnaire.dimensions[number - 1]
    # The short labels of open questions are listed only on resuming; the jump list counts.
    open_counts = {page: len(questions) for page, _dimension, questions in state.unanswered()}
    questions = question_views(dimension, language)
    waiting = confirm_pages(state, language)
    total = len(questionnaire.questions)
    page = render_template(
        "dimension.html",
        token=token,
        number=number,
        dimension=dimension,
        questions=questions,  # for the error summary's links
        values=values,
        questions_html=questions_html(questions, values),
        comment_max_length=COMMENT_MAX_LENGTH,
        jump_list=jump_list(questionnaire, number, language, open_counts),
        dimension_count=len(questionnaire.dimensions),
        answered=state.answered_count,
        total=total,
        organization=state.organization,
        period=state.period,
        language=language,
        still_open=open_pages(state, language) if resumed else [],
        to_confirm=waiting,
        to_confirm_count=sum(len(page.questions) for page in waiting),
        resumed=resumed,
        leave_form="answers",
        progress_html=progress_html(
            language, number, len(questionnaire.dimensions), state.answered_count, total
        ),
        resume_link_html=resume_link_html(resume_url(token), expanded=state.answered_count == 0),
        problem=problem,
    )
    return page, status


@dataclass(frozen=True)
class Destination:
    url: str
    language: str | None = None  # a language to switch to on the way


def destination(state: RespondentState, token: str, number: int, action: str | None) -> Destination:
    """Where a button of the dimension page leads, once the page is saved."""
    dimensions = state.questionnaire.dimensions
    count = len(dimensions)
    action = action or ""
    if action == "next" and number < count:
        return Destination(url_for("assess.dimension", token=token, number=number + 1))
    if action == "back" and number > 1:
        return Destination(url_for("assess.dimension", token=token, number=number - 1))
    if action == "review":
        return Destination(url_for("assess.review", token=token))
    if action == "home":
        return Destination(url_for("assess.start"))
    language = LANGUAGE_ACTION.fullmatch(action)
    if language and language.group(1) in tuple(Language):
        here = url_for("assess.dimension", token=token, number=number)
        return Destination(here, language=language.group(1))
    jump = GOTO_ACTION.fullmatch(action)
    if jump and 1 <= int(jump.group(1)) <= count:
        target = int(jump.group(1))
        question_ids = {question.id for question in dimensions[target - 1].questions}
        anchor = f"q-{jump.group(2)}" if jump.group(2) in question_ids else None
        return Destination(url_for("assess.dimension", token=token, number=target, _anchor=anchor))
    # Back to the question whose answer was just cleared or confirmed.
    prefix = next((p for p in ("clear-", "confirm-") if action.startswith(p)), None)
    if prefix:
        question_id = action.removeprefix(prefix)
        if question_id in {question.id for question in dimensions[number - 1].questions}:
            here = url_for(
                "assess.dimension", token=token, number=number, _anchor=f"q-{question_id}"
            )
            return Destination(here)
    return Destination(url_for("assess.dimension", token=token, number=number))

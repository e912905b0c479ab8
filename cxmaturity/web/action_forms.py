"""The forms of the action plan: a step written by hand, its edit, and a change of status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from cxmaturity.domain.questionnaire import Questionnaire
from cxmaturity.domain.statuses import ActionStatus
from cxmaturity.services.action_rules import OWNER_MAX_LENGTH, TITLE_MAX_LENGTH
from cxmaturity.web.forms import TEXT, text_rule

STATUS_LABELS = {
    ActionStatus.PLANNED.value: _l("Planned"),
    ActionStatus.IN_PROGRESS.value: _l("In progress"),
    ActionStatus.BLOCKED.value: _l("Blocked"),
    ActionStatus.DONE.value: _l("Done"),
    ActionStatus.DROPPED.value: _l("Dropped"),
}


def status_choices() -> list[tuple[str, str]]:
    return [(status, str(label)) for status, label in STATUS_LABELS.items()]


class ActionFields(FlaskForm):
    title = StringField(
        _l("Action"),
        description=_l("What will be done, in a sentence."),
        validators=[
            DataRequired(_l("Please describe the action.")),
            Length(
                max=TITLE_MAX_LENGTH,
                message=_l("Please shorten this to at most %(max)d characters."),
            ),
            text_rule(),
        ],
        **TEXT,
    )
    question_id = SelectField(_l("Question (optional)"), validators=[Optional()])
    owner = StringField(
        _l("Responsible (optional)"),
        description=_l("Who sees to it."),
        validators=[
            Optional(),
            Length(
                max=OWNER_MAX_LENGTH,
                message=_l("Please shorten this to at most %(max)d characters."),
            ),
            text_rule(),
        ],
        **TEXT,
    )
    due_date = DateField(
        _l("Due date (optional)"),
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    status = SelectField(_l("Status"), validators=[DataRequired()])

    def offer(self, questionnaire: Questionnaire, language: str, dimension_id: str | None) -> None:
        """Fill the choices: the questions of `dimension_id` (of every dimension where None)."""
        questions = [("", str(_l("— the whole dimension —")))]
        for dimension in questionnaire.dimensions:
            if dimension_id is not None and dimension.id != dimension_id:
                continue
            for question in dimension.questions:
                label = (question.short or question.text).get(language)
                prefix = "" if dimension_id else f"{dimension.title.get(language)}: "
                questions.append((question.id, prefix + label))
        self.question_id.choices = questions
        self.status.choices = status_choices()


class NewActionForm(ActionFields):
    dimension_id = SelectField(
        _l("Dimension"), validators=[DataRequired(_l("Please choose a dimension."))]
    )

    def offer(self, questionnaire: Questionnaire, language: str, dimension_id: str | None) -> None:
        super().offer(questionnaire, language, None)
        self.dimension_id.choices = [
            (dimension.id, dimension.title.get(language)) for dimension in questionnaire.dimensions
        ]


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[DataRequired()])

    def offer(self) -> None:
        self.status.choices = status_choices()


class StepForm(FlaskForm):
    source_key = HiddenField(validators=[DataRequired()])

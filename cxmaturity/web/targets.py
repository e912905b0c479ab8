"""A client's targets per dimension: `/w/<slug>/clients/<id>/targets` (read, save, defaults).

The client page shows the same section (`targets_context`); this page exists so that a
form sent back with errors is shown with them, without JavaScript. Views parse, call
one service and render; who may read or change targets is decided in services/targets.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from cxmaturity import locale
from cxmaturity.services import targets
from cxmaturity.services.errors import Forbidden, InvalidInput
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.forms import TEXT, valid_period
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("targets", __name__, url_prefix="/w/<slug>/clients/<int:client_id>/targets")
NO_TARGET = ""


@dataclass(frozen=True)
class TargetsPage:
    """The targets section in the reader's language: every figure already worded."""

    data: targets.ClientTargets
    form: FlaskForm | None
    language: str
    expanded: bool = False
    """Whether the form is shown open (on the targets page itself)."""

    def problems(self) -> list[tuple[str, str]]:
        """(field id, "dimension – label: message") of each field in error, in order."""
        if self.form is None:
            return []
        found = []
        for row in self.data.rows:
            for field in (self.level_field(row), self.due_field(row)):
                if field.errors:
                    errors = " ".join(str(error) for error in field.errors)
                    text = f"{self.title(row)} – {field.label.text}: {errors}"
                    found.append((field.id, text))
        return found

    def level_name(self, level: int | None) -> str:
        if level is None or self.data.questionnaire is None:
            return _("not scored")
        name = self.data.questionnaire.level(level).name.get(self.language)
        return f"{level} · {name}"

    def date(self, day: datetime.date) -> str:
        return locale.format_date(day, self.language)

    def title(self, row: targets.TargetRow | targets.AchievedTarget) -> str:
        return row.title.get(self.language)

    def score(self, value: Fraction | None) -> str:
        return locale.format_score(value, self.language)

    def gap(self, row: targets.TargetRow) -> str:
        return targets.shown_gap(row.target.gap if row.target else None, self.language)

    def progress(self, row: targets.TargetRow) -> str:
        return targets.shown_percent(row.target.progress if row.target else None, self.language)

    def percent(self, row: targets.TargetRow) -> int | None:
        return targets.percent(row.target.progress) if row.target else None

    def level_field(self, row: targets.TargetRow) -> Field:
        assert self.form is not None
        return self.form[f"level-{row.dimension_id}"]

    def due_field(self, row: targets.TargetRow) -> Field:
        assert self.form is not None
        return self.form[f"due-{row.dimension_id}"]


def targets_context(slug: str, client_id: int) -> dict:
    """What templates/clients/targets.html needs, for the client page."""
    data = _read(slug, client_id)
    return {"targets": _page(data, _form(data, prefilled=True), expanded=False)}


@blueprint.get("")
def targets_page(slug: str, client_id: int):
    data = _read(slug, client_id)
    return render_template("clients/targets_page.html", targets=_page(data, _form(data, True)))


@blueprint.post("")
def save(slug: str, client_id: int):
    data = _read(slug, client_id)
    if not data.may_manage:
        raise Forbidden
    form = _form(data, prefilled=False)
    if form.validate_on_submit():
        try:
            changed = targets.set_targets(
                services().sessions,
                services().catalogue,
                current_actor(),
                slug,
                client_id,
                _choices(data, form),
            )
        except InvalidInput as error:
            _refused(form, error)
        else:
            flash(
                ngettext("One target has been saved.", "%(num)d targets have been saved.", changed)
                if changed
                else _("Nothing was changed."),
                "success",
            )
            return _back(slug, client_id)
    page = _page(data, form)
    return render_template("clients/targets_page.html", targets=page), 400


@blueprint.post("/defaults")
def defaults(slug: str, client_id: int):
    form = FlaskForm()
    if not form.validate_on_submit():  # the CSRF token only
        data = _read(slug, client_id)
        return render_template(
            "clients/targets_page.html", targets=_page(data, _form(data, True)), csrf_failed=True
        ), 400
    count = targets.set_default_targets(
        services().sessions, services().catalogue, current_actor(), slug, client_id
    )
    flash(
        ngettext(
            "One default target has been set.", "%(num)d default targets have been set.", count
        )
        if count
        else _("Every scored dimension has a target already."),
        "success",
    )
    return _back(slug, client_id)


def _read(slug: str, client_id: int) -> targets.ClientTargets:
    return targets.client_targets(
        services().sessions, services().catalogue, current_actor(), slug, client_id
    )


def _page(
    data: targets.ClientTargets, form: FlaskForm | None, expanded: bool = True
) -> TargetsPage:
    return TargetsPage(data=data, form=form, language=current_language(), expanded=expanded)


def _back(slug: str, client_id: int):
    return redirect(
        url_for("clients.client_page", slug=slug, client_id=client_id, _anchor="targets")
    )


def _level_choice(form, field) -> None:
    if field.data not in {NO_TARGET, "1", "2", "3", "4", "5"}:
        raise ValidationError(_l("Please choose a level from 1 to 5, or no target."))


def _due_needs_level(form, field) -> None:
    level = form[field.name.replace("due-", "level-", 1)]
    if field.data and level.data == NO_TARGET:
        raise ValidationError(_l("Please choose a target level for this due period."))


def _form(data: targets.ClientTargets, prefilled: bool) -> FlaskForm | None:
    """One level select and one due period per dimension, named by the dimension's id;
    None for a reader who may not change targets."""
    if not data.may_manage or data.questionnaire is None:
        return None
    questionnaire, language = data.questionnaire, current_language()

    class TargetsForm(FlaskForm):
        pass

    choices = [SelectChoice(NO_TARGET, _("No target"))] + [
        SelectChoice(str(level.level), f"{level.level} · {level.name.get(language)}")
        for level in questionnaire.levels
    ]
    for row in data.rows:
        field_name = f"level-{row.dimension_id}"
        select = SelectField(
            _l("Target level"),
            choices=choices,
            validate_choice=False,
            validators=[_level_choice],
            default=str(row.target.target_level) if row.target else NO_TARGET,
        )
        due = StringField(
            _l("Due (optional)"),
            description=_l("A quarter, e.g. 2027-Q2."),
            validators=[Optional(), valid_period, _due_needs_level],
            default=row.target.due_period if row.target and row.target.due_period else "",
            **TEXT,
        )
        setattr(TargetsForm, field_name, select)
        setattr(TargetsForm, f"due-{row.dimension_id}", due)
    return TargetsForm() if not prefilled else TargetsForm(formdata=None)


def _choices(
    data: targets.ClientTargets, form: FlaskForm
) -> dict[str, targets.TargetChoice | None]:
    """What was chosen per dimension; a dimension left without target and without one
    before is left out (nothing to change)."""
    chosen: dict[str, targets.TargetChoice | None] = {}
    for row in data.rows:
        level = form[f"level-{row.dimension_id}"].data
        due = form[f"due-{row.dimension_id}"].data or None
        if level == NO_TARGET:
            if row.target is not None:
                chosen[row.dimension_id] = None
            continue
        chosen[row.dimension_id] = (int(level), due)
    return chosen


def _refused(form: FlaskForm, error: InvalidInput) -> None:
    """A service's refusal beside its field (the form checked the same rules first)."""
    field = form._fields.get(error.field)
    message = (
        _("Please write the period as year and quarter, e.g. 2026-Q4.")
        if error.field.startswith("due-")
        else _("This value was refused. Please check it.")
    )
    if field is None:  # a dimension the questionnaire no longer has, or a race
        field = next(field for field in form if field.name.startswith("level-"))
    field.errors = [*field.errors, message]

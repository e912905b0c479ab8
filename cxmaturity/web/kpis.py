"""A client's CX key figures per quarter: `/w/<slug>/clients/<id>/kpis?period=2026-Q4`.

GET shows the period's form, filled with what is stored and each value computed;
POST saves the whole period through services/kpis.py, which checks every figure.
Refused figures come back on a 400 with a message beside each field and what the
user typed kept. The `kpi` and `kpi_change` template filters are the app's.
"""

from __future__ import annotations

from fractions import Fraction

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import StringField, TextAreaField

from cxmaturity import locale
from cxmaturity.domain.kpi_inputs import FIELDS, NOTE_MAX_LENGTH, FieldProblem, Kind, Problem
from cxmaturity.domain.periods import Period, PeriodRefused, is_period, quarter_of
from cxmaturity.domain.statuses import KpiName
from cxmaturity.services import kpis
from cxmaturity.services.errors import InvalidInput, NotVisible, StorageUnavailable
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.errors import storage_unavailable
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("kpis", __name__, url_prefix="/w/<slug>/clients/<int:client_id>/kpis")

LABELS = {
    ("nps", "promoters"): _l("Promoters (answers 9–10)"),
    ("nps", "passives"): _l("Passives (answers 7–8)"),
    ("nps", "detractors"): _l("Detractors (answers 0–6)"),
    ("nps", "responses"): _l("Responses in all (optional)"),
    ("ces", "agreeing"): _l("Answers 4–5 (“it was easy”)"),
    ("ces", "responses"): _l("Responses"),
    ("csat", "satisfied"): _l("Satisfied answers (4–5)"),
    ("csat", "responses"): _l("Responses"),
    ("response_time", "total_hours"): _l("Total time to first response (hours)"),
    ("response_time", "inquiries"): _l("Number of inquiries"),
    ("clv", "annual_revenue"): _l("Annual revenue per customer (€)"),
    ("clv", "years"): _l("Length of the relationship (years)"),
    ("clv", "acquisition_cost"): _l("Customer acquisition cost (€)"),
}
HINTS = {
    ("nps", "passives"): _l("Or leave it empty and give the responses in all."),
    ("nps", "responses"): _l("Instead of the passives: everyone who answered the question."),
}
PROBLEMS = {
    Problem.REQUIRED: _l("Please enter a number."),
    Problem.NOT_A_NUMBER: _l("Please enter a number, such as 12 or 12.5."),
    Problem.NOT_WHOLE: _l("Please enter a whole number."),
    Problem.NEGATIVE: _l("This cannot be negative."),
    Problem.TOO_LARGE: _l("This number is too large."),
    Problem.TOO_PRECISE: _l("Please use at most six decimals."),
    Problem.EXCEEDS_RESPONSES: _l("This cannot be more than the responses (%(responses)s)."),
    Problem.SUM_EXCEEDS_RESPONSES: _l(
        "Promoters and detractors (%(promoters)s + %(detractors)s) cannot be more than the"
        " responses (%(responses)s)."
    ),
    Problem.PASSIVES_OR_RESPONSES: _l("Please enter the passives, or the responses in all."),
    Problem.SUM_DIFFERS: _l(
        "Promoters, passives and detractors add up to %(total)s, not to the responses"
        " (%(responses)s)."
    ),
    Problem.NOTE_TOO_LONG: _l(
        "Please shorten the note to at most %(max)d characters.", max=NOTE_MAX_LENGTH
    ),
    Problem.NOTE_REFUSED: _l("The note contains a character that cannot be stored."),
    Problem.NOTE_WITHOUT_FIGURES: _l("A note needs the figures it belongs to."),
}


def _field_name(kpi: str, name: str) -> str:
    return f"{kpi}_{name}"


def _build_form() -> type[FlaskForm]:
    fields: dict[str, object] = {}
    for kpi, specs in FIELDS.items():
        for spec in specs:
            fields[_field_name(kpi.value, spec.name)] = StringField(
                LABELS[(kpi.value, spec.name)],
                description=HINTS.get((kpi.value, spec.name), ""),
                render_kw={
                    "inputmode": "numeric" if spec.kind is Kind.COUNT else "decimal",
                    "autocomplete": "off",
                    "class": "input-number",
                },
            )
        fields[_field_name(kpi.value, "note")] = TextAreaField(
            _l("Note (optional)"), render_kw={"rows": 2, "maxlength": NOTE_MAX_LENGTH}
        )
    return type("KpiForm", (FlaskForm,), fields)


KpiForm = _build_form()


@blueprint.app_template_filter("kpi")
def kpi_filter(value: Fraction | None, kpi: str) -> str:
    """A key figure rounded half up with its unit, in the request's language."""
    return locale.format_kpi(kpi, value, current_language())


@blueprint.app_template_filter("kpi_change")
def kpi_change_filter(value: Fraction | None, kpi: str) -> str:
    return locale.format_kpi_change(kpi, value, current_language())


@blueprint.route("", methods=["GET", "POST"])
def kpi_form(slug: str, client_id: int):
    sessions, actor = services().sessions, current_actor()
    shown = kpis.client_kpis(sessions, actor, slug, client_id)
    # Without a period: the current quarter, what a team most likely enters figures for.
    period = request.values.get("period") or quarter_of(services().now().date())
    try:
        period = str(Period.parse(period))
    except PeriodRefused:
        return _page(shown, period, KpiForm(), period_error=True), 400
    if request.method == "GET":
        return _page(shown, period, KpiForm(data=_stored(shown, period)))
    form = KpiForm()
    if not form.validate_on_submit():  # the CSRF token is the form's only own check
        return _page(shown, period, form, expired=True), 400
    figures, notes = _entered(form)
    try:
        kpis.save_kpis(sessions, actor, slug, client_id, period, figures, notes)
    except kpis.KpiFiguresRefused as refused:
        for name, problem in refused.problems:
            form[name.replace(".", "_")].errors = [
                *form[name.replace(".", "_")].errors,
                _message(problem),
            ]
        return _page(shown, period, form), 400
    except InvalidInput as refused:
        if refused.field != "period":
            raise  # nothing the form sends; the central handler answers 400
        return _page(shown, period, form, period_error=True), 400
    flash(_("The key figures of %(period)s have been saved.", period=period), "success")
    return redirect(url_for("kpis.kpi_form", slug=slug, client_id=client_id, period=period))


@blueprint.errorhandler(CSRFError)
def expired_form(error: CSRFError):
    """Show the form again with what was typed, instead of losing it to an expired session."""
    args = request.view_args or {}
    # An error handler must not raise: a second error would become a 500.
    try:
        shown = kpis.client_kpis(
            services().sessions, current_actor(), args["slug"], args["client_id"]
        )
    except NotVisible:
        return render_template("error.html", code=404), 404
    except StorageUnavailable as fault:
        return storage_unavailable(fault)
    period = request.values.get("period") or quarter_of(services().now().date())
    if not is_period(period):
        return render_template("error.html", code=400, message="csrf"), 400
    return _page(shown, str(Period.parse(period)), KpiForm(), expired=True), 400


def _page(
    shown: kpis.ClientKpis,
    period: str,
    form: FlaskForm,
    *,
    period_error: bool = False,
    expired: bool = False,
):
    return render_template(
        "kpis/form.html",
        kpis=shown,
        period=period,
        current=shown.period(period),
        form=form,
        fields={
            kpi.value: [_field_name(kpi.value, spec.name) for spec in FIELDS[kpi]]
            for kpi in KpiName
        },
        period_error=period_error,
        expired=expired,
    )


def _stored(shown: kpis.ClientKpis, period: str) -> dict[str, str]:
    """The stored raw figures of `period` as the form's data, in the reader's way of writing."""
    current = shown.period(period)
    data: dict[str, str] = {}
    if current is None:
        return data
    language = current_language()
    for line in current.lines:
        for name, text in line.inputs.items():
            data[_field_name(line.kpi.value, name)] = locale.format_input_number(text, language)
        data[_field_name(line.kpi.value, "note")] = line.note or ""
    return data


def _entered(form: FlaskForm) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    figures = {
        kpi.value: {
            spec.name: form[_field_name(kpi.value, spec.name)].data or "" for spec in FIELDS[kpi]
        }
        for kpi in KpiName
    }
    notes = {kpi.value: form[_field_name(kpi.value, "note")].data or "" for kpi in KpiName}
    return figures, notes


def _message(problem: FieldProblem) -> str:
    text = str(PROBLEMS[problem.problem])
    return text % dict(problem.values) if problem.values else text

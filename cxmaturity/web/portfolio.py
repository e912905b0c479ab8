"""The portfolio: `/w/<slug>/portfolio`, `portfolio.json` and `portfolio.csv` (DESIGN §7, §9).

The filter lives in the URL (a GET form); views parse nothing but the query and
hand it to services/portfolio_page.py, which checks every field. A refused field
answers 400 with the page and its form, the refusal at the field; the JSON and the
CSV answer a refusal as JSON with status 400.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from fractions import Fraction

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from cxmaturity import locale
from cxmaturity.domain.portfolio import PortfolioStatus, SortKey
from cxmaturity.domain.statuses import KpiName
from cxmaturity.exports.serializers import portfolio_json
from cxmaturity.services.errors import InvalidInput
from cxmaturity.services.portfolio_page import (
    portfolio_csv_text,
    portfolio_for_export,
    portfolio_page,
)
from cxmaturity.web.context import current_actor, services
from cxmaturity.web.forms import INDUSTRIES, SIZES
from cxmaturity.web.i18n import current_language

blueprint = Blueprint("portfolio", __name__, url_prefix="/w/<slug>")


def refusal_message(field: str) -> str:
    """A refused filter field in the reader's language."""
    messages = {
        "period": _("Please choose a quarter like 2026-Q4."),
        "questionnaire": _("Please choose a questionnaire and major version from the list."),
        "major": _("Please choose a questionnaire and major version from the list."),
        "status": _("Please choose a status from the list."),
        "kpi": _("Please choose a key figure from the list."),
        "sort": _("This column cannot be sorted by. Please use the column headings."),
        "cohort": _("Please choose a saved cohort from the list."),
        "page": _("Please choose a page of the table from the list."),
    }
    return messages.get(field, _("This filter is not known. Please use the form below."))


@blueprint.context_processor
def shown_values() -> dict:
    language = current_language()
    return {
        "score_text": lambda value: _formatted(locale.format_score, value, language),
        "change_text": lambda value: _formatted(locale.format_change, value, language),
        "percent_text": lambda share: _percent(share, language),
        "kpi_text": lambda kpi, value: locale.format_kpi(kpi, value, language),
        "band_text": lambda value: _formatted(locale.format_spread, value, language),
    }


@functools.lru_cache(maxsize=8192)
def _formatted(
    format_value: Callable[[Fraction | None, str], str], value: Fraction | None, language: str
) -> str:
    # A table of clients repeats few distinct numbers; Babel takes a tenth of a
    # millisecond for each.
    return format_value(value, language)


def _percent(share: Fraction | None, language: str) -> str:
    if share is None:
        return locale.NOT_SHOWN
    return locale.format_number(locale.round_half_up(share * 100, 0), language, 0) + " %"


@blueprint.get("/portfolio")
def page(slug: str):
    query = request.args.to_dict(flat=False)
    found = portfolio_page(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        query,
        services().now().date(),
        current_language(),
    )
    status = 400 if found.refused else 200
    return render_template(
        "portfolio/page.html",
        page=found,
        portfolio=found.portfolio,
        charts=found.charts,
        refused_field=found.field_refused,
        refusal=refusal_message(found.field_refused) if found.refused else None,
        selected=_selected(found),
        sort_url=lambda key: _sort_url(slug, found, key),
        page_url=lambda number: url_for(
            "portfolio.page", slug=slug, **{**found.query, "page": [str(number)]}
        ),
        export_url=lambda endpoint: url_for(endpoint, slug=slug, **found.query),
        industries=INDUSTRIES,
        sizes=SIZES,
        statuses=tuple(PortfolioStatus),
        kpis=tuple(KpiName),
        kpi_names=_kpi_names(),
        sort_choices=_sort_choices(found),
    ), status


@blueprint.get("/portfolio.json")
def portfolio_data(slug: str):
    """The same JSON as `cxmaturity portfolio`, keys in order (jsonify would sort them).
    Compact: indenting turns json's C encoder off, which triples the time for 1,000 clients."""
    try:
        found = _export(slug)
    except InvalidInput as refused:
        return _refusal_json(refused)
    text = json.dumps(portfolio_json(found), ensure_ascii=False, separators=(",", ":"))
    return Response(text, mimetype="application/json")


@blueprint.get("/portfolio.csv")
def portfolio_table(slug: str):
    try:
        found = _export(slug)
    except InvalidInput as refused:
        return _refusal_json(refused)
    name = f"portfolio_{found.workspace_slug}_{found.filter.period}.csv"
    return Response(
        portfolio_csv_text(found),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _export(slug: str):
    return portfolio_for_export(
        services().sessions,
        services().catalogue,
        current_actor(),
        slug,
        request.args.to_dict(flat=False),
        services().now().date(),
    )


def _refusal_json(refused: InvalidInput):
    body = {"error": {"field": refused.field, "message": refusal_message(refused.field)}}
    return Response(json.dumps(body, ensure_ascii=False), status=400, mimetype="application/json")


def _selected(found) -> dict:
    """The form's values: the filter as read where it was accepted, else the query as sent."""
    chosen = found.portfolio.filter if found.portfolio else None
    raw = {key: values[0] if values else "" for key, values in found.query.items()}
    if chosen is None:
        return {**raw, "tags": tuple(found.query.get("tag", ()))}
    return {
        "period": chosen.period,
        "questionnaire": chosen.questionnaire_id,
        "major": chosen.major,
        "industry": chosen.industry or "",
        "size": chosen.size or "",
        "tags": chosen.tags,
        "status": chosen.status.value if chosen.status else "",
        "below_target": chosen.below_target,
        "overdue": chosen.overdue_actions,
        "disagreement": chosen.disagreement,
        "kpi": chosen.kpi.value,
        "sort": chosen.sort,
        "desc": chosen.descending,
        "cohort": str(found.cohort.id) if found.cohort else "",
    }


def _sort_url(slug: str, found, key: str) -> str:
    """The page sorted by `key`: ascending first, descending when it is sorted so already."""
    query = {k: v for k, v in found.query.items() if k not in ("sort", "desc", "page")}
    if found.cohort:
        # The cohort's own fields stand in the query already; the id keeps the choice shown.
        query = {k: v for k, v in query.items() if k not in ("industry", "size", "tag")}
        query = {**query, "cohort": [str(found.cohort.id)]}
    chosen = found.portfolio.filter if found.portfolio else None
    descending = chosen is not None and chosen.sort == key and not chosen.descending
    query["sort"] = [key]
    if descending:
        query["desc"] = ["1"]
    return url_for("portfolio.page", slug=slug, **query)


def _kpi_names() -> dict[str, str]:
    # The msgids of templates/kpis/macros.html and reports/kpis.py: one catalogue entry each.
    return {
        KpiName.NPS.value: _("Net Promoter Score (NPS)"),
        KpiName.CES.value: _("Customer Effort Score (CES)"),
        KpiName.CSAT.value: _("Customer satisfaction (CSAT)"),
        KpiName.RESPONSE_TIME.value: _("Average response time"),
        KpiName.CLV.value: _("Customer lifetime value (CLV)"),
    }


def _sort_choices(found) -> list[tuple[str, str]]:
    labels = {
        SortKey.NAME: _("Client"),
        SortKey.OVERALL: _("Overall score"),
        SortKey.CHANGE: _("Change from last period"),
        SortKey.PARTICIPATION: _("Participation"),
        SortKey.TARGET: _("Progress to target"),
        SortKey.NPS: "NPS",
        SortKey.CSAT: "CSAT",
    }
    choices = [(key.value, labels[key]) for key in SortKey]
    return choices + list(found.dimension_titles.items())

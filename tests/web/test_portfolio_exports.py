"""`portfolio.json` and `portfolio.csv`: the page's filter, the shapes a script reads, and a CSV
that a spreadsheet opens without running a client's name as a formula."""

import csv
import io

import pytest
from portfolio_world import FORMULA_NAME, build
from web_helpers import log_in

from cxmaturity.web.context import services_of


@pytest.fixture
def world(app, sessions):
    return build(sessions, services_of(app).catalogue)


@pytest.fixture
def consultant(client, world):
    assert log_in(client, world.emails["consultant"]).status_code == 302
    return client


def test_the_json_has_every_client_the_band_with_n_and_the_movers(consultant, world):
    response = consultant.get("/w/nord/portfolio.json?period=2026-Q4")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["period"] == "2026-Q4"
    assert data["questionnaire"] == {
        "id": "cx-maturity",
        "major": "1",
        "version": "1.1",
    }  # the newest 1.x names the columns
    assert len(data["clients"]) == 7 and len(data["dimensions"]) == 8
    alpha = next(c for c in data["clients"] if c["name"] == "Alpha AG")
    assert alpha["id"] == world.ids["Alpha AG"] and alpha["status"] == "assessed"
    assert alpha["overall"] == {
        "score": 2.0,
        "level": 2,
        "change": 1.0,
        "comparability": "same",
        "capped": False,
    }
    assert alpha["dimensions"][0]["id"] == "strategy" and alpha["dimensions"][0]["level"] == 2
    assert alpha["participation"] == {"invited": 1, "submitted": 1, "rate": 1.0}
    omega = next(c for c in data["clients"] if c["name"] == "Omega AG")
    assert omega["status"] == "not_assessed" and omega["last_period"] == "2026-Q3"
    assert omega["overall"]["score"] is None
    band = data["cohort"]
    assert band["n"] == 6 and band["suppressed"] is False
    assert band["overall"]["median"] is not None
    assert [m["name"] for m in data["movers"]["top"]] and data["movers"]["bottom"] == []
    assert sum(data["levels"]["strategy"].values()) == 6


def test_a_small_cohort_is_suppressed_and_carries_no_number(consultant):
    data = consultant.get("/w/nord/portfolio.json?industry=finance").get_json()
    band = data["cohort"]
    assert band["n"] == 1 and band["suppressed"] is True
    numbers = ("lower_quartile", "median", "upper_quartile")
    assert all(band["overall"][key] is None for key in numbers)
    assert all(d[key] is None for d in band["dimensions"] for key in numbers)


def test_a_refused_filter_answers_json_400(consultant):
    for url in ("/w/nord/portfolio.json?status=happy", "/w/nord/portfolio.csv?sort=shoe"):
        response = consultant.get(url)
        assert response.status_code == 400 and response.mimetype == "application/json"
        assert response.get_json()["error"]["field"] in ("status", "sort")


def test_the_csv_is_utf8_with_bom_rfc4180_and_formula_safe(consultant):
    response = consultant.get("/w/nord/portfolio.csv?sort=overall&desc=1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 7
    formula = next(row for row in rows if row["client"].lstrip("'") == FORMULA_NAME)
    assert formula["client"] == "'" + FORMULA_NAME
    assert all(not row["client"].startswith(("=", "+", "-", "@")) for row in rows)
    # Displayed values (§4.8): scores rounded down to one decimal, with a decimal point.
    alpha = next(row for row in rows if row["client"] == "Alpha AG")
    assert alpha["overall_score"] == "2.0" and alpha["overall_change"] == "1.0"
    assert alpha["overall_level"] == "2" and alpha["strategy_level"] == "2"
    assert alpha["participation_percent"] == "100"
    omega = next(row for row in rows if row["client"] == "Omega AG")
    assert omega["status"] == "not_assessed" and omega["overall_score"] == ""
    # Sorted as asked: the best first, the one not assessed last.
    assert rows[-1]["client"] == "Omega AG"


def test_the_csv_follows_the_pages_filter(consultant):
    text = consultant.get("/w/nord/portfolio.csv?tag=pilot").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(row["client"] for row in rows) == ["Alpha AG", "Beta GmbH"]

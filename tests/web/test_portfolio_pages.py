"""The portfolio page `/w/<slug>/portfolio` as a consultant uses it: filters in the URL,
sorting by any column, refused values at their field, German, and where it is linked."""

import re

import pytest
from portfolio_world import FORMULA_NAME, build
from web_helpers import log_in

from cxmaturity.web.context import services_of

PAGE = "/w/nord/portfolio"


@pytest.fixture
def catalogue(app):
    return services_of(app).catalogue


@pytest.fixture
def world(sessions, catalogue):
    return build(sessions, catalogue)


@pytest.fixture
def consultant(client, world):
    assert log_in(client, world.emails["consultant"]).status_code == 302
    client.get("/language/en")
    return client


def rows_of(page: str) -> list[str]:
    """The client names of the table's rows, in order."""
    table = page.split('class="portfolio-table"', 1)[1]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row" class="sticky"><a [^>]*><bdi>([^<]*)</bdi>', body)


def test_one_row_per_client_with_levels_changes_band_and_movers(consultant):
    response = consultant.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Portfolio · 2026-Q4" in page
    # By name (the formula's "=" sorts first), the one not assessed too.
    assert rows_of(page) == [
        "=HYPERLINK(&#34;http://x?&#34;&amp;A1)",
        "Alpha AG",
        "Beta GmbH",
        "Delta KG",
        "Epsilon SE",
        "Omega AG",
        "Zeta AG",
    ]
    # Alpha: level 2 now, one level more than last quarter; read out, not colour alone.
    assert "Level 2</span> 2.0" in page and "↑</span>+1.0" in page
    # The client without a Q4 assessment is greyed with its last period.
    assert "not assessed in 2026-Q4" in page and "last assessed in 2026-Q3" in page
    # Six clients assessed: the band is published; movers are the three biggest risers.
    assert "6 clients: median" in page
    assert "Top movers" in page and "No client fell since last period." in page


def test_filters_live_in_the_url_and_an_industry_nobody_has_matches_no_client(consultant):
    page = consultant.get(PAGE + "?industry=finance").get_data(as_text=True)
    assert sorted(rows_of(page)) == ["Delta KG", "Omega AG"]
    assert '<option value="finance" selected>' in page
    # One finance client assessed: fewer than five, no figure.
    assert "fewer than 5 comparable clients" in page
    nobody = consultant.get(PAGE + "?industry=energy")
    assert nobody.status_code == 200
    assert "No client matches this filter." in nobody.get_data(as_text=True)
    # An industry the form does not offer, typed into the address, stays shown as chosen.
    shipping = consultant.get(PAGE + "?industry=shipping").get_data(as_text=True)
    assert '<option value="shipping" selected>shipping</option>' in shipping
    assert "No client matches this filter." in shipping
    tagged = consultant.get(PAGE + "?tag=pilot").get_data(as_text=True)
    assert sorted(rows_of(tagged)) == ["Alpha AG", "Beta GmbH"]
    assert re.search(r'value="pilot" checked', tagged)


def test_every_column_sorts_by_a_link_that_sets_sort_and_desc(consultant):
    page = consultant.get(PAGE + "?sort=overall&desc=1").get_data(as_text=True)
    names = rows_of(page)
    # Level 4 clients (Delta, Zeta… n % 4 == 3 → level 5) first; not assessed last.
    assert names[-1] == "Omega AG"
    assert names[0] == "Delta KG"
    assert 'aria-sort="descending"' in page
    # The heading of the sorted column turns the order round; the others sort ascending.
    assert "sort=overall" in page and re.search(r'href="[^"]*sort=strategy[^"]*"', page)
    ascending = consultant.get(PAGE + "?sort=strategy").get_data(as_text=True)
    assert rows_of(ascending)[0] == "Alpha AG"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("status=happy", "status", "Please choose a status from the list."),
        ("period=2026-Q5", "period", "Please choose a quarter like 2026-Q4."),
        ("sort=shoe_size", "sort", "This column cannot be sorted by."),
        ("kpi=revenue", "kpi", "Please choose a key figure from the list."),
    ],
)
def test_a_refused_filter_value_is_named_at_its_field_and_the_form_stays(
    consultant, query, field, message
):
    response = consultant.get(f"{PAGE}?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<p class="field-error" id="error-{field}">' in page and message in page
    assert f'aria-describedby="error-{field}"' in page
    assert '<form method="get"' in page and "<tbody>" not in page


def test_an_unknown_filter_is_refused_above_the_form(consultant):
    response = consultant.get(PAGE + "?colour=red")
    assert response.status_code == 400
    assert "This filter is not known." in response.get_data(as_text=True)


def test_the_page_in_german(client, world):
    log_in(client, world.emails["consultant"])
    client.get("/language/de")
    page = client.get(PAGE + "?status=happy").get_data(as_text=True)
    assert "Bitte wählen Sie einen Status aus der Liste." in page
    page = client.get(PAGE).get_data(as_text=True)
    assert "in 2026-Q4 nicht erhoben" in page and "Stufe 2</span> 2,0" in page


def test_the_table_scrolls_in_its_own_container_with_the_client_column_sticky(consultant):
    page = consultant.get(PAGE).get_data(as_text=True)
    assert 'class="table-scroll portfolio-scroll" role="region"' in page
    assert '<th scope="row" class="sticky">' in page
    assert "<script" not in page.split("<main", 1)[1]


def test_consultancies_link_the_portfolio_and_team_workspaces_have_none(client, world):
    log_in(client, world.emails["consultant"])
    assert 'href="/w/nord/portfolio"' in client.get("/w/nord/").get_data(as_text=True)
    team = client.application.test_client()
    log_in(team, world.emails["team_owner"])
    assert "/portfolio" not in team.get("/w/team/").get_data(as_text=True)
    for url in ("/w/team/portfolio", "/w/team/portfolio.json", "/w/team/portfolio.csv"):
        assert team.get(url).status_code == 404


def test_a_client_named_like_a_formula_is_shown_as_text(consultant):
    page = consultant.get(PAGE).get_data(as_text=True)
    assert "=HYPERLINK(&#34;http://x?&#34;&amp;A1)" in page
    assert FORMULA_NAME not in page


def test_a_cohort_that_is_no_number_is_refused_at_its_field_and_an_unknown_one_is_404(consultant):
    response = consultant.get(PAGE + "?cohort=abc")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="error-cohort"' in page and "Please choose a saved cohort from the list." in page
    assert consultant.get(PAGE + "?cohort=999").status_code == 404

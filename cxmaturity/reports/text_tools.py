"""Small text helpers of the report: clean user text, and keep pieces on one line."""

from __future__ import annotations

import unicodedata

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"
WORD_JOINER = "\N{WORD JOINER}"
# Line breaks are allowed after these; a joiner after each forbids them.
BREAKABLE_MARKS = ("/", "–", "-")


def clean(text: str) -> str:
    """NFC text without control characters, which a PDF could not show anyway."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def keep_together(text: str) -> str:
    """The same text, never broken across lines: "Ø 2,0", "3 n/a", "1–4"."""
    text = text.replace(" ", NO_BREAK_SPACE)
    for mark in BREAKABLE_MARKS:
        text = text.replace(mark, mark + WORD_JOINER)
    return text


def no_widow(text: str) -> str:
    """The text with its last two words joined, so the last line never holds one word."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}{NO_BREAK_SPACE}{last}" if space else text

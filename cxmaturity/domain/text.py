"""The input rule for text people type: what is stored, and what is refused.

Services call `clean_text` on every text they store, and the web forms call
the same rule, so text from a form, the API or an import obeys one rule:

- Unicode NFC (so "ü" is always one character) and no surrounding spaces;
- no control characters (NUL above all, which PostgreSQL cannot store); a
  multi-line text may hold line breaks and tabs, a single-line one may not
  (nor U+2028/U+2029, the Unicode line and paragraph separators);
- no bidirectional embedding, override or isolate controls (U+202A–U+202E,
  U+2066–U+2069): one of them reverses or reorders the rest of its line
  wherever the text is shown, and a person typing never needs them, because
  the pages and the PDF isolate each user text themselves. The marks U+200E,
  U+200F and U+061C (left-to-right, right-to-left, Arabic letter mark) are
  allowed: they reorder no letters, and right-to-left names may need them.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Any

LINE_BREAKS = "\n\r"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls but tab and line breaks, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SINGLE_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


class Refusal(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    LINE_BREAK = "line_break"
    CONTROL = "control"
    BIDI = "bidi"


class TextRefused(ValueError):
    """Text that breaks the input rule; `reason` says which part."""

    def __init__(self, reason: Refusal, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def normalize(text: str) -> str:
    """Trimmed and in NFC; refuses nothing."""
    return unicodedata.normalize("NFC", text.strip())


def clean_text(
    text: str,
    *,
    multiline: bool = False,
    required: bool = False,
    max_length: int | None = None,
) -> str:
    """`text` as it is stored (see the module's rule); raises TextRefused otherwise.

    `required` refuses text that is empty once trimmed (e.g. only spaces);
    `max_length` counts characters after normalizing.
    """
    cleaned = normalize(text)
    if required and not cleaned:
        raise TextRefused(Refusal.EMPTY, "must not be empty")
    if max_length is not None and len(cleaned) > max_length:
        raise TextRefused(Refusal.TOO_LONG, f"is longer than {max_length} characters")
    if not multiline and _SINGLE_LINE_BREAKS.search(cleaned):
        raise TextRefused(Refusal.LINE_BREAK, "must be on one line")
    found = _CONTROLS.search(cleaned)
    if found:
        raise TextRefused(Refusal.CONTROL, f"contains the control character U+{ord(found[0]):04X}")
    found = _BIDI.search(cleaned)
    if found:
        raise TextRefused(
            Refusal.BIDI, f"contains the text-direction control U+{ord(found[0]):04X}"
        )
    return cleaned


def clean_optional_text(text: str | None, **rules: Any) -> str | None:
    """Like `clean_text`, with None and empty text both stored as None."""
    if text is None:
        return None
    return clean_text(text, **rules) or None

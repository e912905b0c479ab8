"""The list of dimensions at the foot of a dimension page, from parts rendered once.

Each entry's markup depends only on the questionnaire, the page and the language, and
the "(n open)" note only on the number and the language, so both are rendered once per
process (from templates/jump_list.html) instead of on every request. Both are markup
already: they are joined as text.
"""

from __future__ import annotations

from flask import get_template_attribute
from markupsafe import Markup

from cxmaturity.domain.questionnaire import Questionnaire

# Keyed by the questionnaire's identity, kept alive with its entry (as in dimension_page).
_ITEMS: dict[tuple[int, int, str], tuple[Questionnaire, tuple[Markup, ...]]] = {}
_OPEN_NOTES: dict[tuple[int, str], Markup] = {}


def jump_list(
    questionnaire: Questionnaire, number: int, language: str, open_counts: dict[int, int]
) -> Markup:
    """The list's entries: per dimension its entry and its "(n open)" note (an empty one
    when none is open), joined here rather than in a loop of the template.

    Call inside a request in `language`.
    """
    items = _items(questionnaire, number, language)
    return Markup(
        "".join(
            f"{item}{_open_note(open_counts.get(index, 0), language)}</li>\n    "
            for index, item in enumerate(items, start=1)
        )
    )


def _items(questionnaire: Questionnaire, number: int, language: str) -> tuple[Markup, ...]:
    key = (id(questionnaire), number, language)
    cached = _ITEMS.get(key)
    if cached is not None and cached[0] is questionnaire:
        return cached[1]
    item = get_template_attribute("jump_list.html", "item")
    items = tuple(
        item(index, dimension.title.get(language), index == number)
        for index, dimension in enumerate(questionnaire.dimensions, start=1)
    )
    _ITEMS[key] = (questionnaire, items)
    return items


def _open_note(count: int, language: str) -> Markup:
    note = _OPEN_NOTES.get((count, language))
    if note is None:
        note = _OPEN_NOTES[(count, language)] = get_template_attribute(
            "jump_list.html", "open_count"
        )(count)
    return note

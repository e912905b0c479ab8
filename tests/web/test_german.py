"""What a German-speaking executive sees: the interface in German, complete and consistent."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from web_helpers import csrf_token, start_assessment

GERMAN = {"Accept-Language": "de"}
CATALOGUE = (
    Path(__file__).resolve().parents[2] / "cxmaturity/translations/de/LC_MESSAGES/messages.po"
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def page_text(response) -> str:
    return response.get_data(as_text=True)


def german_catalogue():
    with CATALOGUE.open("rb") as file:
        return read_po(file, locale="de")


def test_german_start_page_speaks_german(client):
    page = page_text(client.get("/", headers=GERMAN))
    assert '<html lang="de">' in page
    for text in (
        "Die fünf Reifegrade",
        "Analyse starten",
        "Name des Unternehmens",
        "Unternehmensgröße",
        "Branche",
        "Zeitraum",
        "Sprache der Analyse",
        "Ihr Name oder Ihre Funktion (optional)",
        "1.000–4.999 Beschäftigte",
        "— bitte wählen —",
        "42 Fragen",  # cx-maturity 1.1, which new assessments use
        "Zum Inhalt springen",
    ):
        assert text in page, text
    for english in ("Company name", "Start the assessment", "employees", "Skip to content"):
        assert english not in page, english


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organization", "", "Bitte geben Sie den Namen des Unternehmens ein."),
        ("period", "", "Bitte geben Sie den Zeitraum ein."),
        (
            "period",
            "Q4/2026",
            "Bitte geben Sie den Zeitraum als Jahr und Quartal an, z.\u00a0B. 2026-Q4.",
        ),
    ],
)
def test_german_start_form_explains_mistakes_in_german(client, field, value, message):
    page = page_text(client.get("/", headers=GERMAN))
    form = {
        "csrf_token": csrf_token(page),
        "organization": "Müller & Söhne GmbH",
        "period": "2026-Q4",
        "language": "de",
        field: value,
    }
    response = client.post("/start", data=form, headers=GERMAN)
    assert response.status_code == 400
    assert message in page_text(response)
    assert "Please" not in page_text(response)


def test_german_404_page(client):
    response = client.get("/no-such-page", headers=GERMAN)
    assert response.status_code == 404
    page = page_text(response)
    assert "Seite nicht gefunden" in page
    assert "der persönliche Link ist nicht mehr gültig" in page
    assert "Zur Startseite" in page
    assert "Page not found" not in page


def test_german_dimension_page_after_starting_in_german(client):
    client.get("/language/de?next=/")  # the user picked Deutsch in the header
    token = start_assessment(client, language="de")
    page = page_text(client.get(f"/r/{token}/d/1"))
    assert '<html lang="de">' in page
    for text in (
        "Dimension 1 von 8",
        "Speichern und weiter",
        "Kommentar (optional)",
        "Ihr persönlicher Link, um später fortzufahren",
        "Ihre Analyse hat begonnen.",
    ):
        assert text in page, text


def test_german_catalogue_translates_every_message():
    catalogue = german_catalogue()
    assert str(catalogue.locale) == "de"
    assert catalogue.num_plurals == 2
    assert not catalogue.fuzzy
    untranslated = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if message.pluralizable else (message.string,)
        if len(strings) != (2 if message.pluralizable else 1) or not all(strings):
            untranslated.append(message.id)
        assert "fuzzy" not in message.flags, message.id
    assert not untranslated, untranslated


def test_german_catalogue_keeps_every_placeholder():
    for message in german_catalogue():
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        expected = set(PLACEHOLDER.findall(" ".join(ids)))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, message.id


def test_choosing_german_on_the_english_start_page_greets_in_german(client):
    token = start_assessment(client, language="de")
    page = client.get(f"/r/{token}/d/1", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="de">' in page
    assert "Ihre Analyse hat begonnen" in page

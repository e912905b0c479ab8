"""The PDF report as a board member reads it: its text, its pages, its pixels.

The German and the English report of three respondents with one strong disagreement
(tests/report_fixtures.py) are rendered once per module and read with pypdf.
"""

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_fixtures import (
    DAY,
    DISPUTED,
    ORGANIZATION,
    outcome_with_disagreement,
    pages_lines,
    pages_text,
)

from cxmaturity.domain.outcome import Comment
from cxmaturity.reports import pdf as report_pdf
from cxmaturity.reports.comments import COMMENT_LIMIT
from cxmaturity.reports.pdf import render_report

HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hostname"> '
    "Ba$$in_x GmbH"
)
DEV_ZERO = '<img src="file:///dev/zero"> file:///dev/zero'


@pytest.fixture(scope="module")
def german():
    outcome = outcome_with_disagreement()
    return outcome, render_report(outcome, "de", DAY)


@pytest.fixture(scope="module")
def english():
    outcome = outcome_with_disagreement()
    return outcome, render_report(outcome, "en", DAY)


def page_with(pdf: bytes, heading: str) -> str:
    """The first page after the cover and the contents that holds `heading`."""
    return next(page for page in pages_text(pdf)[2:] if heading in page)


def first_step(outcome, dimension_id, language) -> str:
    dimension = outcome.questionnaire.dimension(dimension_id)
    level = outcome.result.dimension(dimension_id).level
    return " ".join(dimension.recommendations[level][0].get(language).split())


def test_the_german_summary_is_written_about_this_company(german):
    outcome, pdf = german
    summary = page_with(pdf, "Management Summary")
    assert (
        "Müller & Söhne Maschinenbau GmbH erreicht insgesamt Stufe 2 (Entwicklung): "
        "Der Gesamtwert von 3,2 entspräche Stufe 3, doch weil Messung & KPIs nur Stufe 1 "
        "erreicht, begrenzt die Regel des schwächsten Glieds den Gesamtreifegrad auf Stufe 2."
    ) in summary
    assert "Am weitesten ist das Unternehmen bei Kundenverständnis (4,3)" in summary
    assert "den größten Nachholbedarf hat es bei Messung & KPIs (1,3)" in summary
    assert (
        "Uneinig sind sich die Teilnehmenden bei Personalisierung & Datenschutz: "
        "Ihre Werte liegen 3,0 Punkte auseinander"
    ) in summary
    assert (
        "Die Geschäftsleitung ist gebeten, Messung & KPIs, Personalisierung & Datenschutz und "
        "Strategie & Führung als Prioritäten für das nächste Quartal zu bestätigen"
    ) in summary
    # Not the questionnaire's generic description of the level.
    level = outcome.questionnaire.level(outcome.result.overall_level)
    assert " ".join(level.description.get("de").split()) not in summary


def test_the_summary_and_its_priorities_fit_on_one_page(german):
    outcome, pdf = german
    summary = page_with(pdf, "Management Summary")
    for rank, dimension_id in enumerate(outcome.result.priorities, start=1):
        title = outcome.questionnaire.dimension(dimension_id).title.get("de")
        assert f"{rank} " in summary and title in summary
    assert "Erster Schritt: Gemeinsamen Stand klären" in summary  # the disputed priority
    assert "Erster Schritt: " + first_step(outcome, "measurement", "de") in summary


def test_the_disputed_priority_starts_in_the_roadmap_by_agreeing_where_we_stand(german):
    outcome, pdf = german
    roadmap = page_with(pdf, "Fahrplan für das nächste Quartal")
    section = roadmap.split("Personalisierung & Datenschutz", 1)[1]
    agree = section.index("Gemeinsamen Stand klären: Die Werte der Teilnehmenden liegen 3,0")
    level_step = section.index(first_step(outcome, DISPUTED, "de")[:40])
    assert agree < level_step
    undisputed = roadmap.split("Messung & KPIs", 1)[1].split("Personalisierung")[0]
    assert "Gemeinsamen Stand" not in undisputed


@pytest.mark.requires("pdftoppm")
def test_the_radar_shows_the_disagreement_as_a_band(german, tmp_path):
    _, pdf = german
    number = next(n for n, page in enumerate(pages_text(pdf), 1) if "Reifegradprofil" in page[:40])
    assert "Spanne der Teilnehmenden" in pages_text(pdf)[number - 1]
    pixels = rendered_page(pdf, number, tmp_path)
    # The band and its whiskers are orange: reddish pixels where nothing else is reddish.
    orange = sum(1 for r, g, b in pixels if r > 180 and 100 < g < 190 and b < 120)
    assert orange > 300


def rendered_page(pdf: bytes, number: int, tmp_path: Path) -> list[tuple[int, int, int]]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "70", "-f", str(number), "-l", str(number), path, tmp_path / "p"],
        check=True,
    )
    data = next(tmp_path.glob("p*.ppm")).read_bytes()
    magic, _, _, maximum, raw = data.split(maxsplit=4)
    assert magic == b"P6" and maximum == b"255"
    return [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]


def test_participants_and_questions_answered_are_on_the_cover(german):
    _, pdf = german
    cover = pages_text(pdf)[0]
    assert "Dr. Jürgen Weiß · Geschäftsleitung · 35 von 40 Fragen beantwortet" in cover
    assert "Anna Schäfer · Führungskraft · 35 von 40 Fragen beantwortet" in cover
    assert "Özlem Yılmaz · 35 von 40 Fragen beantwortet" in cover


def test_scores_are_rounded_down_and_weights_printed_exactly(german):
    outcome, pdf = german
    text = " ".join(pages_text(pdf))
    # Overall 3.21875: rounded down 3,2 (half up would agree here; 2.33 shows 2,3).
    assert "Wert 3,2 von 5,0" in text
    method = page_with(pdf, "Methodik")
    assert "Ab 1,8" in method.replace("ab 1,8", "Ab 1,8")
    for dimension in outcome.questionnaire.dimensions:
        weight = str(dimension.weight).replace(".", ",")
        shown = weight if "/" not in weight else None
        assert shown is None or f"{dimension.title.get('de')} {shown}" in method


def test_figures_and_n_a_never_break_across_lines(german, english):
    for _, pdf in (german, english):
        for lines in pages_lines(pdf):
            for line, following in zip(lines, [*lines[1:], ""], strict=True):
                assert not (line.endswith("Ø") and following[:1].isdigit()), line
                assert not (line.endswith("n/") or following.startswith("/a")), line
                assert not (line.endswith("k.") and following.startswith("A.")), line


def test_the_summary_never_ends_with_a_single_word_on_its_line(german, english):
    for _, pdf in (german, english):
        lines = pages_lines(pdf)[2]
        last = next(line for line in lines if line.endswith(("benennen.", "for\xa0each.")))
        # The last two words are joined by a no-break space: never one word alone.
        assert len(last.split()) >= 2


def test_german_phrasing_is_natural(german):
    _, pdf = german
    text = " ".join(pages_text(pdf))
    for stilted in ("minus den niedrigsten", "gilt als uneinig", "mit Antworten", "Teilnehmer "):
        assert stilted not in text
    assert "Werte von 3 Teilnehmenden" in text


def test_every_respondents_comment_is_printed_under_their_name(german):
    _, pdf = german
    comments = " ".join(pages_text(pdf)).split("Kommentare der Teilnehmenden", 2)[2]
    assert "Größte Lücke: Budget für das Kundenerlebnis. — Anna Schäfer" in comments
    assert "Die Ziele stehen, aber niemand misst sie. — Dr. Jürgen Weiß" in comments


def test_the_english_report_reads_in_english(english):
    outcome, pdf = english
    text = " ".join(pages_text(pdf))
    assert ORGANIZATION in text and "2026-Q4" in text and "November 12, 2026" in text
    assert "the weakest-link rule caps the overall level at 2" in text
    assert "The respondents disagree on Personalization & privacy" in text
    assert "Agree on where we stand" in text and "Range of the respondents" in text
    for dimension_id in outcome.result.priorities:
        assert first_step(outcome, dimension_id, "en") in text
    assert "not scored" in text


def test_every_page_after_the_cover_is_numbered_and_the_report_stays_short(english):
    pages = pages_text(english[1])
    assert 8 <= len(pages) <= 12
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page


def test_contents_give_the_page_of_each_dimension(english):
    outcome, pdf = english
    pages = pages_text(pdf)
    for number, dimension in enumerate(outcome.questionnaire.dimensions, start=1):
        title = dimension.title.get("en")
        shown = pages[1].split(f"{number}. {title}")[1].split()[0]
        assert f"{dimension.questions[0].short.get('en')} " in pages[int(shown) - 1]
        assert f"{number}. {title}" in pages[int(shown) - 1]


def test_the_pdf_is_tagged_for_screen_readers(german):
    _, pdf = german
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "de"


def test_hostile_text_is_printed_literally_and_nothing_local_is_embedded():
    chosen_question = "strategy-1"
    outcome = outcome_with_disagreement(
        organization=HOSTILE, comments=(Comment(DEV_ZERO, chosen_question, DEV_ZERO),)
    )
    started = time.monotonic()
    pdf = render_report(outcome, "en", DAY)
    assert time.monotonic() - started < report_pdf.RENDER_TIMEOUT
    text = " ".join(pages_text(pdf))
    assert HOSTILE in text and DEV_ZERO in text
    assert not PdfReader(io.BytesIO(pdf)).attachments
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf


def test_a_report_with_very_long_comments_still_renders_with_a_note():
    outcome = outcome_with_disagreement()
    questions = list(outcome.questionnaire.questions)
    flood = tuple(
        Comment(person.name, question, "Sehr lang. " * 500)
        for person in outcome.respondents
        for question in questions
    )  # 120 comments of 5,500 characters: 660,000 characters
    started = time.monotonic()
    pdf = render_report(outcome_with_disagreement(comments=flood), "de", DAY)
    assert time.monotonic() - started < report_pdf.RENDER_TIMEOUT
    text = " ".join(pages_text(pdf))
    assert f"gekürzt: {COMMENT_LIMIT - 10:,}".replace(",", ".")[:12] in text
    assert "weitere Kommentare sind nicht abgedruckt" in text
    assert len(pages_text(pdf)) < 30


def test_cli_report_carries_comments_and_the_change_since_the_previous_period(tmp_path):
    outcome = outcome_with_disagreement()

    def document(people, period):
        return {
            "questionnaire": "cx-maturity",
            "organization": ORGANIZATION,
            "period": period,
            "respondents": [
                {
                    "name": person.name,
                    **({"group": person.group} if person.group else {}),
                    "answers": dict(person.answers),
                    "comments": {
                        c.question_id: c.text
                        for c in outcome.comments
                        if c.respondent == person.name
                    },
                }
                for person in people
            ],
        }

    current, previous = tmp_path / "now.json", tmp_path / "before.json"
    current.write_text(json.dumps(document(outcome.respondents, "2026-Q4")), encoding="utf-8")
    previous.write_text(json.dumps(document(outcome.respondents[:2], "2026-Q3")), "utf-8")
    output = tmp_path / "report.pdf"
    result = run_cli("report", current, "-o", output, "--previous", previous, "--lang", "de")
    assert result.returncode == 0, result.stderr
    text = " ".join(pages_text(output.read_bytes()))
    assert "Veränderung seit 2026-Q3" in text
    assert "Die Ziele stehen, aber niemand misst sie. — Dr. Jürgen Weiß" in text
    assert "Dr. Jürgen Weiß · Geschäftsleitung" in text


def test_cli_refuses_a_previous_period_that_is_not_earlier(tmp_path):
    document = {"questionnaire": "cx-maturity", "period": "2026-Q4", "respondents": []}
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("report", answers, "-o", tmp_path / "r.pdf", "--previous", answers)
    assert result.returncode == 2
    assert "is not before 2026-Q4" in result.stderr and len(result.stderr.splitlines()) == 1


def test_cli_refuses_an_unwritable_output_with_one_line(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"questionnaire": "cx-maturity", "respondents": []}', encoding="utf-8")
    result = run_cli("report", answers, "-o", tmp_path / "missing" / "r.pdf")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "cannot be written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )

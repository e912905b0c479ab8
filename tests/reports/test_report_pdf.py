"""The PDF report as a reader sees it: its text, its pages, its pixels, and what it refuses.

Renders are slow (about a second each), so each report is rendered once per module.
"""

import datetime
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import CX_MATURITY_FILE, make_questionnaire
from pypdf import PdfReader

from cxmaturity.config import STATIC_DIR
from cxmaturity.domain.answers import parse_answers_document
from cxmaturity.domain.loader import Catalogue, load_questionnaire
from cxmaturity.domain.scoring import RespondentAnswers, score_assessment
from cxmaturity.reports import cache as report_cache
from cxmaturity.reports import pdf as report_pdf
from cxmaturity.reports import worker
from cxmaturity.reports.fetcher import RefusedResource, StaticFilesOnly
from cxmaturity.reports.model import Comment, ReportInput, report_input_from_answers
from cxmaturity.reports.pdf import ReportCache, ReportRenderError, render_report
from cxmaturity.reports.view import build_view
from cxmaturity.reports.worker import RenderProcess

ORGANIZATION = "Müller & Söhne Maschinenbau GmbH"
HOSTILE = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/hostname"> '
    "Ba$$in_x GmbH"
)
DEV_ZERO = '<img src="file:///dev/zero"> file:///dev/zero'
TODAY = datetime.date(2026, 11, 12)
# Dimension levels for the three respondents; None leaves a dimension unanswered.
PLAN = (4, 4, 4, 1, 4, 3, 4, None)


def questionnaire():
    return (
        load_questionnaire(CX_MATURITY_FILE) if CX_MATURITY_FILE.exists() else make_questionnaire()
    )


def respondents(chosen):
    people = []
    for name, shift in (("Dr. Jürgen Weiß", 0), ("Anna Schäfer", 1), ("Özlem Yılmaz", -1)):
        answers = {}
        for dimension, level in zip(chosen.dimensions, PLAN, strict=False):
            for question in dimension.questions:
                answers[question.id] = None if level is None else max(1, min(5, level + shift))
        people.append(RespondentAnswers(name, answers))
    return tuple(people)


def report_input(organization=ORGANIZATION, comments=None):
    chosen = questionnaire()
    people = respondents(chosen)
    first_question = next(iter(chosen.questions))
    previous = score_assessment(chosen, people[:1])
    return ReportInput(
        questionnaire=chosen,
        organization=organization,
        period="2026-Q4",
        result=score_assessment(chosen, people),
        respondents=people,
        generated_on=TODAY,
        comments=comments
        or (Comment("Anna Schäfer", first_question, "Größte Lücke: Budget für Kundenerlebnis."),),
        previous=previous,
        previous_period="2026-Q3",
    )


def pages_text(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def english():
    report = report_input()
    return report, render_report(report, "en")


@pytest.fixture(scope="module")
def german():
    report = report_input()
    return report, render_report(report, "de")


@pytest.fixture(scope="module")
def hostile():
    report = report_input(
        organization=HOSTILE,
        comments=(Comment(DEV_ZERO, next(iter(questionnaire().questions)), DEV_ZERO),),
    )
    started = time.monotonic()
    pdf = render_report(report, "en")
    return pdf, time.monotonic() - started


def test_english_report_shows_organization_period_level_dimensions_and_first_steps(english):
    report, pdf = english
    text = " ".join(pages_text(pdf))
    chosen = report.questionnaire
    assert ORGANIZATION in text and "2026-Q4" in text and "12 November 2026" in text
    overall = chosen.level(report.result.overall_level)
    assert f"Level {overall.level} of 5" in text and overall.name.get("en") in text
    for dimension in chosen.dimensions:
        assert dimension.title.get("en") in text
    for priority in report.result.priorities:
        dimension = chosen.dimension(priority)
        level = report.result.dimension(priority).level
        first_step = " ".join(dimension.recommendations[level][0].get("en").split())
        assert first_step in text
    assert "not scored" in text


def test_every_page_after_the_cover_is_numbered_and_the_report_stays_short(english):
    pages = pages_text(english[1])
    # A board reads a dozen pages; the dimensions share pages, two or three to a page.
    assert 9 <= len(pages) <= 12
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page


def test_contents_give_the_page_of_each_dimension(english):
    report, pdf = english
    pages = pages_text(pdf)
    for number, dimension in enumerate(report.questionnaire.dimensions, start=1):
        title = dimension.title.get("en")
        shown = pages[1].split(f"{number}. {title}")[1].split()[0]
        # The answers line appears in the dimension's own section and nowhere else.
        assert f"{dimension.questions[0].short.get('en')} " in pages[int(shown) - 1]
        assert f"{number}. {title}" in pages[int(shown) - 1]


def test_each_dimension_section_is_whole_on_its_page(english):
    report, pdf = english
    pages = pages_text(pdf)
    result = report.result
    for dimension in report.questionnaire.dimensions:
        level = result.dimension(dimension.id).level
        if level is None:
            continue
        labels = [question.short.get("en") for question in dimension.questions]
        # The answers line starts with the first label: find the page that holds it.
        holding = [page for page in pages if f"{labels[0]} Ø " in page]
        assert len(holding) == 1, dimension.id
        assert all(label in holding[0] for label in labels)
        if dimension.id in result.priorities:
            rank = result.priorities.index(dimension.id) + 1
            assert f"Next steps: in the roadmap, priority {rank}." in holding[0]
        else:
            first_step = " ".join(dimension.recommendations[level][0].get("en").split())
            assert first_step in holding[0]


def test_roadmap_gives_every_next_step_of_the_three_priorities(english):
    report, pdf = english
    roadmap = next(page for page in pages_text(pdf) if "Roadmap for the next quarter" in page[:80])
    for rank, dimension_id in enumerate(report.result.priorities, start=1):
        dimension = report.questionnaire.dimension(dimension_id)
        level = report.result.dimension(dimension_id).level
        assert f"PRIORITY {rank}" in roadmap.upper() and dimension.title.get("en") in roadmap
        for step in dimension.recommendations[level]:
            assert " ".join(step.get("en").split()) in roadmap


def test_dimension_sections_show_answers_in_short_and_the_next_level_where_the_gap_is(english):
    report, pdf = english
    text = " ".join(pages_text(pdf))
    # Customer understanding: levels 4, 5 and 3 chosen for every question (PLAN, shifts).
    dimension = report.questionnaire.dimensions[1]
    first = dimension.questions[0]
    assert f"{first.short.get('en')} Ø 4.0 (3–5), " in text
    # Every question has the same answers here, so the first one shows the next level.
    level = report.result.dimension(dimension.id).level
    practice = " ".join(first.option(level + 1).text.get("en").split())
    name = report.questionnaire.level(level + 1).name.get("en")
    assert f"Level {level + 1} ({name}) in practice: {first.short.get('en')}: {practice}" in text


def test_summary_states_the_cap_and_the_priorities_on_one_page(english):
    report, pdf = english
    pages = pages_text(pdf)
    summary = pages[2]
    assert report.result.capped
    assert f"capped at level {report.result.overall_level}" in summary
    for priority in report.result.priorities:
        dimension = report.questionnaire.dimension(priority)
        level = report.result.dimension(priority).level
        first_step = " ".join(dimension.recommendations[level][0].get("en").split())
        assert f"First step: {first_step}" in summary
    assert "Maturity profile" in pages[3]


def test_german_report_uses_german_words_and_decimal_commas(german):
    report, pdf = german
    text = " ".join(pages_text(pdf))
    overall = report.questionnaire.level(report.result.overall_level)
    assert overall.name.get("de") in text and f"Stufe {overall.level} von 5" in text
    assert "nicht bewertet" in text and "Management Summary" in text
    assert "12. November 2026" in text
    score = report.result.dimension(report.questionnaire.dimensions[0].id).score
    shown = str(report_pdf.Strings("de").decimal(score))
    assert "," in shown and shown in text
    for dimension in report.questionnaire.dimensions:
        assert dimension.title.get("de") in text


def test_hostile_text_is_printed_literally_and_nothing_local_is_embedded(hostile):
    pdf, seconds = hostile
    text = " ".join(pages_text(pdf))
    assert HOSTILE in text
    assert DEV_ZERO in text
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert b"/EmbeddedFile" not in pdf and b"/FileAttachment" not in pdf
    assert seconds < report_pdf.RENDER_TIMEOUT


@pytest.mark.requires("pdftoppm")
def test_radar_page_has_the_chart_drawn(english, tmp_path):
    _, pdf = english
    page = next(n for n, text in enumerate(pages_text(pdf), 1) if "Each axis is one" in text)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "40", "-f", str(page), "-l", str(page), path, tmp_path / "p"],
        check=True,
    )
    width, height, pixels = read_pgm(next(tmp_path.glob("p*.pgm")))
    # The radar fills the upper middle of the page, below the title, above the table.
    rows = range(height * 18 // 100, height * 48 // 100)
    columns = range(width * 30 // 100, width * 70 // 100)
    inked = sum(pixels[row * width + column] < 230 for row in rows for column in columns)
    assert inked > 0.3 * len(rows) * len(columns)


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, maximum, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and maximum == b"255"
    return int(width), int(height), pixels


@pytest.mark.skipif(not CX_MATURITY_FILE.exists(), reason="cx-maturity.yaml not written yet")
def test_cli_and_python_api_give_the_same_report(tmp_path):
    chosen = questionnaire()
    document = {
        "questionnaire": "cx-maturity",
        "organization": ORGANIZATION,
        "period": "2026-Q4",
        "respondents": [
            {"name": person.name, "answers": dict(person.answers)} for person in respondents(chosen)
        ],
    }
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    output = tmp_path / "report.pdf"
    day = datetime.date.today()
    result = run_cli("report", str(answers), "-o", str(output), "--lang", "de")
    assert result.returncode == 0, result.stderr
    if datetime.date.today() != day:
        pytest.skip("the day changed while the report was written")
    parsed = parse_answers_document(document, Catalogue([chosen]))
    expected = render_report(report_input_from_answers(parsed, day), "de")
    assert pages_text(output.read_bytes()) == pages_text(expected)


def test_cli_refuses_an_unwritable_output_with_one_line(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"questionnaire": "cx-maturity", "respondents": []}', encoding="utf-8")
    result = run_cli("report", str(answers), "-o", str(tmp_path / "missing" / "r.pdf"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "cannot be written" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "cxmaturity.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_cache_serves_the_second_download_without_rendering(english, tmp_path, monkeypatch):
    report, rendered = english
    renders = []

    def counting_render(report, language):
        renders.append(language)
        return rendered

    monkeypatch.setattr(report_pdf, "render_report", counting_render)
    worker_one, worker_two = ReportCache(tmp_path), ReportCache(tmp_path)
    first = worker_one.get_or_render(report, "en")
    # Another worker process: its own cache object on the same folder.
    second = worker_two.get_or_render(report, "en")
    assert first == second == rendered
    assert renders == ["en"]
    assert (worker_one.renders, worker_two.renders) == (1, 0)
    assert [p.suffix for p in tmp_path.iterdir()] == [".pdf"]


def test_cache_key_changes_with_language_inputs_and_template_version(english, monkeypatch):
    report, _ = english
    key = report_cache.cache_key(report, "en")
    assert report_cache.cache_key(report, "en") == key
    assert report_cache.cache_key(report, "de") != key
    later = ReportInput(**{**report.__dict__, "generated_on": TODAY + datetime.timedelta(1)})
    assert report_cache.cache_key(later, "en") != key
    renamed = ReportInput(**{**report.__dict__, "organization": "Other GmbH"})
    assert report_cache.cache_key(renamed, "en") != key
    monkeypatch.setattr(report_cache, "code_version", lambda: "an updated template")
    assert report_cache.cache_key(report, "en") != key


def test_a_cut_short_cache_file_is_rendered_again(english, tmp_path, monkeypatch):
    report, rendered = english
    cache = ReportCache(tmp_path)
    cache.path_for(report, "en").write_bytes(rendered[: len(rendered) // 2])
    monkeypatch.setattr(report_pdf, "render_report", lambda report, language: rendered)
    assert cache.get_or_render(report, "en") == rendered
    assert cache.renders == 1


@pytest.fixture(scope="module")
def render_process():
    process = RenderProcess()
    yield process
    process.close()


def test_render_overrunning_its_deadline_is_stopped_and_the_next_one_works(render_process):
    render_process.start()
    started = time.monotonic()
    # A fresh render process needs far longer than this to load WeasyPrint.
    with pytest.raises(ReportRenderError, match=r"longer than 0\.2 seconds"):
        render_process.render("<p>slow</p>", timeout=0.2)
    assert time.monotonic() - started < 2
    assert render_process.pid is None
    assert render_process.render("<p>Hallo</p>", timeout=60).startswith(b"%PDF")


@pytest.mark.parametrize(
    "link",
    [
        '<link rel="attachment" href="file:///etc/hostname">',
        '<img src="file:///dev/zero">',
        '<img src="http://127.0.0.1:9/x.png">',
        '<link rel="stylesheet" href="../../cxmaturity/config.py">',
    ],
)
def test_the_renderer_refuses_anything_outside_the_static_files(render_process, link):
    with pytest.raises(ReportRenderError, match="outside the application"):
        render_process.render(f"<html><head>{link}</head><body><p>x</p></body></html>", 60)


def test_fetcher_serves_static_files_and_data_uris_only(tmp_path):
    fetcher = StaticFilesOnly()
    css = fetcher.fetch((STATIC_DIR / "report" / "report.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    assert fetcher.fetch("data:text/plain;base64,SGFsbG8=").read() == b"Hallo"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "link.txt").symlink_to(outside)
    jailed = StaticFilesOnly(tmp_path / "static")
    for url in (
        outside.as_uri(),
        (tmp_path / "static" / "link.txt").as_uri(),
        "file:///dev/zero",
        "https://example.org/font.otf",
        "file://other-host/etc/hostname",
    ):
        with pytest.raises(RefusedResource):
            jailed.fetch(url)


def test_user_text_is_normalised_to_nfc(english):
    report, _ = english
    decomposed = ReportInput(**{**report.__dict__, "organization": "Mu\u0308ller\x00 GmbH"})
    assert build_view(decomposed, "en").organization == "Müller GmbH"


def test_unknown_language_is_refused_before_rendering(english):
    report, _ = english
    with pytest.raises(ValueError, match="de or en"):
        render_report(report, "fr")


def test_reports_after_the_first_are_refused_in_their_fork_and_the_process_lives_on():
    process = RenderProcess()  # its own: the first report must be this process's first
    try:
        assert process.render("<p>Erster Bericht</p>", timeout=60).startswith(b"%PDF")
        pid = process.pid
        with pytest.raises(ReportRenderError, match="outside the application"):
            process.render('<img src="file:///etc/hostname"><p>x</p>', 60)
        second = process.render("<p>Zweiter Bericht: Ä Ö Ü ß</p>", timeout=60)
        assert "Zweiter Bericht: Ä Ö Ü ß" in pages_text(second)[0]
        assert process.pid == pid  # not restarted: the refusal ended only the fork
    finally:
        process.close()


@pytest.mark.parametrize(
    "fork_does",
    [
        lambda payload: os._exit(3),  # crashes
        lambda payload: 1 / 0,  # raises
        lambda payload: os._exit(0),  # exits without an answer
    ],
    ids=["crashes", "raises", "answers nothing"],
)
def test_a_report_that_fails_in_its_fork_fails_alone(monkeypatch, fork_does):
    monkeypatch.setattr(worker, "_render", fork_does)
    assert worker._render_in_fork(b"<p>x</p>") == worker.FAILED
    # The fork's parent lives on and forks the next report as before.
    monkeypatch.setattr(worker, "_render", lambda payload: worker.DONE + b"%PDF next")
    assert worker._render_in_fork(b"<p>y</p>") == worker.DONE + b"%PDF next"


def test_a_report_after_the_first_is_rendered_by_a_fork(monkeypatch):
    monkeypatch.setattr(worker, "_render", lambda payload: worker.DONE + str(os.getpid()).encode())
    answer = worker._render_in_fork(b"<p>x</p>")
    assert answer.startswith(worker.DONE) and int(answer[1:]) != os.getpid()


def test_reports_are_styled_with_their_own_user_agent_stylesheet(monkeypatch):
    """engine.ReportHTML overrides a private WeasyPrint method; an upgrade that renames it
    would quietly bring back the slower full HTML stylesheet. This notices."""
    from cxmaturity.reports import engine

    asked = []
    original = engine.ReportHTML._ua_stylesheets

    def recording(self, forms=False):
        asked.append(forms)
        return original(self, forms)

    monkeypatch.setattr(engine.ReportHTML, "_ua_stylesheets", recording)
    pdf = engine.html_to_pdf("<h1>Bericht</h1><ul><li>Erster Punkt</li></ul>")
    assert asked and "Erster Punkt" in pages_text(pdf)[0]

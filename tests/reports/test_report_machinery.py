"""The render machinery: the cache, the render process and its forks, the safe fetcher.

Reports here are small documents or one real report rendered once per module.
"""

import dataclasses
import datetime
import os
import subprocess
import sys
import threading
import time
from fractions import Fraction

import pytest
from report_fixtures import DAY, PAGE_DOCUMENT, outcome_with_disagreement, pages_text

from cxmaturity.config import STATIC_DIR
from cxmaturity.domain.actions import PlannedAction
from cxmaturity.domain.cohorts import Band, CohortPosition, CohortStatistics
from cxmaturity.domain.kpi import KpiReading
from cxmaturity.domain.outcome import Comment, Outcome, Participant
from cxmaturity.domain.scoring import score_assessment
from cxmaturity.domain.targets import target_progress
from cxmaturity.reports import cache as report_cache
from cxmaturity.reports import pdf as report_pdf
from cxmaturity.reports import protocol, server
from cxmaturity.reports.client import RenderProcess
from cxmaturity.reports.errors import ReportRenderError
from cxmaturity.reports.fetcher import RefusedResource, StaticFilesOnly
from cxmaturity.reports.pdf import ReportCache


@pytest.fixture(scope="module")
def english():
    outcome = outcome_with_disagreement()
    return outcome, report_pdf.render_report(outcome, "en", DAY)


def test_cache_serves_the_second_download_without_rendering(english, tmp_path):
    outcome, rendered = english
    first_worker, second_worker = ReportCache(tmp_path), ReportCache(tmp_path)
    first = first_worker.get_or_render(outcome, "en", DAY, assessment_id=1)
    # Another worker process: its own cache object on the same folder.
    second = second_worker.get_or_render(outcome, "en", DAY, assessment_id=1)
    assert first == second
    assert pages_text(first) == pages_text(rendered)
    assert (first_worker.renders, second_worker.renders) == (1, 0)
    assert [p.suffix for p in tmp_path.iterdir()] == [".pdf"]


def test_a_cut_short_cache_file_is_rendered_again(english, tmp_path):
    outcome, rendered = english
    cache = ReportCache(tmp_path)
    cache.path_for(outcome, "en", DAY, assessment_id=1).write_bytes(rendered[: len(rendered) // 2])
    assert pages_text(cache.get_or_render(outcome, "en", DAY, assessment_id=1)) == pages_text(
        rendered
    )
    assert cache.renders == 1


def test_a_download_during_the_background_render_waits_for_it(english, tmp_path):
    outcome, _ = english
    cache = ReportCache(tmp_path)
    answers = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(cache.get_or_render(outcome, "de", DAY, assessment_id=1))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 3 and answers[0] == answers[1] == answers[2]
    assert cache.renders == 1


# One way to change each field of the Outcome. A field added to the Outcome fails the
# test below until it has a way here, so that the cache key is shown to cover it.
CHANGES = {
    "questionnaire": lambda o: o.questionnaire.model_copy(update={"version": "1.1"}),
    "organization": lambda o: o.organization + " AG",
    "period": lambda o: "2027-Q1",
    "respondents": lambda o: (
        o.respondents[0],
        o.respondents[1],
        Participant(o.respondents[2].name, {**o.respondents[2].answers, "strategy-1": 5}),
    ),
    "comments": lambda o: (*o.comments, Comment("Anna Schäfer", "strategy-2", "Neu.")),
    "result": lambda o: score_assessment(o.questionnaire, o.respondents[:1]),
    "previous": lambda o: None,
    "previous_period": lambda o: "2026-Q2",
    "anonymity": lambda o: "anonymous",
    "comparison": lambda o: dataclasses.replace(o.comparison, matched_respondents=0),
    "reconfirmed": lambda o: (38, 40),
    "targets": lambda o: (
        target_progress(o.questionnaire, "strategy", 3, "2027-Q2", Fraction(2), Fraction(2), 2),
    ),
    "actions": lambda o: (
        PlannedAction("strategy", None, "Budget", "Anna", None, "planned", 0, None),
    ),
    "kpis": lambda o: (KpiReading("nps", o.period, Fraction(20), 100),),
    "cohort": lambda o: CohortPosition(1, CohortStatistics(4, 5, Band(4, 5))),
}


def test_the_cache_key_covers_every_field_of_the_outcome_language_date_and_code(monkeypatch):
    outcome = outcome_with_disagreement()
    key = report_cache.cache_key(outcome, "de", DAY)
    assert report_cache.cache_key(outcome_with_disagreement(), "de", DAY) == key
    fields = {field.name for field in dataclasses.fields(Outcome)}
    assert set(CHANGES) == fields, "a new Outcome field needs a change here"
    for name, change in CHANGES.items():
        changed = dataclasses.replace(outcome, **{name: change(outcome)})
        assert report_cache.cache_key(changed, "de", DAY) != key, name
    # Inside a record too: one respondent's group, one answer's level, one score.
    regrouped = dataclasses.replace(
        outcome,
        respondents=(
            dataclasses.replace(outcome.respondents[0], group="other"),
            *outcome.respondents[1:],
        ),
    )
    assert report_cache.cache_key(regrouped, "de", DAY) != key
    assert report_cache.cache_key(outcome, "en", DAY) != key
    assert report_cache.cache_key(outcome, "de", DAY + datetime.timedelta(1)) != key
    monkeypatch.setattr(report_cache, "code_version", lambda: "an updated template")
    assert report_cache.cache_key(outcome, "de", DAY) != key


def test_the_cache_key_tells_exact_scores_apart():
    outcome = outcome_with_disagreement()
    nudged = dataclasses.replace(
        outcome,
        result=dataclasses.replace(
            outcome.result, overall_score=outcome.result.overall_score + Fraction(1, 10**9)
        ),
    )
    assert report_cache.cache_key(nudged, "de", DAY) != report_cache.cache_key(outcome, "de", DAY)


def test_nothing_starts_when_the_report_modules_are_imported():
    probe = (
        "import os, threading; "
        "import cxmaturity.reports.pdf, cxmaturity.reports.client, cxmaturity.reports.server; "
        "import cxmaturity.services.results; "
        "children = open(f'/proc/{os.getpid()}/task/{os.getpid()}/children').read().split(); "
        "print(threading.active_count(), len(children))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "0"]


def test_the_benchs_one_page_document_renders_on_one_page():
    pdf = report_pdf.render_process().render(PAGE_DOCUMENT, 60)
    assert len(pages_text(pdf)) == 1 and "Management Summary" in pages_text(pdf)[0]


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
    monkeypatch.setattr(server, "_render", fork_does)
    assert server._render_in_fork(b"<p>x</p>") == protocol.FAILED
    # The fork's parent lives on and forks the next report as before.
    monkeypatch.setattr(server, "_render", lambda payload: protocol.DONE + b"%PDF next")
    assert server._render_in_fork(b"<p>y</p>") == protocol.DONE + b"%PDF next"


def test_a_report_after_the_first_is_rendered_by_a_fork(monkeypatch):
    own_pid = lambda payload: protocol.DONE + str(os.getpid()).encode()  # noqa: E731
    monkeypatch.setattr(server, "_render", own_pid)
    answer = server._render_in_fork(b"<p>x</p>")
    assert answer.startswith(protocol.DONE) and int(answer[1:]) != os.getpid()


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


def test_unknown_language_is_refused_before_rendering(english):
    outcome, _ = english
    with pytest.raises(ValueError, match="de or en"):
        report_pdf.render_report(outcome, "fr", DAY)


def test_the_report_layer_imports_neither_flask_nor_the_database():
    probe = (
        "import sys; import cxmaturity.reports.pdf, cxmaturity.reports.charts; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

"""Benchmark of the PDF report: warm and first render, memory per render, cached download.

Run with `make bench`. Prints each figure beside its target with PASS or FAIL and exits
non-zero when a target is missed. Uses the shipped cx-maturity questionnaire and three
respondents with a previous period and a comment, like a real quarterly report.
"""

from __future__ import annotations

import ctypes.util
import datetime
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from cxmaturity.domain.loader import load_questionnaire  # noqa: E402
from cxmaturity.domain.scoring import RespondentAnswers, score_assessment  # noqa: E402
from cxmaturity.reports.model import Comment, ReportInput  # noqa: E402

RENDERS = 200
HITS = 50
LANGUAGE = "de"
ONE_PAGE = """<!doctype html><html lang="de"><body><section>
<h1>Management Summary</h1><p class="lead">Der Gesamtreifegrad liegt auf Stufe 3.</p>
<p>Die Strategie ist definiert, Ziele sind mit dem Vorstand abgestimmt, und Prozesse folgen
im ganzen Unternehmen einheitlichen Standards. Messung und Daten hinken hinterher.</p>
<table><tr><th>Dimension</th><th>Wert</th></tr><tr><td>Strategie &amp; Führung</td><td>3,2</td></tr>
<tr><td>Messung &amp; KPIs</td><td>2,1</td></tr></table></section></body></html>"""


def report_input() -> ReportInput:
    questionnaire = load_questionnaire(PROJECT_ROOT / "questionnaires" / "cx-maturity.yaml")
    plan = (3, 2, 3, 2, 2, 3, 4, 3)

    def person(name: str, shift: int) -> RespondentAnswers:
        answers = {}
        for index, dimension in enumerate(questionnaire.dimensions):
            for number, question in enumerate(dimension.questions):
                level = plan[index % len(plan)] + shift + (number % 3 - 1)
                answers[question.id] = max(1, min(5, level))
        return RespondentAnswers(name, answers)

    people = (person("Dr. Jürgen Weiß", 0), person("Anna Schäfer", 1), person("Özlem Yılmaz", -1))
    first_question = next(iter(questionnaire.questions))
    return ReportInput(
        questionnaire=questionnaire,
        organization="Müller & Söhne Maschinenbau GmbH",
        period="2026-Q4",
        result=score_assessment(questionnaire, people),
        respondents=people,
        generated_on=datetime.date(2026, 11, 12),
        comments=(Comment("Anna Schäfer", first_question, "Die Strategie gibt es nur als Folie."),),
        previous=score_assessment(questionnaire, people[:2]),
        previous_period="2026-Q3",
    )


def rss_kb(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


FRESH_PROCESS = f"""
import sys, time
sys.path.insert(0, {str(PROJECT_ROOT)!r})
sys.path.insert(0, {str(PROJECT_ROOT / "bench")!r})
from report import report_input
report = report_input()
started = time.perf_counter()
from cxmaturity.reports.pdf import render_report
render_report(report, {LANGUAGE!r})
print(time.perf_counter() - started)
"""


def first_report_seconds() -> tuple[float, float]:
    """(time to the first PDF, whole process) in a fresh interpreter; best of three."""
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", FRESH_PROCESS], capture_output=True, text=True, check=True
        )
        runs.append((float(done.stdout.strip()), time.perf_counter() - started))
    return min(runs)


ENGINE_ONLY = f"""
import statistics, sys, time
sys.path.insert(0, {str(PROJECT_ROOT)!r})
from cxmaturity.reports import engine
html, one_page = sys.stdin.read().split("\\f")

def median_seconds(document, times):
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        engine.html_to_pdf(document)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)

engine.warm_up()
engine.html_to_pdf(html)
print(median_seconds(html, 20), median_seconds(one_page, 50))
"""


def engine_only(html: str) -> tuple[float, float]:
    """Median times of the report's HTML and of the one-page document laid out and written by
    WeasyPrint in a fresh process of their own: no charts, no render process, no fork, no
    garbage of the bench. For comparing machines and versions of the report."""
    done = subprocess.run(
        [sys.executable, "-c", ENGINE_ONLY],
        input=html + "\f" + ONE_PAGE,
        capture_output=True,
        text=True,
        check=True,
    )
    report_seconds, page_seconds = map(float, done.stdout.split())
    return report_seconds, page_seconds


def line(label: str, shown: str, target: str, passed: bool | None) -> bool:
    verdict = "" if passed is None else ("PASS" if passed else "FAIL")
    print(f"{label:<52} {shown:>12}   {target:<14} {verdict}")
    return passed is not False


def main() -> int:
    from cxmaturity.reports import pdf

    report = report_input()
    pdf.warm_up()
    for _ in range(5):
        pdf.render_report(report, LANGUAGE)
    worker = pdf._render_process
    one_page = []
    for _ in range(20):
        started = time.perf_counter()
        worker.render(ONE_PAGE, pdf.RENDER_TIMEOUT)
        one_page.append(time.perf_counter() - started)

    caller_before, worker_before = rss_kb(), rss_kb(worker.pid)
    timings = []
    for _ in range(RENDERS):
        started = time.perf_counter()
        pdf.render_report(report, LANGUAGE)
        timings.append(time.perf_counter() - started)
    caller_growth = (rss_kb() - caller_before) / RENDERS
    worker_growth = (rss_kb(worker.pid) - worker_before) / RENDERS

    with tempfile.TemporaryDirectory() as folder:
        cache = pdf.ReportCache(Path(folder))
        cache.get_or_render(report, LANGUAGE)
        hits = []
        for _ in range(HITS):
            started = time.perf_counter()
            cache.get_or_render(report, LANGUAGE)
            hits.append(time.perf_counter() - started)
    first, whole = first_report_seconds()
    engine_report, engine_page = engine_only(pdf.report_html(report, LANGUAGE))

    warm, page, hit = (statistics.median(x) for x in (timings, one_page, hits))
    figures = [
        (f"warm report (median of {RENDERS})", f"{warm * 1000:.0f} ms", "<= 400 ms", warm <= 0.4),
        (
            f"  ratio to a one-page document ({page * 1000:.1f} ms, same process)",
            f"{warm / page:.1f}x",
            "<= 30x",
            warm / page <= 30,
        ),
        ("first report in a fresh process", f"{first * 1000:.0f} ms", "<= 1000 ms", first <= 1),
        ("  the whole fresh process, start to exit", f"{whole * 1000:.0f} ms", "", None),
        (
            f"memory growth per render, render process (RSS, {RENDERS})",
            f"{worker_growth:.1f} KB",
            "<= 20 KB",
            worker_growth <= 20,
        ),
        (
            f"memory growth per render, calling process (RSS, {RENDERS})",
            f"{caller_growth:.1f} KB",
            "<= 20 KB",
            caller_growth <= 20,
        ),
        (f"cached download (median of {HITS})", f"{hit * 1000:.1f} ms", "<= 20 ms", hit <= 0.02),
        (
            f"  WeasyPrint alone ({engine_report * 1000:.0f} vs {engine_page * 1000:.1f} ms)",
            f"{engine_report / engine_page:.1f}x",
            "",
            None,
        ),
    ]
    from pypdf import PdfReader

    rendered = pdf.render_report(report, LANGUAGE)
    pages = len(PdfReader(io.BytesIO(rendered)).pages)
    # Without HarfBuzz's subsetter WeasyPrint falls back to fontTools: three times slower.
    subsetter = "HarfBuzz" if ctypes.util.find_library("harfbuzz-subset") else "fontTools"
    print(f"PDF report benchmark ({LANGUAGE}, cx-maturity questionnaire, 3 respondents)")
    print(f"report: {pages} pages, {len(rendered) // 1024} KB; fonts subset with {subsetter}")
    results = [line(*figure) for figure in figures]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

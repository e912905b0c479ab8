"""Benchmark of bulk PDFs (issue 11): reports per second of a ZIP against one warm render.

Run with `.venv/bin/python bench/bulk_reports.py [clients]` (10 by default). Seeds that many
clients with a closed assessment on a fresh SQLite database, then prints

- the single warm render: render_report() through the app's one render process, after a
  first render, as reports per second (the median of five);
- the ZIP with an empty report cache: `bulk_render.render_zip` on two render processes,
  cold (the pool starts with the job, as the app's job runs) and warm (a second ZIP of
  another day, the pool already started);
- their ratio against the single render (target ≥ 1.6 with two cores), and the cores the
  warm ZIP kept busy (CPU seconds of this process and the render processes per second): on
  a machine shared with other work, fewer than two cores are free and the ratio falls.

`render_zip(services, slug, client_ids, period, language) -> (path, seconds)` is what
bench/portfolio.py calls for its 50 clients.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "tests"))

from factories import (  # noqa: E402
    cx_maturity,
    make_assessment,
    make_organization,
    make_respondent,
    make_workspace,
)

from cxmaturity.reports.pdf import render_report  # noqa: E402
from cxmaturity.reports.pool import RenderPool  # noqa: E402
from cxmaturity.services.bulk_render import render_zip  # noqa: E402
from cxmaturity.services.container import Services  # noqa: E402
from cxmaturity.services.results import consultant_outcome  # noqa: E402
from cxmaturity.store.database import reading, transaction, upgrade_database  # noqa: E402
from cxmaturity.store.models import Assessment  # noqa: E402

PERIOD = "2026-Q3"
TARGET = 1.6
DAY = datetime.date(2026, 10, 5)


def seed(services: Services, clients: int) -> tuple[str, list[int], list[int]]:
    questionnaire = cx_maturity()
    ids, assessments = [], []
    with transaction(services.sessions) as session:
        workspace = make_workspace(session, name="Bench")
        for number in range(clients):
            client = make_organization(
                session, name=f"Kunde {number:03d} GmbH", workspace=workspace
            )
            assessment = make_assessment(
                session, organization=client, period=PERIOD, status="closed"
            )
            for person in range(3):
                levels = {
                    q: 1 + (number + person + i) % 5 for i, q in enumerate(questionnaire.questions)
                }
                make_respondent(
                    session, assessment, name=f"R{person}", answers=levels, submitted=True
                )
            ids.append(client.id)
            assessments.append(assessment.id)
        return workspace.slug, ids, assessments


def single_warm_seconds(services: Services, assessment_id: int, renders: int = 3) -> float:
    """The median seconds of a warm render_report() (the app's one render process)."""
    with reading(services.sessions) as session:
        outcome = consultant_outcome(
            session, services.catalogue, session.get_one(Assessment, assessment_id)
        )
    render_report(outcome, "de", DAY)  # the first render warms the render process
    timings = []
    for _ in range(renders):
        started = time.perf_counter()
        render_report(outcome, "de", DAY)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def cpu_seconds(pool: RenderPool) -> float:
    """CPU seconds so far of this process and of the pool's processes with their forks."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = sum(os.times()[:2])
    for process in pool.processes:
        if process.pid is not None:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime: the forks are reaped by their render process.
            total += sum(int(value) for value in fields[11:15]) / ticks
    return total


def main() -> int:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade_database(url)
        day = [DAY]

        def another_day() -> None:
            # Another day, another cache key: nothing of an earlier ZIP is in the cache.
            day[0] += datetime.timedelta(days=1)

        services = Services.build(
            database_url=url,
            questionnaires_dir=PROJECT_ROOT / "questionnaires",
            report_cache_dir=Path(folder) / "cache",
            today=lambda: day[0],
        )
        try:
            slug, ids, assessments = seed(services, clients)
            # The machine is shared: the single render is timed before and after the ZIP.
            before = single_warm_seconds(services, assessments[0])
            pool = RenderPool()
            pool.start()
            another_day()
            render_zip(services, slug, ids[:2], PERIOD, "de", pool=pool)  # warms both
            another_day()
            cpu = cpu_seconds(pool)
            _path, warm = render_zip(services, slug, ids, PERIOD, "de", pool=pool)
            cores = (cpu_seconds(pool) - cpu) / warm
            pool.close()
            after = single_warm_seconds(services, assessments[0])
            another_day()
            _path, cold = render_zip(services, slug, ids, PERIOD, "de")
        finally:
            services.close()
    single = (before + after) / 2
    single_rate = 1 / single
    print(f"bulk PDFs, {clients} clients, cx-maturity, 3 respondents each (de)")
    print(
        f"single warm render: {single:.2f} s = {single_rate:.2f} reports/s"
        f" (before the ZIP {before:.2f} s, after {after:.2f} s)"
    )
    print(f"cores in use during the warm ZIP: {cores:.2f} (CPU seconds per second)")
    passed = True
    for label, seconds in (("warm pool", warm), ("cold pool, as a job starts", cold)):
        rate = clients / seconds
        ratio = rate / single_rate
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        passed = passed and (ratio >= TARGET or label.startswith("cold"))
        print(f"ZIP, {label}: {seconds:.2f} s = {rate:.2f} reports/s, {ratio:.2f}x   {verdict}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())

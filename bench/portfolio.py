"""Benchmark of the portfolio (issue 11) on SQLite and on PostgreSQL, as ratios within one run.

Run with `.venv/bin/python bench/portfolio.py [--clients N] [--only sqlite|postgresql]`.
For each database it writes a consultancy of N clients (default 1,000) × 8 closed quarters
× 3 respondents (bench/portfolio_seed.py) and a small one of N/10 clients, then, in-process
through Flask's test client as the workspace's owner:

- times GET `/w/<slug>/portfolio` and `portfolio.json` (median of ROUNDS) and prints them in
  ms and as a ratio to a bare Flask route timed the same way in the same run (target: the
  page and the JSON ≤ 200 ms on this machine);
- counts the SQL statements of one portfolio page for N/10 and for N clients: they must be
  equal (DESIGN §9: one query per table whatever the number of clients);
- writes the workspace's XLSX export (every table, the N clients) in a child process and
  prints its time and the child's peak memory above its own start, beside the same
  tables written as a ZIP of CSV files (the baseline);
- renders the PDFs of 50 clients' latest quarter as a ZIP (bulk PDFs, two render
  processes, an empty report cache) and prints reports per second against one warm
  single render of the same run (target ≥ 1.6× with two cores).

PostgreSQL is the server of the tests (CXM_TEST_POSTGRESQL_URL, else
postgresql://postgres@127.0.0.1:5432/test); a database of its own is made and dropped.
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

ROUNDS = 7
BULK_CLIENTS = 50
BULK_TARGET = 1.6
QUARTERS = 8
RESPONDENTS = 3
PAGE_TARGET_MS = 200
EMAIL = "owner@bench.example"
PASSWORD = "bench bench bench"
POSTGRESQL_ADMIN_URL = os.environ.get(
    "CXM_TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    options = parser.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for name in ("sqlite", "postgresql"):
            if options.only and options.only != name:
                continue
            with database(name, Path(folder)) as url:
                failures += run(name, url, Path(folder), options.clients)
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


class database:
    """A fresh, migrated database of the kind named, removed afterwards."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder, self.name = kind, folder, f"cxm_bench_{os.getpid()}"

    def __enter__(self) -> str:
        from cxmaturity.store.database import upgrade_database

        if self.kind == "sqlite":
            url = f"sqlite:///{self.folder / 'portfolio.db'}"
        else:
            import psycopg
            from sqlalchemy import make_url

            with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            url = (
                make_url(POSTGRESQL_ADMIN_URL)
                .set(drivername="postgresql+psycopg", database=self.name)
                .render_as_string(hide_password=False)
            )
        upgrade_database(url)
        return url

    def __exit__(self, *_exc) -> None:
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(POSTGRESQL_ADMIN_URL, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(kind: str, url: str, folder: Path, clients: int) -> list[str]:
    small = max(10, clients // 10)
    started = time.perf_counter()
    seed(url, {"bench-small": small, "bench-large": clients})
    print(
        f"\n{kind}: seeded {clients} + {small} clients × {QUARTERS} quarters × "
        f"{RESPONDENTS} respondents in {time.perf_counter() - started:.0f} s"
    )
    app, client = logged_in_app(url, folder)
    failures = []
    bare = timed(client, "/bench-bare")
    print(f"  bare route                      {bare:8.2f} ms")
    for label, path in (
        ("portfolio page", "/w/bench-large/portfolio"),
        ("portfolio.json", "/w/bench-large/portfolio.json"),
    ):
        took = timed(client, path)
        verdict = "PASS" if took <= PAGE_TARGET_MS else "FAIL"
        print(
            f"  {label:<14} ({clients} clients) {took:8.2f} ms  {took / bare:6.1f}× bare  "
            f"(target ≤ {PAGE_TARGET_MS} ms) {verdict}"
        )
        if verdict == "FAIL":
            failures.append(f"{kind}: {label} took {took:.0f} ms")
    counts = {
        size: query_count(app, client, f"/w/{slug}/portfolio")
        for slug, size in (("bench-small", small), ("bench-large", clients))
    }
    same = len(set(counts.values())) == 1
    print(
        "  SQL statements of one portfolio page: "
        + ", ".join(f"{count} for {size} clients" for size, count in counts.items())
        + (" PASS" if same else " FAIL")
    )
    if not same:
        failures.append(f"{kind}: the portfolio's queries grow with the clients: {counts}")
    from cxmaturity.web.context import services_of

    services_of(app).close()
    xlsx, csv_zip = export_seconds(url, "xlsx"), export_seconds(url, "csv")
    print(
        f"  workspace XLSX export ({clients} clients) {xlsx['seconds']:7.1f} s, peak memory "
        f"+{xlsx['peak_mb']:.0f} MB, {xlsx['mb']:.0f} MB file  "
        f"({xlsx['seconds'] / csv_zip['seconds']:.1f}× the CSV ZIP's {csv_zip['seconds']:.1f} s, "
        f"+{csv_zip['peak_mb']:.0f} MB)"
    )
    failures += bulk_pdfs(kind, url, folder)
    return failures


EXPORT_CHILD = """
import json, os, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
from cxmaturity.services import exports
from cxmaturity.services.catalogue import catalogue_for
from cxmaturity.store.database import make_engine, session_factory
sessions = session_factory(make_engine({url!r}))
catalogue = catalogue_for(Path({root!r}) / "questionnaires")
write = exports.workspace_xlsx if {kind!r} == "xlsx" else (
    lambda s, c, slug, out: exports.write_csv_zip(s, c, exports.OPERATOR, slug, out))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with tempfile.TemporaryFile() as out:
    started = time.perf_counter()
    write(sessions, catalogue, "bench-large", out)
    seconds = time.perf_counter() - started
    size = out.tell()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({{"seconds": seconds, "peak_mb": peak / 1024, "mb": size / 2**20}}))
"""


def export_seconds(url: str, kind: str) -> dict:
    """The workspace export of `kind` in a child process of its own: its time, its file's
    size, and its peak memory above what the child held before it started."""
    import json
    import subprocess

    child = EXPORT_CHILD.format(root=str(PROJECT_ROOT), url=url, kind=kind)
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bulk_pdfs(kind: str, url: str, folder: Path) -> list[str]:
    """Bulk PDFs of BULK_CLIENTS clients against one warm single render, in one run."""
    import datetime

    from bulk_reports import single_warm_seconds
    from sqlalchemy import select

    from cxmaturity.reports.pool import RenderPool
    from cxmaturity.services.bulk_render import render_zip
    from cxmaturity.services.container import Services
    from cxmaturity.store.database import run_reading
    from cxmaturity.store.models import Assessment, Organization, Workspace

    day = [datetime.date(2026, 12, 1)]
    services = Services.build(
        database_url=url,
        questionnaires_dir=PROJECT_ROOT / "questionnaires",
        report_cache_dir=folder / f"cache-{kind}",
        today=lambda: day[0],
    )
    period = "2026-Q4"

    def chosen(session):
        return list(
            session.scalars(
                select(Organization.id)
                .join(Workspace, Workspace.id == Organization.workspace_id)
                .where(Workspace.slug == "bench-large")
                .order_by(Organization.id)
                .limit(BULK_CLIENTS)
            )
        )

    def first_assessment(session):
        return session.scalars(
            select(Assessment.id).where(Assessment.period == period).limit(1)
        ).one()

    try:
        client_ids = run_reading(services.sessions, chosen)
        single = single_warm_seconds(services, run_reading(services.sessions, first_assessment))
        pool = RenderPool()
        pool.start()
        render_zip(services, "bench-large", client_ids[:2], period, "de", pool=pool)
        day[0] += datetime.timedelta(days=1)  # another day: nothing is in the cache for it
        _path, seconds = render_zip(services, "bench-large", client_ids, period, "de", pool=pool)
        pool.close()
    finally:
        services.close()
    ratio = (len(client_ids) / seconds) * single
    verdict = "PASS" if ratio >= BULK_TARGET else "FAIL"
    print(
        f"  bulk PDFs ({len(client_ids)} clients) {seconds:7.1f} s = "
        f"{len(client_ids) / seconds:.2f} reports/s; one warm render {single:.2f} s = "
        f"{1 / single:.2f} reports/s; {ratio:.2f}× (target ≥ {BULK_TARGET}×) {verdict}"
    )
    return [] if verdict == "PASS" else [f"{kind}: bulk PDFs at {ratio:.2f}× one render"]


def seed(url: str, workspaces: dict[str, int]) -> None:
    from portfolio_seed import quarters, seed_workspace

    from cxmaturity.services.catalogue import catalogue_for
    from cxmaturity.services.passwords import hash_password
    from cxmaturity.store.database import make_engine, session_factory, transaction
    from cxmaturity.store.models import User

    questionnaire = catalogue_for(PROJECT_ROOT / "questionnaires").get("cx-maturity", "1.0")
    engine = make_engine(url)
    with transaction(session_factory(engine)) as session:
        user = User(
            email=EMAIL, password_hash=hash_password(PASSWORD), display_name="Bench", language="de"
        )
        session.add(user)
        session.flush()
        for number, (slug, count) in enumerate(workspaces.items()):
            seed_workspace(
                session,
                questionnaire,
                slug=slug,
                clients=count,
                periods=quarters(QUARTERS),
                respondents=RESPONDENTS,
                member_user_id=user.id,
                seed=number,
            )
    # Statistics for the planner, as autovacuum's analyze gathers them soon after a bulk
    # load: without them PostgreSQL plans the page's reads for empty tables.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def logged_in_app(url: str, folder: Path):
    from cxmaturity import create_app

    os.environ["CXM_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    # The baseline: a route that does nothing, answered by the same app and test client.
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    # As gunicorn's workers do once started (cxmaturity/gunicorn_conf.py).
    from cxmaturity.services.startup import freeze_startup_objects

    freeze_startup_objects()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])
    form = {"csrf_token": token, "email": EMAIL, "password": PASSWORD}
    if client.post("/login", data=form).status_code != 302:
        raise SystemExit("the bench owner could not log in")
    return app, client


def timed(client, path: str) -> float:
    """The median of ROUNDS GETs in milliseconds, after one to warm up."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(path).close()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def query_count(app, client, path: str) -> int:
    from sqlalchemy import event

    from cxmaturity.web.context import services_of

    engine = services_of(app).engine
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SET")):
            statements.append(statement)

    client.get(path)
    event.listen(engine, "before_cursor_execute", count)
    response = client.get(path)
    event.remove(engine, "before_cursor_execute", count)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return len(statements)


if __name__ == "__main__":
    sys.exit(main())

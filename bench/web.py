"""Benchmark of the questionnaire pages under gunicorn, as ratios to a bare Flask route.

Run with `.venv/bin/python bench/web.py`. Starts two gunicorns (2 sync workers each, on
127.0.0.1, both with the app's own gunicorn settings, cxmaturity/gunicorn_conf.py, and
their access logs written to a file): one with a Flask app of one route returning "ok",
one with cxmaturity on a fresh SQLite file. Only the WSGI app differs between the two.
Each scenario is driven by a few client processes over plain sockets
for at most SECONDS or REQUESTS, whichever ends first, right after the bare route, for
ROUNDS rounds; the medians are printed as requests per second and as a ratio to the bare
route. The target of issue 8 is the dimension page at ≥ 0.3× the bare route; the
process exits non-zero when it is missed.

Issue 9 adds the consultant's start page (`/w/<slug>/`) of a workspace with 500 clients,
each with an assessment, three respondents and a result snapshot. Its SQL queries are
counted in-process (a `before_cursor_execute` listener on the app's engine) for 50 and for
500 clients: they must be equal, else the process exits non-zero. It also adds the
participation page of an assessment with 200 respondents (logged in as its consultant),
and prints the page's SQL query count for 20 and for 200 respondents, which must be the
same.

Issue 10 adds the page of a client with 12 closed quarters (its history, read from the
result snapshots), and prints its SQL query count for 2 and for 12 quarters, which must
be the same.
"""

from __future__ import annotations

import datetime
import html
import http.cookiejar
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
CLIENTS = 4  # client processes; more than the workers, so that none waits idle
ROUNDS = 5  # the ratios of single rounds spread by ±8 % on a shared machine; their median less
SECONDS = 1.5
REQUESTS = 10_000
WARM_UP = 50
REQUEST_TIMEOUT = 10  # seconds; a stuck server ends the run instead of hanging it
DIMENSION_TARGET = 0.3
START_PAGE_CLIENTS = (50, 500)
HISTORY_QUARTERS = (2, 12)
BENCH_PASSWORD = "bench bench bench"
BENCH_EMAIL = "consultant@bench.example"
BARE_APP = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    app: str, port: int, folder: Path, env: dict, access_log: Path
) -> subprocess.Popen:
    command = [str(GUNICORN), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}"]
    command += ["--chdir", str(folder), "--log-level", "warning"]
    # The same server settings for both apps, access log included (into a file, not
    # over this script's output): the ratio compares the apps, not two configurations.
    command += ["--config", "python:cxmaturity.gunicorn_conf", "--access-logfile", str(access_log)]
    command.append(app)
    server = subprocess.Popen(command, env={**os.environ, **env}, cwd=folder)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                time.sleep(1.0)  # both workers up, not only the arbiter's socket
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start on port {port}")


def raw_request(method: str, path: str, cookie: str = "", body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    if body:
        lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def one(port: int, request: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return int(b"".join(chunks)[9:12])


def client(port: int, request: bytes, expected: int, stop_at: float, quota: int, results) -> None:
    done = failed = 0
    while done < quota and time.monotonic() < stop_at:
        if one(port, request) != expected:
            failed += 1
        done += 1
    results.put((done, failed))


def requests_per_second(port: int, request: bytes, expected: int) -> float:
    for _ in range(WARM_UP):
        status = one(port, request)
        if status != expected:
            raise SystemExit(f"expected {expected}, got {status} for {request[:80]!r}")
    results: multiprocessing.Queue = multiprocessing.Queue()
    started = time.monotonic()
    stop_at = started + SECONDS
    clients = [
        multiprocessing.Process(
            target=client, args=(port, request, expected, stop_at, REQUESTS // CLIENTS, results)
        )
        for _ in range(CLIENTS)
    ]
    for process in clients:
        process.start()
    counts = [results.get() for _ in clients]
    elapsed = time.monotonic() - started
    for process in clients:
        process.join()
    done = sum(count for count, _ in counts)
    failed = sum(failures for _, failures in counts)
    if failed:
        raise SystemExit(f"{failed} of {done} requests failed: {request[:80]!r}")
    return done / elapsed


class Respondent:
    """A browser-like session with the app: cookies, CSRF token, private link."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        no_redirects = type(
            "NoRedirects",
            (urllib.request.HTTPRedirectHandler,),
            {"redirect_request": lambda *args: None},
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), no_redirects
        )
        self.token = ""

    def fetch(self, path: str, form: dict | None = None) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            response = self.opener.open(self.base + path, data=data)
        except urllib.error.HTTPError as error:  # 3xx without redirect handling
            return error.code, error.headers.get("Location", ""), ""
        return response.status, "", response.read().decode()

    def csrf(self, path: str) -> str:
        page = self.fetch(path)[2]
        return html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])

    def start(self, organization: str) -> None:
        form = {"csrf_token": self.csrf("/"), "organization": organization}
        form |= {"period": "2026-Q4", "language": "de"}
        _status, location, _ = self.fetch("/start", form)
        self.token = re.search(r"/r/([^/]+)/", location)[1]

    def log_in(self, email: str, password: str) -> None:
        form = {"csrf_token": self.csrf("/login"), "email": email, "password": password}
        status, _location, _ = self.fetch("/login", form)
        if status != 302:
            raise SystemExit(f"the bench consultant could not log in ({status})")

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)


def page_answers(questionnaire, number: int, level: int) -> dict:
    dimension = questionnaire.dimensions[number - 1]
    return {f"answer-{question.id}": str(level) for question in dimension.questions}


CONSULTANT = "bench-consultant@example.com"
CONSULTANT_PASSWORD = "bench password 12345"


def seed_participation(database_url: str) -> dict[int, str]:
    """A consultancy with one client and two assessments of 20 and 200 respondents.

    Returns {respondent count: the participation page's path}.
    """
    import datetime

    from cxmaturity.services import invitations
    from cxmaturity.services.access import load_actor
    from cxmaturity.services.emails import Postage
    from cxmaturity.services.mailer import Mailer
    from cxmaturity.services.passwords import hash_password
    from cxmaturity.store.database import make_engine, session_factory, transaction
    from cxmaturity.store.models import (
        Assessment,
        Organization,
        User,
        Workspace,
        WorkspaceMember,
        utc_now,
    )

    engine = make_engine(database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        workspace = Workspace(slug="bench", name="Bench Beratung", kind="consultancy")
        user = User(
            email=CONSULTANT,
            password_hash=hash_password(CONSULTANT_PASSWORD),
            display_name="Bench",
            language="de",
        )
        session.add(WorkspaceMember(workspace=workspace, user=user, role="consultant"))
        organization = Organization(workspace=workspace, name="Kunde GmbH")
        assessments = {
            count: Assessment(
                organization=organization,
                questionnaire_id="cx-maturity",
                questionnaire_version="1.0",
                period=period,
                due_date=datetime.date.today() + datetime.timedelta(days=30),
            )
            for count, period in ((20, "2026-Q3"), (200, "2026-Q4"))
        }
        session.add_all(assessments.values())
        session.flush()
        user_id, ids = user.id, {count: a.id for count, a in assessments.items()}
    postage = Postage(sessions, Mailer(None, None), None, "bench", utc_now)
    actor = load_actor(sessions, user_id)
    for count, assessment_id in ids.items():
        text = "\n".join(f"Person {n}, p{n}-{count}@example.com, manager, de" for n in range(count))
        invitations.add_list(postage, actor, "bench", assessment_id, text, "de")
    engine.dispose()
    return {
        count: f"/w/bench/assessments/{assessment_id}/participation"
        for count, assessment_id in ids.items()
    }


def participation_query_counts(paths: dict[int, str]) -> dict[int, int]:
    """The SQL statements of one participation page view, per respondent count, in-process."""
    from sqlalchemy import event

    from cxmaturity import create_app
    from cxmaturity.web.context import services_of

    app = create_app()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])
    client.post(
        "/login", data={"csrf_token": token, "email": CONSULTANT, "password": CONSULTANT_PASSWORD}
    )
    engine = services_of(app).engine
    counts = {}
    for count, path in paths.items():
        client.get(path)  # warm: the first request of a session loads more
        statements: list[str] = []

        def listener(*args, seen=statements):
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        status = client.get(path).status_code
        event.remove(engine, "before_cursor_execute", listener)
        if status != 200:
            raise SystemExit(f"the participation page answered {status}")
        counts[count] = len(statements)
    services_of(app).close()
    return counts


def main() -> int:
    sys.path.insert(0, str(PROJECT_ROOT))
    from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
    from cxmaturity.services.catalogue import catalogue_for
    from cxmaturity.store.database import upgrade_database

    questionnaire = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity")
    with tempfile.TemporaryDirectory(prefix="cxm-bench-web-") as folder:
        folder = Path(folder)
        (folder / "bare.py").write_text(BARE_APP)
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade_database(database_url)
        seed_workspaces(database_url, questionnaire)
        participation_paths = seed_participation(database_url)
        history_paths = seed_history(database_url)
        env = {
            "CXM_DATABASE_URL": database_url,
            "CXM_INSTANCE_PATH": str(folder / "instance"),
            "CXM_SECRET_KEY": "bench",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        bare_port, app_port = free_port(), free_port()
        servers = [start_gunicorn("bare:app", bare_port, folder, env, folder / "bare.log")]
        try:
            servers.append(
                start_gunicorn("wsgi:app", app_port, PROJECT_ROOT, env, folder / "app.log")
            )
            scenarios = app_scenarios(app_port, questionnaire)
            scenarios |= consultant_scenarios(app_port, participation_paths[200])
            scenarios |= history_scenarios(app_port, history_paths[HISTORY_QUARTERS[-1]])
            bare = (bare_port, raw_request("GET", "/"), 200)
            rows = measure(bare, scenarios)
        finally:
            for server in servers:
                server.terminate()
                server.wait()
        start_counts = start_page_query_counts(database_url, folder)
        os.environ.update(env)
        participation_counts = participation_query_counts(participation_paths)
        history_counts = page_query_counts(database_url, folder, history_paths)

    print(
        f"gunicorn (cxmaturity.gunicorn_conf, access log to a file), {WORKERS} sync workers "
        f"on 127.0.0.1; {CLIENTS} client processes; "
        f"{ROUNDS} rounds of at most {SECONDS:g} s or {REQUESTS} requests; {os.cpu_count()} CPUs"
    )
    print(f"{'scenario':<24} {'requests/s':>11} {'bare route':>11} {'ratio':>7}")
    for name, (rate, bare_rate, ratio) in rows.items():
        print(f"{name:<24} {rate:>11.0f} {bare_rate:>11.0f} {ratio:>6.2f}×")
    ratio = rows["dimension page GET"][2]
    verdict = "PASS" if ratio >= DIMENSION_TARGET else "FAIL"
    print(f"target: dimension page ≥ {DIMENSION_TARGET}× the bare route: {ratio:.2f}× {verdict}")
    constant = [
        print_query_counts("start page", "clients", start_counts),
        print_query_counts("participation page", "respondents", participation_counts),
        print_query_counts("client history page", "quarters", history_counts),
    ]
    return 0 if verdict == "PASS" and all(constant) else 1


def print_query_counts(page: str, unit: str, counts: dict[int, int]) -> bool:
    """Print the SQL queries of one GET per size; True when they are the same for every size."""
    listed = ", ".join(f"{size} {unit}: {count}" for size, count in counts.items())
    constant = len(set(counts.values())) == 1
    print(f"{page} SQL queries: {listed} {'PASS' if constant else 'FAIL'} (must be equal)")
    return constant


def measure(bare, scenarios) -> dict[str, tuple[float, float, float]]:
    """Per scenario the median requests/s, of the bare route beside it, and of their ratio.

    The bare route is measured right before each scenario, round after round, so that
    other load on the machine weighs on both sides of each ratio alike.
    """
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in scenarios}
    for _ in range(ROUNDS):
        for name, scenario in scenarios.items():
            samples[name].append((requests_per_second(*bare), requests_per_second(*scenario)))
    rows = {}
    for name, pairs in samples.items():
        rows[name] = (
            statistics.median(rate for _, rate in pairs),
            statistics.median(bare_rate for bare_rate, _ in pairs),
            statistics.median(rate / bare_rate for bare_rate, rate in pairs),
        )
    return rows


def app_scenarios(port: int, questionnaire) -> dict[str, tuple[int, bytes, int]]:
    """(port, request, expected status) per scenario, with the data each one needs."""
    # One respondent mid-way for the questionnaire pages …
    person = Respondent(port)
    person.start("Bench GmbH")
    page = f"/r/{person.token}/d/3"
    token = person.csrf(page)
    cookie = person.cookie_header()
    save = {"csrf_token": token, "action": "next", **page_answers(questionnaire, 3, 3)}
    autosave = {"csrf_token": token, **page_answers(questionnaire, 3, 4)}
    # … and one who has submitted, for the results page.
    done = Respondent(port)
    done.start("Ergebnis AG")
    for number in range(1, len(questionnaire.dimensions) + 1):
        path = f"/r/{done.token}/d/{number}"
        answers = page_answers(questionnaire, number, 1 + number % 5)
        done.fetch(path, {"csrf_token": done.csrf(path), "action": "stay", **answers})
    review = f"/r/{done.token}/review"
    done.fetch(f"/r/{done.token}/submit", {"csrf_token": done.csrf(review)})
    results = f"/r/{done.token}/results"
    consultant = Respondent(port)
    consultant.log_in(BENCH_EMAIL, BENCH_PASSWORD)
    start_page = f"/w/bench-{START_PAGE_CLIENTS[-1]}/"
    return {
        "dimension page GET": (port, raw_request("GET", page, cookie), 200),
        "save-and-next POST": (port, raw_request("POST", page, cookie, encoded(save)), 302),
        "autosave POST": (
            port,
            raw_request("POST", page + "/autosave", cookie, encoded(autosave)),
            200,
        ),
        "results page GET": (port, raw_request("GET", results, done.cookie_header()), 200),
        f"start page GET ({START_PAGE_CLIENTS[-1]})": (
            port,
            raw_request("GET", start_page, consultant.cookie_header()),
            200,
        ),
    }


def seed_workspaces(database_url: str, questionnaire) -> None:
    """Workspaces `bench-50` and `bench-500`: one consultant, clients with an assessment each
    (three respondents: one submitted, one bounced) and its result snapshot."""
    import secrets

    from cxmaturity.services.passwords import hash_password
    from cxmaturity.store.database import make_engine, session_factory, transaction
    from cxmaturity.store.models import (
        Assessment,
        Organization,
        Respondent,
        ResultSnapshot,
        User,
        Workspace,
        WorkspaceMember,
        hash_token,
        utc_now,
    )

    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        user = User(
            email=BENCH_EMAIL,
            password_hash=hash_password(BENCH_PASSWORD),
            display_name="Bench",
            language="de",
        )
        session.add(user)
        for count in START_PAGE_CLIENTS:
            workspace = Workspace(slug=f"bench-{count}", name=f"Bench {count}", kind="consultancy")
            session.add(WorkspaceMember(workspace=workspace, user=user, role="consultant"))
            for number in range(count):
                client = Organization(workspace=workspace, name=f"Kunde {number:04d}")
                assessment = Assessment(
                    organization=client,
                    questionnaire_id=questionnaire.id,
                    questionnaire_version=questionnaire.version,
                    period="2026-Q4",
                    due_date=datetime.date(2026, 1, 1) if number % 7 == 0 else None,
                )
                for person in range(3):
                    submitted = person == 0
                    assessment.respondents.append(
                        Respondent(
                            name=f"R{person}",
                            token_hash=hash_token(secrets.token_urlsafe(32)),
                            status="submitted" if submitted else "in_progress",
                            submitted_at=utc_now() if submitted else None,
                            delivery="bounced" if person == 2 and number % 5 == 0 else "sent",
                        )
                    )
                session.add(assessment)
                session.flush()
                session.add(ResultSnapshot(assessment_id=assessment.id, overall_level=3))
    engine.dispose()


def start_page_query_counts(database_url: str, folder: Path) -> dict[int, int]:
    """SQL statements one GET of the start page sends, per number of clients (in-process)."""
    paths = {clients: f"/w/bench-{clients}/" for clients in START_PAGE_CLIENTS}
    return page_query_counts(database_url, folder, paths)


def consultant_scenarios(port: int, participation_path: str) -> dict[str, tuple[int, bytes, int]]:
    """The consultant's participation page (200 respondents), logged in."""
    consultant = Respondent(port)
    form = {"csrf_token": consultant.csrf("/login"), "email": CONSULTANT}
    form["password"] = CONSULTANT_PASSWORD
    status, _location, _ = consultant.fetch("/login", form)
    if status != 302:
        raise SystemExit(f"the bench consultant could not log in ({status})")
    request = raw_request("GET", participation_path, consultant.cookie_header())
    return {"participation (200) GET": (port, request, 200)}


def seed_history(database_url: str) -> dict[int, str]:
    """Workspace `bench-history` (the bench consultant's): clients with 2 and 12 closed
    quarters, each imported from an answers file of two respondents and closed.

    Returns {quarters: the client page's path}.
    """
    from sqlalchemy import select

    from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
    from cxmaturity.services.assessment_import import import_answers
    from cxmaturity.services.catalogue import catalogue_for
    from cxmaturity.store.database import make_engine, session_factory, transaction
    from cxmaturity.store.models import Organization, User, Workspace, WorkspaceMember

    catalogue = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR)
    questions = list(catalogue.get("cx-maturity").questions)
    engine = make_engine(database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        workspace = Workspace(slug="bench-history", name="Bench history", kind="team")
        user = session.scalars(select(User).where(User.email == BENCH_EMAIL)).one()
        session.add(WorkspaceMember(workspace=workspace, user=user, role="consultant"))
        clients = {
            count: Organization(workspace=workspace, name=f"Quartale {count}")
            for count in HISTORY_QUARTERS
        }
        session.add_all(clients.values())
        session.flush()
        ids = {count: client.id for count, client in clients.items()}
    for count, client_id in ids.items():
        for number in range(count):
            people = [
                {
                    "name": name,
                    "email": f"{name}@bench.example",
                    "answers": dict.fromkeys(questions, 1 + (number + shift) // 3 % 5),
                }
                for shift, name in enumerate(("anna", "ben"))
            ]
            document = {
                "questionnaire": "cx-maturity",
                "organization": f"Quartale {count}",
                "period": f"{2024 + number // 4}-Q{number % 4 + 1}",
                "respondents": people,
            }
            import_answers(sessions, catalogue, "bench-history", client_id, document, close=True)
    engine.dispose()
    return {count: f"/w/bench-history/clients/{client_id}" for count, client_id in ids.items()}


def history_scenarios(port: int, path: str) -> dict[str, tuple[int, bytes, int]]:
    """The page of the client with the most quarters, as the bench consultant."""
    consultant = Respondent(port)
    consultant.log_in(BENCH_EMAIL, BENCH_PASSWORD)
    request = raw_request("GET", path, consultant.cookie_header())
    return {f"client history ({HISTORY_QUARTERS[-1]}) GET": (port, request, 200)}


def page_query_counts(database_url: str, folder: Path, paths: dict[int, str]) -> dict[int, int]:
    """SQL statements one GET of each path sends, as the bench consultant (in-process)."""
    from sqlalchemy import event

    from cxmaturity import create_app
    from cxmaturity.web.context import services_of

    os.environ["CXM_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench"})
    engine = services_of(app).engine
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = html.unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1])
    form = {"csrf_token": token, "email": BENCH_EMAIL, "password": BENCH_PASSWORD}
    if client.post("/login", data=form).status_code != 302:
        raise SystemExit("the bench consultant could not log in in-process")
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    counts = {}
    for size, path in paths.items():
        client.get(path)  # warm: the first request loads what it caches
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", count)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts[size] = len(statements)
    services_of(app).close()
    return counts


def encoded(form: dict) -> bytes:
    return urllib.parse.urlencode(form).encode()


if __name__ == "__main__":
    sys.exit(main())

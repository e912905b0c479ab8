"""Load and faults on two app hosts (issue 12): nothing a respondent saved is lost, no 5xx.

Run with `.venv/bin/python bench/load.py [--seconds 180] [--respondents 200] [--consultants 20]`.
It starts everything it needs and removes it afterwards:

- a Redis server of its own on a free port, and a PostgreSQL database of its own on the
  test server (CXM_TEST_POSTGRESQL_URL, else postgresql://postgres@127.0.0.1:5432/test);
- a consultancy of 100 clients with two closed quarters (the portfolio, exports and PDFs
  the consultants read) and 20 clients with an open assessment of 2027-Q1 whose invited
  respondents are the load's respondents;
- two app hosts (gunicorn with the shipped settings, 2 workers each) and one job worker
  (`cxmaturity worker`), sharing the database, Redis and the secret key;
- locust (bench/load_users.py): the respondents autosave and save every page and submit,
  the consultants read the portfolio, portfolio.json, a CSV export and clients' PDFs.

A third into the run, one app host and the worker are killed (SIGKILL) and, ten seconds
later, started again; with `--fault redis`, Redis is killed instead and started again,
empty, ten seconds later (jobs then run in the app's own threads). Requests go to the
hosts in turn; one to a host that does not answer is sent to the other, as a proxy does,
and a host is out of the rotation while it is down or starting, as a load balancer's
health check keeps it out. Printed: per route the requests, p50 and p95; the 5xx answers
in both hosts' access logs (must be 0); the answers the app acknowledged against those the
database holds (must be equal), the same for submits. Exits non-zero when a figure is off.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, closing, suppress
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from portfolio import database  # noqa: E402  (a database of the run's own, dropped after)

BIN = Path(sys.executable).parent
PERIOD = "2027-Q1"
OPEN_CLIENTS = 20
PORTFOLIO_CLIENTS = 100
EMAIL = "consultant@load.example"
PASSWORD = "load load load load"
SLUG = "load"
STATUS = re.compile(r'" (\d{3}) ')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--consultants", type=int, default=20)
    parser.add_argument(
        "--fault",
        choices=("host", "redis"),
        default="host",
        help="what is killed a third into the run: an app host and the worker, or Redis",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        work = Path(folder)
        redis = own_redis(work)
        redis_url = stack.enter_context(redis)
        database_url = stack.enter_context(database("postgresql", work))
        seed_file = work / "seed.json"
        seed_file.write_text(json.dumps(seed(database_url, options)), encoding="utf-8")
        environment = {
            **os.environ,
            "CXM_DATABASE_URL": database_url,
            "CXM_REDIS_URL": redis_url,
            "CXM_SECRET_KEY": secrets.token_hex(32),
        }
        hosts = [Host(work / f"host-{name}", environment) for name in "ab"]
        worker = Worker(work / "worker.log", environment)
        for server in (*hosts, worker):
            stack.callback(server.stop)
            server.start()
        for host in hosts:
            host.wait_until_ready()
        rotation = work / "hosts"
        rotation.write_text(" ".join(host.url for host in hosts))
        acknowledged_file = work / "acknowledged.json"
        locust = start_locust(work, hosts, seed_file, acknowledged_file, options)
        kill_at = time.monotonic() + options.seconds / 3
        while time.monotonic() < kill_at and locust.poll() is None:
            time.sleep(0.5)
        if options.fault == "host":
            kill_host_and_worker(hosts, worker, rotation, options)
        else:
            redis.kill()
            print(f"stopped Redis at {options.seconds // 3} s")
            time.sleep(10)
            redis.start()
            print("Redis started again (empty: it keeps nothing on disk)")
        locust.wait(timeout=options.seconds + 120)
        tokens = [person["token"] for person in json.loads(seed_file.read_text())["respondents"]]
        return report(work, hosts, database_url, acknowledged_file, tokens)


def kill_host_and_worker(hosts, worker, rotation: Path, options) -> None:
    hosts[0].kill()
    worker.kill()
    rotation.write_text(hosts[1].url)  # the health check notices within a second or so
    print(f"killed host {hosts[0].url} and the worker at {options.seconds // 3} s")
    time.sleep(10)
    hosts[0].start()
    worker.start()
    hosts[0].wait_until_ready()
    rotation.write_text(" ".join(host.url for host in hosts))
    print(f"host {hosts[0].url} and the worker started again")


def report(work: Path, hosts, database_url: str, acknowledged_file: Path, tokens) -> int:
    failures = []
    print(f"\n{'route':<24}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}")
    with (work / "locust_stats.csv").open(encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            print(
                f"{row['Name']:<24}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{row['50%']:>9}{row['95%']:>9}"
            )
    server_errors = sum(host.server_errors() for host in hosts)
    print(f"\n5xx answers in the hosts' access logs: {server_errors}")
    if server_errors:
        failures.append(f"{server_errors} answers with 5xx")
    sent = json.loads(acknowledged_file.read_text(encoding="utf-8"))
    print(f"requests sent again to the other host: {sent['failovers']}")
    from cxmaturity.store.models import hash_token

    stored, stored_submits = stored_answers(database_url)
    stored_submits &= {hash_token(token) for token in tokens}  # not the seeded quarters
    submits = {hash_token(token) for token in sent["submitted"]}
    acknowledged = {
        (hash_token(token), question): level
        for token, answers in sent["answers"].items()
        for question, level in answers.items()
    }
    same = sum(1 for key, level in acknowledged.items() if stored.get(key) == level)
    print(
        f"answers acknowledged {len(acknowledged)}, stored alike {same}, "
        f"lost or different {len(acknowledged) - same}"
    )
    if same != len(acknowledged):
        failures.append(f"{len(acknowledged) - same} acknowledged answers not stored as sent")
    print(
        f"submits acknowledged {len(submits)}, stored {len(submits & stored_submits)}"
        f" (respondents done: {len(stored_submits)})"
    )
    if not submits <= stored_submits:
        failures.append(f"{len(submits - stored_submits)} acknowledged submits not stored")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


class Host:
    """One app host: gunicorn with the shipped settings on a free port."""

    def __init__(self, folder: Path, environment: dict) -> None:
        self.folder = folder
        self.folder.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.environment = {
            **environment,
            "CXM_INSTANCE_PATH": str(folder / "instance"),
            "CXM_BASE_URL": self.url,
        }
        self.process: subprocess.Popen | None = None
        self.access_logs: list[Path] = []

    def start(self) -> None:
        log = self.folder / f"access-{len(self.access_logs)}.log"
        self.access_logs.append(log)
        command = [str(BIN / "gunicorn"), "--config", "python:cxmaturity.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        command += ["--access-logfile", str(log), "wsgi:app"]
        errors = (self.folder / "error.log").open("a")
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=errors,
            stderr=errors,
            start_new_session=True,  # its workers are killed with it
        )

    def wait_until_ready(self, seconds: float = 60) -> None:
        import urllib.request

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"the app host {self.url} did not start: see {self.folder}/error.log")

    def kill(self) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):  # it ended by itself
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def server_errors(self) -> int:
        count = 0
        for log in self.access_logs:
            if log.exists():
                for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                    found = STATUS.search(line)
                    count += bool(found and found[1].startswith("5"))
        return count


class Worker(Host):
    """`cxmaturity worker`: the background jobs of both hosts."""

    def __init__(self, log: Path, environment: dict) -> None:
        self.log, self.environment = log, {**environment, "CXM_INSTANCE_PATH": str(log.parent)}
        self.process = None
        self.access_logs = []

    def start(self) -> None:
        output = self.log.open("a")
        self.process = subprocess.Popen(
            [str(BIN / "cxmaturity"), "worker"],
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )


def start_locust(work, hosts, seed_file, acknowledged_file, options) -> subprocess.Popen:
    environment = {
        **os.environ,
        "CXM_LOAD_HOSTS_FILE": str(work / "hosts"),
        "CXM_LOAD_SEED": str(seed_file),
        "CXM_LOAD_ACKNOWLEDGED": str(acknowledged_file),
    }
    users = options.respondents + options.consultants
    command = [str(BIN / "locust"), "-f", str(PROJECT_ROOT / "bench" / "load_users.py")]
    command += ["--headless", "--users", str(users), "--spawn-rate", "50"]
    command += ["--run-time", f"{options.seconds}s", "--stop-timeout", "30"]
    command += ["--host", hosts[0].url, "--csv", str(work / "locust"), "--only-summary"]
    command += ["--loglevel", "WARNING"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment)


def seed(database_url: str, options) -> dict:
    """The consultancy, its closed quarters, the open assessments and their respondents."""
    from portfolio_seed import advance_sequences, quarters, seed_workspace
    from sqlalchemy import select

    from cxmaturity.config import DEFAULT_QUESTIONNAIRES_DIR
    from cxmaturity.services.catalogue import catalogue_for
    from cxmaturity.services.passwords import hash_password
    from cxmaturity.store.database import make_engine, session_factory, transaction
    from cxmaturity.store.models import Assessment, Organization, Respondent, User, hash_token

    questionnaire = catalogue_for(DEFAULT_QUESTIONNAIRES_DIR).get("cx-maturity", "1.0")
    engine = make_engine(database_url)
    tokens = [secrets.token_urlsafe(32) for _ in range(options.respondents)]
    with transaction(session_factory(engine)) as session:
        user = User(
            email=EMAIL, password_hash=hash_password(PASSWORD), display_name="Load", language="de"
        )
        session.add(user)
        session.flush()
        workspace_id = seed_workspace(
            session,
            questionnaire,
            slug=SLUG,
            clients=PORTFOLIO_CLIENTS,
            periods=quarters(2),
            respondents=3,
            member_user_id=user.id,
        )
        advance_sequences(session)
        per_client = -(-len(tokens) // OPEN_CLIENTS)
        for number in range(OPEN_CLIENTS):
            client = Organization(workspace_id=workspace_id, name=f"Offen {number:02d} GmbH")
            assessment = Assessment(
                organization=client,
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                period=PERIOD,
                status="open",
            )
            for person, token in enumerate(tokens[number * per_client : (number + 1) * per_client]):
                assessment.respondents.append(
                    Respondent(name=f"Person {number}-{person}", token_hash=hash_token(token))
                )
            session.add(assessment)
        session.flush()
        reports = session.scalars(
            select(Assessment.id).where(Assessment.status == "closed").limit(10)
        ).all()
    engine.dispose()
    return {
        "respondents": [{"token": token} for token in tokens],
        "consultants": [{"slug": SLUG, "email": EMAIL, "password": PASSWORD}],
        "consultant_users": options.consultants,
        "pages": [[q.id for q in dimension.questions] for dimension in questionnaire.dimensions],
        "reports": list(reports),
    }


def stored_answers(database_url: str) -> tuple[dict[tuple[str, str], int | None], set[str]]:
    """(token hash, question id) → the level stored, and the token hashes of the submitted."""
    from sqlalchemy import select

    from cxmaturity.store.database import make_engine, reading, session_factory
    from cxmaturity.store.models import Answer, Respondent

    engine = make_engine(database_url)
    answers: dict[tuple[str, str], int | None] = {}
    with reading(session_factory(engine)) as session:
        rows = session.execute(
            select(
                Respondent.token_hash, Respondent.status, Answer.question_id, Answer.level
            ).outerjoin(Answer, Answer.respondent_id == Respondent.id)
        ).all()
    engine.dispose()
    for token_hash, _status, question, level in rows:
        if question is not None:
            answers[(token_hash, question)] = level
    submitted = {token_hash for token_hash, status, _q, _l in rows if status == "submitted"}
    return answers, submitted


class own_redis:
    """redis-server on a free port of its own, keeping nothing on disk."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> str:
        self.port = free_port()
        self.start()
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with closing(socket.socket()) as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start (Debian: apt-get install redis-server)")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def __exit__(self, *_exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())

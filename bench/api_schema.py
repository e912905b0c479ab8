"""Schemathesis against the API's own OpenAPI document (issue 12): no 5xx, answers as described.

Run with `.venv/bin/python bench/api_schema.py [--seconds 240] [--postgresql]`. It makes a
fresh database (SQLite, or a PostgreSQL database of its own on the test server), sets up a
consultancy as an operator would — `cxmaturity users create`, `workspaces create`,
`clients create`, `assessments import --close` for a closed quarter, `tokens create` for a
write token — starts the app under gunicorn with the shipped settings, and runs
`schemathesis run` on `/api/v1/openapi.json` with that token, every check but
`positive_data_acceptance` (a valid request that the business rules refuse, such as a
client name already taken, is a correct 409 or 422, not a defect), for at most SECONDS.

Printed: the operations tested, the test cases, the failures per check. Exits with
schemathesis's own code: 0 when every answer was no 5xx and matched the document.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from load import Host  # noqa: E402
from portfolio import database  # noqa: E402

BIN = Path(sys.executable).parent
EMAIL = "owner@api.example"
PASSWORD = "api api api api"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=240)
    parser.add_argument("--postgresql", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if options.postgresql:
            with database("postgresql", work) as url:
                return run(work, url, options.seconds)
        url = f"sqlite:///{work / 'api.sqlite3'}"
        subprocess.run([str(BIN / "cxmaturity"), "db", "upgrade"], env=env(url), check=True)
        return run(work, url, options.seconds)


def env(url: str, **more: str) -> dict:
    return {**os.environ, "CXM_DATABASE_URL": url, **more}


def cli(url: str, *arguments: str, stdin: str | None = None) -> dict:
    done = subprocess.run(
        [str(BIN / "cxmaturity"), *arguments],
        env=env(url),
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def set_up(work: Path, url: str) -> str:
    """The consultancy `api` of an owner, two clients, one closed quarter; a write token."""
    cli(url, "users", "create", EMAIL, "--name", "API Owner", stdin=PASSWORD + "\n")
    cli(url, "workspaces", "create", "api", "--name", "API Beratung", "--owner", EMAIL)
    client = cli(url, "clients", "create", "--workspace", "api", "--name", "Alpha AG",
                 "--industry", "retail", "--tag", "pilot")  # fmt: skip
    cli(url, "clients", "create", "--workspace", "api", "--name", "Beta GmbH")
    answers = work / "answers.json"
    questionnaire = cli(url, "questionnaire", "show", "cx-maturity")
    questions = [q["id"] for d in questionnaire["dimensions"] for q in d["questions"]]
    answers.write_text(
        json.dumps(
            {
                "questionnaire": "cx-maturity",
                "organization": "Alpha AG",
                "period": "2026-Q3",
                "respondents": [
                    {"name": name, "answers": dict.fromkeys(questions, level)}
                    for name, level in (("Anna", 2), ("Ben", 3))
                ],
            }
        ),
        encoding="utf-8",
    )
    cli(url, "assessments", "import", str(answers), "--workspace", "api",
        "--client", str(client["id"]), "--close")  # fmt: skip
    token = cli(url, "tokens", "create", "--workspace", "api", "--user", EMAIL,
                "--scope", "write", "--name", "schemathesis")  # fmt: skip
    return token["token"]


def run(work: Path, url: str, seconds: int) -> int:
    token = set_up(work, url)
    # Far above what schemathesis sends: the limit itself is tested in tests/api/.
    settings = env(url, CXM_SECRET_KEY="schemathesis", CXM_API_RATE_LIMIT="100000 per minute")
    host = Host(work / "host", settings)
    host.start()
    try:
        host.wait_until_ready()
        with urllib.request.urlopen(host.url + "/api/v1/openapi.json") as answer:
            operations = sum(len(p) for p in json.load(answer)["paths"].values())
        print(f"OpenAPI document: {operations} operations; schemathesis for at most {seconds} s")
        started = time.monotonic()
        command = [str(BIN / "schemathesis"), "run", host.url + "/api/v1/openapi.json"]
        command += ["--header", f"Authorization: Bearer {token}"]
        command += ["--checks", "all", "--exclude-checks", "positive_data_acceptance"]
        # One worker: hypothesis describes its strategies with a cache that two threads can trip.
        command += ["--max-time", str(seconds), "--workers", "1", "--no-color"]
        command += ["--report", "junit", "--report-dir", str(work / "report")]
        done = subprocess.run(command, cwd=work)
        print(f"schemathesis took {time.monotonic() - started:.0f} s, exit {done.returncode}")
        print(f"5xx in the host's access log: {host.server_errors()}")
        return done.returncode or (1 if host.server_errors() else 0)
    finally:
        host.stop()


if __name__ == "__main__":
    sys.exit(main())

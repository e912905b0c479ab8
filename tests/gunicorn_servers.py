"""Real gunicorn servers for tests: the shipped configuration, a free port, a log file.

`GunicornServer(env, folder).start()` runs `gunicorn --config python:cxmaturity.gunicorn_conf
wsgi:app` from the project folder, as docs/deploy.md tells an operator to, with one worker;
`wait_ready()` returns once the app answers. Every CXM_* variable of the test process is left
out, so that a server sees only what the test gives it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60  # the workers import WeasyPrint and matplotlib before they serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    def __init__(self, env: dict[str, str], folder: Path, *extra_arguments: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"gunicorn-{self.port}.log"
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("CXM_")}
        # The subprocess imports this checkout's cxmaturity, not the venv's editable install.
        self.env.update(PYTHONPATH=str(PROJECT_ROOT), **env)
        self.extra_arguments = extra_arguments
        self.process: subprocess.Popen | None = None

    def start(self) -> GunicornServer:
        command = [sys.executable, "-m", "gunicorn", "--config", "python:cxmaturity.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1", *self.extra_arguments]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*command, "wsgi:app"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_ready(self) -> None:
        """Return once a request is answered; fail with the server's log if it ended or hangs."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                ended = self.process.returncode
                raise AssertionError(f"gunicorn ended with {ended}:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # answered, if not with 200
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer within {START_SECONDS} s:\n{self.log()}")

    def wait_ended(self, seconds: float = START_SECONDS) -> int:
        assert self.process is not None
        return self.process.wait(timeout=seconds)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

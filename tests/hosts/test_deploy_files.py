"""The deployment files agree with the app: a setting added, a limit changed, and they say so.

compose.yaml, deploy/nginx.conf, .env.example and the Dockerfile are read as an operator's
tools would read them; nothing is started (docs/deploy.md).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cxmaturity.app import MAX_CONTENT_LENGTH

ROOT = Path(__file__).resolve().parents[2]


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def compose() -> dict:
    return yaml.safe_load(read("compose.yaml"))


def test_env_example_names_every_setting_the_app_reads():
    read_by_the_app = set(re.findall(r'"(CXM_[A-Z_]+)"', read("cxmaturity/config.py")))
    named = set(re.findall(r"^#? ?(CXM_[A-Z_]+)=", read(".env.example"), re.MULTILINE))
    assert read_by_the_app, "config.py reads no CXM_ variable?"
    assert read_by_the_app <= named, f"missing from .env.example: {read_by_the_app - named}"


def test_the_proxy_buffers_requests_and_refuses_what_the_app_refuses():
    nginx = read("deploy/nginx.conf")
    limit = re.search(r"^\s*client_max_body_size (\d+)k;", nginx, re.MULTILINE)
    assert limit and int(limit.group(1)) * 1024 == MAX_CONTENT_LENGTH
    assert re.search(r"^\s*proxy_request_buffering on;", nginx, re.MULTILINE)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert re.search(rf"^\s*proxy_set_header {header} ", nginx, re.MULTILINE), header
    # Its own access log never writes the request as sent (query string, tokens).
    log_format = re.search(r"log_format cxmaturity (.*?);", nginx, re.DOTALL).group(1)
    assert "$request " not in log_format and "$request_uri" not in log_format
    assert "$http_referer" not in log_format and "$args" not in log_format


def test_compose_runs_the_shipped_gunicorn_behind_one_proxy_hop():
    services = compose()["services"]
    assert set(services) >= {"app", "worker", "proxy", "db", "redis", "migrate"}
    app = services["app"]
    command = " ".join(app["command"])
    assert "--config python:cxmaturity.gunicorn_conf" in command and "--workers 2" in command
    assert services["worker"]["command"] == ["cxmaturity", "worker"]
    assert app["environment"]["CXM_PROXY_HOPS"] == "1"  # nginx, and nothing else
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    for name in ("app", "proxy", "db", "redis"):
        assert "healthcheck" in services[name], name
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    # The database is upgraded before an app or worker of a new version starts.
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_the_image_has_what_the_pdf_report_needs():
    ci_packages = set(re.search(r"packages=\((.*?)\)", read(".ci/run"), re.DOTALL).group(1).split())
    report_packages = {p for p in ci_packages if p.startswith(("libpango", "libharfbuzz", "fonts"))}
    dockerfile = read("Dockerfile")
    assert report_packages and all(package in dockerfile for package in report_packages)
    assert dockerfile.startswith("#") and "FROM python:3.11-slim" in dockerfile

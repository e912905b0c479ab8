"""`static_url(filename)` for the templates: the address of a file under static/.

The same as `url_for('static', filename=…)`, made once per file and script root (the
path the app is mounted under) instead of on every page: a questionnaire page names
four such files, and building each address through the URL map cost 3 % of the page.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, request, url_for


def static_url(filename: str) -> str:
    return _static_url(request.script_root, filename)


@lru_cache(maxsize=256)
def _static_url(script_root: str, filename: str) -> str:
    # Keyed by the script root: behind a proxy that mounts the app under a prefix, the
    # address starts with it (and url_for reads it from the request).
    return url_for("static", filename=filename)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url

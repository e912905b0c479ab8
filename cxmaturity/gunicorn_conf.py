"""gunicorn settings: `gunicorn --config python:cxmaturity.gunicorn_conf wsgi:app`."""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
timeout = 60
# Answers and comments are small; anything bigger is refused by the app with 413.
limit_request_field_size = 8190


def post_worker_init(worker):
    # Imports and font set-up happen once per worker, not on a visitor's first report.
    from cxmaturity.reports.pdf import warm_up

    warm_up()

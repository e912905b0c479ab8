"""gunicorn settings: `gunicorn --config python:cxmaturity.gunicorn_conf wsgi:app`."""

# The number of workers comes from gunicorn's own WEB_CONCURRENCY or --workers.
# Above the report's 20 s render limit, so a slow report ends with its own message.
timeout = 30
# Answers and comments are small; anything bigger is refused by the app with 413.
limit_request_field_size = 8190


def post_worker_init(worker):
    # Imports and font set-up happen once per worker, not on a visitor's first report.
    from cxmaturity.reports.pdf import warm_up

    warm_up()

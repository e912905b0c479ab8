"""gunicorn settings: `gunicorn --config python:cxmaturity.gunicorn_conf wsgi:app`."""

from gunicorn.glogging import Logger

from cxmaturity.services.startup import freeze_startup_objects
from cxmaturity.web.log_redaction import REDACTED, install_redaction

# The number of workers comes from gunicorn's own WEB_CONCURRENCY or --workers.
# Above the report's 20 s render limit, so a slow report ends with its own message.
timeout = 30
# Answers and comments are small; anything bigger is refused by the app with 413.
limit_request_field_size = 8190

# The access log goes to standard output (see docs/deploy.md): client, time, request
# line, status, bytes, duration in ms, referrer, user agent. No header that carries a
# credential (Authorization, Cookie) is a field of it.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# Headers whose value is a key: an operator's own --access-logformat that names one,
# as `%({authorization}i)s` or `%({http_cookie}e)s`, gets <redacted> instead.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)


class TokenRedactingLogger(Logger):
    """gunicorn's logger, writing `/r/<redacted>/…` for every respondent's link.

    The request line and the referrer of a respondent's page both hold the token; the
    filter of web/log_redaction.py rewrites every line, also `?token=…` and a Bearer
    credential. Credential headers are blanked before they can reach a line at all.
    """

    def setup(self, cfg):
        super().setup(cfg)
        install_redaction(self.access_log)
        install_redaction(self.error_log)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in CREDENTIAL_ATOMS & atoms.keys():
            atoms[name] = REDACTED
        return atoms


def credential_atoms(header: str) -> set[str]:
    """The names of a header's atoms: authorization → `{authorization}i` (request),
    `{authorization}o` (response), `{http_authorization}e` (environ)."""
    return {f"{{{header}}}i", f"{{{header}}}o", f"{{http_{header.replace('-', '_')}}}e"}


# Looked up by name: gunicorn makes an atom of every header and environ variable.
CREDENTIAL_ATOMS = frozenset().union(*map(credential_atoms, CREDENTIAL_HEADERS))

logger_class = TokenRedactingLogger


def post_worker_init(worker):
    # Imports and font set-up happen once per worker, not on a visitor's first report.
    from cxmaturity.reports.pdf import warm_up

    warm_up()
    freeze_startup_objects()

"""The isolation matrix (issue 9, item 7; DESIGN §1, §7): no route of a workspace leaks or changes
anything for someone who may not see it.

Every rule of the app that starts with `/w/` must have a row in ROUTES, or this
module fails: a new route cannot escape the matrix. For each row and each method
the rule allows (GET and POST alike; HTML, CSV or PDF), the route is called

- as users of workspace B (its owner and its consultant)               → 404
- logged out                                                           → 404
- as A's owner with every object of the row swapped for B's of that name
  (slug A, the client id of B: another workspace's object)             → 404
- as A's consultant limited to client 1 and as client 1's staff, where
  the row's objects belong to client 2                                 → 404
- POST as A's viewer                                                   → 403
and in each of these cases nothing in the database may change (every row of
every table is compared before and after). As sanity checks, A's owner must
get an answer other than 404 (and below 500) for every GET, and the limited
consultant and client 1's staff for every GET of a row read with client 1's
objects ("A.assessment2" → "A.assessment1"): the matrix must not pass because
everything answers 404. A case that no row applies to yet is skipped, not passed.

How to add a row — one line per rule, keyed by the rule exactly as Flask prints it:

    "/w/<slug>/clients/<int:client_id>": {"client_id": "A.client2"},
    "/w/<slug>/assessments/<int:assessment_id>/invitations": {
        "assessment_id": "A.assessment2", "form": {"name": "Eva", "group": "other"}},

- `<slug>` is filled with workspace A's slug by itself.
- Each other argument names an object of workspace A by reference (tests/web/isolation.py,
  `World.refs`): "A.client1", "A.client2", "A.assessment1", "A.assessment2",
  "A.respondent2" (a submitted respondent of client 2; "A.respondent2b": one not
  submitted), "A.token2", "A.member.consultant", "A.user.viewer", "A.bulkjob" (a
  bulk-report job of A's owner), "A.exportjob" (a workspace-export job of A's owner),
  "A.apitoken" (an API token of A's owner),
  "A.email.new" (the address of an account in neither workspace); a plain number or
  submitted), "A.token2", "A.cohort1" (a saved cohort), "A.member.consultant",
  "A.user.viewer", "A.email.new" (the address of an account in neither workspace); a plain number or
  text is used as it is. Prefer client 2's objects: A's limited consultant and client
  staff are listed for client 1 only, so they are tried on client 2's objects.
- "form": the fields of a POST, "query": the query string; their values may be references too.
- "internal": True for a page of the workspace's own work on a client (participation,
  its staff list): client staff get 404 there even for their own client.
  The form should be valid, so that a request that is allowed would reach the service.
  CSRF checks are off in this module's app (WTF_CSRF_ENABLED=False): the point here is
  the service's check of who may do what, which CSRF would hide behind a 400.

Respondent pages, `/r/<token>/…`, have their own table R_ROUTES (the token is filled
in by the test): a wrong token and a revoked one answer 404 and change nothing, and
another respondent's link never shows the first respondent's answers.

To see the matrix catch a leak, let a service skip its `workspace_for` check: the
failure lists every request that answered wrongly, one per line.
"""

from __future__ import annotations

import re
import secrets

import pytest
from factories import make_user
from isolation import World, build_world, changed_tables, dump, fill, log_in, names_objects

from cxmaturity.store.database import transaction
from cxmaturity.store.models import Respondent, utc_now

INVITATIONS = "/w/<slug>/assessments/<int:assessment_id>/invitations"
ROUTES: dict[str, dict] = {
    "/w/<slug>/members": {"form": {"email": "A.email.new", "role": "viewer"}},
    "/w/<slug>/members/<int:member_id>/role": {
        "member_id": "A.member.consultant",
        "form": {"role": "owner"},
    },
    "/w/<slug>/members/<int:member_id>/limit": {
        "member_id": "A.member.consultant",
        "form": {"client": ["A.client1"]},
    },
    "/w/<slug>/members/<int:member_id>/limit/lift": {"member_id": "A.member.limited"},
    "/w/<slug>/members/<int:member_id>/remove": {"member_id": "A.member.consultant"},
    "/w/<slug>/audit": {},
    "/w/<slug>/tokens": {"form": {"name": "Matrix 2", "scope": "read"}},
    "/w/<slug>/tokens/<int:token_id>/revoke": {"token_id": "A.apitoken"},
    "/w/<slug>/settings/cohort": {"form": {"cohort_min_n": "4"}},
    "/w/<slug>/": {},
    "/w/<slug>/clients/": {},
    "/w/<slug>/clients/new": {"form": {"name": "Neukunde AG", "industry": "retail"}},
    "/w/<slug>/clients/<int:client_id>": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/edit": {
        "client_id": "A.client2",
        "form": {"name": "Umbenannt AG", "tags": "retail"},
    },
    "/w/<slug>/clients/<int:client_id>/archive": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/restore": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/purge": {
        "client_id": "A.client2",
        "form": {"confirm_name": "A client 2"},
    },
    "/w/<slug>/clients/<int:client_id>/assessments": {
        "client_id": "A.client2",
        "form": {"period": "2027-Q1"},
    },
    "/w/<slug>/assessments/<int:assessment_id>": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/open": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/close": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/participation": {
        "assessment_id": "A.assessment2",
        "internal": True,
    },
    INVITATIONS: {
        "assessment_id": "A.assessment2",
        "internal": True,
        "form": {"name": "Eva Gast", "email": "A.email.new", "group": "other", "language": "de"},
    },
    INVITATIONS + "/list": {
        "assessment_id": "A.assessment2",
        "internal": True,
        "form": {"respondents": "Eva Gast, eva@gast.example, other, de"},
    },
    INVITATIONS + "/remind": {"assessment_id": "A.assessment2", "internal": True},
    **{
        f"{INVITATIONS}/<int:respondent_id>/{step}": {
            "assessment_id": "A.assessment2",
            "respondent_id": "A.respondent2b",
            "internal": True,
            **({"form": {"last_day": "2027-03-01"}} if step == "extend" else {}),
        }
        for step in ("resend", "rotate", "revoke", "extend")
    },
    "/w/<slug>/assessments/<int:assessment_id>/links.csv": {
        "assessment_id": "A.assessment2",
        "internal": True,
    },
    "/w/<slug>/assessments/<int:assessment_id>/results": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/radar.svg": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/cohort.svg": {"assessment_id": "A.assessment2"},
    "/w/<slug>/assessments/<int:assessment_id>/report.pdf": {
        "assessment_id": "A.assessment2",
        "query": {"lang": "de"},
    },
    "/w/<slug>/assessments/<int:assessment_id>/anonymity": {
        "assessment_id": "A.assessment2",
        "form": {"anonymity": "named"},
    },
    "/w/<slug>/clients/<int:client_id>/staff": {
        "client_id": "A.client2",
        "internal": True,
        "form": {"email": "A.email.new", "role": "client_viewer"},
    },
    "/w/<slug>/clients/<int:client_id>/staff/<int:user_id>/remove": {
        "client_id": "A.client2",
        "internal": True,
        "user_id": "A.user.staff1",
    },
    # Every quarter (issue 10): targets, the action plan, the next quarter.
    "/w/<slug>/clients/<int:client_id>/targets": {
        "client_id": "A.client2",
        "form": {"level-strategy": "4", "due-strategy": "2027-Q2"},
    },
    "/w/<slug>/clients/<int:client_id>/targets/defaults": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/actions": {
        "client_id": "A.client2",
        "form": {"dimension_id": "strategy", "title": "Budget planen", "status": "planned"},
    },
    "/w/<slug>/clients/<int:client_id>/actions/steps": {
        "client_id": "A.client2",
        "form": {"source_key": "strategy:2:0"},
    },
    "/w/<slug>/clients/<int:client_id>/actions/priority-steps": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/actions/<int:action_id>/edit": {
        "client_id": "A.client2",
        "action_id": "A.action2",
        "form": {"dimension_id": "strategy", "title": "Neu", "status": "in_progress"},
    },
    "/w/<slug>/clients/<int:client_id>/actions/<int:action_id>/status": {
        "client_id": "A.client2",
        "action_id": "A.action2",
        "form": {"status": "done"},
    },
    "/w/<slug>/clients/<int:client_id>/history.json": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/bundle.json": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/history.svg": {"client_id": "A.client2"},
    "/w/<slug>/clients/<int:client_id>/kpis": {
        "client_id": "A.client2",
        "query": {"period": "2026-Q4"},
        "form": {"csat_satisfied": "4", "csat_responses": "5"},
    },
    "/w/<slug>/assessments/<int:assessment_id>/results.json": {"assessment_id": "A.assessment2"},
    "/w/<slug>/clients/<int:client_id>/next-quarter": {
        "client_id": "A.client2",
        "internal": True,
        "form": {"period": "2027-Q1", "reinvite": "y", "prefill": "y"},
    },
    # Bulk PDFs as a ZIP (issue 11): a job is its creator's (A's owner) alone.
    "/w/<slug>/reports/bulk/": {},
    "/w/<slug>/reports/bulk/start": {
        "form": {"client": ["A.client2"], "period": "2026-Q3", "language": "de"}
    },
    "/w/<slug>/reports/bulk/<int:job_id>": {"job_id": "A.bulkjob"},
    "/w/<slug>/reports/bulk/<int:job_id>/reports.zip": {"job_id": "A.bulkjob"},
    # Exports (issue 11): the workspace's files hold only the clients the caller sees.
    "/w/<slug>/exports/": {},
    "/w/<slug>/exports/<table>.csv": {"table": "answers"},
    "/w/<slug>/exports/workspace.xlsx": {},
    # Workspace exports as jobs (issue 12): a job is its creator's (A's owner) alone.
    "/w/<slug>/exports/jobs": {"form": {"format": "csv", "table": "answers"}},
    "/w/<slug>/exports/jobs/<int:job_id>": {"job_id": "A.exportjob"},
    "/w/<slug>/exports/jobs/<int:job_id>/file": {"job_id": "A.exportjob"},
    "/w/<slug>/clients/<int:client_id>/exports/<table>.csv": {
        "client_id": "A.client2",
        "table": "answers",
    },
    "/w/<slug>/clients/<int:client_id>/exports/client.xlsx": {"client_id": "A.client2"},
    # The portfolio and saved cohorts (issue 11).
    "/w/<slug>/portfolio": {"query": {"cohort": "A.cohort1"}},
    "/w/<slug>/portfolio.json": {"query": {"period": "2026-Q3"}},
    "/w/<slug>/portfolio.csv": {"query": {"period": "2026-Q3"}},
    "/w/<slug>/cohorts": {
        "form": {"name": "Neue Kohorte", "questionnaire": "cx-maturity", "major": "1"},
    },
    "/w/<slug>/cohorts/<int:cohort_id>/rename": {
        "cohort_id": "A.cohort1",
        "form": {"name": "Umbenannt"},
    },
    "/w/<slug>/cohorts/<int:cohort_id>/delete": {"cohort_id": "A.cohort1"},
    "/w/<slug>/clients/<int:client_id>/cohort": {
        "client_id": "A.client2",
        "internal": True,
        "query": {"cohort": "A.cohort1", "period": "2026-Q3"},
    },
}

R_ROUTES: dict[str, dict] = {
    "/r/<token>/": {},
    "/r/<token>/d/<int:number>": {
        "number": 1,
        "form": {"action": "stay", "answer-strategy-cem-strategy": "4"},
    },
    "/r/<token>/d/<int:number>/autosave": {
        "number": 1,
        "form": {"answer-strategy-cem-strategy": "4"},
    },
    "/r/<token>/review": {},
    "/r/<token>/submit": {},
    "/r/<token>/results": {},
    "/r/<token>/answers": {},
    "/r/<token>/radar.svg": {},
    "/r/<token>/cohort.svg": {},
    "/r/<token>/report.pdf": {},
    "/r/<token>/opt-out": {},
    "/r/<token>/claim": {
        "form": {"name": "Eva Gast", "email": "A.email.new", "password": "a long enough password"}
    },
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CLIENT2 = re.compile(r"^(A\.(?:client|assessment|respondent|token))2")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def world(sessions) -> World:
    world = build_world(sessions)
    # An account outside both workspaces, for the "add a member" form.
    with transaction(sessions) as session:
        world.refs["A.email.new"] = world.resolve(make_user(session).email)
    world.refs["B.email.new"] = world.refs["A.email.new"]
    return world


def rules_under(app, prefix: str) -> list[tuple[str, list[str]]]:
    return sorted(
        (rule.rule, sorted(set(rule.methods or ()) & set(METHODS)))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(prefix)
    )


def test_every_workspace_route_has_a_row_in_the_matrix(app):
    rules = {rule for rule, _methods in rules_under(app, "/w/")}
    missing = sorted(rules - ROUTES.keys())
    assert not missing, f"add these rules to ROUTES in {__name__}: {missing}"
    assert not sorted(ROUTES.keys() - rules), "ROUTES names rules the app does not have"


def test_every_respondent_route_has_a_row_in_the_matrix(app):
    rules = {rule for rule, _methods in rules_under(app, "/r/")}
    assert not sorted(rules - R_ROUTES.keys()), (
        f"add to R_ROUTES: {sorted(rules - R_ROUTES.keys())}"
    )
    assert not sorted(R_ROUTES.keys() - rules), "R_ROUTES names rules the app does not have"


def assert_none(failures: list[str], who: str = "") -> None:
    """Fail with every request that answered wrong, one per line."""
    assert not failures, f"{who}\n" + "\n".join(failures)


def call(client, method: str, url: str, form: dict):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data=form)


def check(app, sessions, world, caller, expected, *, swap=False, only=None, methods=None):
    """Call every row as `caller` (None: logged out); return what answered otherwise.

    Skips the test when no row applies (e.g. no route names a client's object yet).
    """
    client = app.test_client()
    if caller:
        log_in(client, world.emails[caller])
    failures = []
    calls = 0
    for rule, allowed in rules_under(app, "/w/"):
        row = ROUTES[rule]
        if swap and not names_objects(row):
            continue
        url, form, clients = fill(rule, row, world, workspace="B" if swap else "A")
        if swap:
            url = url.replace(f"/w/{world.refs['B'].value}/", f"/w/{world.refs['A'].value}/", 1)
        if only is not None and not (clients and clients <= only):
            continue
        for method in allowed:
            if methods and method not in methods:
                continue
            calls += 1
            before = dump(sessions)
            status = call(client, method, url, form).status_code
            written = changed_tables(before, dump(sessions))
            if status != expected or written:
                failures.append(f"{method} {url}: {status}, wrote {written or 'nothing'}")
    if not calls:
        pytest.skip("no row of the matrix applies to this case yet")
    return failures


def test_a_user_of_another_workspace_gets_404_everywhere(app, sessions, world):
    for caller in ("B.owner", "B.consultant"):
        assert_none(check(app, sessions, world, caller, 404), caller)


def test_a_visitor_who_is_not_logged_in_gets_404_everywhere(app, sessions, world):
    assert_none(check(app, sessions, world, None, 404))


def test_an_object_of_another_workspace_gets_404_under_ones_own_workspace(app, sessions, world):
    assert_none(check(app, sessions, world, "A.owner", 404, swap=True))


def test_a_consultant_not_listed_for_the_client_gets_404(app, sessions, world):
    assert_none(check(app, sessions, world, "A.limited", 404, only={"A.client2"}))


def test_client_staff_of_another_client_gets_404(app, sessions, world):
    assert_none(check(app, sessions, world, "A.staff1", 404, only={"A.client2"}))


def test_a_viewer_who_posts_gets_403_and_changes_nothing(app, sessions, world):
    methods = {"POST", "PUT", "PATCH", "DELETE"}
    assert_none(check(app, sessions, world, "A.viewer", 403, methods=methods))


def test_the_owner_reaches_every_page(app, world):
    """The sanity check: the matrix does not pass because everything answers 404."""
    client = app.test_client()
    log_in(client, world.emails["A.owner"])
    failures = []
    for rule, allowed in rules_under(app, "/w/"):
        if "GET" in allowed:
            url, _form, _clients = fill(rule, ROUTES[rule], world)
            status = client.get(url).status_code
            if status == 404 or status >= 500:
                failures.append(f"GET {url}: {status}")
    assert_none(failures)


def test_the_limited_consultant_and_client_staff_reach_their_own_clients_pages(app, world):
    """The sanity check of the two cases above: client 1's pages open for them."""
    checked = 0
    for caller in ("A.limited", "A.staff1"):
        client = app.test_client()
        log_in(client, world.emails[caller])
        for rule, allowed in rules_under(app, "/w/"):
            row = {key: as_client1(value) for key, value in ROUTES[rule].items()}
            url, _form, clients = fill(rule, row, world)
            if caller == "A.staff1" and ROUTES[rule].get("internal"):
                continue
            if "GET" in allowed and clients == {"A.client1"}:
                checked += 1
                assert client.get(url).status_code not in (404, 500), (caller, url)
    if not checked:
        pytest.skip("no row of the matrix names a client's object yet")


def as_client1(value):
    """A reference to client 2's object read as client 1's ("A.assessment2" → "A.assessment1")."""
    if isinstance(value, str):
        return CLIENT2.sub(r"\g<1>1", value)
    return value


def respondent_urls(app, world, token: str):
    for rule, allowed in rules_under(app, "/r/"):
        row = R_ROUTES[rule]
        url, form, _clients = fill(rule, {**row, "token": token}, world)
        for method in allowed:
            yield method, url, form


def test_a_wrong_link_gets_404_and_changes_nothing(app, client, sessions, world):
    failures = []
    for method, url, form in respondent_urls(app, world, secrets.token_urlsafe(32)):
        before = dump(sessions)
        status = call(client, method, url, form).status_code
        written = changed_tables(before, dump(sessions))
        if status != 404 or written:
            failures.append(f"{method} {url}: {status}, wrote {written or 'nothing'}")
    assert_none(failures)


def test_a_revoked_link_gets_404_and_changes_nothing(app, client, sessions, world):
    with transaction(sessions) as session:
        session.get(Respondent, world.refs["A.respondent2b"].value).revoked_at = utc_now()
    failures = []
    for method, url, form in respondent_urls(app, world, world.refs["A.token2b"].value):
        before = dump(sessions)
        status = call(client, method, url, form).status_code
        written = changed_tables(before, dump(sessions))
        if status != 404 or written:
            failures.append(f"{method} {url}: {status}, wrote {written or 'nothing'}")
    assert_none(failures)


def test_another_respondents_link_never_shows_the_first_ones_answers(app, client, world):
    secret = world.secrets["A.comment1"]
    # The other respondent of the same assessment, and one of another client.
    for token_ref in ("A.token1b", "A.token2"):
        for method, url, _form in respondent_urls(app, world, world.refs[token_ref].value):
            if method == "GET":
                response = client.get(url)
                assert secret.encode() not in response.data, url
    # The first respondent's own link does show it: the check above can fail.
    own = client.get(f"/r/{world.refs['A.token1'].value}/answers")
    assert secret.encode() in own.data

"""The users of bench/load.py, as a locustfile: respondents, consultants and report downloads.

Not run by itself: bench/load.py starts locust with this file and says, through environment
variables, which app hosts are in rotation (CXM_LOAD_HOSTS_FILE), where the seeded
respondent links and consultant logins are (CXM_LOAD_SEED, JSON) and where to write what the
app acknowledged (CXM_LOAD_ACKNOWLEDGED, JSON).

Every request goes to the next host in rotation, like a load balancer's round robin; a
request to a host that does not answer (killed mid-run) is sent to the other, like a
proxy's next upstream. A
respondent remembers every answer the app acknowledged (autosave 200, save 302): after the
run, bench/load.py compares them with what the database holds.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task
from locust.exception import StopUser

HOSTS_FILE = os.environ["CXM_LOAD_HOSTS_FILE"]
with open(os.environ["CXM_LOAD_SEED"], encoding="utf-8") as seed_file:
    SEED = json.load(seed_file)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
TRIES = 6  # a host killed and restarted: the other answers in the meantime

links = iter(SEED["respondents"])
consultants = itertools.cycle(SEED["consultants"])
acknowledged: dict[str, dict[str, int]] = {}
"""Token → question id → the level the app last acknowledged storing."""
submitted: list[str] = []
failovers: dict[str, int] = {}
"""Route → requests sent again to the other host because theirs did not answer."""
turn = itertools.count()


class Rotation:
    """The hosts in rotation, as bench/load.py's health check writes them to HOSTS_FILE: a host
    killed or still starting is left out, as a load balancer's health check leaves it out."""

    def __init__(self) -> None:
        self.read_at, self.hosts = 0.0, [""]

    def next(self) -> str:
        now = time.monotonic()
        if now - self.read_at > 0.5:
            with open(HOSTS_FILE, encoding="utf-8") as hosts:
                self.hosts = hosts.read().split() or self.hosts
            self.read_at = now
        return self.hosts[next(turn) % len(self.hosts)]


rotation = Rotation()


def send(user: HttpUser, method: str, path: str, name: str, expected: tuple[int, ...], **kwargs):
    """The request on the next host; on a host that does not answer, on the other. A 5xx is
    a failure; so is any other unexpected status."""
    for attempt in range(TRIES):
        host = rotation.next()
        with user.client.request(
            method, host + path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code == 0:  # connection refused or reset: the host is down
                response.success()  # not the app's answer: the proxy tries the other host
                failovers[name] = failovers.get(name, 0) + 1
                continue
            if response.status_code not in expected:
                response.failure(f"{response.status_code} on {name} (attempt {attempt + 1})")
            return response
    raise StopUser()


class Respondent(HttpUser):
    """Answers every page with autosaves in between, then submits, as one person would."""

    fixed_count = len(SEED["respondents"])
    wait_time = between(0.3, 1.2)

    def on_start(self) -> None:
        try:
            self.token = next(links)["token"]
        except StopIteration:
            raise StopUser() from None
        acknowledged[self.token] = {}

    def csrf(self, path: str, name: str) -> str:
        page = send(self, "GET", path, name, (200,))
        found = CSRF.search(page.text or "")
        if found is None:
            raise StopUser()
        return html.unescape(found[1])

    @task
    def answer_everything(self) -> None:
        pages = SEED["pages"]
        for number, question_ids in enumerate(pages, 1):
            path = f"/r/{self.token}/d/{number}"
            token = self.csrf(path, "/r/[token]/d/[n]")
            for _ in range(2):  # a person changes their mind while autosave keeps up
                levels = {qid: random.randint(1, 5) for qid in question_ids}
                self.save(path + "/autosave", "autosave", token, levels, None, (200,))
                self.wait()
            levels = {qid: random.randint(1, 5) for qid in question_ids}
            action = "next" if number < len(pages) else "review"
            self.save(path, "save and next", token, levels, action, (302,))
        review = f"/r/{self.token}/review"
        token = self.csrf(review, "/r/[token]/review")
        done = send(self, "POST", f"/r/{self.token}/submit", "submit", (302,),
                    data={"csrf_token": token})  # fmt: skip
        if done.status_code == 302:
            submitted.append(self.token)
        raise StopUser()

    def save(self, path, name, token, levels, action, expected) -> None:
        form = {"csrf_token": token} | {f"answer-{qid}": str(v) for qid, v in levels.items()}
        if action:
            form["action"] = action
        response = send(self, "POST", path, name, expected, data=form)
        if response.status_code in expected:
            acknowledged[self.token].update(levels)


class Consultant(HttpUser):
    """Reads the portfolio, its JSON, the exports and a client's PDF, over and over."""

    fixed_count = SEED["consultant_users"]
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        login = next(consultants)
        self.slug = login["slug"]
        page = send(self, "GET", "/login", "/login", (200,))
        token = html.unescape(CSRF.search(page.text)[1])
        form = {"csrf_token": token, "email": login["email"], "password": login["password"]}
        send(self, "POST", "/login", "/login POST", (302,), data=form)

    @task(4)
    def portfolio(self) -> None:
        send(self, "GET", f"/w/{self.slug}/portfolio", "portfolio", (200,))

    @task(2)
    def portfolio_json(self) -> None:
        send(self, "GET", f"/w/{self.slug}/portfolio.json", "portfolio.json", (200,))

    @task(1)
    def export(self) -> None:
        send(self, "GET", f"/w/{self.slug}/exports/assessments.csv", "export csv", (200,))

    @task(1)
    def report(self) -> None:
        assessment_id = random.choice(SEED["reports"])
        language = random.choice(("de", "en"))
        path = f"/w/{self.slug}/assessments/{assessment_id}/report.pdf?lang={language}"
        send(self, "GET", path, "report.pdf", (200,))


@events.test_stop.add_listener
def write_acknowledged(**_kwargs) -> None:
    with open(os.environ["CXM_LOAD_ACKNOWLEDGED"], "w", encoding="utf-8") as out:
        json.dump({"answers": acknowledged, "submitted": submitted, "failovers": failovers}, out)

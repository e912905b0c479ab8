"""Two quarters of one client through the JSON API, with nothing but Python's standard library.

    CXM=http://127.0.0.1:5000 TOKEN=cxm_… python3 docs/examples/api_quarter.py

TOKEN is a `write` token of an owner or consultant (the workspace's "API tokens" page, or
`cxmaturity tokens create`). The script creates a client and, for 2026-Q3 and then
2026-Q4, opens an assessment, invites three respondents, reads the participation, lets
the three answer through their private links (as their browsers would: page by page,
then submit), and closes it. It prints the results of 2026-Q4 and the comparison with
2026-Q3. Each step prints what it sent and what came back; an error ends the script with
the API's problem document.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

BASE = os.environ.get("CXM", "http://127.0.0.1:5000").rstrip("/")
TOKEN = os.environ.get("TOKEN", "")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def api(method: str, path: str, body: dict | None = None) -> dict:
    """One API call; POSTs carry an Idempotency-Key, so a retry cannot act twice."""
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if method == "POST":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    request = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as error:
        sys.exit(f"{method} {path} answered {error.code}:\n{error.read().decode()}")


def answer_as_respondent(link: str, pages: list[list[str]], level: int) -> None:
    """What a respondent's browser does with their link: every page answered, then submit."""
    cookies = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    token = urllib.parse.urlsplit(link).path.split("/")[2]

    def form(path: str) -> str:
        with cookies.open(BASE + path) as page:
            return html.unescape(CSRF.search(page.read().decode())[1])

    for number, questions in enumerate(pages, 1):
        path = f"/r/{token}/d/{number}"
        fields = {"csrf_token": form(path), "action": "next" if number < len(pages) else "review"}
        fields |= {f"answer-{question}": str(level) for question in questions}
        cookies.open(BASE + path, urllib.parse.urlencode(fields).encode()).close()
    submit = {"csrf_token": form(f"/r/{token}/review")}
    cookies.open(BASE + f"/r/{token}/submit", urllib.parse.urlencode(submit).encode()).close()


def participation(assessment_id: int) -> dict:
    return api("GET", f"/api/v1/assessments/{assessment_id}/participation")["counts"]


def quarter(client_id: int, period: str, levels: list[int]) -> int:
    assessment = api("POST", f"/api/v1/clients/{client_id}/assessments", {"period": period})
    number = assessment["id"]
    print(f"{period}: assessment {number} created ({assessment['status']})")
    print(f"{period}: opened ({api('POST', f'/api/v1/assessments/{number}/open')['status']})")
    people = [{"name": name} for name in ("Eva Roth", "Max Weber", "Ida Berg")]
    invited = api("POST", f"/api/v1/assessments/{number}/invitations", {"respondents": people})
    links = [link["url"] for link in invited["links"]]
    print(f"{period}: invited {len(links)}; their links are shown only now")
    print(f"{period}: participation {participation(number)}")
    version = assessment["questionnaire"]
    questionnaire = api("GET", f"/api/v1/questionnaires/{version['id']}/{version['version']}")
    pages = [[q["id"] for q in dimension["questions"]] for dimension in questionnaire["dimensions"]]
    for link, level in zip(links, levels, strict=True):
        answer_as_respondent(link, pages, level)
    print(f"{period}: participation {participation(number)}")
    print(f"{period}: closed ({api('POST', f'/api/v1/assessments/{number}/close')['status']})")
    return number


def main() -> None:
    if not TOKEN:
        sys.exit("Set TOKEN to a write token of the workspace (and CXM to the server).")
    name = f"Beispiel {uuid.uuid4().hex[:6]} GmbH"
    client = api("POST", "/api/v1/clients", {"name": name, "industry": "retail"})
    print(f"client {client['id']} created: {client['name']}")
    quarter(client["id"], "2026-Q3", [2, 2, 3])
    latest = quarter(client["id"], "2026-Q4", [3, 3, 4])
    results = api("GET", f"/api/v1/assessments/{latest}/results")
    overall = results["overall"]
    print(f"2026-Q4 results: overall {overall['score']} (level {overall['level']})")
    for dimension in results["dimensions"]:
        print(f"  {dimension['id']:<26} {dimension['score']}  level {dimension['level']}")
    since = api("GET", f"/api/v1/assessments/{latest}/comparison")["since_last_period"]
    print(f"since 2026-Q3: overall {since['change']:+} ({since['comparability']})")
    for dimension in since["dimensions"]:
        print(f"  {dimension['id']:<26} {dimension['change']:+}  {dimension['comparability']}")


if __name__ == "__main__":
    main()

"""The executive's path through the web app, request by request."""

import html
import re

import pytest
from factories import respondent
from sqlalchemy import select
from web_helpers import answer_page, csrf_token, is_checked, start_assessment

from cxmaturity.domain.scoring import score_assessment
from cxmaturity.locale import round_down
from cxmaturity.services.contract import result_json
from cxmaturity.store.database import reading, transaction
from cxmaturity.store.models import Answer, Assessment, Respondent
from cxmaturity.web.context import services_of


def page_text(response) -> str:
    return response.get_data(as_text=True)


def test_start_page_explains_the_assessment_and_its_five_levels(client):
    page = page_text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="en">' in page
    assert "42 questions" in page
    for name in ("Initial", "Development", "Definition", "Managed", "Optimized"):
        assert name in page


def test_start_page_states_the_time_computed_from_the_newest_version(client):
    # New assessments use cx-maturity 1.1: 42 questions, about 5,000 words to read, which
    # domain.timing turns into a little under 30 minutes in either language.
    english = page_text(client.get("/", headers={"Accept-Language": "en"}))
    assert "about 30 minutes" in english
    assert "Answering the 42 questions takes about 30 minutes the first time" in english
    assert "{minutes}" not in english and "15 minutes" not in english
    german = page_text(client.get("/", headers={"Accept-Language": "de"}))
    assert "Die Beantwortung der 42 Fragen dauert beim ersten Mal etwa 30 Minuten" in german
    assert "4 · Managed" in german  # the product keeps the seed's stage names


def test_start_page_follows_accept_language(client):
    page = page_text(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"}))
    assert '<html lang="de">' in page
    assert "Entwicklung" in page and "Optimiert" in page


def test_language_choice_is_remembered(client):
    response = client.get("/language/de?next=/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = page_text(client.get("/", headers={"Accept-Language": "en"}))
    assert '<html lang="de">' in page


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_start_creates_an_assessment_and_opens_the_first_dimension(client):
    token = start_assessment(client)
    assert len(token) >= 40
    page = page_text(client.get(f"/r/{token}/d/1"))
    assert "Dimension 1 of 8" in page
    assert "0 of 42 answered" in page
    assert "Müller &amp; Söhne GmbH" in page
    assert f"/r/{token}/" in page  # the private link is shown


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("organization", "", "Please enter the company name."),
        ("period", "2026-Q5", "e.g. 2026-Q4"),
        ("period", "٢٠٢٦-Q4", "e.g. 2026-Q4"),  # Arabic-Indic digits: ASCII only
        ("organization", "x" * 201, "200"),
        ("industry", "weapons", "Not a valid choice"),
        ("organization", "ACME\x00 AG", "invisible control characters"),  # NUL: no 500
    ],
)
def test_start_refuses_bad_input_with_a_message_and_stores_nothing(
    client, app, field, value, message
):
    page = page_text(client.get("/"))
    form = {
        "csrf_token": csrf_token(page),
        "organization": "ACME",
        "period": "2026-Q4",
        "language": "en",
        field: value,
    }
    response = client.post("/start", data=form)
    assert response.status_code == 400
    assert message in page_text(response)
    assert count_rows(app, "organizations") == 0


def test_start_without_csrf_token_is_refused(client, app):
    response = client.post("/start", data={"organization": "ACME", "period": "2026-Q4"})
    assert response.status_code == 400
    assert count_rows(app, "organizations") == 0


def test_answers_are_saved_on_page_change_and_shown_again(client, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions
    response = answer_page(
        client,
        token,
        1,
        {first[0].id: "3", first[1].id: "5"},
        action="next",
        **{f"comment-{first[0].id}": "Strategie <b>fehlt</b>"},
    )
    assert response.headers["Location"].endswith(f"/r/{token}/d/2")
    page = page_text(client.get(f"/r/{token}/d/1"))
    assert is_checked(page, f"answer-{first[0].id}-2")  # the third option: level 3
    assert not is_checked(page, f"answer-{first[0].id}-3")
    assert "Strategie &lt;b&gt;fehlt&lt;/b&gt;" in page
    assert "2 of 42 answered" in page


def test_not_applicable_is_offered_only_where_allowed(client, questionnaire):
    token = start_assessment(client)
    with_na = next(q for d in questionnaire.dimensions for q in d.questions if q.allow_na)
    without_na = questionnaire.dimensions[0].questions[0]
    number = next(i for i, d in enumerate(questionnaire.dimensions, 1) if with_na in d.questions)
    assert answer_page(client, token, number, {with_na.id: "na"}).status_code == 302
    response = answer_page(client, token, 1, {without_na.id: "na"})
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["7", "0", "3.0", "true", "", "٣"])
def test_tampered_answer_values_are_refused_and_nothing_is_stored(
    client, app, questionnaire, value
):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions
    response = answer_page(client, token, 1, {first[0].id: value, first[1].id: "4"})
    assert response.status_code == 400
    assert "Nothing was saved" in page_text(response)
    assert count_rows(app, "answers") == 0


def test_unknown_question_ids_are_refused(client, app, questionnaire):
    token = start_assessment(client)
    other_dimension_question = questionnaire.dimensions[1].questions[0].id
    for field in ("answer-no-such-question", f"answer-{other_dimension_question}"):
        response = answer_page(client, token, 1, {}, **{field: "3"})
        assert response.status_code == 400
    assert count_rows(app, "answers") == 0


def test_unknown_tokens_and_pages_are_404(client):
    token = start_assessment(client)
    assert client.get("/r/not-a-real-token/d/1").status_code == 404
    assert client.get(f"/r/{'x' * 500}/d/1").status_code == 404
    assert client.get(f"/r/{token}/d/9").status_code == 404
    assert client.get(f"/r/{token}/d/0").status_code == 404
    assert "private link" in page_text(client.get("/r/nope/d/1"))


def test_a_token_opens_only_its_own_answers(client, questionnaire):
    first_token = start_assessment(client, organization="Alpha AG")
    second_token = start_assessment(client, organization="Beta GmbH")
    question = questionnaire.dimensions[0].questions[0].id
    answer_page(client, first_token, 1, {question: "5"})
    page = page_text(client.get(f"/r/{second_token}/d/1"))
    assert "Beta GmbH" in page and "Alpha AG" not in page
    assert "0 of 42 answered" in page


def test_oversized_bodies_are_refused_with_413(client):
    token = start_assessment(client)
    response = client.post(f"/r/{token}/d/1", data={"comment-x": "x" * 300_000})
    assert response.status_code == 413
    assert "Too much data" in page_text(response)


def test_an_expired_csrf_token_keeps_the_typed_answers(client, app, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions
    form = {
        "csrf_token": "expired-or-forged",
        f"answer-{first[0].id}": "4",
        f"comment-{first[0].id}": "bitte behalten",
        "action": "next",
    }
    response = client.post(f"/r/{token}/d/1", data=form)
    assert response.status_code == 400
    page = page_text(response)
    assert "not saved yet" in page
    assert "bitte behalten" in page
    assert is_checked(page, f"answer-{first[0].id}-3")
    assert count_rows(app, "answers") == 0
    # Saving again with the fresh token from that page works.
    form["csrf_token"] = csrf_token(page)
    assert client.post(f"/r/{token}/d/1", data=form).status_code == 302
    assert count_rows(app, "answers") == 1


def test_autosave_stores_answers_and_reports_progress(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[2].questions[0].id
    page = page_text(client.get(f"/r/{token}/d/3"))
    response = client.post(
        f"/r/{token}/d/3/autosave", data={"csrf_token": csrf_token(page), f"answer-{question}": "2"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert {key: body[key] for key in ("saved", "answered", "total", "message", "progress")} == {
        "saved": True,
        "answered": 1,
        "total": 42,
        "message": "Saved",
        "progress": "1 of 42 answered",
    }
    # The jump list follows too: this page (six questions in 1.1) has one fewer open.
    assert body["open_counts"]["3"] == "(5 open)" and body["open_counts"]["1"] == "(5 open)"
    assert body["answers"][question] == {"choice": "2", "comment": ""}


def answer_everything(client, token, questionnaire, choose):
    for number, dimension in enumerate(questionnaire.dimensions, start=1):
        answers = {q.id: choose(q) for q in dimension.questions}
        assert answer_page(client, token, number, answers).status_code == 302


def submit(client, token):
    page = page_text(client.get(f"/r/{token}/review"))
    return client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(page)})


def test_submitting_twice_stores_one_submission(client, app, questionnaire):
    token = start_assessment(client)
    answer_everything(client, token, questionnaire, lambda q: "3")
    page = page_text(client.get(f"/r/{token}/review"))
    for _ in range(2):
        response = client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(page)})
        assert response.headers["Location"].endswith(f"/r/{token}/results")
    assert count_rows(app, "respondents", "status = 'submitted'") == 1
    # After submission the answers are final.
    question = questionnaire.dimensions[0].questions[0].id
    response = client.post(
        f"/r/{token}/d/1", data={"csrf_token": csrf_token(page), f"answer-{question}": "5"}
    )
    assert response.status_code == 302
    assert count_rows(app, "answers", "level = 5") == 0


def test_results_page_agrees_with_the_cli_score(client, questionnaire):
    token = start_assessment(client)
    levels = {q: 1 + (index * 7) % 5 for index, q in enumerate(questionnaire.questions)}
    answer_everything(client, token, questionnaire, lambda q: str(levels[q.id]))
    submit(client, token)
    page = page_text(client.get(f"/r/{token}/results"))

    result = score_assessment(questionnaire, [respondent(**levels)])
    expected = result_json(questionnaire, result)
    overall = expected["overall"]
    overall_name = questionnaire.level(overall["level"]).name.get("en")
    assert f"{overall['level']} · {overall_name}" in page
    assert f"Score {round_down(result.overall_score, 1)} of 5" in page  # DESIGN §4.8
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td class="number"[^>]*>(.*?)</td>', page)
    assert rows == [
        (
            html.escape(questionnaire.dimension(d.dimension_id).title.get("en")),
            str(round_down(d.score, 1)),
        )
        for d in result.dimensions
    ]
    first = result.dimension(result.priorities[0])
    steps = questionnaire.dimension(first.dimension_id).recommendations[first.level]
    assert html.escape(steps[0].get("en")) in page


def test_radar_chart_is_an_svg_without_script(client, questionnaire):
    token = start_assessment(client, organization="Ba$$in_x GmbH")
    answer_everything(client, token, questionnaire, lambda q: "2")
    submit(client, token)
    response = client.get(f"/r/{token}/radar.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<script" not in response.data


def test_results_wait_for_submission(client):
    token = start_assessment(client)
    response = client.get(f"/r/{token}/results")
    assert response.headers["Location"].endswith(f"/r/{token}/review")
    assert client.get(f"/r/{token}/radar.svg").status_code == 404


def test_security_headers_are_set(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script>" not in page_text(response)  # no inline script anywhere


def test_session_cookie_is_httponly_and_samesite(client):
    start_assessment(client)
    cookies = client.get_cookie("session")
    assert cookies is not None
    assert cookies.http_only and cookies.same_site == "Lax"


@pytest.mark.parametrize(
    ("path", "code", "text"),
    [
        ("/no-such-page", 404, "Page not found"),
        ("/start", 405, "not possible"),
    ],
)
def test_error_pages_are_friendly_in_both_languages(client, path, code, text):
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == code
    assert text in page_text(response)
    german = client.get(path, headers={"Accept-Language": "de"})
    assert '<html lang="de">' in page_text(german)
    assert text not in page_text(german)


def count_rows(app, table, where="1 = 1"):
    from sqlalchemy import text

    database = services_of(app)
    with database.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}")).scalar()


def test_every_template_autoescapes_whatever_its_name(app):
    # Flask escapes only .html/.htm/.xml/.svg by default; we escape everything.
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ name }}").render(name="<img src=x>")
    assert rendered == "&lt;img src=x&gt;"


def test_cli_is_reachable_through_flask(app):
    result = app.test_cli_runner().invoke(args=["cx", "questionnaire", "show", "cx-maturity"])
    assert result.exit_code == 0
    assert '"id": "cx-maturity"' in result.output


def test_names_are_stored_in_nfc(client, app):
    start_assessment(client, organization="Mu\u0308ller GmbH")  # u + combining diaeresis
    database = services_of(app)
    from sqlalchemy import text

    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM organizations")).scalar() == "Müller GmbH"


@pytest.mark.parametrize("comment", ["x" * 2001, "bad \x00 byte"])
def test_a_comment_that_cannot_be_stored_keeps_the_page_and_saves_nothing(
    client, app, questionnaire, comment
):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions[0]
    response = answer_page(client, token, 1, {first.id: "2"}, **{f"comment-{first.id}": comment})
    assert response.status_code == 400
    page = page_text(response)
    assert "Please correct the marked comments" in page
    assert is_checked(page, f"answer-{first.id}-1")
    assert count_rows(app, "answers") == 0


def test_a_tampered_answer_gets_a_specific_message(client, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions[0]
    response = answer_page(client, token, 1, {first.id: "9"})
    assert "An answer was not one of the options offered" in page_text(response)


def test_pdf_report_downloads_with_the_results(client, questionnaire):
    from io import BytesIO

    from pypdf import PdfReader

    token = start_assessment(client, organization="Größe & Söhne AG", language="de")
    answer_everything(client, token, questionnaire, lambda q: "3")
    assert client.get(f"/r/{token}/report.pdf").status_code == 404  # not submitted yet
    submit(client, token)
    response = client.get(f"/r/{token}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert (
        "attachment" in disposition and "CX-Reifegrad-Groesse-Soehne-AG-2026-Q4.pdf" in disposition
    )
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    assert "Größe & Söhne AG" in text
    assert questionnaire.dimensions[0].title.get("de") in text
    # A second download is the cached file, byte for byte.
    assert client.get(f"/r/{token}/report.pdf").data == response.data


@pytest.mark.parametrize("size", ["1-49", "50-249", "250-999", "1000-4999", "5000+"])
def test_every_company_size_offered_can_be_stored(client, app, size):
    start_assessment(client, size=size)
    assert count_rows(app, "organizations", f"size = '{size}'") == 1


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/ok\r\n"])
def test_language_switch_refuses_whitespace_tricks(client, target):
    raw = client.get("/language/en?next=/%09/evil.example")  # as an attacker would link it
    assert raw.headers["Location"] == "/"
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_token_pages_send_no_referrer_and_other_pages_only_to_our_own_host(client):
    token = start_assessment(client)
    for path in (f"/r/{token}/d/1", f"/r/{token}/review", "/r/unknown-token/d/1"):
        assert client.get(path).headers["Referrer-Policy"] == "no-referrer", path
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_a_token_page_posts_over_https_without_a_referer(app, questionnaire):
    # Under no-referrer the browser sends no Referer with the page's own posts.
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    page = client.get("/", **https).get_data(as_text=True)
    started = client.post(
        "/start",
        data={
            "csrf_token": csrf_token(page),
            "organization": "Secure AG",
            "period": "2026-Q4",
            "language": "en",
        },
        **https,
    )
    token = started.headers["Location"].split("/r/")[1].split("/")[0]
    question = questionnaire.dimensions[0].questions[0].id
    page = client.get(f"/r/{token}/d/1", **https).get_data(as_text=True)
    saved = client.post(
        f"/r/{token}/d/1",
        data={"csrf_token": csrf_token(page), f"answer-{question}": "3", "action": "next"},
        **https,
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/r/{token}/d/2")
    assert client.get(f"/r/{token}/d/1", **https).status_code == 200


def test_forms_work_over_https(app):
    client = app.test_client()
    page = client.get("/", base_url="https://localhost").get_data(as_text=True)
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Referrer-Policy"] == "same-origin"
    form = {
        "csrf_token": csrf_token(page),
        "organization": "Secure AG",
        "period": "2026-Q4",
        "language": "en",
    }
    response = client.post(
        "/start", data=form, base_url="https://localhost", headers={"Referer": "https://localhost/"}
    )
    assert response.status_code == 302


def test_an_expired_form_of_an_unknown_or_submitted_respondent_is_no_server_error(
    client, questionnaire
):
    question = questionnaire.dimensions[0].questions[0].id
    stale = {"csrf_token": "stale", f"answer-{question}": "3"}
    assert client.post("/r/unknown-token/d/1", data=stale).status_code == 404
    token = start_assessment(client)
    assert client.post(f"/r/{token}/d/99", data=stale).status_code == 404
    submit(client, token)
    response = client.post(f"/r/{token}/d/1", data=stale)
    assert response.headers["Location"].endswith(f"/r/{token}/results")


def test_an_absurd_jump_target_stays_on_the_page(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0].id
    response = answer_page(client, token, 1, {question: "3"}, action="goto-" + "9" * 5000)
    assert response.headers["Location"].endswith(f"/r/{token}/d/1")


def test_results_say_when_the_weakest_dimension_caps_the_level(client, questionnaire):
    token = start_assessment(client)
    weakest = questionnaire.dimensions[-1]
    answer_everything(
        client, token, questionnaire, lambda q: "1" if q in weakest.questions else "5"
    )
    submit(client, token)
    page = page_text(client.get(f"/r/{token}/results"))
    assert "2 · Development" in page
    assert (
        "Capped: the overall level is at most 1 level above the weakest dimension "
        f"({html.escape(weakest.title.get('en'))}), although the average score alone "
        "would reach level 5."
    ) in page


@pytest.mark.parametrize(("status", "expected"), [("draft", 409), ("closed", 409)])
def test_an_expired_form_of_a_draft_or_closed_assessment_says_so_and_saves_nothing(
    client, sessions, questionnaire, status, expected
):
    question = questionnaire.dimensions[0].questions[0].id
    token = start_assessment(client)
    with transaction(sessions) as session:
        respondent = session.scalars(select(Respondent)).one()
        session.get(Assessment, respondent.assessment_id).status = status
    stale = {"csrf_token": "stale", f"answer-{question}": "3"}

    response = client.post(f"/r/{token}/d/1", data=stale)

    assert response.status_code == expected
    with reading(sessions) as session:
        assert session.scalars(select(Answer)).all() == []

"""What a respondent meets: Enter, leaving a page, clearing, resuming, review, after submission."""

import html
import re
from html.parser import HTMLParser

import pytest
from web_helpers import answer_page, csrf_token, is_checked, start_assessment

from cxmaturity.web.context import services_of


def page_text(response) -> str:
    return response.get_data(as_text=True)


class SubmitButtons(HTMLParser):
    """The submit buttons of the form with id `form_id`, in page order (the browser's order)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if tag == "button" and attributes.get("type", "submit") == "submit":
            owner = attributes.get("form")
            if owner == self.form_id or (owner is None and self.inside):
                self.buttons.append(attributes)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def submit_buttons(page: str) -> list[dict]:
    parser = SubmitButtons("answers")
    parser.feed(page)
    return parser.buttons


def stored(app, where="1 = 1"):
    from sqlalchemy import text

    with services_of(app).engine.connect() as connection:
        return connection.execute(
            text(f"SELECT question_id, level, not_applicable, comment FROM answers WHERE {where}")
        ).all()


def answered_levels(app) -> dict:
    return {row.question_id: row.level for row in stored(app) if row.level is not None}


# --- A1: Enter goes forward -------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 5, 8])
def test_the_first_submit_button_of_a_dimension_page_goes_forward(client, number):
    token = start_assessment(client)
    buttons = submit_buttons(page_text(client.get(f"/r/{token}/d/{number}")))
    # Enter in a form presses its first submit button ("default button").
    assert buttons[0]["value"] == ("next" if number < 8 else "review")


# --- A2: leaving a page by its own links saves first ------------------------------------


def test_the_header_links_of_a_dimension_page_are_buttons_that_save(client):
    token = start_assessment(client)
    page = page_text(client.get(f"/r/{token}/d/2"))
    values = [button["value"] for button in submit_buttons(page)]
    assert "home" in values and "language-de" in values
    assert "/language/" not in page  # no plain link that would leave without saving
    assert not re.search(r'<a [^>]*class="brand"', page)


def test_switching_language_from_a_dimension_page_saves_the_answers(client, app, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[1].questions[0]
    response = answer_page(client, token, 2, {question.id: "4"}, action="language-de")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{token}/d/2")
    assert answered_levels(app) == {question.id: 4}
    page = page_text(client.get(f"/r/{token}/d/2"))
    assert '<html lang="de">' in page
    assert is_checked(page, f"answer-{question.id}-3")


def test_the_logo_of_a_dimension_page_saves_then_goes_home(client, app, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[2].questions[1]
    response = answer_page(client, token, 3, {question.id: "2"}, action="home")
    assert response.headers["Location"].endswith("/")
    assert answered_levels(app) == {question.id: 2}


def test_a_jump_to_a_question_of_another_page_saves_and_lands_on_it(client, app, questionnaire):
    token = start_assessment(client)
    here = questionnaire.dimensions[0].questions[0]
    there = questionnaire.dimensions[3].questions[2]
    response = answer_page(client, token, 1, {here.id: "5"}, action=f"goto-4@{there.id}")
    assert response.headers["Location"].endswith(f"/r/{token}/d/4#q-{there.id}")
    assert answered_levels(app) == {here.id: 5}


# --- A7: clearing an answer, resuming where one stopped ---------------------------------


def test_a_chosen_answer_can_be_cleared_without_javascript(client, app, questionnaire):
    token = start_assessment(client)
    first, second = questionnaire.dimensions[0].questions[:2]
    answer_page(client, token, 1, {first.id: "3", second.id: "4"})
    # The browser sends the still-checked option together with the clear button.
    response = answer_page(
        client,
        token,
        1,
        {first.id: "3", second.id: "4"},
        action=f"clear-{first.id}",
        **{f"comment-{first.id}": "noch offen"},
    )
    assert response.headers["Location"].endswith(f"/r/{token}/d/1#q-{first.id}")
    assert answered_levels(app) == {second.id: 4}
    page = page_text(client.get(f"/r/{token}/d/1"))
    assert not any(is_checked(page, f"answer-{first.id}-{index}") for index in range(5))
    assert "noch offen" in page  # the comment stays
    assert "1 of 42 answered" in page


def test_a_chosen_answer_can_be_cleared_by_autosave(client, app, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0]
    answer_page(client, token, 1, {question.id: "3"})
    page = page_text(client.get(f"/r/{token}/d/1"))
    response = client.post(
        f"/r/{token}/d/1/autosave",
        data={"csrf_token": csrf_token(page), f"clear-{question.id}": "1"},
    )
    assert response.get_json()["answered"] == 0
    assert answered_levels(app) == {}


def test_the_resume_link_lands_on_the_last_page_visited_with_the_open_questions(
    client, questionnaire
):
    token = start_assessment(client)
    answer_page(client, token, 1, {q.id: "3" for q in questionnaire.dimensions[0].questions})
    client.get(f"/r/{token}/d/4")
    client.get(f"/r/{token}/d/3")
    response = client.get(f"/r/{token}/")
    assert re.search(rf"/r/{token}/d/3\?resumed=1$", response.headers["Location"])
    page = page_text(client.get(response.headers["Location"]))
    assert "37 questions are still open" in page
    open_question = questionnaire.dimensions[5].questions[1]
    assert f'value="goto-6@{open_question.id}"' in page
    assert html.escape(open_question.short.get("en")) in page
    answered = questionnaire.dimensions[0].questions[0]
    assert f"goto-1@{answered.id}" not in page


# --- A5, A6: the review page, and the answers after submission --------------------------


def test_review_shows_every_answer_in_short_with_a_link_to_change_it(client, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0].questions
    answer_page(
        client, token, 1, {first[0].id: "3", first[1].id: "5"}, **{f"comment-{first[1].id}": "x"}
    )
    page = page_text(client.get(f"/r/{token}/review"))
    assert "2 of 42 questions answered" in page
    items = re.findall(r"<li[^>]*>(.*?)</li>", page.split('class="answer-summary"', 1)[1], re.S)
    assert len(re.findall(r'class="answer-change"', page)) == 42
    for dimension_number, dimension in enumerate(questionnaire.dimensions, start=1):
        for question in dimension.questions:
            assert f'href="/r/{token}/d/{dimension_number}#q-{question.id}"' in page, question.id
            assert html.escape(question.short.get("en")) in page
    summary = {
        question.id: next(i for i in items if html.escape(question.short.get("en")) in i)
        for question in first[:3]
    }
    assert "Level 3" in summary[first[0].id] and "with comment" not in summary[first[0].id]
    assert "Level 5" in summary[first[1].id] and "with comment" in summary[first[1].id]
    assert "not answered" in summary[first[2].id]


def test_review_says_that_submitting_is_final(client):
    token = start_assessment(client)
    page = page_text(client.get(f"/r/{token}/review"))
    assert "Submitting is final" in page
    assert "can no longer be changed" in page


def test_after_submission_the_respondent_reads_their_own_answers_and_comments(
    client, questionnaire
):
    token = start_assessment(client, organization="Lesbar AG")
    first = questionnaire.dimensions[0].questions
    answer_page(
        client, token, 1, {first[0].id: "2"}, **{f"comment-{first[0].id}": "Mein <Kommentar>"}
    )
    review = page_text(client.get(f"/r/{token}/review"))
    client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(review)})
    assert f'href="/r/{token}/answers"' in page_text(client.get(f"/r/{token}/results"))
    page = page_text(client.get(f"/r/{token}/answers"))
    assert first[0].text.get("en") in page
    assert "Level 2" in page and first[0].option(2).text.get("en") in page
    assert "<bdi>Mein &lt;Kommentar&gt;</bdi>" in page
    assert "<form" not in page.split("<main", 1)[1]  # nothing left to change


def test_the_answers_view_waits_for_submission(client):
    token = start_assessment(client)
    response = client.get(f"/r/{token}/answers")
    assert response.headers["Location"].endswith(f"/r/{token}/review")
    assert client.get("/r/not-a-real-token/answers").status_code == 404


# --- B5: duplicated fields --------------------------------------------------------------


def duplicated_post(client, token, path, field, values):
    page = page_text(client.get(f"/r/{token}/d/1"))
    body = [("csrf_token", csrf_token(page)), ("action", "next")]
    body += [(field, value) for value in values]
    encoded = "&".join(f"{name}={value}" for name, value in body)
    return client.post(path, data=encoded, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("target", ["page", "autosave"])
@pytest.mark.parametrize("kind", ["answer", "comment", "action"])
def test_duplicated_form_fields_are_refused_and_nothing_is_stored(
    client, app, questionnaire, target, kind
):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0]
    field, values = {
        "answer": (f"answer-{question.id}", ["4", "5"]),
        "comment": (f"comment-{question.id}", ["eins", "zwei"]),
        "action": ("action", ["back", "review"]),
    }[kind]
    path = f"/r/{token}/d/1" + ("/autosave" if target == "autosave" else "")
    response = duplicated_post(client, token, path, field, values)
    assert response.status_code == 400
    if target == "autosave":
        assert response.get_json()["saved"] is False
    else:
        assert "twice" in page_text(response)
    assert stored(app) == []


def test_a_duplicated_start_form_field_is_refused(client, app):
    page = page_text(client.get("/"))
    body = (
        f"csrf_token={csrf_token(page)}&organization=Eins&organization=Zwei"
        "&period=2026-Q4&language=en"
    )
    response = client.post("/start", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    from sqlalchemy import text

    with services_of(app).engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM organizations")).scalar() == 0


# --- B7: autosave answers JSON, whatever happens ----------------------------------------


def autosave_json(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert body["saved"] is False and body["message"]
    return body


def test_autosave_answers_json_for_every_refusal(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0].id
    page = page_text(client.get(f"/r/{token}/d/1"))
    fresh = {"csrf_token": csrf_token(page)}
    autosave_json(
        client.post(f"/r/{token}/d/1/autosave", data={**fresh, f"answer-{question}": "9"}), 400
    )
    autosave_json(client.post(f"/r/{token}/d/1/autosave", data={**fresh, "nope": "1"}), 400)
    autosave_json(client.post(f"/r/{token}/d/1/autosave", data={f"answer-{question}": "3"}), 400)
    autosave_json(client.post(f"/r/{token}/d/1/autosave", data={**fresh, "csrf_token": "x"}), 400)
    autosave_json(client.post("/r/not-a-token/d/1/autosave", data=fresh), 404)
    autosave_json(client.post(f"/r/{token}/d/42/autosave", data=fresh), 404)
    autosave_json(client.post(f"/r/{token}/d/1/autosave", data={"comment-x": "x" * 300_000}), 413)
    review = page_text(client.get(f"/r/{token}/review"))
    client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(review)})
    autosave_json(
        client.post(f"/r/{token}/d/1/autosave", data={**fresh, f"answer-{question}": "3"}), 409
    )


def test_autosave_answers_json_when_the_database_fails(client, app, questionnaire):
    from sqlalchemy import text

    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0].id
    page = page_text(client.get(f"/r/{token}/d/1"))
    with services_of(app).engine.begin() as connection:
        connection.execute(text("ALTER TABLE answers RENAME TO answers_gone"))
    response = client.post(
        f"/r/{token}/d/1/autosave",
        data={"csrf_token": csrf_token(page), f"answer-{question}": "3"},
    )
    assert response.status_code >= 500
    autosave_json(response, response.status_code)


# --- bidi: user text isolated -----------------------------------------------------------


def test_the_company_name_is_isolated_in_running_text(client, questionnaire):
    name = "\u05e9\u05dc\u05d5\u05dd Ltd"  # Hebrew, right to left
    token = start_assessment(client, organization=name)
    for path in (f"/r/{token}/d/1", f"/r/{token}/review"):
        assert f"<bdi>{name}</bdi>" in page_text(client.get(path)), path
    review = page_text(client.get(f"/r/{token}/review"))
    client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(review)})
    for path in (f"/r/{token}/results", f"/r/{token}/answers"):
        assert f"<bdi>{name}</bdi>" in page_text(client.get(path)), path


def test_a_dimension_page_is_shown_in_each_language_after_the_other(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0]
    answer_page(client, token, 1, {question.id: "2"})
    for language in ("en", "de", "en"):
        client.get(f"/language/{language}")
        page = page_text(client.get(f"/r/{token}/d/1"))
        assert html.escape(question.option(3).text.get(language)) in page
        assert is_checked(page, f"answer-{question.id}-1")
    assert "Antwort zurücknehmen" not in page and "Clear this answer" in page


def test_autosave_after_submission_says_so_and_links_to_the_results(client, questionnaire):
    """A tab left open after submitting: a clear sentence and the way to the results."""
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[0].id
    page = page_text(client.get(f"/r/{token}/d/1"))
    review = page_text(client.get(f"/r/{token}/review"))
    client.post(f"/r/{token}/submit", data={"csrf_token": csrf_token(review)})
    response = client.post(
        f"/r/{token}/d/1/autosave", data={"csrf_token": csrf_token(page), f"answer-{question}": "3"}
    )
    body = autosave_json(response, 409)
    assert "already been submitted" in body["message"]
    assert body["link"]["url"] == f"/r/{token}/results"
    assert body["link"]["text"] == "See the results"

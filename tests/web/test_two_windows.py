"""Two windows on one private link: a page post or autosave changes only what its page changed."""

from web_helpers import page_fields, start_assessment


def open_page(client, token, number=2) -> dict[str, str]:
    """A window opened on dimension page `number`: the fields its form would send."""
    return page_fields(client.get(f"/r/{token}/d/{number}").get_data(as_text=True))


def stored(client, token, question_id, number=2) -> tuple[str, str]:
    fields = open_page(client, token, number)
    return fields.get(f"answer-{question_id}", ""), fields[f"comment-{question_id}"]


def test_a_stale_window_keeps_the_comment_saved_in_the_other_and_says_so(client, questionnaire):
    """Without JavaScript: tab B's page post sends its empty comment, which undoes nothing."""
    token = start_assessment(client)
    question = questionnaire.dimensions[1].questions[0].id
    tab_a, tab_b = open_page(client, token), open_page(client, token)

    tab_a |= {f"answer-{question}": "1", f"comment-{question}": "from tab A", "action": "stay"}
    assert client.post(f"/r/{token}/d/2", data=tab_a).status_code == 302
    tab_b |= {f"answer-{question}": "5", "action": "next"}
    response = client.post(f"/r/{token}/d/2", data=tab_b)

    # B's page was out of date: B sees this page again as stored, with the reason.
    assert response.headers["Location"].endswith(f"/r/{token}/d/2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "question 1 on this page was changed in another window" in page
    assert stored(client, token, question) == ("5", "from tab A")


def test_saving_an_untouched_stale_page_keeps_the_newer_answer(client, questionnaire):
    token = start_assessment(client)
    first, second = (q.id for q in questionnaire.dimensions[1].questions[:2])
    tab_a, tab_b = open_page(client, token), open_page(client, token)
    tab_b |= {f"answer-{first}": "4", "action": "stay"}
    client.post(f"/r/{token}/d/2", data=tab_b)

    tab_a |= {f"answer-{second}": "2", "action": "next"}  # A answers another question only
    response = client.post(f"/r/{token}/d/2", data=tab_a)
    assert stored(client, token, first) == ("4", "")
    assert stored(client, token, second) == ("2", "")
    assert response.headers["Location"].endswith("/d/2")  # shown again: question 1 changed


def test_autosave_from_a_stale_window_reports_the_stored_answers(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[1].questions[0].id
    tab_a, tab_b = open_page(client, token), open_page(client, token)
    tab_a |= {f"answer-{question}": "1", f"comment-{question}": "from tab A"}
    assert client.post(f"/r/{token}/d/2/autosave", data=tab_a).json["saved"]

    tab_b |= {f"answer-{question}": "5"}
    body = client.post(f"/r/{token}/d/2/autosave", data=tab_b).json
    assert body["saved"] and body["changed_elsewhere"] == [question]
    assert body["answers"][question] == {"choice": "5", "comment": "from tab A"}
    assert "changed in another window" in body["message"]
    assert stored(client, token, question) == ("5", "from tab A")


def test_a_shown_choice_no_page_offers_is_refused(client, questionnaire):
    token = start_assessment(client)
    question = questionnaire.dimensions[1].questions[0].id
    fields = open_page(client, token) | {f"shown-answer-{question}": "7", "action": "stay"}
    assert client.post(f"/r/{token}/d/2", data=fields).status_code == 400


def test_a_page_shown_again_with_a_problem_keeps_what_it_showed_first(client, questionnaire):
    """A comment too long: nothing is saved, and the fixed page still merges against the first."""
    token = start_assessment(client)
    question = questionnaire.dimensions[1].questions[0].id
    tab = open_page(client, token) | {f"comment-{question}": "x" * 2001, "action": "stay"}
    response = client.post(f"/r/{token}/d/2", data=tab)
    assert response.status_code == 400
    again = page_fields(response.get_data(as_text=True))
    assert again[f"shown-comment-{question}"] == ""
    assert again[f"comment-{question}"] == "x" * 2001

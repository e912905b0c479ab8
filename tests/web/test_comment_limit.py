"""A comment's limit is shown beside it, and a comment too long gets a plain message."""

import re

import pytest
from web_helpers import page_fields, start_assessment


def test_every_comment_shows_its_limit_and_names_it_for_screen_readers(client, questionnaire):
    token = start_assessment(client)
    page = client.get(f"/r/{token}/d/1").get_data(as_text=True)
    question = questionnaire.dimensions[0].questions[0].id
    box = re.search(rf'<textarea id="comment-{question}"[^>]*>', page).group(0)
    assert f'aria-describedby="comment-{question}-limit"' in box
    hint = re.search(rf'<p[^>]*id="comment-{question}-limit"[^>]*>([^<]*)</p>', page)
    assert hint.group(1) == "Up to 2000 characters."


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Please shorten the comment to at most 2000 characters (it has 2500 now)."),
        ("de", "Bitte kürzen Sie den Kommentar auf höchstens 2000 Zeichen (derzeit sind es 2500)."),
    ],
)
def test_a_comment_too_long_gets_a_plain_message(client, questionnaire, language, message):
    token = start_assessment(client, language=language)
    question = questionnaire.dimensions[0].questions[0].id
    fields = page_fields(client.get(f"/r/{token}/d/1").get_data(as_text=True))
    fields |= {f"comment-{question}": "x" * 2500, "action": "stay"}
    response = client.post(f"/r/{token}/d/1", data=fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)

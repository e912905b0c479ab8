"""A respondent's own pages show the aggregate and their own answers, nobody else's (DESIGN §8)."""

import io

import pytest
from factories import cx_maturity, make_assessment, make_respondent
from pypdf import PdfReader

from cxmaturity.store.database import transaction

QUESTIONNAIRE = cx_maturity()
FIRST = next(iter(QUESTIONNAIRE.questions))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("mode", ["named", "confidential", "anonymous"])
def test_a_respondent_never_sees_another_respondents_name_or_comment(client, sessions, mode):
    with transaction(sessions) as session:
        assessment = make_assessment(session)
        assessment.anonymity = mode
        _mine, token = make_respondent(
            session,
            assessment,
            name="Anna Schäfer",
            answers=dict.fromkeys(QUESTIONNAIRE.questions, 2),
            comments={FIRST: "Mein eigener Hinweis."},
            submitted=True,
        )
        make_respondent(
            session,
            assessment,
            name="Ben Kraus",
            answers=dict.fromkeys(QUESTIONNAIRE.questions, 4),
            comments={FIRST: "Geheimer Hinweis von Ben."},
            submitted=True,
        )
    results = client.get(f"/r/{token}/results").get_data(as_text=True)
    answers = client.get(f"/r/{token}/answers").get_data(as_text=True)
    report = client.get(f"/r/{token}/report.pdf")
    assert report.status_code == 200
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.data)).pages)
    pdf = " ".join(pdf.split())
    for shown in (results, answers, pdf):
        assert "Ben Kraus" not in shown and "Geheimer Hinweis" not in shown
        assert "R2" not in shown
    assert "Mein eigener Hinweis." in answers and "Mein eigener Hinweis." in pdf
    assert "2 respondents" in results and "3.0" in results  # the mean of 2 and 4
    assert "Anna Schäfer" not in pdf  # with others, nobody is listed by name

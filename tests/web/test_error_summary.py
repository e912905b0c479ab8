"""Pages with errors: a summary at the top linking to the fields, each naming its error."""

import re

from web_helpers import csrf_token, page_fields, start_assessment


def page_text(response) -> str:
    return response.get_data(as_text=True)


def tag_of(page: str, element_id: str) -> str:
    tag = re.search(rf'<(?:input|textarea)[^>]*id="{re.escape(element_id)}"[^>]*>', page)
    assert tag, f"no field {element_id}"
    return tag.group(0)


def described_by(page: str, element_id: str) -> list[str]:
    found = re.search(r'aria-describedby="([^"]*)"', tag_of(page, element_id))
    return found.group(1).split() if found else []


def element_text(page: str, element_id: str) -> str:
    found = re.search(rf'<p[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</p>', page, re.S)
    assert found, f"no element {element_id}"
    return found.group(1)


def post_start(client, **fields):
    form = {"csrf_token": csrf_token(page_text(client.get("/"))), "organization": "ACME"}
    form |= {"period": "2026-Q4", "language": "en", **fields}
    return client.post("/start", data=form)


def test_a_start_page_with_errors_opens_with_a_summary_linking_to_the_fields(client):
    response = post_start(client, organization="   ", period="2026-Q9")
    assert response.status_code == 400
    page = page_text(response)
    summary = page.index('class="notice notice-error error-summary"')
    assert summary < page.index('class="intro"')  # at the top, above the long introduction
    assert "autofocus" in page[summary : page.index(">", summary)]
    links = re.findall(r'<li><a href="#([a-z_]+)">([^<]*)</a></li>', page[summary:])
    assert [target for target, _text in links] == ["organization", "period"]
    assert "Please enter the company name." in links[0][1]


def test_a_field_in_error_says_so_and_names_its_error(client):
    page = page_text(post_start(client, organization="   ", period="2026-Q9"))
    assert 'aria-invalid="true"' in tag_of(page, "organization")
    assert described_by(page, "organization") == ["organization-error"]
    assert element_text(page, "organization-error") == "Please enter the company name."
    # The period keeps its hint and adds its error.
    assert described_by(page, "period") == ["period-hint", "period-error"]
    assert 'aria-invalid="true"' in tag_of(page, "period")
    assert "aria-invalid" not in tag_of(page, "respondent")


def test_a_dimension_page_with_a_comment_too_long_links_the_summary_to_the_comment(
    client, questionnaire
):
    token = start_assessment(client)
    question = questionnaire.dimensions[0].questions[1].id
    fields = page_fields(page_text(client.get(f"/r/{token}/d/1")))
    fields |= {f"comment-{question}": "x" * 2001, "action": "stay"}
    page = page_text(client.post(f"/r/{token}/d/1", data=fields))
    summary = page[page.index("error-summary") :]
    assert f'<a href="#comment-{question}">Question 2: ' in summary
    assert 'aria-invalid="true"' in tag_of(page, f"comment-{question}")
    assert f"comment-{question}-error" in described_by(page, f"comment-{question}")

"""The parts of a dimension page rendered once per process follow each request's language."""

import html

from web_helpers import answer_page, start_assessment


def test_the_list_of_dimensions_is_in_each_language_after_the_other(client, questionnaire):
    token = start_assessment(client)
    first = questionnaire.dimensions[0]
    answer_page(client, token, 1, {first.questions[0].id: "2"})
    still_open = len(first.questions) - 1
    notes = {"en": f"({still_open} open)", "de": f"({still_open} offen)"}
    for language in ("en", "de", "en", "de"):
        client.get(f"/language/{language}")
        page = client.get(f"/r/{token}/d/2").get_data(as_text=True)
        assert notes[language] in page
        assert html.escape(first.title.get(language)) in page
        other = "de" if language == "en" else "en"
        assert notes[other] not in page


def test_a_template_inside_force_locale_speaks_that_language_and_the_request_its_own(app):
    from flask import render_template_string

    from cxmaturity.web.i18n import force_locale

    template = "{{ _('Save') }} {{ current_language() }}"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "Save en"
        with force_locale("de"):
            assert render_template_string(template) == "Speichern de"
        assert render_template_string(template) == "Save en"


def test_the_addresses_of_static_files_follow_the_path_the_app_is_mounted_under(client):
    for mounted_under in ("", "/cx", ""):
        address = f"http://localhost{mounted_under}/"
        page = client.get("/", base_url=address).get_data(as_text=True)
        assert f'href="{mounted_under}/static/style.css"' in page

"""Small things every page gets right: the icon, the private link's box, German spacing."""

from web_helpers import start_assessment


def test_every_page_names_an_icon_that_is_served(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_german_abbreviations_do_not_break_across_lines(client):
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "z.\u00a0B. 2026-Q4" in page
    assert "z. B." not in page


def test_the_private_link_shows_whole_and_offers_a_copy_button_to_the_script(client):
    token = start_assessment(client)
    page = client.get(f"/r/{token}/d/1").get_data(as_text=True)
    assert (
        f'<textarea id="resume-url" readonly rows="2" class="resume-url" spellcheck="false">https://cx.example.org/r/{token}/</textarea>'
        in page
    )
    assert 'data-copy-label="Copy link"' in page
    assert '<script src="/static/copy-link.js" defer></script>' in page

"""Hosted for others: an Impressum and a privacy notice on every page (DESIGN §8)."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config():
    return {
        "IMPRINT_URL": "https://beratung.example.de/impressum",
        "PRIVACY_URL": "https://beratung.example.de/datenschutz",
    }


def test_every_page_footer_links_the_imprint_and_the_privacy_notice(client):
    for path in ("/", "/login", "/r/unknown-link/1"):
        page = client.get(path).get_data(as_text=True)
        footer = page.split('class="site-footer"', 1)[1]
        assert 'href="https://beratung.example.de/impressum"' in footer, path
        assert 'href="https://beratung.example.de/datenschutz"' in footer, path


@pytest.mark.parametrize("app_config", [{}])
def test_without_them_configured_the_footer_has_no_legal_links(client):
    page = client.get("/").get_data(as_text=True)
    assert "legal-links" not in page

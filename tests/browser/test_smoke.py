"""The login page opens in a real browser."""

import re

from playwright.sync_api import expect


def test_login_page_shows_the_login_form(page):
    response = page.goto("/login")
    assert response is not None and response.status == 200
    expect(page).to_have_title(re.compile("Kinerja"))
    expect(page.locator("input[name=nip]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()

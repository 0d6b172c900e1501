"""Playwright on Debian's Chromium against the test app served over HTTP on 127.0.0.1.

``playwright install`` cannot download browsers here: the launch uses /usr/bin/chromium
(KINERJA_CHROMIUM overrides). Every test in this folder is marked ``browser``; its ``page``
opens paths relative to the live server (``page.goto("/login")``). The server serves the same
app object as the ``app`` fixture, so rows a test commits are what the browser sees, and the
tables are emptied after each test.
"""

import os
from pathlib import Path

import pytest

from tests.live import serving

HERE = Path(__file__).parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = os.environ.get("KINERJA_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        message = f"{chromium} is missing (apt-get install chromium, or run scripts/test)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _live_server_url(_app):
    with serving(_app) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def base_url(_live_server_url):
    """Make Playwright's relative URLs point at the live server."""
    return _live_server_url


@pytest.fixture
def live_server(app, _live_server_url):
    """Base URL of the test app over HTTP, for this test (tables emptied afterwards)."""
    return _live_server_url


@pytest.fixture
def page(page, live_server):
    """Playwright's page, with the live server running and the test's app context pushed."""
    page.set_default_timeout(10_000)
    return page

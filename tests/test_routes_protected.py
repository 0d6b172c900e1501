"""Every route but the login page and static files refuses an anonymous caller.

Enumerates the URL map, so a route added later without an access check fails here."""

import pytest

from kinerja import create_app

PUBLIC = {"static", "auth.login"}


def _routes():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True})
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<{arg}>", "x").replace(f"<int:{arg}>", "1")
        for converter in ("int", "string", "path"):
            url = url.replace(f"<{converter}:", "<")
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield pytest.param(method, url, id=f"{method} {rule.rule}")


@pytest.mark.parametrize(("method", "url"), list(_routes()))
def test_anonymous_is_refused(client, method, url):
    response = client.open(url, method=method)
    if url.startswith("/api/"):
        assert response.status_code == 401
        assert response.is_json and "error" in response.get_json()
    else:
        assert response.status_code in (302, 303)
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "url"), [p for p in _routes() if not p.values[1].startswith("/api/")])
def test_anonymous_htmx_gets_hx_redirect(client, method, url):
    response = client.open(url, method=method, headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert "/login" in response.headers["HX-Redirect"]

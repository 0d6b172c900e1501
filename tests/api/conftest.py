"""Fixtures of the API tests: a real threaded HTTP server for tests of simultaneous requests."""

import json
import urllib.error
import urllib.request

import pytest


@pytest.fixture
def live_api(serve):
    """Serve the test app with werkzeug's threaded server on 127.0.0.1; return a function that POSTs JSON.

    The function answers ``(status, headers, body)``; rows a test commits are what the server sees.
    """
    host, port = serve()
    base = f"http://{host}:{port}"

    def post(path: str, body: dict, headers: dict) -> tuple[int, dict, dict]:
        request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read() or b"{}")

    return post

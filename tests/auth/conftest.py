"""A small stdlib browser and a hash-check counter for the login race and session tests; the
server is the ``serve`` fixture (tests/conftest.py, tests/live.py)."""

import http.client
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from kinerja.auth import services

USER_AGENT = "kinerja-tests/1.0"


class Browser:
    """One browser over ``http.client``: keeps the session cookie it is given, follows nothing."""

    def __init__(self, address: tuple[str, int], headers: dict | None = None):
        self.address = address
        self.headers = headers or {}
        self.cookie: str | None = None  # the value of the ``session`` cookie

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        """Send one request; remember a session cookie the answer sets; return status, headers, body."""
        headers = {"User-Agent": USER_AGENT, **self.headers}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                morsel = SimpleCookie(header).get("session")
                if morsel is not None:
                    self.cookie = morsel.value or None
            return response.status, dict(response.headers), text
        finally:
            connection.close()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None):
        return self.request("POST", path, data or {})

    def login(self, nip: str, password: str):
        return self.post("/login", {"nip": nip, "password": password})

    def opens(self, path: str) -> bool:
        """Tell whether ``path`` answers 200 (False: sent to the login page)."""
        status, headers, _ = self.get(path)
        if status == 200:
            return True
        assert status == 302 and urlsplit(headers["Location"]).path == "/login", (status, headers)
        return False


class HashChecks:
    """Wrap ``services.check_password_hash`` to count (and optionally hold) the real checks."""

    def __init__(self, monkeypatch):
        self.passwords: list[str] = []
        self.entered = threading.Event()  # set when a held check has started
        self.release = threading.Event()
        self.release.set()  # not holding until ``hold()``
        self._lock = threading.Lock()
        real = services.check_password_hash

        def counting(pwhash: str, password: str) -> bool:
            with self._lock:
                self.passwords.append(password)
            if not self.release.is_set():
                self.entered.set()
                self.release.wait(30)
            return real(pwhash, password)

        monkeypatch.setattr(services, "check_password_hash", counting)

    def hold(self) -> None:
        """Hold every check from now on until ``release.set()``."""
        self.entered.clear()
        self.release.clear()

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.passwords)


@pytest.fixture
def hash_checks(monkeypatch):
    checks = HashChecks(monkeypatch)
    yield checks
    checks.release.set()

"""Defaults only; instance/config.py, the environment and test_config override them."""

import os

DEV_SECRET_KEY = "dev-only-change-me"  # public (it is in git): debug and tests only


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY  # refused outside debug and tests: see secret_key_problem
    SQLALCHEMY_DATABASE_URI = None  # set in the factory: a SQLite file in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    REDIS_URL = None  # without it background jobs run in-process
    UPLOAD_FOLDER = None  # set in the factory: instance/uploads
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # True behind HTTPS: set KINERJA_SECURE_COOKIES=1
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    LOGIN_ADDRESS_MAX_FAILURES = 50  # per client address and worker, over LOGIN_LOCK_MINUTES; 0: off
    PAGE_SIZE = 50
    DEFAULT_TIMEZONE = "Asia/Jakarta"
    PROXY_COUNT = 0  # trusted reverse proxies in front of the app (KINERJA_PROXY_COUNT)
    # Evidence (bukti dukung) uploads: docs/visum-pages.md
    EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # a stored file (and a non-image upload)
    EVIDENCE_MAX_IMAGE_UPLOAD_BYTES = 15 * 1024 * 1024  # a phone photo before it is resized
    EVIDENCE_ALLOWED_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
    EVIDENCE_IMAGE_MAX_PX = 1600  # longest side of a stored image
    EVIDENCE_IMAGE_QUALITY = 82  # JPEG quality of a re-encoded image
    EVIDENCE_MAX_PIXELS = 50_000_000  # refuse larger images before decoding them (decompression bombs)
    # Email of notifications (docs/feedback-notifications.md): without MAIL_SERVER, in-app only
    MAIL_SERVER = None
    MAIL_PORT = None  # 25, or 587 with MAIL_USE_TLS
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_TLS = False
    MAIL_FROM = None  # default MAIL_USERNAME
    MAIL_TIMEOUT = 5  # seconds per SMTP connection and reply; only the send-mail job waits on it
    MAIL_MAX_ATTEMPTS = 10  # then the outbox row is FAILED (send-mail --retry-failed tries again)
    BASE_URL = None  # e.g. https://kinerja.bkkbn.go.id: makes the links in emails absolute


def from_environment() -> dict:
    """Read the settings the environment may give."""
    env = {}
    if os.environ.get("DATABASE_URL"):
        env["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    for key in ("SECRET_KEY", "REDIS_URL", "UPLOAD_FOLDER"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM", "BASE_URL"):
        if os.environ.get(key):
            env[key] = os.environ[key]
    for key in ("MAIL_PORT", "MAIL_TIMEOUT"):
        if os.environ.get(key):
            env[key] = int(os.environ[key])
    if os.environ.get("MAIL_USE_TLS"):
        env["MAIL_USE_TLS"] = os.environ["MAIL_USE_TLS"].lower() in ("1", "true", "yes")
    if os.environ.get("KINERJA_PROXY_COUNT"):
        env["PROXY_COUNT"] = int(os.environ["KINERJA_PROXY_COUNT"])
    if os.environ.get("KINERJA_SECURE_COOKIES") == "1":
        env["SESSION_COOKIE_SECURE"] = True
        env["REMEMBER_COOKIE_SECURE"] = True
    return env


def secret_key_problem(config) -> str | None:
    """Return why the app must not start with this ``SECRET_KEY``, or None when it may.

    Anyone who knows the key can sign a session cookie as any user, so outside debug
    (FLASK_DEBUG=1) and tests the key from the source code (or none) is refused.
    """
    key = config.get("SECRET_KEY")
    if key and key != DEV_SECRET_KEY:
        return None
    if config.get("TESTING") or config.get("DEBUG"):
        return None
    return ("SECRET_KEY belum diatur: kunci bawaan ada di kode sumber, siapa pun dapat memalsukan sesi "
            "dengannya. Jalankan scripts/run sekali (membuat kunci acak di instance/config.py), atau tulis "
            "SECRET_KEY = \"...\" di instance/config.py, atau set variabel lingkungan SECRET_KEY; buat kuncinya "
            "dengan: python3 -c 'import secrets; print(secrets.token_hex(32))'. "
            "Kunci bawaan hanya untuk FLASK_DEBUG=1 dan pengujian.")

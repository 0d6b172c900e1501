"""The app refuses the development SECRET_KEY outside debug and tests; scripts/run writes a random
key once into instance/config.py (issue 10, item 3)."""

import os
import re
import runpy
import stat
import subprocess
from pathlib import Path

import pytest

from kinerja import create_app
from kinerja.config import DEV_SECRET_KEY, secret_key_problem

REPO = Path(__file__).resolve().parents[2]
IN_MEMORY = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.fixture(autouse=True)
def _no_key_in_the_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


@pytest.mark.parametrize("key", [None, "", DEV_SECRET_KEY])
def test_the_app_refuses_to_start_without_a_real_key(key):
    # test_config wins over instance/config.py, so a developer's own key there does not hide this
    with pytest.raises(RuntimeError, match="SECRET_KEY belum diatur") as refused:
        create_app({**IN_MEMORY, "SECRET_KEY": key, "TESTING": False, "DEBUG": False})
    message = str(refused.value)
    assert "scripts/run" in message and "instance/config.py" in message


def test_the_app_starts_with_a_key():
    app = create_app({**IN_MEMORY, "SECRET_KEY": "f" * 64})
    assert app.config["SECRET_KEY"] == "f" * 64 and not app.testing and not app.debug


def test_the_key_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a" * 64)
    assert create_app(IN_MEMORY).config["SECRET_KEY"] == "a" * 64


@pytest.mark.parametrize("mode", [{"TESTING": True}, {"DEBUG": True}])
def test_debug_and_tests_may_use_the_development_key(mode):
    assert create_app({**IN_MEMORY, "SECRET_KEY": DEV_SECRET_KEY, **mode}).config["SECRET_KEY"] == DEV_SECRET_KEY


def test_flask_debug_from_the_environment_allows_the_development_key(monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app({**IN_MEMORY, "SECRET_KEY": DEV_SECRET_KEY}).debug


def ensure_secret_key(config_file: Path) -> subprocess.CompletedProcess:
    """Run scripts/lib.sh's ensure_secret_key, as scripts/run does."""
    return subprocess.run(["bash", "-c", 'source scripts/lib.sh && ensure_secret_key "$1"', "_", str(config_file)],
                          cwd=REPO, capture_output=True, text=True, check=True)


def test_scripts_run_writes_a_random_key_once(tmp_path):
    config_file = tmp_path / "instance" / "config.py"
    ensure_secret_key(config_file)
    key = runpy.run_path(str(config_file))["SECRET_KEY"]
    assert re.fullmatch(r"[0-9a-f]{64}", key) and secret_key_problem({"SECRET_KEY": key}) is None
    assert stat.S_IMODE(os.stat(config_file).st_mode) == 0o600  # only its owner reads the key
    written = config_file.read_text()
    ensure_secret_key(config_file)  # idempotent: the key is kept (a new one would log everybody out)
    assert config_file.read_text() == written

    other = tmp_path / "other" / "config.py"
    ensure_secret_key(other)
    assert runpy.run_path(str(other))["SECRET_KEY"] != key


def test_scripts_run_adds_a_key_to_an_existing_config_and_keeps_its_settings(tmp_path):
    config_file = tmp_path / "config.py"
    config_file.write_text('MAIL_SERVER = "smtp.bkkbn.go.id"')  # no final newline
    ensure_secret_key(config_file)
    settings = runpy.run_path(str(config_file))
    assert settings["MAIL_SERVER"] == "smtp.bkkbn.go.id" and len(settings["SECRET_KEY"]) == 64


def test_scripts_run_keeps_a_key_an_operator_wrote(tmp_path):
    config_file = tmp_path / "config.py"
    config_file.write_text("SECRET_KEY = 'kunci-operator-yang-panjang'\n")
    ensure_secret_key(config_file)
    assert config_file.read_text() == "SECRET_KEY = 'kunci-operator-yang-panjang'\n"


def test_scripts_run_makes_the_key_before_it_starts_any_flask_command():
    script = (REPO / "scripts" / "run").read_text()
    assert 'ensure_secret_key "$KINERJA_ROOT/instance/config.py"' in script
    assert script.index("ensure_secret_key") < script.index("flask --app app")

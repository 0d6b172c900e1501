"""Accounts, login, API tokens, roles and the one authorization layer."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from kinerja.auth import views  # noqa: E402,F401

"""The login form."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """NIP and password; ``next`` carries the page to return to."""

    nip = StringField("NIP", filters=[_strip], validators=[DataRequired("NIP wajib diisi."), Length(max=32)])
    password = PasswordField("Kata sandi", validators=[DataRequired("Kata sandi wajib diisi."), Length(max=256)])
    next = HiddenField()

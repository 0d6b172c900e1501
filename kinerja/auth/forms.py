"""The login form."""

from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from kinerja.forms import Form, strip


class LoginForm(Form):
    """NIP and password; ``next`` carries the page to return to."""

    nip = StringField("NIP", filters=[strip], validators=[DataRequired("NIP wajib diisi."), Length(max=32)])
    password = PasswordField("Kata sandi", validators=[DataRequired("Kata sandi wajib diisi."), Length(max=256)])
    next = HiddenField()

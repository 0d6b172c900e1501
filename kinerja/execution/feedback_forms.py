"""Forms of the feedback and notification pages: they carry the input; the services judge it."""

from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional

from kinerja.forms import Form, IdField


class FeedbackForm(Form):
    """A comment, a reply (``parent_id``), about a piece of evidence (``evidence_id``) or a behaviour (``perilaku``)."""

    body = TextAreaField("Umpan balik")
    parent_id = IdField()
    evidence_id = IdField()
    perilaku = StringField(validators=[Optional()])

    @property
    def target(self) -> str:
        """Name the form on the page the input came from: ``reply-<id>`` or ``new``."""
        return f"reply-{self.parent_id.data}" if self.parent_id.data else "new"


class MarkReadForm(Form):
    """Mark one notification read, or all of them."""

    notification_id = IdField()
    all = BooleanField()
    page = IntegerField(validators=[Optional()])

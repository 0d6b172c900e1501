"""Forms of the visum pages: a visum (add, edit), copy yesterday, evidence (file, camera photo, link).

The forms only read and shape input; the services decide (the week lock, the gate, the IKI of the
approved SKP, the fields) and their refusals land on these fields through ``refusals.attach``.
"""

import uuid

from flask_wtf.file import FileField
from wtforms import HiddenField, SelectChoice, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from kinerja.forms import Form, GetForm, IdChoiceField, IsoDateField, strip


def new_token() -> str:
    """Return a fresh submission token: a double click sends the same one, so one visum is filed."""
    return uuid.uuid4().hex


class IkiField(IdChoiceField):
    """The IKI select: any id is read here; whether it belongs to the approved SKP is the service's answer."""

    def pre_validate(self, form):
        if self.data not in ("", None) and not str(self.data).isdigit():
            raise ValidationError("IKI tidak valid.")

    def set_offered(self, choices) -> None:
        """Offer the IKI of the approved SKP (``visum_queries.IkiChoice``) after an empty choice."""
        self.choices = [SelectChoice("", "— pilih IKI dari SKP —")] + [SelectChoice(str(c.id), c.label)
                                                                       for c in choices]


class VisumForm(Form):
    """Add a visum to a day (the day is in the URL)."""

    iki_id = IkiField("IKI yang didukung")
    activity = TextAreaField("Uraian kegiatan", filters=[strip],
                             validators=[DataRequired("Uraian kegiatan wajib diisi."), Length(max=4000)])
    output_quantity = StringField("Jumlah output", filters=[strip], validators=[Optional(), Length(max=30)])
    output_unit = StringField("Satuan", filters=[strip], validators=[Optional(), Length(max=60)])
    client_token = HiddenField(validators=[Optional(), Length(max=40)])

    def __init__(self, *args, iki_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.iki_id.set_offered(iki_choices)
        if not self.client_token.data:
            self.client_token.data = new_token()

    def service_kwargs(self) -> dict:
        """Return the keyword arguments of ``file_visum`` / ``update_visum``."""
        return {"iki_id": self.iki_id.id_value, "activity": self.activity.data,
                "output_quantity": self.output_quantity.data or None, "output_unit": self.output_unit.data or None}


class EditVisumForm(VisumForm):
    """Edit a visum; its date may move within the open weeks."""

    date = IsoDateField("Tanggal", validators=[DataRequired("Tanggal wajib diisi.")])

    def service_kwargs(self) -> dict:
        return {"day": self.date.data, **super().service_kwargs()}


class CopyForm(Form):
    """Copy the previous day's visum (or the last filed day's) into a day."""

    client_token = HiddenField(validators=[Optional(), Length(max=40)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.client_token.data:
            self.client_token.data = new_token()


class EvidenceForm(Form):
    """Attach a file, a photo from the phone's camera, or a link to a visum."""

    file = FileField("Berkas")
    photo = FileField("Foto dari kamera")
    url = StringField("Tautan", filters=[strip], validators=[Optional(), Length(max=2000)])

    def upload(self):
        """Return the chosen file (the camera photo first), or None when no file was chosen."""
        for field in (self.photo, self.file):
            if field.data is not None and getattr(field.data, "filename", ""):
                return field.data
        return None


class WeekForm(GetForm):
    """``?week=`` any day of the week to show."""

    week = IsoDateField("Minggu", validators=[Optional()])


class ReopenRequestForm(Form):
    """Ask HR to reopen a closed week (its Monday), with an optional note."""

    week = IsoDateField("Minggu", validators=[DataRequired("Minggu wajib dipilih.")])
    note = TextAreaField("Catatan untuk Kepegawaian (boleh kosong)", filters=[strip],
                         validators=[Optional(), Length(max=500, message="Catatan paling panjang 500 karakter.")])

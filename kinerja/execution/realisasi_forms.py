"""Forms of the realisation pages: realisation of an IKU (with evidence) and of an IKI, rencana aksi
progress, and the Dialog Penilaian Kinerja Organisasi record.

The periods offered are passed in by the view (the months begun, then the year); the services check
them again, so a forged choice is refused twice.
"""

from flask_wtf.file import FileField
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from kinerja.forms import Form, IsoDateField, NumberField, strip
from kinerja.rules.capaian import parse_period, period_label


class _PeriodForm(Form):
    """The fields every realisation shares: a period (of those offered), the value, a note."""

    period = SelectField("Periode", validators=[DataRequired("Pilih periode.")])
    value = NumberField("Realisasi", places=None, validators=[
        InputRequired("Nilai realisasi wajib diisi (angka)."),
        NumberRange(min=0, message="Nilai realisasi tidak boleh negatif.")])
    note = TextAreaField("Catatan", filters=[strip], validators=[Optional(), Length(max=4000)])

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [SelectChoice(p, period_label(p)) for p in periods]


class IkuRealisasiForm(_PeriodForm):
    """One period's realisation of an IKU, with a link or a file as evidence."""

    evidence_url = StringField("Tautan bukti dukung", filters=[strip], validators=[
        Optional(), Length(max=2000), Regexp(r"^https?://\S+$", message="Tulis alamat lengkap http:// atau https://.")])
    evidence_file = FileField("atau unggah berkas")

    def upload(self):
        """Return the uploaded file, or None when no file was chosen."""
        data = self.evidence_file.data
        return data if data is not None and getattr(data, "filename", "") else None


class IkiRealisasiForm(_PeriodForm):
    """One period's realisation of an IKI of the employee's approved SKP."""


def _period_text(form, field) -> None:
    """Accept a period the rule reads (``TTTT-BB`` or ``TTTT``)."""
    if parse_period(field.data) is None:
        raise ValidationError("Tulis periode sebagai TTTT-BB atau TTTT.")


class ProgressForm(Form):
    """The progress (whole percent) of one rencana aksi."""

    progress = IntegerField("Progres (%)", validators=[
        InputRequired("Progres wajib diisi."), NumberRange(min=0, max=100, message="Progres antara 0 dan 100.")])


class DialogOrganisasiForm(Form):
    """A Dialog Penilaian Kinerja Organisasi record: when, which period, who, what, the follow-up."""

    held_on = IsoDateField("Tanggal dialog", validators=[InputRequired("Tanggal wajib diisi.")])
    period = StringField("Periode yang dibahas (TTTT-BB atau TTTT)", filters=[strip], validators=[
        DataRequired("Periode wajib diisi."), _period_text])
    participants = TextAreaField("Peserta", filters=[strip], validators=[
        DataRequired("Peserta wajib diisi."), Length(max=4000)])
    summary = TextAreaField("Ringkasan pembahasan", filters=[strip], validators=[
        DataRequired("Ringkasan wajib diisi."), Length(max=4000)])
    follow_up = TextAreaField("Tindak lanjut", filters=[strip], validators=[Optional(), Length(max=4000)])

"""Forms of the realisation pages: realisation of an IKU (with evidence) and of an IKI, rencana aksi
progress, and the Dialog Penilaian Kinerja Organisasi record.

The periods offered are passed in by the view (the months begun, then the year); the services check
them again, so a forged choice is refused twice.
"""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from kinerja.org.forms import ChoiceField, IsoDateField
from kinerja.planning.skp_forms import NumberField
from kinerja.rules.capaian import period_label


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _period_field():
    return ChoiceField("Periode", validators=[DataRequired("Pilih periode.")])


def _value_field():
    return NumberField("Realisasi", places=None, validators=[
        InputRequired("Nilai realisasi wajib diisi (angka)."),
        NumberRange(min=0, message="Nilai realisasi tidak boleh negatif.")])


def _note_field():
    return TextAreaField("Catatan", filters=[_strip], validators=[Optional(), Length(max=4000)])


class _PeriodForm(FlaskForm):
    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = [SelectChoice(p, period_label(p)) for p in periods]


class IkuRealisasiForm(_PeriodForm):
    """One period's realisation of an IKU, with a link or a file as evidence."""

    period = _period_field()
    value = _value_field()
    note = _note_field()
    evidence_url = StringField("Tautan bukti dukung", filters=[_strip], validators=[
        Optional(), Length(max=2000), Regexp(r"^https?://\S+$", message="Tulis alamat lengkap http:// atau https://.")])
    evidence_file = FileField("atau unggah berkas")

    def upload(self):
        """Return the uploaded file, or None when no file was chosen."""
        data = self.evidence_file.data
        return data if data is not None and getattr(data, "filename", "") else None


class IkiRealisasiForm(_PeriodForm):
    """One period's realisation of an IKI of the employee's approved SKP."""

    period = _period_field()
    value = _value_field()
    note = _note_field()


class ProgressForm(FlaskForm):
    progress = IntegerField("Progres (%)", validators=[
        InputRequired("Progres wajib diisi."), NumberRange(min=0, max=100, message="Progres antara 0 dan 100.")])


class DialogOrganisasiForm(FlaskForm):
    held_on = IsoDateField("Tanggal dialog", validators=[InputRequired("Tanggal wajib diisi.")])
    period = StringField("Periode yang dibahas (TTTT-BB atau TTTT)", filters=[_strip], validators=[
        DataRequired("Periode wajib diisi."), Regexp(r"^\d{4}(-(0[1-9]|1[0-2]))?$",
                                                     message="Tulis periode sebagai TTTT-BB atau TTTT.")])
    participants = TextAreaField("Peserta", filters=[_strip], validators=[
        DataRequired("Peserta wajib diisi."), Length(max=4000)])
    summary = TextAreaField("Ringkasan pembahasan", filters=[_strip], validators=[
        DataRequired("Ringkasan wajib diisi."), Length(max=4000)])
    follow_up = TextAreaField("Tindak lanjut", filters=[_strip], validators=[Optional(), Length(max=4000)])

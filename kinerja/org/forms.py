"""Forms of the HR pages: employee search, PLT/PLH, delegation override, date of resolution."""

from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from kinerja.forms import Form, GetForm, IsoDateField, strip
from kinerja.org import queries
from kinerja.rules.vocabulary import JENJANG_LABELS, ActingKind

NIP_PATTERN = r"^\d{18}$"
NIP_MESSAGE = "NIP terdiri dari 18 angka."


class EmployeeSearchForm(GetForm):
    q = StringField("Cari NIP atau nama", filters=[strip], validators=[Optional(), Length(max=100)])
    unit = StringField("Kode unit (termasuk sub-unit)", filters=[strip], validators=[Optional(), Length(max=40)])
    jenjang = SelectField("Jenjang", default="", choices=[SelectChoice("", "Semua jenjang")] + [
        SelectChoice(j.value, label) for j, label in JENJANG_LABELS.items()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_obj = None

    def validate_unit(self, field) -> None:
        """Resolve the unit code to a unit."""
        if field.data:
            self.unit_obj = queries.unit_by_code(field.data)
            if self.unit_obj is None:
                raise ValidationError("Kode unit tidak dikenal.")


class DateForm(GetForm):
    date = IsoDateField("Tanggal", validators=[Optional()])


class PageForm(GetForm):
    page = IntegerField("Halaman", default=1, validators=[Optional(), NumberRange(min=1)])


def _employee_for(field):
    """Return the employee whose NIP the field holds, or raise a field error."""
    employee = queries.employee_by_nip(field.data or "")
    if employee is None:
        raise ValidationError("Pegawai dengan NIP ini tidak ditemukan.")
    return employee


class ActingForm(Form):
    """Add a PLT/PLH to a unit's head position."""

    nip = StringField("NIP pegawai", filters=[strip],
                      validators=[DataRequired("NIP wajib diisi."), Regexp(NIP_PATTERN, message=NIP_MESSAGE)])
    kind = SelectField("Jenis", choices=[SelectChoice(ActingKind.PLT.value, "PLT (Pelaksana Tugas)"),
                                         SelectChoice(ActingKind.PLH.value, "PLH (Pelaksana Harian)")])
    start = IsoDateField("Mulai", validators=[InputRequired("Tanggal mulai wajib diisi.")])
    end = IsoDateField("Selesai", validators=[InputRequired("Tanggal selesai wajib diisi.")])

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.employee = None

    def validate_nip(self, field) -> None:
        self.employee = _employee_for(field)

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.")

    def validate(self, extra_validators=None) -> bool:
        """Check the fields, then that no other assignment of this kind overlaps on the unit."""
        if not super().validate(extra_validators):
            return False
        if self.unit is not None and queries.acting_overlaps(self.unit, self.kind.data, self.start.data,
                                                             self.end.data):
            self.start.errors.append(f"Sudah ada {self.kind.data} pada unit ini yang beririsan dengan periode ini.")
            return False
        return True


class EndActingForm(Form):
    """End a PLT/PLH assignment early."""

    end = IsoDateField("Berakhir pada", validators=[InputRequired("Tanggal berakhir wajib diisi.")])

    def __init__(self, *args, acting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting = acting

    def validate_end(self, field) -> None:
        if self.acting is None or field.data is None:
            return
        if field.data < self.acting.start:
            raise ValidationError("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
        if field.data > self.acting.end:
            raise ValidationError("Untuk mengakhiri lebih awal, tanggal harus sebelum tanggal selesai semula.")


class OverrideForm(Form):
    """Record HR's delegation: a named assessor that wins over the table."""

    assessor_nip = StringField("NIP Pejabat Penilai", filters=[strip],
                               validators=[DataRequired("NIP Pejabat Penilai wajib diisi."),
                                           Regexp(NIP_PATTERN, message=NIP_MESSAGE)])
    superior_nip = StringField("NIP Atasan Pejabat Penilai (opsional)", filters=[strip],
                               validators=[Optional(), Regexp(NIP_PATTERN, message=NIP_MESSAGE)])
    reason = TextAreaField("Alasan / dasar pendelegasian", filters=[strip],
                           validators=[DataRequired("Alasan wajib diisi."), Length(max=500)])
    start = IsoDateField("Mulai", validators=[InputRequired("Tanggal mulai wajib diisi.")])
    end = IsoDateField("Selesai (opsional)", validators=[Optional()])

    def __init__(self, *args, employee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.assessor = None
        self.assessor_superior = None

    def validate_assessor_nip(self, field) -> None:
        self.assessor = _employee_for(field)
        if self.employee is not None and self.assessor.id == self.employee.id:
            raise ValidationError("Pegawai tidak dapat menilai dirinya sendiri.")

    def validate_superior_nip(self, field) -> None:
        if not field.data:
            return
        self.assessor_superior = _employee_for(field)
        if self.employee is not None and self.assessor_superior.id == self.employee.id:
            raise ValidationError("Pegawai tidak dapat menjadi atasan pejabat penilainya sendiri.")

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.")

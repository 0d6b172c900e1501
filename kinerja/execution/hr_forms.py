"""Forms of HR's execution pages: find an employee's weeks, reopen a week, filter the blocked list
and the weekly compliance."""

from datetime import datetime

from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from kinerja.forms import Form, GetForm, IsoDateField, LocalDateTimeField, YearField, strip
from kinerja.org import queries as org_queries
from kinerja.org.forms import NIP_MESSAGE, NIP_PATTERN
from kinerja.rules.week import week_start as monday_of

MAX_REASON = 500


class NipForm(GetForm):
    """Find an employee by NIP (query string)."""

    nip = StringField("NIP pegawai", filters=[strip],
                      validators=[DataRequired("NIP wajib diisi."), Regexp(NIP_PATTERN, message=NIP_MESSAGE)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.employee = None

    def validate_nip(self, field) -> None:
        """Resolve the NIP to an employee."""
        self.employee = org_queries.employee_by_nip(field.data)
        if self.employee is None:
            raise ValidationError("Pegawai dengan NIP ini tidak ditemukan.")


class ReopenForm(Form):
    """Reopen one closed week of an employee until a local deadline, with a reason."""

    week_start = SelectField("Minggu", choices=[])
    until = LocalDateTimeField("Dibuka sampai (waktu setempat pegawai)", format="%Y-%m-%dT%H:%M",
                               validators=[InputRequired("Batas waktu wajib diisi.")])
    reason = TextAreaField("Alasan", filters=[strip],
                           validators=[DataRequired("Alasan wajib diisi."), Length(max=MAX_REASON)])

    def __init__(self, *args, weeks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.week_start.choices = [SelectChoice(monday.isoformat(), label) for monday, label in weeks]

    def local_until(self, tz) -> datetime:
        """Return the deadline as an aware datetime in the employee's zone."""
        return self.until.data.replace(tzinfo=tz)


def _resolve_unit(form, field) -> None:
    """Resolve a unit code to ``form.unit_obj``, or raise a field error."""
    if field.data:
        form.unit_obj = org_queries.unit_by_code(field.data)
        if form.unit_obj is None:
            raise ValidationError("Kode unit tidak dikenal.")


class BlockedFilterForm(GetForm):
    """Filter HR's blocked list: year, unit (with its sub-units), status, page."""

    year = YearField()
    unit = StringField("Kode unit (termasuk sub-unit)", filters=[strip], validators=[Optional(), Length(max=40)])
    status = SelectField("Status", default="", choices=[SelectChoice("", "Semua"),
                                                        SelectChoice("BLOCKED", "Masih diblokir"),
                                                        SelectChoice("CLEARED", "Sudah dibuka")])
    page = IntegerField("Halaman", default=1, validators=[Optional(), NumberRange(min=1)])

    unit_obj = None
    validate_unit = _resolve_unit


class ComplianceForm(GetForm):
    """Choose the week (any day of it), optionally a unit to drill into, and the page."""

    week = IsoDateField("Minggu (tanggal mana pun dalam minggu itu)", validators=[Optional()])
    unit = StringField("Kode unit", filters=[strip], validators=[Optional(), Length(max=40)])
    page = IntegerField("Halaman", default=1, validators=[Optional(), NumberRange(min=1)])

    unit_obj = None
    validate_unit = _resolve_unit

    def monday(self):
        """Return the Monday of the chosen week, or None."""
        return monday_of(self.week.data) if self.week.data else None


class HolidayForm(Form):
    """Add a holiday: its date and name (the service checks weekends, duplicates and closed weeks)."""

    day = IsoDateField("Tanggal", validators=[InputRequired("Tanggal wajib diisi.")])
    name = StringField("Nama hari libur", filters=[strip],
                       validators=[DataRequired("Nama hari libur wajib diisi."), Length(max=120)])


class DeclineRequestForm(Form):
    """Decline an employee's request to reopen a week, with the reason he will read."""

    reason = TextAreaField("Alasan penolakan", filters=[strip],
                           validators=[DataRequired("Alasan penolakan wajib diisi."), Length(max=MAX_REASON)])

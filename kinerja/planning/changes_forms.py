"""Forms of the mid-year changes page (HR): mutasi, perubahan jabatan, tugas belajar and cuti.

Each form has its own prefix (``transfer-``, ``position-``, ``study-``, ``leave-``) so the four of
them live on one page with unique ids. A unit code is resolved to its ``Unit`` here (``unit_obj``);
an unknown code, an unreadable date or an end before the start is a field error (422). Everything
the decree decides (same position, a cuti of a year or more, ...) is left to the services.
"""

from datetime import date

from wtforms import BooleanField, SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from kinerja.forms import FIRST_YEAR, LAST_YEAR, Form, IsoDateField, strip
from kinerja.org import queries
from kinerja.org.imports import JF_JENJANG
from kinerja.rules.planning import STUDY_LEAVE_KIND_LABELS
from kinerja.rules.vocabulary import JENJANG_LABELS

# The kinds of cuti of PP 11/2017 (Manajemen PNS), stored as their names: ``Leave.kind`` is free text.
LEAVE_KINDS = (
    "Cuti tahunan",
    "Cuti besar",
    "Cuti sakit",
    "Cuti melahirkan",
    "Cuti karena alasan penting",
    "Cuti bersama",
    "Cuti di luar tanggungan negara",
)


def _choices(pairs, empty: str | None = "— pilih —") -> list[SelectChoice]:
    choices = [SelectChoice("", empty)] if empty is not None else []
    return choices + [SelectChoice(str(value), label) for value, label in pairs]


def _plausible(form, field) -> None:
    """Refuse dates outside the years the application plans for (a typo such as 0226)."""
    if isinstance(field.data, date) and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(f"Tanggal harus antara tahun {FIRST_YEAR} dan {LAST_YEAR}.")


class _UnitForm(Form):
    unit = StringField("Kode unit kerja baru", filters=[strip],
                         validators=[DataRequired("Kode unit kerja wajib diisi."), Length(max=40)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_obj = None

    def validate_unit(self, field) -> None:
        """Resolve the unit code to a unit."""
        self.unit_obj = queries.unit_by_code(field.data)
        if self.unit_obj is None:
            raise ValidationError("Kode unit kerja tidak dikenal.")


class TransferForm(_UnitForm):
    """Mutasi: another unit, the same position."""

    on = IsoDateField("Berlaku mulai", validators=[InputRequired("Tanggal mulai wajib diisi."), _plausible])


class PositionForm(_UnitForm):
    """Perubahan jabatan: a new jenjang, JF name or headship, possibly in another unit."""

    jenjang = SelectField("Jenjang jabatan baru", choices=_choices(JENJANG_LABELS.items()),
                          validators=[DataRequired("Jenjang jabatan wajib dipilih.")])
    jf_name = StringField("Nama jabatan fungsional", filters=[strip], validators=[Optional(), Length(max=120)])
    is_head = BooleanField("Kepala unit kerja")
    on = IsoDateField("Berlaku mulai", validators=[InputRequired("Tanggal mulai wajib diisi."), _plausible])

    def validate_jf_name(self, field) -> None:
        """Keep a JF name only on functional positions, as the employee import does."""
        if field.data and self.jenjang.data and self.jenjang.data not in JF_JENJANG:
            label = JENJANG_LABELS.get(self.jenjang.data, self.jenjang.data)
            raise ValidationError(f"Nama jabatan fungsional hanya diisi untuk jabatan fungsional; kosongkan untuk "
                                  f"{label}.")


class _PeriodForm(Form):
    def validate_end(self, field) -> None:
        """Refuse an end before the start."""
        start = self.start.data
        if isinstance(field.data, date) and isinstance(start, date) and field.data < start:
            raise ValidationError("Tanggal selesai tidak boleh sebelum tanggal mulai.")


class StudyLeaveForm(_PeriodForm):
    """Tugas belajar: one of the four kinds of decree I.C, a start and, when known, an end."""

    kind = SelectField("Jenis tugas belajar", choices=_choices(STUDY_LEAVE_KIND_LABELS.items()),
                       validators=[DataRequired("Jenis tugas belajar wajib dipilih.")])
    start = IsoDateField("Mulai", validators=[InputRequired("Tanggal mulai wajib diisi."), _plausible])
    end = IsoDateField("Selesai (bila sudah diketahui)", validators=[Optional(), _plausible])


class LeaveForm(_PeriodForm):
    """Cuti: its kind and its first and last day."""

    kind = SelectField("Jenis cuti", choices=_choices((k, k) for k in LEAVE_KINDS),
                       validators=[DataRequired("Jenis cuti wajib dipilih.")])
    start = IsoDateField("Mulai", validators=[InputRequired("Tanggal mulai wajib diisi."), _plausible])
    end = IsoDateField("Selesai", validators=[InputRequired("Tanggal selesai wajib diisi."), _plausible])


FORMS = {"transfer": TransferForm, "position": PositionForm, "study": StudyLeaveForm, "leave": LeaveForm}


def change_form(kind: str, formdata=None, *, data=None, with_csrf: bool = True) -> Form:
    """Build the form of one kind of change with its prefix (``formdata=None``: an empty form).

    ``with_csrf=False`` is for the preview, a GET that changes nothing.
    """
    meta = None if with_csrf else {"csrf": False}
    return FORMS[kind](formdata=formdata, data=data, prefix=kind, meta=meta)

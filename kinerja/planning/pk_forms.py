"""Forms of the Perjanjian Kinerja pages.

The IKU a lower PK may support (those of the PK of the unit above) are passed in by the view;
the form only offers them, and the service refuses anything else anyway. The trajectory row is
not a WTForm: its inputs are named ``p-YYYY-MM`` and read by ``trajectory_from_form``.
"""

from wtforms import DecimalField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from kinerja.forms import Form, GetForm, IdChoiceField, YearField, strip
from kinerja.org import queries as org_queries
from kinerja.org.forms import NIP_MESSAGE, NIP_PATTERN
from kinerja.rules.planning import (
    AGGREGATION_LABELS,
    CONSOLIDATION_LABELS,
    PK_AMENDMENT_REASON_LABELS,
    POLARITY_LABELS,
    TARGET_KIND_LABELS,
)

ACTION_KIND_LABELS = {"RENCANA_AKSI": "Rencana aksi", "INISIATIF_STRATEGIS": "Inisiatif strategis",
                      "MITIGASI_RISIKO": "Mitigasi risiko"}
PK_STATUS_LABELS = {"DRAFT": "Draf", "SIGNED": "Ditandatangani", "SUPERSEDED": "Digantikan versi baru"}
PK_STATUS_BADGES = {"DRAFT": "badge-warn", "SIGNED": "badge-ok", "SUPERSEDED": ""}
INPUT_LABELS = {
    "input_renstra": "Rencana Strategis (Renstra)",
    "input_renja": "Rencana Kerja (Renja)",
    "input_tugas_fungsi": "Tugas dan fungsi",
    "input_ekspektasi_pimpinan": "Ekspektasi pimpinan",
    "input_hasil_evaluasi": "Hasil evaluasi kinerja tahun lalu",
    "input_tugas_mandatory": "Tugas mandatori",
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(str(k), v) for k, v in labels.items()]


class YearUnitForm(GetForm):
    """``?year=`` and ``?unit=CODE`` of the list and cascade pages."""

    year = YearField()
    unit = StringField("Kode unit", filters=[strip], validators=[Optional(), Length(max=40)])


class CreatePkForm(Form):
    """Start the PK of a unit for a year."""

    unit = StringField("Kode unit kerja", filters=[strip],
                       validators=[DataRequired("Kode unit wajib diisi."), Length(max=40)])
    year = YearField(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_obj = None

    def validate_unit(self, field) -> None:
        """Resolve the code to a unit."""
        self.unit_obj = org_queries.unit_by_code(field.data or "")
        if self.unit_obj is None:
            raise ValidationError("Kode unit tidak dikenal.")


def _nip_field(label: str, required: bool = False):
    validators = [DataRequired(f"{label} wajib diisi.")] if required else [Optional()]
    return StringField(f"NIP {label.lower()}", filters=[strip],
                       validators=[*validators, Regexp(NIP_PATTERN, message=NIP_MESSAGE)])


class _EmployeeByNip:
    """Mixin resolving NIP fields to employees (``<name>_obj``)."""

    def _employee(self, field):
        if not field.data:
            return None
        employee = org_queries.employee_by_nip(field.data)
        if employee is None:
            raise ValidationError("Pegawai dengan NIP ini tidak ditemukan.")
        return employee


class PkInputsForm(Form, _EmployeeByNip):
    """The parties and the drafting inputs listed by the decree (Renstra, Renja, ...)."""

    head_nip = _nip_field("Pihak pertama")
    superior_nip = _nip_field("Pihak kedua")
    input_renstra = TextAreaField(INPUT_LABELS["input_renstra"], filters=[strip], validators=[Length(max=4000)])
    input_renja = TextAreaField(INPUT_LABELS["input_renja"], filters=[strip], validators=[Length(max=4000)])
    input_tugas_fungsi = TextAreaField(INPUT_LABELS["input_tugas_fungsi"], filters=[strip],
                                       validators=[Length(max=4000)])
    input_ekspektasi_pimpinan = TextAreaField(INPUT_LABELS["input_ekspektasi_pimpinan"], filters=[strip],
                                              validators=[Length(max=4000)])
    input_hasil_evaluasi = TextAreaField(INPUT_LABELS["input_hasil_evaluasi"], filters=[strip],
                                         validators=[Length(max=4000)])
    input_tugas_mandatory = TextAreaField(INPUT_LABELS["input_tugas_mandatory"], filters=[strip],
                                          validators=[Length(max=4000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.head_obj = self.superior_obj = None

    def validate_head_nip(self, field) -> None:
        """Resolve the NIP of pihak pertama."""
        self.head_obj = self._employee(field)

    def validate_superior_nip(self, field) -> None:
        """Resolve the NIP of pihak kedua."""
        self.superior_obj = self._employee(field)

    def inputs(self) -> dict:
        return {name: getattr(self, name).data for name in INPUT_LABELS}


class SasaranForm(Form):
    name = TextAreaField("Sasaran strategis", filters=[strip],
                         validators=[DataRequired("Nama sasaran strategis wajib diisi."), Length(max=4000)])


class IkuForm(Form):
    """Add or edit an IKU; ``sasaran`` and ``parents`` (IKU of the PK above) come from the view."""

    sasaran_id = IdChoiceField("Sasaran strategis", validators=[DataRequired("Pilih sasaran strategis.")])
    code = StringField("Kode IKU", filters=[strip], validators=[DataRequired("Kode IKU wajib diisi."),
                                                                  Length(max=40)])
    name = TextAreaField("Indikator kinerja utama", filters=[strip],
                         validators=[DataRequired("Nama IKU wajib diisi."), Length(max=4000)])
    polarity = SelectField("Polaritas", choices=_choices(POLARITY_LABELS), default="MAX")
    weight = DecimalField("Bobot (%)", places=None, validators=[
        InputRequired("Bobot wajib diisi."), NumberRange(min=0.01, max=100, message="Bobot antara 0,01 dan 100.")])
    target = DecimalField("Target tahunan", places=None, validators=[
        InputRequired("Target wajib diisi."), NumberRange(min=0, message="Target tidak boleh negatif.")])
    unit_of_measure = StringField("Satuan", filters=[strip], validators=[DataRequired("Satuan wajib diisi."),
                                                                          Length(max=60)])
    consolidation = SelectField("Konsolidasi (periode target)", choices=_choices(CONSOLIDATION_LABELS),
                                default="MONTHLY")
    aggregation = SelectField("Cara agregasi", choices=_choices(AGGREGATION_LABELS), default="KUMULATIF")
    target_kind = SelectField("Jenis target", choices=_choices(TARGET_KIND_LABELS), default="OUTCOME")
    parent_iku_id = IdChoiceField("IKU atasan yang didukung")

    def __init__(self, *args, sasaran=(), parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sasaran_id.choices = [SelectChoice(str(s.id), s.name[:120]) for s in sasaran]
        self.parent_iku_id.choices = [SelectChoice("", "— tidak mendukung IKU atasan —")] + [
            SelectChoice(str(i.id), f"{i.code} — {i.name[:100]}") for i in parents]
        self.parents = {i.id: i for i in parents}

    @property
    def parent_iku(self):
        return self.parents.get(self.parent_iku_id.id_value)

    def values(self) -> dict:
        return {"code": self.code.data, "name": self.name.data, "polarity": self.polarity.data,
                "weight": float(self.weight.data), "target": float(self.target.data),
                "unit_of_measure": self.unit_of_measure.data, "consolidation": self.consolidation.data,
                "aggregation": self.aggregation.data, "target_kind": self.target_kind.data,
                "parent_iku": self.parent_iku}


class ActionForm(Form):
    kind = SelectField("Jenis", choices=_choices(ACTION_KIND_LABELS), default="RENCANA_AKSI")
    description = TextAreaField("Uraian", filters=[strip], validators=[DataRequired("Uraian wajib diisi."),
                                                                         Length(max=4000)])
    period = StringField("Bulan (TTTT-BB, opsional)", filters=[strip], validators=[
        Optional(), Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", message="Tulis bulan sebagai TTTT-BB.")])


class AnggaranForm(Form):
    program = StringField("Program", filters=[strip], validators=[DataRequired("Program wajib diisi."),
                                                                   Length(max=255)])
    kegiatan = StringField("Kegiatan", filters=[strip], validators=[DataRequired("Kegiatan wajib diisi."),
                                                                     Length(max=255)])
    amount = DecimalField("Jumlah (Rp)", places=None, validators=[
        InputRequired("Jumlah wajib diisi."), NumberRange(min=0, message="Jumlah tidak boleh negatif.")])
    dipa_ref = StringField("Referensi DIPA", filters=[strip], validators=[Optional(), Length(max=80)])


class PenugasanForm(Form):
    description = TextAreaField("Penugasan tambahan", filters=[strip],
                                validators=[DataRequired("Uraian penugasan wajib diisi."), Length(max=4000)])


class SignForm(Form):
    """Only the CSRF token: who signs as which party follows from the signer."""


class AmendForm(Form, _EmployeeByNip):
    reason = SelectField("Alasan perubahan", choices=_choices(PK_AMENDMENT_REASON_LABELS))
    note = TextAreaField("Uraian perubahan", filters=[strip],
                         validators=[DataRequired("Uraian perubahan wajib diisi."), Length(max=4000)])
    approved_by_nip = _nip_field("Pejabat yang menyetujui", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.approved_by_obj = None

    def validate_approved_by_nip(self, field) -> None:
        """Resolve the NIP of the approving official."""
        self.approved_by_obj = self._employee(field)


class DiffForm(GetForm):
    a = IntegerField("Versi lama", validators=[Optional()])
    b = IntegerField("Versi baru", validators=[Optional()])


def parse_number(text: str | None):
    """Read a number typed the Indonesian or the English way (``1.234,5`` / ``1234.5``); the text when
    it is not a number (the rules report it), ``None`` when empty."""
    if text is None:
        return None
    text = text.strip().replace(" ", "")
    if not text:
        return None
    candidate = text
    if "," in candidate:
        candidate = candidate.replace(".", "").replace(",", ".")
    try:
        return float(candidate)
    except ValueError:
        return text


def trajectory_from_form(formdata, periods) -> dict:
    """Read the ``p-YYYY-MM`` inputs of the expected periods; empty inputs are left out."""
    values = {}
    for period in periods:
        value = parse_number(formdata.get(f"p-{period}"))
        if value is not None:
            values[period] = value
    return values

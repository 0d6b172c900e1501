"""Forms of the SKP pages: RHK, IKI, perilaku, lampiran, dialog kinerja, approval, Matrik Peran Hasil.

The choices that depend on the SKP (allowed RHK sources for the jenjang, allowed origins of a tugas
tambahan, the assessor's RHK, the IKU and rencana aksi of the unit's PK) are passed in by the view;
the form only offers them, and the service refuses anything else anyway.
"""

from wtforms import SelectChoice, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kinerja.forms import (
    Form,
    GetForm,
    IdChoiceField,
    IsoDateField,
    NumberField,
    OptionalChoiceField,
    YearField,
    id_choices,
    strip,
)
from kinerja.rules.planning import (
    ASPEK_LABELS,
    DIALOG_MEDIUM_LABELS,
    RHK_KIND_LABELS,
    RHK_SOURCE_LABELS,
    TASK_ORIGIN_LABELS,
)

STATUS_BADGES = {"DRAFT": "", "SUBMITTED": "badge-warn", "APPROVED": "badge-ok", "RETURNED": "badge-err",
                 "SUPERSEDED": "", "CLOSED": ""}
BERAKHLAK_LABELS = {
    "BERORIENTASI_PELAYANAN": "Berorientasi Pelayanan", "AKUNTABEL": "Akuntabel", "KOMPETEN": "Kompeten",
    "HARMONIS": "Harmonis", "LOYAL": "Loyal", "ADAPTIF": "Adaptif", "KOLABORATIF": "Kolaboratif",
}


def _choices(values, labels, empty: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", empty)] if empty is not None else []
    return choices + [SelectChoice(v, labels.get(v, v)) for v in values]


class CreateSkpForm(Form):
    year = YearField(required=True)


class RhkForm(Form):
    """Add or edit one RHK; ``sources`` are the sources the jenjang allows (both kinds)."""

    kind = SelectField("Jenis RHK", choices=_choices(RHK_KIND_LABELS, RHK_KIND_LABELS))
    source = SelectField("Sumber RHK")
    text = TextAreaField("Rencana hasil kerja", filters=[strip],
                         validators=[DataRequired("Rencana hasil kerja wajib diisi."), Length(max=2000)])
    parent_rhk_id = IdChoiceField("RHK Pejabat Penilai yang diintervensi")
    iku_id = IdChoiceField("IKU Perjanjian Kinerja")
    rencana_aksi_id = IdChoiceField("Rencana aksi")
    task_origin = OptionalChoiceField("Asal tugas tambahan")
    task_origin_note = StringField("Keterangan asal tugas", filters=[strip], validators=[Optional(), Length(max=255)])

    def __init__(self, *args, sources=(), task_origins=(), parent_rhks=(), ikus=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source.choices = _choices(sources, RHK_SOURCE_LABELS)
        self.task_origin.choices = _choices(task_origins, TASK_ORIGIN_LABELS, empty="—")
        self.parent_rhk_id.choices = id_choices(parent_rhks, lambda r: r.text, "— tidak ada —")
        self.iku_id.choices = id_choices(ikus, lambda i: f"{i.code} {i.name}", "— tidak ada —")
        self.rencana_aksi_id.choices = id_choices(actions, lambda a: a.description, "— tidak ada —")
        self.offered_sources = list(sources)

    def validate_source(self, field) -> None:
        if self.kind.data == "TAMBAHAN" and field.data != "TUGAS_TAMBAHAN":
            raise ValidationError("RHK tambahan bersumber dari tugas tambahan.")
        if self.kind.data == "UTAMA" and field.data == "TUGAS_TAMBAHAN":
            raise ValidationError("Tugas tambahan dicatat sebagai RHK tambahan.")

    def service_kwargs(self) -> dict:
        """Return the keyword arguments of add_rhk / update_rhk."""
        tambahan = self.kind.data == "TAMBAHAN"
        return {
            "text": self.text.data, "kind": self.kind.data, "source": self.source.data,
            "parent_rhk": self.parent_rhk_id.id_value, "iku": self.iku_id.id_value,
            "rencana_aksi": self.rencana_aksi_id.id_value,
            "task_origin": self.task_origin.data or None if tambahan else None,
            "task_origin_note": self.task_origin_note.data or None if tambahan else None,
        }


class IkiForm(Form):
    text = TextAreaField("Indikator kinerja individu", filters=[strip],
                         validators=[DataRequired("Indikator wajib diisi."), Length(max=2000)])
    aspek = SelectField("Aspek", choices=_choices(ASPEK_LABELS, ASPEK_LABELS))
    target = NumberField("Target", places=None,
                          validators=[InputRequired("Target wajib diisi (angka)."),
                                      NumberRange(min=0, message="Target tidak boleh negatif.")])
    unit_of_measure = StringField("Satuan", filters=[strip],
                                  validators=[DataRequired("Satuan wajib diisi."), Length(max=60)])

    def service_kwargs(self) -> dict:
        return {"text": self.text.data, "aspek": self.aspek.data, "target": float(self.target.data),
                "unit_of_measure": self.unit_of_measure.data}


class PerilakuForm(Form):
    text = TextAreaField("Ekspektasi khusus pimpinan", filters=[strip], validators=[Optional(), Length(max=2000)])


class LampiranForm(Form):
    sumber_daya = TextAreaField("Sumber daya", filters=[strip], validators=[Optional(), Length(max=4000)])
    skema = TextAreaField("Skema pertanggungjawaban", filters=[strip], validators=[Optional(), Length(max=4000)])
    konsekuensi = TextAreaField("Konsekuensi", filters=[strip], validators=[Optional(), Length(max=4000)])


class DialogForm(Form):
    held_on = IsoDateField("Tanggal dialog", validators=[InputRequired("Tanggal dialog wajib diisi.")])
    medium = SelectField("Media", choices=_choices(DIALOG_MEDIUM_LABELS, DIALOG_MEDIUM_LABELS))
    summary = TextAreaField("Ringkasan", filters=[strip],
                            validators=[DataRequired("Ringkasan dialog wajib diisi."), Length(max=4000)])
    agreed_points = TextAreaField("Hal yang disepakati", filters=[strip], validators=[Optional(), Length(max=4000)])


class ReturnForm(Form):
    reason = TextAreaField("Alasan pengembalian", filters=[strip],
                           validators=[DataRequired("Alasan pengembalian wajib diisi."), Length(max=2000)])


class ReviseForm(Form):
    dialog_id = IdChoiceField("Dialog kinerja yang menyepakati revisi")

    def __init__(self, *args, dialogs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.dialog_id.choices = id_choices(
            dialogs, lambda d: f"{d.held_on:%d-%m-%Y} · {DIALOG_MEDIUM_LABELS.get(d.medium, d.medium)}", "— pilih —")

    def validate_dialog_id(self, field) -> None:
        if field.id_value is None:
            raise ValidationError("Pilih dialog kinerja yang menyepakati revisi (catat dulu bila belum ada).")


class ShareForm(Form):
    member_id = IdChoiceField("Anggota tim")
    text = TextAreaField("Peran / hasil yang dibagikan", filters=[strip],
                         validators=[DataRequired("Uraian peran wajib diisi."), Length(max=2000)])

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member_id.choices = id_choices(members, lambda e: e.name, "— pilih —")

    def validate_member_id(self, field) -> None:
        if field.id_value is None:
            raise ValidationError("Pilih anggota tim.")


class DashboardForm(GetForm):
    unit = StringField("Kode unit", filters=[strip], validators=[Optional(), Length(max=40)])
    year = YearField()

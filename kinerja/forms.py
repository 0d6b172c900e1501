"""The base form and the fields every form module shares, speaking Bahasa Indonesia.

WTForms ships no ``id`` catalogue, so its built-in messages ("This field is required.", "Not a
valid integer value.", "Field cannot be longer than %(max)d characters.", ...) are translated here,
once: every form derives from ``Form`` (or ``GetForm``), whose ``Meta.get_translations`` hands this
catalogue to every field and validator. A validator given its own message keeps it.
"""

from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, DecimalField, IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from kinerja.inputs import MAX_INT
from kinerja.rules.calendar import DATE_OUT_OF_RANGE, is_supported_date

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the plan years the pages offer
INVALID_CHOICE = "Pilihan tidak valid."

# Every message id of WTForms 3 (wtforms/locale/wtforms.pot): a test checks none is missing.
# A singular and its plural share one Indonesian text (Indonesian does not inflect the noun).
MESSAGES = {
    "Invalid field name '%s'.": "Nama isian '%s' tidak dikenal.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Isian paling sedikit %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Isian paling sedikit %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Isian paling panjang %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Isian paling panjang %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Isian harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Isian harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Panjang isian harus antara %(min)d dan %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka paling kecil %(min)s.",
    "Number must be at most %(max)s.": "Angka paling besar %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka harus antara %(min)s dan %(max)s.",
    "Date must be at least %(min)s.": "Tanggal paling awal %(min)s.",
    "Date must be at most %(max)s.": "Tanggal paling akhir %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Tanggal harus antara %(min)s dan %(max)s.",
    "This field is required.": "Isian ini wajib diisi.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat email tidak valid.",
    "Invalid IP address.": "Alamat IP tidak valid.",
    "Invalid Mac address.": "Alamat MAC tidak valid.",
    "Invalid URL.": "Alamat URL tidak valid.",
    "Invalid UUID.": "UUID tidak valid.",
    "Invalid value, must be one of: %(values)s.": "Isian tidak valid, harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Isian tidak valid, tidak boleh salah satu dari: %(values)s.",
    "This field cannot be edited.": "Isian ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Isian ini dinonaktifkan dan tidak boleh diisi.",
    "Invalid CSRF Token.": "Token CSRF tidak valid.",
    "CSRF token missing.": "Token CSRF tidak ada.",
    "CSRF failed.": "Pemeriksaan CSRF gagal.",
    "CSRF token expired.": "Token CSRF kedaluwarsa.",
    "Invalid Choice: could not coerce.": INVALID_CHOICE,
    "Choices cannot be None.": "Daftar pilihan belum disediakan.",
    "Not a valid choice.": INVALID_CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": "Satu atau lebih pilihan tidak valid.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang tersedia.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang tersedia.",
    "Not a valid datetime value.": "Waktu tidak valid.",
    "Not a valid date value.": "Tanggal tidak valid.",
    "Not a valid time value.": "Jam tidak valid.",
    "Not a valid week value.": "Minggu tidak valid.",
    "Not a valid integer value.": "Harus berupa bilangan bulat.",
    "Not a valid decimal value.": "Harus berupa angka.",
    "Not a valid float value.": "Harus berupa angka.",
    # Flask-WTF's file validators
    "File does not have an approved extension: {extensions}": "Jenis berkas tidak diizinkan: {extensions}",
    "File does not have an approved extension.": "Jenis berkas tidak diizinkan.",
}


class IndonesianTranslations:
    """The ``gettext``/``ngettext`` pair WTForms asks for its messages, answering from ``MESSAGES``."""

    def gettext(self, string: str) -> str:
        return MESSAGES.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = IndonesianTranslations()


class Form(FlaskForm):
    """The base of every form of the application: WTForms' own messages in Bahasa Indonesia."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


class GetForm(Form):
    """A form read from the query string: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False


def strip(value):
    """Trim the spaces around a text input (a filter of text fields)."""
    return value.strip() if isinstance(value, str) else value


class IsoDateField(DateField):
    """A YYYY-MM-DD date in the years the calendar supports, with the expected format in its error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Tanggal tidak valid (format TTTT-BB-HH).") from None
        if self.data is not None and not is_supported_date(self.data):
            self.data = None  # 9999-12-31 would overflow the week and range arithmetic after it
            raise ValueError(DATE_OUT_OF_RANGE)


class LocalDateTimeField(DateTimeLocalField):
    """A ``datetime-local`` value with the expected format in its error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Waktu tidak valid (format TTTT-BB-HHTjj:mm).") from None


class NumberField(DecimalField):
    """A decimal typed with a comma or a point (``2,5`` or ``2.5``)."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


class IdField(IntegerField):
    """A row id a page posts back (a hidden field): empty, or 1 to 2^31 - 1 like an id column.

    Without the bound, 99999999999999999999 reached the database (SQLite cannot bind it, PostgreSQL
    refuses it for an ``integer``): the form now refuses it as an invalid choice (422).
    """

    def __init__(self, label=None, validators=None, **kwargs):
        bounds = [Optional(), NumberRange(min=1, max=MAX_INT, message=INVALID_CHOICE)]
        super().__init__(label, bounds + list(validators or []), **kwargs)


class YearField(IntegerField):
    """A plan year, ``FIRST_YEAR`` to ``LAST_YEAR``: empty allowed unless ``required``."""

    def __init__(self, label="Tahun", validators=None, *, required: bool = False, **kwargs):
        first = InputRequired("Tahun wajib diisi.") if required else Optional()
        bounds = [first, NumberRange(min=FIRST_YEAR, max=LAST_YEAR, message="Tahun tidak valid.")]
        super().__init__(label, bounds + list(validators or []), **kwargs)


class OptionalChoiceField(SelectField):
    """A select that may be left empty."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""

    def pre_validate(self, form):
        if self.data in ("", None):
            return
        super().pre_validate(form)


class IdChoiceField(OptionalChoiceField):
    """A select of row ids (empty allowed) whose value is an ``int`` or ``None``."""

    @property
    def id_value(self) -> int | None:
        """Return the chosen id; None when empty or not a number (the choice check then says why)."""
        try:
            return int(self.data) if self.data not in ("", None) else None
        except (TypeError, ValueError):  # " " or "x" posted by hand: validators run after a failed choice check
            return None


def id_choices(rows, label, empty: str) -> list[SelectChoice]:
    """Offer ``rows`` by id after an empty choice labelled ``empty``."""
    return [SelectChoice("", empty)] + [SelectChoice(str(row.id), label(row)) for row in rows]


class YearForm(GetForm):
    """``?year=`` of the pages that show one plan year."""

    year = YearField()

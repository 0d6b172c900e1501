"""Every message a form shows speaks Bahasa Indonesia.

WTForms ships no ``id`` catalogue: ``kinerja.forms.MESSAGES`` translates its built-in messages and
``kinerja.forms.Form`` hands them to every field. The tests walk every form class of the
application, fill every field with bad input, and fail on any error message with an English word;
then post bad input to a few real pages and read the 422 answer.
"""

import html
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

import kinerja
from kinerja.forms import MESSAGES, Form
from tests.factories import login_as

# "valid" is left out: "tidak valid" is standard Indonesian (KBBI), used by the pages on purpose.
ENGLISH_WORDS = {
    "field", "required", "invalid", "must", "between", "choice", "choices", "character", "characters", "longer",
    "shorter", "number", "date", "value", "values", "this", "not", "least", "most", "the", "is", "are", "be",
    "cannot", "could", "coerce", "please", "enter", "missing", "failed", "expired", "input", "file", "address",
    "exactly", "long", "equal", "approved", "extension", "disabled", "edited", "integer", "decimal", "float",
    "time", "week",
}
BAD_VALUES = ["", " ", "abc", "31-31-2026", "x" * 10_000, "zz-tak-dikenal", "-5", "99999999999999999999",
              "2026-02-30T25:61", "1,5"]


def english_words(message: str) -> set[str]:
    """Return the English words of a message, placeholders (``%(max)d``, ``{extensions}``) left out."""
    text = re.sub(r"%\(\w+\)[sd]|\{\w+\}|%s", " ", message)
    return {word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH_WORDS}


def form_classes() -> list[type]:
    """Import every module of the application and return every form class it defines."""
    for module in pkgutil.walk_packages(kinerja.__path__, "kinerja."):
        importlib.import_module(module.name)
    found, pending = set(), [FlaskForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("kinerja.") and sub.__module__ != "kinerja.forms":
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = form_classes()


def wtforms_message_ids() -> list[str]:
    """Return every ``msgid`` and ``msgid_plural`` of WTForms' own catalogue template."""
    pot = (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").read_text(encoding="utf-8")
    ids = re.findall(r'^msgid(?:_plural)? "(.+)"$', pot, flags=re.MULTILINE)
    return [message.replace('\\"', '"') for message in ids]


def error_messages(form) -> list[str]:
    """Return every error message of a validated form (fields and form-level)."""
    messages = list(form.form_errors)
    for errors in form.errors.values():
        messages.extend(e for e in errors if isinstance(e, str))
    return messages


def test_the_walk_finds_the_forms():
    names = {cls.__name__ for cls in FORMS}
    assert {"LoginForm", "ActingForm", "RhkForm", "IkuForm", "VisumForm", "ReopenForm", "UploadForm",
            "InboxReturnForm", "TransferForm", "YearUnitForm", "MarkReadForm"} <= names


def test_every_wtforms_message_has_an_indonesian_text():
    ids = wtforms_message_ids()
    assert len(ids) > 40
    missing = [message for message in ids if message not in MESSAGES]
    assert missing == []
    english = {message: text for message, text in MESSAGES.items() if english_words(text)}
    assert english == {}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__.removeprefix('kinerja.')}.{c.__name__}")
def test_every_form_derives_from_the_indonesian_base(form_class):
    assert issubclass(form_class, Form)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__.removeprefix('kinerja.')}.{c.__name__}")
def test_bad_input_gets_indonesian_messages_only(app, form_class):
    with app.test_request_context(method="POST"):
        names = [field.name for field in form_class(formdata=None, meta={"csrf": False})]
        seen = {}
        for bad in BAD_VALUES:
            form = form_class(formdata=MultiDict({name: bad for name in names}), meta={"csrf": False})
            form.validate()
            for message in error_messages(form):
                if english_words(message):
                    seen[message[:200]] = bad[:20]
    assert seen == {}


@pytest.mark.parametrize("field, message", [
    ("year", "Harus berupa bilangan bulat."),
    ("name", "Isian paling panjang 120 karakter."),
])
def test_the_built_in_messages_come_out_in_indonesian(app, field, message):
    """A field without its own message shows the catalogue's text (the year of a GET form, a long name)."""
    from kinerja.execution.hr_forms import BlockedFilterForm, HolidayForm

    with app.test_request_context(method="POST"):
        form = (BlockedFilterForm if field == "year" else HolidayForm)(
            formdata=MultiDict({"year": "abc", "day": "2026-01-05", "name": "x" * 121}), meta={"csrf": False})
        assert not form.validate()
        assert message in form.errors[field]


def page_errors(response) -> list[str]:
    """Return the texts of the field errors a page shows."""
    text = response.get_data(as_text=True)
    return [html.unescape(m).strip() for m in re.findall(r'class="field-error"[^>]*>(.*?)<', text, flags=re.S)]


def assert_indonesian_422(response, expected: str) -> None:
    assert response.status_code == 422
    errors = page_errors(response)
    assert expected in errors
    assert [e for e in errors if english_words(e)] == []


def test_login_page_shows_indonesian_messages(client):
    response = client.post("/login", data={"nip": "9" * 40, "password": "x" * 300})
    assert_indonesian_422(response, "Isian paling panjang 32 karakter.")
    assert "Isian paling panjang 256 karakter." in page_errors(response)


def test_skp_page_shows_indonesian_messages(client, make_unit, make_employee, make_user):
    user = make_user(make_employee(make_unit("DIT-F")))
    login_as(client, user)
    assert_indonesian_422(client.post("/planning/skp", data={"year": "abc"}), "Harus berupa bilangan bulat.")
    assert_indonesian_422(client.post("/planning/skp", data={"year": "1999"}), "Tahun tidak valid.")


def test_holiday_page_shows_indonesian_messages(client, make_unit, make_employee, make_user):
    user = make_user(make_employee(make_unit("DIT-F")), "KEPEGAWAIAN")
    login_as(client, user)
    response = client.post("/execution/hr/holidays", data={"day": "31-31-2026", "name": "x" * 10_000})
    assert_indonesian_422(response, "Isian paling panjang 120 karakter.")
    assert "Tanggal tidak valid (format TTTT-BB-HH)." in page_errors(response)


def test_acting_page_shows_indonesian_messages(client, make_unit, make_employee, make_user):
    unit = make_unit("DIT-F")
    user = make_user(make_employee(unit), "KEPEGAWAIAN")
    login_as(client, user)
    response = client.post("/org/units/DIT-F/acting", data={"nip": "x" * 10_000, "kind": "zz-tak-dikenal",
                                                            "start": "31-31-2026", "end": ""})
    assert_indonesian_422(response, "Pilihan tidak valid.")

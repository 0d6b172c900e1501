"""The HR import page: upload -> preview (or every error, 422) -> Simpan, with and without HTMX."""

import io
import re

import pytest
from flask import g
from flask_login.utils import _create_identifier
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org.models import Unit

UNITS = "code,name,parent_code,level,region,kind,timezone\n"
GOOD_UNITS = (UNITS + "BIRO,Biro Umum,SESTAMA,ESELON_II,PUSAT,BIRUMAS,\n"
                      "SESTAMA,Sekretariat Utama,BKKBN,ESELON_I,PUSAT,SESTAMA,\n").encode()
HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def import_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path / "imports"))
    return tmp_path / "imports"


@pytest.fixture
def root(make_unit):
    return make_unit("BKKBN", "BADAN")


def log_in(app, client, auth, user):
    """Log in through the login form; fall back to flask-login's session keys while it is a stub."""
    g.pop("_login_user", None)  # requests share the fixture's app context, and flask-login caches in g
    auth.login(user.employee.nip)
    with client.session_transaction() as session:
        if session.get("_user_id") == str(user.id):
            return
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()  # "strong" session protection checks it
    with client.session_transaction() as session:
        session.update({"_user_id": str(user.id), "_fresh": True, "_id": identifier})


@pytest.fixture
def hr(app, client, auth, root, make_employee, make_user):
    employee = make_employee(root, "PELAKSANA", name="Petugas SDM")
    user = make_user(employee, "KEPEGAWAIAN")
    log_in(app, client, auth, user)
    return user


def upload(client, data: bytes, kind="units", filename="units.csv", headers=None):
    return client.post("/org/import/preview", data={"kind": kind, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data", headers=headers or {})


def token_of(response) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', response.text).group(1)


def unit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Unit))


# --- access ----------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [("get", "/org/import"), ("post", "/org/import/preview"),
                                          ("post", "/org/import/commit")])
def test_anonymous_is_sent_to_login(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = getattr(client, method)(path, headers=HX)
    # a bare 302 or, once the login handler answers HTMX itself, 401 + HX-Redirect
    target = response.headers.get("HX-Redirect") if response.status_code == 401 else response.headers["Location"]
    assert response.status_code in (302, 401) and "/login" in target


@pytest.mark.parametrize("method, path", [("get", "/org/import"), ("post", "/org/import/preview"),
                                          ("post", "/org/import/commit")])
def test_non_hr_gets_403(app, client, auth, root, make_employee, make_user, method, path):
    user = make_user(make_employee(root, "PELAKSANA"), "PENGELOLA_KINERJA")
    log_in(app, client, auth, user)
    assert getattr(client, method)(path).status_code == 403
    assert getattr(client, method)(path, headers=HX).status_code == 403


# --- page and partial ------------------------------------------------------------------------

def test_page_full_and_partial(client, hr):
    page = client.get("/org/import")
    assert page.status_code == 200
    assert "<html" in page.text and 'id="import-panel"' in page.text and "Format kolom" in page.text
    partial = client.get("/org/import", headers=HX)
    assert partial.status_code == 200
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<section id="import-panel">')


# --- preview then commit ---------------------------------------------------------------------

def test_preview_then_commit_with_htmx(client, hr, import_folder):
    preview = upload(client, GOOD_UNITS, headers=HX)
    assert preview.status_code == 200
    assert "<html" not in preview.text and 'id="import-preview"' in preview.text
    assert "2 baru" in preview.text and "Simpan" in preview.text and "Sekretariat Utama" in preview.text
    assert unit_count() == 1  # nothing written by the preview
    token = token_of(preview)
    assert [p.name for p in import_folder.iterdir()] == [f"{hr.id}-units-{token}.csv"]
    assert token not in client.get_cookie("session").value  # the upload stays on the server

    done = client.post("/org/import/commit", data={"kind": "units", "token": token}, headers=HX)
    assert done.status_code == 204 and done.headers["HX-Redirect"] == "/org/import"
    db.session.rollback()
    assert unit_count() == 3
    assert db.session.scalar(select(Unit).where(Unit.code == "BIRO")).parent.code == "SESTAMA"
    actors = set(db.session.scalars(select(AuditEntry.actor_id).where(AuditEntry.action == "unit.create",
                                                                     AuditEntry.object_id != "BKKBN")))
    assert actors == {hr.employee_id}
    assert list(import_folder.iterdir()) == []
    assert "Impor selesai. Unit kerja: 2 baru" in client.get("/org/import").text

    again = client.post("/org/import/commit", data={"kind": "units", "token": token}, headers=HX)
    assert again.status_code == 404


def test_preview_then_commit_without_htmx(client, hr):
    preview = upload(client, GOOD_UNITS)
    assert preview.status_code == 200
    assert "<html" in preview.text and 'id="import-preview"' in preview.text
    done = client.post("/org/import/commit", data={"kind": "units", "token": token_of(preview)})
    assert done.status_code == 303 and done.headers["Location"] == "/org/import"
    db.session.rollback()
    assert unit_count() == 3


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_errors_are_listed_with_lines_and_nothing_is_kept(client, hr, import_folder, headers):
    bad = (UNITS + "A,,BKKBN,ESELON_I,PUSAT,,\nB,Bidang,NOPE,ESELON_I,PUSAT,,\n").encode()
    response = upload(client, bad, headers=headers)
    assert response.status_code == 422
    assert ("<html" in response.text) is (not headers)
    assert "2 masalah ditemukan" in response.text
    assert "<td>2</td><td>name wajib diisi</td>" in response.text
    assert "<td>3</td><td>unit induk NOPE tidak dikenal" in response.text
    assert "Simpan" not in response.text
    assert not import_folder.exists() or list(import_folder.iterdir()) == []
    assert unit_count() == 1


@pytest.mark.parametrize("filename, data, message", [
    ("units.xlsx", GOOD_UNITS, "Berkas harus berekstensi .csv."),
    ("units.csv", b"code,name\x00\x00", "Berkas bukan teks CSV UTF-8."),
    ("units.csv", GOOD_UNITS * 20, "Berkas terlalu besar"),
], ids=["extension", "binary", "size"])
def test_upload_checks(app, client, hr, monkeypatch, filename, data, message):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 1000)
    for headers in ({}, HX):
        response = upload(client, data, filename=filename, headers=headers)
        assert response.status_code == 422
        assert message in response.text
    assert unit_count() == 1


def test_missing_file_and_bad_kind(client, hr, import_folder):
    response = client.post("/org/import/preview", data={"kind": "units"}, headers=HX)
    assert response.status_code == 422 and "Pilih berkas CSV." in response.text
    response = upload(client, GOOD_UNITS, kind="budget", headers=HX)
    assert response.status_code == 422 and "Simpan" not in response.text
    assert not import_folder.exists() or list(import_folder.iterdir()) == []


def test_employees_preview_counts_updates(client, hr):
    nip = hr.employee.nip
    data = ("nip,name,status,jenjang,jf_name,golongan,unit_code,is_head,email\n"
            f"{nip},Petugas SDM,PNS,PELAKSANA,,III/a,BKKBN,0,sdm@bkkbn.go.id\n"
            "199001012015011001,Kepala Badan,PNS,KEPALA,,,BKKBN,1,\n").encode()
    response = upload(client, data, kind="employees", filename="employees.csv", headers=HX)
    assert response.status_code == 200, response.text
    assert "1 baru" in response.text and "1 diubah" in response.text
    assert "sdm@bkkbn.go.id" in response.text and "Kepala Badan" in response.text


def test_commit_token_is_bound_to_its_user(app, client, auth, hr, root, make_employee, make_user):
    token = token_of(upload(client, GOOD_UNITS, headers=HX))
    other = make_user(make_employee(root, "PELAKSANA"), "KEPEGAWAIAN")
    log_in(app, client, auth, other)
    assert client.post("/org/import/commit", data={"kind": "units", "token": token}).status_code == 404
    assert client.post("/org/import/commit", data={"kind": "units", "token": "../../etc/passwd"}).status_code == 400
    assert client.post("/org/import/commit", data={"kind": "x", "token": token}).status_code == 400
    assert unit_count() == 1


def test_commit_checks_again(client, hr, make_unit, import_folder):
    """The database may change between preview and commit: the commit validates the file again."""
    sestama = make_unit("SESTAMA", "ESELON_I", db.session.scalar(select(Unit).where(Unit.code == "BKKBN")))
    preview = upload(client, (UNITS + "BIRO,Biro Umum,SESTAMA,ESELON_II,PUSAT,BIRUMAS,\n").encode(), headers=HX)
    assert preview.status_code == 200
    db.session.delete(sestama)
    db.session.commit()
    response = client.post("/org/import/commit", data={"kind": "units", "token": token_of(preview)}, headers=HX)
    assert response.status_code == 422
    assert "<td>2</td><td>unit induk SESTAMA tidak dikenal" in response.text
    assert unit_count() == 1
    assert list(import_folder.iterdir()) == []  # it can never be committed: upload a corrected file


def test_forms_carry_csrf_tokens(app, client, hr, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert upload(client, GOOD_UNITS).status_code == 400  # no token
    page = client.get("/org/import").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    preview = client.post("/org/import/preview", data={"csrf_token": csrf, "kind": "units",
                                                       "file": (io.BytesIO(GOOD_UNITS), "units.csv")})
    assert preview.status_code == 200
    commit_form = preview.text[preview.text.index('action="/org/import/commit"'):]
    fields = dict(re.findall(r'name="(csrf_token|kind|token)" type="hidden" value="([^"]+)"', commit_form))
    assert set(fields) == {"csrf_token", "kind", "token"}
    assert client.post("/org/import/commit", data=fields).status_code == 303
    db.session.rollback()
    assert unit_count() == 3

"""HR pages: upload a CSV, preview what it would do (or every problem in it), then commit it.

Between preview and commit the uploaded bytes wait in ``instance/imports/`` (config
``IMPORT_FOLDER``) under a random token and the user's id, never in the cookie; the commit
checks the file again, since the database may have changed meanwhile, and deletes it.
"""

import os
import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, url_for
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectChoice, SelectField, ValidationError
from wtforms.validators import AnyOf, Regexp

from kinerja.auth.access import role_required
from kinerja.extensions import db
from kinerja.forms import Form
from kinerja.htmx import hx_redirect, render_page_or_partial
from kinerja.org import bp, imports

KIND_CHOICES = [
    SelectChoice("units", "Unit kerja (units.csv)"),
    SelectChoice("employees", "Pegawai (employees.csv)"),
    SelectChoice("acting", "PLT/PLH (acting.csv)"),
]
PREVIEW_ROWS = 20
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
STALE_SECONDS = 24 * 3600
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{22,64}$"


class UploadForm(Form):
    kind = SelectField("Jenis data", choices=KIND_CHOICES, default="employees")
    file = FileField("Berkas CSV (UTF-8)", validators=[
        FileRequired("Pilih berkas CSV."),
        FileAllowed(["csv", "txt"], "Berkas harus berekstensi .csv."),
    ])

    def validate_file(self, field) -> None:
        """Read the upload once, refusing what is too big or not text."""
        limit = current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)
        content = field.data.read(limit + 1)
        if len(content) > limit:
            raise ValidationError(f"Berkas terlalu besar (paling besar {limit // (1024 * 1024)} MB).")
        if b"\x00" in content[:8192]:
            raise ValidationError("Berkas bukan teks CSV UTF-8.")
        self.content = content


class CommitForm(Form):
    kind = HiddenField(validators=[AnyOf(list(imports.HEADERS))])
    token = HiddenField(validators=[Regexp(TOKEN_PATTERN)])


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORT_FOLDER") or os.path.join(current_app.instance_path, "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload_path(kind: str, token: str) -> Path:
    """Name the waiting file after its user, so another user's token finds nothing."""
    return _folder() / f"{current_user.id}-{kind}-{token}.csv"


def _keep_upload(kind: str, content: bytes) -> str:
    """Store an upload until it is committed; drop stale ones on the way."""
    cutoff = time.time() - STALE_SECONDS
    for old in _folder().glob("*.csv"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    _upload_path(kind, token).write_bytes(content)
    return token


def _render(form, plan=None, commit_form=None, status=200):
    return render_page_or_partial("org/import.html", "org/import_panel.html", status=status, form=form,
                                  plan=plan, commit_form=commit_form, headers=imports.HEADERS,
                                  kind_labels=imports.KIND_LABELS, preview_rows=PREVIEW_ROWS)


@bp.get("/import")
@role_required("KEPEGAWAIAN")
def import_page():
    """Show the import form."""
    return _render(UploadForm())


@bp.post("/import/preview")
@role_required("KEPEGAWAIAN")
def import_preview():
    """Check an uploaded file and show what it would change, or every problem in it (422)."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    plan = imports.check_import(form.kind.data, form.content)
    if not plan.ok:
        return _render(form, plan=plan, status=422)
    token = _keep_upload(form.kind.data, form.content)
    return _render(form, plan=plan, commit_form=CommitForm(kind=form.kind.data, token=token))


@bp.post("/import/commit")
@role_required("KEPEGAWAIAN")
def import_commit():
    """Apply a previewed file all or nothing, then go back to the import page."""
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    path = _upload_path(form.kind.data, form.token.data)
    if not path.is_file():
        abort(404, description="Berkas pratinjau tidak ditemukan atau sudah dipakai; unggah ulang.")
    plan = imports.check_import(form.kind.data, path.read_bytes())
    if not plan.ok:
        path.unlink(missing_ok=True)
        return _render(UploadForm(kind=form.kind.data), plan=plan, status=422)
    try:
        imports.apply_plan(current_user.employee, plan)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    path.unlink(missing_ok=True)
    flash(f"Impor selesai. {plan.summary()}", "success")
    return hx_redirect(url_for("org.import_page"))

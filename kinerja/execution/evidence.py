"""Evidence (bukti dukung): store an upload safely, serve it by a checked name, add and remove it on a visum.

Storage rules (``docs/visum-pages.md``): the type is decided from the file's first bytes (never
the client's content type or extension) and must be in ``EVIDENCE_ALLOWED_TYPES``; images are
decoded with Pillow, turned upright by their EXIF orientation, stripped of EXIF, shrunk to
``EVIDENCE_IMAGE_MAX_PX`` and re-encoded as JPEG before anything reaches the disk; files live
in ``UPLOAD_FOLDER/evidence/`` under a random server-chosen name, and a file written for a
transaction that does not commit (a refusal, a failed commit) is removed when it ends. Refusals are
``PlanningRuleError`` (field ``file``), so pages re-render the form with 422 and nothing is
stored. The services follow ``kinerja.execution.services``: owner, week lock (423), state (409),
fields (400); an audit row; no commit.
"""

import contextlib
import io
import os
import re
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import abort, current_app, send_file
from PIL import Image, ImageOps
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from kinerja import clock
from kinerja.audit.services import record
from kinerja.execution.models import Evidence, Visum
from kinerja.execution.services import _require_owner, ensure_writable, reload_visum
from kinerja.extensions import db
from kinerja.rules.planning import PlanningRuleError, required_text
from kinerja.rules.visum import VisumAction, VisumStatus, visum_transition

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf", XLSX: ".xlsx", DOCX: ".docx"}
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF", XLSX: "Excel (xlsx)", DOCX: "Word (docx)"}
FOLDER = "evidence"
MAX_URL = 2000
MAX_EVIDENCE_PER_VISUM = 10
MB = 1024 * 1024
_NEW_FILES = "kinerja.evidence.new_files"  # session.info key: paths written for the open transaction
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp|pdf|xlsx|docx)$")


@dataclass(frozen=True)
class StoredFile:
    """A file written to the evidence folder: its server name and what to tell about it."""

    stored_name: str
    original_name: str
    content_type: str
    size: int


def _config(key: str, default):
    value = current_app.config.get(key)
    return default if value is None else value


def _refuse(message: str, code: str) -> PlanningRuleError:
    return PlanningRuleError(message, "file", code=code)


# --- sniffing ------------------------------------------------------------------------------------

def sniff_type(head: bytes) -> str | None:
    """Return the content type the bytes really are (by their magic numbers), or None when unknown."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _office_type(head)
    return None


def _office_type(data: bytes) -> str | None:
    """Tell an xlsx from a docx by the parts its zip holds (reads the directory only, never inflates)."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def allowed_types() -> tuple[str, ...]:
    """Return the configured allowed content types."""
    return tuple(_config("EVIDENCE_ALLOWED_TYPES", (JPEG, PNG, WEBP, PDF)))


def allowed_label() -> str:
    """Write the allowed types for a hint: ``JPEG, PNG, WebP, PDF``."""
    return ", ".join(TYPE_NAMES.get(t, t) for t in allowed_types())


def accept_attribute() -> str:
    """Return the ``accept`` attribute of the file input for the allowed types."""
    types = allowed_types()
    parts = ["image/*"] if IMAGE_TYPES & set(types) else []
    parts += [t for t in types if t not in IMAGE_TYPES]
    parts += [EXTENSIONS[t] for t in types if t in (XLSX, DOCX)]
    return ",".join(parts)


def max_bytes_label() -> str:
    """Write the size limit of a stored file: ``5 MB``."""
    return f"{int(_config('EVIDENCE_MAX_BYTES', 5 * MB)) / MB:g} MB"


# --- storing ---------------------------------------------------------------------------------------

def _display_name(filename: str | None, content_type: str) -> str:
    """Return the client's file name for display only (last path part, printable), with the stored extension."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem or 'bukti'}{EXTENSIONS[content_type]}"


def _reencode_image(data: bytes) -> bytes:
    """Decode an image, apply and drop its EXIF, shrink it and return it as a JPEG."""
    max_px = int(_config("EVIDENCE_IMAGE_MAX_PX", 1600))
    max_pixels = int(_config("EVIDENCE_MAX_PIXELS", 50_000_000))
    quality = int(_config("EVIDENCE_IMAGE_QUALITY", 82))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("JPEG", "PNG", "WEBP")) as image:
                width, height = image.size  # read from the header, before decoding
                if width * height > max_pixels:
                    raise _refuse("Dimensi gambar terlalu besar untuk diproses.", "IMAGE_TOO_LARGE")
                if image.format == "JPEG":
                    image.draft("RGB", (max_px, max_px))  # decode a phone photo at a reduced scale
                icc = image.info.get("icc_profile")
                upright = ImageOps.exif_transpose(image)
            upright.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
            flat = _flatten(upright)
            flat.info = {}  # no EXIF (GPS, camera), no comments: only pixels leave this function
            out = io.BytesIO()
            flat.save(out, "JPEG", quality=quality, optimize=True, **({"icc_profile": icc} if icc else {}))
    except PlanningRuleError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("Dimensi gambar terlalu besar untuk diproses.", "IMAGE_TOO_LARGE") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise _refuse("Gambar rusak atau tidak dapat dibaca.", "IMAGE_INVALID") from None
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """Return an RGB image; transparency is laid on white (a JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def evidence_folder() -> str:
    """Return the absolute evidence folder (``UPLOAD_FOLDER/evidence``)."""
    return os.path.realpath(os.path.join(current_app.config["UPLOAD_FOLDER"], FOLDER))


def store_upload(upload) -> StoredFile:
    """Check an uploaded file (type by its bytes, size), shrink an image, and write it under a random name.

    :param upload: a werkzeug ``FileStorage``
    :raise PlanningRuleError: field ``file``: ``FILE_REQUIRED``, ``FILE_EMPTY``, ``FILE_TYPE_NOT_ALLOWED``,
        ``FILE_TOO_LARGE``, ``IMAGE_TOO_LARGE``, ``IMAGE_INVALID`` — nothing is written then.
    """
    if upload is None or not hasattr(upload, "stream"):
        raise _refuse("Pilih berkas bukti dukung.", "FILE_REQUIRED")
    max_bytes = int(_config("EVIDENCE_MAX_BYTES", 5 * MB))
    max_image = max(int(_config("EVIDENCE_MAX_IMAGE_UPLOAD_BYTES", 15 * MB)), max_bytes)
    data = upload.stream.read(max_image + 1)
    if not data:
        raise _refuse("Berkas kosong; pilih berkas lain.", "FILE_EMPTY")
    content_type = sniff_type(data[:8192] if not data.startswith(b"PK") else data)
    if content_type is None or content_type not in allowed_types():
        raise _refuse(f"Jenis berkas tidak diizinkan. Gunakan {allowed_label()}.", "FILE_TYPE_NOT_ALLOWED")
    limit = max_image if content_type in IMAGE_TYPES else max_bytes
    if len(data) > limit:
        raise _refuse(f"Berkas terlalu besar; paling besar {limit / MB:g} MB.", "FILE_TOO_LARGE")
    if content_type in IMAGE_TYPES:
        data, content_type = _reencode_image(data), JPEG
        if len(data) > max_bytes:  # pragma: no cover - a 1600 px JPEG is far below any sane limit
            raise _refuse(f"Berkas terlalu besar; paling besar {max_bytes_label()}.", "FILE_TOO_LARGE")
    folder = evidence_folder()
    os.makedirs(folder, exist_ok=True)
    stored_name = secrets.token_hex(16) + EXTENSIONS[content_type]
    path = os.path.join(folder, stored_name)
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(data)
    db.session.info.setdefault(_NEW_FILES, []).append(path)
    return StoredFile(stored_name, _display_name(upload.filename, content_type), content_type, len(data))


def stored_path(stored_name: str) -> str:
    """Return the absolute path of a stored file, after checking the name's shape and that it stays inside.

    :raise PlanningRuleError: ``INVALID_STORED_NAME`` for any other name (``../x``, ``/etc/passwd``).
    """
    if not isinstance(stored_name, str) or not _STORED_NAME.fullmatch(stored_name):
        raise _refuse("Nama berkas tidak valid.", "INVALID_STORED_NAME")
    folder = evidence_folder()
    path = os.path.realpath(os.path.join(folder, stored_name))
    if os.path.commonpath([folder, path]) != folder:  # pragma: no cover - the pattern already forbids it
        raise _refuse("Nama berkas tidak valid.", "INVALID_STORED_NAME")
    return path


def remove_stored(names) -> None:
    """Remove stored files after the commit that dropped their rows; unknown or invalid names are skipped."""
    for name in names or ():
        try:
            os.remove(stored_path(name))
        except (PlanningRuleError, FileNotFoundError):
            continue
        except OSError:  # pragma: no cover - logged, never fails the request that already committed
            current_app.logger.warning("evidence file %s could not be removed", name)


@event.listens_for(Session, "after_commit")
def _keep_new_files(session) -> None:
    """The transaction that refers to the new files committed: they stay."""
    session.info.pop(_NEW_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session, transaction) -> None:
    """A transaction ended without committing (rolled back, or closed): remove the files written for it."""
    if transaction.parent is None:
        for path in session.info.pop(_NEW_FILES, ()):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


# --- services ------------------------------------------------------------------------------------

WEB_SCHEMES = ("http", "https")
LINK_MESSAGE = ("Tautan harus alamat http:// atau https:// yang lengkap; alamat lain (javascript:, data:, file:, "
                "ftp: …) tidak diterima.")


def is_web_url(value) -> bool:
    """Tell whether a value is a complete ``http``/``https`` address that a page may turn into a link.

    The one test for every evidence link, on input (``check_web_url``) and when a page renders a
    stored value (the ``web_url`` template test): anything else — ``javascript:``, ``data:``, a
    relative path, a value with spaces or control characters — is never a link.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return False
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc) and bool(parts.hostname)


def check_web_url(text: str, field: str, message: str = LINK_MESSAGE) -> str:
    """Return ``text`` when it is a complete http(s) address.

    :raise PlanningRuleError: ``INVALID_URL`` on ``field`` for any other scheme or an incomplete address.
    """
    if not is_web_url(text):
        raise PlanningRuleError(message, field, code="INVALID_URL")
    return text


def _check_link(url) -> str:
    text = required_text(url, "url", "Tautan", MAX_URL, "Isi tautan bukti dukung.", "URL_REQUIRED")
    return check_web_url(text, "url")


def _open_for_evidence(actor, visum: Visum) -> VisumStatus:
    """Check owner, week lock and state before an evidence change; return the visum's status after it.

    Evidence is part of the visum: like an edit it is refused on an approved visum, and it sends
    a returned visum back for approval.
    """
    _require_owner(actor, visum.employee_id)
    reload_visum(visum)
    ensure_writable(visum.employee, visum.day)
    return visum_transition(visum.status, VisumAction.EDIT)


def _touch(visum: Visum, status: VisumStatus, now: datetime) -> dict:
    before = {"status": visum.status}
    visum.status, visum.updated_at = status.value, clock.stamp(now)
    # always an UPDATE with the version check, even within one clock tick: simultaneous evidence
    # changes to one visum serialise (the loser answers 409) and the evidence limit holds
    flag_modified(visum, "updated_at")
    if before["status"] != visum.status:
        visum.return_reason = None
        return before
    return {}


def _evidence_record(actor, action: str, visum: Visum, evidence: Evidence, status_before: dict, add: bool):
    facts = {"evidence_id": evidence.id, "kind": evidence.kind, "original_name": evidence.original_name,
             "url": evidence.url, "stored_name": evidence.stored_name}
    before = {**status_before, **({} if add else facts)} or None
    after = ({**facts} if add else {}) | ({"status": visum.status} if status_before else {})
    record(actor, f"visum.{action}", "visum", visum.id, before, after or None)


def _ensure_room(visum: Visum) -> None:
    count = db.session.scalar(select(func.count(Evidence.id)).where(Evidence.visum_id == visum.id))
    if count >= MAX_EVIDENCE_PER_VISUM:
        raise PlanningRuleError(f"Satu visum paling banyak {MAX_EVIDENCE_PER_VISUM} bukti dukung.", "file",
                                code="TOO_MANY_EVIDENCE")


def add_file_evidence(actor, visum: Visum, upload) -> Evidence:
    """Attach an uploaded file to the employee's own visum while its week is open.

    The file is written only after every check passed; if the transaction does not commit it is removed.

    :raise NotAllowed: not the owner; :raise VisumLocked: week closed (423);
    :raise WrongState: approved visum; :raise PlanningRuleError: the file (see ``store_upload``)
    """
    now = clock.now()
    status = _open_for_evidence(actor, visum)
    _ensure_room(visum)
    stored = store_upload(upload)
    evidence = Evidence(visum_id=visum.id, kind="FILE", stored_name=stored.stored_name,
                        original_name=stored.original_name, content_type=stored.content_type, size=stored.size,
                        created_at=clock.stamp(now))
    db.session.add(evidence)
    status_before = _touch(visum, status, now)
    db.session.flush()
    _evidence_record(actor, "evidence_add", visum, evidence, status_before, add=True)
    return evidence


def add_link_evidence(actor, visum: Visum, url: str) -> Evidence:
    """Attach a link (http or https, at most 2000 characters) to the employee's own visum while its week is open.

    :raise NotAllowed: not the owner; :raise VisumLocked: week closed (423);
    :raise WrongState: approved visum; :raise PlanningRuleError: ``URL_REQUIRED``, ``INVALID_URL``, ``TOO_LONG``
    """
    now = clock.now()
    status = _open_for_evidence(actor, visum)
    text = _check_link(url)
    _ensure_room(visum)
    evidence = Evidence(visum_id=visum.id, kind="LINK", url=text, created_at=clock.stamp(now))
    db.session.add(evidence)
    status_before = _touch(visum, status, now)
    db.session.flush()
    _evidence_record(actor, "evidence_add", visum, evidence, status_before, add=True)
    return evidence


def remove_evidence(actor, evidence: Evidence) -> str | None:
    """Remove one evidence of the employee's own visum while its week is open.

    Returns the ``stored_name`` the caller removes from storage after commit (None for a link).

    :raise NotAllowed: not the owner; :raise VisumLocked: week closed (423); :raise WrongState: approved visum
    """
    now = clock.now()
    visum = evidence.visum
    status = _open_for_evidence(actor, visum)
    stored_name = evidence.stored_name if evidence.kind == "FILE" else None
    status_before = _touch(visum, status, now)
    _evidence_record(actor, "evidence_remove", visum, evidence, status_before, add=False)
    visum.evidence.remove(evidence)
    db.session.delete(evidence)
    db.session.flush()
    return stored_name


def send_stored(stored_name: str | None, content_type: str | None, original_name: str | None):
    """Send a stored evidence file safely (after the caller's access check): 404 when the name or the file is
    wrong; images inline, anything else as an attachment; never sniffed, never run as a page."""
    try:
        path = stored_path(stored_name)
    except PlanningRuleError:
        abort(404, description="Berkas tidak ditemukan.")
    if not os.path.isfile(path):
        abort(404, description="Berkas tidak ditemukan.")
    response = send_file(path, mimetype=content_type or "application/octet-stream",
                         as_attachment=content_type not in IMAGE_TYPES,
                         download_name=original_name or os.path.basename(path), conditional=True)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response

"""Evidence storage and services: type sniffing (never the client's word), size limits, image shrink and
EXIF removal, decompression bombs, the stored name (no path traversal), and add/remove on a visum
(owner, week lock 423, approved 409, returned -> submitted, audit, nothing stored on refusal)."""

import io
import os
import zipfile
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from kinerja.audit.models import AuditEntry
from kinerja.execution import evidence, services
from kinerja.execution.models import Evidence
from kinerja.extensions import db
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState
from kinerja.rules.week import VisumLocked
from tests.execution.fixtures import NOW, at, file

WEDNESDAY = date(2026, 1, 14)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes, filename="bukti.jpg", content_type="image/jpeg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def photo(size=(4000, 3000), orientation=None, fmt="JPEG", mode="RGB") -> bytes:
    image = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128))
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x0110] = "Model X"
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


def files_now() -> set[str]:
    folder = evidence.evidence_folder()
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def evidence_rows() -> int:
    return db.session.scalar(select(func.count(Evidence.id)))


# --- sniffing -------------------------------------------------------------------------------------

def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("head, expected", [
    (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\nrest", "image/png"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    (PDF, "application/pdf"),
    (b"<html><body>", None),
    (b"GIF89a", None),
    (b"MZ\x90\x00", None),  # an .exe
    (b"PK\x03\x04garbage", None),
])
def test_sniff_type_reads_magic_numbers(head, expected):
    assert evidence.sniff_type(head) == expected


def test_sniff_tells_xlsx_from_docx():
    assert evidence.sniff_type(office("xl/workbook.xml")) == evidence.XLSX
    assert evidence.sniff_type(office("word/document.xml")) == evidence.DOCX


# --- store_upload ---------------------------------------------------------------------------------

def test_html_disguised_as_jpg_is_refused_and_nothing_written(app):
    before = files_now()
    with pytest.raises(PlanningRuleError) as caught:
        evidence.store_upload(upload(b"<html><script>alert(1)</script></html>", "foto.jpg", "image/jpeg"))
    assert (caught.value.code, caught.value.field) == ("FILE_TYPE_NOT_ALLOWED", "file")
    assert files_now() == before


def test_pdf_is_stored_as_is_under_a_random_name(app):
    stored = evidence.store_upload(upload(PDF, "../../etc/Laporan Bulanan.pdf", "text/plain"))
    assert stored.content_type == "application/pdf" and stored.size == len(PDF)
    assert stored.original_name == "Laporan Bulanan.pdf"
    assert len(stored.stored_name) == 36 and stored.stored_name.endswith(".pdf") and "/" not in stored.stored_name
    with open(evidence.stored_path(stored.stored_name), "rb") as handle:
        assert handle.read() == PDF
    assert evidence.store_upload(upload(PDF, "x.pdf")).stored_name != stored.stored_name


def test_office_types_need_configuration(app):
    with pytest.raises(PlanningRuleError):
        evidence.store_upload(upload(office("xl/workbook.xml"), "data.xlsx"))
    app.config["EVIDENCE_ALLOWED_TYPES"] = (*app.config["EVIDENCE_ALLOWED_TYPES"], evidence.XLSX)
    try:
        stored = evidence.store_upload(upload(office("xl/workbook.xml"), "data.xlsx"))
        assert stored.stored_name.endswith(".xlsx") and stored.content_type == evidence.XLSX
        assert ".xlsx" in evidence.accept_attribute()
    finally:
        app.config["EVIDENCE_ALLOWED_TYPES"] = app.config["EVIDENCE_ALLOWED_TYPES"][:-1]


def test_empty_file_is_refused(app):
    with pytest.raises(PlanningRuleError) as caught:
        evidence.store_upload(upload(b"", "kosong.pdf"))
    assert caught.value.code == "FILE_EMPTY"
    with pytest.raises(PlanningRuleError) as caught:
        evidence.store_upload(None)
    assert caught.value.code == "FILE_REQUIRED"


def test_oversize_pdf_is_refused_and_nothing_written(app):
    before = files_now()
    big = PDF + b"0" * (app.config["EVIDENCE_MAX_BYTES"] + 1 - len(PDF))
    with pytest.raises(PlanningRuleError) as caught:
        evidence.store_upload(upload(big, "besar.pdf"))
    assert caught.value.code == "FILE_TOO_LARGE" and "5 MB" in caught.value.message
    assert files_now() == before


def test_oversize_photo_is_refused(app):
    app.config["EVIDENCE_MAX_IMAGE_UPLOAD_BYTES"] = 1000
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    try:
        with pytest.raises(PlanningRuleError) as caught:
            evidence.store_upload(upload(photo((200, 200))))
        assert caught.value.code == "FILE_TOO_LARGE"
    finally:
        app.config["EVIDENCE_MAX_IMAGE_UPLOAD_BYTES"] = 15 * 1024 * 1024
        app.config["EVIDENCE_MAX_BYTES"] = 5 * 1024 * 1024


def test_big_phone_photo_is_shrunk_and_its_exif_dropped(app):
    stored = evidence.store_upload(upload(photo((4000, 3000)), "IMG_2026.jpg"))
    with Image.open(evidence.stored_path(stored.stored_name)) as image:
        assert image.format == "JPEG" and max(image.size) <= 1600 and image.size == (1600, 1200)
        assert len(image.getexif()) == 0 and "exif" not in image.info
    assert stored.content_type == "image/jpeg" and stored.size < 5 * 1024 * 1024


def test_exif_orientation_is_applied_before_it_is_dropped(app):
    stored = evidence.store_upload(upload(photo((400, 300), orientation=6)))  # camera held upright
    with Image.open(evidence.stored_path(stored.stored_name)) as image:
        assert image.size == (300, 400) and len(image.getexif()) == 0


def test_transparent_png_and_webp_become_jpeg(app):
    for fmt, name in (("PNG", "layar.png"), ("WEBP", "foto.webp")):
        stored = evidence.store_upload(upload(photo((50, 40), fmt=fmt, mode="RGBA"), name, "image/png"))
        assert stored.content_type == "image/jpeg" and stored.original_name.endswith(".jpg")
        with Image.open(evidence.stored_path(stored.stored_name)) as image:
            assert image.format == "JPEG" and image.size == (50, 40)


def test_configured_max_px(app):
    app.config["EVIDENCE_IMAGE_MAX_PX"] = 100
    try:
        stored = evidence.store_upload(upload(photo((300, 150))))
        with Image.open(evidence.stored_path(stored.stored_name)) as image:
            assert image.size == (100, 50)
    finally:
        app.config["EVIDENCE_IMAGE_MAX_PX"] = 1600


def test_decompression_bomb_is_refused_before_decoding(app):
    buffer = io.BytesIO()
    Image.new("1", (3000, 2000)).save(buffer, "PNG")  # tiny file, 6 million pixels
    app.config["EVIDENCE_MAX_PIXELS"] = 1_000_000
    before = files_now()
    try:
        with pytest.raises(PlanningRuleError) as caught:
            evidence.store_upload(upload(buffer.getvalue(), "bom.png", "image/png"))
        assert caught.value.code == "IMAGE_TOO_LARGE"
    finally:
        app.config["EVIDENCE_MAX_PIXELS"] = 50_000_000
    assert files_now() == before


def test_truncated_image_is_refused(app):
    with pytest.raises(PlanningRuleError) as caught:
        evidence.store_upload(upload(photo((400, 300))[:300]))
    assert caught.value.code == "IMAGE_INVALID"


# --- stored names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../x", "../../etc/passwd", "/etc/passwd", "a" * 32 + ".jpg/../../x",
                                  "A" * 32 + ".jpg", "0" * 32 + ".html", "", None, "0" * 31 + ".pdf",
                                  "..\\" + "0" * 32 + ".pdf"])
def test_stored_path_refuses_anything_but_a_server_name(app, name):
    with pytest.raises(PlanningRuleError) as caught:
        evidence.stored_path(name)
    assert caught.value.code == "INVALID_STORED_NAME"


def test_stored_path_stays_in_the_evidence_folder(app):
    path = evidence.stored_path("0" * 32 + ".pdf")
    assert os.path.dirname(path) == evidence.evidence_folder()
    assert evidence.evidence_folder().startswith(os.path.realpath(app.config["UPLOAD_FOLDER"]))


def test_remove_stored_skips_bad_and_missing_names(app):
    stored = evidence.store_upload(upload(PDF, "a.pdf"))
    evidence.remove_stored(["../x", "f" * 32 + ".pdf", stored.stored_name])
    assert stored.stored_name not in files_now()


# --- services -------------------------------------------------------------------------------------

def test_add_file_evidence_stores_row_file_and_audit(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    item = evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "notula.pdf"))
    db.session.commit()
    assert item.kind == "FILE" and item.original_name == "notula.pdf" and item.content_type == "application/pdf"
    assert item.stored_name in files_now()
    row = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.evidence_add"))
    assert row.object_id == str(visum.id) and row.after["evidence_id"] == item.id


def test_refused_file_stores_nothing(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    before = files_now()
    with pytest.raises(PlanningRuleError):
        evidence.add_file_evidence(people["pelaksana"], visum, upload(b"MZ\x90\x00evil", "foto.jpg"))
    db.session.rollback()
    assert files_now() == before and evidence_rows() == 0


def test_a_file_stays_only_when_its_transaction_commits(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    before = files_now()
    evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "batal.pdf"))
    assert len(files_now() - before) == 1  # written for the open transaction...
    db.session.rollback()
    assert files_now() == before and evidence_rows() == 0  # ...and gone with it
    kept = evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "tetap.pdf"))
    db.session.commit()
    db.session.rollback()  # a later transaction that rolls back leaves a committed file alone
    assert kept.stored_name in files_now()


def test_a_file_whose_commit_fails_is_removed(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    before = files_now()
    evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "x.pdf"))
    visum.output_quantity = -1  # breaks a CHECK constraint when the commit flushes
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert files_now() == before and evidence_rows() == 0


def test_only_the_owner_adds_evidence(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    before = files_now()
    with pytest.raises(NotAllowed):
        evidence.add_file_evidence(people["direktur"], visum, upload(PDF, "x.pdf"))
    with pytest.raises(NotAllowed):
        evidence.add_link_evidence(people["staf2"], visum, "https://a.id")
    assert files_now() == before


def test_locked_week_refuses_with_423_and_stores_nothing(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    after_close = datetime(2026, 1, 18, 17, 0, tzinfo=UTC)
    before = files_now()
    with at(after_close), pytest.raises(VisumLocked) as caught:
        evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "x.pdf"))
    assert caught.value.http_status == 423
    item = evidence.add_link_evidence(people["pelaksana"], visum, "https://a.id/bukti")
    db.session.commit()
    with at(after_close), pytest.raises(VisumLocked):
        evidence.remove_evidence(people["pelaksana"], item)
    db.session.rollback()
    assert files_now() == before and evidence_rows() == 1


def test_approved_visum_takes_no_more_evidence(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    with pytest.raises(WrongState):
        evidence.add_link_evidence(people["pelaksana"], visum, "https://a.id")


def test_evidence_on_a_returned_visum_sends_it_back_for_approval(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    services.return_visum(people["direktur"], visum, "Lampirkan foto", now=NOW)
    db.session.commit()
    evidence.add_link_evidence(people["pelaksana"], visum, "https://a.id/foto")
    db.session.commit()
    assert visum.status == "SUBMITTED" and visum.return_reason is None


@pytest.mark.parametrize("url, code", [
    ("", "URL_REQUIRED"), ("javascript:alert(1)", "INVALID_URL"), ("ftp://a.id/x", "INVALID_URL"),
    ("https://", "INVALID_URL"), ("https://a.id/" + "x" * 2000, "TOO_LONG"), ("http://a b.id", "INVALID_URL"),
])
def test_bad_links_are_refused(people, url, code):
    visum = file(people["pelaksana"], WEDNESDAY)
    with pytest.raises(PlanningRuleError) as caught:
        evidence.add_link_evidence(people["pelaksana"], visum, url)
    assert (caught.value.code, caught.value.field) == (code, "url")
    db.session.rollback()
    assert evidence_rows() == 0


def test_remove_evidence_returns_the_file_to_remove_after_commit(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    item = evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "x.pdf"))
    db.session.commit()
    name = evidence.remove_evidence(people["pelaksana"], item)
    db.session.commit()
    assert name == item.stored_name and name in files_now() and evidence_rows() == 0
    evidence.remove_stored([name])
    assert name not in files_now()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.evidence_remove")) is not None


def test_at_most_ten_evidence_per_visum(people):
    visum = file(people["pelaksana"], WEDNESDAY)
    for number in range(evidence.MAX_EVIDENCE_PER_VISUM):
        evidence.add_link_evidence(people["pelaksana"], visum, f"https://a.id/{number}")
    db.session.commit()
    with pytest.raises(PlanningRuleError) as caught:
        evidence.add_file_evidence(people["pelaksana"], visum, upload(PDF, "x.pdf"))
    assert caught.value.code == "TOO_MANY_EVIDENCE"

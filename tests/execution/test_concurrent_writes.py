"""Simultaneous writes by the owner to one visum answer 409 "muat ulang", never 500 (issue 10, item 6).

Real concurrent requests: the test app served by werkzeug's threaded server, many threads posting
edits, evidence uploads and deletes to one visum at once (HTMX requests, as the page sends them).
The optimistic version check (``Visum.version``) makes all but one of a burst lose; the loser's
``StaleDataError`` (or a row deleted meanwhile) is answered once, in ``kinerja.errors``. Afterwards
the data is consistent: one visum, as many evidence rows and files as uploads answered 200.
"""

import os
from datetime import UTC, date, datetime

import pytest
import requests
import time_machine
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import evidence as evidence_services
from kinerja.execution import services
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from tests.factories import PASSWORD
from tests.live import at_once

START = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)  # Thursday 10:00 WIB (before the February gate)
THURSDAY = date(2026, 1, 15)
HX = {"HX-Request": "true"}
ALLOWED = {200, 201, 204, 404, 409}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHANGED = "muat ulang"


@pytest.fixture(params=[True, False], ids=["clock-ticking", "one-instant"])
def clock_ticking(request):
    """A Thursday in January; the clock runs, or stands still (every write stamps the same instant)."""
    with time_machine.travel(START, tick=request.param):
        yield


@pytest.fixture
def server(serve):
    host, port = serve()
    return f"http://{host}:{port}"


@pytest.fixture
def owner(app, clock_ticking, make_unit, make_employee, make_user, server):
    """An employee with an account, logged in over HTTP, and one visum of his today."""
    unit = make_unit("BKKBN", "BADAN")
    employee = make_employee(unit, "PELAKSANA", effective=date(2026, 1, 1))
    make_user(employee)
    visum = services.file_visum(employee, employee, day=THURSDAY, activity="Menyusun laporan")
    db.session.commit()
    browser = requests.Session()
    answer = browser.post(f"{server}/login", data={"nip": employee.nip, "password": PASSWORD},
                          allow_redirects=False, timeout=30)
    assert answer.status_code in (302, 303), answer.text[:300]
    return {"employee": employee, "visum_id": visum.id, "cookies": browser.cookies.get_dict(), "base": server}


def burst(owner, requests_to_send):
    """Send every (path, data, files) at once from its own thread; return [(status, text)] in order."""
    def send(path, data, files):
        with requests.Session() as browser:
            browser.cookies.update(owner["cookies"])
            answer = browser.post(owner["base"] + path, data=data, files=files, headers=HX, timeout=120,
                                  allow_redirects=False)
            return answer.status_code, answer.text

    return at_once([lambda item=item: send(*item) for item in requests_to_send])


def check_answers(answers, allowed=ALLOWED):
    statuses = [status for status, _ in answers]
    assert all(status < 500 for status in statuses), statuses
    assert set(statuses) <= allowed, statuses
    for status, text in answers:
        if status == 409:
            assert CHANGED in text and "<html" not in text  # the error partial the page shows inline
    return statuses


def fresh_visum(visum_id):
    db.session.expire_all()
    return db.session.get(Visum, visum_id)


def test_simultaneous_edits_answer_409_and_one_edit_wins_at_a_time(owner):
    visum_id = owner["visum_id"]
    edits = [(f"/execution/visum/{visum_id}/edit", {"date": THURSDAY.isoformat(), "activity": f"Versi {n}"}, None)
             for n in range(12)]
    statuses = check_answers(burst(owner, edits))
    assert 200 in statuses
    visum = fresh_visum(visum_id)
    saved = db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "visum.update",
                                                                      AuditEntry.object_id == str(visum_id)))
    assert saved == statuses.count(200)  # each edit answered 200 is stored, with its audit row; no other
    assert visum.version == 1 + saved and visum.activity.startswith("Versi ")


def test_simultaneous_uploads_and_edits_keep_evidence_and_files_consistent(owner):
    visum_id = owner["visum_id"]
    before_files = _stored_files()
    uploads = [(f"/execution/visum/{visum_id}/evidence", {}, {"file": (f"bukti-{n}.pdf", PDF, "application/pdf")})
               for n in range(24)]
    edits = [(f"/execution/visum/{visum_id}/edit", {"date": THURSDAY.isoformat(), "activity": f"Versi {n}"}, None)
             for n in range(4)]
    answers = burst(owner, uploads + edits)
    upload_statuses = check_answers(answers[:24], ALLOWED | {422})  # 422: the tenth evidence was reached
    check_answers(answers[24:])
    rows = db.session.scalars(select(Evidence).where(Evidence.visum_id == visum_id)).all()
    assert len(rows) == upload_statuses.count(200) <= evidence_services.MAX_EVIDENCE_PER_VISUM
    assert len(rows) >= 1
    assert _stored_files() - before_files == {row.stored_name for row in rows}  # no file of a lost upload stays
    assert db.session.scalar(select(func.count(Visum.id))) == 1


def test_simultaneous_deletes_delete_once_and_answer_409_or_404(owner):
    visum_id = owner["visum_id"]
    deletes = [(f"/execution/visum/{visum_id}/delete", {}, None) for _ in range(10)]
    statuses = check_answers(burst(owner, deletes))
    assert statuses.count(200) == 1
    assert db.session.scalar(select(func.count(Visum.id))) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "visum.delete")) == 1


def _stored_files() -> set[str]:
    folder = evidence_services.evidence_folder()
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()

"""The home page per role: Pegawai (his week, returned visum, the February gate), Pejabat Penilai (visum
waiting, overdue), Pengelola Kepegawaian (last week's compliance, the blocked list)."""

import contextlib
from datetime import UTC, date, datetime

import pytest
import time_machine

from kinerja.extensions import db
from tests.factories import login_as
from tests.org.test_views import build_small_org


@pytest.fixture
def org(app):
    return build_small_org()


def home(client, user) -> str:
    login_as(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_is_sent_to_login(org, client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_employee_sees_his_profile_and_assessor(org, client):
    text = home(client, org.staff_user)
    assert f"/org/employees/{org.staff.nip}" in text
    assert "Direktur Pratama" in text and "Deputi Madya" in text
    assert "Pegawai yang saya nilai" not in text
    assert "/org/dashboard" not in text


def test_employee_with_vacant_assessor_sees_the_problem(org, client):
    from tests.org.test_views import account

    text = home(client, account(org.orphan))
    assert "Belum ada" in text and "kosong" in text


def test_assessor_sees_how_many_he_assesses(org, client):
    text = home(client, org.pratama_user)
    assert "/org/my-team" in text and "Pegawai yang saya nilai" in text
    assert "<strong>3</strong> pegawai" in text


def test_kepala_has_no_assessor_inside_the_system(org, client):
    from tests.org.test_views import account

    text = home(client, account(org.kepala))
    assert "di luar sistem" in text
    assert "<strong>1</strong> pegawai" in text  # he assesses the JPT Madya


def test_hr_sees_links_and_count_without_assessor(org, client):
    text = home(client, org.hr_user)
    section = text[text.index("Pengelola Kepegawaian"):]
    assert "/org/employees" in section and "/org/units" in section and "/org/dashboard" in section
    assert '<span class="badge badge-err">1</span>' in section  # Sari, in the vacant Direktorat
    assert "dari 7 pegawai" in section


def test_unit_heads_find_the_perjanjian_kinerja_and_staff_do_not(org, client):
    text = home(client, org.pratama_user)
    assert "/planning/pk" in text and "/planning/cascade" in text
    text = home(client, org.staff_user)
    assert 'href="/planning/pk"' not in text.split("<main", 1)[1]


# --- what to do today: the week, returned visum, the February gate, approvals, HR's compliance ---

THURSDAY_10_WIB = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
MONDAY_10_WIB = datetime(2026, 1, 12, 3, 0, tzinfo=UTC)


@pytest.fixture
def clock_at():
    with time_machine.travel(THURSDAY_10_WIB, tick=False) as traveller:
        yield traveller


@pytest.fixture
def today_org(app, clock_at):
    return build_small_org()


def visum(employee, day, now=None, activity="Menyusun laporan"):
    """File a visum as the employee, now or (``now``) at an earlier moment of the frozen clock."""
    from kinerja.execution import services

    with time_machine.travel(now, tick=False) if now is not None else contextlib.nullcontext():
        item = services.file_visum(employee, employee, day=day, activity=activity)
        db.session.commit()
    return item


def card(text, name):
    start = text.index(f'class="{name}"')
    return text[start:text.index("</li>\n  <li", start) if "</li>\n  <li" in text[start:] else None]


def test_employee_sees_missing_days_and_the_close_in_his_zone(today_org, client):
    text = home(client, today_org.staff_user)
    week = card(text, "today-week")
    assert '<a href="/execution/visum?week=2026-01-12">Visum minggu ini</a>' in week
    assert "4 hari belum diisi" in week and "12-01, 13-01, 14-01, 15-01" in week
    assert "Ditutup Minggu, 18 Januari 2026 pukul 23.59 WIB (sisa 3 hari 13 jam)" in week
    visum(today_org.staff, date(2026, 1, 13))
    week = card(home(client, today_org.staff_user), "today-week")
    assert "3 hari belum diisi" in week and "13-01" not in week


def test_a_complete_week_says_so(today_org, client):
    for day in (12, 13, 14, 15):
        visum(today_org.staff, date(2026, 1, day))
    week = card(home(client, today_org.staff_user), "today-week")
    assert "Lengkap" in week and "4 dari 4 hari kerja" in week


def test_employee_in_wit_sees_his_zone(today_org, client, make_unit, make_employee):
    from tests.org.test_views import account

    papua = make_unit("PWK-PAPUA", "ESELON_II", today_org.root, region="PERWAKILAN", timezone="Asia/Jayapura")
    person = make_employee(papua, "PELAKSANA", name="Yakob Papua")
    week = card(home(client, account(person)), "today-week")
    assert "pukul 23.59 WIT (sisa 3 hari 11 jam)" in week


def test_employee_sees_his_returned_visum(today_org, client):
    from kinerja.execution import services

    item = visum(today_org.staff, date(2026, 1, 14))
    services.return_visum(today_org.pratama, item, "Lampirkan notulen.")
    db.session.commit()
    returned = card(home(client, today_org.staff_user), "today-returned")
    assert '<span class="badge badge-err">1</span>' in returned and "Lampirkan notulen." in returned
    assert 'href="/execution/visum?week=2026-01-14#day-2026-01-14"' in returned
    assert "sudah ditutup" not in returned  # his week is open: he fixes it himself
    assert '<span class="badge badge-ok">0</span>' in card(home(client, today_org.other_user), "today-returned")


def test_a_returned_visum_in_a_closed_week_says_to_ask_hr(today_org, client, clock_at):
    from kinerja.execution import services

    item = visum(today_org.staff, date(2026, 1, 14))
    services.return_visum(today_org.pratama, item, "Lampirkan notulen.")
    db.session.commit()
    clock_at.move_to(datetime(2026, 1, 19, 3, 0, tzinfo=UTC))  # Monday 19 January: the week of 12 January closed
    returned = card(home(client, today_org.staff_user), "today-returned")
    assert '<span class="badge badge-err">1</span>' in returned and "Lampirkan notulen." in returned
    assert "Minggunya sudah ditutup" in returned and "Kepegawaian membuka kembali" in returned
    assert 'href="/execution/visum?week=2026-01-14#visum-reopen">Minta pembukaan minggu</a>' in returned


def test_february_gate_warns_before_and_blocks_after_the_sync(today_org, client, clock_at):
    from kinerja.execution.models import VisumBlock

    gate = card(home(client, today_org.staff_user), "today-gate")
    assert "SKP belum disetujui" in gate and "Mulai Jumat, 6 Februari 2026" in gate and "Visum terkunci" not in gate
    clock_at.move_to(datetime(2026, 2, 10, 3, 0, tzinfo=UTC))
    db.session.add(VisumBlock(year=2026, employee_id=today_org.staff.id, unit_id=today_org.dit.id, reason="NO_SKP",
                              listed_at=datetime(2026, 2, 6)))
    db.session.commit()
    gate = card(home(client, today_org.staff_user), "today-gate")
    assert "Visum terkunci" in gate and "Sejak 6 Februari visum tahun 2026" in gate
    assert "Tercatat di daftar Kepegawaian: Belum membuat SKP." in gate


def test_an_approved_skp_opens_the_gate(today_org, client, clock_at):
    from kinerja.planning.models import Skp

    clock_at.move_to(datetime(2026, 2, 10, 3, 0, tzinfo=UTC))
    db.session.add(Skp(employee_id=today_org.staff.id, year=2026, status="APPROVED", period_start=date(2026, 1, 1),
                       period_end=date(2026, 12, 31), unit_id=today_org.dit.id, jenjang="PELAKSANA",
                       created_at=datetime(2026, 1, 2)))
    db.session.commit()
    gate = card(home(client, today_org.staff_user), "today-gate")
    assert "SKP disetujui" in gate and "Visum terkunci" not in gate


def test_assessor_sees_pending_and_overdue_visum(today_org, client, clock_at):
    visum(today_org.staff, date(2026, 1, 12), now=MONDAY_10_WIB)
    visum(today_org.other, date(2026, 1, 12), now=MONDAY_10_WIB)
    visum(today_org.staff, date(2026, 1, 15))
    approvals = card(home(client, today_org.pratama_user), "today-approvals")
    assert '<a href="/execution/inbox">Visum menunggu persetujuan</a>' in approvals
    assert "<strong>3</strong> visum" in approvals and "lebih dari 3 hari kerja" not in approvals
    assert "SKP menunggu persetujuan</a>: <strong>0</strong>" in approvals
    clock_at.move_to(datetime(2026, 1, 16, 3, 0, tzinfo=UTC))  # Friday: Monday's visum waited 4 working days
    approvals = card(home(client, today_org.pratama_user), "today-approvals")
    assert "<strong>3</strong> visum" in approvals and "2 lebih dari 3 hari kerja" in approvals
    assert "today-approvals" not in home(client, today_org.staff_user)  # he assesses nobody


def test_hr_sees_last_weeks_compliance_and_the_blocked(today_org, client):
    from kinerja.execution.models import SkpSync, VisumBlock, WeekLock
    from kinerja.planning.models import Skp

    section = card(home(client, today_org.hr_user), "today-compliance")
    assert "belum direkap: penutupan mingguan otomatis belum pernah berjalan" in section
    assert "Sinkronisasi SKP ke visum tahun 2026 belum dijalankan: berjalan otomatis pada 6 Februari 2026" in section
    assert "lock-week" not in section and "sync-skp" not in section
    monday = date(2026, 1, 5)
    for employee, filed in ((today_org.staff, 5), (today_org.other, 3), (today_org.orphan, 5)):
        db.session.add(WeekLock(unit_id=employee.unit_id, employee_id=employee.id, week_start=monday, filed=filed,
                                expected=5, percent=filed * 20.0, locked_at=datetime(2026, 1, 11, 17, 0)))
    db.session.add(WeekLock(unit_id=today_org.dit.id, employee_id=today_org.hr.id, week_start=date(2025, 12, 29),
                            filed=0, expected=5, percent=0.0, locked_at=datetime(2026, 1, 4, 17, 0)))
    db.session.add(SkpSync(year=2026, ran_at=datetime(2026, 2, 5, 17, 30), skp_count=1, iki_count=3, blocked_count=3))
    db.session.add(VisumBlock(year=2026, employee_id=today_org.staff.id, reason="NO_SKP",
                              listed_at=datetime(2026, 2, 6)))
    db.session.add(VisumBlock(year=2026, employee_id=today_org.other.id, reason="SKP_NOT_APPROVED",
                              listed_at=datetime(2026, 2, 6), cleared_at=datetime(2026, 2, 8)))
    # listed at the sync, then his SKP was approved: usable from the approval, so no longer blocked
    db.session.add(VisumBlock(year=2026, employee_id=today_org.orphan.id, reason="SKP_NOT_APPROVED",
                              listed_at=datetime(2026, 2, 6)))
    orphan = today_org.orphan
    db.session.add(Skp(employee_id=orphan.id, year=2026, status="APPROVED", period_start=date(2026, 1, 1),
                       period_end=date(2026, 12, 31), unit_id=orphan.unit_id, jenjang=orphan.jenjang,
                       effective_fraction=1.0, created_at=datetime(2026, 1, 2), approved_at=datetime(2026, 2, 9)))
    db.session.commit()
    section = card(home(client, today_org.hr_user), "today-compliance")
    assert 'href="/execution/hr/compliance?week=2026-01-05"' in section
    assert "rata-rata <strong>86.7%</strong>" in section and "1</span> dari 3 pegawai di bawah 100%" in section
    assert '<a href="/execution/hr/blocked">Terkunci sinkronisasi SKP</a>: <strong>1</strong> pegawai' in section
    assert "today-compliance" not in home(client, today_org.staff_user)

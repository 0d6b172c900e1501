"""Planning page benchmarks (issue: Planning): whole pages through the test client, logged in.

Goals: the SKP page of an employee with 15 RHK and 40 IKI < 50 ms server time; the assessor's
approval queue with 200 pending SKPs < 50 ms. (The cascade tree page of the whole agency is
measured in ``test_bench_pk.py``.) ``test_bench_skp.py`` measures the queries alone; these add
the access checks, the forms, the cascading helper and the templates.

The requests run outside any pushed app context, so each one gets its own app context and a
fresh database session, as on the server: nothing is served from an identity map or ``g``.
Run with ``scripts/bench`` (``pytest tests/bench --benchmark-only``).
"""

from datetime import date, datetime

import pytest
from sqlalchemy import delete, insert, select, update

from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import AssessorLink, Employee
from kinerja.planning.models import Iki, PerjanjianKinerja, RencanaHasilKerja, Skp, SkpPerilaku
from kinerja.rules.berakhlak import CODES
from tests.factories import login_as, make_user

PENDING = 200
BIG_RHK, BIG_IKI = 15, 40
LEADER_RHK = 8


def _insert_skp(employee: Employee, assessor_id: int | None, year: int, status: str, rhk_count: int,
                iki_total: int, source: str = "TIM_KERJA", parents: list[int] | None = None) -> tuple[int, list[int]]:
    """Bulk-insert an SKP with its perilaku, RHK (cascading from ``parents`` in turn, when given) and
    IKI spread over the RHK; return its id and its RHK ids."""
    now = datetime(year, 1, 10, 8, 0)
    skp_id = db.session.execute(insert(Skp).returning(Skp.id), [dict(
        employee_id=employee.id, year=year, version=1, status=status, period_start=date(year, 1, 1),
        period_end=date(year, 12, 31), unit_id=employee.unit_id, jenjang=employee.jenjang, assessor_id=assessor_id,
        effective_fraction=1.0, created_at=now, submitted_at=now if status in ("SUBMITTED", "APPROVED") else None,
        approved_at=now if status == "APPROVED" else None,
        sumber_daya="Anggaran DIPA unit dan sarana kantor", skema_pertanggungjawaban="Laporan bulanan kepada atasan",
        konsekuensi="Sesuai ketentuan disiplin dan kinerja",
    )]).scalar_one()
    db.session.execute(insert(SkpPerilaku), [dict(skp_id=skp_id, value=code) for code in CODES])
    rhk_ids = db.session.execute(insert(RencanaHasilKerja).returning(RencanaHasilKerja.id), [
        dict(skp_id=skp_id, kind="UTAMA", source=source, position=r + 1,
             parent_rhk_id=parents[r % len(parents)] if parents else None,
             text=f"Rencana hasil kerja {r + 1}: tersusunnya dokumen dan layanan yang diuji beban halamannya")
        for r in range(rhk_count)]).scalars().all()
    db.session.execute(insert(Iki), [
        dict(rhk_id=rhk_ids[i % len(rhk_ids)], text=f"Indikator kinerja individu {i + 1} yang cukup panjang",
             aspek=("KUANTITAS", "KUALITAS", "WAKTU")[i % 3], target=10 + i, unit_of_measure="dokumen",
             position=i + 1) for i in range(iki_total)])
    return skp_id, list(rhk_ids)


def _ensure_pks(year: int) -> None:
    """Give every unit its signed PK (the cascading helper lists the unit's IKU), as the PK benchmark does."""
    from tests.bench.test_bench_pk import _build_pks

    if db.session.scalar(select(PerjanjianKinerja.id).where(PerjanjianKinerja.year == year).limit(1)) is None:
        _build_pks(year)


@pytest.fixture(scope="module")
def pages_data(bench_app):
    """A JF with a 15 RHK / 40 IKI draft SKP cascading from his assessor's approved SKP, and an assessor
    with 200 submitted SKPs waiting; accounts for the three of them."""
    year = date.today().year
    with bench_app.app_context():
        _ensure_pks(year)
        refresh_assessor_links()
        busiest = db.session.execute(
            select(AssessorLink.assessor_id, db.func.count()).where(AssessorLink.assessor_id.is_not(None))
            .group_by(AssessorLink.assessor_id).order_by(db.func.count().desc()).limit(1)).first()
        assessor_id = busiest[0]
        owner, leader_id = db.session.execute(
            select(Employee, AssessorLink.assessor_id).join(AssessorLink, AssessorLink.employee_id == Employee.id)
            .where(Employee.jenjang == "JF", Employee.is_head.is_(False), AssessorLink.assessor_id.is_not(None),
                   AssessorLink.assessor_id != assessor_id, Employee.id != assessor_id)
            .order_by(Employee.id).limit(1)).one()
        leader = db.session.get(Employee, leader_id)
        keep_out = [owner.id, leader.id, assessor_id]
        members = list(db.session.scalars(
            select(AssessorLink.employee_id).where(AssessorLink.assessor_id == assessor_id,
                                                   AssessorLink.employee_id.not_in(keep_out))
            .order_by(AssessorLink.employee_id).limit(PENDING)))
        if len(members) < PENDING:  # top up: lend him staff of other assessors for the benchmark
            extra = list(db.session.scalars(
                select(AssessorLink.employee_id).where(AssessorLink.employee_id.not_in(members + keep_out))
                .order_by(AssessorLink.employee_id).limit(PENDING - len(members))))
            db.session.execute(update(AssessorLink).where(AssessorLink.employee_id.in_(extra))
                               .values(assessor_id=assessor_id))
            members += extra
        for member in db.session.scalars(select(Employee).where(Employee.id.in_(members))):
            _insert_skp(member, assessor_id, year, "SUBMITTED", 3, 5)
        _, leader_rhk = _insert_skp(leader, None, year, "APPROVED", LEADER_RHK, LEADER_RHK, source="PK")
        big_id, _ = _insert_skp(owner, leader.id, year, "DRAFT", BIG_RHK, BIG_IKI, source="CASCADING",
                                parents=leader_rhk)
        db.session.commit()
        users = {key: make_user(db.session.get(Employee, employee_id)).id
                 for key, employee_id in (("owner", owner.id), ("leader", leader.id), ("assessor", assessor_id))}
        data = {"year": year, "big_id": big_id, "users": users, "owner_name": owner.name}
    yield data
    with bench_app.app_context():
        db.session.execute(delete(Skp).where(Skp.year == year))  # RHK, IKI, perilaku cascade in the schema
        db.session.execute(delete(Iki).where(Iki.rhk_id.not_in(select(RencanaHasilKerja.id))))
        db.session.execute(delete(RencanaHasilKerja).where(RencanaHasilKerja.skp_id.not_in(select(Skp.id))))
        db.session.execute(delete(SkpPerilaku).where(SkpPerilaku.skp_id.not_in(select(Skp.id))))
        refresh_assessor_links()
        db.session.commit()


def _client(bench_app, user_id: int):
    """A test client logged in as the user, used outside any app context."""
    from kinerja.auth.models import User

    client = bench_app.test_client()
    with bench_app.app_context():
        login_as(client, db.session.get(User, user_id))
    return client


@pytest.mark.parametrize("who", ["owner", "assessor"])
def test_bench_skp_page(bench_app, pages_data, benchmark, who):
    """The SKP page with 15 RHK and 40 IKI: "SKP saya" of its employee, and the same SKP opened by his
    Pejabat Penilai; both editable (a draft), so every RHK carries its IKI form and the cascading helper
    lists the assessor's RHK and the unit's PK."""
    if who == "owner":
        client, url = _client(bench_app, pages_data["users"]["owner"]), f"/planning/skp?year={pages_data['year']}"
    else:
        client, url = _client(bench_app, pages_data["users"]["leader"]), f"/planning/skp/{pages_data['big_id']}"
    response = benchmark.pedantic(client.get, args=(url,), rounds=30, iterations=1, warmup_rounds=1)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('class="rhk-item"') == BIG_RHK and html.count('class="iki-row"') == BIG_IKI
    assert pages_data["owner_name"] in html
    assert "Bantuan cascading" in html and html.count("Turunkan") == LEADER_RHK


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "partial"])
def test_bench_rhk_block(bench_app, pages_data, benchmark, htmx):
    """One RHK block of that SKP, as the inline edit/cancel buttons fetch it (and as a page without HTMX)."""
    with bench_app.app_context():
        rhk_id = db.session.scalar(select(RencanaHasilKerja.id).where(RencanaHasilKerja.skp_id == pages_data["big_id"])
                                   .order_by(RencanaHasilKerja.position).limit(1))
    client = _client(bench_app, pages_data["users"]["owner"])
    headers = {"HX-Request": "true"} if htmx else {}
    response = benchmark(client.get, f"/planning/rhk/{rhk_id}", headers=headers)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="rhk-item"') == (1 if htmx else BIG_RHK)


def test_bench_approval_queue_page(bench_app, pages_data, benchmark):
    """The assessor's "Persetujuan SKP" page with 200 SKPs waiting (all years)."""
    client = _client(bench_app, pages_data["users"]["assessor"])
    response = benchmark(client.get, "/planning/approvals")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('id="queue-skp-') == PENDING
    assert f'<strong id="queue-count">{PENDING}</strong>' in html


def test_bench_approve_inline(bench_app, pages_data, benchmark):
    """Approve one SKP from the queue in place (HTMX): the row and the counter of the other 199."""
    client = _client(bench_app, pages_data["users"]["assessor"])
    with bench_app.app_context():
        skp_id = db.session.scalar(select(Skp.id).where(Skp.status == "SUBMITTED", Skp.year == pages_data["year"])
                                   .order_by(Skp.id).limit(1))

    def reset():
        with bench_app.app_context():
            db.session.execute(update(Skp).where(Skp.id == skp_id)
                               .values(status="SUBMITTED", approved_at=None, approved_by_id=None))
            db.session.commit()

    response = benchmark.pedantic(client.post, args=(f"/planning/approvals/{skp_id}/approve",),
                                  kwargs={"headers": {"HX-Request": "true"}}, setup=reset, rounds=30, iterations=1)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Disetujui" in html and f">{PENDING - 1}</strong>" in html
    reset()

"""Employee planning benchmarks (issue: Planning). Figures go in the closing note.

Goals: the SKP page of an employee with 15 RHK and 40 IKI < 50 ms server time; the assessor's
approval queue with 200 pending SKPs < 50 ms. These measure the query functions the pages use
(``skp_queries.load_skp`` and ``skp_queries.approval_queue``), each round on a cleared session so
nothing is served from the identity map. Run with ``scripts/bench``.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import delete, func, insert, select, update

from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import AssessorLink, Employee, Unit
from kinerja.planning import skp_queries
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp, SkpPerilaku
from kinerja.rules.berakhlak import CODES

PENDING = 200


def _insert_skp(employee_id: int, unit_id: int, jenjang: str, assessor_id: int | None, year: int, status: str,
                rhk_count: int, iki_total: int) -> int:
    """Bulk-insert one SKP with its perilaku, RHK and IKI spread over the RHK; return its id."""
    now = datetime(year, 1, 10, 8, 0)
    skp_id = db.session.execute(insert(Skp).returning(Skp.id), [dict(
        employee_id=employee_id, year=year, version=1, status=status, period_start=date(year, 1, 1),
        period_end=date(year, 12, 31), unit_id=unit_id, jenjang=jenjang, assessor_id=assessor_id,
        effective_fraction=1.0, created_at=now, submitted_at=now if status == "SUBMITTED" else None,
    )]).scalar_one()
    db.session.execute(insert(SkpPerilaku), [dict(skp_id=skp_id, value=code) for code in CODES])
    rhk_ids = db.session.execute(insert(RencanaHasilKerja).returning(RencanaHasilKerja.id), [
        dict(skp_id=skp_id, kind="UTAMA", source="TIM_KERJA", text=f"RHK {r + 1} yang cukup panjang untuk diuji",
             position=r + 1) for r in range(rhk_count)]).scalars().all()
    db.session.execute(insert(Iki), [
        dict(rhk_id=rhk_ids[i % len(rhk_ids)], text=f"IKI {i + 1}", aspek="KUANTITAS", target=10 + i,
             unit_of_measure="dokumen", position=i + 1) for i in range(iki_total)])
    return skp_id


@pytest.fixture(scope="module")
def planning_data(bench_app):
    """200 submitted SKPs waiting for one assessor, and one SKP with 15 RHK and 40 IKI."""
    year = date.today().year
    with bench_app.app_context():
        refresh_assessor_links()
        busiest = db.session.execute(
            select(AssessorLink.assessor_id, func.count()).where(AssessorLink.assessor_id.is_not(None))
            .group_by(AssessorLink.assessor_id).order_by(func.count().desc()).limit(1)).first()
        assessor_id = busiest[0]
        members = list(db.session.scalars(
            select(AssessorLink.employee_id).where(AssessorLink.assessor_id == assessor_id)
            .order_by(AssessorLink.employee_id).limit(PENDING)))
        if len(members) < PENDING:  # top up: lend him staff of other assessors for the benchmark
            extra = list(db.session.scalars(
                select(AssessorLink.employee_id).where(AssessorLink.employee_id.not_in(members + [assessor_id]))
                .order_by(AssessorLink.employee_id).limit(PENDING - len(members))))
            db.session.execute(update(AssessorLink).where(AssessorLink.employee_id.in_(extra))
                               .values(assessor_id=assessor_id))
            members += extra
        staff = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(members)))}
        for member_id in members:
            e = staff[member_id]
            _insert_skp(e.id, e.unit_id, e.jenjang, assessor_id, year, "SUBMITTED", 3, 5)
        big_owner = db.session.scalar(select(Employee).where(Employee.id.not_in(members + [assessor_id]),
                                                             Employee.is_head.is_(False)).limit(1))
        big_id = _insert_skp(big_owner.id, big_owner.unit_id, big_owner.jenjang, None, year, "DRAFT", 15, 40)
        db.session.commit()
        data = {"assessor_id": assessor_id, "big_id": big_id, "year": year}
    yield data
    with bench_app.app_context():
        db.session.execute(delete(Skp).where(Skp.year == year))  # RHK, IKI, perilaku cascade in the schema
        for model in (Iki, RencanaHasilKerja, SkpPerilaku):
            db.session.execute(delete(model).where(~_has_skp(model)))
        refresh_assessor_links()
        db.session.commit()


def _has_skp(model):
    if model is Iki:
        return Iki.rhk_id.in_(select(RencanaHasilKerja.id))
    return model.skp_id.in_(select(Skp.id))


def test_bench_skp_page_data(bench_ctx, planning_data, benchmark):
    """Load an SKP with 15 RHK and 40 IKI as its page needs it (cold session each round)."""

    def load():
        skp = skp_queries.load_skp(planning_data["big_id"])
        return skp, sum(len(rhk.iki) for rhk in skp.rhk), [p.value for p in skp.perilaku]

    skp, iki_count, perilaku = benchmark.pedantic(load, setup=db.session.expunge_all, rounds=50, iterations=1)
    assert (len(skp.rhk), iki_count, len(perilaku)) == (15, 40, 7)


def test_bench_approval_queue(bench_ctx, planning_data, benchmark):
    """List the 200 SKPs waiting for one assessor with RHK/IKI counts (cold session each round)."""
    assessor = db.session.get(Employee, planning_data["assessor_id"])

    def queue():
        items = skp_queries.approval_queue(assessor, year=planning_data["year"])
        return items, [(i.employee_name, i.unit_name, i.rhk_count, i.iki_count) for i in items]

    def setup():
        db.session.expunge_all()
        db.session.add(assessor)

    items, rows = benchmark.pedantic(queue, setup=setup, rounds=30, iterations=1)
    assert len(items) == PENDING and all(row[2:] == (3, 5) for row in rows)


def test_bench_unit_planning_status(bench_ctx, planning_data, benchmark):
    """The planning dashboard of the busiest assessor's eselon II unit (cold session each round)."""
    assessor = db.session.get(Employee, planning_data["assessor_id"])
    unit = db.session.get(Unit, assessor.unit_id)

    def setup():
        db.session.expunge_all()
        db.session.add(unit)

    status = benchmark.pedantic(skp_queries.unit_planning_status, args=(unit, planning_data["year"]), setup=setup,
                                rounds=10, iterations=1)
    assert status.employee_count > 0

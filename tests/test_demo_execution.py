"""seed-demo, execution: the recent visum of everybody with an approved SKP, in each unit's zone."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from kinerja import demo, demo_execution
from kinerja.audit.models import AuditEntry
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from kinerja.org.assessors import resolve_for
from kinerja.planning.skp_queries import approved_skp
from kinerja.rules import week as week_rules
from tests.test_demo_planning import _cheap_password_hash  # noqa: F401  (autouse)

# Sunday 22 November 2026 15:30 UTC: 22:30 WIB and 23:30 WITA on Sunday, but already Monday 00:30 WIT.
NOW = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)
WIB_PREVIOUS = [date(2026, 11, 9 + i) for i in range(5)]
WIB_CURRENT = [date(2026, 11, 16 + i) for i in range(5)]
WIT_PREVIOUS, WIT_CURRENT = WIB_CURRENT, [date(2026, 11, 23)]


@pytest.fixture
def built(app):
    with time_machine.travel(NOW, tick=False):
        logins = demo.build_demo()
        yield {login.key: login for login in logins}


def _visum(key: str) -> list[Visum]:
    employee = demo.demo_employee(key)
    return list(db.session.scalars(select(Visum).where(Visum.employee_id == employee.id).order_by(Visum.day)))


def test_everybody_with_an_approved_skp_has_the_recent_working_days_in_his_zone(built):
    for spec in demo.PEOPLE:
        employee = demo.demo_employee(spec.key)
        days = [v.day for v in _visum(spec.key)]
        if approved_skp(employee, 2026) is None:
            assert days == [], spec.key
            continue
        zone = employee.unit.effective_timezone
        expected = WIT_PREVIOUS + WIT_CURRENT if zone == "Asia/Jayapura" else WIB_PREVIOUS + WIB_CURRENT
        assert days == expected, spec.key
    assert {v.channel for v in _visum("penyuluh_kb")} == {"E-VISUM"}
    assert {v.channel for v in _visum("dit_jf")} == {"SIVIKA"}


def test_visum_use_the_iki_of_the_approved_skp_and_are_filed_on_the_day(built):
    for visum in db.session.scalars(select(Visum)):
        skp = approved_skp(visum.employee, 2026)
        assert visum.skp_id == skp.id and visum.iki_id in {iki.id for rhk in skp.rhk for iki in rhk.iki}
        assert visum.activity and visum.output_quantity and visum.output_unit
        assert visum.created_at <= NOW.replace(tzinfo=None)
        assert visum.client_token == f"demo-{visum.day.isoformat()}"
        # seed-demo runs the weekly close: a visum is recorded locked exactly when its week has closed in its zone
        zone = visum.employee.unit.effective_timezone
        assert visum.locked is week_rules.is_week_closed(visum.day, NOW, zone), (visum.day, zone)


def test_statuses_last_week_decided_by_the_real_assessor_this_week_waiting(built):
    statuses = {}
    for visum in db.session.scalars(select(Visum)):
        employee = visum.employee
        zone = employee.unit.effective_timezone
        current = WIT_CURRENT if zone == "Asia/Jayapura" else WIB_CURRENT
        statuses[visum.status] = statuses.get(visum.status, 0) + 1
        if visum.day in current:
            assert visum.status == "SUBMITTED", (employee.name, visum.day)
        elif visum.status == "APPROVED":
            assert visum.approved_by_id == resolve_for(employee).assessor.id
            assert visum.approved_at > datetime.combine(visum.day, datetime.min.time())
    assert statuses["APPROVED"] > statuses["SUBMITTED"] / 2 and statuses["RETURNED"] == len(demo_execution.RETURNED)
    for key, reason in demo_execution.RETURNED.items():
        returned = [v for v in _visum(key) if v.status == "RETURNED"]
        assert len(returned) == 1 and returned[0].return_reason == reason and returned[0].day.weekday() == 2
        assert not returned[0].evidence
    # the lagging Sekretaris Perwakilan has not approved her team's previous Friday yet
    friday = [v for v in _visum("plkb") if v.day == WIB_PREVIOUS[-1]]
    assert friday[0].status == "SUBMITTED"
    # the PLT approved the planning officer's visum
    assert {v.approved_by_id for v in _visum("perencana") if v.status == "APPROVED"} == {
        demo.demo_employee("karo_sdm").id}


def test_some_visum_have_a_link_as_evidence_and_everything_is_audited(built):
    links = list(db.session.scalars(select(Evidence)))
    assert links and all(e.kind == "LINK" and e.url.startswith("https://") for e in links)
    total = db.session.scalar(select(func.count(Visum.id)))
    assert len(links) < total
    # every demo visum is history: written by the back-dated import, and audited as one
    imports = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "visum.import_past")).all()
    assert len(imports) == total and {e.object_id for e in imports} == {str(i) for i in db.session.scalars(
        select(Visum.id))}
    assert all(e.after["backdated"] is True and e.reason.startswith("Impor visum mundur: seed-demo") for e in imports)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "visum.create")) == 0


def test_the_login_table_says_who_has_visum_waiting_or_returned(built):
    assert "visum menunggu persetujuan Anda" in built["direktur_kespro"].hint
    assert "visum menunggu persetujuan Anda" in built["sekretaris_sulsel"].hint
    assert "1 visum dikembalikan" in built["dit_jf"].hint
    assert "visum menunggu" in built["kepala"].hint  # he assesses the JPT Madya
    assert "visum" not in built["hr"].hint


def test_a_second_run_adds_nothing_and_a_later_run_adds_the_new_days(app):
    with time_machine.travel(NOW, tick=False):
        demo.build_demo()
        first = {table.name: db.session.scalar(select(func.count()).select_from(table))
                 for table in db.metadata.sorted_tables}
        demo.build_demo()
        again = {table.name: db.session.scalar(select(func.count()).select_from(table))
                 for table in db.metadata.sorted_tables}
    assert again == first
    with time_machine.travel(datetime(2026, 11, 24, 3, 0, tzinfo=UTC), tick=False):  # Tuesday 10:00 WIB
        demo.build_demo()
        days = [v.day for v in _visum("dit_jf")]
    assert days[-2:] == [date(2026, 11, 23), date(2026, 11, 24)] and len(days) == 12

"""The week view's data: days and visum, missing working days (today backwards), the close in the
unit's zone (WIB/WITA/WIT), IKI choices of the approved SKP, the February gate and its reason, the
channel's words, and a fixed number of queries whatever the number of visum."""

from datetime import UTC, date, datetime

from sqlalchemy import event

from kinerja.execution import evidence as evidence_services
from kinerja.execution import visum_queries
from kinerja.execution.models import VisumBlock
from kinerja.extensions import db
from kinerja.planning import skp as skp_services
from kinerja.planning.models import Leave
from kinerja.rules.planning import SKP_STATUS_LABELS
from tests.execution.fixtures import AFTER_SYNC, FEB_DAY, THURSDAY, at, file, iki_of
from tests.planning.skp_fixtures import full_skp, leader_skp

MONDAY, WEDNESDAY, SUNDAY = date(2026, 1, 12), date(2026, 1, 14), date(2026, 1, 18)


def test_week_lists_seven_days_with_visum_and_missing_days(people):
    file(people["pelaksana"], MONDAY, activity="A")
    file(people["pelaksana"], MONDAY, activity="B")
    file(people["pelaksana"], WEDNESDAY, activity="C")
    week = visum_queries.week_of(people["pelaksana"], THURSDAY)
    assert [d.day for d in week.days] == [date(2026, 1, day) for day in range(12, 19)]
    assert [v.activity for v in week.day(MONDAY).visum] == ["A", "B"]
    assert week.missing == [date(2026, 1, 13), THURSDAY]  # Friday is the future: not missing
    assert (week.filed_days, week.expected_days) == (2, 4)
    friday = week.day(date(2026, 1, 16))
    assert friday.future and not friday.missing and not friday.can_add
    assert week.day(THURSDAY).today and week.day(THURSDAY).can_add
    assert not week.day(SUNDAY).working
    assert week.writable and not week.closed and week.is_current
    assert week.next_week is None and week.previous_week == date(2026, 1, 5)
    assert week.day(THURSDAY).dom_id == "day-2026-01-15"


def test_past_week_is_closed_and_counts_every_working_day(people):
    file(people["pelaksana"], date(2026, 1, 9), now=datetime(2026, 1, 9, 3, 0, tzinfo=UTC))
    week = visum_queries.week_of(people["pelaksana"], date(2026, 1, 7))
    assert week.closed and not week.writable
    assert len(week.missing) == 4 and not any(d.can_add for d in week.days)
    assert week.next_week == MONDAY


def test_future_week_has_nothing_missing(people):
    week = visum_queries.week_of(people["pelaksana"], date(2026, 1, 21))
    assert week.missing == [] and not any(d.can_add for d in week.days) and not week.is_current


def test_cuti_and_holidays_are_not_missing(app, people):
    db.session.add(Leave(employee_id=people["pelaksana"].id, kind="CUTI_TAHUNAN", start=MONDAY,
                         end=date(2026, 1, 13)))
    db.session.commit()
    app.config["HOLIDAYS"] = ["2026-01-14"]
    try:
        week = visum_queries.week_of(people["pelaksana"], THURSDAY)
    finally:
        app.config["HOLIDAYS"] = None
    assert week.missing == [THURSDAY]
    assert not week.day(MONDAY).working and not week.day(WEDNESDAY).working


def test_closing_time_in_the_units_zone(people, zoned):
    expected = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
    employees = {"Asia/Jakarta": people["pelaksana"], **zoned}
    for tz, employee in employees.items():
        week = visum_queries.week_of(employee, THURSDAY)
        assert week.timezone == tz and week.timezone_label == expected[tz]
        assert week.closes_at_label == f"Minggu, 18 Januari 2026 pukul 23.59 {expected[tz]}"
        assert week.closes_at.utcoffset().total_seconds() / 3600 == {"WIB": 7, "WITA": 8, "WIT": 9}[expected[tz]]


def test_week_closes_earlier_in_wit_than_in_wib(people, zoned):
    moment = datetime(2026, 1, 18, 15, 30, tzinfo=UTC)  # Sunday 22:30 WIB, 00:30 Monday WIT
    with at(moment):
        assert visum_queries.week_of(people["pelaksana"], THURSDAY).writable
        wit = visum_queries.week_of(zoned["Asia/Jayapura"], THURSDAY)
    assert wit.closed and not wit.writable and wit.today == date(2026, 1, 19)


def test_iki_choices_come_from_the_approved_skp(people, approved):
    week = visum_queries.week_of(people["analis"], THURSDAY)
    iki = iki_of(approved)
    choices = week.day(THURSDAY).iki_choices
    assert [c.id for c in choices] == [iki.id] and "IKI 1.1" in choices[0].label and choices[0].unit_of_measure
    assert week.day(date(2026, 1, 16)).iki_choices == []  # no form for a future day
    assert visum_queries.week_of(people["pelaksana"], THURSDAY).day(THURSDAY).iki_choices == []


def test_gate_in_february_without_approved_skp_says_why(people):
    with at(AFTER_SYNC):
        week = visum_queries.week_of(people["pelaksana"], FEB_DAY)
    gate = week.blocked_gate
    assert gate is not None and gate.year == 2026 and gate.code == "NO_APPROVED_SKP"
    assert "SKP tahun 2026 yang sudah disetujui" in gate.reason and "6 Februari" in gate.reason
    assert gate.skp_status is None and not gate.listed
    assert not any(d.can_add for d in week.days)
    assert week.missing  # still shown: the days are missing, and why is on the page


def test_gate_shows_the_skp_status_and_hr_list(people):
    _, leader_rhk = leader_skp(people["direktur"], approve_by=people["deputi"])
    skp = full_skp(people["pelaksana"], parent=leader_rhk)
    skp_services.submit_skp(people["pelaksana"], skp)
    db.session.add(VisumBlock(year=2026, employee_id=people["pelaksana"].id, reason="SKP_NOT_APPROVED",
                              listed_at=datetime(2026, 2, 6)))
    db.session.commit()
    with at(AFTER_SYNC):
        gate = visum_queries.week_of(people["pelaksana"], FEB_DAY).blocked_gate
    assert gate.skp_status == SKP_STATUS_LABELS["SUBMITTED"]
    assert gate.listed


def test_gate_open_with_approved_skp_and_before_the_sync(people, approved):
    with at(AFTER_SYNC):
        assert visum_queries.week_of(people["analis"], FEB_DAY).blocked_gate is None
    january = visum_queries.week_of(people["pelaksana"], THURSDAY)
    assert january.blocked_gate is None and not january.gates[0].in_force


def test_channel_words(people):
    assert visum_queries.week_of(people["penyuluh"], THURSDAY).channel.code == "E-VISUM"
    words = visum_queries.channel_words(people["penyuluh"])
    assert words.name == "E-Visum" and "lapangan" in words.activity and "lokasi" in words.activity_hint
    assert visum_queries.channel_words(people["pelaksana"]).name == "SIVIKA"


def test_week_costs_a_fixed_number_of_queries(people):
    employee = people["pelaksana"]
    for day in (MONDAY, WEDNESDAY, THURSDAY):
        for number in range(5):
            visum = file(employee, day, activity=f"K{number}")
            evidence_services.add_link_evidence(employee, visum, "https://a.id/x")
    db.session.commit()
    db.session.expire_all()
    statements = []

    def count(*args):
        statements.append(args[2])

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        week = visum_queries.week_of(employee, THURSDAY)
        for entry in week.days:
            for visum in entry.visum:
                _ = [e.url for e in visum.evidence], visum.iki
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum(len(d.visum) for d in week.days) == 15
    assert len(statements) <= 10, statements


def test_last_filed_day_is_the_copy_source(people):
    file(people["pelaksana"], MONDAY)
    assert visum_queries.last_filed_day(people["pelaksana"], THURSDAY) == MONDAY
    file(people["pelaksana"], WEDNESDAY)
    assert visum_queries.last_filed_day(people["pelaksana"], THURSDAY) == WEDNESDAY
    assert visum_queries.last_filed_day(people["pelaksana"], MONDAY) is None

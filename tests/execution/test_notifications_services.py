"""Notifications: notify dedupes by key; a returned visum; the week-closing reminder per zone (24 hours before
Sunday 23:59 local, only with missing working days, once); visum waiting more than 3 working days (weekends and
holidays not counted, once a day, PLT too); the tasks; email through a real local SMTP server when configured."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.execution import notifications, services
from kinerja.execution.models import Notification
from kinerja.extensions import db
from kinerja.jobs import tasks
from kinerja.org import services as org_services
from tests.execution.fixtures import NOW, THURSDAY, file


def notes(employee=None, kind=None):
    stmt = select(Notification).order_by(Notification.id)
    if employee is not None:
        stmt = stmt.where(Notification.employee_id == employee.id)
    if kind is not None:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt))


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# --- notify ------------------------------------------------------------------------------------

def test_notify_inserts_once_per_key(people):
    first = notifications.notify(people["analis"], "FEEDBACK", "k:1", "Halo", "/x", now=NOW)
    again = notifications.notify(people["analis"], "FEEDBACK", "k:1", "Halo lagi", now=NOW)
    other = notifications.notify(people["pelaksana"], "FEEDBACK", "k:1", "Halo", now=NOW)
    db.session.commit()
    assert first.id and again is None and other.id
    assert [(n.employee_id, n.message, n.link) for n in notes()] == [
        (people["analis"].id, "Halo", "/x"), (people["pelaksana"].id, "Halo", None)]
    assert first.created_at == datetime(2026, 1, 15, 3, 0) and first.read_at is None and first.emailed_at is None
    with pytest.raises(ValueError):
        notifications.notify(people["analis"], "GOSSIP", "k:2", "x")


def test_unread_count_and_mark_read(people):
    analis, pelaksana = people["analis"], people["pelaksana"]
    ids = [notifications.notify(analis, "FEEDBACK", f"k:{n}", "x", now=NOW).id for n in range(3)]
    theirs = notifications.notify(pelaksana, "FEEDBACK", "k:0", "x", now=NOW)
    db.session.commit()
    assert notifications.unread_count(analis.id) == 3
    assert notifications.mark_read(analis, theirs.id) == 0  # not his: untouched
    assert notifications.mark_read(analis, ids[0], now=NOW) == 1
    assert notifications.mark_read(analis, ids[0]) == 0
    assert notifications.unread_count(analis.id) == 2
    assert notifications.mark_read(analis) == 2
    db.session.commit()
    assert notifications.unread_count(analis.id) == 0 and notifications.unread_count(pelaksana.id) == 1


def test_notifications_of_pages_newest_first(people):
    analis = people["analis"]
    for n in range(5):
        notifications.notify(analis, "FEEDBACK", f"k:{n}", f"pesan {n}", now=utc(2026, 1, 10 + n, 1, 0))
    db.session.commit()
    items, pages = notifications.notifications_of(analis.id, 1, 2)
    assert pages == 3 and [i.message for i in items] == ["pesan 4", "pesan 3"]
    items, _ = notifications.notifications_of(analis.id, 9, 2)  # past the end: the last page
    assert [i.message for i in items] == ["pesan 0"]


# --- a returned visum --------------------------------------------------------------------------

def test_returned_visum_notifies_its_owner_once_per_return(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    visum = file(pelaksana)
    services.return_visum(direktur, visum, "Lampirkan daftar hadir.", now=NOW)
    db.session.commit()
    services.return_visum(direktur, visum, "Lampirkan daftar hadir.", now=NOW)  # already returned: no-op
    db.session.commit()
    [note] = notes(pelaksana)
    assert note.kind == "VISUM_RETURNED" and "Kamis, 15 Januari 2026" in note.message
    assert "Lampirkan daftar hadir." in note.message and note.link == "/execution/visum?week=2026-01-12"
    services.update_visum(pelaksana, visum, activity="Menyusun laporan dan daftar hadir")
    services.return_visum(direktur, visum, "Tanda tangan belum ada.", now=NOW)
    db.session.commit()
    assert [n.kind for n in notes(pelaksana)] == ["VISUM_RETURNED", "VISUM_RETURNED"]
    assert "Tanda tangan" in notes(pelaksana)[1].message
    assert notes(direktur) == []


def test_approving_notifies_nobody(people):
    visum = file(people["pelaksana"])
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    assert notes() == []
    assert notifications.notify_visum_returned(visum) is None  # not returned


# --- the week closes within 24 hours -----------------------------------------------------------

SATURDAY = datetime(2026, 1, 17, 3, 0, tzinfo=UTC)


def week_file(employee, days, now=SATURDAY):
    for day in days:
        file(employee, date(2026, 1, day), now=now)


def test_week_closing_reminder_only_inside_the_last_24_hours(people):
    assert notifications.remind_week_closing(NOW) == 0  # Thursday: days ahead
    assert notifications.remind_week_closing(utc(2026, 1, 17, 16, 58)) == 0  # Saturday 23:58 WIB: 25 h 1 min left
    assert notes() == []


def test_week_closing_reminder_names_the_missing_days_once(people):
    pelaksana, analis, direktur = people["pelaksana"], people["analis"], people["direktur"]
    week_file(analis, [12, 13, 14, 15, 16])
    week_file(pelaksana, [12, 15])
    sunday_morning = utc(2026, 1, 18, 1, 0)  # Sunday 08:00 WIB
    created = notifications.remind_week_closing(sunday_morning)
    db.session.commit()
    assert created == len(notes()) and created > 0
    assert notes(analis) == []  # a complete week
    [note] = notes(pelaksana)
    assert (note.kind, note.key, note.link) == ("WEEK_CLOSING", "week:2026-01-12", "/execution/visum?week=2026-01-12")
    assert note.message.startswith("3 hari kerja") and "Minggu, 18 Januari 2026 pukul 23.59 WIB" in note.message
    assert "5 hari kerja" in notes(direktur)[0].message
    assert notifications.remind_week_closing(utc(2026, 1, 18, 5, 0)) == 0  # the catch-up run: nothing new
    db.session.commit()
    assert len(notes(pelaksana)) == 1
    assert notifications.remind_week_closing(utc(2026, 1, 18, 17, 0)) == 0  # closed


def test_week_closing_reminder_respects_cuti_and_holidays(people, app, monkeypatch):
    from kinerja.planning.models import Leave

    pelaksana = people["pelaksana"]
    week_file(pelaksana, [12, 13])
    db.session.add(Leave(employee_id=pelaksana.id, kind="CUTI_TAHUNAN", start=date(2026, 1, 14),
                         end=date(2026, 1, 15)))
    db.session.commit()
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2026-01-16"])
    notifications.remind_week_closing(utc(2026, 1, 18, 1, 0))
    db.session.commit()
    assert notes(pelaksana) == []


def test_week_closing_reminder_follows_each_zone(people, zoned):
    wita, wit = zoned["Asia/Makassar"], zoned["Asia/Jayapura"]
    wib = people["pelaksana"]
    # Sunday 23:59 local is 14:59 UTC in WIT, 15:59 UTC in WITA, 16:59 UTC in WIB.
    notifications.remind_week_closing(utc(2026, 1, 17, 15, 30))  # Saturday: 23 h 29 min before WIT's close
    db.session.commit()
    assert [len(notes(e)) for e in (wit, wita, wib)] == [1, 0, 0]
    assert "pukul 23.59 WIT" in notes(wit)[0].message
    notifications.remind_week_closing(utc(2026, 1, 17, 16, 30))
    db.session.commit()
    assert [len(notes(e)) for e in (wit, wita, wib)] == [1, 1, 0]
    assert "pukul 23.59 WITA" in notes(wita)[0].message
    notifications.remind_week_closing(utc(2026, 1, 18, 15, 30))  # Sunday: WIT closed, WITA and WIB open
    db.session.commit()
    assert [len(notes(e)) for e in (wit, wita, wib)] == [1, 1, 1]


def test_week_closing_task_commits_and_dedupes(people):
    first = tasks.remind_week_closing("2026-01-18T01:00:00Z")
    db.session.rollback()
    assert first["created"] == len(notes()) > 0
    assert tasks.remind_week_closing("2026-01-18T05:00:00Z") == {"created": 0}


# --- visum waiting more than 3 working days ----------------------------------------------------

MONDAY_MORNING = utc(2026, 1, 12, 3, 0)  # Monday 12 January 10:00 WIB


def test_overdue_cutoff_counts_working_days():
    # On Friday 16 January the visum of Monday 12 January has waited 4 working days (Tue-Fri).
    assert notifications.overdue_cutoff(date(2026, 1, 16)) == date(2026, 1, 12)
    # On Monday 19 January: Wed 14 waited Thu, Fri, Mon = 3 (not overdue); Tue 13 waited 4.
    assert notifications.overdue_cutoff(date(2026, 1, 19)) == date(2026, 1, 13)
    assert notifications.overdue_cutoff(date(2026, 1, 19), frozenset({date(2026, 1, 16)})) == date(2026, 1, 12)


def test_overdue_reminder_per_assessor_once_a_day(people):
    pelaksana, analis, direktur = people["pelaksana"], people["analis"], people["direktur"]
    file(pelaksana, date(2026, 1, 12), now=MONDAY_MORNING)
    file(analis, date(2026, 1, 12), now=MONDAY_MORNING)
    approved = file(analis, date(2026, 1, 12), now=MONDAY_MORNING, activity="Rapat")
    services.approve_visum(direktur, approved, now=MONDAY_MORNING)
    file(pelaksana, THURSDAY, now=NOW)  # too recent
    db.session.commit()
    assert notifications.remind_overdue_approvals(NOW) == 0  # Thursday: waited 3 working days
    friday = utc(2026, 1, 16, 0, 0)  # Friday 07:00 WIB
    assert notifications.remind_overdue_approvals(friday) == 1
    assert notifications.remind_overdue_approvals(utc(2026, 1, 16, 5, 0)) == 0  # the same day again
    db.session.commit()
    [note] = notes(direktur)
    assert (note.kind, note.key, note.link) == ("APPROVAL_OVERDUE", "overdue:2026-01-16", "/execution/inbox")
    assert note.message.startswith("2 visum menunggu")
    assert notifications.waiting_counts([direktur.id]) == {direktur.id: 3}
    assert notifications.waiting_counts([direktur.id], now=friday, overdue=True) == {direktur.id: 2}
    assert notifications.remind_overdue_approvals(utc(2026, 1, 19, 0, 0)) == 1  # Monday: a new day
    db.session.commit()
    assert [n.key for n in notes(direktur)] == ["overdue:2026-01-16", "overdue:2026-01-19"]
    assert notes(direktur)[1].message.startswith("2 visum")  # Thursday's has waited Fri and Mon only


def test_holidays_do_not_count_as_waiting(people, app, monkeypatch):
    file(people["pelaksana"], date(2026, 1, 12), now=MONDAY_MORNING)
    monkeypatch.setitem(app.config, "HOLIDAYS", [date(2026, 1, 16)])
    assert notifications.remind_overdue_approvals(utc(2026, 1, 16, 0, 0)) == 0
    assert notifications.remind_overdue_approvals(utc(2026, 1, 19, 0, 0)) == 1  # Tue, Wed, Thu, Mon


def test_an_edit_resubmits_and_restarts_the_wait(people):
    visum = file(people["pelaksana"], date(2026, 1, 12), now=MONDAY_MORNING)
    services.update_visum(people["pelaksana"], visum, activity="Diperbaiki")
    db.session.commit()
    assert notifications.remind_overdue_approvals(utc(2026, 1, 16, 0, 0)) == 0


def test_the_wait_is_counted_in_the_owners_zone(people, zoned, make_employee):
    from kinerja.org.assessors import refresh_assessor_links

    wit = zoned["Asia/Jayapura"]
    head = make_employee(wit.unit, "JPT_PRATAMA", is_head=True, effective=date(2026, 1, 1))
    refresh_assessor_links()
    db.session.commit()
    assessor_id = head.id
    # Monday 12 January 23:30 WIT is still Monday there (14:30 UTC); WIB would say the same day, but
    # 16:30 UTC is Tuesday 01:30 WIT: submitted on Tuesday, not overdue on Friday.
    late = file(wit, date(2026, 1, 12), now=utc(2026, 1, 12, 16, 30))
    assert notifications.waiting_counts([assessor_id], now=utc(2026, 1, 16, 0, 0), overdue=True) == {}
    late.updated_at = datetime(2026, 1, 12, 14, 30)
    db.session.commit()
    assert notifications.waiting_counts([assessor_id], now=utc(2026, 1, 16, 0, 0), overdue=True) == {assessor_id: 1}


def test_plt_of_the_assessor_is_reminded_too(org, people):
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 16), end=date(2026, 1, 16))
    db.session.commit()
    file(people["pelaksana"], date(2026, 1, 12), now=MONDAY_MORNING)
    assert notifications.remind_overdue_approvals(utc(2026, 1, 16, 0, 0)) == 2
    db.session.commit()
    assert [n.key for n in notes(people["kasubdit"])] == ["overdue:2026-01-16"]
    assert len(notes(people["direktur"])) == 1


def test_overdue_task_skips_weekends_and_holidays(people, app, monkeypatch):
    file(people["pelaksana"], date(2026, 1, 12), now=MONDAY_MORNING)
    assert tasks.remind_overdue_approvals("2026-01-17T00:00:00Z")["created"] == 0  # Saturday
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2026-01-19"])
    assert tasks.remind_overdue_approvals("2026-01-19T00:00:00Z")["created"] == 0  # a holiday Monday
    assert tasks.remind_overdue_approvals("2026-01-20T00:00:00Z") == {"created": 1}
    db.session.rollback()
    assert len(notes(people["direktur"])) == 1


def test_many_employees_are_reminded_in_a_few_statements(people, make_employee, org):
    from sqlalchemy import event

    unit = org["units"]["DIT"]
    for _ in range(30):
        make_employee(unit, "PELAKSANA", effective=date(2026, 1, 1))
    statements = []
    listener = lambda *args, **kwargs: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        created = notifications.remind_week_closing(utc(2026, 1, 18, 1, 0))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert created >= 30
    assert len(statements) <= 6  # zones, one SELECT per zone, one multi-row INSERT (not one per person)
    assert db.session.scalar(select(func.count(Notification.id))) == created


# --- cron --------------------------------------------------------------------------------------

def test_cron_runs_the_week_reminder_inside_every_zones_last_24_hours_and_overdue_on_working_days():
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from kinerja.rules import week as week_rules

    script = (
        "import json\n"
        "from rq.cron import CronScheduler\n"
        "s = CronScheduler(connection=None)\n"
        "s.load_config_from_file('kinerja.jobs.cron')\n"
        "print(json.dumps({j.name: [j.func_name, j.cron, j.next_enqueue_time.isoformat()] for j in s.get_jobs()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[2],
                         env={**os.environ, "TZ": "UTC"}, capture_output=True, text=True, check=True).stdout
    jobs = json.loads(out.strip().splitlines()[-1])
    assert jobs["remind_overdue_approvals"][:2] == ["kinerja.jobs.tasks.remind_overdue_approvals", "0 7 * * 1-5"]
    runs = [datetime.fromisoformat(jobs[name][2]).astimezone(UTC)
            for name in ("remind_week_closing", "remind_week_closing_catch_up")]
    assert all(job[0] == "kinerja.jobs.tasks.remind_week_closing" for name, job in jobs.items()
               if name.startswith("remind_week_closing"))
    for run in runs:
        assert run.astimezone(week_rules.zone("Asia/Jakarta")).weekday() == 6  # a Sunday in WIB
        for tz in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"):
            assert week_rules.week_closing_soon(week_rules.local_date(run, tz), run, tz), (run, tz)

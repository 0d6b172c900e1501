"""lock-week and sync-skp: CLI (good and bad input: exit code, one line, nothing written), RQ tasks,
cron registration (WIB process), and Redis down: visum filing and approval keep working, the lock
job catches up once Redis is back."""

from datetime import UTC, date, datetime

import pytest
from rq import Queue
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import services
from kinerja.execution.models import SkpSync, Visum, VisumBlock, WeekLock
from kinerja.extensions import db
from kinerja.jobs import tasks
from kinerja.jobs.queue import QUEUE_NAME, enqueue
from kinerja.jobs.worker import AppSimpleWorker
from tests.execution.fixtures import NOW, file
from tests.jobs.helpers import cron_jobs, unused_port

MONDAY = date(2026, 1, 12)
MONDAY_AFTER = datetime(2026, 1, 19, 1, 0, tzinfo=UTC)  # the clock after the --now values used below


def count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_count():
    return count(AuditEntry)


# --- CLI: lock-week ------------------------------------------------------------------------------

def test_lock_week_cli_without_offset_is_utc(runner, people, frozen):
    file(people["pelaksana"], MONDAY)
    frozen.move_to(MONDAY_AFTER)  # lock-week never records the future
    before = runner.invoke(args=["lock-week", "--now", "2026-01-18T16:58:59"])
    assert before.exit_code == 0, before.output
    assert count(WeekLock) == 0 and "tidak ada minggu baru" in before.output
    result = runner.invoke(args=["lock-week", "--now", "2026-01-18T16:59:00"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lock-week 2026-01-18T16:59:00Z:") and "1 visum dikunci" in lines[0]
    assert db.session.scalar(select(Visum.locked).where(Visum.employee_id == people["pelaksana"].id)) is True


def test_lock_week_cli_accepts_an_offset(runner, people, frozen):
    file(people["pelaksana"], MONDAY)
    frozen.move_to(MONDAY_AFTER)
    result = runner.invoke(args=["lock-week", "--now", "2026-01-18T23:59:00+07:00"])
    assert result.exit_code == 0 and "1 visum dikunci" in result.output


@pytest.mark.parametrize("value", ["kemarin", "2026-13-01", "", "18/01/2026 23:59"])
def test_lock_week_cli_bad_now_exits_non_zero_with_one_line_and_writes_nothing(runner, people, value):
    file(people["pelaksana"], MONDAY)
    audits = audit_count()
    result = runner.invoke(args=["lock-week", "--now", value])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and "tidak dapat dibaca" in result.output
    assert count(WeekLock) == 0 and audit_count() == audits
    assert db.session.scalar(select(Visum.locked)) is False


def test_lock_week_cli_twice_reports_nothing_new(runner, people, frozen):
    frozen.move_to(MONDAY_AFTER)
    runner.invoke(args=["lock-week", "--now", "2026-01-19T00:00:00Z"])
    result = runner.invoke(args=["lock-week", "--now", "2026-01-19T00:00:00Z"])
    assert result.exit_code == 0 and "tidak ada minggu baru" in result.output


# --- CLI: sync-skp -------------------------------------------------------------------------------

def test_sync_skp_cli_lists_and_prints_one_line(runner, people):
    result = runner.invoke(args=["sync-skp", "2026"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sync-skp 2026: 0 SKP disetujui")
    assert count(SkpSync) == 1 and count(VisumBlock) == len(people) - 1  # all but Kepala BKKBN


@pytest.mark.parametrize("value", ["abc", "1999", "26", "2026x"])
def test_sync_skp_cli_bad_year_exits_non_zero_and_writes_nothing(runner, people, value):
    audits = audit_count()
    result = runner.invoke(args=["sync-skp", value])
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1 and "Tahun" in result.output
    assert count(SkpSync) == 0 and count(VisumBlock) == 0 and audit_count() == audits


def test_sync_skp_cli_needs_a_year(runner, app):
    result = runner.invoke(args=["sync-skp"])
    assert result.exit_code != 0 and count(SkpSync) == 0


# --- tasks ---------------------------------------------------------------------------------------

def test_lock_week_task_runs_in_process_and_commits(people, frozen):
    file(people["pelaksana"], MONDAY)
    frozen.move_to(MONDAY_AFTER)
    ref = enqueue(tasks.lock_week, "2026-01-19T00:00:00", job_id=tasks.LOCK_WEEK_JOB_ID)
    assert ref.queued is False and ref.result["visum_locked"] == 1
    db.session.rollback()  # only committed work survives
    assert count(WeekLock) > 0


def test_lock_week_task_refuses_a_bad_time(app):
    from kinerja.rules.planning import PlanningRuleError

    with pytest.raises(PlanningRuleError):
        tasks.lock_week("gisteren")


def test_sync_skp_task_defaults_to_this_year(people):
    result = enqueue(tasks.sync_skp, job_id=tasks.sync_skp_job_id(2026)).result
    assert result["year"] == 2026 and result["blocked"] == len(people) - 1
    db.session.rollback()
    assert count(SkpSync) == 1


def test_sync_skp_when_due_waits_for_the_day_then_runs_once(people, frozen, app, monkeypatch):
    assert tasks.sync_skp_when_due() is None  # 15 January
    frozen.move_to(datetime(2026, 2, 5, 17, 30, tzinfo=UTC))  # 6 February 00:30 WIB
    assert tasks.sync_skp_when_due()["year"] == 2026
    assert tasks.sync_skp_when_due() is None  # already ran this year
    assert count(SkpSync) == 1


def test_sync_skp_when_due_follows_the_configured_day(people, frozen, app, monkeypatch):
    monkeypatch.setitem(app.config, "VISUM_SYNC_DAY", (1, 15))
    assert tasks.sync_skp_when_due()["year"] == 2026


# --- cron ----------------------------------------------------------------------------------------

def test_cron_registers_lock_week_after_each_zones_close_and_the_yearly_sync():
    jobs = {job[0]: job[1:] for job in cron_jobs()}
    assert jobs["lock_week_wit"][:3] == ["kinerja.jobs.tasks.lock_week", QUEUE_NAME, "0 22 * * 0"]
    assert jobs["lock_week_wita"][2] == "0 23 * * 0" and jobs["lock_week_wib"][2] == "0 0 * * 1"
    assert jobs["lock_week_catch_up"][2] == "15 1 * * *"
    assert jobs["sync_skp"][:3] == ["kinerja.jobs.tasks.sync_skp_when_due", QUEUE_NAME, "30 0 * * *"]
    # WIT closes Sunday 23:59 WIT = 14:59 UTC; its run is 22:00 WIB = 15:00 UTC on a Sunday
    wit = datetime.fromisoformat(jobs["lock_week_wit"][3]).astimezone(UTC)
    assert (wit.weekday(), wit.hour, wit.minute) == (6, 15, 0)
    wib = datetime.fromisoformat(jobs["lock_week_wib"][3]).astimezone(UTC)
    assert (wib.weekday(), wib.hour, wib.minute) == (6, 17, 0)  # Monday 00:00 WIB


# --- Redis down ----------------------------------------------------------------------------------

def test_redis_down_visum_work_goes_on_and_the_lock_catches_up_when_redis_is_back(
        app, people, approved, redis_url, redis_client, monkeypatch, frozen):
    analis, direktur = people["analis"], people["direktur"]
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{unused_port()}/0")

    # Redis is down: filing and approving still work, and a job falls back to running here
    visum = file(analis, MONDAY)
    services.approve_visum(direktur, visum, now=NOW)
    db.session.commit()
    assert visum.status == "APPROVED"
    ref = enqueue(tasks.lock_week, "2026-01-15T03:00:00Z", job_id=tasks.LOCK_WEEK_JOB_ID)
    assert ref.queued is False  # ran in-process (nothing had closed yet)

    # Redis is back two weeks later: the queued lock job catches up both missed weeks
    frozen.move_to(datetime(2026, 1, 26, 0, 0, tzinfo=UTC))
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    ref = enqueue(tasks.lock_week, "2026-01-26T00:00:00Z", job_id=tasks.LOCK_WEEK_JOB_ID)
    assert ref.queued is True and count(WeekLock) == 0
    worker = AppSimpleWorker([Queue(QUEUE_NAME, connection=redis_client)], connection=redis_client, app=app)
    worker.work(burst=True)

    job = Queue(QUEUE_NAME, connection=redis_client).fetch_job(tasks.LOCK_WEEK_JOB_ID)
    assert job.get_status() == "finished", job.latest_result().exc_string if job.latest_result() else None
    weeks = {tuple(w) for w in job.return_value()["weeks"]}
    assert {("Asia/Jakarta", "2026-01-12"), ("Asia/Jakarta", "2026-01-19")} <= weeks
    db.session.expire_all()
    assert db.session.scalar(select(Visum.locked).where(Visum.id == visum.id)) is True
    row = db.session.scalar(select(WeekLock).where(WeekLock.employee_id == analis.id, WeekLock.week_start == MONDAY))
    assert (row.filed, row.expected) == (1, 5)
    assert db.session.scalar(select(func.count()).select_from(WeekLock).where(
        WeekLock.employee_id == analis.id)) == 2

"""enqueue(): in-process without Redis, once per id on a real Redis, in-process when Redis is down."""

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app, g
from rq import Queue
from sqlalchemy import func, select

from kinerja import clock
from kinerja.extensions import db
from kinerja.jobs.queue import QUEUE_NAME, enqueue, job_progress, report_progress
from kinerja.jobs.worker import AppSimpleWorker
from kinerja.org.models import Unit
from tests import factories
from tests.jobs.helpers import REPO, cron_jobs, unused_port


# Jobs must be importable module-level functions taking plain values.
def ensure_unit(code: str) -> int:
    """Create the unit once (idempotent) and return its id; needs an app context."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        unit = factories.make_unit(code, "ESELON_II", name=f"Unit {code} dari {current_app.name}")
    return unit.id


def fail_loudly(reason: str) -> None:
    raise ValueError(reason)


def sees_the_callers_g() -> bool:
    return hasattr(g, "marker")


def count_in_steps(total: int) -> int:
    for done in range(1, total + 1):
        report_progress(done, total)
    return total


def _unit_count(code: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Unit).where(Unit.code == code))


def _run_worker(app, redis_client) -> None:
    worker = AppSimpleWorker([Queue(QUEUE_NAME, connection=redis_client)], connection=redis_client, app=app)
    worker.work(burst=True)


@pytest.fixture
def app_with_redis(app, redis_url, redis_client, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    return app


# --- without REDIS_URL --------------------------------------------------------------------

def test_without_redis_the_job_runs_in_process(app):
    assert app.config["REDIS_URL"] is None
    ref = enqueue(ensure_unit, "JOB-A", job_id="unit-JOB-A")
    assert (ref.queued, ref.status, ref.id) == (False, "finished", "unit-JOB-A")
    assert _unit_count("JOB-A") == 1
    assert ref.result == db.session.scalar(select(Unit.id).where(Unit.code == "JOB-A"))


def test_without_redis_a_dotted_path_runs_too(app):
    ref = enqueue("tests.jobs.test_queue.ensure_unit", "JOB-B")
    assert ref.queued is False
    assert _unit_count("JOB-B") == 1


def test_without_redis_a_failing_job_raises_to_the_caller(app):
    with pytest.raises(ValueError, match="rusak"):
        enqueue(fail_loudly, "rusak")


def test_without_redis_progress_is_not_tracked(app):
    ref = enqueue(count_in_steps, 3, job_id="steps")
    assert ref.result == 3
    assert job_progress("steps") is None


# --- with a real Redis --------------------------------------------------------------------

def test_with_redis_a_job_id_is_queued_once_and_the_worker_runs_it_in_the_app(app_with_redis, redis_client):
    queue = Queue(QUEUE_NAME, connection=redis_client)
    first = enqueue(ensure_unit, "JOB-C", job_id="unit-JOB-C")
    second = enqueue(ensure_unit, "JOB-C", job_id="unit-JOB-C")
    assert (first.queued, first.status, first.id) == (True, "queued", "unit-JOB-C")
    assert (second.queued, second.status, second.id) == (True, "queued", "unit-JOB-C")
    assert queue.count == 1
    assert _unit_count("JOB-C") == 0  # nothing ran in this process

    _run_worker(app_with_redis, redis_client)

    job = queue.fetch_job("unit-JOB-C")
    assert job.get_status() == "finished"
    assert _unit_count("JOB-C") == 1  # same database as the test: the worker ran inside the app
    unit = db.session.scalar(select(Unit).where(Unit.code == "JOB-C"))
    assert job.return_value() == unit.id
    assert unit.name == "Unit JOB-C dari kinerja"


def test_the_worker_gives_each_job_its_own_app_context(app_with_redis, redis_client):
    g.marker = "test"
    ref = enqueue(sees_the_callers_g, job_id="ctx")
    _run_worker(app_with_redis, redis_client)
    assert Queue(QUEUE_NAME, connection=redis_client).fetch_job(ref.id).return_value() is False


def test_the_rq_worker_command_builds_the_app_from_the_environment(app_with_redis, redis_url, database_url):
    enqueue(ensure_unit, "JOB-G", job_id="unit-JOB-G")
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": "test-worker"}
    done = subprocess.run(
        [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", redis_url,
         "--worker-class", "kinerja.jobs.worker.AppWorker", QUEUE_NAME],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert _unit_count("JOB-G") == 1


def test_with_redis_a_finished_id_can_be_queued_again(app_with_redis, redis_client):
    queue = Queue(QUEUE_NAME, connection=redis_client)
    enqueue(ensure_unit, "JOB-D", job_id="unit-JOB-D")
    _run_worker(app_with_redis, redis_client)
    again = enqueue(ensure_unit, "JOB-D", job_id="unit-JOB-D")
    assert (again.queued, again.status) == (True, "queued")
    assert queue.count == 1
    _run_worker(app_with_redis, redis_client)
    assert _unit_count("JOB-D") == 1  # idempotent job: still one unit


def test_with_redis_a_failed_job_is_recorded_not_raised(app_with_redis, redis_client):
    ref = enqueue(fail_loudly, "rusak", job_id="fails")
    _run_worker(app_with_redis, redis_client)
    assert job_progress(ref.id)["status"] == "failed"
    assert enqueue(fail_loudly, "rusak", job_id="fails").status == "queued"  # a retry is allowed


def test_with_redis_jobs_without_id_are_queued_each_time(app_with_redis, redis_client):
    refs = [enqueue(ensure_unit, "JOB-E"), enqueue(ensure_unit, "JOB-E")]
    assert refs[0].id != refs[1].id
    assert Queue(QUEUE_NAME, connection=redis_client).count == 2


def test_with_redis_progress_is_reported_for_polling(app_with_redis, redis_client):
    ref = enqueue(count_in_steps, 4, job_id="steps")
    assert job_progress("steps") == {"status": "queued", "done": None, "total": None}
    _run_worker(app_with_redis, redis_client)
    assert job_progress(ref.id) == {"status": "finished", "done": 4, "total": 4}
    assert job_progress("no-such-job") is None


def test_redis_down_falls_back_to_running_in_process(app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{unused_port()}/0")
    with caplog.at_level(logging.WARNING, logger="kinerja.jobs.queue"):
        ref = enqueue(ensure_unit, "JOB-F", job_id="unit-JOB-F")
    assert (ref.queued, ref.status) == (False, "finished")
    assert _unit_count("JOB-F") == 1
    assert any("Redis down" in record.getMessage() for record in caplog.records)


# --- cron --------------------------------------------------------------------------------

def test_cron_runs_refresh_assessors_daily_at_0005_wib_whatever_the_machine_zone():
    jobs = [job for job in cron_jobs() if job[0] == "refresh_assessors"]
    assert [job[:4] for job in jobs] == [
        ["refresh_assessors", "kinerja.jobs.tasks.refresh_assessors", QUEUE_NAME, "5 0 * * *"]
    ]
    next_run = datetime.fromisoformat(jobs[0][4]).astimezone(UTC)
    assert (next_run.hour, next_run.minute) == (17, 5)  # 00:05 WIB is 17:05 UTC the day before


# --- tasks -------------------------------------------------------------------------------

def test_refresh_assessors_writes_a_link_per_employee_and_commits(app, make_unit, make_employee):
    from kinerja.org.models import AssessorLink

    unit = make_unit("TASK-U", "ESELON_II")
    head = make_employee(unit, "JPT_PRATAMA", is_head=True)
    staff = make_employee(unit, "PELAKSANA")

    ref = enqueue("kinerja.jobs.tasks.refresh_assessors", job_id="refresh-assessors")

    assert ref.result == 2
    db.session.rollback()  # only committed rows survive this
    links = {link.employee_id: link for link in db.session.scalars(select(AssessorLink))}
    assert set(links) == {head.id, staff.id}
    assert links[staff.id].assessor_id == head.id
    assert {link.on_date for link in links.values()} == {clock.today()}


def test_refresh_assessors_takes_an_iso_date(app, make_unit, make_employee):
    from kinerja.org.models import AssessorLink

    make_employee(make_unit("TASK-V", "ESELON_II"), "PELAKSANA")
    tomorrow = clock.today() + timedelta(days=1)
    enqueue("kinerja.jobs.tasks.refresh_assessors", tomorrow.isoformat())
    db.session.rollback()
    assert db.session.scalars(select(AssessorLink.on_date)).all() == [tomorrow]


def test_refresh_assessors_rejects_a_bad_date(app):
    with pytest.raises(ValueError):
        enqueue("kinerja.jobs.tasks.refresh_assessors", "03/03/2025")

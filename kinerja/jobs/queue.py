"""Enqueue background work on RQ, or run it in this process when Redis is not configured or down.

Callers commit their own changes before enqueueing: an in-process run shares the caller's
database session and may commit, a queued run sees only what is committed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus, get_current_job
from rq.utils import import_attribute

QUEUE_NAME = "kinerja"
# A job in one of these states will still run: enqueueing the same id again adds nothing.
PENDING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED, JobStatus.CREATED}

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobRef:
    """What ``enqueue`` did: ``queued`` on RQ (``status`` is RQ's word) or ran in-process."""

    id: str | None
    queued: bool
    status: str
    result: Any = None


def redis_connection(url: str | None = None) -> Redis | None:
    """Return the app's Redis client (one per URL), or None when REDIS_URL is not set."""
    url = url or current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("kinerja_redis", {})
    if url not in clients:
        # Short timeouts: a Redis that is down must not hang a web request.
        clients[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    return clients[url]


def enqueue(func: str | Callable, *args, job_id: str | None = None, **kwargs) -> JobRef:
    """Queue ``func(*args, **kwargs)`` on RQ once per ``job_id``, or run it here without Redis.

    ``func`` is a module-level function or its dotted path. With a ``job_id``, a job of that
    id still waiting or running is not queued again. When Redis is configured but cannot be
    reached the work runs in-process after a warning, so the application keeps working.
    An in-process run raises what the function raises.
    """
    connection = redis_connection()
    if connection is not None:
        try:
            return _enqueue_on_redis(connection, func, args, kwargs, job_id)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            log.warning("Redis down (%s): running %s in-process", exc, _name(func))
    return _run_in_process(func, args, kwargs, job_id)


def queue_if_available(func: str | Callable, *args, job_id: str | None = None, **kwargs) -> JobRef | None:
    """Queue ``func(*args, **kwargs)`` on RQ like ``enqueue``, but never run it here: None without Redis.

    For work a web request must not wait for (sending email): when Redis is not configured or
    down, a recurring run (cron) or a command does it later.
    """
    connection = redis_connection()
    if connection is None:
        return None
    try:
        return _enqueue_on_redis(connection, func, args, kwargs, job_id)
    except (RedisConnectionError, RedisTimeoutError) as exc:
        log.warning("Redis down (%s): %s left for its recurring run", exc, _name(func))
        return None


def _enqueue_on_redis(connection: Redis, func, args: tuple, kwargs: dict, job_id: str | None) -> JobRef:
    queue = Queue(QUEUE_NAME, connection=connection)
    if job_id is None:
        job = queue.enqueue(func, args=args, kwargs=kwargs)
        return JobRef(job.id, True, _word(job.get_status(refresh=False)))
    for _attempt in range(2):
        try:
            job = queue.enqueue(func, args=args, kwargs=kwargs, job_id=job_id, unique=True)
            return JobRef(job.id, True, _word(job.get_status(refresh=False)))
        except DuplicateJobError:
            try:
                existing = Job.fetch(job_id, connection=connection)
            except NoSuchJobError:
                continue  # it expired meanwhile: try again
            status = existing.get_status()
            if status in PENDING:
                return JobRef(existing.id, True, _word(status))
            # A finished or failed run of the same id: run it again.
            existing.delete()
    existing = Job.fetch(job_id, connection=connection)  # lost a race twice: the winner's job
    return JobRef(existing.id, True, _word(existing.get_status()))


def _run_in_process(func, args: tuple, kwargs: dict, job_id: str | None) -> JobRef:
    target = import_attribute(func) if isinstance(func, str) else func
    result = target(*args, **kwargs)
    return JobRef(job_id, False, JobStatus.FINISHED.value, result)


def _word(status) -> str:
    return status.value if isinstance(status, JobStatus) else str(status)


def _name(func) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def report_progress(done: int, total: int) -> None:
    """Record the running job's progress for a polling partial; nothing to do in-process."""
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"done": done, "total": total}
    job.save_meta()


def job_progress(job_id: str) -> dict | None:
    """Return ``{"status", "done", "total"}`` of a queued job, or None when unknown or no Redis."""
    connection = redis_connection()
    if connection is None:
        return None
    try:
        job = Job.fetch(job_id, connection=connection)
        status = job.get_status()
    except (NoSuchJobError, RedisConnectionError, RedisTimeoutError):
        return None
    progress = job.meta.get("progress") or {}
    return {"status": _word(status), "done": progress.get("done"), "total": progress.get("total")}

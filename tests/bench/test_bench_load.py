"""Sustained inline approvals under load (issue: Execution): gunicorn with 2 workers, wrk on
loopback, against a bare Flask route measured in the same run. Goal: approvals reach at least
30% of the bare route's throughput.

Every wrk request approves a different SUBMITTED visum of the busiest assessor's people through
the real inbox endpoint (session cookie, CSRF header, HX-Request), so each one is a real write
with its audit row and the re-rendered row with the out-of-band counter.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, insert, select, text

from kinerja import clock
from kinerja.auth import services as auth_services
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import AssessorLink, Employee
from tests.bench import load

PENDING = 6_000  # a busy assessor's backlog; wrk is stopped before it runs out (see SECONDS)
PASSWORD = "Beban-Uji-2026!"
SECONDS = 3


@pytest.fixture(scope="module")
def pending(bench_app):
    """The busiest assessor with a password, and a contiguous block of SUBMITTED visum ids of his people."""
    with bench_app.app_context():
        refresh_assessor_links()
        assessor_id = db.session.execute(
            select(AssessorLink.assessor_id).where(AssessorLink.assessor_id.is_not(None))
            .group_by(AssessorLink.assessor_id).order_by(func.count().desc()).limit(1)).scalar_one()
        members = list(db.session.scalars(select(AssessorLink.employee_id)
                                          .where(AssessorLink.assessor_id == assessor_id)))
        assessor = db.session.get(Employee, assessor_id)
        auth_services.set_password(None, assessor, PASSWORD)
        now, first_day = clock.stamp(), date.today() - timedelta(days=300)
        rows = [dict(employee_id=members[i % len(members)], day=first_day + timedelta(days=i % 280),
                     activity=f"Kegiatan uji beban {i}", status="SUBMITTED", channel="SIVIKA",
                     created_at=now, updated_at=now, locked=False, version=1) for i in range(PENDING)]
        ids = []
        for start in range(0, PENDING, 2000):
            ids += db.session.execute(insert(Visum).returning(Visum.id), rows[start:start + 2000]).scalars().all()
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum keeps them in production
            db.session.execute(text("ANALYZE visum"))
            db.session.commit()
        data = {"nip": assessor.nip, "first": min(ids), "last": max(ids), "url": str(db.engine.url.render_as_string(
            hide_password=False))}
    assert data["last"] - data["first"] + 1 == PENDING  # one contiguous block: wrk walks it by arithmetic
    yield data
    with bench_app.app_context():  # leave the base table "visum" as found (a reused PostgreSQL bench keeps it)
        db.session.execute(delete(Visum).where(Visum.id.between(data["first"], data["last"])))
        db.session.commit()


APPROVE_SCRIPT = """
local first, half = %(first)d, %(half)d
local threads = 0
function setup(thread)
  thread:set("start", first + threads * half)
  threads = threads + 1
end
function init(args)
  counter = 0
end
request = function()
  local id = start + counter
  counter = counter + 1
  return wrk.format("POST", "/execution/inbox/" .. id .. "/approve", {
    ["Cookie"] = "%(cookie)s", ["X-CSRFToken"] = "%(csrf)s", ["HX-Request"] = "true", ["User-Agent"] = "%(agent)s",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, "")
end
"""


@pytest.mark.xfail(strict=False, reason="goal not met on this stack: ~8% on SQLite, ~3% on PostgreSQL (a POST that "
                   "only passes CSRF and Flask-Login reaches ~25%); see docs/inbox.md")
def test_bench_inline_approvals_under_load(bench_app, pending, benchmark):
    env = {"DATABASE_URL": pending["url"], "SECRET_KEY": "bench-load", "REDIS_URL": ""}

    def run():
        with load.gunicorn("tests.bench.bare_app:app", env) as base:
            bare = load.wrk(f"{base}/", seconds=SECONDS)
        with load.gunicorn("app:app", env) as base:
            cookie, csrf = load.login(base, pending["nip"], PASSWORD)
            script = APPROVE_SCRIPT % {"first": pending["first"], "half": PENDING // 2, "cookie": cookie, "csrf": csrf,
                                      "agent": load.USER_AGENT}
            approvals = load.wrk(f"{base}/", script=script, seconds=SECONDS)
        return bare, approvals

    bare, approvals = benchmark.pedantic(run, rounds=1, iterations=1)
    with bench_app.app_context():
        approved = db.session.scalar(select(func.count()).select_from(Visum).where(
            Visum.id.between(pending["first"], pending["last"]), Visum.status == "APPROVED"))
    ratio = approvals["rps"] / bare["rps"]
    benchmark.extra_info.update(bare_rps=bare["rps"], approval_rps=approvals["rps"], ratio=round(ratio, 3),
                                approved=approved)
    print(f"\nbare Flask route: {bare['rps']:.0f} req/s; inline approvals: {approvals['rps']:.0f} req/s "
          f"({ratio:.0%}); {approved} visum approved")
    assert approvals["non_2xx"] == 0, approvals["output"]
    assert approved >= approvals["requests"] - 40  # wrk counts only completed requests; a few may be cut off
    assert ratio >= 0.30

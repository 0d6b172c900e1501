"""Sustained inline approvals under load (issue: Execution): gunicorn with 2 workers, wrk on
loopback, against a bare Flask route measured in the same run. Goal: approvals reach at least
30% of the bare route's throughput.

Several assessors approve at once, as in the agency on a Monday morning: ``ASSESSORS`` Pejabat
Penilai of about 30 people each (the inbox goal's size), each logged in with his own session and
with a backlog of ``PER_ASSESSOR`` SUBMITTED visum of his people. Every wrk request approves a
different visum through the real inbox endpoint (session cookie, CSRF header, HX-Request), taking
the assessors in turn, so each one is a real write with its audit row and the re-rendered row with
the out-of-band counter.
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

ASSESSORS = 20
PER_ASSESSOR = 300  # ten working days of 30 people; wrk is stopped long before a backlog runs out
TEAM = (20, 40)  # how many people an assessor of the benchmark assesses (about 30)
PASSWORD = "Beban-Uji-2026!"
SECONDS = 3


@pytest.fixture(scope="module")
def pending(bench_app):
    """``ASSESSORS`` assessors of about 30 people with a password, each with a contiguous block of SUBMITTED visum."""
    with bench_app.app_context():
        refresh_assessor_links()
        team = func.count().label("team")
        assessor_ids = list(db.session.scalars(
            select(AssessorLink.assessor_id).where(AssessorLink.assessor_id.is_not(None))
            .group_by(AssessorLink.assessor_id).having(team.between(*TEAM))
            .order_by(AssessorLink.assessor_id).limit(ASSESSORS)))
        assert len(assessor_ids) == ASSESSORS, "the bench organisation has too few assessors of about 30 people"
        now, first_day = clock.stamp(), date.today() - timedelta(days=300)
        blocks = []
        for assessor_id in assessor_ids:
            members = list(db.session.scalars(select(AssessorLink.employee_id)
                                              .where(AssessorLink.assessor_id == assessor_id)
                                              .order_by(AssessorLink.employee_id)))
            assessor = db.session.get(Employee, assessor_id)
            auth_services.set_password(None, assessor, PASSWORD)
            rows = [dict(employee_id=members[i % len(members)], day=first_day + timedelta(days=i // len(members)),
                         activity=f"Kegiatan uji beban {i}", status="SUBMITTED", channel="SIVIKA",
                         created_at=now, updated_at=now, locked=False, version=1) for i in range(PER_ASSESSOR)]
            ids = db.session.execute(insert(Visum).returning(Visum.id), rows).scalars().all()
            assert max(ids) - min(ids) + 1 == PER_ASSESSOR  # one contiguous block: wrk walks it by arithmetic
            blocks.append({"nip": assessor.nip, "first": min(ids)})
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum keeps them in production
            db.session.execute(text("ANALYZE visum"))
            db.session.commit()
        url = db.engine.url.render_as_string(hide_password=False)
    yield {"blocks": blocks, "url": url}
    with bench_app.app_context():  # leave the base table "visum" as found (a reused PostgreSQL bench keeps it)
        for block in blocks:
            db.session.execute(delete(Visum).where(Visum.id.between(block["first"], block["first"] + PER_ASSESSOR - 1)))
        db.session.commit()


APPROVE_SCRIPT = """
local sessions = {%(sessions)s}
local half = %(half)d
local threads = 0
function setup(thread)
  thread:set("offset", threads * half)
  threads = threads + 1
end
function init(args)
  counter = 0
end
request = function()
  local s = sessions[counter %% #sessions + 1]
  local id = s[1] + offset + math.floor(counter / #sessions)
  counter = counter + 1
  return wrk.format("POST", "/execution/inbox/" .. id .. "/approve", {
    ["Cookie"] = s[2], ["X-CSRFToken"] = s[3], ["HX-Request"] = "true", ["User-Agent"] = "%(agent)s",
    ["Content-Type"] = "application/x-www-form-urlencoded"}, "")
end
"""


FLOOR_SCRIPT = """
request = function()
  return wrk.format("POST", "/_floor", {["Cookie"] = "%(cookie)s", ["X-CSRFToken"] = "%(csrf)s",
    ["HX-Request"] = "true", ["User-Agent"] = "%(agent)s", ["Content-Type"] = "application/x-www-form-urlencoded"}, "")
end
"""


def _approved(blocks) -> int:
    return sum(db.session.scalar(select(func.count()).select_from(Visum).where(
        Visum.id.between(block["first"], block["first"] + PER_ASSESSOR - 1), Visum.status == "APPROVED"))
        for block in blocks)


@pytest.mark.xfail(strict=False, reason="blocked on this stack: ~11% on SQLite, ~4% on PostgreSQL, while the floor "
                   "(a logged-in POST that does nothing) reaches only ~26% and ~18%; see docs/inbox.md")
def test_bench_inline_approvals_under_load(bench_app, pending, benchmark):
    env = {"DATABASE_URL": pending["url"], "SECRET_KEY": "bench-load", "REDIS_URL": ""}

    def run():
        with load.gunicorn("tests.bench.bare_app:app", env) as base:
            bare = load.wrk(f"{base}/", seconds=SECONDS)
        with load.gunicorn("app:app", env) as base:
            sessions = []
            for block in pending["blocks"]:
                cookie, csrf = load.login(base, block["nip"], PASSWORD)
                sessions.append(f'{{{block["first"]}, "{cookie}", "{csrf}"}}')
            script = APPROVE_SCRIPT % {"sessions": ", ".join(sessions), "half": PER_ASSESSOR // 2,
                                      "agent": load.USER_AGENT}
            approvals = load.wrk(f"{base}/", script=script, seconds=SECONDS)
        with load.gunicorn("tests.bench.floor_app:app", env) as base:
            cookie, csrf = load.login(base, pending["blocks"][0]["nip"], PASSWORD)
            floor = load.wrk(f"{base}/", seconds=SECONDS, script=FLOOR_SCRIPT % {
                "cookie": cookie, "csrf": csrf, "agent": load.USER_AGENT})
        return bare, floor, approvals

    bare, floor, approvals = benchmark.pedantic(run, rounds=1, iterations=1)
    with bench_app.app_context():
        approved = _approved(pending["blocks"])
    ratio = approvals["rps"] / bare["rps"]
    benchmark.extra_info.update(bare_rps=bare["rps"], floor_rps=floor["rps"], approval_rps=approvals["rps"],
                                ratio=round(ratio, 3), floor_ratio=round(floor["rps"] / bare["rps"], 3),
                                approved=approved)
    print(f"\nbare Flask route: {bare['rps']:.0f} req/s; logged-in POST floor: {floor['rps']:.0f} req/s "
          f"({floor['rps'] / bare['rps']:.0%}); inline approvals: {approvals['rps']:.0f} req/s ({ratio:.0%}); "
          f"{approved} visum approved")
    assert approvals["non_2xx"] == 0 and floor["non_2xx"] == 0, approvals["output"] + floor["output"]
    assert approved >= approvals["requests"] - 40  # wrk counts only completed requests; a few may be cut off
    assert ratio >= 0.30

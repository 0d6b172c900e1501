"""Execution benchmarks (issue: Execution). Figures go in the closing note.

With 25,000 employees and 6 million visum (``tests/bench/visumdata.py``): the employee's week view
and the assessor inbox (about 30 people) < 50 ms server time; approving 100 selected visum
< 200 ms. Pages go through the test client, logged in, outside any pushed app context (each
request gets its own context and session, as on the server). Run with ``scripts/bench``.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from kinerja.auth import services as auth_services
from kinerja.execution import services
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import AssessorLink, Employee
from kinerja.rules import week as week_rules
from tests.bench import visumdata
from tests.bench.test_bench_planning_pages import _client
from tests.factories import make_user

TEAM = 30
SELECTED = 100


def _require_endpoint(app, endpoint: str) -> None:
    if endpoint not in {rule.endpoint for rule in app.url_map.iter_rules()}:
        pytest.skip(f"{endpoint} is not registered yet (its page is another helper's work)")


@pytest.fixture(scope="module")
def execution_data(bench_app, bench_visum):
    """An assessor of about 30 people, one of them with an account, and 100 of the team's submitted visum."""
    with bench_app.app_context():
        refresh_assessor_links()
        db.session.commit()
        size = func.count(AssessorLink.employee_id)
        assessor_id, team = db.session.execute(
            select(AssessorLink.assessor_id, size).where(AssessorLink.assessor_id.is_not(None))
            .group_by(AssessorLink.assessor_id).order_by(func.abs(size - TEAM), AssessorLink.assessor_id)
            .limit(1)).one()
        members = list(db.session.scalars(select(AssessorLink.employee_id).where(
            AssessorLink.assessor_id == assessor_id, AssessorLink.employee_id != assessor_id)
            .order_by(AssessorLink.employee_id)))
        pending = list(db.session.scalars(
            select(Visum.id).where(Visum.employee_id.in_(members), Visum.status == "SUBMITTED")
            .order_by(Visum.day, Visum.id).limit(SELECTED)))
        assert len(pending) == SELECTED, "the team has too few submitted visum"
        employee = db.session.get(Employee, members[0])
        assessor = db.session.get(Employee, assessor_id)
        users = {"employee": make_user(employee).id, "assessor": make_user(assessor).id}
        token = auth_services.create_token(None, employee)
        db.session.commit()
        data = {"assessor_id": assessor_id, "team": team, "employee_id": employee.id, "nip": employee.nip,
                "users": users, "token": token, "pending": pending,
                "team_pending": db.session.scalar(select(func.count(Visum.id)).where(
                    Visum.employee_id.in_(members), Visum.status == "SUBMITTED"))}
    yield data
    with bench_app.app_context():
        _reset(pending)


def _reset(ids) -> None:
    """Put the selected visum back to SUBMITTED (the state visumdata built them in)."""
    db.session.execute(update(Visum).where(Visum.id.in_(ids)).values(
        status="SUBMITTED", approved_at=None, approved_by_id=None, return_reason=None, version=1))
    db.session.commit()


def _weeks(bench_visum) -> dict[str, date]:
    last = date.fromisoformat(bench_visum["visum_last_day"])
    return {"current": week_rules.week_start(last), "older": week_rules.week_start(last) - timedelta(weeks=10)}


@pytest.mark.parametrize("which", ["current", "older"])
def test_bench_week_page(bench_app, bench_visum, execution_data, benchmark, which):
    """The employee's own week (``/execution/visum?week=``): the current one (open, submitted) and an older
    one (closed, approved), among 6 million visum."""
    _require_endpoint(bench_app, "execution.week")
    monday = _weeks(bench_visum)[which]
    client = _client(bench_app, execution_data["users"]["employee"])
    response = benchmark.pedantic(client.get, args=(f"/execution/visum?week={monday.isoformat()}",),
                                  rounds=30, iterations=1, warmup_rounds=1)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert any(activity in html for activity in visumdata.ACTIVITIES)


def test_bench_week_api(bench_app, bench_visum, execution_data, benchmark):
    """The same week through the JSON API (``GET /api/v1/visum?nip=&from=&to=``), with ``locked`` computed."""
    monday = _weeks(bench_visum)["older"]
    headers = {"Authorization": f"Bearer {execution_data['token']}"}
    url = f"/api/v1/visum?nip={execution_data['nip']}&from={monday}&to={monday + timedelta(days=6)}"
    client = bench_app.test_client()
    response = benchmark.pedantic(client.get, args=(url,), kwargs={"headers": headers}, rounds=30, iterations=1,
                                  warmup_rounds=1)
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert len(items) == 5 and all(item["locked"] and item["status"] != "SUBMITTED" for item in items)


def test_bench_inbox_page(bench_app, bench_visum, execution_data, benchmark):
    """The inbox of an assessor of about 30 people with two weeks of their visum waiting."""
    _require_endpoint(bench_app, "execution.inbox")
    client = _client(bench_app, execution_data["users"]["assessor"])
    response = benchmark.pedantic(client.get, args=("/execution/inbox",), rounds=30, iterations=1, warmup_rounds=1)
    assert response.status_code == 200
    assert str(execution_data["team_pending"]) in response.get_data(as_text=True)


def test_bench_approve_many(bench_ctx, bench_visum, execution_data, benchmark):
    """Approve 100 selected visum with ``services.approve_many`` and commit (fresh SUBMITTED rows each round)."""
    assessor = db.session.get(Employee, execution_data["assessor_id"])
    ids = execution_data["pending"]

    def approve():
        result = services.approve_many(assessor, ids)
        db.session.commit()
        return result

    result = benchmark.pedantic(approve, setup=lambda: _reset(ids), rounds=20, iterations=1)
    assert len(result.approved) == SELECTED and not result.not_allowed
    _reset(ids)

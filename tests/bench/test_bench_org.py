"""Foundation benchmarks (issue: Foundation). Figures go in the closing note.

Goals at 25,000 employees in ~2,000 units: every assessor in < 5 s (batch), one in < 5 ms,
employee list page with search < 50 ms, import of a 25,000-row employees.csv < 30 s.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.org.models import Employee, Unit
from tests.bench import orgdata


def test_bench_resolve_all(bench_ctx, benchmark):
    from kinerja.org.assessors import resolve_all

    result = benchmark.pedantic(resolve_all, args=(date.today(),), rounds=3, iterations=1)
    assert len(result) == bench_ctx.config["BENCH_COUNTS"]["employees"]
    assert sum(1 for r in result.values() if r.problem) == 0


def test_bench_refresh_assessor_links(bench_ctx, benchmark):
    from kinerja.org.assessors import refresh_assessor_links

    def refresh():
        count = refresh_assessor_links()
        db.session.commit()
        return count

    count = benchmark.pedantic(refresh, rounds=2, iterations=1)
    assert count == bench_ctx.config["BENCH_COUNTS"]["employees"]


@pytest.mark.parametrize("nip_index", [25_000, 12_345, 2])
def test_bench_resolve_one(bench_ctx, benchmark, nip_index):
    from kinerja.org.assessors import resolve_for

    employee = db.session.scalar(select(Employee).where(Employee.nip == f"1975010120000{nip_index:05d}"))
    result = benchmark(resolve_for, employee, date.today())
    assert result.problem is None


@pytest.fixture
def hr_client(bench_ctx):
    from tests.factories import login_as, make_user

    user = make_user(db.session.get(Employee, 1), "KEPEGAWAIAN")
    client = bench_ctx.test_client()
    login_as(client, user)
    return client


@pytest.mark.parametrize("query", ["", "?q=pegawai+uji+1234", "?q=197501012000012", "?q=uji&page=40"])
def test_bench_employee_list(hr_client, benchmark, query):
    headers = {"HX-Request": "true"}
    response = benchmark(hr_client.get, f"/org/employees{query}", headers=headers)
    assert response.status_code == 200


def test_bench_import_employees(tmp_path_factory, benchmark):
    """Import 25,000 new employees into an organisation that has its units (fresh DB each round)."""
    from kinerja import create_app
    from kinerja.org.imports import import_employees

    units = orgdata.unit_rows()
    content = orgdata.employees_csv(units, 25_000)

    def setup():
        url = "sqlite:///" + str(tmp_path_factory.mktemp("imp") / "import.sqlite3")
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b", "REDIS_URL": None})
        ctx = app.app_context()
        ctx.push()
        db.create_all()
        db.session.execute(db.insert(Unit), units)
        db.session.commit()
        return (content,), {"ctx": ctx}

    def run(data, ctx):
        try:
            result = import_employees(None, data)
            assert not result.errors, result.errors[:3]
            return db.session.scalar(select(func.count()).select_from(Employee))
        finally:
            db.session.remove()
            ctx.pop()

    count = benchmark.pedantic(run, setup=setup, rounds=1, iterations=1)
    assert count == 25_000

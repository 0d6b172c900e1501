"""seed-demo on a database that is not empty, and the scheduled jobs it runs so a newcomer's pages agree.

- A database holding other data (employees or units the demo does not define) is refused with one
  Indonesian line and a non-zero exit, unless ``--yes``/``--force``; then it first says what it adds.
- After seed-demo the weekly close has recorded last week (HR's compliance page shows it) and the
  6 February synchronisation of the demo year has run: the planning dashboard, HR's blocked list and
  the home page say the same thing about it.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from kinerja import demo
from kinerja.auth import services as auth_services
from kinerja.execution.models import SkpSync, WeekLock
from kinerja.extensions import db
from kinerja.org.models import Employee, Unit
from tests.factories import login_as
from tests.test_demo_planning import _cheap_password_hash  # noqa: F401  (autouse)

# Wednesday 18 November 2026 10:00 WIB: the week of 9 November has closed in every zone.
NOW = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)
# Monday 26 January 2026: before the synchronisation day.
JANUARY = datetime(2026, 1, 26, 3, 0, tzinfo=UTC)


def employees() -> int:
    return db.session.scalar(select(func.count(Employee.id)))


@pytest.fixture
def foreign(make_unit, make_employee):
    """Someone else's unit and employee, as after an import of real data."""
    unit = make_unit("BPS-X", "ESELON_II")
    make_employee(unit, "PELAKSANA", name="Pegawai Lain")
    db.session.commit()


# --- refusing a database with other data -------------------------------------------------------------

def test_seed_demo_refuses_a_database_with_other_data(runner, foreign):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Galat: Basis data sudah berisi data di luar demo (1 pegawai dan 1 unit kerja)")
    assert "--yes" in lines[0]
    assert employees() == 1 and db.session.scalar(select(func.count(Unit.id))) == 1  # nothing written


@pytest.mark.parametrize("flag", ["--yes", "--force"])
def test_seed_demo_with_yes_says_what_it_adds_then_adds_it(runner, foreign, flag):
    result = runner.invoke(args=["seed-demo", flag])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("Basis data sudah berisi 1 pegawai dan 1 unit kerja di luar demo; seed-demo menambahkan")
    assert f"{len(demo.PEOPLE)} pegawai demo" in first and demo.DEMO_PASSWORD in first
    assert employees() == 1 + len(demo.PEOPLE)
    assert "tidak dijalankan oleh seed-demo" in result.output  # the schedule runs the jobs on real data
    assert db.session.scalar(select(func.count(SkpSync.id))) == 0


def test_seed_demo_proceeds_on_a_database_holding_only_the_demo(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "Galat" not in again.output and employees() == len(demo.PEOPLE)


def test_foreign_data_counts_only_what_the_demo_does_not_define(app, foreign):
    assert demo.foreign_data() == {"pegawai": 1, "unit kerja": 1}
    db.session.execute(Employee.__table__.delete())
    db.session.execute(Unit.__table__.delete())
    assert demo.foreign_data() == {}


# --- the pages agree after seed-demo -----------------------------------------------------------------

def _sync_sentence(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    assert match, element_id
    text = re.sub(r"<[^>]+>", "", match.group(1))
    return " ".join(text.split())


def test_after_seed_demo_the_pages_report_the_jobs_alike(runner, client):
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert "Penutupan mingguan otomatis" in result.output and "Sinkronisasi SKP ke visum 2026" in result.output
        assert db.session.scalar(select(func.max(WeekLock.week_start))).isoformat() == "2026-11-09"
        login_as(client, auth_services.user_for(demo.demo_employee("hr")))
        db.session.commit()

        compliance = client.get("/execution/hr/compliance").get_data(as_text=True)
        assert "Minggu Senin, 9 November 2026" in compliance and "Belum ada rekap" not in compliance
        assert "<td>" in compliance  # units listed

        dashboard = client.get("/planning/dashboard?year=2026").get_data(as_text=True)
        blocked = client.get("/execution/hr/blocked?year=2026").get_data(as_text=True)
        said = _sync_sentence(dashboard, "sync-countdown")
        assert said.startswith("Sinkronisasi SKP ke visum tahun 2026 sudah dijalankan pada")
        assert said == _sync_sentence(blocked, "sync-status")
        assert "belum dijalankan" not in dashboard and "belum dijalankan" not in blocked

        home = client.get("/").get_data(as_text=True)
        assert "belum direkap" not in home and "belum dijalankan" not in home
        assert '<a href="/execution/hr/blocked">Terkunci sinkronisasi SKP</a>' in home
        for page in (compliance, dashboard, blocked, home):
            assert "lock-week" not in page and "sync-skp" not in page


def test_before_the_sync_day_seed_demo_leaves_the_sync_to_its_day_and_the_pages_say_so(runner, client):
    with time_machine.travel(JANUARY, tick=False):
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        assert db.session.scalar(select(func.count(SkpSync.id))) == 0
        login_as(client, auth_services.user_for(demo.demo_employee("hr")))
        db.session.commit()
        dashboard = client.get("/planning/dashboard?year=2026").get_data(as_text=True)
        blocked = client.get("/execution/hr/blocked?year=2026").get_data(as_text=True)
        said = _sync_sentence(dashboard, "sync-countdown")
        assert said.startswith("Sinkronisasi SKP ke visum tahun 2026 belum dijalankan: berjalan otomatis pada "
                               "6 Februari 2026 (11 hari lagi)")
        assert said == _sync_sentence(blocked, "sync-status")

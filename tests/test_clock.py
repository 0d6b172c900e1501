"""kinerja.clock: the one home of "now", of a unit's or employee's zone, of "today" there and of the stamp."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine

from kinerja import clock
from kinerja.config import Defaults
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.models import Unit

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
# Sunday 1 March 2026 15:30 UTC: 22:30 WIB, 23:30 WITA, and already 00:30 on Monday 2 March WIT
LATE_EVENING_WIB = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)


def test_now_is_aware_utc_and_frozen_by_time_machine():
    with time_machine.travel(LATE_EVENING_WIB, tick=False):
        assert clock.now() == LATE_EVENING_WIB
        assert clock.now().utcoffset() == timedelta(0)


def test_stamp_is_naive_utc_of_now_or_of_a_given_moment():
    with time_machine.travel(LATE_EVENING_WIB, tick=False):
        assert clock.stamp() == datetime(2026, 3, 1, 15, 30)
        assert clock.stamp().tzinfo is None
    wit_midnight = datetime(2026, 3, 2, 0, 30, tzinfo=timezone(timedelta(hours=9)))
    assert clock.stamp(wit_midnight) == datetime(2026, 3, 1, 15, 30)
    assert clock.stamp(LATE_EVENING_WIB) == datetime(2026, 3, 1, 15, 30)


def test_default_zone_is_the_configured_one(app, monkeypatch):
    assert clock.default_zone() == app.config["DEFAULT_TIMEZONE"] == WIB
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", WITA)
    assert clock.default_zone() == WITA
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", None)
    assert clock.default_zone() == Defaults.DEFAULT_TIMEZONE


def test_default_zone_outside_an_application_is_the_defaults_one():
    assert clock.default_zone() == Defaults.DEFAULT_TIMEZONE == WIB


def test_zone_of_unit_is_inherited_from_its_parents(app, make_unit):
    papua = make_unit("PAPUA", "ESELON_II", region="PERWAKILAN", timezone=WIT)
    bidang = make_unit("PAPUA-KB", "ESELON_III", papua)
    jakarta = make_unit("PUSAT")
    assert (bidang.timezone, clock.zone_of_unit(bidang)) == (None, WIT)
    assert clock.zone_of_unit(papua) == WIT
    assert clock.zone_of_unit(jakarta) == WIB
    assert clock.zone_of_unit(None) == WIB


def test_a_unit_without_a_zone_follows_the_configured_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", WITA)
    root = org_services.save_unit(None, code="ROOT", name="Root", parent=None, level="BADAN")
    child = org_services.save_unit(None, code="ANAK", name="Anak", parent=root, level="ESELON_I")
    assert (root.effective_timezone, child.effective_timezone) == (WITA, WITA)
    bare = Unit(code="BARU", name="Baru", level="ESELON_II")  # inserted before any tree refresh
    db.session.add(bare)
    db.session.flush()
    assert bare.effective_timezone == WITA
    bare.effective_timezone = None
    assert clock.zone_of_unit(bare) == WITA


def test_zone_of_employee_is_his_units_zone(app, make_unit, make_employee):
    papua = make_unit("PAPUA", "ESELON_II", region="PERWAKILAN", timezone=WIT)
    bidang = make_unit("PAPUA-KB", "ESELON_III", papua)
    somebody = make_employee(bidang)
    assert clock.zone_of(somebody) == WIT
    assert clock.zone_of(make_employee(make_unit("PUSAT"))) == WIB
    assert clock.zone_of(None) == WIB


def test_just_after_midnight_in_wit_it_is_already_tomorrow(app, make_unit, make_employee):
    papua = make_unit("PAPUA", "ESELON_II", region="PERWAKILAN", timezone=WIT)
    makassar = make_unit("SULSEL", "ESELON_II", region="PERWAKILAN", timezone=WITA)
    in_papua = make_employee(make_unit("PAPUA-KB", "ESELON_III", papua))
    in_makassar = make_employee(makassar)
    in_jakarta = make_employee(make_unit("PUSAT"))
    with time_machine.travel(LATE_EVENING_WIB, tick=False):
        assert clock.today_for(in_papua) == date(2026, 3, 2)
        assert clock.today_for(in_makassar) == date(2026, 3, 1)
        assert clock.today_for(in_jakarta) == date(2026, 3, 1)
        assert clock.today_in(WIT) == date(2026, 3, 2)
        assert clock.today_in(WIB) == clock.today() == date(2026, 3, 1)
    with time_machine.travel(LATE_EVENING_WIB - timedelta(minutes=31), tick=False):  # 23:59 WIT
        assert clock.today_for(in_papua) == date(2026, 3, 1)


def test_today_without_a_zone_reads_the_configured_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", WIT)
    with time_machine.travel(LATE_EVENING_WIB, tick=False):
        assert clock.today() == date(2026, 3, 2)


def test_today_in_an_unknown_zone_is_refused():
    from kinerja.rules.planning import PlanningRuleError

    with pytest.raises(PlanningRuleError) as refused:
        clock.today_in("Asia/Atlantis")
    assert refused.value.code == "UNKNOWN_TIMEZONE"


def test_local_reads_a_stored_stamp_as_utc():
    moment = clock.local(datetime(2026, 3, 1, 15, 30), WIT)
    assert (moment.date(), moment.hour, moment.minute) == (date(2026, 3, 2), 0, 30)
    assert moment.utcoffset() == timedelta(hours=9)
    assert clock.local(LATE_EVENING_WIB, WIB).hour == 22

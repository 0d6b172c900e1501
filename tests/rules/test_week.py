"""The visum week and its lock (kinerja.rules.week) on concrete calendars and in every zone.

February 2026: Monday 2 to Sunday 8 is one week; it closes Sunday 8 February 23:59 local,
i.e. 16:59 UTC in WIB (+7), 15:59 UTC in WITA (+8), 14:59 UTC in WIT (+9).
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.planning import PlanningRuleError
from kinerja.rules.week import (
    VisumLocked,
    closes_at_label,
    closing_in,
    closing_in_label,
    date_label,
    ensure_visum_writable,
    is_visum_writable,
    is_week_closed,
    local_date,
    local_now,
    parse_now,
    timezone_label,
    visum_week_closes_at,
    week_closing_soon,
    week_days,
    week_end,
    week_start,
    weeks_closed_between,
    zone,
)

D = date.fromisoformat
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
AMS = "Europe/Amsterdam"
INDONESIA = [(WIB, 7), (WITA, 8), (WIT, 9)]


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def at_local(tz: str, text: str) -> datetime:
    """The instant it is ``text`` on the wall clock in ``tz``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


# --- the calendar -------------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["2026-02-02", "2026-02-04", "2026-02-07", "2026-02-08"])
def test_week_runs_monday_to_sunday(day):
    assert week_start(D(day)) == D("2026-02-02")
    assert week_end(D(day)) == D("2026-02-08")
    assert week_days(D(day)) == [D("2026-02-02") + timedelta(days=n) for n in range(7)]


def test_week_across_a_year_end():
    # Wednesday 31 December 2025 and Sunday 4 January 2026 share a week.
    assert week_start(D("2025-12-31")) == D("2025-12-29")
    assert week_end(D("2025-12-31")) == D("2026-01-04")
    assert week_start(D("2026-01-04")) == D("2025-12-29")
    assert week_start(D("2026-01-05")) == D("2026-01-05")


def test_monday_starts_a_new_week():
    assert week_start(D("2026-02-09")) == D("2026-02-09")
    assert week_end(D("2026-02-08")) + timedelta(days=1) == week_start(D("2026-02-09"))


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2200, 12, 24)), st.integers(0, 6))
def test_every_day_of_a_week_maps_to_that_week(day, offset):
    monday = week_start(day)
    member = monday + timedelta(days=offset)
    assert monday.weekday() == 0 and monday <= day <= monday + timedelta(days=6)
    assert week_start(member) == monday
    assert week_end(member) == monday + timedelta(days=6)
    assert week_end(member).weekday() == 6
    assert member in week_days(day)


# --- when a week closes -------------------------------------------------------------------------

@pytest.mark.parametrize(("tz", "offset"), INDONESIA)
@pytest.mark.parametrize("day", ["2026-02-02", "2026-02-05", "2026-02-08"])
def test_closes_sunday_2359_local(tz, offset, day):
    closes = visum_week_closes_at(D(day), tz)
    assert closes.tzinfo is not None
    assert closes.utcoffset() == timedelta(hours=offset)
    assert (closes.date(), closes.time()) == (D("2026-02-08"), time(23, 59))
    assert closes == utc("2026-02-08T23:59:00") - timedelta(hours=offset)


@pytest.mark.parametrize(("tz", "offset"), INDONESIA)
def test_boundary_in_each_indonesian_zone(tz, offset):
    sunday, monday = D("2026-02-08"), D("2026-02-09")
    just_before = at_local(tz, "2026-02-08T23:58:59").astimezone(UTC)
    on_the_minute = at_local(tz, "2026-02-08T23:59:00").astimezone(UTC)
    assert just_before == utc("2026-02-08T23:58:59") - timedelta(hours=offset)
    for day in week_days(sunday):
        assert is_visum_writable(day, just_before, tz)
        assert not is_visum_writable(day, on_the_minute, tz)
        assert not is_visum_writable(day, on_the_minute + timedelta(seconds=59), tz)
        assert not is_visum_writable(day, on_the_minute + timedelta(days=3), tz)
    # The next week (a Monday visum) is open at that minute and later.
    assert is_visum_writable(monday, on_the_minute, tz)
    assert is_visum_writable(monday, at_local(tz, "2026-02-15T23:58:59"), tz)
    assert not is_visum_writable(monday, at_local(tz, "2026-02-15T23:59:00"), tz)


def test_one_instant_three_zones():
    # 15:30 UTC is 22:30 WIB, 23:30 WITA and already Monday 00:30 WIT.
    now = utc("2026-02-08T15:30:00")
    assert is_visum_writable(D("2026-02-06"), now, WIB)
    assert is_visum_writable(D("2026-02-06"), now, WITA)
    assert not is_visum_writable(D("2026-02-06"), now, WIT)
    # 15:59 UTC: WITA closes on the minute; WIB has an hour left.
    now = utc("2026-02-08T15:59:00")
    assert not is_visum_writable(D("2026-02-06"), now, WITA)
    assert is_visum_writable(D("2026-02-06"), now, WIB)
    assert closing_in(D("2026-02-06"), now, WIB) == timedelta(hours=1)


def test_now_may_carry_any_offset():
    before = datetime(2026, 2, 8, 23, 58, 59, tzinfo=timezone(timedelta(hours=8)))  # a WITA wall clock
    assert is_visum_writable(D("2026-02-08"), before, WITA)
    assert not is_visum_writable(D("2026-02-08"), before + timedelta(seconds=1), WITA)
    assert not is_visum_writable(D("2026-02-08"), at_local(WIB, "2026-02-08T22:59:00"), WITA)  # 23:59 WITA


def test_past_weeks_are_closed_future_weeks_are_open():
    now = utc("2026-02-04T03:00:00")
    assert not is_visum_writable(D("2026-01-30"), now, WIB)
    assert not is_visum_writable(D("2025-06-01"), now, WIB)
    assert is_visum_writable(D("2026-02-04"), now, WIB)
    assert is_visum_writable(D("2026-12-31"), now, WIB)  # the lock only closes; the gate refuses the future


def test_weekend_visum_follow_the_same_week():
    now = at_local(WIT, "2026-02-08T20:00:00")
    assert is_visum_writable(D("2026-02-07"), now, WIT)  # Saturday
    assert is_visum_writable(D("2026-02-08"), now, WIT)  # Sunday
    assert not is_visum_writable(D("2026-02-01"), now, WIT)  # last Sunday: last week


def test_daylight_saving_zone_spring_forward():
    # Amsterdam moves to CEST on Sunday 29 March 2026 at 02:00: that week closes 23:59 CEST.
    closes = visum_week_closes_at(D("2026-03-23"), AMS)
    assert closes.utcoffset() == timedelta(hours=2)
    assert closes.astimezone(UTC) == utc("2026-03-29T21:59:00")
    previous = visum_week_closes_at(D("2026-03-16"), AMS)
    assert previous.astimezone(UTC) == utc("2026-03-22T22:59:00")
    assert closes.astimezone(UTC) - previous.astimezone(UTC) == timedelta(days=7, hours=-1)
    assert is_visum_writable(D("2026-03-29"), utc("2026-03-29T21:58:59"), AMS)
    assert not is_visum_writable(D("2026-03-29"), utc("2026-03-29T21:59:00"), AMS)


def test_daylight_saving_zone_fall_back():
    # Back to CET on Sunday 25 October 2026 at 03:00: that week is an hour longer.
    closes = visum_week_closes_at(D("2026-10-19"), AMS)
    assert closes.utcoffset() == timedelta(hours=1)
    assert closes.astimezone(UTC) == utc("2026-10-25T22:59:00")
    previous = visum_week_closes_at(D("2026-10-12"), AMS)
    assert closes.astimezone(UTC) - previous.astimezone(UTC) == timedelta(days=7, hours=1)
    assert is_visum_writable(D("2026-10-25"), utc("2026-10-25T22:58:59"), AMS)
    assert not is_visum_writable(D("2026-10-25"), utc("2026-10-25T22:59:00"), AMS)
    # 21:59 UTC would be 23:59 in summer time: still open in winter time.
    assert is_visum_writable(D("2026-10-25"), utc("2026-10-25T21:59:00"), AMS)


def test_naive_now_is_a_programming_error():
    with pytest.raises(TypeError):
        is_visum_writable(D("2026-02-08"), datetime(2026, 2, 8, 12), WIB)
    with pytest.raises(TypeError):
        closing_in(D("2026-02-08"), datetime(2026, 2, 8, 12), WIB)
    with pytest.raises(TypeError):
        weeks_closed_between(datetime(2026, 2, 1), utc("2026-02-09T00:00:00"), WIB)


@pytest.mark.parametrize("tz", ["Asia/Nowhere", "", "../etc/passwd", "WIB"])
def test_unknown_zone_is_refused(tz):
    with pytest.raises(PlanningRuleError) as caught:
        visum_week_closes_at(D("2026-02-08"), tz)
    assert caught.value.code == "UNKNOWN_TIMEZONE"
    assert caught.value.field == "timezone"
    assert caught.value.http_status == 400


def test_zone_returns_the_iana_zone():
    assert zone(WITA) == ZoneInfo("Asia/Makassar")


# --- the lock as an error, reopening ------------------------------------------------------------

def test_ensure_writable_raises_423_with_the_close_time():
    closed = at_local(WITA, "2026-02-08T23:59:00")
    ensure_visum_writable(D("2026-02-08"), closed - timedelta(seconds=1), WITA)  # no error
    with pytest.raises(VisumLocked) as caught:
        ensure_visum_writable(D("2026-02-08"), closed, WITA)
    error = caught.value
    assert isinstance(error, PlanningRuleError)
    assert (error.http_status, error.code, error.field) == (423, "WEEK_CLOSED", "date")
    assert "Minggu, 8 Februari 2026 pukul 23.59 WITA" in error.message


def test_hr_reopening_keeps_a_closed_week_writable_until_its_deadline():
    closed = at_local(WIB, "2026-02-10T09:00:00")
    deadline = at_local(WIB, "2026-02-11T23:59:00")
    assert is_week_closed(D("2026-02-05"), closed, WIB)
    assert is_visum_writable(D("2026-02-05"), closed, WIB, reopened_until=deadline)
    ensure_visum_writable(D("2026-02-05"), closed, WIB, reopened_until=deadline)
    assert not is_visum_writable(D("2026-02-05"), deadline, WIB, reopened_until=deadline)
    assert not is_visum_writable(D("2026-02-05"), closed, WIB, reopened_until=closed - timedelta(hours=1))
    with pytest.raises(VisumLocked):
        ensure_visum_writable(D("2026-02-05"), deadline, WIB, reopened_until=deadline)
    with pytest.raises(TypeError):
        is_visum_writable(D("2026-02-05"), closed, WIB, reopened_until=datetime(2026, 2, 11))


# --- time left ----------------------------------------------------------------------------------

def test_closing_in_counts_down_to_zero():
    day = D("2026-02-04")
    assert closing_in(day, at_local(WITA, "2026-02-07T23:59:00"), WITA) == timedelta(days=1)
    assert closing_in(day, at_local(WITA, "2026-02-08T20:29:00"), WITA) == timedelta(hours=3, minutes=30)
    assert closing_in(day, at_local(WITA, "2026-02-08T23:58:59"), WITA) == timedelta(seconds=1)
    assert closing_in(day, at_local(WITA, "2026-02-08T23:59:00"), WITA) == timedelta(0)
    assert closing_in(day, at_local(WITA, "2026-02-12T08:00:00"), WITA) == timedelta(0)


def test_week_closing_soon_is_the_last_24_hours():
    day = D("2026-02-04")
    assert not week_closing_soon(day, at_local(WIB, "2026-02-07T23:58:59"), WIB)
    assert week_closing_soon(day, at_local(WIB, "2026-02-07T23:59:00"), WIB)
    assert week_closing_soon(day, at_local(WIB, "2026-02-08T23:58:59"), WIB)
    assert not week_closing_soon(day, at_local(WIB, "2026-02-08T23:59:00"), WIB)
    assert week_closing_soon(day, at_local(WIB, "2026-02-06T00:00:00"), WIB, window=timedelta(days=3))


@pytest.mark.parametrize(("left", "label"), [
    (timedelta(days=2, hours=3, minutes=40), "2 hari 3 jam"),
    (timedelta(days=1), "1 hari"),
    (timedelta(hours=5, minutes=12, seconds=59), "5 jam 12 menit"),
    (timedelta(hours=5), "5 jam"),
    (timedelta(minutes=45), "45 menit"),
    (timedelta(seconds=59), "kurang dari 1 menit"),
    (timedelta(0), "sudah ditutup"),
    (timedelta(seconds=-5), "sudah ditutup"),
])
def test_closing_in_label(left, label):
    assert closing_in_label(left) == label


def test_labels():
    assert date_label(D("2026-02-06")) == "Jumat, 6 Februari 2026"
    assert closes_at_label(D("2026-02-04"), WIT) == "Minggu, 8 Februari 2026 pukul 23.59 WIT"
    assert closes_at_label(D("2026-02-04"), WIB).endswith("23.59 WIB")
    assert closes_at_label(D("2026-07-01"), AMS).endswith("23.59 CEST")
    assert closes_at_label(D("2026-01-07"), AMS).endswith("23.59 CET")
    assert timezone_label(WITA) == "WITA"
    assert timezone_label(AMS) == AMS


# --- catching up: weeks closed in an interval ---------------------------------------------------

def test_weeks_closed_between_after_downtime():
    # Last run Sunday 1 February 23:59:00 WIB (it locked the week of 26 January); back after 3 weeks.
    since = at_local(WIB, "2026-02-01T23:59:00")
    now = at_local(WIB, "2026-02-23T10:00:00")
    assert weeks_closed_between(since, now, WIB) == [D("2026-02-02"), D("2026-02-09"), D("2026-02-16")]


def test_weeks_closed_between_boundaries():
    closes = at_local(WITA, "2026-02-08T23:59:00")
    assert weeks_closed_between(closes - timedelta(seconds=1), closes, WITA) == [D("2026-02-02")]
    assert weeks_closed_between(closes, closes + timedelta(days=6), WITA) == []  # already returned
    assert weeks_closed_between(closes - timedelta(days=1), closes - timedelta(seconds=1), WITA) == []
    assert weeks_closed_between(closes, closes, WITA) == []
    assert weeks_closed_between(closes + timedelta(hours=1), closes, WITA) == []  # a clock stepping back


def test_weeks_closed_between_depends_on_the_zone():
    # From 15:00 to 16:00 UTC on 8 February only WITA (15:59) closes; WIT closed at 14:59, WIB at 16:59.
    since, now = utc("2026-02-08T15:00:00"), utc("2026-02-08T16:00:00")
    assert weeks_closed_between(since, now, WITA) == [D("2026-02-02")]
    assert weeks_closed_between(since, now, WIT) == []
    assert weeks_closed_between(since, now, WIB) == []


ZONES = st.sampled_from([WIB, WITA, WIT, AMS, "America/New_York", "Australia/Sydney", "UTC"])
INSTANTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31),
                        timezones=st.just(UTC))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), INSTANTS, ZONES)
def test_writable_iff_local_wall_clock_before_sunday_2359(day, now, tz):
    wall = now.astimezone(ZoneInfo(tz))
    sunday = week_end(day)
    expected = wall.date() < sunday or (wall.date() == sunday and wall.time().replace(tzinfo=None) < time(23, 59))
    assert is_visum_writable(day, now, tz) is expected
    assert is_visum_writable(day, now, tz) is (now < visum_week_closes_at(day, tz))
    assert (closing_in(day, now, tz) == timedelta(0)) is (not expected)


@given(INSTANTS, ZONES)
def test_the_running_week_is_open_or_in_its_last_minute_and_the_last_one_closed(now, tz):
    today = local_date(now, tz)
    previous_week = week_start(today) - timedelta(days=1)
    assert not is_visum_writable(previous_week, now, tz)
    in_last_minute = today.weekday() == 6 and local_now(now, tz).time() >= time(23, 59)
    assert is_visum_writable(today, now, tz) is not in_last_minute


@given(INSTANTS, st.integers(0, 60 * 24 * 60), st.integers(0, 60 * 24 * 60), ZONES)
def test_weeks_closed_between_is_exact_and_splits_cleanly(since, first_minutes, second_minutes, tz):
    middle = since + timedelta(minutes=first_minutes)
    now = middle + timedelta(minutes=second_minutes)
    weeks = weeks_closed_between(since, now, tz)
    # Oracle: every Monday from a week before ``since`` to a week after ``now``.
    monday = week_start(local_date(since, tz)) - timedelta(days=7)
    expected = []
    while monday <= local_date(now, tz) + timedelta(days=7):
        if since < visum_week_closes_at(monday, tz) <= now:
            expected.append(monday)
        monday += timedelta(days=7)
    assert weeks == expected
    assert weeks_closed_between(since, middle, tz) + weeks_closed_between(middle, now, tz) == weeks


# --- --now --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2026-02-08T16:59:00", utc("2026-02-08T16:59:00")),  # no offset: UTC
    ("2026-02-08T23:59:00+07:00", utc("2026-02-08T16:59:00")),
    ("2026-02-08T16:59:00Z", utc("2026-02-08T16:59:00")),
    ("2026-02-08T16:59:00.250+00:00", utc("2026-02-08T16:59:00.250")),
    ("  2026-02-08T16:59  ", utc("2026-02-08T16:59:00")),
    ("2026-02-08", utc("2026-02-08T00:00:00")),
])
def test_parse_now(text, expected):
    parsed = parse_now(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "besok", "2026-02-30T10:00:00", "2026-02-08 25:00", None, 20260208])
def test_parse_now_refuses_garbage(text):
    with pytest.raises(PlanningRuleError) as caught:
        parse_now(text)
    assert (caught.value.code, caught.value.field) == ("INVALID_DATETIME", "now")


def test_parse_now_drives_the_lock_like_the_clock():
    assert is_visum_writable(D("2026-02-08"), parse_now("2026-02-08T16:58:59"), WIB)
    assert not is_visum_writable(D("2026-02-08"), parse_now("2026-02-08T16:59:00"), WIB)
    assert not is_visum_writable(D("2026-02-08"), parse_now("2026-02-08T23:59:00+07:00"), WIB)


def test_local_date_is_the_employees_today():
    now = utc("2026-02-08T15:30:00")
    assert local_date(now, WIB) == D("2026-02-08")
    assert local_date(now, WIT) == D("2026-02-09")
    assert local_now(now, WITA).time() == time(23, 30)

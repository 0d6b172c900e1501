"""The visum week: Monday to Sunday, closing Sunday 23:59 in the unit's time zone.

INTERFACES.md "Week lock": a visum dated D can be written (created, edited, deleted) until
Sunday 23:59 of D's week in the time zone of the employee's unit; from 23:59:00 on it is
closed, whatever path asks and whether or not the ``lock-week`` job has run. So the rule is
a pure function of (D, now, zone) — plus, once ``lock-week`` has recorded the week, that record,
which keeps it closed even if the unit's zone changes later: nothing here reads the clock —
the services pass ``kinerja.clock.now()``, never a caller's value (``docs/week-lock.md``).

Times: every "now" is an *aware* datetime (any offset; compared as instants). A naive
datetime is a programming error (``TypeError``): it would silently mean the server's zone.
Zones are IANA names (``Asia/Jakarta`` WIB, ``Asia/Makassar`` WITA, ``Asia/Jayapura`` WIT);
an unknown name is refused with ``PlanningRuleError`` ``UNKNOWN_TIMEZONE``. Choices:
``docs/visum-rules.md`` §1.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kinerja.rules.planning import PlanningRuleError
from kinerja.rules.vocabulary import TIMEZONE_LABELS

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
CLOSING_TIME = time(23, 59)  # Sunday 23:59:00 local: closed from this instant on
CLOSING_SOON = timedelta(hours=24)  # the "week closes within 24 hours" reminder

DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")


class VisumLocked(PlanningRuleError):
    """The visum's week is closed (answer 423)."""

    http_status = 423


# --- zones and "now" ----------------------------------------------------------------------------


def zone(tz: str) -> ZoneInfo:
    """Return the IANA zone named ``tz``.

    :raise PlanningRuleError: ``UNKNOWN_TIMEZONE`` for a name the zone database does not know.
    """
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise PlanningRuleError(f"Zona waktu {tz!r} tidak dikenal.", "timezone", code="UNKNOWN_TIMEZONE") from None


def parse_now(text: str) -> datetime:
    """Read the CLI's ``--now ISO8601`` as an aware UTC datetime; without an offset it is UTC.

    Accepts what ``datetime.fromisoformat`` reads (``2026-02-08T23:59:00``, ``...+07:00``,
    ``...Z``, a bare date meaning its midnight UTC).

    :raise PlanningRuleError: ``INVALID_DATETIME`` (field ``now``) for anything else.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except (AttributeError, TypeError, ValueError):
        raise PlanningRuleError(f"Waktu {text!r} tidak dapat dibaca; gunakan ISO 8601, "
                                "mis. 2026-02-08T16:59:00Z.", "now", code="INVALID_DATETIME") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_now(now_utc: datetime, tz: str) -> datetime:
    """Return the instant ``now_utc`` as wall time in zone ``tz``."""
    return _aware(now_utc, "now_utc").astimezone(zone(tz))


def local_date(now_utc: datetime, tz: str) -> date:
    """Return the date it is in zone ``tz`` at the instant ``now_utc`` (the employee's "today")."""
    return local_now(now_utc, tz).date()


# --- the calendar -------------------------------------------------------------------------------


def week_start(day: date) -> date:
    """Return the Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_end(day: date) -> date:
    """Return the Sunday of ``day``'s week."""
    return week_start(day) + timedelta(days=6)


def week_days(day: date) -> list[date]:
    """Return the seven days, Monday to Sunday, of ``day``'s week."""
    monday = week_start(day)
    return [monday + timedelta(days=offset) for offset in range(7)]


def visum_week_closes_at(day: date, tz: str) -> datetime:
    """Return the instant ``day``'s week closes: Sunday 23:59:00 of that week, aware in zone ``tz``.

    In a zone with daylight saving time the offset is the one in force on that Sunday evening.
    """
    return datetime.combine(week_end(day), CLOSING_TIME, tzinfo=zone(tz))


def is_week_closed(day: date, now_utc: datetime, tz: str) -> bool:
    """Tell whether ``day``'s week has closed at ``now_utc`` (from Sunday 23:59:00 local on)."""
    return _aware(now_utc, "now_utc") >= _utc(visum_week_closes_at(day, tz))


def is_visum_writable(day: date, now_utc: datetime, tz: str, *, reopened_until: datetime | None = None,
                      recorded_closed: bool = False) -> bool:
    """Tell whether a visum dated ``day`` may be created, edited or deleted at ``now_utc``.

    The week is closed from its close in zone ``tz`` on, and also whenever ``recorded_closed``
    (``lock-week`` recorded it: it stays closed whatever the unit's zone says since). A closed
    week is writable only before ``reopened_until``, when HR has reopened this employee's week
    (the service decides that deadline and audits it).
    """
    if not recorded_closed and not is_week_closed(day, now_utc, tz):
        return True
    return reopened_until is not None and _aware(now_utc, "now_utc") < _aware(reopened_until, "reopened_until")


def ensure_visum_writable(day: date, now_utc: datetime, tz: str, *, reopened_until: datetime | None = None,
                          recorded_closed: bool = False) -> None:
    """Refuse a write to a visum whose week is closed; every path (page, API, CLI) calls this.

    :raise VisumLocked: ``WEEK_CLOSED`` (answer 423).
    """
    if is_visum_writable(day, now_utc, tz, reopened_until=reopened_until, recorded_closed=recorded_closed):
        return
    if is_week_closed(day, now_utc, tz):
        when = f"pada {closes_at_label(day, tz)}"
    else:  # recorded by lock-week, and the unit's zone has changed since: the record stands
        when = "dan sudah dikunci"
    raise VisumLocked(f"Visum minggu ini sudah ditutup {when}; visum tidak dapat ditambah, diubah atau dihapus.",
                      "date", code="WEEK_CLOSED")


def closing_in(day: date, now_utc: datetime, tz: str) -> timedelta:
    """Return the time left until ``day``'s week closes; ``timedelta(0)`` once it has closed.

    So ``closing_in(...) == timedelta(0)`` exactly when ``is_week_closed(...)``.
    """
    left = _utc(visum_week_closes_at(day, tz)) - _aware(now_utc, "now_utc")
    return max(left, timedelta(0))


def week_closing_soon(day: date, now_utc: datetime, tz: str, window: timedelta = CLOSING_SOON) -> bool:
    """Tell whether ``day``'s week is still open and closes within ``window`` (24 hours by default)."""
    left = closing_in(day, now_utc, tz)
    return timedelta(0) < left <= window


def weeks_closed_between(since_utc: datetime, now_utc: datetime, tz: str) -> list[date]:
    """Return the Mondays of the weeks whose close falls in ``(since_utc, now_utc]``, oldest first.

    For the idempotent ``lock-week`` job: run after run, passing the previous run's ``now`` as
    ``since``, every week is returned exactly once, also after downtime (it catches up). A week
    closing exactly at ``now_utc`` is included (it is closed from 23:59:00 on). An empty or
    reversed interval (a clock stepping back) returns ``[]``. One zone per call: the job calls
    it once per zone in use.
    """
    since, now = _aware(since_utc, "since_utc"), _aware(now_utc, "now_utc")
    weeks: list[date] = []
    if now <= since:
        return weeks
    monday = week_start(local_date(since, tz))
    while True:
        closes = _utc(visum_week_closes_at(monday, tz))
        if closes > now:
            return weeks
        if closes > since:
            weeks.append(monday)
        monday += ONE_WEEK


# --- words for pages ----------------------------------------------------------------------------


def timezone_label(tz: str, at: datetime | None = None) -> str:
    """Return WIB / WITA / WIT for the Indonesian zones, else the zone's abbreviation at ``at`` (or its name)."""
    if tz in TIMEZONE_LABELS:
        return TIMEZONE_LABELS[tz]
    if at is None:
        zone(tz)
        return tz
    return _aware(at, "at").astimezone(zone(tz)).tzname() or tz


def date_label(day: date) -> str:
    """Write a date the Indonesian way: ``Minggu, 8 Februari 2026``."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def closes_at_label(day: date, tz: str) -> str:
    """Write when ``day``'s week closes: ``Minggu, 8 Februari 2026 pukul 23.59 WITA``."""
    closes = visum_week_closes_at(day, tz)
    return f"{date_label(closes.date())} pukul {closes:%H.%M} {timezone_label(tz, closes)}"


def closing_in_label(left: timedelta) -> str:
    """Write the time left before a close: ``2 hari 3 jam``, ``5 jam 12 menit``, ``kurang dari 1 menit``.

    Rounded down: days and hours when a day or more is left, else hours and minutes;
    ``timedelta(0)`` (or less) is ``sudah ditutup``.
    """
    if left <= timedelta(0):
        return "sudah ditutup"
    minutes = int(left.total_seconds() // 60)
    if minutes == 0:
        return "kurang dari 1 menit"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [(days, "hari"), (hours, "jam")] if days else [(hours, "jam"), (minutes, "menit")]
    return " ".join(f"{count} {word}" for count, word in units if count)


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise TypeError(f"{name} must be an aware datetime (got {moment!r})")
    return moment


def _utc(moment: datetime) -> datetime:
    # Compare instants in UTC: aware datetimes sharing one tzinfo compare by wall time, which is
    # wrong around a daylight-saving fall-back.
    return moment.astimezone(UTC)

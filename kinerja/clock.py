"""The one source of "now", of the zone a day is read in and of the stored timestamp.

Tests freeze "now" with time-machine. Zones are IANA names: a unit's own ``timezone`` is
inherited down the tree into ``Unit.effective_timezone`` (``org.services.refresh_unit_tree``);
a unit without one, and everything not tied to a unit, reads the day in the configured
``DEFAULT_TIMEZONE`` (``kinerja/config.py``). The scheduled jobs run on the WIB calendar
(``JOBS_ZONE``, ``kinerja/jobs/cron.py``) whatever that setting says.
"""

from datetime import UTC, date, datetime

from flask import current_app, has_app_context

from kinerja.config import Defaults
from kinerja.rules import week as week_rules
from kinerja.rules.vocabulary import WIB

JOBS_ZONE = WIB  # rq cron reads its fields in WIB; the jobs' "today" is the WIB day


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def default_zone() -> str:
    """Return the configured ``DEFAULT_TIMEZONE`` (the defaults' value outside an application)."""
    configured = current_app.config.get("DEFAULT_TIMEZONE") if has_app_context() else None
    return configured or Defaults.DEFAULT_TIMEZONE


def zone_of_unit(unit) -> str:
    """Return the IANA zone of ``unit`` (inherited from its parents); the default zone without one."""
    return (unit.effective_timezone if unit is not None else None) or default_zone()


def zone_of(employee) -> str:
    """Return the IANA zone of the employee's unit; the default zone without a unit."""
    return zone_of_unit(employee.unit if employee is not None else None)


def today_in(zone: str) -> date:
    """Return today's date in the IANA zone ``zone``."""
    return week_rules.local_date(now(), zone)


def today(zone: str | None = None) -> date:
    """Return today's date in ``zone``, by default in the default zone."""
    return today_in(zone or default_zone())


def today_for(employee) -> date:
    """Return today's date in the zone of the employee's unit."""
    return today_in(zone_of(employee))


def local(moment: datetime, zone: str) -> datetime:
    """Return ``moment`` as wall time in ``zone``; a naive ``moment`` is a stored UTC stamp."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return week_rules.local_now(moment, zone)


def stamp(moment: datetime | None = None) -> datetime:
    """Return ``moment`` (aware; by default now) as a naive UTC datetime: what timestamp columns store."""
    return (moment if moment is not None else now()).astimezone(UTC).replace(tzinfo=None)

"""The one source of "now": tests freeze it with time-machine."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today(tz: str = "Asia/Jakarta") -> date:
    """Return today's date in the given IANA time zone."""
    return now().astimezone(ZoneInfo(tz)).date()


def stamp() -> datetime:
    """Return now as a naive UTC datetime: the form every timestamp column stores."""
    return now().replace(tzinfo=None)

"""Write and read audit rows."""

from datetime import date, datetime

from sqlalchemy import insert, select

from kinerja import clock
from kinerja.audit.models import AuditEntry
from kinerja.extensions import db


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """Return the named attributes of an object as JSON-safe values."""
    return {field: _plain(getattr(obj, field)) for field in fields}


def record(actor, action: str, object_type: str, object_id, before: dict | None = None,
           after: dict | None = None, reason: str | None = None) -> AuditEntry:
    """Add an audit row to the session (committed with the change it describes).

    :param actor: the acting ``Employee``, or ``None`` for the CLI and jobs
    """
    entry = AuditEntry(**_fields(actor, action, object_type, object_id, before, after, reason))
    db.session.add(entry)
    return entry


def insert_record(actor, action: str, object_type: str, object_id, before: dict | None = None,
                  after: dict | None = None, reason: str | None = None) -> None:
    """Write the same audit row as ``record`` with one INSERT now, without an ORM object (hot paths).

    A Core INSERT on the table: the ORM's bulk-insert path costs more than the statement itself.
    """
    db.session.execute(_INSERT, _fields(actor, action, object_type, object_id, before, after, reason))


_INSERT = insert(AuditEntry.__table__)


def _fields(actor, action, object_type, object_id, before, after, reason) -> dict:
    return {
        "at": clock.stamp(),
        "actor_id": actor.id if actor is not None else None,
        "actor_label": actor.name if actor is not None else "sistem",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": _plain(before) if before is not None else None,
        "after": _plain(after) if after is not None else None,
        "reason": reason,
    }


def history(object_type: str, object_id, limit: int = 100) -> list[AuditEntry]:
    """Return the newest audit rows of one object, or of several (e.g. every version of a PK)."""
    ids = [str(i) for i in object_id] if isinstance(object_id, (list, tuple, set)) else [str(object_id)]
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id.in_(ids))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))

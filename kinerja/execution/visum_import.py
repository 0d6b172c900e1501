"""Back-dated import of visum: the one explicit, audited way to write a visum as filed in the past.

The employee's own services (``services.file_visum`` and the rest) take no "now": they check the
week lock at ``clock.now()`` and stamp ``clock.now()``. Some callers must write history (the demo
files last week's visum as if each was filed on its day). They use ``import_past_visum``, which
says so: a required reason, the system as actor, an audit row ``visum.import_past`` carrying the
claimed filing time, and a refusal when ``lock-week`` has already recorded the week unless the
caller states ``into_locked_week=True``. Choices: ``docs/week-lock.md`` ("Back-dated import").
"""

from datetime import datetime

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.execution import services
from kinerja.execution.evidence import MAX_EVIDENCE_PER_VISUM, _check_link
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError, required_text

PREFIX = "Impor visum mundur: "  # the audit row's reason starts so
MAX_REASON = services.MAX_REASON - len(PREFIX)


def import_past_visum(employee: Employee, *, day, activity: str, filed_at: datetime, reason: str,
                      iki_id: int | None = None, output_quantity=None, output_unit: str | None = None,
                      links=(), client_token: str | None = None, into_locked_week: bool = False) -> Visum:
    """Write a SUBMITTED visum as filed at ``filed_at`` (past), with link evidence; audited as a back-dated import.

    The February gate and the fields are checked as for ``file_visum`` (the gate at ``clock.now()``);
    the week's calendar close is not (that is the point), but a week ``lock-week`` has recorded
    (``week_lock``, ``Visum.locked``) is refused unless ``into_locked_week`` (the visum is then
    stored locked). The same ``client_token`` again returns the first visum. No commit.

    :raise VisumLocked: ``WEEK_RECORDED`` (423): the week is recorded locked
    :raise PlanningRuleError: ``REASON_REQUIRED``, ``INVALID_FILED_AT`` (not aware, in the future, or
        before the visum's day), bad fields, ``INVALID_URL``, ``TOO_MANY_EVIDENCE``; :raise NotAllowed: the gate
    """
    text = required_text(reason, "reason", "Alasan impor", MAX_REASON, "Alasan impor visum mundur wajib diisi.",
                         "REASON_REQUIRED")
    token = services._token(client_token)
    existing = services._by_token(employee, token)
    if existing is not None:
        return existing
    day, iki = services._day(day), services._iki_id(iki_id)
    now, tz = clock.now(), clock.zone_of(employee)
    if (not isinstance(filed_at, datetime) or filed_at.tzinfo is None or filed_at.utcoffset() is None
            or filed_at > now or week_rules.local_date(filed_at, tz) < day):
        raise PlanningRuleError("Waktu pengisian visum impor harus waktu lampau, pada atau setelah tanggal visum.",
                                "filed_at", code="INVALID_FILED_AT")
    monday = week_rules.week_start(day)
    recorded = services.week_states(employee, [monday], now, tz)[monday].recorded_closed
    if recorded and not into_locked_week:
        raise week_rules.VisumLocked("Minggu visum ini sudah dikunci oleh lock-week; impor visum mundur ke minggu "
                                     "yang terkunci harus dinyatakan tegas.", "date", code="WEEK_RECORDED")
    urls = [_check_link(url) for url in links]
    if len(urls) > MAX_EVIDENCE_PER_VISUM:
        raise PlanningRuleError(f"Satu visum paling banyak {MAX_EVIDENCE_PER_VISUM} bukti dukung.", "links",
                                code="TOO_MANY_EVIDENCE")
    visum = services.new_visum(employee, day=day, iki=iki, activity=activity, output_quantity=output_quantity,
                               output_unit=output_unit, token=token, filed_at=filed_at, locked=recorded)
    stamp = clock.stamp(filed_at)
    for url in urls:
        db.session.add(Evidence(visum_id=visum.id, kind="LINK", url=url, created_at=stamp))
    db.session.flush()
    after = {**snapshot(visum, services.VISUM_FIELDS), "backdated": True, "filed_at": stamp,
             "into_locked_week": recorded, "links": urls}
    record(None, "visum.import_past", "visum", visum.id, None, after, PREFIX + text)
    return visum


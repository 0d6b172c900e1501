"""Copy yesterday: file the previous day's visum again on a chosen day, each through ``file_visum``."""

from datetime import date

from kinerja.execution.models import Visum
from kinerja.execution.services import _require_owner, ensure_writable, file_visum
from kinerja.execution.visum_queries import last_filed_day, visum_of_day
from kinerja.org.models import Employee
from kinerja.rules.planning import PlanningRuleError


def copy_previous_day(actor: Employee | None, employee: Employee, day: date, *,
                      client_token: str | None = None) -> list[Visum]:
    """File each visum of the previous (or last filed) day again on ``day`` as a new SUBMITTED visum.

    Activity, IKI and output are copied; evidence is not (it proves one day's work). Each copy goes
    through ``file_visum`` (lock, gate, fields); with ``client_token`` the n-th copy carries
    ``<token>-<n>``, so a double click files nothing twice. All or nothing: the caller commits.

    :raise NotAllowed: not the employee, the gate; :raise VisumLocked: week closed;
    :raise PlanningRuleError: ``NOTHING_TO_COPY``, ``DATE_IN_FUTURE``, bad fields
    """
    _require_owner(actor, employee.id)
    ensure_writable(employee, day)  # a closed week is closed before anything else is said
    source = last_filed_day(employee, day)  # the day before when filed
    if source is None:
        raise PlanningRuleError("Belum ada visum sebelumnya yang dapat disalin.", "date", code="NOTHING_TO_COPY")
    token = (client_token or "").strip()[:40] or None
    copies = []
    for number, original in enumerate(visum_of_day(employee, source)):
        copies.append(file_visum(actor, employee, day=day, activity=original.activity, iki_id=original.iki_id,
                                 output_quantity=original.output_quantity, output_unit=original.output_unit,
                                 output_text=original.output_text,
                                 client_token=f"{token}-{number}" if token else None))
    return copies

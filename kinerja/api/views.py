"""API routes (INTERFACES.md, "JSON API"): load → check access → validate → call a service → JSON."""

from datetime import date

from flask import jsonify

from kinerja import clock
from kinerja.api import bp
from kinerja.api.auth import token_required
from kinerja.api.validation import query_args
from kinerja.auth.access import get_employee_or_404
from kinerja.org.models import Employee
from kinerja.org.relations import resolve


def person_json(employee: Employee | None, acting: str | None = None) -> dict | None:
    """Return the API's short form of a person: NIP and name (and PLT/PLH when acting)."""
    if employee is None:
        return None
    answer = {"nip": employee.nip, "name": employee.name}
    if acting:
        answer["acting"] = acting
    return answer


@bp.get("/employees/<nip>/assessor")
@token_required
def employee_assessor(nip: str):
    """Answer who assesses an employee on a date (default: today in the employee's time zone)."""
    employee = get_employee_or_404(nip, check_access=False)  # any token may ask (INTERFACES.md)
    on = query_args(optional={"date": date})["date"] or clock.today(employee.unit.effective_timezone)
    resolved = resolve(employee, on)
    answer = {
        "nip": employee.nip,
        "date": on.isoformat(),
        "assessor": person_json(resolved.assessor, resolved.assessor_acting),
        "assessor_superior": person_json(resolved.assessor_superior, resolved.assessor_superior_acting),
        "rule": resolved.rule,
    }
    if resolved.problem:
        answer["problem"] = resolved.problem
    return jsonify(answer)

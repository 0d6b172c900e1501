"""Visum routes of the JSON API (INTERFACES.md): file one's own visum, list someone's visum of a
date range, and approve / return one as his assessor. ``kinerja.execution.services`` decides
everything (who, the week lock, the February gate, the fields); this module only reads the
API's shapes and answers. Choices: ``docs/visum-api.md``.
"""

import re
from datetime import date, timedelta

from flask import abort, g, jsonify
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kinerja import clock
from kinerja.api import bp
from kinerja.api.auth import token_required
from kinerja.api.idempotency import commit_and_answer, idempotent
from kinerja.api.validation import ID, json_body, query_args, reason_from_body, reject
from kinerja.auth.access import get_employee_or_404
from kinerja.errors import json_error
from kinerja.execution import services
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError

MAX_RANGE_DAYS = 366
# the services' field names -> the API's
_FIELD_NAMES = {"day": "date", "output_quantity": "output", "output_unit": "output", "output_text": "output"}
# a leading quantity: a number alone, or a number, a space and the unit ("4", "3 dokumen", "2,5 jam")
_LEADING_QUANTITY = re.compile(r"^\s*(\d+(?:[.,]\d+)?)(?:\s+(.*?))?\s*$", re.DOTALL)


# --- the API's shapes ----------------------------------------------------------------------------

class Output:
    """A visum's output as the API reads it: the free text as given (None for a number or an object),
    and the quantity (None when none) and unit (None: the IKI's) read from it."""

    def __init__(self, quantity, unit: str | None, text: str | None = None):
        self.quantity, self.unit, self.text = quantity, unit, text


def parse_output(value) -> Output:
    """Read ``output``: free text (``"Draf laporan bab I"``, ``"3 dokumen"``), a number, or ``{"quantity", "unit"?}``.

    Text is kept as given; a leading quantity whose unit fits the unit column (``"3 dokumen"``) is
    also read into quantity and unit, otherwise the quantity stays None.

    :raise ValueError: anything else (the validation layer turns it into a 400 on ``output``).
    """
    if isinstance(value, bool):
        raise ValueError("harus berupa teks, angka, atau objek {quantity, unit}")
    if isinstance(value, int | float):
        return Output(value, None)
    if isinstance(value, str):
        match = _LEADING_QUANTITY.match(value)
        if match is None or len(match.group(2) or "") > services.MAX_UNIT:
            return Output(None, None, value)
        return Output(match.group(1).replace(",", "."), match.group(2) or None, value)
    if isinstance(value, dict):
        quantity, unit = value.get("quantity"), value.get("unit")
        if quantity is None or isinstance(quantity, bool) or not isinstance(quantity, int | float | str):
            raise ValueError("output.quantity wajib berupa angka")
        if unit is not None and not isinstance(unit, str):
            raise ValueError("output.unit harus berupa teks")
        return Output(quantity, unit)
    raise ValueError("harus berupa teks, angka, atau objek {quantity, unit}")


def format_output(quantity: float | None, unit: str | None) -> str | None:
    """Write a stored output as the API answers it: ``"3 dokumen"``, ``"2.5 jam"``, ``"4"``, or None."""
    if quantity is None:
        return None
    quantity = float(quantity)
    number = str(int(quantity)) if quantity.is_integer() and abs(quantity) < 1e15 else repr(quantity)
    return f"{number} {unit}" if unit else number


def visum_json(visum: Visum, locked: bool) -> dict:
    """Return the API's form of a visum (INTERFACES.md, plus a few extra keys)."""
    return {
        "id": visum.id,
        "date": visum.day.isoformat(),
        "iki_id": visum.iki_id,
        "activity": visum.activity,
        "output": visum.output_text if visum.output_text is not None else format_output(visum.output_quantity,
                                                                                        visum.output_unit),
        "status": visum.status,
        "locked": locked,
        # extensions
        "nip": visum.employee.nip,
        "output_quantity": visum.output_quantity,
        "output_unit": visum.output_unit,
        "channel": visum.channel,
        "return_reason": visum.return_reason,
    }


# --- the week lock as the API shows it -----------------------------------------------------------

def locked_days(employee: Employee, days) -> dict[date, bool]:
    """Tell for each day whether a visum dated so is closed to writes now (``services.writable_days``)."""
    return {day: not writable for day, writable in services.writable_days(employee, days).items()}


def _locked(visum: Visum) -> bool:
    return not services.is_writable(visum.employee, visum.day)


# --- answers ---------------------------------------------------------------------------------------

def _refused(error: PlanningRuleError):
    """Roll back and answer a service's refusal: 403, 409, 423, or 400 naming the fields."""
    db.session.rollback()
    details = {}
    for problem in error.problems:
        name = _FIELD_NAMES.get(problem.field, problem.field) if problem.field else "body"
        details.setdefault(name, problem.message)
    return json_error(error.http_status, error.message, details if error.http_status == 400 else {
        "code": error.code, "field": _FIELD_NAMES.get(error.field, error.field)})


def _visum_or_404(visum_id: int) -> Visum:
    visum = db.session.get(Visum, visum_id)
    if visum is None:
        abort(404, description="Visum tidak ditemukan.")
    return visum


def _actor() -> Employee:
    return g.api_user.employee


def _by_token(employee: Employee, token: str) -> Visum | None:
    return db.session.scalar(select(Visum).where(Visum.employee_id == employee.id, Visum.client_token == token))


# --- routes ----------------------------------------------------------------------------------------

@bp.post("/visum")
@token_required
@idempotent
def create_visum():
    """File a visum for oneself (201); the same ``client_token`` again answers the first visum (200).

    ``output`` is free text, stored and answered as given. An ``Idempotency-Key`` header is honoured as
    on every create (``kinerja.api.idempotency``); ``client_token`` is the pages' own double-click guard.
    """
    body = json_body({"date": date, "activity": str, "output": parse_output},
                     optional={"iki_id": ID, "nip": str, "client_token": str})
    actor = _actor()
    if body["nip"] is not None and body["nip"] != actor.nip:
        abort(403, description="Visum hanya dapat diisi oleh pegawai yang bersangkutan.")
    token = body["client_token"] or None
    existing = _by_token(actor, token) if token is not None else None
    if existing is not None:  # a double submission: nothing new is stored
        return commit_and_answer(visum_json(existing, _locked(existing)), 200)
    output: Output = body["output"]
    try:
        visum = services.file_visum(actor, actor, day=body["date"], activity=body["activity"], iki_id=body["iki_id"],
                                    output_quantity=output.quantity, output_unit=output.unit, client_token=token,
                                    output_text=output.text)
        return commit_and_answer(visum_json(visum, _locked(visum)), 201)
    except PlanningRuleError as error:
        return _refused(error)
    except IntegrityError:  # the same token committed by a simultaneous request: answer that one
        db.session.rollback()
        existing = _by_token(actor, token) if token is not None else None
        if existing is None:
            raise
        return jsonify(visum_json(existing, _locked(existing)))


def _date_range(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """Fill a missing end of ``from``/``to``: a week from the given one, or the current week without both."""
    if start is None and end is None:
        return week_rules.week_start(today), week_rules.week_end(today)
    if start is None:
        return end - timedelta(days=6), end
    if end is None:
        return start, start + timedelta(days=6)
    return start, end


@bp.get("/visum")
@token_required
def list_visum():
    """List an employee's visum of a date range (himself, his assessor chain, HR), each with status and locked."""
    args = query_args(optional={"nip": str, "from": date, "to": date})
    employee = get_employee_or_404(args["nip"]) if args["nip"] else _actor()
    today = clock.today_for(employee)
    start, end = _date_range(args["from"], args["to"], today)
    if end < start:
        reject({"to": "tidak boleh sebelum tanggal from"})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        reject({"to": f"rentang paling panjang {MAX_RANGE_DAYS} hari"})
    items = list(db.session.scalars(
        select(Visum).where(Visum.employee_id == employee.id, Visum.day >= start, Visum.day <= end)
        .order_by(Visum.day, Visum.id)))
    locked = locked_days(employee, [visum.day for visum in items])
    return jsonify({"nip": employee.nip, "from": start.isoformat(), "to": end.isoformat(),
                    "items": [visum_json(visum, locked[visum.day]) for visum in items]})


def _decide(visum_id: int, action):
    visum = _visum_or_404(visum_id)
    now = clock.now()
    try:
        action(visum, now)
        db.session.commit()
    except PlanningRuleError as error:
        return _refused(error)
    return jsonify(visum_json(visum, _locked(visum)))


@bp.post("/visum/<int:visum_id>/approve")
@token_required
def approve_visum(visum_id: int):
    """Approve a submitted visum (his current assessor or PLT/PLH); 403 own visum or not assessor, 409 returned."""
    return _decide(visum_id, lambda visum, now: services.approve_visum(_actor(), visum, now=now))


@bp.post("/visum/<int:visum_id>/return")
@token_required
def return_visum(visum_id: int):
    """Return a submitted visum with ``{"reason"}`` (his current assessor or PLT/PLH); 409 once approved."""
    reason = reason_from_body()
    # who (403) is checked before the missing reason (400), as the service does
    return _decide(visum_id, lambda visum, now: services.return_visum(_actor(), visum, reason, now=now))

"""SKP routes of the JSON API (INTERFACES.md): create with RHK and IKI, submit / approve / return,
and read an employee's SKP of a year. The page services do the work; one serializer, ``skp_json``."""

from flask import abort, g, jsonify

from kinerja import clock
from kinerja.api import bp
from kinerja.api.auth import token_required
from kinerja.api.idempotency import commit_and_answer, idempotent
from kinerja.api.validation import ID, ListOf, Object, json_body, query_args, reason_from_body
from kinerja.auth.access import HR_ROLES, get_employee_or_404
from kinerja.errors import json_error
from kinerja.extensions import db
from kinerja.planning import skp as services
from kinerja.planning import skp_queries
from kinerja.planning.errors import PlanningError
from kinerja.planning.models import Skp
from kinerja.rules.planning import Aspek, RhkKind, RhkSource, TaskOrigin

IKI_SPEC = Object({"text": str, "aspek": Aspek, "target": float, "unit_of_measure": str})
RHK_SPEC = Object(
    {"text": str, "kind": RhkKind, "source": RhkSource, "iki": ListOf(IKI_SPEC)},
    # optional links (INTERFACES.md): an RHK sent without its link is stored, answered with "missing_link"
    {"parent_rhk_id": ID, "iku_id": ID, "rencana_aksi_id": ID, "task_origin": TaskOrigin,
     "task_origin_note": str},
)
# the services' field names -> the API's
_FIELD_NAMES = {"parent_rhk": "parent_rhk_id", "iku": "iku_id", "rencana_aksi": "rencana_aksi_id"}


def _person(employee) -> dict | None:
    return {"nip": employee.nip, "name": employee.name} if employee is not None else None


def _missing_link_json(rhk) -> dict | None:
    """Return what link an RHK still lacks as ``{"code", "message"}`` (None when linked): "not yet linked"."""
    problem = services.missing_link(rhk)
    return {"code": problem.code, "message": problem.message} if problem is not None else None


def skp_json(skp: Skp) -> dict:
    """Return the API's form of an SKP with its RHK and IKI (INTERFACES.md, plus a few extra keys)."""
    return {
        "id": skp.id,
        "nip": skp.employee.nip,
        "year": skp.year,
        "status": skp.status,
        "version": skp.version,
        "period_start": skp.period_start.isoformat(),
        "period_end": skp.period_end.isoformat(),
        "unit": skp.unit.code,
        "jenjang": skp.jenjang,
        "assessor": _person(skp.assessor),
        "effective_fraction": skp.effective_fraction,
        "return_reason": skp.return_reason,
        "rhk": [
            {
                "id": rhk.id, "text": rhk.text, "kind": rhk.kind, "source": rhk.source,
                "parent_rhk_id": rhk.parent_rhk_id, "iku_id": rhk.iku_id, "rencana_aksi_id": rhk.rencana_aksi_id,
                "task_origin": rhk.task_origin, "task_origin_note": rhk.task_origin_note,
                "missing_link": _missing_link_json(rhk),
                "iki": [
                    {"id": iki.id, "text": iki.text, "aspek": iki.aspek, "target": iki.target,
                     "unit_of_measure": iki.unit_of_measure}
                    for iki in rhk.iki
                ],
            }
            for rhk in skp.rhk
        ],
    }


def _refused(error: PlanningError, prefix: str = ""):
    """Roll back and answer a service's refusal: 403, 409, or 400 naming the fields."""
    db.session.rollback()
    if error.http_status != 400:
        return json_error(error.http_status, error.message)
    details = {}
    for problem in error.problems:
        name = _FIELD_NAMES.get(problem.field, problem.field) if problem.field else None
        key = f"{prefix}{name}" if name else (prefix.rstrip(".") or "body")
        details.setdefault(key, problem.message)
    return json_error(400, error.message, details)


def _actor():
    return g.api_user.employee


def _skp_or_404(skp_id: int) -> Skp:
    skp = db.session.get(Skp, skp_id)
    if skp is None:
        abort(404, description="SKP tidak ditemukan.")
    return skp


@bp.post("/skp")
@token_required
@idempotent
def create_skp():
    """Create a DRAFT SKP with its RHK and IKI in one go, all or nothing (the employee himself or HR)."""
    body = json_body({"nip": str, "year": int, "rhk": ListOf(RHK_SPEC)})
    employee = get_employee_or_404(body["nip"], check_access=False)
    user = g.api_user
    if user.employee_id != employee.id and not user.has_role(*HR_ROLES):
        abort(403, description="Hanya pegawai yang bersangkutan atau Kepegawaian yang dapat membuat SKP ini.")
    actor = _actor()
    try:
        skp = services.create_skp(actor, employee, body["year"])
    except PlanningError as error:
        return _refused(error)
    for i, rhk_in in enumerate(body["rhk"]):
        prefix = f"rhk[{i}]."
        try:
            rhk = services.add_rhk(
                actor, skp, text=rhk_in["text"], kind=str(rhk_in["kind"]), source=str(rhk_in["source"]),
                parent_rhk=rhk_in["parent_rhk_id"], iku=rhk_in["iku_id"], rencana_aksi=rhk_in["rencana_aksi_id"],
                task_origin=str(rhk_in["task_origin"]) if rhk_in["task_origin"] else None,
                task_origin_note=rhk_in["task_origin_note"])
        except PlanningError as error:
            return _refused(error, prefix)
        for j, iki_in in enumerate(rhk_in["iki"]):
            try:
                services.add_iki(actor, rhk, text=iki_in["text"], aspek=str(iki_in["aspek"]),
                                 target=iki_in["target"], unit_of_measure=iki_in["unit_of_measure"])
            except PlanningError as error:
                return _refused(error, f"{prefix}iki[{j}].")
    return commit_and_answer(skp_json(skp), 201)


def _act(skp_id: int, action):
    skp = _skp_or_404(skp_id)
    try:
        action(skp)
    except PlanningError as error:
        return _refused(error)
    db.session.commit()
    return jsonify(skp_json(skp))


@bp.post("/skp/<int:skp_id>/submit")
@token_required
def submit_skp(skp_id: int):
    """Submit an SKP to the assessor (its owner only); 409 from a wrong state."""
    return _act(skp_id, lambda skp: services.submit_skp(_actor(), skp))


@bp.post("/skp/<int:skp_id>/approve")
@token_required
def approve_skp(skp_id: int):
    """Approve a submitted SKP (its current assessor or his PLT/PLH); 403 for one's own SKP."""
    return _act(skp_id, lambda skp: services.approve_skp(_actor(), skp))


@bp.post("/skp/<int:skp_id>/return")
@token_required
def return_skp(skp_id: int):
    """Return a submitted SKP with ``{"reason"}`` (its current assessor or his PLT/PLH)."""
    reason = reason_from_body()
    # who (403) and state (409) are checked before the missing reason (400), as the rule does
    return _act(skp_id, lambda skp: services.return_skp(_actor(), skp, reason))


@bp.get("/employees/<nip>/skp")
@token_required
def employee_skp(nip: str):
    """Answer an employee's current SKP of a year (himself, his assessor chain, or HR)."""
    employee = get_employee_or_404(nip)
    year = query_args(optional={"year": int})["year"] or clock.today().year
    skp = skp_queries.current_skp(employee, year)
    if skp is None:
        return json_error(404, f"Pegawai belum memiliki SKP tahun {year}.")
    return jsonify(skp_json(skp))

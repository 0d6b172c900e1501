"""Realisation routes of the JSON API (INTERFACES.md):

- ``POST /api/v1/pk/ID/realisasi`` (``PENGELOLA_KINERJA``): ``{"iku_code", "period", "value", "note"?,
  "evidence_url"?}`` -> 201 with the realisation;
- ``POST /api/v1/skp/ID/realisasi`` (the employee himself): ``{"iki_id", "period", "value", "note"?}``
  -> 201; 403 when the SKP is not approved.

Both are upserts (a second post for the same period corrects the value, audited) and answer 201 either
way, with ``"created"`` telling which. Errors: 400 ``{"error", "details"}``, 401, 403, 404, 409 (a PK
that is not the signed version in force). The services of the pages do the work
(``kinerja.execution.realisasi``); see ``docs/realisasi.md``.
"""

from flask import abort, g
from sqlalchemy import select

from kinerja.api import bp
from kinerja.api.auth import token_required
from kinerja.api.idempotency import commit_and_answer, idempotent
from kinerja.api.validation import ID, json_body
from kinerja.errors import json_error
from kinerja.execution import realisasi as services
from kinerja.execution.models import IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from kinerja.planning import pk_queries
from kinerja.planning.models import Skp
from kinerja.rules.capaian import capaian
from kinerja.rules.planning import PlanningRuleError


def iku_realisasi_json(row: IkuRealisasi, pk, *, created: bool) -> dict:
    """Return the API's form of an IKU realisation, with the capaian of its period against the yearly target."""
    iku = next((i for i in pk.iku if i.code == row.iku_code), None)
    return {
        "id": row.id, "pk_id": row.pk_id, "unit": pk.unit.code, "year": row.year, "iku_code": row.iku_code,
        "period": row.period, "value": row.value, "note": row.note, "evidence_url": row.evidence_url,
        "evidence_file": row.original_name, "created": created,
        "capaian": capaian(row.value, iku.target, iku.polarity) if iku is not None else None,
    }


def iki_realisasi_json(row: IkiRealisasi, *, created: bool) -> dict:
    """Return the API's form of an IKI realisation."""
    return {"id": row.id, "skp_id": row.skp_id, "iki_id": row.iki_id, "period": row.period, "value": row.value,
            "note": row.note, "created": created}


def _refused(error: PlanningRuleError):
    """Roll back and answer a service's refusal: 403, 409, or 400 naming the fields."""
    db.session.rollback()
    if error.http_status != 400:
        return json_error(error.http_status, error.message)
    details = {}
    for problem in error.problems:
        details.setdefault(problem.field or "body", problem.message)
    return json_error(400, error.message, details)


@bp.post("/pk/<int:pk_id>/realisasi")
@token_required("PENGELOLA_KINERJA")
@idempotent
def pk_realisasi(pk_id):
    """Enter (or correct) the realisation of an IKU of a signed PK for a month or the year."""
    pk = pk_queries.load_pk(pk_id)
    if pk is None:
        return json_error(404, "Perjanjian Kinerja tidak ditemukan.")
    body = json_body({"iku_code": str, "period": str, "value": float}, optional={"note": str, "evidence_url": str})
    existing = services.find_iku_realisasi(pk.unit_id, pk.year, body["iku_code"], body["period"])
    try:
        row = services.record_iku_realisasi(g.api_user.employee, pk, body["iku_code"], body["period"], body["value"],
                                            note=body["note"], evidence_url=body["evidence_url"])
    except PlanningRuleError as error:
        return _refused(error)
    return commit_and_answer(iku_realisasi_json(row, pk, created=existing is None), 201)


@bp.post("/skp/<int:skp_id>/realisasi")
@token_required
@idempotent
def skp_realisasi(skp_id):
    """Enter (or correct) the employee's realisation of an IKI of his approved SKP for a month or the year."""
    skp = db.session.get(Skp, skp_id)
    if skp is None:
        abort(404, description="SKP tidak ditemukan.")
    actor = g.api_user.employee
    if not services.can_record_iki_realisasi(actor, skp):
        return json_error(403, "Hanya pegawai yang bersangkutan yang dapat mencatat realisasi SKP-nya.")
    if skp.status != "APPROVED":
        return json_error(403, "Realisasi hanya dapat dicatat pada SKP yang sudah disetujui.")
    body = json_body({"iki_id": ID, "period": str, "value": float}, optional={"note": str})
    existing = db.session.scalar(select(IkiRealisasi.id).where(IkiRealisasi.iki_id == body["iki_id"],
                                                                IkiRealisasi.period == body["period"]))
    try:
        row = services.record_iki_realisasi(actor, skp, body["iki_id"], body["period"], body["value"],
                                            note=body["note"])
    except PlanningRuleError as error:
        return _refused(error)
    return commit_and_answer(iki_realisasi_json(row, created=existing is None), 201)

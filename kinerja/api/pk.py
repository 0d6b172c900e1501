"""Perjanjian Kinerja route of the JSON API (INTERFACES.md): ``POST /api/v1/pk`` for bulk loading.

The whole body is checked before anything is written (every problem in one 400), then the page
services build the PK in one transaction: all or nothing. On a unit and year that already has a
PK: the newest version still a draft has its SS and IKU replaced (200); a signed one answers 409
(change it through a Perubahan PK). ``signed_on`` records an agreement already signed on paper
(``status`` ``SIGNED``, ready for realisations); without it the PK is a ``DRAFT`` the two parties sign
on its page. See ``docs/pk.md``.
"""

from datetime import date

from flask import g

from kinerja.api import bp
from kinerja.api.auth import token_required
from kinerja.api.idempotency import commit_and_answer, idempotent
from kinerja.api.validation import ListOf, Object, json_body, reject
from kinerja.errors import json_error
from kinerja.extensions import db
from kinerja.org.queries import unit_by_code
from kinerja.planning import pk as services
from kinerja.planning import pk_queries
from kinerja.planning.errors import PlanningError
from kinerja.planning.models import PerjanjianKinerja
from kinerja.rules.planning import Aggregation, Consolidation, Polarity, TargetKind, check_weights
from kinerja.rules.trajectory import check_trajectory, expected_periods

IKU_SPEC = Object(
    {"code": str, "name": str, "polarity": Polarity, "weight": float, "target": float, "unit_of_measure": str},
    # extensions: consolidation is inferred from the trajectory's periods when left out
    {"trajectory": dict, "consolidation": Consolidation, "aggregation": Aggregation, "target_kind": TargetKind,
     "parent_iku": str},
)
SASARAN_SPEC = Object({"name": str, "iku": ListOf(IKU_SPEC, min_items=1)})


def pk_json(pk: PerjanjianKinerja) -> dict:
    """Return the API's form of a PK with its SS, IKU and trajectory."""
    return {
        "id": pk.id,
        "version": pk.version,
        "status": pk.status,
        "unit": pk.unit.code,
        "year": pk.year,
        "head": {"nip": pk.head.nip, "name": pk.head.name} if pk.head else None,
        "superior": {"nip": pk.superior.nip, "name": pk.superior.name} if pk.superior else None,
        "signed_on": pk.signed_on_paper.isoformat() if pk.signed_on_paper else None,
        "sasaran": [
            {"id": ss.id, "name": ss.name, "iku": [
                {"id": iku.id, "code": iku.code, "name": iku.name, "polarity": iku.polarity, "weight": iku.weight,
                 "target": iku.target, "unit_of_measure": iku.unit_of_measure, "consolidation": iku.consolidation,
                 "aggregation": iku.aggregation, "target_kind": iku.target_kind,
                 "parent_iku": iku.parent.code if iku.parent else None, "trajectory": iku.trajectory_dict()}
                for iku in ss.iku]}
            for ss in pk.sasaran
        ],
    }


def _infer_consolidation(year: int, trajectory: dict | None) -> str:
    """Return the consolidation whose periods a trajectory holds exactly (monthly when none fits)."""
    if trajectory:
        keys = set(trajectory)
        for kind in Consolidation:
            if keys == set(expected_periods(year, kind)):
                return kind.value
    return Consolidation.MONTHLY.value


def _plan(body: dict, parents: dict) -> tuple[list[dict], dict[str, str]]:
    """Turn the checked body into the services' plain data; collect every remaining problem."""
    year = body["year"]
    details: dict[str, str] = {}
    plan: list[dict] = []
    codes: set[str] = set()
    weights: list[float] = []
    for s_index, sasaran in enumerate(body["sasaran"]):
        items = []
        for i_index, iku in enumerate(sasaran["iku"]):
            where = f"sasaran[{s_index}].iku[{i_index}]"
            code = iku["code"]
            if code in codes:
                details[f"{where}.code"] = f"kode IKU {code} dipakai lebih dari sekali"
            codes.add(code)
            weight = iku["weight"]
            weights.append(weight)
            if not 0 < weight <= 100:
                details[f"{where}.weight"] = "bobot harus lebih dari 0 dan paling besar 100"
            if iku["target"] < 0:
                details[f"{where}.target"] = "target tidak boleh negatif"
            consolidation = (iku["consolidation"].value if iku["consolidation"]
                             else _infer_consolidation(year, iku["trajectory"]))
            aggregation = iku["aggregation"].value if iku["aggregation"] else Aggregation.KUMULATIF.value
            parent = None
            if iku["parent_iku"]:
                parent = parents.get(iku["parent_iku"])
                if parent is None:
                    details[f"{where}.parent_iku"] = ("bukan kode IKU pada PK unit di atasnya (tahun yang sama, "
                                                      "versi berlaku)")
            trajectory = iku["trajectory"]
            if trajectory is not None:
                for problem in check_trajectory(year, consolidation, aggregation, iku["polarity"].value,
                                                iku["target"], trajectory):
                    field = problem.field or "trajectory"
                    details.setdefault(f"{where}.{field}", problem.message)
            items.append({"code": code, "name": iku["name"], "polarity": iku["polarity"].value, "weight": weight,
                          "target": iku["target"], "unit_of_measure": iku["unit_of_measure"],
                          "consolidation": consolidation, "aggregation": aggregation,
                          "target_kind": iku["target_kind"].value if iku["target_kind"] else "OUTCOME",
                          "parent_iku": parent, "trajectory": trajectory})
        plan.append({"name": sasaran["name"], "iku": items})
    if weights and all(0 < w <= 100 for w in weights):
        for problem in check_weights(weights):
            details["sasaran"] = problem.message
    return plan, details


@bp.post("/pk")
@token_required("PENGELOLA_KINERJA")
@idempotent
def pk_create():
    """Create (or refill the draft of) a unit's PK for a year with its SS, IKU and trajectories.

    With ``signed_on`` the PK is an agreement already signed on paper that day: it is stored SIGNED
    after the checks of signing on the page (400 naming what is missing, 409 when it cannot be).
    """
    body = json_body({"unit": str, "year": int, "sasaran": ListOf(SASARAN_SPEC, min_items=1)},
                     optional={"signed_on": date})
    if not 2000 <= body["year"] <= 2100:
        reject({"year": "tahun tidak valid"})
    unit = unit_by_code(body["unit"])
    if unit is None:
        return json_error(404, f"Unit kerja {body['unit']} tidak ditemukan.")
    actor = g.api_user.employee
    year = body["year"]
    above = pk_queries.current_pk(unit.parent, year) if unit.parent is not None else None
    parents = {iku.code: iku for iku in above.iku} if above is not None else {}
    plan, details = _plan(body, parents)
    if details:
        reject(details, "Perjanjian Kinerja tidak valid; tidak ada yang disimpan.")

    existing = pk_queries.latest_pk(unit, year)
    if existing is not None and existing.status != "DRAFT":
        return json_error(409, f"Perjanjian Kinerja {unit.code} {year} sudah ditandatangani (versi "
                               f"{existing.version}); ubah melalui Perubahan PK.")
    try:
        item = existing or services.create_pk(actor, unit, year)
        services.replace_contents(actor, item, plan)
        if body["signed_on"] is not None:
            services.record_signed_on_paper(actor, item, body["signed_on"])
    except PlanningError as error:
        db.session.rollback()
        details = {f"{p.field}" if p.field else "sasaran": p.message for p in error.problems}
        return json_error(error.http_status, error.message, details)
    db.session.flush()
    return commit_and_answer(pk_json(pk_queries.load_pk(item.id)), 200 if existing is not None else 201)

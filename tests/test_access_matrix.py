"""Every route, tried by an outsider: a logged-in Pelaksana without roles (Inspektorat, ITTAMA-UMUM)
against the people, plans and visum of another branch (Direktorat Kesehatan Reproduksi) of the
demo organisation. Each route gets real ids of that branch's objects.

- Routes that act on the caller's own data or queues (``OWN``) may answer; nothing else may: a
  page or partial answers 403 or 404, the API 403 or 404. A route added later is "not his" until
  it is listed in ``OWN``, so it cannot forget its check.
- Whatever the answers, nothing changes: no audit row, no visum, SKP or PK row touched.

Complements ``test_routes_protected.py`` (anonymous callers) and each feature's own access tests.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja import clock, demo
from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution.models import Evidence, Holiday, IkuRealisasi, Visum, WeekReopenRequest
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, Unit
from kinerja.planning.models import (
    Anggaran,
    Iki,
    Iku,
    PenugasanTambahan,
    PeranHasil,
    PerjanjianKinerja,
    RencanaAksi,
    RencanaHasilKerja,
    SasaranStrategis,
    Skp,
)
from tests.factories import login_as

OWN = {
    # his own pages and queues (each lists only what is his, or what he assesses: here nothing)
    "home.index", "execution.week", "execution.day_partial", "execution.visum_add", "execution.visum_copy_day",
    "execution.notifications", "execution.inbox", "execution.week_reopen_request",
    "org.my_team", "planning.my_skp", "planning.skp_create",
    "planning.approvals", "planning.pk_list", "planning.pk_create", "planning.cascade", "planning.matrik",
    "auth.login", "auth.logout", "static",
    # the API's own: his visum, his SKP, who assesses whom (open to any token, INTERFACES.md)
    "api.list_visum", "api.create_visum", "api.create_skp", "api.pk_create", "api.employee_assessor",
}
REFUSED = {403, 404}


def first(model, *where):
    return db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))


@pytest.fixture
def branch(app):
    """The demo organisation; ids of the objects of DIT-KESPRO's branch, by route argument name."""
    demo.build_demo()
    victim = demo.demo_employee("delegasi")  # Pelaksana in DIT-KESPRO-REMAJA, with visum and evidence
    kespro = db.session.scalar(select(Unit).where(Unit.code == "DIT-KESPRO"))
    pk = first(PerjanjianKinerja, PerjanjianKinerja.unit_id == kespro.id)
    iku = first(Iku, Iku.pk_id == pk)
    skp = first(Skp, Skp.employee_id == victim.id)
    rhk = first(RencanaHasilKerja, RencanaHasilKerja.skp_id == skp)
    visum = first(Visum, Visum.employee_id == victim.id)
    realisasi = IkuRealisasi(unit_id=kespro.id, year=2026, iku_code="X", period="2026-01", value=1.0, pk_id=pk,
                             created_at=clock.stamp(), updated_at=clock.stamp())
    holiday = Holiday(day=date(2030, 1, 2), name="Uji", created_at=clock.stamp())
    penugasan = PenugasanTambahan(pk_id=pk, description="Penugasan uji")
    asked = WeekReopenRequest(employee_id=victim.id, week_start=date(2026, 1, 5), created_at=clock.stamp())
    db.session.add_all([realisasi, holiday, penugasan, asked])
    db.session.commit()
    ids = {"nip": victim.nip, "code": "DIT-KESPRO-REMAJA", "pk_id": pk, "iku_id": iku, "skp_id": skp,
           "rhk_id": rhk, "iki_id": first(Iki, Iki.rhk_id == rhk), "visum_id": visum,
           "evidence_id": first(Evidence, Evidence.visum_id.in_(select(Visum.id).where(Visum.employee_id == victim.id))
                                ),
           "sasaran_id": first(SasaranStrategis, SasaranStrategis.pk_id == pk),
           "line_id": first(Anggaran, Anggaran.pk_id == pk), "item_id": penugasan.id,
           "action_id": first(RencanaAksi, RencanaAksi.iku_id == iku),
           "share_id": first(PeranHasil), "acting_id": first(ActingAssignment),
           "realisasi_id": realisasi.id, "holiday_id": holiday.id, "request_id": asked.id,
           "kind": "leave", "value": "BERORIENTASI_PELAYANAN", "day": clock.today().isoformat()}
    missing = [name for name, value in ids.items() if value is None]
    assert not missing, f"the demo has no object for {missing}"
    return ids


def _calls(app, ids):
    """Yield (method, url, endpoint) for every route, with the branch's ids in its arguments."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OWN:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", str(ids[arg])).replace(f"<{arg}>", str(ids[arg]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url, rule.endpoint


def _footprint():
    db.session.expire_all()
    return {model.__name__: db.session.scalar(select(func.count(model.id)))
            for model in (AuditEntry, Visum, Evidence, Skp, RencanaHasilKerja, Iki, PerjanjianKinerja, Iku,
                          IkuRealisasi, Holiday, ActingAssignment, WeekReopenRequest)} | {
        "approved": db.session.scalar(select(func.count(Visum.id)).where(Visum.status == "APPROVED")),
        "open_requests": db.session.scalar(select(func.count(WeekReopenRequest.id))
                                           .where(WeekReopenRequest.status == "OPEN")),
        "skp_states": tuple(db.session.scalars(select(Skp.status).order_by(Skp.id)))}


def test_every_route_refuses_an_outsider_and_changes_nothing(app, client, branch):
    outsider = demo.demo_employee("tuwas_pelaksana")
    token = auth_services.create_token(None, outsider)
    db.session.commit()
    login_as(client, auth_services.user_for(outsider))
    before = _footprint()
    allowed = []
    for method, url, endpoint in _calls(app, branch):
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {"HX-Request": "true"}
        kwargs = {"json": {}} if url.startswith("/api/") and method == "POST" else {}
        status = client.open(url, method=method, headers=headers, **kwargs).status_code
        if status not in REFUSED:
            allowed.append(f"{status} {method} {url} ({endpoint})")
    assert allowed == []
    assert _footprint() == before


def test_own_routes_answer_the_outsider_without_error(app, client, branch):
    """The routes left out above work for him (his own data, empty queues); empty posts are refused politely."""
    outsider = demo.demo_employee("tuwas_pelaksana")
    login_as(client, auth_services.user_for(outsider))
    before = _footprint()
    for endpoint in sorted(OWN - {"static", "auth.login", "auth.logout"}):
        if endpoint.startswith("api."):
            continue
        rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
        url = rule.rule.replace("<day>", branch["day"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            status = client.open(url, method=method, headers={"HX-Request": "true"}).status_code
            assert status < 500 and status not in (401, 403), f"{status} {method} {url}"
    assert _footprint() == before

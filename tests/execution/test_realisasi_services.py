# ruff: noqa: F811 - fixtures imported from realisasi_fixtures are used as test parameters
"""Realisation services: IKU realisation (who, signed PK, periods, values, evidence, upsert, audit,
Perubahan PK), IKI realisation, rencana aksi progress, Dialog Penilaian Kinerja Organisasi, Monev data."""

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution import realisasi as services
from kinerja.execution import realisasi_queries as queries
from kinerja.execution.models import DialogOrganisasi, IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from kinerja.planning import pk as pk_services
from kinerja.planning import skp as skp_services
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState
from tests.execution.fixtures import iki_of
from tests.execution.realisasi_fixtures import APRIL, pk, pk_with_action, planner  # noqa: F401
from tests.planning.pk_fixtures import build_pk
from tests.planning.skp_fixtures import full_skp


def audit(object_type, object_id=None):
    stmt = select(AuditEntry).where(AuditEntry.object_type == object_type).order_by(AuditEntry.id)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == str(object_id))
    return list(db.session.scalars(stmt))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- IKU realisation ------------------------------------------------------------------------------

def test_planner_records_then_corrects_a_month(planner, pk):
    row = services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 7.5, note="Data Januari",
                                        evidence_url="https://data.bkkbn.go.id/jan")
    db.session.commit()
    assert (row.unit_id, row.year, row.iku_code, row.period, row.value) == (pk.unit_id, 2026, "IKU-1", "2026-01", 7.5)
    assert row.pk_id == pk.id and row.entered_by_id == planner.id and row.evidence_url.endswith("/jan")
    again = services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 9, note="Revisi")
    db.session.commit()
    assert again.id == row.id and count(IkuRealisasi) == 1
    assert again.value == 9.0 and again.note == "Revisi"
    assert again.evidence_url.endswith("/jan")  # no new evidence: the earlier one is kept
    create, update = audit("iku_realisasi", row.id)
    assert create.action == "realisasi.iku.create" and create.before is None and create.after["value"] == 7.5
    assert update.action == "realisasi.iku.update" and update.actor_id == planner.id
    assert (update.before["value"], update.after["value"]) == (7.5, 9.0)
    assert (update.before["note"], update.after["note"]) == ("Data Januari", "Revisi")


def test_the_same_value_again_writes_no_audit_row(planner, pk):
    services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 7.5)
    services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 7.5)
    db.session.commit()
    assert len(audit("iku_realisasi")) == 1


def test_only_planners_admin_and_the_system_record(people, planner, pk):
    for who in ("direktur", "deputi", "analis", "hr"):
        with pytest.raises(NotAllowed):
            services.record_iku_realisasi(people[who], pk, "IKU-1", "2026-01", 5)
    admin = people["kepala"]
    auth_services.grant_role(None, admin, "ADMIN")
    assert services.record_iku_realisasi(admin, pk, "IKU-1", "2026-01", 5).entered_by_id == admin.id
    assert services.record_iku_realisasi(None, pk, "IKU-2", "2026-01", 5).entered_by_id is None


def test_draft_pk_is_refused(org, planner):
    draft = build_pk(None, org["units"]["DIT"])
    with pytest.raises(WrongState):
        services.record_iku_realisasi(planner, draft, "IKU-1", "2026-01", 5)


@pytest.mark.parametrize(("code", "period", "value", "field"), [
    ("IKU-9", "2026-01", 5, "iku_code"),
    ("IKU-1", "2026-13", 5, "period"), ("IKU-1", "2026-1", 5, "period"), ("IKU-1", "Jan", 5, "period"),
    ("IKU-1", "2025-12", 5, "period"), ("IKU-1", "2025", 5, "period"),
    ("IKU-1", "2026-02", 5, "period"),  # February has not begun on 15 January
    ("IKU-1", "2026-01", -1, "value"), ("IKU-1", "2026-01", "5", "value"), ("IKU-1", "2026-01", None, "value"),
])
def test_bad_input_is_refused_and_nothing_stored(planner, pk, code, period, value, field):
    with pytest.raises(PlanningRuleError) as caught:
        services.record_iku_realisasi(planner, pk, code, period, value)
    assert caught.value.http_status == 400 and caught.value.field == field
    db.session.rollback()
    assert count(IkuRealisasi) == 0


def test_yearly_period_and_later_months_open_as_time_passes(planner, pk):
    assert services.record_iku_realisasi(planner, pk, "IKU-1", "2026", 80).period == "2026"
    assert services.record_iku_realisasi(planner, pk, "IKU-1", "2026-04", 30, now=APRIL).period == "2026-04"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files/x", "data.bkkbn.go.id", "https://", "http://a b"])
def test_evidence_link_must_be_http(planner, pk, url):
    with pytest.raises(PlanningRuleError) as caught:
        services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 5, evidence_url=url)
    assert caught.value.field == "evidence_url"


def test_link_and_file_together_are_refused_before_anything_is_stored(planner, pk):
    with pytest.raises(PlanningRuleError) as caught:
        services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 5, evidence_url="https://x.id/a",
                                      upload=object())
    assert caught.value.code == "TWO_EVIDENCE"


def test_file_evidence_is_stored_through_the_evidence_module(app, planner, pk):
    evidence = pytest.importorskip("kinerja.execution.evidence",
                                   reason="kinerja.execution.evidence (store_upload) is written by another helper")
    from werkzeug.datastructures import FileStorage

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    upload = FileStorage(io.BytesIO(pdf), filename="laporan januari.pdf", content_type="application/pdf")
    row = services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 5, upload=upload)
    db.session.commit()
    assert row.stored_name and row.original_name and row.evidence_url is None
    assert "/" not in row.stored_name and ".." not in row.stored_name
    assert hasattr(evidence, "store_upload")
    # a link later replaces the file
    row = services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 5, evidence_url="https://x.id/b")
    assert row.stored_name is None and row.evidence_url == "https://x.id/b"


def test_realisation_survives_a_perubahan_pk(people, planner, pk):
    services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 8)
    db.session.commit()
    amended = pk_services.amend_pk(planner, pk, "REGULATION", "Refocusing APBN", people["deputi"])
    pk_services.sign_pk(people["direktur"], amended)
    pk_services.sign_pk(people["deputi"], amended)
    db.session.commit()
    assert pk.status == "SUPERSEDED" and amended.status == "SIGNED"
    items = {item.iku.code: item for item in queries.iku_monev(amended)}
    assert items["IKU-1"].rows["2026-01"].value == 8.0  # read through the new version's IKU
    with pytest.raises(WrongState):
        services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 9)
    row = services.record_iku_realisasi(planner, amended, "IKU-1", "2026-01", 9)
    assert count(IkuRealisasi) == 1 and row.pk_id == amended.id and row.value == 9.0


def test_an_amendment_being_drafted_leaves_the_signed_version_in_force(people, planner, pk):
    pk_services.amend_pk(planner, pk, "LEADERSHIP_POLICY", "Arahan pimpinan", people["deputi"])
    db.session.commit()
    assert services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 4).pk_id == pk.id


# --- IKI realisation ------------------------------------------------------------------------------

def test_employee_records_and_corrects_his_iki(people, approved):
    analis, iki = people["analis"], iki_of(approved)
    row = services.record_iki_realisasi(analis, approved, iki.id, "2026-01", 3, note="3 dokumen")
    db.session.commit()
    again = services.record_iki_realisasi(analis, approved, iki.id, "2026-01", 4)
    db.session.commit()
    assert again.id == row.id and count(IkiRealisasi) == 1 and again.value == 4.0 and again.note is None
    create, update = audit("iki_realisasi", row.id)
    assert (create.action, update.action) == ("realisasi.iki.create", "realisasi.iki.update")
    assert (update.before["value"], update.after["value"]) == (3.0, 4.0)


def test_only_the_employee_records_his_iki(people, approved):
    for who in ("direktur", "hr", "pelaksana"):
        with pytest.raises(NotAllowed):
            services.record_iki_realisasi(people[who], approved, iki_of(approved).id, "2026-01", 3)


def test_an_skp_not_approved_is_refused_with_403(people, approved):
    draft = full_skp(people["pelaksana"], parent=approved.rhk[0].parent)
    with pytest.raises(NotAllowed) as caught:
        services.record_iki_realisasi(people["pelaksana"], draft, iki_of(draft).id, "2026-01", 3)
    assert caught.value.http_status == 403 and caught.value.code == "SKP_NOT_APPROVED"
    skp_services.submit_skp(people["pelaksana"], draft)
    with pytest.raises(NotAllowed):
        services.record_iki_realisasi(people["pelaksana"], draft, iki_of(draft).id, "2026-01", 3)


@pytest.mark.parametrize(("iki", "period", "value", "field"), [
    ("other", "2026-01", 3, "iki_id"), (999999, "2026-01", 3, "iki_id"), ("1", "2026-01", 3, "iki_id"),
    ("own", "2026-02", 3, "period"), ("own", "2025-12", 3, "period"), ("own", "2026-1", 3, "period"),
    ("own", "2026-01", -2, "value"),
])
def test_iki_bad_input(people, approved, iki, period, value, field):
    iki_id = {"own": iki_of(approved).id, "other": approved.rhk[0].parent.iki[0].id}.get(iki, iki)
    with pytest.raises(PlanningRuleError) as caught:
        services.record_iki_realisasi(people["analis"], approved, iki_id, period, value)
    assert caught.value.http_status == 400 and caught.value.field == field


def test_a_month_outside_the_skp_period_is_refused(people, approved):
    approved.period_end = date(2026, 3, 31)  # e.g. closed at a change of position
    db.session.commit()
    with pytest.raises(PlanningRuleError) as caught:
        services.record_iki_realisasi(people["analis"], approved, iki_of(approved).id, "2026-04", 3, now=APRIL)
    assert caught.value.code == "PERIOD_OUTSIDE_SKP"
    assert services.record_iki_realisasi(people["analis"], approved, iki_of(approved).id, "2026-03", 3, now=APRIL)


# --- rencana aksi progress -------------------------------------------------------------------------

def test_planner_and_head_update_progress_audited_on_the_pk(people, planner, pk_with_action):
    action = pk_with_action.iku[0].actions[0]
    services.update_rencana_aksi_progress(planner, action, 40)
    services.update_rencana_aksi_progress(people["direktur"], action, 55)
    db.session.commit()
    assert action.progress == 55
    entries = [e for e in audit("pk", pk_with_action.id) if e.action == "pk.action.progress"]
    assert [(e.before["progress"], e.after["progress"]) for e in entries] == [(0, 40), (40, 55)]
    assert pk_with_action.signed_by_head_at is not None  # progress is monitoring, not a change of the PK


@pytest.mark.parametrize("who", ["analis", "kasubdit", "direktur2", "hr"])
def test_others_may_not_update_progress(people, pk_with_action, who):
    with pytest.raises(NotAllowed):
        services.update_rencana_aksi_progress(people[who], pk_with_action.iku[0].actions[0], 10)


@pytest.mark.parametrize("percent", [-1, 101, 50.5, "50", None])
def test_progress_is_a_whole_percent(planner, pk_with_action, percent):
    with pytest.raises(PlanningRuleError) as caught:
        services.update_rencana_aksi_progress(planner, pk_with_action.iku[0].actions[0], percent)
    assert caught.value.field == "progress"


def test_progress_of_a_draft_is_refused(org, planner):
    draft = build_pk(None, org["units"]["DIT"], commit=False)
    action = pk_services.add_action(None, draft.iku[0], kind="RENCANA_AKSI", description="x")
    with pytest.raises(WrongState):
        services.update_rencana_aksi_progress(planner, action, 10)


# --- Dialog Penilaian Kinerja Organisasi -----------------------------------------------------------

def dialog_kwargs(**overrides):
    data = {"year": 2026, "held_on": date(2026, 1, 14), "period": "2026-01", "participants": "Direktur, tim",
            "summary": "Pembahasan capaian Januari", "follow_up": "Percepatan pelaporan"}
    data.update(overrides)
    return data


def test_head_and_planner_record_dialogs(org, people, planner):
    dit = org["units"]["DIT"]
    first = services.record_dialog_organisasi(people["direktur"], dit, **dialog_kwargs())
    second = services.record_dialog_organisasi(planner, dit, **dialog_kwargs(period="2026", follow_up="  "))
    db.session.commit()
    assert first.recorded_by_id == people["direktur"].id and second.follow_up is None
    assert [d.id for d in queries.dialogs_of(dit.id, 2026)] == [second.id, first.id]
    assert audit("dialog_organisasi", first.id)[0].action == "dialog_organisasi.create"


def test_a_pk_amendment_keeps_dialogs_and_the_unit_keeps_its_own(org, people):
    with pytest.raises(NotAllowed):
        services.record_dialog_organisasi(people["analis"], org["units"]["DIT"], **dialog_kwargs())
    with pytest.raises(NotAllowed):
        services.record_dialog_organisasi(people["direktur2"], org["units"]["DIT"], **dialog_kwargs())


@pytest.mark.parametrize(("overrides", "field"), [
    ({"held_on": date(2026, 1, 16)}, "held_on"), ({"held_on": date(2025, 12, 30)}, "held_on"),
    ({"held_on": None}, "held_on"), ({"period": "2026-02"}, "period"), ({"period": "2026-1"}, "period"),
    ({"participants": " "}, "participants"), ({"summary": ""}, "summary"), ({"year": 1999}, "year"),
])
def test_dialog_bad_input(org, planner, overrides, field):
    with pytest.raises(PlanningRuleError) as caught:
        services.record_dialog_organisasi(planner, org["units"]["DIT"], **dialog_kwargs(**overrides))
    assert caught.value.field == field
    db.session.rollback()
    assert count(DialogOrganisasi) == 0


# --- Monev data --------------------------------------------------------------------------------------

def test_monev_lists_the_iku_behind_target_at_their_latest_month(planner, pk):
    for code, period, value in [("IKU-1", "2026-01", 10), ("IKU-1", "2026-02", 20), ("IKU-1", "2026-03", 20),
                                ("IKU-2", "2026-03", 15)]:
        services.record_iku_realisasi(planner, pk, code, period, value, now=APRIL)
    db.session.commit()
    data = queries.monev(pk)
    first, second = data.items
    assert [item.iku.code for item in data.behind] == ["IKU-1"]
    assert first.latest.period == "2026-03" and first.latest.target == pytest.approx(25.0)  # 100 × 3/12
    assert first.latest.capaian == pytest.approx(80.0)
    assert first.progress[1].behind is False  # February: 20 against 16.67
    assert second.latest.behind is False and second.latest.capaian == pytest.approx(120.0)  # 15 vs 12.5, capped
    # yearly rule: latest month; NKO so far = (60 × 20 + 40 × 30) / 100
    assert (first.yearly_capaian, second.yearly_capaian) == (pytest.approx(20.0), pytest.approx(30.0))
    assert data.nko_to_date == pytest.approx(24.0)


def test_monev_without_realisation(pk):
    data = queries.monev(pk)
    assert data.behind == [] and data.nko_to_date is None and all(i.latest is None for i in data.items)


def test_now_defaults_to_the_clock(planner, pk):
    row = services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 1)
    assert row.created_at == datetime(2026, 1, 15, 3, 0, tzinfo=UTC).replace(tzinfo=None)

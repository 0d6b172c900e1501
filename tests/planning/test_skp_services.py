"""SKP services: creation, RHK sources per jenjang, IKI, perilaku, lampiran, dialog, the approval flow
(own SKP, non-assessor, PLT/PLH), wrong states, revisions, Matrik Peran Hasil, queries and audit rows."""

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.audit.services import history
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.planning import skp as services
from kinerja.planning import skp_queries
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp, SkpPerilaku
from kinerja.rules.berakhlak import CODES, CORE_VALUES
from tests.planning.skp_fixtures import YEAR, frozen, full_skp, leader_skp, org  # noqa: F401


@pytest.fixture
def people(org):  # noqa: F811
    return org["people"]


@pytest.fixture
def leader(people):
    """The Direktur's approved SKP and its RHK, which his team cascades from."""
    return leader_skp(people["direktur"], approve_by=people["deputi"])


def submitted(people, leader, owner="analis"):
    skp = full_skp(people[owner], parent=leader[1])
    services.submit_skp(people[owner], skp)
    db.session.commit()
    return skp


# --- reference data --------------------------------------------------------------------------------

def test_berakhlak_has_seven_values_with_three_indicators_each():
    assert [v.name for v in CORE_VALUES] == ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal",
                                             "Adaptif", "Kolaboratif"]
    assert all(len(v.indicators) == 3 and all(v.indicators) for v in CORE_VALUES)
    from kinerja.planning.models import BERAKHLAK

    assert CODES == BERAKHLAK


# --- create --------------------------------------------------------------------------------------------

def test_create_skp_fills_position_assessor_and_perilaku(people):
    analis = people["analis"]
    skp = services.create_skp(analis, analis, YEAR)
    db.session.commit()
    assert skp.status == "DRAFT" and skp.version == 1
    assert (skp.period_start, skp.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert skp.unit_id == analis.unit_id and skp.jenjang == "JF" and skp.position_id is not None
    assert skp.assessor_id == people["direktur"].id
    assert sorted(p.value for p in skp.perilaku) == sorted(CODES)
    assert skp.effective_fraction == 1.0
    assert [e.action for e in history("skp", skp.id)] == ["skp.create"]


@pytest.mark.parametrize("actor", ["analis", "direktur", "hr"])
def test_owner_assessor_and_hr_may_create(people, actor):
    skp = services.create_skp(people[actor], people["analis"], YEAR)
    assert skp.employee_id == people["analis"].id


@pytest.mark.parametrize("actor", ["pelaksana", "kasubdit", "direktur2"])
def test_others_may_not_create(people, actor):
    with pytest.raises(NotAllowed):
        services.create_skp(people[actor], people["analis"], YEAR)
    assert db.session.scalar(select(func.count(Skp.id))) == 0


def test_second_current_skp_refused(people):
    services.create_skp(None, people["analis"], YEAR)
    with pytest.raises(WrongState) as caught:
        services.create_skp(None, people["analis"], YEAR)
    assert caught.value.code == "SKP_EXISTS"


@pytest.mark.parametrize("year", [1999, "2026", True])
def test_bad_year_refused(people, year):
    with pytest.raises(PlanningError):
        services.create_skp(None, people["analis"], year)


def test_period_outside_year_refused(people):
    with pytest.raises(PlanningError) as caught:
        services.create_skp(None, people["analis"], YEAR, period_start=date(2025, 12, 1))
    assert caught.value.code == "INVALID_PERIOD"


def test_cuti_of_a_year_or_more_means_no_skp(people):
    analis = people["analis"]
    services.add_leave(None, analis, "Cuti di luar tanggungan negara", date(2025, 7, 1), date(2026, 12, 31))
    with pytest.raises(PlanningError) as caught:
        services.create_skp(analis, analis, YEAR)
    assert caught.value.code == "LONG_LEAVE"


def test_cuti_of_a_year_starting_mid_year_shortens_the_period(people):
    analis = people["analis"]
    services.add_leave(None, analis, "Cuti di luar tanggungan negara", date(2026, 7, 1), date(2027, 6, 30))
    skp = services.create_skp(analis, analis, YEAR)
    assert (skp.period_start, skp.period_end) == (date(2026, 1, 1), date(2026, 6, 30))


def test_short_cuti_scales_targets_by_effective_working_time(people):
    analis = people["analis"]
    skp = full_skp(analis, source="TIM_KERJA")
    services.add_leave(None, analis, "Cuti besar", date(2026, 3, 2), date(2026, 5, 29))  # 13 weeks
    db.session.commit()
    # 261 working days in 2026 (no holiday table), 65 of them on cuti
    assert skp.effective_fraction == pytest.approx((261 - 65) / 261)
    iki = skp.rhk[0].iki[0]
    assert services.scaled_target(iki, skp) == round(12 * (261 - 65) / 261, 2)
    assert "skp.effective_fraction" in [e.action for e in history("skp", skp.id)]


def test_cuti_fraction_at_creation(people):
    analis = people["analis"]
    services.add_leave(None, analis, "Cuti tahunan", date(2026, 2, 2), date(2026, 2, 13))  # 10 working days
    skp = services.create_skp(analis, analis, YEAR)
    assert skp.effective_fraction == pytest.approx(251 / 261)


def test_only_hr_records_leave(people):
    with pytest.raises(NotAllowed):
        services.add_leave(people["analis"], people["analis"], "Cuti tahunan", date(2026, 2, 2), date(2026, 2, 3))


# --- RHK sources per jenjang -------------------------------------------------------------------------

@pytest.mark.parametrize("owner, source", [
    ("analis", "PK"),  # JF: not PK
    ("pelaksana", "JF_SCOPE"),  # Pelaksana: no JF scope
    ("direktur", "CASCADING"),  # JPT Pratama: PK and Rencana Aksi only
    ("penyuluh", "CASCADING"),  # PPPK Penyuluh KB: the signed PK only
    ("analis", "TUGAS_TAMBAHAN"),  # tugas tambahan is an RHK TAMBAHAN
])
def test_source_not_allowed_for_jenjang_refused(people, owner, source):
    skp = services.create_skp(None, people[owner], YEAR)
    with pytest.raises(PlanningError) as caught:
        services.add_rhk(people[owner], skp, text="Sesuatu", kind="UTAMA", source=source)
    assert caught.value.code == "SOURCE_NOT_ALLOWED" and caught.value.field == "source"
    assert skp.rhk == []


def test_unknown_source_and_kind_refused(people):
    skp = services.create_skp(None, people["analis"], YEAR)
    with pytest.raises(PlanningError):
        services.add_rhk(None, skp, text="X", kind="UTAMA", source="KIRA_KIRA")
    with pytest.raises(PlanningError):
        services.add_rhk(None, skp, text="X", kind="POKOK", source="TIM_KERJA")
    with pytest.raises(PlanningError) as caught:
        services.add_rhk(None, skp, text="  ", kind="UTAMA", source="TIM_KERJA")
    assert caught.value.field == "text"


def test_jf_scope_and_tim_kerja_allowed_for_jf(people):
    skp = services.create_skp(None, people["analis"], YEAR)
    services.add_rhk(None, skp, text="Kajian kebijakan", kind="UTAMA", source="JF_SCOPE")
    services.add_rhk(None, skp, text="Output tim", kind="UTAMA", source="TIM_KERJA")
    assert [r.source for r in skp.rhk] == ["JF_SCOPE", "TIM_KERJA"]


def test_cascading_takes_an_rhk_of_the_assessor_or_none_yet(people, leader):
    skp = services.create_skp(None, people["analis"], YEAR)
    unlinked = services.add_rhk(None, skp, text="Turunan", kind="UTAMA", source="CASCADING")
    assert unlinked.parent_rhk_id is None
    assert services.missing_link(unlinked).message == "Belum ditautkan ke RHK Pejabat Penilai"
    other_skp, other_rhk = leader_skp(people["direktur2"])
    with pytest.raises(PlanningError) as caught:
        services.add_rhk(None, skp, text="Turunan", kind="UTAMA", source="CASCADING", parent_rhk=other_rhk)
    assert caught.value.code == "PARENT_NOT_ASSESSOR"
    rhk = services.add_rhk(None, skp, text="Turunan", kind="UTAMA", source="CASCADING", parent_rhk=leader[1].id)
    assert rhk.parent_rhk_id == leader[1].id and services.missing_link(rhk) is None
    assert [r.id for r, _ in services.unlinked_rhk(skp)] == [unlinked.id]


def test_pk_and_rencana_aksi_sources_are_stored_without_their_link_and_shown_unlinked(people):
    skp = services.create_skp(None, people["direktur"], YEAR)
    from_pk = services.add_rhk(None, skp, text="Dari PK", kind="UTAMA", source="PK")
    from_ra = services.add_rhk(None, skp, text="Dari RA", kind="UTAMA", source="RENCANA_AKSI")
    assert (from_pk.iku_id, from_ra.rencana_aksi_id) == (None, None)
    assert [(r.text, p.code) for r, p in services.unlinked_rhk(skp)] == [
        ("Dari PK", "IKU_NOT_LINKED"), ("Dari RA", "RENCANA_AKSI_NOT_LINKED")]
    with pytest.raises(PlanningError) as caught:  # a link that is given is still checked
        services.add_rhk(None, skp, text="Dari PK", kind="UTAMA", source="PK", iku=999999)
    assert caught.value.code == "NOT_FOUND"


def test_rencana_aksi_rhk_records_its_iku(people):
    skp, rhk = leader_skp(people["direktur"])
    assert rhk.rencana_aksi_id is not None and rhk.iku_id == rhk.rencana_aksi.iku_id


def test_tugas_tambahan_takes_an_origin_allowed_for_the_jenjang_or_none_yet(people):
    skp = services.create_skp(None, people["kasi"], YEAR)
    unlinked = services.add_rhk(None, skp, text="Narasumber", kind="TAMBAHAN", source="TUGAS_TAMBAHAN")
    assert unlinked.task_origin is None
    assert services.missing_link(unlinked).message == "Asal tugas tambahan belum diisi"
    with pytest.raises(PlanningError) as caught:  # Pengawas: outside, or another JPT Pratama only
        services.add_rhk(None, skp, text="Narasumber", kind="TAMBAHAN", source="TUGAS_TAMBAHAN",
                         task_origin="JPT_MADYA_BUKAN_PENILAI")
    assert caught.value.code == "TASK_ORIGIN_NOT_ALLOWED"
    rhk = services.add_rhk(None, skp, text="Narasumber", kind="TAMBAHAN", source="TUGAS_TAMBAHAN",
                           task_origin="LUAR_INSTANSI", task_origin_note="Kementerian Kesehatan")
    assert (rhk.kind, rhk.task_origin, rhk.task_origin_note) == ("TAMBAHAN", "LUAR_INSTANSI", "Kementerian Kesehatan")


def test_update_and_delete_rhk(people):
    skp = full_skp(people["analis"], source="TIM_KERJA", rhk_count=2)
    first, second = skp.rhk
    services.update_rhk(None, first, text="RHK diperbarui", kind="UTAMA", source="JF_SCOPE")
    assert (first.text, first.source) == ("RHK diperbarui", "JF_SCOPE")
    with pytest.raises(PlanningError):
        services.update_rhk(None, first, text="RHK", kind="UTAMA", source="PK")
    assert first.source == "JF_SCOPE"
    services.delete_rhk(None, second)
    db.session.commit()
    assert [r.text for r in skp.rhk] == ["RHK diperbarui"]
    assert db.session.scalar(select(func.count(Iki.id))) == 1
    actions = [e.action for e in history("skp", skp.id)]
    assert "skp.rhk.update" in actions and "skp.rhk.delete" in actions


def test_stranger_may_not_edit(people):
    skp = full_skp(people["analis"], source="TIM_KERJA")
    with pytest.raises(NotAllowed):
        services.add_rhk(people["staf2"], skp, text="X", kind="UTAMA", source="TIM_KERJA")
    with pytest.raises(NotAllowed):
        services.add_iki(people["staf2"], skp.rhk[0], text="X", aspek="WAKTU", target=1, unit_of_measure="bulan")


# --- IKI -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"aspek": "KECEPATAN"}, "aspek"),
    ({"target": "banyak"}, "target"),
    ({"target": -1}, "target"),
    ({"target": None}, "target"),
    ({"target": True}, "target"),
    ({"text": ""}, "text"),
    ({"unit_of_measure": ""}, "unit_of_measure"),
])
def test_bad_iki_refused(people, changes, field):
    skp = services.create_skp(None, people["analis"], YEAR)
    rhk = services.add_rhk(None, skp, text="RHK", kind="UTAMA", source="TIM_KERJA")
    values = {"text": "Laporan", "aspek": "KUANTITAS", "target": 4, "unit_of_measure": "laporan", **changes}
    with pytest.raises(PlanningError) as caught:
        services.add_iki(None, rhk, **values)
    assert caught.value.field == field
    assert rhk.iki == []


def test_update_and_delete_iki(people):
    skp = full_skp(people["analis"], source="TIM_KERJA", iki_per_rhk=2)
    first, second = skp.rhk[0].iki
    services.update_iki(None, first, text="Laporan triwulan", aspek="WAKTU", target="4", unit_of_measure="laporan")
    assert (first.aspek, first.target) == ("WAKTU", 4.0)
    services.delete_iki(None, second)
    db.session.commit()
    assert [i.text for i in skp.rhk[0].iki] == ["Laporan triwulan"]


# --- perilaku and lampiran ----------------------------------------------------------------------------

def test_perilaku_expectation_and_lampiran(people):
    skp = services.create_skp(None, people["analis"], YEAR)
    row = services.set_perilaku_expectation(people["direktur"], skp, "KOLABORATIF", "  Aktif di tim lintas unit ")
    assert row.ekspektasi_khusus == "Aktif di tim lintas unit"
    with pytest.raises(PlanningError):
        services.set_perilaku_expectation(None, skp, "RAJIN", "x")
    services.set_lampiran(people["analis"], skp, "Laptop", "Laporan bulanan", "Sesuai ketentuan")
    assert (skp.sumber_daya, skp.skema_pertanggungjawaban, skp.konsekuensi) == (
        "Laptop", "Laporan bulanan", "Sesuai ketentuan")
    db.session.commit()
    assert db.session.scalar(select(func.count(SkpPerilaku.id)).where(SkpPerilaku.skp_id == skp.id)) == 7
    actions = [e.action for e in history("skp", skp.id)]
    assert "skp.perilaku" in actions and "skp.lampiran" in actions


def test_assessor_sets_expectation_on_a_submitted_skp_but_the_owner_may_not(people, leader):
    skp = submitted(people, leader)
    services.set_perilaku_expectation(people["direktur"], skp, "ADAPTIF", "Cepat belajar aplikasi baru")
    with pytest.raises(WrongState):
        services.set_perilaku_expectation(people["analis"], skp, "ADAPTIF", "lain")


# --- dialog kinerja ----------------------------------------------------------------------------------

def test_record_dialog(people):
    skp = services.create_skp(None, people["analis"], YEAR)
    dialog = services.record_dialog(people["direktur"], people["analis"], held_on=date(2026, 1, 10),
                                    medium="TATAP_MUKA", summary="Menyepakati RHK", agreed_points="3 RHK", skp=skp)
    db.session.commit()
    assert dialog.assessor_id == people["direktur"].id and dialog.skp_id == skp.id
    assert dialog.created_by_id == people["direktur"].id
    assert "skp.dialog" in [e.action for e in history("skp", skp.id)]


@pytest.mark.parametrize("changes, field", [
    ({"medium": "MERPATI"}, "medium"),
    ({"summary": " "}, "summary"),
    ({"held_on": date(2026, 2, 1)}, "held_on"),  # in the future
    ({"held_on": None}, "held_on"),
])
def test_bad_dialog_refused(people, changes, field):
    values = {"held_on": date(2026, 1, 10), "medium": "DARING", "summary": "Dialog", **changes}
    with pytest.raises(PlanningError) as caught:
        services.record_dialog(people["analis"], people["analis"], **values)
    assert caught.value.field == field


def test_stranger_may_not_record_dialog(people):
    with pytest.raises(NotAllowed):
        services.record_dialog(people["staf2"], people["analis"], held_on=date(2026, 1, 10), medium="DARING",
                               summary="x")


# --- submit, approve, return --------------------------------------------------------------------------

def test_submit_needs_an_rhk_utama(people):
    analis = people["analis"]
    skp = services.create_skp(analis, analis, YEAR)
    with pytest.raises(PlanningError) as caught:
        services.submit_skp(analis, skp)
    assert caught.value.code == "NO_RHK_UTAMA"
    rhk = services.add_rhk(analis, skp, text="Narasumber", kind="TAMBAHAN", source="TUGAS_TAMBAHAN",
                           task_origin="LUAR_INSTANSI")
    services.add_iki(analis, rhk, text="Kegiatan", aspek="KUANTITAS", target=2, unit_of_measure="kali")
    with pytest.raises(PlanningError) as caught:
        services.submit_skp(analis, skp)
    assert caught.value.code == "NO_RHK_UTAMA"
    assert skp.status == "DRAFT"


def test_submit_needs_an_iki_per_rhk(people):
    analis = people["analis"]
    skp = full_skp(analis, source="TIM_KERJA")
    services.add_rhk(analis, skp, text="Tanpa IKI", kind="UTAMA", source="TIM_KERJA")
    with pytest.raises(PlanningError) as caught:
        services.submit_skp(analis, skp)
    assert caught.value.code == "RHK_WITHOUT_IKI"
    assert skp.status == "DRAFT"


def test_only_the_owner_submits(people):
    skp = full_skp(people["analis"], source="TIM_KERJA")
    for actor in ("direktur", "hr", "pelaksana"):
        with pytest.raises(NotAllowed):
            services.submit_skp(people[actor], skp)
    assert skp.status == "DRAFT"


def test_full_flow_submit_return_resubmit_approve(people, leader):
    analis, direktur = people["analis"], people["direktur"]
    skp = submitted(people, leader)
    assert skp.status == "SUBMITTED" and skp.submitted_at is not None
    with pytest.raises(PlanningError) as caught:
        services.return_skp(direktur, skp, "  ")
    assert caught.value.field == "reason" and skp.status == "SUBMITTED"
    services.return_skp(direktur, skp, "Target kuantitas terlalu rendah")
    assert (skp.status, skp.return_reason) == ("RETURNED", "Target kuantitas terlalu rendah")
    services.update_iki(analis, skp.rhk[0].iki[0], text="IKI", aspek="KUANTITAS", target=24,
                        unit_of_measure="dokumen")
    services.submit_skp(analis, skp)
    assert skp.return_reason is None
    services.approve_skp(direktur, skp)
    db.session.commit()
    assert skp.status == "APPROVED" and skp.approved_by_id == direktur.id and skp.approved_at is not None
    approve = next(e for e in history("skp", skp.id) if e.action == "skp.approve")
    assert approve.after["assessor"]["nip"] == direktur.nip
    assert approve.after["assessor_superior"]["nip"] == people["deputi"].nip
    assert [e.action for e in reversed(history("skp", skp.id))][-5:] == [
        "skp.submit", "skp.return", "skp.iki.update", "skp.submit", "skp.approve"]


def test_approving_ones_own_skp_refused(people):
    direktur = people["direktur"]
    skp, _ = leader_skp(direktur)
    services.submit_skp(direktur, skp)
    with pytest.raises(NotAllowed) as caught:
        services.approve_skp(direktur, skp)
    assert caught.value.code == "OWN_SKP"
    with pytest.raises(NotAllowed):
        services.return_skp(direktur, skp, "Saya kembalikan sendiri")
    assert skp.status == "SUBMITTED"


@pytest.mark.parametrize("actor", ["kasubdit", "deputi", "direktur2", "hr", "pelaksana"])
def test_non_assessor_approving_refused(people, leader, actor):
    skp = submitted(people, leader)
    with pytest.raises(NotAllowed) as caught:
        services.approve_skp(people[actor], skp)
    assert caught.value.code == "NOT_ASSESSOR"
    assert skp.status == "SUBMITTED" and skp.approved_by_id is None


def test_plh_of_the_assessor_approves(people, leader, org):  # noqa: F811
    """A PLH holding the Direktur's post acts as Pejabat Penilai (decree I.D.3)."""
    skp = submitted(people, leader)
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 12), end=date(2026, 1, 23))
    db.session.commit()
    assert [i.skp_id for i in skp_queries.approval_queue(people["kasubdit"])] == [skp.id]
    services.approve_skp(people["kasubdit"], skp)
    assert skp.status == "APPROVED" and skp.approved_by_id == people["kasubdit"].id


def test_plt_of_a_vacant_post_approves(people, org, make_employee):  # noqa: F811
    """DIT2's head leaves; the Direktur is PLT there and approves the staff's SKP."""
    from kinerja.org.assessors import refresh_assessor_links

    direktur2 = people["direktur2"]
    org_services.save_employee(None, nip=direktur2.nip, name=direktur2.name, status="PNS", jenjang="JF",
                               unit=org["units"]["DEPUTI"], jf_name="Widyaiswara", golongan="IV/d",
                               effective=date(2026, 1, 5))
    org_services.add_acting(None, employee=people["direktur"], unit=org["units"]["DIT2"], kind="PLT",
                            start=date(2026, 1, 5), end=date(2026, 6, 30))
    refresh_assessor_links()
    db.session.commit()
    skp = full_skp(people["staf2"], source="TIM_KERJA")
    services.submit_skp(people["staf2"], skp)
    assert skp.assessor_id == people["direktur"].id
    services.approve_skp(people["direktur"], skp)
    assert skp.status == "APPROVED"


@pytest.mark.parametrize("action", ["approve", "return"])
def test_approve_or_return_a_draft_is_a_wrong_state(people, action):
    skp = full_skp(people["analis"], source="TIM_KERJA")
    with pytest.raises(WrongState):
        if action == "approve":
            services.approve_skp(people["direktur"], skp)
        else:
            services.return_skp(people["direktur"], skp, "alasan")
    assert skp.status == "DRAFT"


def test_wrong_states_on_an_approved_skp(people, leader):
    skp = submitted(people, leader)
    services.approve_skp(people["direktur"], skp)
    for call in (lambda: services.submit_skp(people["analis"], skp),
                 lambda: services.approve_skp(people["direktur"], skp),
                 lambda: services.return_skp(people["direktur"], skp, "alasan")):
        with pytest.raises(WrongState):
            call()
    assert skp.status == "APPROVED"


def test_submitted_skp_cannot_be_edited(people, leader):
    skp = submitted(people, leader)
    with pytest.raises(WrongState):
        services.add_rhk(people["analis"], skp, text="Baru", kind="UTAMA", source="TIM_KERJA")
    with pytest.raises(WrongState):
        services.submit_skp(people["analis"], skp)


def test_editing_an_approved_skp_outside_revision_refused(people, leader):
    skp = submitted(people, leader)
    services.approve_skp(people["direktur"], skp)
    db.session.commit()
    rhk, iki = skp.rhk[0], skp.rhk[0].iki[0]
    attempts = [
        lambda: services.add_rhk(people["analis"], skp, text="Baru", kind="UTAMA", source="TIM_KERJA"),
        lambda: services.update_rhk(people["direktur"], rhk, text="Ubah", kind="UTAMA", source="TIM_KERJA"),
        lambda: services.delete_rhk(people["hr"], rhk),
        lambda: services.add_iki(people["analis"], rhk, text="x", aspek="WAKTU", target=1, unit_of_measure="bln"),
        lambda: services.update_iki(people["analis"], iki, text="x", aspek="WAKTU", target=1, unit_of_measure="b"),
        lambda: services.delete_iki(people["analis"], iki),
        lambda: services.set_lampiran(people["analis"], skp, "a", "b", "c"),
        lambda: services.set_perilaku_expectation(people["direktur"], skp, "LOYAL", "x"),
    ]
    for attempt in attempts:
        with pytest.raises(WrongState) as caught:
            attempt()
        assert "revisi" in caught.value.message
    db.session.rollback()
    assert [r.text for r in db.session.get(Skp, skp.id).rhk] == ["RHK 1"]


# --- revisions ---------------------------------------------------------------------------------------

def test_revision_flow(people, leader):
    analis, direktur = people["analis"], people["direktur"]
    skp = submitted(people, leader)
    services.approve_skp(direktur, skp)
    dialog = services.record_dialog(direktur, analis, held_on=date(2026, 1, 14), medium="DARING",
                                    summary="Tambah ekspektasi baru")
    revision = services.revise_skp(analis, skp, dialog)
    db.session.commit()
    assert (revision.version, revision.status, revision.previous_id) == (2, "DRAFT", skp.id)
    assert revision.revision_dialog_id == dialog.id and dialog.skp_id == skp.id
    assert [(r.text, r.parent_rhk_id, [i.target for i in r.iki]) for r in revision.rhk] == [
        ("RHK 1", leader[1].id, [12.0])]
    assert revision.rhk[0].id != skp.rhk[0].id
    assert len(revision.perilaku) == 7
    assert skp.status == "APPROVED"  # in force until the revision is approved
    assert skp_queries.current_skp(analis, YEAR).id == revision.id
    assert skp_queries.approved_skp(analis, YEAR).id == skp.id
    with pytest.raises(WrongState) as caught:
        services.revise_skp(analis, skp, dialog)
    assert caught.value.code == "REVISION_OPEN"

    services.add_rhk(analis, revision, text="Ekspektasi baru", kind="UTAMA", source="TIM_KERJA")
    services.add_iki(analis, revision.rhk[-1], text="Dokumen", aspek="KUANTITAS", target=2, unit_of_measure="dok")
    services.submit_skp(analis, revision)
    services.approve_skp(direktur, revision)
    db.session.commit()
    assert (skp.status, revision.status) == ("SUPERSEDED", "APPROVED")
    assert [v.version for v in skp_queries.skp_versions(revision)] == [1, 2]
    assert "skp.supersede" in [e.action for e in history("skp", skp.id)]
    assert "skp.revise" in [e.action for e in history("skp", revision.id)]


def test_revision_needs_an_approved_skp_and_a_dialog_of_the_employee(people, leader):
    analis = people["analis"]
    skp = full_skp(analis, parent=leader[1])
    dialog = services.record_dialog(analis, analis, held_on=date(2026, 1, 14), medium="PESAN", summary="x")
    with pytest.raises(WrongState):
        services.revise_skp(analis, skp, dialog)
    services.submit_skp(analis, skp)
    services.approve_skp(people["direktur"], skp)
    with pytest.raises(PlanningError) as caught:
        services.revise_skp(analis, skp, None)
    assert caught.value.field == "dialog_id"
    other = services.record_dialog(None, people["pelaksana"], held_on=date(2026, 1, 14), medium="PESAN",
                                   summary="x")
    with pytest.raises(PlanningError):
        services.revise_skp(analis, skp, other)
    with pytest.raises(NotAllowed):
        services.revise_skp(people["staf2"], skp, dialog)


# --- Matrik Peran Hasil ------------------------------------------------------------------------------

def test_matrik_peran_hasil(people, leader):
    direktur, analis = people["direktur"], people["analis"]
    _, leader_rhk = leader
    share = services.share_rhk(direktur, leader_rhk, analis, "Menyusun naskah kebijakan")
    db.session.commit()
    skp = services.create_skp(analis, analis, YEAR)
    rhk = services.take_share(analis, skp, share)
    db.session.commit()
    assert (rhk.source, rhk.kind, rhk.parent_rhk_id, rhk.text) == (
        "MATRIK_PERAN_HASIL", "UTAMA", leader_rhk.id, "Menyusun naskah kebijakan")
    assert share.taken_rhk_id == rhk.id
    with pytest.raises(WrongState):
        services.take_share(analis, skp, share)
    assert "skp.share" in [e.action for e in history("skp", leader_rhk.skp_id)]


def test_matrik_peran_hasil_refusals(people, leader):
    direktur, analis = people["direktur"], people["analis"]
    _, leader_rhk = leader
    with pytest.raises(NotAllowed):  # not the owner of the RHK
        services.share_rhk(people["kasubdit"], leader_rhk, analis, "x")
    with pytest.raises(NotAllowed) as caught:  # not someone he assesses
        services.share_rhk(direktur, leader_rhk, people["staf2"], "x")
    assert caught.value.code == "NOT_TEAM_MEMBER"
    with pytest.raises(PlanningError):
        services.share_rhk(direktur, leader_rhk, analis, "")
    share = services.share_rhk(direktur, leader_rhk, analis, "Bagian analis")
    with pytest.raises(PlanningError):
        services.share_rhk(direktur, leader_rhk, analis, "Bagian analis")
    other_skp = services.create_skp(None, people["pelaksana"], YEAR)
    with pytest.raises(NotAllowed):
        services.take_share(people["pelaksana"], other_skp, share)
    assert db.session.scalar(select(func.count(RencanaHasilKerja.id)).where(
        RencanaHasilKerja.skp_id == other_skp.id)) == 0


# --- queries -----------------------------------------------------------------------------------------

def test_approval_queue_lists_only_his_submitted_skps(people, leader):
    mine = submitted(people, leader, "analis")
    other = full_skp(people["staf2"], source="TIM_KERJA")
    services.submit_skp(people["staf2"], other)
    draft = full_skp(people["pelaksana"], source="TIM_KERJA")
    db.session.commit()
    queue = skp_queries.approval_queue(people["direktur"])
    assert [item.skp_id for item in queue] == [mine.id]
    item = queue[0]
    assert (item.employee_name, item.employee_nip, item.unit_name, item.rhk_count, item.iki_count) == (
        "Analis", people["analis"].nip, "Unit DIT", 1, 1)
    assert item.status == "SUBMITTED" and item.employee is people["analis"]
    assert skp_queries.approval_queue_count(people["direktur"]) == 1
    assert skp_queries.approval_queue(people["direktur"], year=2025) == []
    assert [i.skp_id for i in skp_queries.approval_queue(people["direktur2"])] == [other.id]
    assert draft.id not in [i.skp_id for i in queue]
    assert skp_queries.queue_item(mine).rhk_count == 1


def test_unit_planning_status(people, leader, org):  # noqa: F811
    submitted(people, leader, "analis")
    full_skp(people["pelaksana"], source="TIM_KERJA")
    db.session.commit()
    status = skp_queries.unit_planning_status(org["units"]["DIT"], YEAR)
    by_name = {row.name: row.status for row in status.rows}
    assert by_name == {"Direktur": "APPROVED", "Kasubdit": None, "Kasi": None, "Analis": "SUBMITTED",
                       "Pelaksana": "DRAFT", "Penyuluh": None}
    assert {row.name for row in status.without_skp} == {"Kasubdit", "Kasi", "Penyuluh"}
    assert [row.name for row in status.waiting] == ["Analis"]
    assert status.waiting[0].assessor_name == "Direktur"
    assert status.counts == {"DRAFT": 1, "SUBMITTED": 1, "APPROVED": 1}
    assert [(u.code, u.employee_count, u.without_skp_count) for u in status.units] == [("SUBDIT", 2, 2)]


def test_days_until_sync():
    assert skp_queries.days_until_sync(date(2026, 1, 15), 2026) == 22
    assert skp_queries.days_until_sync(date(2026, 2, 6), 2026) == 0
    assert skp_queries.days_until_sync(date(2026, 2, 10), 2026) == -4


def test_load_skp_brings_everything(people, leader):
    skp_id = full_skp(people["analis"], parent=leader[1], rhk_count=3, iki_per_rhk=2).id
    db.session.expunge_all()
    loaded = skp_queries.load_skp(skp_id)
    assert len(loaded.rhk) == 3 and all(len(r.iki) == 2 for r in loaded.rhk)
    assert skp_queries.load_skp(999999) is None


def test_refused_call_writes_no_audit_row(people):
    skp = services.create_skp(None, people["analis"], YEAR)
    db.session.commit()
    count = db.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(PlanningError):
        services.add_rhk(None, skp, text="x", kind="UTAMA", source="PK")
    assert db.session.scalar(select(func.count(AuditEntry.id))) == count


def test_approved_revision_of_the_leader_carries_the_team_cascades(people, leader):
    direktur, analis = people["direktur"], people["analis"]
    leader_skp_, leader_rhk = leader
    member_skp = full_skp(analis, parent=leader_rhk)
    share = services.share_rhk(direktur, leader_rhk, analis, "Bagian analis")
    dialog = services.record_dialog(direktur, direktur, held_on=date(2026, 1, 14), medium="TATAP_MUKA",
                                    summary="Penyesuaian target")
    revision = services.revise_skp(direktur, leader_skp_, dialog)
    services.submit_skp(direktur, revision)
    assert member_skp.rhk[0].parent_rhk_id == leader_rhk.id  # nothing moves before approval
    services.approve_skp(people["deputi"], revision)
    db.session.commit()
    db.session.expire_all()
    copy = revision.rhk[0]
    assert copy.id != leader_rhk.id and copy.text == leader_rhk.text
    assert member_skp.rhk[0].parent_rhk_id == copy.id
    assert share.leader_rhk_id == copy.id
    with pytest.raises(PlanningError) as caught:  # the superseded version's RHK is no longer offered
        services.add_rhk(analis, member_skp, text="Lagi", kind="UTAMA", source="CASCADING", parent_rhk=leader_rhk)
    assert caught.value.code == "PARENT_SUPERSEDED"

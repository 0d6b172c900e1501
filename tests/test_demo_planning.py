"""seed-demo, planning: the signed PK from Kepala BKKBN down, and an SKP cascaded from it for everybody."""

from functools import partial

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from kinerja import clock, demo, demo_planning
from kinerja.auth import services as auth_services
from kinerja.auth.models import User
from kinerja.extensions import db
from kinerja.org.assessors import resolve_for
from kinerja.org.models import Unit
from kinerja.planning import pk as pk_services
from kinerja.planning.models import DialogKinerja, PeranHasil, PerjanjianKinerja, Skp
from kinerja.planning.pk_queries import cascade_tree, current_pk
from kinerja.planning.skp_queries import approval_queue, current_skp
from kinerja.rules.skp import allowed_rhk_sources, allowed_task_origins
from kinerja.rules.trajectory import check_trajectory
from tests.factories import login_as

PIMPINAN = {"JPT_MADYA", "JPT_PRATAMA", "KEPALA_PERWAKILAN", "ADMINISTRATOR"}
# the documented exceptions (docs/demo.md, "Perencanaan")
PENDING = {"birumas_pelaksana": "SUBMITTED", "dit_pelaksana": "SUBMITTED", "tuwas_pelaksana": "RETURNED",
           "papua_staf": "DRAFT"}


@pytest.fixture(autouse=True)
def _cheap_password_hash(monkeypatch):
    """Hash the demo password cheaply: forty scrypt hashes per build would dominate the run."""
    monkeypatch.setattr(auth_services, "generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


@pytest.fixture
def built(app):
    """Build the demo and return the year it planned."""
    demo.build_demo()
    return clock.today().year


def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _person(key: str):
    return demo.demo_employee(key)


def test_every_pk_is_signed_complete_and_aligned_from_kepala_down_to_a_perwakilan(built):
    pks = list(db.session.scalars(select(PerjanjianKinerja).where(PerjanjianKinerja.year == built)))
    assert {pk.unit.code for pk in pks} == {spec.unit for spec in demo_planning.PK_SPECS}
    assert {"BKKBN", "SESTAMA", "DEPUTI-KBKR", "ITTAMA", "BIRO-RENCANA", "PERWAKILAN-SULSEL",
            "PERWAKILAN-PAPUA", "SULSEL-SEKRETARIAT", "SULSEL-BIDANG-KBKR", "BIRUMAS-HUMAS"} <= {
        pk.unit.code for pk in pks}
    polarities, consolidations, kinds = set(), set(), set()
    for pk in pks:
        assert pk.status == "SIGNED" and pk.version == 1, pk.unit.code
        assert pk.signed_by_head_at is not None
        assert pk.head_id == pk_services.unit_head(pk.unit).id
        if pk.unit.parent is None:
            assert pk.superior_id is None and len(pk.sasaran) == 2
        else:
            assert pk.superior_id == pk_services.resolve_superior(pk.unit).id
            assert pk.signed_by_superior_at is not None
        assert pk_services.signing_problems(pk) == []
        assert abs(sum(iku.weight for iku in pk.iku) - 100) < 0.01, pk.unit.code
        assert pk.anggaran and pk.input_renstra and pk.input_ekspektasi_pimpinan
        above = pk_services.parent_pk(pk)
        for iku in pk.iku:
            assert check_trajectory(built, iku.consolidation, iku.aggregation, iku.polarity, iku.target,
                                    iku.trajectory_dict()) == [], iku.code
            if above is not None:  # every IKU below the root supports an IKU of the PK directly above
                assert iku.parent_iku_id in {parent.id for parent in above.iku}, iku.code
            polarities.add(iku.polarity)
            consolidations.add(iku.consolidation)
            kinds |= {action.kind for action in iku.actions}
    assert polarities == {"MAX", "MIN", "STABIL"}
    assert consolidations == {"MONTHLY", "QUARTERLY", "SEMESTER", "YEARLY"}
    assert kinds == {"RENCANA_AKSI", "INISIATIF_STRATEGIS", "MITIGASI_RISIKO"}
    # a Perwakilan sits under the root: it cascades from and signs with Kepala BKKBN
    sulsel = current_pk(_unit("PERWAKILAN-SULSEL"), built)
    assert pk_services.parent_pk(sulsel).unit.code == "BKKBN"
    assert sulsel.superior_id == _person("kepala").id
    assert {iku.parent.code for iku in sulsel.iku} == {"BKKBN-01", "BKKBN-02", "BKKBN-03", "BKKBN-04"}
    # Biro Perencanaan has no definitive head: its PLT signs as pihak pertama
    rencana = current_pk(_unit("BIRO-RENCANA"), built)
    assert rencana.head_id == _person("karo_sdm").id and rencana.superior_id == _person("sestama").id
    tree = cascade_tree(_unit("BKKBN"), built)
    assert (tree.with_pk, tree.unaligned, tree.unsupported) == (len(pks), 0, 0)


def test_every_employee_but_the_documented_ones_has_an_approved_skp_from_his_real_assessor(built):
    assert demo_planning.PENDING == PENDING
    assert current_skp(_person("kepala"), built) is None  # Kepala BKKBN has no SKP in the system
    for spec in demo.PEOPLE:
        if spec.key == "kepala":
            continue
        employee = _person(spec.key)
        skp = current_skp(employee, built)
        assert skp is not None, spec.key
        assert skp.status == PENDING.get(spec.key, "APPROVED"), spec.key
        assessor = resolve_for(employee).assessor
        if skp.status == "APPROVED":
            assert skp.approved_by_id == assessor.id and skp.assessor_id == assessor.id, spec.key
    assert current_skp(_person("perencana"), built).approved_by_id == _person("karo_sdm").id  # the PLT
    returned = current_skp(_person("tuwas_pelaksana"), built)
    assert returned.return_reason == demo_planning.RETURN_REASON
    draft = current_skp(_person("papua_staf"), built)
    assert draft.assessor_id is None and resolve_for(_person("papua_staf")).problem == "VACANT"
    assert draft.rhk and draft.rhk[0].source == "RENCANA_AKSI" and draft.rhk[0].iki


def test_skps_cascade_from_the_pk_and_from_the_assessors_rhk(built):
    skps = list(db.session.scalars(select(Skp).where(Skp.year == built)))
    assert len(skps) == len(demo.PEOPLE) - 1
    sources, aspek = set(), set()
    for skp in skps:
        employee = skp.employee
        assessor = resolve_for(employee).assessor
        assert skp.sumber_daya and skp.skema_pertanggungjawaban and skp.konsekuensi, employee.name
        assert any(rhk.kind == "UTAMA" for rhk in skp.rhk)
        if assessor is not None:
            assert any(p.ekspektasi_khusus for p in skp.perilaku), employee.name
            assert db.session.scalar(select(DialogKinerja.id).where(DialogKinerja.skp_id == skp.id)) is not None
        for rhk in skp.rhk:
            sources.add(rhk.source)
            assert 1 <= len(rhk.iki) <= 3, rhk.text
            aspek |= {iki.aspek for iki in rhk.iki}
            assert rhk.source in allowed_rhk_sources(skp.jenjang, rhk.kind), rhk.text
            if rhk.source == "PK":
                pk = current_pk(rhk.iku.pk.unit, built)
                assert pk.status == "SIGNED" and rhk.iku in pk.iku
                if employee.jenjang in PIMPINAN:  # a head plans from his own unit's PK
                    assert rhk.iku.pk.unit_id in {employee.unit_id, _unit("BIRO-RENCANA").id}
            if rhk.source == "RENCANA_AKSI":
                assert rhk.rencana_aksi is not None and rhk.iku_id == rhk.rencana_aksi.iku_id
            if rhk.source in ("CASCADING", "MATRIK_PERAN_HASIL"):
                assessor_skp = current_skp(assessor, built)
                assert rhk.parent.skp_id == assessor_skp.id, rhk.text
                assert assessor_skp.status == "APPROVED"
            if rhk.kind == "TAMBAHAN":
                assert rhk.source == "TUGAS_TAMBAHAN"
                assert rhk.task_origin in allowed_task_origins(skp.jenjang) and rhk.task_origin_note
        if employee.jenjang in PIMPINAN:
            assert {rhk.source for rhk in skp.rhk if rhk.kind == "UTAMA"} <= {"PK", "RENCANA_AKSI"}
    assert sources == {"PK", "RENCANA_AKSI", "CASCADING", "MATRIK_PERAN_HASIL", "JF_SCOPE", "TUGAS_TAMBAHAN"}
    assert aspek == {"KUANTITAS", "KUALITAS", "WAKTU", "BIAYA"}
    # the Matrik Peran Hasil: the Sekretaris Perwakilan shared, her Penyuluh KB and PLKB took
    shares = list(db.session.scalars(select(PeranHasil)))
    assert {share.employee_id for share in shares} == {_person("penyuluh_kb").id, _person("plkb").id}
    assert all(share.taken_rhk_id is not None for share in shares)
    assert all(share.leader_rhk.skp.employee_id == _person("sekretaris_sulsel").id for share in shares)
    # the staff RHK point at the very RHK the specs name
    texts = {rhk.ref: rhk.text for spec in demo_planning.SKP_SPECS for rhk in spec.rhk}
    for spec in demo_planning.SKP_SPECS:
        skp = current_skp(_person(spec.key), built)
        by_text = {rhk.text: rhk for rhk in skp.rhk}
        for rhk_spec in spec.rhk:
            if rhk_spec.parent:
                assert by_text[rhk_spec.text].parent.text == texts[rhk_spec.parent]


def test_pending_skps_wait_in_the_documented_assessors_queue(built, client):
    queue = approval_queue(_person("kabag_humas"), built)
    assert [item.employee_id for item in queue] == [_person("birumas_pelaksana").id]
    queue = approval_queue(_person("direktur_kespro"), built)
    assert [item.employee_id for item in queue] == [_person("dit_pelaksana").id]
    assert approval_queue(_person("kabag_umum_ittama"), built) == []  # returned: back with the employee
    assert approval_queue(_person("sestama"), built) == []

    hints = {login.key: login.hint for login in demo.build_demo()}
    assert "1 SKP menunggu persetujuan Anda" in hints["kabag_humas"]
    assert "menunggu persetujuan" in hints["birumas_pelaksana"]
    assert "dikembalikan" in hints["tuwas_pelaksana"]
    assert "masih draf" in hints["papua_staf"]
    assert "SKP" not in hints["kepala"] and "SKP" not in hints["hr"]

    kabag = db.session.scalar(select(User).where(User.employee_id == _person("kabag_humas").id))
    login_as(client, kabag)
    page = client.get("/planning/approvals")
    assert page.status_code == 200
    assert _person("birumas_pelaksana").name in page.get_data(as_text=True)


def test_running_twice_keeps_every_table(app):
    demo.build_demo()

    def counts():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}

    first = counts()
    assert first["perjanjian_kinerja"] == len(demo_planning.PK_SPECS) and first["skp"] == len(demo.PEOPLE) - 1
    demo.build_demo()
    assert counts() == first


def test_trajectory_helper_reaches_every_target():
    for pk_spec in demo_planning.PK_SPECS:
        for sasaran in pk_spec.sasaran:
            for iku in sasaran.iku:
                values = demo_planning.trajectory(2027, iku)
                assert check_trajectory(2027, iku.consolidation, iku.aggregation, iku.polarity, iku.target,
                                        values) == [], iku.code

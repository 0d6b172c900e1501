# ruff: noqa: F811 - the fixtures imported from pk_fixtures are used as test parameters
"""Services of the Perjanjian Kinerja: create, edit, sign, amend, diff, alignment, cascade, audit."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.planning import charts, pk_queries
from kinerja.planning import pk as services
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import Iku, PerjanjianKinerja
from tests.planning.pk_fixtures import YEAR, build_pk, linear, org, signed_pk  # noqa: F401


def audit_actions(pk_id) -> list[str]:
    stmt = (select(AuditEntry.action).where(AuditEntry.object_type == "pk", AuditEntry.object_id == str(pk_id))
            .order_by(AuditEntry.id))
    return list(db.session.scalars(stmt))


# --- create and parties ------------------------------------------------------------------------

def test_create_resolves_head_and_superior(org):
    pk = services.create_pk(org.direktur, org.units.dit, YEAR)
    assert (pk.version, pk.status, pk.head_id, pk.superior_id) == (1, "DRAFT", org.direktur.id, org.deputi.id)
    assert audit_actions(pk.id) == ["pk.create"]


def test_root_pk_has_no_superior(org):
    pk = services.create_pk(None, org.units.bkkbn, YEAR)
    assert pk.head_id == org.kepala.id and pk.superior_id is None


def test_superior_skips_a_vacant_unit(org, make_unit):
    vacant = make_unit("VACANT", "ESELON_II", org.units.deputi)
    below = make_unit("BELOW", "ESELON_III", vacant)
    assert services.resolve_superior(below).id == org.deputi.id


def test_plt_is_head_of_a_vacant_unit(org, make_unit, make_employee):
    from kinerja import clock

    vacant = make_unit("VAC2", "ESELON_II", org.units.deputi)
    acting = make_employee(org.units.dit, "ADMINISTRATOR")
    org_services.add_acting(None, employee=acting, unit=vacant, kind="PLT", start=clock.today(),
                            end=clock.today().replace(year=clock.today().year + 1))
    db.session.commit()
    pk = services.create_pk(acting, vacant, YEAR)
    assert pk.head_id == acting.id
    services.add_sasaran(acting, pk, "Sasaran PLT")  # the PLT edits his unit's draft


def test_create_refuses_a_second_pk_of_the_same_year(org):
    build_pk(None, org.units.dit)
    with pytest.raises(WrongState):
        services.create_pk(org.direktur, org.units.dit, YEAR)


def test_create_refused_to_staff_and_other_branches(org):
    for actor in (org.analis, org.deputi2, org.staf2, org.hr):
        with pytest.raises(NotAllowed):
            services.create_pk(actor, org.units.dit, YEAR)
    services.create_pk(org.planner, org.units.dit, YEAR)


def test_superior_may_start_the_pk_below(org):
    assert services.create_pk(org.deputi, org.units.dit, YEAR).head_id == org.direktur.id


# --- edit --------------------------------------------------------------------------------------

def test_edit_inputs_and_children_write_audit(org):
    pk = services.create_pk(org.direktur, org.units.dit, YEAR)
    services.update_pk(org.direktur, pk, input_renstra="Renstra 2025-2029", input_renja="Renja 2026")
    ss = services.add_sasaran(org.direktur, pk, "Meningkatnya layanan KB")
    iku = services.add_iku(org.deputi, ss, code="A", name="Cakupan", polarity="MAX", weight=100,
                           unit_of_measure="persen", target=80, consolidation="QUARTERLY", aggregation="KUMULATIF",
                           target_kind="OUTCOME")
    services.set_trajectory(org.planner, iku, {"2026-03": 20, "2026-06": 40, "2026-09": 60, "2026-12": 80})
    action = services.add_action(org.direktur, iku, kind="MITIGASI_RISIKO", description="Cadangan petugas",
                                 period="2026-04")
    line = services.add_anggaran(org.direktur, pk, program="Program KB", kegiatan="Kegiatan 1", amount="1500000.50",
                                 dipa_ref="DIPA-01")
    task = services.add_penugasan(org.direktur, pk, "Tugas khusus pimpinan")
    services.delete_action(org.direktur, action)
    services.delete_anggaran(org.direktur, line)
    services.delete_penugasan(org.direktur, task)
    db.session.commit()
    assert pk.input_renstra == "Renstra 2025-2029"
    assert iku.trajectory_dict() == {"2026-03": 20, "2026-06": 40, "2026-09": 60, "2026-12": 80}
    assert audit_actions(pk.id) == [
        "pk.create", "pk.update", "pk.sasaran.add", "pk.iku.add", "pk.trajectory.set", "pk.action.add",
        "pk.anggaran.add", "pk.penugasan.add", "pk.action.delete", "pk.anggaran.delete", "pk.penugasan.delete"]


@pytest.mark.parametrize("who", ["analis", "deputi2", "staf2", "hr", "kasubdit"])
def test_edit_refused_to_others(org, who):
    pk = build_pk(None, org.units.dit)
    with pytest.raises(NotAllowed):
        services.add_sasaran(getattr(org, who), pk, "Tidak boleh")


@pytest.mark.parametrize("field, value", [("polarity", "NAIK"), ("weight", 0), ("weight", 101),
                                          ("target", -1), ("consolidation", "WEEKLY"), ("code", " ")])
def test_bad_iku_is_refused_and_nothing_written(org, field, value):
    pk = services.create_pk(None, org.units.dit, YEAR)
    ss = services.add_sasaran(None, pk, "SS")
    db.session.commit()
    kwargs = dict(code="A", name="N", polarity="MAX", weight=50, unit_of_measure="%", target=10)
    kwargs[field] = value
    with pytest.raises(PlanningError) as caught:
        services.add_iku(None, ss, **kwargs)
    assert caught.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Iku)) == 0


def test_duplicate_iku_code_refused(org):
    pk = build_pk(None, org.units.dit)
    with pytest.raises(PlanningError, match="sudah dipakai"):
        services.add_iku(None, pk.sasaran[0], code="IKU-1", name="x", polarity="MAX", weight=1,
                         unit_of_measure="%", target=1)


def test_trajectory_not_reaching_target_is_refused(org):
    pk = build_pk(None, org.units.dit, with_trajectory=False)
    iku = pk.iku[0]
    values = linear(YEAR, 90)  # the target is 100
    with pytest.raises(PlanningError) as caught:
        services.set_trajectory(org.direktur, iku, values)
    assert "TARGET_NOT_REACHED" in {p.code for p in caught.value.problems}
    assert "tidak sama dengan target tahunan" in caught.value.message
    db.session.rollback()
    assert pk_queries.load_pk(pk.id).iku[0].trajectory == []


def test_incomplete_or_wrong_period_trajectory_is_refused(org):
    pk = build_pk(None, org.units.dit, with_trajectory=False)
    iku = pk.iku[0]
    with pytest.raises(PlanningError) as caught:
        services.set_trajectory(None, iku, {"2026-12": 100, "2025-01": 3})
    codes = {p.code for p in caught.value.problems}
    assert {"PERIOD_MISSING", "PERIOD_OTHER_YEAR"} <= codes


def test_change_of_consolidation_drops_unused_periods(org):
    pk = build_pk(None, org.units.dit)
    iku = pk.iku[0]
    services.update_iku(None, iku, code=iku.code, name=iku.name, polarity="MAX", weight=iku.weight,
                        unit_of_measure="persen", target=iku.target, consolidation="QUARTERLY",
                        aggregation="KUMULATIF", target_kind="OUTPUT")
    assert sorted(iku.trajectory_dict()) == ["2026-03", "2026-06", "2026-09", "2026-12"]
    assert "pk.iku.update" in audit_actions(pk.id)


# --- signing -----------------------------------------------------------------------------------

def test_sign_by_both_parties(org):
    pk = build_pk(None, org.units.dit)
    services.sign_pk(org.direktur, pk)
    assert pk.status == "DRAFT" and pk.signed_by_head_at is not None
    with pytest.raises(WrongState):
        services.sign_pk(org.direktur, pk)
    services.sign_pk(org.deputi, pk)
    db.session.commit()
    assert pk.status == "SIGNED" and pk.signed_by_superior_at is not None
    assert audit_actions(pk.id)[-2:] == ["pk.sign", "pk.sign"]


def test_root_pk_is_signed_by_the_head_alone(org):
    pk = build_pk(None, org.units.bkkbn)
    services.sign_pk(org.kepala, pk)
    assert pk.status == "SIGNED"


@pytest.mark.parametrize("who", ["analis", "planner", "hr", "deputi2", "kasubdit"])
def test_sign_refused_to_non_parties(org, who):
    pk = build_pk(None, org.units.dit)
    with pytest.raises(NotAllowed):
        services.sign_pk(getattr(org, who), pk)


def test_sign_refused_when_weights_do_not_make_100(org):
    pk = build_pk(None, org.units.dit, ikus=(("A", 60, 100, None), ("B", 30, 10, None)))
    with pytest.raises(PlanningError) as caught:
        services.sign_pk(org.direktur, pk)
    assert "WEIGHTS_SUM" in {p.code for p in caught.value.problems}
    assert pk.signed_by_head_at is None


def test_sign_refused_without_trajectory_or_sasaran(org):
    pk = build_pk(None, org.units.dit, with_trajectory=False)
    with pytest.raises(PlanningError) as caught:
        services.sign_pk(org.direktur, pk)
    assert "PERIOD_MISSING" in {p.code for p in caught.value.problems}
    empty = services.create_pk(None, org.units.deputi, YEAR)
    with pytest.raises(PlanningError, match="sasaran strategis"):
        services.sign_pk(org.deputi, empty)


def test_edit_after_one_signature_clears_it(org):
    pk = build_pk(None, org.units.dit)
    services.sign_pk(org.direktur, pk)
    services.add_penugasan(org.deputi, pk, "Tambahan")
    assert pk.signed_by_head_at is None


def test_signed_pk_is_never_edited_in_place(org):
    pk = signed_pk(org, org.units.dit, org.direktur, org.deputi)
    iku = pk.iku[0]
    calls = [
        lambda: services.add_sasaran(org.direktur, pk, "x"),
        lambda: services.update_pk(org.direktur, pk, input_renja="x"),
        lambda: services.set_trajectory(org.direktur, iku, linear(YEAR, 100)),
        lambda: services.delete_iku(org.planner, iku),
        lambda: services.add_anggaran(org.direktur, pk, program="p", kegiatan="k", amount=1),
        lambda: services.add_action(org.direktur, iku, kind="RENCANA_AKSI", description="x"),
        lambda: services.sign_pk(org.direktur, pk),
    ]
    for call in calls:
        with pytest.raises(WrongState):
            call()


# --- Perubahan PK ------------------------------------------------------------------------------

def test_amend_copies_the_tree_and_supersedes_on_signing(org):
    pk = build_pk(None, org.units.dit, commit=False)
    services.add_action(None, pk.iku[0], kind="RENCANA_AKSI", description="Sosialisasi", period="2026-02")
    services.add_anggaran(None, pk, program="P", kegiatan="K", amount=5, dipa_ref="D")
    services.sign_pk(org.direktur, pk)
    services.sign_pk(org.deputi, pk)
    new = services.amend_pk(org.direktur, pk, "LEADERSHIP_POLICY", "Arahan pimpinan: target naik", org.deputi)
    db.session.commit()
    assert (new.version, new.status, new.previous_id) == (2, "DRAFT", pk.id)
    assert new.amendment_reason == "LEADERSHIP_POLICY" and new.amendment_approved_by_id == org.deputi.id
    assert [i.code for i in new.iku] == ["IKU-1", "IKU-2"]
    assert new.iku[0].trajectory_dict() == pk.iku[0].trajectory_dict()
    assert [a.description for a in new.iku[0].actions] == ["Sosialisasi"]
    assert [(a.program, a.dipa_ref) for a in new.anggaran] == [("P", "D")]
    assert {i.id for i in new.iku}.isdisjoint({i.id for i in pk.iku})
    assert pk.status == "SIGNED"
    assert pk_queries.current_pk(org.units.dit, YEAR).id == pk.id  # the old one is in force meanwhile
    with pytest.raises(WrongState):
        services.amend_pk(org.direktur, pk, "REGULATION", "lagi", org.deputi)

    services.update_iku(org.direktur, new.iku[0], code="IKU-1", name="Indikator IKU-1", polarity="MAX", weight=60,
                        unit_of_measure="persen", target=120, consolidation="MONTHLY", aggregation="KUMULATIF",
                        target_kind="OUTCOME")
    services.set_trajectory(org.direktur, new.iku[0], linear(YEAR, 120))
    services.sign_pk(org.direktur, new)
    services.sign_pk(org.deputi, new)
    db.session.commit()
    assert (pk.status, new.status) == ("SUPERSEDED", "SIGNED")
    assert pk_queries.current_pk(org.units.dit, YEAR).id == new.id
    assert "pk.supersede" in audit_actions(pk.id)
    assert "pk.amend" in audit_actions(new.id)
    with pytest.raises(WrongState):
        services.add_sasaran(org.direktur, pk, "x")  # superseded


def test_amend_needs_a_signed_pk_reason_note_and_approver(org):
    draft = build_pk(None, org.units.dit)
    with pytest.raises(WrongState):
        services.amend_pk(org.direktur, draft, "REGULATION", "x", org.deputi)
    services.sign_pk(org.direktur, draft)
    services.sign_pk(org.deputi, draft)
    with pytest.raises(PlanningError):
        services.amend_pk(org.direktur, draft, "WHIM", "x", org.deputi)
    with pytest.raises(PlanningError):
        services.amend_pk(org.direktur, draft, "REGULATION", " ", org.deputi)
    with pytest.raises(PlanningError):
        services.amend_pk(org.direktur, draft, "REGULATION", "x", None)
    with pytest.raises(NotAllowed):
        services.amend_pk(org.analis, draft, "REGULATION", "x", org.deputi)


def test_diff_between_versions(org):
    pk = signed_pk(org, org.units.dit, org.direktur, org.deputi)
    new = services.amend_pk(org.planner, pk, "REGULATION", "APBN berubah", org.deputi)
    services.delete_iku(org.planner, new.iku[1])
    services.add_iku(org.planner, new.sasaran[0], code="IKU-3", name="Baru", polarity="MIN", weight=40,
                     unit_of_measure="kasus", target=5)
    services.update_iku(org.planner, new.iku[0], code="IKU-1", name="Indikator IKU-1", polarity="MAX", weight=60,
                        unit_of_measure="persen", target=90, consolidation="MONTHLY", aggregation="KUMULATIF",
                        target_kind="OUTCOME")
    services.add_anggaran(org.planner, new, program="P", kegiatan="K", amount=10)
    services.update_pk(org.planner, new, head=org.analis)
    db.session.commit()
    diff = pk_queries.diff_pk(pk_queries.load_pk(pk.id), pk_queries.load_pk(new.id))
    assert [i.code for i in diff.iku_added] == ["IKU-3"]
    assert [i.code for i in diff.iku_removed] == ["IKU-2"]
    (changed, changes), = diff.iku_changed
    assert changed.code == "IKU-1" and {label for label, _, _ in changes} == {"Target"}
    assert diff.officials[0][0] == "Pihak pertama" and "Analis" in diff.officials[0][2]
    assert len(diff.anggaran_added) == 1 and not diff.empty


# --- alignment and cascade ---------------------------------------------------------------------

def test_parent_iku_must_come_from_the_pk_above(org):
    deputi_pk = signed_pk(org, org.units.deputi, org.deputi, org.kepala)
    other = build_pk(None, org.units.deputi2, ikus=(("X", 100, 1, None),))
    pk = services.create_pk(None, org.units.dit, YEAR)
    ss = services.add_sasaran(None, pk, "SS")
    base = dict(name="n", polarity="MAX", weight=50, unit_of_measure="%", target=1)
    services.add_iku(None, ss, code="OK", parent_iku=deputi_pk.iku[0], **base)
    with pytest.raises(PlanningError, match="unit di atasnya"):
        services.add_iku(None, ss, code="BAD", parent_iku=other.iku[0], **base)
    assert [i.code for i in pk_queries.parent_iku_choices(pk)] == ["IKU-1", "IKU-2"]


def test_cascade_tree_flags_unaligned_and_unsupported(org):
    top = build_pk(None, org.units.bkkbn, ikus=(("K1", 50, 10, None), ("K2", 50, 10, None)))
    deputi = build_pk(None, org.units.deputi, ikus=(("D1", 50, 10, top.iku[0]), ("D2", 50, 10, None)))
    build_pk(None, org.units.dit, ikus=(("T1", 100, 10, deputi.iku[0]),))
    tree = pk_queries.cascade_tree(org.units.bkkbn, YEAR)
    assert (tree.units, tree.with_pk, tree.iku) == (5, 3, 5)
    root = tree.root
    lines = {line.code: line for line in root.iku}
    assert lines["K1"].supporters == 1 and not lines["K1"].unsupported
    assert lines["K2"].unsupported
    deputi_node = next(c for c in root.children if c.code == "DEPUTI")
    d = {line.code: line for line in deputi_node.iku}
    assert d["D1"].parent_code == "K1" and not d["D1"].unaligned
    assert d["D2"].unaligned and d["D2"].unsupported
    assert (tree.unaligned, tree.unsupported) == (1, 2)
    subtree = pk_queries.cascade_tree(org.units.dit, YEAR)
    assert subtree.root.iku[0].parent_code == "D1"


def test_cascade_follows_links_to_a_superseded_parent(org):
    top = signed_pk(org, org.units.deputi, org.deputi, org.kepala)
    build_pk(None, org.units.dit, ikus=(("T1", 100, 10, top.iku[0]),))
    amended = services.amend_pk(None, top, "REGULATION", "APBN", org.kepala)
    services.sign_pk(org.deputi, amended)
    services.sign_pk(org.kepala, amended)
    db.session.commit()
    tree = pk_queries.cascade_tree(org.units.deputi, YEAR)
    dit = tree.root.children[0]
    assert dit.iku[0].parent_code == "IKU-1" and not dit.iku[0].unaligned
    assert tree.root.iku[0].supporters == 1


def test_amendment_relinks_to_the_current_parent(org):
    top = signed_pk(org, org.units.deputi, org.deputi, org.kepala)
    child = signed_pk(org, org.units.dit, org.direktur, org.deputi,
                      ikus=(("T1", 100, 10, top.iku[0]),))
    amended_top = services.amend_pk(None, top, "REGULATION", "APBN", org.kepala)
    services.sign_pk(org.deputi, amended_top)
    services.sign_pk(org.kepala, amended_top)
    new_child = services.amend_pk(None, child, "REGULATION", "ikut atasan", org.deputi)
    db.session.flush()
    assert new_child.iku[0].parent_iku_id == amended_top.iku[0].id


# --- current_pk and charts ----------------------------------------------------------------------

def test_current_pk_prefers_signed_version(org):
    assert pk_queries.current_pk(org.units.dit, YEAR) is None
    pk = build_pk(None, org.units.dit)
    assert pk_queries.current_pk(org.units.dit, YEAR).id == pk.id
    assert db.session.scalar(select(func.count()).select_from(PerjanjianKinerja)) == 1


def test_trajectory_svg_is_escaped_and_draws_the_points():
    svg = charts.trajectory_svg(["2026-03", "2026-06", "2026-09", "2026-12"], [1, 2, None, 4], 4,
                                title="<script>alert(1)</script>")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('<circle class="trajectory"') == 3
    assert 'class="target"' in svg
    assert "<svg" in charts.trajectory_svg(["2026-12"], [None], None)

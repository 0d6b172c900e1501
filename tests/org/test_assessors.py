"""The assessor engine over the database: dated positions, acting, overrides, the batch,
the AssessorLink snapshot and the HR list of employees without an assessor."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import event, func, select

from kinerja.extensions import db
from kinerja.org import services
from kinerja.org.assessors import refresh_assessor_links, resolve_all, resolve_for
from kinerja.org.models import AssessorLink, Employee
from kinerja.org.relations import acting_heads_for, employees_without_assessor, link_covers, link_of
from kinerja.org.relations import assessees as assessees_of

START = date(2025, 1, 1)  # every employee's first position starts here
TODAY = datetime(2025, 5, 15, 3, 0, tzinfo=UTC)  # 10:00 WIB


@pytest.fixture
def org(make_unit, make_employee):
    """A small agency: Pusat with Sestama/Birumas and a Deputi, two Perwakilan, one vacant Direktorat."""
    units = {}
    units["BKKBN"] = make_unit("BKKBN", "BADAN")
    units["SESTAMA"] = make_unit("SESTAMA", "ESELON_I", units["BKKBN"], kind="SESTAMA")
    units["BIRUMAS"] = make_unit("BIRUMAS", "ESELON_II", units["SESTAMA"], kind="BIRUMAS")
    units["HUMAS"] = make_unit("HUMAS", "ESELON_III", units["BIRUMAS"])
    units["DEPUTI"] = make_unit("DEPUTI", "ESELON_I", units["BKKBN"])
    units["DIT"] = make_unit("DIT", "ESELON_II", units["DEPUTI"])
    units["SUBDIT"] = make_unit("SUBDIT", "ESELON_III", units["DIT"])
    units["SEKSI"] = make_unit("SEKSI", "ESELON_IV", units["SUBDIT"])
    units["DIT2"] = make_unit("DIT2", "ESELON_II", units["DEPUTI"])
    for suffix in ("", "2"):
        perw = units[f"PERW{suffix}"] = make_unit(f"PERW{suffix}", "ESELON_II", units["BKKBN"],
                                                  region="PERWAKILAN", timezone="Asia/Makassar")
        units[f"SEKRET{suffix}"] = make_unit(f"SEKRET{suffix}", "ESELON_III", perw, kind="SEKRETARIAT_PERWAKILAN")
        units[f"BIDANG{suffix}"] = make_unit(f"BIDANG{suffix}", "ESELON_III", perw)

    people = {}

    def add(key, unit, jenjang, **kwargs):
        kwargs.setdefault("effective", START)
        people[key] = make_employee(units[unit], jenjang, name=key, **kwargs)

    add("kepala", "BKKBN", "KEPALA", is_head=True, golongan="IV/e")
    add("sestama", "SESTAMA", "JPT_MADYA", is_head=True, golongan="IV/e")
    add("karo", "BIRUMAS", "JPT_PRATAMA", is_head=True, golongan="IV/d")
    add("kabag", "HUMAS", "ADMINISTRATOR", is_head=True, golongan="IV/b")
    add("deputi", "DEPUTI", "JPT_MADYA", is_head=True, golongan="IV/e")
    add("direktur", "DIT", "JPT_PRATAMA", is_head=True, golongan="IV/d")
    add("kasubdit", "SUBDIT", "ADMINISTRATOR", is_head=True, golongan="IV/b")
    add("kasi", "SEKSI", "PENGAWAS", is_head=True, golongan="III/d")
    for suffix in ("", "2"):
        add(f"kaper{suffix}", f"PERW{suffix}", "KEPALA_PERWAKILAN", is_head=True, golongan="IV/c")
        add(f"sekretaris{suffix}", f"SEKRET{suffix}", "ADMINISTRATOR", is_head=True, golongan="IV/a")
        add(f"kabid{suffix}", f"BIDANG{suffix}", "ADMINISTRATOR", is_head=True, golongan="IV/a")
    add("pelaksana", "SEKSI", "PELAKSANA", golongan="III/b")
    add("humas", "HUMAS", "JF", jf_name="Arsiparis", golongan="III/a")
    add("pranata", "HUMAS", "JF", jf_name="Pranata Humas", golongan="III/a")
    add("penyuluh", "BIDANG", "PPPK_PENYULUH_KB", status="PPPK", jf_name="Penyuluh KB", golongan="XIII")
    add("plkb", "BIDANG2", "PLKB", golongan="II/c")
    add("cpns", "SUBDIT", "PELAKSANA", status="CPNS", golongan="III/a")
    add("analis", "DIT2", "JF", jf_name="Analis Kebijakan", golongan="III/c")
    return units, people


EXPECTED = {
    # employee: (assessor, superior, rule, problem)
    "kepala": (None, None, "KEPALA", None),
    "sestama": ("kepala", "kepala", "JPT_MADYA", None),
    "deputi": ("kepala", "kepala", "JPT_MADYA", None),
    "karo": ("sestama", "kepala", "JPT_PRATAMA", None),
    "direktur": ("deputi", "kepala", "JPT_PRATAMA", None),
    "kabag": ("karo", "sestama", "ADMINISTRATOR", None),
    "kasubdit": ("direktur", "deputi", "ADMINISTRATOR", None),
    "kasi": ("kasubdit", "direktur", "PENGAWAS", None),
    "kaper": ("sestama", "kepala", "KEPALA_PERWAKILAN", None),
    "sekretaris": ("kaper", "sestama", "ADMINISTRATOR", None),
    "kabid2": ("kaper2", "sestama", "ADMINISTRATOR", None),
    "pelaksana": ("direktur", "deputi", "PUSAT_JF_PELAKSANA", None),
    "humas": ("kabag", "karo", "PUSAT_BIRUMAS_SAMPAI_IIID", None),
    "pranata": ("karo", "sestama", "PUSAT_PRANATA_HUMAS", None),
    "penyuluh": ("kaper", "sestama", "PERWAKILAN_MULAI_IVA", None),
    "plkb": ("sekretaris2", "kaper2", "PERWAKILAN_SAMPAI_IIID", None),
    "cpns": ("kasubdit", "direktur", "CPNS", None),
    "analis": (None, "deputi", "PUSAT_JF_PELAKSANA", "VACANT"),
}


def names(resolved) -> tuple:
    return (
        resolved.assessor.name if resolved.assessor else None,
        resolved.assessor_superior.name if resolved.assessor_superior else None,
        resolved.rule,
        resolved.problem,
    )


@pytest.mark.parametrize("key", list(EXPECTED))
def test_resolve_for_in_a_realistic_tree(org, key):
    _, people = org
    resolved = resolve_for(people[key], date(2025, 3, 1))
    assert names(resolved) == EXPECTED[key]
    assert resolved.employee is people[key]
    assert resolved.on == date(2025, 3, 1)
    assert resolved.rule_label


def test_resolved_labels(org):
    _, people = org
    resolved = resolve_for(people["humas"], date(2025, 3, 1))
    assert resolved.rule_label == (
        "JF (kecuali Pranata Humas) dan Pelaksana di BKKBN Pusat (Birumas) sampai golongan III/d")
    assert resolved.problem_label is None
    assert resolve_for(people["analis"], date(2025, 3, 1)).problem_label.startswith("Jabatan Pejabat Penilai kosong")


def test_default_date_is_today(org):
    _, people = org
    with time_machine.travel(TODAY, tick=False):
        resolved = resolve_for(people["pelaksana"])
    assert resolved.on == date(2025, 5, 15)
    assert resolved.assessor == people["direktur"]


def test_acting_assignment_counts_only_inside_its_window(org):
    units, people = org
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    db.session.commit()
    analis = people["analis"]
    assert names(resolve_for(analis, date(2025, 2, 28))) == (None, "deputi", "PUSAT_JF_PELAKSANA", "VACANT")
    during = resolve_for(analis, date(2025, 3, 1))
    assert names(during) == ("kasubdit", "deputi", "PUSAT_JF_PELAKSANA", None)
    assert during.assessor_acting == "PLT"
    assert names(resolve_for(analis, date(2025, 3, 31)))[0] == "kasubdit"
    assert names(resolve_for(analis, date(2025, 4, 1))) == (None, "deputi", "PUSAT_JF_PELAKSANA", "VACANT")


def test_plt_is_preferred_over_plh(org, make_employee):
    units, people = org
    services.add_acting(None, employee=people["kabag"], unit=units["DIT2"], kind="PLH",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 10), end=date(2025, 3, 20))
    db.session.commit()
    assert resolve_for(people["analis"], date(2025, 3, 5)).assessor == people["kabag"]
    both = resolve_for(people["analis"], date(2025, 3, 15))
    assert (both.assessor, both.assessor_acting) == (people["kasubdit"], "PLT")


def test_plh_for_a_present_head_leaves_the_head_as_assessor(org):
    units, people = org
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT"], kind="PLH",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    db.session.commit()
    resolved = resolve_for(people["pelaksana"], date(2025, 3, 15))
    assert (resolved.assessor, resolved.assessor_acting) == (people["direktur"], None)
    assert acting_heads_for(people["kasubdit"], date(2025, 3, 15)) == [people["direktur"].id]
    assert acting_heads_for(people["kasubdit"], date(2025, 4, 1)) == []


def test_acting_for_his_own_superior_is_never_his_own_assessor(org):
    units, people = org
    services.add_acting(None, employee=people["analis"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    db.session.commit()
    assert names(resolve_for(people["analis"], date(2025, 3, 15))) == (
        "deputi", "kepala", "PUSAT_JF_PELAKSANA", None)


def test_transfer_changes_the_answer_from_its_effective_date(org):
    units, people = org
    pelaksana = people["pelaksana"]
    services.save_employee(None, nip=pelaksana.nip, name=pelaksana.name, status="PNS", jenjang="PELAKSANA",
                           unit=units["HUMAS"], golongan="III/b", effective=date(2025, 7, 1))
    db.session.commit()
    assert names(resolve_for(pelaksana, date(2025, 6, 30))) == ("direktur", "deputi", "PUSAT_JF_PELAKSANA", None)
    assert names(resolve_for(pelaksana, date(2025, 7, 1))) == ("kabag", "karo", "PUSAT_BIRUMAS_SAMPAI_IIID", None)


def test_promotion_moves_the_head_and_leaves_a_vacancy(org):
    units, people = org
    kasubdit = people["kasubdit"]
    services.save_employee(None, nip=kasubdit.nip, name=kasubdit.name, status="PNS", jenjang="JPT_PRATAMA",
                           unit=units["DIT2"], golongan="IV/c", is_head=True, effective=date(2025, 9, 1))
    db.session.commit()
    before, after = date(2025, 8, 31), date(2025, 9, 1)
    assert names(resolve_for(people["analis"], before))[3] == "VACANT"
    assert names(resolve_for(people["analis"], after)) == ("kasubdit", "deputi", "PUSAT_JF_PELAKSANA", None)
    assert names(resolve_for(kasubdit, before)) == ("direktur", "deputi", "ADMINISTRATOR", None)
    assert names(resolve_for(kasubdit, after)) == ("deputi", "kepala", "JPT_PRATAMA", None)
    assert names(resolve_for(people["kasi"], before))[0] == "kasubdit"
    assert names(resolve_for(people["kasi"], after)) == (None, "direktur", "PENGAWAS", "VACANT")


def test_override_wins_inside_its_window(org):
    _, people = org
    services.add_override(None, employee=people["pelaksana"], assessor=people["kasubdit"],
                          assessor_superior=people["direktur"], reason="Pendelegasian tertulis",
                          start=date(2025, 4, 1), end=date(2025, 4, 30))
    db.session.commit()
    assert names(resolve_for(people["pelaksana"], date(2025, 3, 31)))[2] == "PUSAT_JF_PELAKSANA"
    assert names(resolve_for(people["pelaksana"], date(2025, 4, 10))) == ("kasubdit", "direktur", "OVERRIDE", None)
    assert names(resolve_for(people["pelaksana"], date(2025, 5, 1)))[2] == "PUSAT_JF_PELAKSANA"


def test_open_override_without_superior_fixes_a_vacancy(org):
    _, people = org
    services.add_override(None, employee=people["analis"], assessor=people["direktur"],
                          reason="Direktur merangkap sementara", start=date(2025, 2, 1))
    db.session.commit()
    assert names(resolve_for(people["analis"], date(2025, 12, 31))) == ("direktur", "deputi", "OVERRIDE", None)
    assert names(resolve_for(people["analis"], date(2025, 1, 31)))[3] == "VACANT"


def test_before_his_first_position_the_current_fields_stand_in(org, make_employee):
    units, people = org
    newcomer = make_employee(units["SEKSI"], "PELAKSANA", name="newcomer", effective=date(2025, 6, 1))
    assert names(resolve_for(newcomer, date(2025, 3, 1))) == ("direktur", "deputi", "PUSAT_JF_PELAKSANA", None)
    assert resolve_all(date(2025, 3, 1))[newcomer.id].assessor.id == people["direktur"].id


def test_heads_count_only_from_their_positions(org):
    _, people = org
    # before anyone's first position nobody heads anything: the post is vacant, not guessed
    assert names(resolve_for(people["pelaksana"], date(2024, 6, 1))) == (
        None, None, "PUSAT_JF_PELAKSANA", "VACANT")


def test_resolve_for_needs_only_a_handful_of_queries(org):
    _, people = org
    statements = []

    def count(*args):
        statements.append(args)

    for key in ("pelaksana", "penyuluh", "plkb"):
        db.session.expire_all()
        employee = db.session.get(Employee, people[key].id)
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            resolve_for(employee, date(2025, 3, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len(statements) <= 5, key


@pytest.mark.parametrize("on", [date(2025, 3, 1), date(2025, 3, 15), date(2025, 9, 1)])
def test_resolve_all_agrees_with_resolve_for(org, on):
    units, people = org
    services.add_acting(None, employee=people["kabag"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 10), end=date(2025, 3, 20))
    services.add_acting(None, employee=people["sekretaris"], unit=units["PERW"], kind="PLH",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    services.add_override(None, employee=people["humas"], assessor=people["karo"], reason="Delegasi",
                          start=date(2025, 3, 1))
    kasubdit = people["kasubdit"]
    services.save_employee(None, nip=kasubdit.nip, name=kasubdit.name, status="PNS", jenjang="JPT_PRATAMA",
                           unit=units["DIT2"], golongan="IV/c", is_head=True, effective=date(2025, 9, 1))
    db.session.commit()

    batch = resolve_all(on)
    employees = list(db.session.scalars(select(Employee)))
    assert set(batch) == {e.id for e in employees}
    for employee in employees:
        one = resolve_for(employee, on)
        answer = batch[employee.id]
        assert (
            answer.assessor.id if answer.assessor else None,
            answer.assessor_superior.id if answer.assessor_superior else None,
            answer.rule, answer.problem,
        ) == (
            one.assessor.id if one.assessor else None,
            one.assessor_superior.id if one.assessor_superior else None,
            one.rule, one.problem,
        ), employee.name


def test_resolve_all_on_an_empty_database(app):
    assert resolve_all(date(2025, 1, 1)) == {}
    assert refresh_assessor_links(date(2025, 1, 1)) == 0


def test_refresh_assessor_links_writes_the_snapshot(org):
    _, people = org
    count = refresh_assessor_links(date(2025, 3, 1))
    db.session.commit()
    assert count == len(people) == db.session.scalar(select(func.count()).select_from(AssessorLink))
    link = link_of(people["pelaksana"].id, date(2025, 3, 1))
    assert (link.assessor_id, link.assessor_superior_id, link.rule, link.problem, link.on_date) == (
        people["direktur"].id, people["deputi"].id, "PUSAT_JF_PELAKSANA", None, date(2025, 3, 1))
    kepala = link_of(people["kepala"].id, date(2025, 3, 1))
    assert (kepala.assessor_id, kepala.rule, kepala.problem) == (None, "KEPALA", None)


def test_refresh_is_repeatable_and_updates_loaded_links(org):
    units, people = org
    refresh_assessor_links(date(2025, 3, 1))
    db.session.commit()
    link = link_of(people["analis"].id, date(2025, 3, 1))
    assert link.problem == "VACANT"
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    assert refresh_assessor_links(date(2025, 3, 1)) == len(people)
    db.session.commit()
    link = link_of(people["analis"].id, date(2025, 3, 1))
    assert (link.assessor_id, link.problem) == (people["kasubdit"].id, None)
    # one answer per employee on a day; the PLT's end starts a second row for the analis on 1 April
    assert db.session.scalar(select(func.count()).select_from(AssessorLink)
                             .where(link_covers(date(2025, 3, 1)))) == len(people)
    assert link_of(people["analis"].id, date(2025, 4, 1)).problem == "VACANT"


def test_refresh_defaults_to_today(org):
    with time_machine.travel(TODAY, tick=False):
        refresh_assessor_links()
    db.session.commit()
    assert set(db.session.scalars(select(AssessorLink.on_date))) == {date(2025, 5, 15)}


def test_employees_without_assessor_lists_the_problems_only(org):
    units, people = org
    refresh_assessor_links(date(2025, 3, 1))
    db.session.commit()
    rows = employees_without_assessor()
    assert [(r.employee.name, r.problem) for r in rows] == [("analis", "VACANT")]
    assert rows[0].employee.unit.code == "DIT2"


def test_employees_without_assessor_is_empty_when_everything_resolves(org):
    units, people = org
    services.add_override(None, employee=people["analis"], assessor=people["deputi"], reason="Sementara",
                          start=date(2025, 1, 1))
    refresh_assessor_links(date(2025, 3, 1))
    db.session.commit()
    assert employees_without_assessor() == []


def test_assessees_of_a_head_and_of_his_plh(org):
    units, people = org
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT"], kind="PLH",
                        start=date(2025, 5, 10), end=date(2025, 5, 20))
    db.session.commit()
    with time_machine.travel(TODAY, tick=False):
        refresh_assessor_links()
        db.session.commit()
        direktur = {e.name for e in assessees_of(people["direktur"])}
        plh = {e.name for e in assessees_of(people["kasubdit"])}
    assert direktur == {"kasubdit", "pelaksana"}
    # the PLH assesses the direktur's people (except himself) and keeps his own
    assert plh == {"pelaksana", "kasi", "cpns"}
    assert assessees_of(people["pelaksana"]) == []


def test_assessees_of_a_plt_of_a_vacant_post(org):
    units, people = org
    services.add_acting(None, employee=people["kabag"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 5, 1), end=date(2025, 5, 31))
    db.session.commit()
    with time_machine.travel(TODAY, tick=False):
        refresh_assessor_links()
        db.session.commit()
        assert {e.name for e in assessees_of(people["kabag"])} == {"humas", "analis"}


def test_the_stored_rows_agree_with_the_engine_on_every_day(org):
    """The links written from one day on (only the touched employees resolved again on each change day)
    give, on every day, the answer of resolving the whole agency on that day."""
    units, people = org
    services.add_acting(None, employee=people["kasubdit"], unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 5), end=date(2025, 3, 20), refresh=False)
    services.add_acting(None, employee=people["kabid"], unit=units["SEKRET"], kind="PLH",
                        start=date(2025, 3, 8), end=date(2025, 3, 9), refresh=False)
    services.add_acting(None, employee=people["karo"], unit=units["SESTAMA"], kind="PLH",
                        start=date(2025, 3, 12), end=date(2025, 3, 14), refresh=False)
    services.add_override(None, employee=people["humas"], assessor=people["deputi"], reason="Tugas khusus",
                          start=date(2025, 3, 6), end=date(2025, 3, 15), refresh=False)
    sestama = people["sestama"]
    services.save_employee(None, nip=sestama.nip, name=sestama.name, status=sestama.status, jenjang="JF",
                           jf_name="Analis", unit=units["DIT"], golongan=sestama.golongan,
                           effective=date(2025, 3, 10))  # the Sestama post is vacant from 10 March
    refresh_assessor_links(date(2025, 3, 1))
    db.session.commit()
    for day in range(1, 26):
        on = date(2025, 3, day)
        expected = resolve_all(on)
        for employee_id, resolution in expected.items():
            link = link_of(employee_id, on)
            got = (link.assessor_id, link.assessor_superior_id, link.rule, link.problem)
            want = (resolution.assessor.id if resolution.assessor else None,
                    resolution.assessor_superior.id if resolution.assessor_superior else None,
                    str(resolution.rule), str(resolution.problem) if resolution.problem else None)
            assert got == want, (on, employee_id)

"""One relation (kinerja.org.relations): who assesses whom and who heads what, on any date, never stale.

The links are rewritten by the services that change a fact, with their validity, so a dated
change takes effect on its day with no job run in between (docs/assessor-rules.md, "One relation").
"""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from kinerja.extensions import db
from kinerja.org import relations, services
from kinerja.org.models import Employee
from kinerja.planning import skp as skp_services
from tests.execution.sql_count import StatementCounter

START = date(2025, 1, 1)
TODAY = datetime(2025, 5, 15, 3, 0, tzinfo=UTC)  # 10:00 WIB, 15 May
TOMORROW = datetime(2025, 5, 16, 3, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)
KINERJA = Path(__file__).resolve().parents[2] / "kinerja"


@pytest.fixture
def org(make_unit, make_employee):
    """BKKBN > DEPUTI > DIT > SUBDIT, and a vacant DIT2 with an analis."""
    units = {"BKKBN": make_unit("R-BKKBN", "BADAN")}
    units["DEPUTI"] = make_unit("R-DEPUTI", "ESELON_I", units["BKKBN"])
    units["DIT"] = make_unit("R-DIT", "ESELON_II", units["DEPUTI"])
    units["SUBDIT"] = make_unit("R-SUBDIT", "ESELON_III", units["DIT"])
    units["DIT2"] = make_unit("R-DIT2", "ESELON_II", units["DEPUTI"])
    people = {}

    def add(key, unit, jenjang, **kwargs):
        people[key] = make_employee(units[unit], jenjang, name=key, effective=START, **kwargs)

    add("kepala", "BKKBN", "KEPALA", is_head=True, golongan="IV/e")
    add("deputi", "DEPUTI", "JPT_MADYA", is_head=True, golongan="IV/e")
    add("direktur", "DIT", "JPT_PRATAMA", is_head=True, golongan="IV/d")
    add("kasubdit", "SUBDIT", "ADMINISTRATOR", is_head=True, golongan="IV/b")
    add("pelaksana", "SUBDIT", "PELAKSANA", golongan="III/b")
    add("analis", "DIT2", "JF", jf_name="Analis Kebijakan", golongan="III/c")
    with time_machine.travel(TODAY, tick=False):
        relations.refresh_assessor_links()
    db.session.commit()
    return units, people


def names(people):
    return sorted(e.name for e in people)


def test_a_plt_starting_tomorrow_is_the_assessor_from_tomorrow_without_a_job(org):
    units, people = org
    analis, kasubdit = people["analis"], people["kasubdit"]
    with time_machine.travel(TODAY, tick=False):
        services.add_acting(None, employee=kasubdit, unit=units["DIT2"], kind="PLT",
                            start=date(2025, 5, 16), end=date(2025, 5, 31))  # the service rewrites the links
        db.session.commit()
        assert not relations.is_assessor(kasubdit, analis)
        assert relations.link_of(analis.id).problem == "VACANT"
        assert "analis" not in names(relations.assessees(kasubdit))
    with time_machine.travel(TOMORROW, tick=False):  # nothing refreshed in between
        db.session.expire_all()
        assert relations.is_assessor(kasubdit, analis)
        assert relations.link_of(analis.id).assessor_id == kasubdit.id
        assert "analis" in names(relations.assessees(kasubdit))
        count = select(func.count()).where(Employee.id.in_(relations.assessees_select(kasubdit.id)))
        assert db.session.scalar(count) == len(relations.assessees(kasubdit))
    with time_machine.travel(JUNE, tick=False):  # and no longer after his last day
        db.session.expire_all()
        assert not relations.is_assessor(kasubdit, analis)
        assert "analis" not in names(relations.assessees(kasubdit))


def test_an_override_starting_tomorrow_takes_effect_on_its_day(org):
    _, people = org
    pelaksana, deputi = people["pelaksana"], people["deputi"]
    with time_machine.travel(TODAY, tick=False):
        services.add_override(None, employee=pelaksana, assessor=deputi, reason="Tugas khusus",
                              start=date(2025, 5, 16))
        db.session.commit()
        assert relations.is_assessor(people["direktur"], pelaksana)
        assert not relations.is_assessor(deputi, pelaksana)
    with time_machine.travel(TOMORROW, tick=False):
        db.session.expire_all()
        assert relations.is_assessor(deputi, pelaksana)
        assert not relations.is_assessor(people["direktur"], pelaksana)
        assert relations.link_of(pelaksana.id).rule == "OVERRIDE"


def test_a_transfer_dated_tomorrow_changes_the_assessor_tomorrow(org):
    units, people = org
    pelaksana = people["pelaksana"]
    with time_machine.travel(TODAY, tick=False):
        skp_services.transfer_employee(None, pelaksana, units["DIT2"], date(2025, 5, 16))
        db.session.commit()
        assert relations.is_assessor(people["direktur"], pelaksana)
        assert relations.link_of(pelaksana.id).problem is None
    with time_machine.travel(TOMORROW, tick=False):
        db.session.expire_all()
        assert not relations.is_assessor(people["direktur"], pelaksana)
        assert relations.link_of(pelaksana.id).problem == "VACANT"  # DIT2 has no head


def test_today_is_one_indexed_lookup(org):
    _, people = org
    analis_id = people["analis"].id
    with time_machine.travel(TODAY, tick=False):
        db.session.expunge_all()
        with StatementCounter() as counter:
            link = relations.link_of(analis_id)
        assert counter.count == 1 and link.problem == "VACANT"
        with StatementCounter() as counter:  # a held link costs nothing
            assert relations.link_of(analis_id) is link
        assert counter.count == 0


def test_the_chain_includes_the_plh_of_the_superior_on_his_dates(org):
    units, people = org
    pelaksana, analis = people["pelaksana"], people["analis"]  # pelaksana: direktur, then deputi above him
    with time_machine.travel(TODAY, tick=False):
        services.add_acting(None, employee=analis, unit=units["DEPUTI"], kind="PLH",
                            start=date(2025, 5, 10), end=date(2025, 5, 20))
        db.session.commit()
        assert relations.in_chain(people["deputi"], pelaksana) and relations.in_chain(analis, pelaksana)
        assert not relations.is_assessor(analis, pelaksana)
        assert relations.in_chain(people["direktur"], pelaksana)
        assert not relations.in_chain(people["kasubdit"], pelaksana)
    assert not relations.in_chain(analis, pelaksana, date(2025, 5, 21))
    assert relations.in_chain(analis, pelaksana, date(2025, 5, 20))


def test_who_heads_a_unit_and_which_units_an_official_heads_on_a_date(org):
    units, people = org
    kasubdit, analis = people["kasubdit"], people["analis"]
    services.add_acting(None, employee=analis, unit=units["DIT2"], kind="PLH",
                        start=date(2025, 3, 1), end=date(2025, 3, 31))
    services.add_acting(None, employee=kasubdit, unit=units["DIT2"], kind="PLT",
                        start=date(2025, 3, 10), end=date(2025, 4, 30))
    db.session.commit()
    assert relations.unit_head(units["DIT2"].id, date(2025, 3, 5)) == analis
    heads = relations.unit_heads(units["DIT2"].id, date(2025, 3, 15))
    assert heads.definitive == [] and heads.acting == [(kasubdit, "PLT"), (analis, "PLH")]
    assert heads.head == kasubdit
    assert relations.unit_head(units["DIT2"].id, date(2025, 5, 1)) is None
    assert relations.unit_head(units["DIT"].id, date(2025, 3, 15)) == people["direktur"]
    assert sorted(u.code for u in relations.headed_units(kasubdit, date(2025, 3, 15))) == ["R-DIT2", "R-SUBDIT"]
    assert [u.code for u in relations.headed_units(kasubdit, date(2025, 3, 15), definitive=False)] == ["R-DIT2"]
    assert [u.code for u in relations.headed_units(kasubdit, date(2025, 5, 1))] == ["R-SUBDIT"]
    assert relations.heads_unit(kasubdit, units["DIT2"].id, date(2025, 4, 30))
    assert not relations.heads_unit(kasubdit, units["DIT2"].id, date(2025, 5, 1))
    assert not relations.heads_unit(analis, units["DIT"].id, date(2025, 3, 15))


def test_a_plh_stands_for_whoever_heads_the_post_on_that_date(org, make_employee):
    """The head he stands in for is read from the positions of the date, not today's fields."""
    units, people = org
    direktur, kasubdit = people["direktur"], people["kasubdit"]
    services.add_acting(None, employee=kasubdit, unit=units["DIT"], kind="PLH",
                        start=date(2025, 4, 20), end=date(2025, 5, 10))
    # on 1 May the direktur moves to head DIT2
    services.save_employee(None, nip=direktur.nip, name=direktur.name, status=direktur.status,
                           jenjang=direktur.jenjang, unit=units["DIT2"], golongan=direktur.golongan, is_head=True,
                           effective=date(2025, 5, 1))
    db.session.commit()
    assert relations.acting_heads_for(kasubdit, date(2025, 4, 25)) == [direktur.id]
    assert relations.stands_for(kasubdit, date(2025, 4, 25)) == {kasubdit.id, direktur.id}
    assert relations.acting_heads_for(kasubdit, date(2025, 5, 5)) == []
    assert relations.acting_for_heads(date(2025, 4, 25)) == {direktur.id: [kasubdit.id]}
    assert relations.acting_for_heads(date(2025, 5, 5)) == {}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_org_imports_neither_planning_nor_execution():
    for path in (KINERJA / "org").glob("*.py"):
        bad = {m for m in _imports(path) if m.startswith(("kinerja.planning", "kinerja.execution"))}
        assert not bad, (path.name, bad)


def test_access_defines_no_relation_of_its_own():
    source = (KINERJA / "auth" / "access.py").read_text()
    for name in ("AssessorLink", "ActingAssignment", "Position", "is_head"):
        assert name not in source, name
    assert "kinerja.org" in _imports(KINERJA / "auth" / "access.py") and "relations." in source


def test_resolve_answers_for_today_in_the_employees_zone(make_unit, make_employee):
    root = make_unit("Z-BKKBN", "BADAN")
    deputi_unit = make_unit("Z-DEPUTI", "ESELON_I", root)
    papua = make_unit("Z-DIT", "ESELON_II", deputi_unit, timezone="Asia/Jayapura")
    make_employee(root, "KEPALA", name="kepala", is_head=True, effective=START)
    make_employee(deputi_unit, "JPT_MADYA", name="deputi", is_head=True, effective=START)
    staff = make_employee(papua, "JF", name="staf", jf_name="Analis", golongan="III/c", effective=START)
    plt = make_employee(deputi_unit, "ADMINISTRATOR", name="plt", golongan="IV/a", effective=START)
    services.add_acting(None, employee=plt, unit=papua, kind="PLT", start=date(2025, 5, 16), end=date(2025, 5, 31),
                        refresh=False)
    db.session.commit()
    with time_machine.travel(datetime(2025, 5, 15, 16, 0, tzinfo=UTC), tick=False):  # 16 May 01:00 WIT, 23:00 WIB
        assert relations.resolve(staff).on == date(2025, 5, 16)
        assert relations.resolve(staff).assessor == plt
        assert relations.resolve(staff, date(2025, 5, 15)).assessor is None

"""The assessor's inbox (read side): whose visum, filters and counts, paging, the overdue flag, few queries."""

from datetime import UTC, date, datetime

import time_machine

from kinerja.execution import inbox_queries as queries
from kinerja.execution import services
from kinerja.execution.feedback import post_feedback
from kinerja.execution.models import Evidence
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import Employee
from tests.execution.fixtures import NOW, THURSDAY, file, iki_of
from tests.execution.sql_count import statements  # noqa: F401 (fixture)

MONDAY = date(2026, 1, 12)
TUESDAY = date(2026, 1, 13)
LAST_MONDAY = date(2026, 1, 5)


def at(day: date, hour_wib: int = 10) -> datetime:
    """Return an aware UTC instant at ``hour_wib`` o'clock WIB on ``day``."""
    return datetime(day.year, day.month, day.day, hour_wib - 7, tzinfo=UTC)


def ids(page) -> list[int]:
    return [item.id for item in page.items]


def test_only_the_people_he_assesses_and_never_his_own(people):
    mine = [file(people["analis"]), file(people["pelaksana"], MONDAY), file(people["penyuluh"])]
    file(people["staf2"])  # assessed by direktur2
    file(people["direktur"])  # his own: assessed by the deputi
    page = queries.inbox_page(people["direktur"])
    assert sorted(ids(page)) == sorted(v.id for v in mine)
    assert page.total == 3 and page.summary.is_assessor
    assert queries.pending_count(people["direktur"]) == 3
    assert [item.employee.nip for item in queries.inbox_page(people["direktur2"]).items] == [people["staf2"].nip]


def test_only_submitted_visum_wait(people):
    waiting = file(people["analis"], MONDAY)
    approved, returned = file(people["analis"], TUESDAY), file(people["pelaksana"])
    services.approve_visum(people["direktur"], approved)
    services.return_visum(people["direktur"], returned, "Lengkapi bukti")
    db.session.commit()
    assert ids(queries.inbox_page(people["direktur"])) == [waiting.id]


def test_a_non_assessor_has_an_empty_inbox(people):
    file(people["analis"])
    page = queries.inbox_page(people["pelaksana"])
    assert page.items == [] and page.total == 0 and not page.summary.is_assessor
    assert queries.pending_count(people["pelaksana"]) == 0
    assert queries.inbox_page(None).items == []


def test_plt_of_a_vacant_post_sees_its_people(org, people):
    visum = file(people["analis"])
    direktur = people["direktur"]
    org_services.save_employee(None, nip=direktur.nip, name=direktur.name, status=direktur.status,
                               jenjang=direktur.jenjang, unit=org["units"]["DIT2"], golongan=direktur.golongan,
                               effective=date(2026, 1, 10))
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLT",
                            start=date(2026, 1, 1), end=date(2026, 3, 31))
    refresh_assessor_links()
    db.session.commit()
    assert visum.id in ids(queries.inbox_page(people["kasubdit"]))
    assert visum.id not in ids(queries.inbox_page(direktur))  # a former assessor no longer approves


def test_plh_standing_in_for_a_present_head_sees_his_people(org, people):
    visum = file(people["analis"])
    own = file(people["kasubdit"])  # the direktur assesses the kasubdit, but never the kasubdit himself
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 14), end=date(2026, 1, 16))
    refresh_assessor_links()
    db.session.commit()
    seen = ids(queries.inbox_page(people["kasubdit"]))
    assert visum.id in seen and own.id not in seen
    assert visum.id in ids(queries.inbox_page(people["direktur"]))


def test_filters_and_their_counts(people):
    a1 = file(people["analis"], MONDAY)
    a2 = file(people["analis"], TUESDAY)
    p1 = file(people["pelaksana"], MONDAY)
    file(people["pelaksana"], THURSDAY)
    direktur, analis = people["direktur"], people["analis"]

    by_day = queries.inbox_page(direktur, day=MONDAY)
    assert sorted(ids(by_day)) == sorted([a1.id, p1.id])
    assert (by_day.total, by_day.filtered) == (4, 2)
    assert {(p.nip, p.count) for p in by_day.people} == {(analis.nip, 1), (people["pelaksana"].nip, 1)}
    assert {d.day: d.count for d in by_day.days} == {MONDAY: 2, TUESDAY: 1, THURSDAY: 1}  # days ignore the day

    by_person = queries.inbox_page(direktur, nip=analis.nip)
    assert ids(by_person) == [a1.id, a2.id]
    assert {d.day: d.count for d in by_person.days} == {MONDAY: 1, TUESDAY: 1}  # days follow the person
    assert (by_person.total, by_person.filtered) == (4, 2)

    both = queries.inbox_page(direktur, day=TUESDAY, nip=analis.nip)
    assert ids(both) == [a2.id]

    assert queries.inbox_page(direktur, nip=people["staf2"].nip).items == []  # not his: nothing
    assert queries.inbox_page(direktur, nip="000").items == []
    empty_day = queries.inbox_page(direktur, day=date(2026, 1, 14))
    assert empty_day.items == [] and empty_day.summary.day_counts[date(2026, 1, 14)] == 0


def test_oldest_day_first_then_by_name_and_paging(people):
    late = file(people["analis"], THURSDAY)
    first = file(people["pelaksana"], MONDAY)
    second = file(people["analis"], MONDAY)  # "Analis" before "Pelaksana" on the same day
    third = file(people["penyuluh"], TUESDAY)
    page = queries.inbox_page(people["direktur"])
    assert ids(page) == [second.id, first.id, third.id, late.id]

    one = queries.inbox_page(people["direktur"], per_page=3)
    two = queries.inbox_page(people["direktur"], per_page=3, page=2)
    assert (one.pages, ids(one), ids(two)) == (2, [second.id, first.id, third.id], [late.id])
    assert queries.inbox_page(people["direktur"], per_page=3, page=99).page == 2
    assert queries.inbox_page(people["direktur"], per_page=3, page=-1).page == 1


def test_overdue_after_three_working_days(app, people):
    old = file(people["analis"], LAST_MONDAY, now=at(LAST_MONDAY))
    recent = file(people["pelaksana"], MONDAY, now=at(MONDAY))
    items = {item.id: item for item in queries.inbox_page(people["direktur"]).items}
    assert items[old.id].overdue and items[old.id].waiting_days == 8
    assert not items[recent.id].overdue and items[recent.id].waiting_days == 3  # Tue, Wed, Thu
    friday = at(date(2026, 1, 16))
    assert queries.inbox_page(people["direktur"], now=friday).items[1].overdue
    app.config["HOLIDAYS"] = ["2026-01-16"]
    try:
        assert not queries.inbox_page(people["direktur"], now=friday).items[1].overdue
    finally:
        app.config.pop("HOLIDAYS")


def test_an_edit_restarts_the_wait(people):
    edited = file(people["analis"], MONDAY, now=at(MONDAY))
    untouched = file(people["pelaksana"], MONDAY, now=at(MONDAY))
    with time_machine.travel(at(THURSDAY, 9), tick=False):
        services.update_visum(people["analis"], edited, activity="Menyusun laporan (revisi)")
        db.session.commit()
    items = {item.id: item for item in queries.inbox_page(people["direktur"], now=at(date(2026, 1, 16))).items}
    assert items[untouched.id].overdue
    assert not items[edited.id].overdue and items[edited.id].waiting_days == 1


def test_row_shows_iki_output_and_evidence(people, approved):
    iki = iki_of(approved)
    visum = file(people["analis"], iki_id=iki.id, output_quantity="2,5", output_unit="dokumen")
    stamp = NOW.replace(tzinfo=None)
    db.session.add_all([
        Evidence(visum_id=visum.id, kind="FILE", stored_name="ab12.pdf", original_name="notulen.pdf", created_at=stamp),
        Evidence(visum_id=visum.id, kind="LINK", url="https://contoh.go.id/foto", created_at=stamp)])
    db.session.commit()
    item = queries.inbox_page(people["direktur"]).items[0]
    assert item.iki_text == iki.text
    assert item.output == "2,5 dokumen"
    assert [item.evidence_name(e) for e in item.evidence] == ["notulen.pdf", "https://contoh.go.id/foto"]


def test_pending_ids_of_a_day(people):
    a = file(people["analis"], MONDAY)
    p = file(people["pelaksana"], MONDAY)
    file(people["pelaksana"], TUESDAY)
    file(people["staf2"], MONDAY)  # not his
    direktur = people["direktur"]
    assert sorted(queries.pending_ids_of_day(direktur, MONDAY)) == sorted([a.id, p.id])
    assert queries.pending_ids_of_day(direktur, MONDAY, people["pelaksana"].nip) == [p.id]
    assert queries.pending_ids_of_day(direktur, MONDAY, people["staf2"].nip) == []
    assert queries.pending_ids_of_day(people["pelaksana"], MONDAY) == []


def test_a_page_costs_the_same_few_queries_whatever_the_rows(people, statements):  # noqa: F811
    stamp = NOW.replace(tzinfo=None)
    first = file(people["analis"], MONDAY)
    db.session.add(Evidence(visum_id=first.id, kind="LINK", url="https://contoh.go.id/1", created_at=stamp))
    db.session.commit()
    db.session.expire_all()
    with statements:
        small = queries.inbox_page(people["direktur"])
        [item.evidence for item in small.items]
    few = statements.count
    for day in (MONDAY, TUESDAY, THURSDAY):
        for name in ("pelaksana", "penyuluh", "analis"):
            visum = file(people[name], day)
            db.session.add(Evidence(visum_id=visum.id, kind="LINK", url="https://contoh.go.id/2", created_at=stamp))
    db.session.commit()
    db.session.expire_all()
    with statements:
        large = queries.inbox_page(people["direktur"])
        [(item.evidence, item.iki_text, item.employee.unit) for item in large.items]
    assert len(large.items) == 10
    assert statements.count == few <= 7


def test_row_counts_follow_the_view(people):
    analis, pelaksana, direktur = people["analis"], people["pelaksana"], people["direktur"]
    row = file(analis, MONDAY)
    file(analis, TUESDAY)
    file(pelaksana, MONDAY)
    file(people["staf2"], MONDAY)  # not his
    file(direktur, MONDAY)  # his own
    post_feedback(direktur, analis, body="Catatan", visum=row)
    db.session.commit()

    def counts(**view):
        found = queries.row_counts(direktur, row, **view)
        return found.total, found.filtered, found.day_counts, found.feedback

    assert counts() == (3, 3, {MONDAY: 2}, 1)
    assert counts(day=MONDAY) == (3, 2, {MONDAY: 2}, 1)
    assert counts(day=TUESDAY) == (3, 1, {MONDAY: 2}, 1)
    assert counts(nip=analis.nip) == (3, 2, {MONDAY: 1}, 1)
    assert counts(day=TUESDAY, nip=pelaksana.nip) == (3, 0, {MONDAY: 1}, 1)
    assert counts(nip=people["staf2"].nip) == (3, 0, {MONDAY: 0}, 1)  # not his: nothing
    assert counts(nip="000") == (3, 0, {MONDAY: 0}, 1)
    services.approve_visum(direktur, row)
    db.session.flush()
    assert counts(day=MONDAY) == (2, 1, {MONDAY: 1}, 1)
    assert queries.pending_count(direktur) == 2
    assert queries.row_counts(pelaksana, row).total == 0 and queries.pending_count(None) == 0


def test_counts_include_what_he_approves_as_plh(org, people):
    visum = file(people["analis"])
    own = file(people["kasubdit"])  # assessed by the direktur, whom the kasubdit stands in for: never counted
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 14), end=date(2026, 1, 16))
    refresh_assessor_links()
    db.session.commit()
    plh = people["kasubdit"]
    expected = len(queries.inbox_page(plh).items)
    assert queries.pending_count(plh) == expected == queries.row_counts(plh, visum).total
    assert own.id not in ids(queries.inbox_page(plh)) and visum.id in ids(queries.inbox_page(plh))


def test_load_visum_brings_the_assessor_link_and_the_employee(people, statements):  # noqa: F811
    visum_id, nip, direktur_id = file(people["analis"]).id, people["analis"].nip, people["direktur"].id
    db.session.expunge_all()
    direktur = db.session.get(Employee, direktur_id)  # only the actor in the session
    with statements:
        loaded, link = queries.load_visum(visum_id)
        assert loaded.employee.nip == nip
        assert link.assessor_id == direktur.id
        services.approve_visum(direktur, loaded)  # the assessor check reads the loaded link
    assert statements.count == 3, statements.statements  # the SELECT, the UPDATE, the audit INSERT
    assert queries.load_visum(999999) is None

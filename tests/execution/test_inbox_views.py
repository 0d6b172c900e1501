"""The assessor's inbox pages: approve one, a selection or a whole day, return with a reason, access,
and two assessors (or tabs) deciding the same visum — with and without HTMX."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution import services
from kinerja.execution.feedback import post_feedback
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.assessors import refresh_assessor_links
from tests.execution.fixtures import NOW, THURSDAY, file
from tests.execution.sql_count import statements  # noqa: F401 (fixture)
from tests.factories import login_as

HX = {"HX-Request": "true"}
MONDAY = date(2026, 1, 12)
TUESDAY = date(2026, 1, 13)
INBOX = "/execution/inbox"


def user(employee):
    user = auth_services.user_for(employee)
    db.session.commit()
    return user


@pytest.fixture
def as_direktur(client, people):
    login_as(client, user(people["direktur"]))
    return client


def fresh(visum_id) -> Visum:
    db.session.expire_all()
    return db.session.get(Visum, visum_id)


def audit(action, visum_id=None) -> int:
    stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)
    if visum_id is not None:
        stmt = stmt.where(AuditEntry.object_type == "visum", AuditEntry.object_id == str(visum_id))
    return db.session.scalar(stmt)


def counter(html: str) -> str:
    """Return the out-of-band pending counter of an answer (fails when there is none)."""
    match = re.search(r'<span id="inbox-count"[^>]*hx-swap-oob="true"[^>]*>(\d+)</span>', html)
    assert match, "no out-of-band counter"
    return match.group(1)


# --- the page ------------------------------------------------------------------------------------

def test_anonymous_goes_to_login(client):
    for method, url in (("GET", INBOX), ("POST", f"{INBOX}/1/approve"), ("POST", f"{INBOX}/1/return"),
                        ("POST", f"{INBOX}/approve-selected"), ("POST", f"{INBOX}/approve-day")):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_page_and_partial(as_direktur, people):
    visum = file(people["analis"])
    page = as_direktur.get(INBOX)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and "js/inbox.js" in html
    assert f'id="inbox-visum-{visum.id}"' in html and 'tabindex="0"' in html
    assert "<kbd>a</kbd>" in html  # the keyboard legend
    assert 'id="inbox-count"' in html and "hx-swap-oob" not in html
    partial = as_direktur.get(INBOX, headers=HX).get_data(as_text=True)
    assert "<html" not in partial and partial.lstrip().startswith("<section id=\"inbox\"")
    assert counter(partial) == "1"


def test_filters_by_day_and_person(as_direktur, people):
    monday = file(people["analis"], MONDAY)
    tuesday = file(people["analis"], TUESDAY)
    other = file(people["pelaksana"], MONDAY)
    html = as_direktur.get(f"{INBOX}?day=2026-01-12&nip={people['analis'].nip}", headers=HX).get_data(as_text=True)
    assert f"inbox-visum-{monday.id}" in html
    assert f"inbox-visum-{tuesday.id}" not in html and f"inbox-visum-{other.id}" not in html
    assert 'value="2026-01-12" selected' in html
    # actions keep the view in their URL
    assert f"/execution/inbox/{monday.id}/approve?day=2026-01-12&amp;nip={people['analis'].nip}" in html
    nonsense = as_direktur.get(f"{INBOX}?day=kemarin&page=x")
    assert nonsense.status_code == 200 and f"inbox-visum-{tuesday.id}" in nonsense.get_data(as_text=True)


def test_a_non_assessor_sees_an_empty_inbox_and_may_not_act(client, people):
    visum = file(people["analis"])
    login_as(client, user(people["pelaksana"]))
    html = client.get(INBOX).get_data(as_text=True)
    assert "bukan Pejabat Penilai" in html and f"inbox-visum-{visum.id}" not in html
    for url, data in ((f"{INBOX}/{visum.id}/approve", {}), (f"{INBOX}/{visum.id}/return", {"reason": "Tidak"}),
                      (f"{INBOX}/approve-selected", {"visum_id": visum.id}),
                      (f"{INBOX}/approve-day", {"approve_day": THURSDAY.isoformat()})):
        assert client.post(url, data=data).status_code == 403
        assert client.post(url, data=data, headers=HX).status_code == 403
    assert fresh(visum.id).status == "SUBMITTED" and audit("visum.approve") == 0


def test_an_assessor_never_approves_his_own_visum(client, people):
    own = file(people["direktur"])
    login_as(client, user(people["direktur"]))
    assert client.post(f"{INBOX}/{own.id}/approve", headers=HX).status_code == 403
    assert client.post(f"{INBOX}/{own.id}/return", data={"reason": "x"}).status_code == 403
    client.post(f"{INBOX}/approve-selected", data={"visum_id": own.id}, headers=HX)
    assert fresh(own.id).status == "SUBMITTED"


def test_unknown_visum_is_404(as_direktur):
    assert as_direktur.post(f"{INBOX}/999999/approve", headers=HX).status_code == 404


# --- approve one -----------------------------------------------------------------------------------

def test_approve_one_inline(as_direktur, people):
    visum = file(people["analis"])
    file(people["pelaksana"])
    response = as_direktur.post(f"{INBOX}/{visum.id}/approve", data={"version": visum.version}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="inbox-visum-{visum.id}"') and "Disetujui" in html
    assert counter(html) == "1"
    assert re.search(r'<p id="inbox-showing"[^>]*hx-swap-oob="true"[^>]*>Ditampilkan 1 dari 1 ', html)
    day = re.search(rf'<tr id="inbox-day-{THURSDAY.isoformat()}"[^>]*hx-swap-oob="true">(.*?)</tr>', html, re.S)
    assert day and "1 menunggu" in day.group(1)
    assert 'id="inbox-filters"' not in html  # the filter bar waits for the next list render
    row_html = html.split("</tr>")[0]
    assert "inbox-facts" not in row_html and "Setujui" not in row_html.replace("Disetujui", "")  # small, no form
    assert f'href="/execution/visum/{people["analis"].nip}?week={THURSDAY.isoformat()}"' in row_html
    row = fresh(visum.id)
    assert row.status == "APPROVED" and row.approved_by_id == people["direktur"].id
    assert audit("visum.approve", visum.id) == 1


def test_approve_answers_the_counts_of_the_view(as_direktur, people):
    analis, pelaksana = people["analis"], people["pelaksana"]
    visum = file(analis, MONDAY)
    file(analis, THURSDAY)
    file(analis, TUESDAY)
    file(pelaksana, MONDAY)
    file(pelaksana, TUESDAY)

    def showing(html):
        return re.search(r'id="inbox-showing"[^>]*>Ditampilkan (\d+) dari (\d+)', html).groups()

    def day_count(html):
        return re.search(rf'id="inbox-day-{MONDAY.isoformat()}"[^>]*>.*?(\d+) menunggu', html, re.S).group(1)

    html = as_direktur.post(f"{INBOX}/{visum.id}/approve?day={MONDAY.isoformat()}&nip={analis.nip}",
                            headers=HX).get_data(as_text=True)
    assert counter(html) == "4" and showing(html) == ("0", "4") and day_count(html) == "0"  # his Monday: none left
    other = file(analis, MONDAY)
    html = as_direktur.post(f"{INBOX}/{other.id}/approve?nip={analis.nip}", headers=HX).get_data(as_text=True)
    assert showing(html) == ("2", "4") and day_count(html) == "0"
    third = file(pelaksana, MONDAY)
    html = as_direktur.post(f"{INBOX}/{third.id}/approve?day={TUESDAY.isoformat()}", headers=HX).get_data(as_text=True)
    assert showing(html) == ("2", "4") and day_count(html) == "1"  # Tuesday shown; Monday's header: pelaksana's
    html = as_direktur.post(f"{INBOX}/{third.id}/approve", headers=HX).get_data(as_text=True)  # already: quiet
    assert showing(html) == ("4", "4") and counter(html) == "4"


def test_one_click_approval_costs_a_few_statements_whatever_the_backlog(as_direktur, people, statements):  # noqa: F811
    visum = file(people["analis"])
    for day in (MONDAY, TUESDAY):
        for name in ("analis", "pelaksana", "penyuluh"):
            file(people[name], day)
    with statements:
        response = as_direktur.post(f"{INBOX}/{visum.id}/approve", data={"version": visum.version}, headers=HX)
    assert response.status_code == 200 and counter(response.get_data(as_text=True)) == "6"
    # the user, the visum (with its employee and assessor link), UPDATE, audit INSERT, the counts
    assert statements.count <= 6, statements.statements


def test_approve_one_without_htmx_redirects_back_to_the_view(as_direktur, people):
    visum = file(people["analis"])
    response = as_direktur.post(f"{INBOX}/{visum.id}/approve?day=2026-01-15&page=2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/execution/inbox?day=2026-01-15&page=2")
    assert fresh(visum.id).status == "APPROVED"
    assert "disetujui" in as_direktur.get(INBOX).get_data(as_text=True)  # the flash


def test_approved_twice_from_two_tabs_is_no_error(app, people):
    visum = file(people["analis"])
    first, second = app.test_client(), app.test_client()
    direktur = user(people["direktur"])
    login_as(first, direktur)
    login_as(second, direktur)
    assert first.post(f"{INBOX}/{visum.id}/approve", headers=HX).status_code == 200
    again = second.post(f"{INBOX}/{visum.id}/approve", headers=HX)
    assert again.status_code == 200 and "Disetujui" in again.get_data(as_text=True)
    assert counter(again.get_data(as_text=True)) == "0"
    assert audit("visum.approve", visum.id) == 1


def test_two_assessors_approving_at_once_one_wins(app, org, people):
    visum = file(people["analis"])
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 14), end=date(2026, 1, 16))
    refresh_assessor_links()
    db.session.commit()
    direktur, plh = app.test_client(), app.test_client()
    login_as(direktur, user(people["direktur"]))
    login_as(plh, user(people["kasubdit"]))
    assert direktur.post(f"{INBOX}/{visum.id}/approve", headers=HX).status_code == 200
    late = plh.post(f"{INBOX}/{visum.id}/approve", headers=HX)
    html = late.get_data(as_text=True)
    assert late.status_code == 200 and "Disetujui" in html and "oleh Direktur" in html
    assert fresh(visum.id).approved_by_id == people["direktur"].id
    assert audit("visum.approve", visum.id) == 1
    # without HTMX the late one lands back on the inbox too, not on an error page
    assert plh.post(f"{INBOX}/{visum.id}/approve").status_code == 303


def test_approving_a_visum_returned_meanwhile_says_so_politely(as_direktur, people):
    visum = file(people["analis"])
    services.return_visum(people["direktur"], fresh(visum.id), "Bukti belum ada")  # the other tab
    db.session.commit()
    response = as_direktur.post(f"{INBOX}/{visum.id}/approve", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "sudah dikembalikan" in html and "Dikembalikan" in html
    assert fresh(visum.id).status == "RETURNED"
    plain = as_direktur.post(f"{INBOX}/{visum.id}/approve")
    assert plain.status_code == 303


def test_a_visum_edited_since_the_page_was_shown_is_not_approved_blindly(as_direktur, people):
    visum = file(people["analis"])
    shown = visum.version
    services.update_visum(people["analis"], fresh(visum.id), activity="Isi yang lain")
    db.session.commit()
    response = as_direktur.post(f"{INBOX}/{visum.id}/approve", data={"version": shown}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "mengubah visum ini" in html and "Isi yang lain" in html
    assert fresh(visum.id).status == "SUBMITTED"
    assert f'name="version" value="{fresh(visum.id).version}"' in html  # the next click approves
    assert as_direktur.post(f"{INBOX}/{visum.id}/approve", data={"version": fresh(visum.id).version},
                            headers=HX).status_code == 200
    assert fresh(visum.id).status == "APPROVED"


# --- return ----------------------------------------------------------------------------------------

def test_return_with_a_reason(as_direktur, people):
    visum = file(people["analis"])
    response = as_direktur.post(f"{INBOX}/{visum.id}/return", data={"reason": "Lengkapi bukti"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Dikembalikan" in html and counter(html) == "0"
    row = fresh(visum.id)
    assert (row.status, row.return_reason) == ("RETURNED", "Lengkapi bukti")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.return"))
    assert entry.object_id == str(visum.id) and entry.reason == "Lengkapi bukti"


def test_return_without_a_reason_is_422_in_the_row(as_direktur, people):
    visum = file(people["analis"])
    response = as_direktur.post(f"{INBOX}/{visum.id}/return", data={"reason": "  "}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith(f'<tr id="inbox-visum-{visum.id}"')
    assert "Alasan pengembalian wajib diisi" in html and "<details class=\"inbox-return\" open>" in html
    plain = as_direktur.post(f"{INBOX}/{visum.id}/return", data={})
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)
    assert "Alasan pengembalian wajib diisi" in plain.get_data(as_text=True)
    assert fresh(visum.id).status == "SUBMITTED" and audit("visum.return") == 0


def test_return_without_htmx_redirects(as_direktur, people):
    visum = file(people["analis"])
    response = as_direktur.post(f"{INBOX}/{visum.id}/return", data={"reason": "Kurang"})
    assert response.status_code == 303 and fresh(visum.id).status == "RETURNED"


def test_returning_a_visum_approved_meanwhile_says_so_politely(as_direktur, people):
    visum = file(people["analis"])
    services.approve_visum(people["direktur"], fresh(visum.id))
    db.session.commit()
    response = as_direktur.post(f"{INBOX}/{visum.id}/return", data={"reason": "Kurang"}, headers=HX)
    assert response.status_code == 200 and "sudah disetujui" in response.get_data(as_text=True)
    assert fresh(visum.id).status == "APPROVED"


# --- approve many ----------------------------------------------------------------------------------

def test_approve_selected_skips_what_is_not_his(as_direktur, people):
    mine = [file(people["analis"]), file(people["pelaksana"])]
    left = file(people["penyuluh"])
    foreign, own = file(people["staf2"]), file(people["direktur"])
    ids = [v.id for v in mine] + [foreign.id, own.id, 999999]
    response = as_direktur.post(f"{INBOX}/approve-selected", data={"visum_id": ids}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<section id="inbox"')
    assert "2 visum disetujui" in html and "bukan visum pegawai yang Anda nilai" in html
    assert "tidak ditemukan" in html and counter(html) == "1"
    assert f"inbox-visum-{left.id}" in html and f"inbox-visum-{mine[0].id}" not in html
    assert [fresh(v.id).status for v in mine] == ["APPROVED", "APPROVED"]
    assert fresh(foreign.id).status == fresh(own.id).status == "SUBMITTED"
    assert audit("visum.approve") == 2


def test_approve_selected_without_htmx_and_empty(as_direktur, people):
    visum = file(people["analis"])
    assert as_direktur.post(f"{INBOX}/approve-selected", data={}, headers=HX).status_code == 422
    response = as_direktur.post(f"{INBOX}/approve-selected?nip={people['analis'].nip}", data={"visum_id": visum.id})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"nip={people['analis'].nip}")
    assert fresh(visum.id).status == "APPROVED"
    assert "1 visum disetujui" in as_direktur.get(INBOX).get_data(as_text=True)


def test_approve_a_whole_day(as_direktur, people):
    monday = [file(people["analis"], MONDAY), file(people["pelaksana"], MONDAY)]
    tuesday = file(people["analis"], TUESDAY)
    foreign = file(people["staf2"], MONDAY)
    response = as_direktur.post(f"{INBOX}/approve-day", data={"approve_day": "2026-01-12"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 visum disetujui" in html and counter(html) == "1"
    assert [fresh(v.id).status for v in monday] == ["APPROVED", "APPROVED"]
    assert fresh(tuesday.id).status == "SUBMITTED" and fresh(foreign.id).status == "SUBMITTED"
    assert audit("visum.approve") == 2


def test_approve_a_day_of_one_person(as_direktur, people):
    analis, pelaksana = file(people["analis"], MONDAY), file(people["pelaksana"], MONDAY)
    response = as_direktur.post(f"{INBOX}/approve-day",
                                data={"approve_day": "2026-01-12", "approve_nip": people["pelaksana"].nip})
    assert response.status_code == 303
    assert (fresh(analis.id).status, fresh(pelaksana.id).status) == ("SUBMITTED", "APPROVED")


def test_approve_a_day_needs_a_date(as_direktur, people):
    file(people["analis"], MONDAY)
    response = as_direktur.post(f"{INBOX}/approve-day", data={"approve_day": "senin"}, headers=HX)
    assert response.status_code == 422 and "Tanggal tidak valid" in response.get_data(as_text=True)
    assert audit("visum.approve") == 0


# --- cross-links ---------------------------------------------------------------------------------

def _with_evidence(visum, *names):
    stamp = NOW.replace(tzinfo=None)
    rows = [Evidence(visum_id=visum.id, kind="FILE", stored_name=f"{i}.pdf", original_name=name, created_at=stamp)
            for i, name in enumerate(names)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_rows_link_the_evidence_the_week_and_the_feedback(as_direktur, people):
    visum = file(people["analis"], MONDAY)
    quiet = file(people["pelaksana"], MONDAY)
    notulen, = _with_evidence(visum, "notulen.pdf")
    post_feedback(people["direktur"], people["analis"], body="Bagus, lanjutkan", visum=visum)
    post_feedback(people["direktur"], people["analis"], body="Lampirkan daftar hadir", visum=visum)
    db.session.commit()
    html = as_direktur.get(INBOX, headers=HX).get_data(as_text=True)
    assert (f'<li data-evidence="{notulen.id}"><a class="evidence evidence-file" '
            f'href="/execution/evidence/{notulen.id}" target="_blank" rel="noopener noreferrer">notulen.pdf</a></li>'
            ) in html
    assert f'href="/execution/visum/{people["analis"].nip}?week={MONDAY.isoformat()}"' in html
    feedback = re.search(rf'<div class="inbox-feedback" data-visum="{visum.id}">(.*?)</div>\s*</td>', html, re.S)
    assert feedback and f'hx-get="/execution/feedback/visum/{visum.id}"' in feedback.group(1)
    assert '<span class="badge">2</span>' in feedback.group(1)
    other = re.search(rf'<div class="inbox-feedback" data-visum="{quiet.id}">(.*?)</div>\s*</td>', html, re.S)
    assert other and "Umpan balik</a>" in other.group(1)  # no comments: no badge
    # the links are where they lead: the evidence file and the employee's week open for his assessor
    assert as_direktur.get(f"/execution/evidence/{notulen.id}").status_code == 404  # allowed; no file stored
    assert as_direktur.get(f"/execution/visum/{people['analis'].nip}?week={MONDAY.isoformat()}").status_code == 200
    assert as_direktur.get(f"/execution/feedback/visum/{visum.id}").status_code == 200


def test_the_approved_row_keeps_its_feedback_button_with_the_count(as_direktur, people):
    visum = file(people["analis"])
    post_feedback(people["direktur"], people["analis"], body="Catatan", visum=visum)
    db.session.commit()
    html = as_direktur.post(f"{INBOX}/{visum.id}/approve", headers=HX).get_data(as_text=True)
    row_html = html.split("</tr>")[0]
    assert f'hx-get="/execution/feedback/visum/{visum.id}"' in row_html and '<span class="badge">1</span>' in row_html


def test_the_list_costs_the_same_statements_with_more_rows_links_and_feedback(as_direktur, people, statements):  # noqa: F811
    first = file(people["analis"], MONDAY)
    _with_evidence(first, "a.pdf")
    with statements:
        assert as_direktur.get(INBOX, headers=HX).status_code == 200
    few = statements.count
    for day in (MONDAY, TUESDAY, THURSDAY):
        for name in ("pelaksana", "penyuluh", "analis"):
            visum = file(people[name], day)
            _with_evidence(visum, "b.pdf", "c.pdf")
            post_feedback(people["direktur"], people[name], body="Catatan", visum=visum)
    db.session.commit()
    with statements:
        html = as_direktur.get(INBOX, headers=HX).get_data(as_text=True)
    assert html.count('class="inbox-row') == 10 and html.count('<span class="badge">1</span>') == 9
    assert statements.count == few, statements.statements

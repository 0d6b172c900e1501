# ruff: noqa: F811 - fixtures imported from realisasi_fixtures are used as test parameters
"""Pages of realisation: access per route (302 anonymous, 403 another branch, read-only staff), the
realisation grid with inline entry (HTMX and plain, 422, evidence), Monev RAPK with the behind-target
list and rencana aksi progress, Dialog Penilaian Kinerja Organisasi, and the SKP realisation page."""

import io

import pytest
from sqlalchemy import func, select

from kinerja.execution import realisasi as services
from kinerja.execution.models import DialogOrganisasi, IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from kinerja.planning import pk as pk_services
from tests.execution.fixtures import iki_of
from tests.execution.realisasi_fixtures import APRIL, HX, login, pk, pk_with_action, planner  # noqa: F401
from tests.planning.skp_fixtures import full_skp


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _routes(pk, action=None, skp=None):
    routes = [] if pk is None else _pk_routes(pk)
    if action is not None:
        routes.append(("post", f"/execution/rencana-aksi/{action.id}/progress", {f"ra{action.id}-progress": "10"}))
    if skp is not None:
        routes += [("get", f"/execution/skp/{skp.id}/realisasi", None),
                   ("post", f"/execution/skp/{skp.id}/realisasi", {"iki_id": iki_of(skp).id,
                                                                   f"i{iki_of(skp).id}-period": "2026-01",
                                                                   f"i{iki_of(skp).id}-value": "2"})]
    return routes


def _pk_routes(pk):
    iku = pk.iku[0]
    return [
        ("get", f"/execution/pk/{pk.id}/realisasi", None),
        ("get", f"/execution/pk/{pk.id}/realisasi?iku={iku.id}&period=2026-01", None),
        ("post", f"/execution/pk/{pk.id}/realisasi", {"iku_id": iku.id, f"r{iku.id}-period": "2026-01",
                                                      f"r{iku.id}-value": "5"}),
        ("get", f"/execution/pk/{pk.id}/monev", None),
        ("get", "/execution/units/DIT/dialog", None),
        ("post", "/execution/units/DIT/dialog", {"held_on": "2026-01-14", "period": "2026-01",
                                                 "participants": "x", "summary": "y"}),
    ]


# --- access --------------------------------------------------------------------------------------

# The SKP routes are checked apart: the ``approved`` fixture builds a throw-away PK of DIT itself.
@pytest.mark.parametrize("which", ["organisation", "skp"])
def test_anonymous_goes_to_login(client, request, which):
    if which == "organisation":
        item = request.getfixturevalue("pk_with_action")
        routes = _routes(item, item.iku[0].actions[0])
    else:
        routes = _routes(None, skp=request.getfixturevalue("approved"))
    for method, url, data in routes:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
        response = getattr(client, method)(url, data=data, headers=HX)
        assert response.status_code == 401 and "/login" in response.headers["HX-Redirect"], url


@pytest.mark.parametrize("which", ["organisation", "skp"])
def test_another_branch_is_refused(client, request, people, which):
    if which == "organisation":
        item = request.getfixturevalue("pk_with_action")
        routes = _routes(item, item.iku[0].actions[0])
    else:
        routes = _routes(None, skp=request.getfixturevalue("approved"))
    login(client, people["staf2"])  # DIT2: neither above nor below DIT, not in the analis's chain
    for method, url, data in routes:
        assert getattr(client, method)(url, data=data).status_code == 403, url
        assert getattr(client, method)(url, data=data, headers=HX).status_code == 403, url
    assert count(IkuRealisasi) == count(DialogOrganisasi) == count(IkiRealisasi) == 0


def test_staff_of_the_unit_read_but_do_not_write(client, people, pk_with_action):
    login(client, people["pelaksana"])  # placed in DIT, no role
    action = pk_with_action.iku[0].actions[0]
    for method, url, data in _routes(pk_with_action, action):
        expected = 200 if method == "get" else 403
        assert getattr(client, method)(url, data=data).status_code == expected, url
    page = client.get(f"/execution/pk/{pk_with_action.id}/realisasi").text
    assert "Simpan realisasi" not in page and "IKU-1" in page
    assert "Simpan dialog" not in client.get("/execution/units/DIT/dialog").text
    assert count(IkuRealisasi) == count(DialogOrganisasi) == 0 and action.progress == 0


def test_heads_above_and_hr_read(client, people, pk):
    for who in ("deputi", "kepala", "hr"):
        login(client, people[who])
        assert client.get(f"/execution/pk/{pk.id}/realisasi").status_code == 200, who
        assert client.get(f"/execution/pk/{pk.id}/monev").status_code == 200, who


def test_unknown_ids_answer_404(client, planner):
    login(client, planner)
    for url in ("/execution/pk/999/realisasi", "/execution/pk/999/monev", "/execution/units/NOPE/dialog",
                "/execution/skp/999/realisasi", "/execution/realisasi/999/evidence"):
        assert client.get(url).status_code == 404, url
    assert client.post("/execution/rencana-aksi/999/progress", data={}).status_code == 404


# --- the realisation grid ---------------------------------------------------------------------------

def test_planner_sees_the_grid_and_the_forms(client, planner, pk):
    login(client, planner)
    page = client.get(f"/execution/pk/{pk.id}/realisasi")
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.count("Simpan realisasi") == 2 and 'name="iku_id"' in page.text
    assert 'value="2026-01"' in page.text and 'value="2026-02"' not in page.text  # only begun months
    partial = client.get(f"/execution/pk/{pk.id}/realisasi", headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.text and 'id="realisasi-grid"' in partial.text


def test_a_cell_link_opens_that_period_prefilled(client, planner, pk):
    iku = pk.iku[1]
    services.record_iku_realisasi(planner, pk, iku.code, "2026-01", 12.5, note="Catatan lama")
    db.session.commit()
    login(client, planner)
    url = f"/execution/pk/{pk.id}/realisasi?iku={iku.id}&period=2026-01"
    partial = client.get(url, headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.text
    assert partial.text.lstrip().startswith("<section") and f'id="realisasi-iku-{iku.id}"' in partial.text
    assert 'value="12.5"' in partial.text and "Catatan lama" in partial.text and " open" in partial.text
    page = client.get(url)
    assert "<html" in page.text and 'value="12.5"' in page.text
    # the period select asks with its own (prefixed) name
    again = client.get(f"/execution/pk/{pk.id}/realisasi?iku={iku.id}&r{iku.id}-period=2026", headers=HX)
    assert 'value="12.5"' not in again.text


def _entry(iku, **values):
    data = {"iku_id": str(iku.id)}
    data.update({f"r{iku.id}-{k}": v for k, v in values.items()})
    return data


def test_htmx_entry_saves_and_answers_the_iku_partial(client, planner, pk):
    iku = pk.iku[0]
    login(client, planner)
    response = client.post(f"/execution/pk/{pk.id}/realisasi", headers=HX,
                           data=_entry(iku, period="2026-01", value="8,5", note="Data BPS",
                                       evidence_url="https://bps.go.id/x"))
    assert response.status_code == 200, response.text
    assert f'id="realisasi-iku-{iku.id}"' in response.text and "<html" not in response.text
    assert "8,5" in response.text and 'hx-swap-oob="true"' in response.text  # flash out of band
    row = db.session.scalar(select(IkuRealisasi))
    assert (row.iku_code, row.period, row.value, row.note, row.evidence_url) == (
        "IKU-1", "2026-01", 8.5, "Data BPS", "https://bps.go.id/x")
    assert 'href="https://bps.go.id/x"' in response.text and 'rel="noopener noreferrer"' in response.text


def test_plain_entry_redirects_back(client, planner, pk):
    iku = pk.iku[0]
    login(client, planner)
    response = client.post(f"/execution/pk/{pk.id}/realisasi", data=_entry(iku, period="2026", value="70"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/execution/pk/{pk.id}/realisasi#realisasi-iku-{iku.id}")
    assert db.session.scalar(select(IkuRealisasi.period)) == "2026"


@pytest.mark.parametrize(("values", "message"), [
    ({"period": "2026-01", "value": "banyak"}, "Harus berupa angka"),
    ({"period": "2026-01", "value": ""}, "wajib diisi"),
    ({"period": "2026-01", "value": "-3"}, "tidak boleh negatif"),
    ({"period": "2026-03", "value": "3"}, "Pilihan tidak valid"),  # March has not begun
    ({"period": "2026-01", "value": "3", "evidence_url": "javascript:alert(1)"}, "http://"),
])
def test_bad_entry_rerenders_with_422(client, planner, pk, values, message):
    iku = pk.iku[0]
    login(client, planner)
    for headers in (HX, {}):
        response = client.post(f"/execution/pk/{pk.id}/realisasi", data=_entry(iku, **values), headers=headers)
        assert response.status_code == 422 and message in response.text
        assert ("<html" in response.text) is (headers == {})
    assert count(IkuRealisasi) == 0


def test_link_and_file_together_is_a_422_on_the_form(client, planner, pk):
    iku = pk.iku[0]
    login(client, planner)
    data = _entry(iku, period="2026-01", value="3", evidence_url="https://x.id/a")
    data[f"r{iku.id}-evidence_file"] = (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf")
    response = client.post(f"/execution/pk/{pk.id}/realisasi", data=data, headers=HX,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "tautan atau berkas" in response.text
    assert count(IkuRealisasi) == 0


def test_file_evidence_upload_and_download(client, people, planner, pk):
    pytest.importorskip("kinerja.execution.evidence", reason="the evidence store is written by another helper")
    iku = pk.iku[0]
    login(client, planner)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    data = _entry(iku, period="2026-01", value="3")
    data[f"r{iku.id}-evidence_file"] = (io.BytesIO(pdf), "laporan.pdf")
    response = client.post(f"/execution/pk/{pk.id}/realisasi", data=data, headers=HX,
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.text
    row = db.session.scalar(select(IkuRealisasi))
    assert row.stored_name and row.original_name
    download = client.get(f"/execution/realisasi/{row.id}/evidence")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    login(client, people["staf2"])
    assert client.get(f"/execution/realisasi/{row.id}/evidence").status_code == 403
    with client.session_transaction() as session:
        session.clear()
    anonymous = client.get(f"/execution/realisasi/{row.id}/evidence")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    # a disallowed type is refused on the file field, nothing stored
    login(client, planner)
    data = _entry(iku, period="2026", value="3")
    data[f"r{iku.id}-evidence_file"] = (io.BytesIO(b"<script>alert(1)</script>"), "x.html")
    response = client.post(f"/execution/pk/{pk.id}/realisasi", data=data, headers=HX,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Jenis berkas tidak diizinkan" in response.text
    assert count(IkuRealisasi) == 1


def test_a_draft_pk_shows_no_form_and_refuses_a_post(client, org, planner):
    from tests.planning.pk_fixtures import build_pk

    draft = build_pk(None, org["units"]["DIT"])
    login(client, planner)
    page = client.get(f"/execution/pk/{draft.id}/realisasi").text
    assert "belum ditandatangani" in page and "Simpan realisasi" not in page
    response = client.post(f"/execution/pk/{draft.id}/realisasi", data=_entry(draft.iku[0], period="2026-01",
                                                                              value="1"))
    assert response.status_code == 409 and count(IkuRealisasi) == 0


def test_a_superseded_version_points_to_the_version_in_force(client, people, planner, pk):
    services.record_iku_realisasi(planner, pk, "IKU-1", "2026-01", 6.25)
    amended = pk_services.amend_pk(planner, pk, "REGULATION", "Reorganisasi", people["deputi"])
    pk_services.sign_pk(people["direktur"], amended)
    pk_services.sign_pk(people["deputi"], amended)
    db.session.commit()
    login(client, planner)
    old = client.get(f"/execution/pk/{pk.id}/realisasi").text
    assert f"/execution/pk/{amended.id}/realisasi" in old and "Simpan realisasi" not in old
    new = client.get(f"/execution/pk/{amended.id}/realisasi").text
    assert "6,25" in new and "Simpan realisasi" in new


# --- Monev RAPK ------------------------------------------------------------------------------------

def test_monev_shows_chart_table_and_behind_list(client, frozen, planner, pk):
    for code, period, value in [("IKU-1", "2026-01", 10), ("IKU-1", "2026-03", 20), ("IKU-2", "2026-03", 15)]:
        services.record_iku_realisasi(planner, pk, code, period, value, now=APRIL)
    db.session.commit()
    frozen.move_to(APRIL)
    login(client, planner)
    page = client.get(f"/execution/pk/{pk.id}/monev")
    assert page.status_code == 200 and "<html" in page.text
    assert page.text.count("<svg") == 2 and 'class="realisation"' in page.text
    behind = page.text.split('id="monev-behind"')[1].split("</table>")[0]
    assert "IKU-1" in behind and "IKU-2" not in behind and "Maret 2026" in behind and "80%" in behind
    assert "NKO sementara" in page.text
    partial = client.get(f"/execution/pk/{pk.id}/monev", headers=HX)
    assert partial.status_code == 200 and "<html" not in partial.text and 'id="monev"' in partial.text


def test_monev_without_behind_iku_says_so(client, planner, pk):
    login(client, planner)
    assert "Tidak ada IKU yang tertinggal" in client.get(f"/execution/pk/{pk.id}/monev").text


def test_progress_inline_update(client, people, planner, pk_with_action):
    action = pk_with_action.iku[0].actions[0]
    url = f"/execution/rencana-aksi/{action.id}/progress"
    login(client, planner)
    assert f'id="ra-{action.id}"' in client.get(f"/execution/pk/{pk_with_action.id}/monev").text
    response = client.post(url, data={f"ra{action.id}-progress": "40"}, headers=HX)
    assert response.status_code == 200 and response.text.lstrip().startswith("<tr") and "40%" in response.text
    assert action.progress == 40
    response = client.post(url, data={f"ra{action.id}-progress": "140"}, headers=HX)
    assert response.status_code == 422 and "antara 0 dan 100" in response.text
    response = client.post(url, data={f"ra{action.id}-progress": "140"})
    assert response.status_code == 422 and "<html" in response.text
    login(client, people["direktur"])  # the unit's head
    response = client.post(url, data={f"ra{action.id}-progress": "60"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#ra-{action.id}")
    db.session.refresh(action)
    assert action.progress == 60


# --- Dialog Penilaian Kinerja Organisasi -------------------------------------------------------------

DIALOG = {"held_on": "2026-01-14", "period": "2026-01", "participants": "Direktur; tim perencanaan",
          "summary": "Capaian Januari dibahas", "follow_up": "Lapor mingguan"}


def test_dialog_record_and_list(client, people, pk):
    login(client, people["direktur"])
    page = client.get("/execution/units/DIT/dialog?year=2026")
    assert page.status_code == 200 and "Simpan dialog" in page.text and f"/execution/pk/{pk.id}/monev" in page.text
    response = client.post("/execution/units/DIT/dialog?year=2026", data=DIALOG, headers=HX)
    assert response.status_code == 200 and "<html" not in response.text and 'id="dialog-organisasi"' in response.text
    assert "Capaian Januari dibahas" in response.text
    dialog = db.session.scalar(select(DialogOrganisasi))
    assert (dialog.year, dialog.period, dialog.recorded_by_id) == (2026, "2026-01", people["direktur"].id)
    response = client.post("/execution/units/DIT/dialog?year=2026", data=dict(DIALOG, summary="Kedua"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/execution/units/DIT/dialog?year=2026")
    assert count(DialogOrganisasi) == 2
    assert "Kedua" in client.get(f"/execution/pk/{pk.id}/monev").text


@pytest.mark.parametrize(("changes", "message"), [
    ({"held_on": "kemarin"}, "Tanggal tidak valid"), ({"held_on": "2026-01-20"}, "masa depan"),
    ({"period": "Januari"}, "TTTT-BB"), ({"period": "2026-13"}, "TTTT-BB"), ({"period": "2026-05"}, "belum berjalan"),
    ({"summary": ""}, "wajib diisi"),
])
def test_dialog_bad_input_is_422(client, planner, changes, message):
    login(client, planner)
    for headers in (HX, {}):
        response = client.post("/execution/units/DIT/dialog?year=2026", data=dict(DIALOG, **changes), headers=headers)
        assert response.status_code == 422 and message in response.text
    assert count(DialogOrganisasi) == 0


# --- SKP realisation ---------------------------------------------------------------------------------

def _iki_entry(iki, **values):
    data = {"iki_id": str(iki.id)}
    data.update({f"i{iki.id}-{k}": v for k, v in values.items()})
    return data


def test_employee_enters_his_realisation(client, people, approved):
    iki = iki_of(approved)
    login(client, people["analis"])
    page = client.get(f"/execution/skp/{approved.id}/realisasi")
    assert page.status_code == 200 and "Simpan realisasi" in page.text and iki.text in page.text
    response = client.post(f"/execution/skp/{approved.id}/realisasi", data=_iki_entry(iki, period="2026-01", value="3"),
                           headers=HX)
    assert response.status_code == 200 and f'id="skp-realisasi-iki-{iki.id}"' in response.text
    assert "<html" not in response.text
    row = db.session.scalar(select(IkiRealisasi))
    assert (row.iki_id, row.period, row.value) == (iki.id, "2026-01", 3.0)
    response = client.post(f"/execution/skp/{approved.id}/realisasi", data=_iki_entry(iki, period="2026-01", value="4"))
    assert response.status_code == 303 and count(IkiRealisasi) == 1
    partial = client.get(f"/execution/skp/{approved.id}/realisasi?iki={iki.id}&period=2026-01", headers=HX)
    assert partial.status_code == 200 and 'value="4.0"' in partial.text and "<html" not in partial.text
    grid = client.get(f"/execution/skp/{approved.id}/realisasi", headers=HX)
    assert grid.status_code == 200 and "<html" not in grid.text and 'id="skp-realisasi"' in grid.text


def test_skp_bad_input_is_422(client, people, approved):
    iki = iki_of(approved)
    login(client, people["analis"])
    for values in ({"period": "2026-01", "value": "x"}, {"period": "2026-02", "value": "1"}):
        for headers in (HX, {}):
            response = client.post(f"/execution/skp/{approved.id}/realisasi", data=_iki_entry(iki, **values),
                                   headers=headers)
            assert response.status_code == 422
    assert count(IkiRealisasi) == 0


def test_assessor_chain_and_hr_read_only(client, people, approved):
    iki = iki_of(approved)
    services.record_iki_realisasi(people["analis"], approved, iki.id, "2026-01", 2)
    db.session.commit()
    for who in ("direktur", "deputi", "hr"):
        login(client, people[who])
        page = client.get(f"/execution/skp/{approved.id}/realisasi")
        assert page.status_code == 200 and "Simpan realisasi" not in page.text and "Hanya dapat dibaca" in page.text
        response = client.post(f"/execution/skp/{approved.id}/realisasi", data=_iki_entry(iki, period="2026-01",
                                                                                          value="9"))
        assert response.status_code == 403, who
    assert db.session.scalar(select(IkiRealisasi.value)) == 2.0
    login(client, people["pelaksana"])  # a colleague, not in the chain
    assert client.get(f"/execution/skp/{approved.id}/realisasi").status_code == 403


def test_an_skp_not_approved_cannot_take_realisation(client, people, approved):
    draft = full_skp(people["pelaksana"], parent=approved.rhk[0].parent)
    login(client, people["pelaksana"])
    page = client.get(f"/execution/skp/{draft.id}/realisasi")
    assert page.status_code == 200 and "belum disetujui" in page.text and "Simpan realisasi" not in page.text
    response = client.post(f"/execution/skp/{draft.id}/realisasi", data=_iki_entry(iki_of(draft), period="2026-01",
                                                                                   value="1"), headers=HX)
    assert response.status_code == 403 and count(IkiRealisasi) == 0

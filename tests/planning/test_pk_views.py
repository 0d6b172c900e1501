# ruff: noqa: F811 - the fixtures imported from pk_fixtures are used as test parameters
"""Pages of the Perjanjian Kinerja: access per route, partials with and without HX-Request, 422 on bad
input, the live trajectory check, signing, Perubahan PK, history and the cascade tree."""

import pytest
from sqlalchemy import select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.planning import pk as services
from kinerja.planning.models import Anggaran, Iku, PerjanjianKinerja, RencanaAksi, SasaranStrategis
from tests.factories import login_as
from tests.planning.pk_fixtures import YEAR, build_pk, linear, org, signed_pk  # noqa: F401

HX = {"HX-Request": "true"}


def as_user(client, org, who):
    login_as(client, getattr(org, f"{who}_user"))
    return client


def traj_form(values: dict) -> dict:
    return {f"p-{period}": str(value).replace(".", ",") for period, value in values.items()}


@pytest.fixture
def draft(org):
    return build_pk(None, org.units.dit)


# --- access per route --------------------------------------------------------------------------

def _routes(pk):
    iku, ss = pk.iku[0], pk.sasaran[0]
    return [
        ("get", f"/planning/pk/{pk.id}", None),
        ("get", f"/planning/pk/{pk.id}/history", None),
        ("get", f"/planning/pk/iku/{iku.id}/chart.svg", None),
        ("post", f"/planning/pk/iku/{iku.id}/trajectory/check", {"p-2026-01": "1"}),
        ("post", f"/planning/pk/{pk.id}/inputs", {"input_renja": "x"}),
        ("post", f"/planning/pk/{pk.id}/sasaran", {"name": "x"}),
        ("post", f"/planning/pk/sasaran/{ss.id}/delete", {}),
        ("post", f"/planning/pk/{pk.id}/iku", {"new-code": "Z"}),
        ("get", f"/planning/pk/iku/{iku.id}/edit", None),
        ("post", f"/planning/pk/iku/{iku.id}", {}),
        ("post", f"/planning/pk/iku/{iku.id}/delete", {}),
        ("post", f"/planning/pk/iku/{iku.id}/trajectory", traj_form(linear(YEAR, 100))),
        ("post", f"/planning/pk/iku/{iku.id}/actions", {}),
        ("post", f"/planning/pk/{pk.id}/anggaran", {}),
        ("post", f"/planning/pk/{pk.id}/penugasan", {}),
        ("post", f"/planning/pk/{pk.id}/sign", {}),
        ("post", f"/planning/pk/{pk.id}/amend", {}),
    ]


def test_every_route_sends_anonymous_users_to_login(client, draft):
    for method, url, data in _routes(draft) + [("get", "/planning/pk", None), ("get", "/planning/cascade", None),
                                               ("post", "/planning/pk", {})]:
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_every_route_refuses_another_branch(client, org, draft):
    as_user(client, org, "staf2")
    for method, url, data in _routes(draft):
        assert getattr(client, method)(url, data=data).status_code == 403, url
    assert client.get("/planning/cascade?unit=DIT").status_code == 403
    assert db.session.get(PerjanjianKinerja, draft.id).sasaran  # nothing deleted


def test_staff_reads_but_may_not_edit(client, org, draft):
    as_user(client, org, "analis")
    assert client.get(f"/planning/pk/{draft.id}").status_code == 200
    assert client.get(f"/planning/pk/{draft.id}/history").status_code == 200
    iku = draft.iku[0]
    assert client.post(f"/planning/pk/iku/{iku.id}/trajectory/check", data={"p-2026-01": "5"},
                       headers=HX).status_code == 200
    for method, url, data in _routes(draft)[4:]:
        assert getattr(client, method)(url, data=data).status_code == 403, url


@pytest.mark.parametrize("who", ["direktur", "deputi", "planner", "hr", "kepala", "kasubdit", "analis"])
def test_page_readers(client, org, draft, who):
    as_user(client, org, who)
    response = client.get(f"/planning/pk/{draft.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Perjanjian Kinerja 2026" in body and 'id="pk-sasaran"' in body and "<svg" in body
    editable = who in ("direktur", "deputi", "planner")
    assert ("Simpan trajektori" in body) is editable


def test_page_partial_with_and_without_htmx(client, org, draft):
    as_user(client, org, "direktur")
    full = client.get(f"/planning/pk/{draft.id}").get_data(as_text=True)
    partial = client.get(f"/planning/pk/{draft.id}", headers=HX).get_data(as_text=True)
    assert "<html" in full and "<html" not in partial
    assert partial.lstrip().startswith('<section id="pk-sasaran"')


def test_unknown_pk_is_404(client, org):
    as_user(client, org, "planner")
    assert client.get("/planning/pk/999").status_code == 404
    assert client.post("/planning/pk/iku/999/trajectory", data={}).status_code == 404


# --- list and create ---------------------------------------------------------------------------

def test_list_and_create(client, org):
    as_user(client, org, "direktur")
    page = client.get(f"/planning/pk?year={YEAR}")
    assert page.status_code == 200 and "Belum ada" in page.get_data(as_text=True)
    response = client.post("/planning/pk", data={"unit": "DIT", "year": YEAR}, headers=HX)
    assert response.status_code == 204
    pk = db.session.scalar(select(PerjanjianKinerja))
    assert response.headers["HX-Redirect"] == f"/planning/pk/{pk.id}"
    again = client.post("/planning/pk", data={"unit": "DIT", "year": YEAR}, headers=HX)
    assert again.status_code == 422 and "sudah ada" in again.get_data(as_text=True)
    assert 'id="pk-create"' in again.get_data(as_text=True)


def test_create_invalid_form_422(client, org):
    as_user(client, org, "planner")
    response = client.post("/planning/pk", data={"unit": "NOPE", "year": "abc"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Kode unit tidak dikenal." in body and "<html" in body


def test_create_for_another_branch_403(client, org):
    as_user(client, org, "staf2")
    assert client.post("/planning/pk", data={"unit": "DIT", "year": YEAR}).status_code == 403
    assert db.session.scalar(select(PerjanjianKinerja)) is None


def test_planner_filters_list_by_unit(client, org, draft):
    as_user(client, org, "planner")
    body = client.get(f"/planning/pk?year={YEAR}&unit=DEPUTI", headers=HX).get_data(as_text=True)
    assert 'id="pk-list"' in body and "DIT" in body and f"/planning/pk/{draft.id}" in body


# --- editing -----------------------------------------------------------------------------------

def test_add_sasaran_and_iku_htmx(client, org, draft):
    as_user(client, org, "direktur")
    response = client.post(f"/planning/pk/{draft.id}/sasaran", data={"name": "Sasaran baru"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Sasaran baru" in body and 'id="pk-header" class="pk-header" hx-swap-oob="true"' in body
    ss = db.session.scalar(select(SasaranStrategis).where(SasaranStrategis.name == "Sasaran baru"))
    data = {"new-sasaran_id": ss.id, "new-code": "IKU-9", "new-name": "Indikator baru", "new-polarity": "MIN",
            "new-weight": "10", "new-target": "5", "new-unit_of_measure": "kasus", "new-consolidation": "SEMESTER",
            "new-aggregation": "JUMLAH", "new-target_kind": "OUTPUT", "new-parent_iku_id": ""}
    response = client.post(f"/planning/pk/{draft.id}/iku", data=data, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    iku = db.session.scalar(select(Iku).where(Iku.code == "IKU-9"))
    assert (iku.consolidation, iku.aggregation, iku.polarity) == ("SEMESTER", "JUMLAH", "MIN")
    assert "Jumlah bobot IKU: <strong class=\"warn\">110</strong>" in response.get_data(as_text=True)


def test_add_iku_invalid_422_with_messages(client, org, draft):
    as_user(client, org, "direktur")
    data = {"new-sasaran_id": draft.sasaran[0].id, "new-code": "", "new-name": "x", "new-polarity": "UP",
            "new-weight": "0", "new-target": "-3", "new-unit_of_measure": "x", "new-consolidation": "MONTHLY",
            "new-aggregation": "KUMULATIF", "new-target_kind": "OUTCOME"}
    response = client.post(f"/planning/pk/{draft.id}/iku", data=data, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    for message in ("Kode IKU wajib diisi.", "Pilihan tidak valid.", "Bobot antara 0,01 dan 100.",
                    "Target tidak boleh negatif."):
        assert message in body
    duplicate = dict(data, **{"new-code": "IKU-1", "new-polarity": "MAX", "new-weight": "5", "new-target": "1"})
    response = client.post(f"/planning/pk/{draft.id}/iku", data=duplicate, headers=HX)
    assert response.status_code == 422 and "sudah dipakai" in response.get_data(as_text=True)


def test_iku_form_offers_only_the_iku_above(client, org):
    above = build_pk(None, org.units.deputi, ikus=(("D-1", 100, 10, None),))
    other = build_pk(None, org.units.deputi2, ikus=(("X-1", 100, 10, None),))
    pk = build_pk(None, org.units.dit)
    as_user(client, org, "direktur")
    body = client.get(f"/planning/pk/{pk.id}").get_data(as_text=True)
    assert f'value="{above.iku[0].id}"' in body and "D-1 —" in body and "X-1" not in body
    data = {"new-sasaran_id": pk.sasaran[0].id, "new-code": "N", "new-name": "x", "new-polarity": "MAX",
            "new-weight": "5", "new-target": "1", "new-unit_of_measure": "x", "new-consolidation": "MONTHLY",
            "new-aggregation": "KUMULATIF", "new-target_kind": "OUTCOME", "new-parent_iku_id": str(other.iku[0].id)}
    response = client.post(f"/planning/pk/{pk.id}/iku", data=data, headers=HX)
    assert response.status_code == 422


def test_edit_iku_in_place_and_save(client, org, draft):
    as_user(client, org, "planner")
    iku = draft.iku[0]
    form = client.get(f"/planning/pk/iku/{iku.id}/edit", headers=HX)
    assert form.status_code == 200
    assert form.get_data(as_text=True).lstrip().startswith(f'<article class="pk-iku" id="iku-{iku.id}"')
    assert "<html" in client.get(f"/planning/pk/iku/{iku.id}/edit").get_data(as_text=True)
    prefix = f"e{iku.id}-"
    data = {prefix + k: v for k, v in {"sasaran_id": iku.sasaran_id, "code": "IKU-1", "name": "Nama baru",
                                       "polarity": "STABIL", "weight": "60", "target": "100", "unit_of_measure": "%",
                                       "consolidation": "MONTHLY", "aggregation": "KUMULATIF",
                                       "target_kind": "OUTCOME", "parent_iku_id": ""}.items()}
    response = client.post(f"/planning/pk/iku/{iku.id}", data=data, headers=HX)
    assert response.status_code == 200 and "Nama baru" in response.get_data(as_text=True)
    bad = dict(data, **{prefix + "weight": "abc"})
    response = client.post(f"/planning/pk/iku/{iku.id}", data=bad, headers=HX)
    assert response.status_code == 422 and 'id="pk-sasaran"' in response.get_data(as_text=True)
    assert client.get(f"/planning/pk/iku/{iku.id}", headers=HX).status_code == 200


def test_plain_post_redirects_back(client, org, draft):
    as_user(client, org, "direktur")
    response = client.post(f"/planning/pk/{draft.id}/penugasan", data={"description": "Tugas khusus"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/planning/pk/{draft.id}#pk-penugasan")
    response = client.post(f"/planning/pk/{draft.id}/penugasan", data={"description": ""})
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)
    assert "Uraian penugasan wajib diisi." in response.get_data(as_text=True)


def test_inputs_anggaran_penugasan_actions(client, org, draft):
    as_user(client, org, "deputi")
    response = client.post(f"/planning/pk/{draft.id}/inputs", data={"input_renstra": "Renstra BKKBN",
                                                                     "head_nip": "", "superior_nip": ""}, headers=HX)
    assert response.status_code == 200 and "Renstra BKKBN" in response.get_data(as_text=True)
    response = client.post(f"/planning/pk/{draft.id}/inputs", data={"head_nip": "123"}, headers=HX)
    assert response.status_code == 422 and "NIP terdiri dari 18 angka." in response.get_data(as_text=True)
    response = client.post(f"/planning/pk/{draft.id}/anggaran", data={"program": "KB", "kegiatan": "Layanan",
                                                                      "amount": "2500000", "dipa_ref": "D1"},
                           headers=HX)
    assert response.status_code == 200 and "2.500.000" in response.get_data(as_text=True)
    assert client.post(f"/planning/pk/{draft.id}/anggaran", data={"program": "KB"}, headers=HX).status_code == 422
    line = db.session.scalar(select(Anggaran))
    assert client.post(f"/planning/pk/anggaran/{line.id}/delete", headers=HX).status_code == 200
    iku = draft.iku[0]
    response = client.post(f"/planning/pk/iku/{iku.id}/actions",
                           data={f"a{iku.id}-kind": "INISIATIF_STRATEGIS", f"a{iku.id}-description": "Kampung KB",
                                 f"a{iku.id}-period": "2026-05"}, headers=HX)
    assert response.status_code == 200 and "Kampung KB" in response.get_data(as_text=True)
    assert response.get_data(as_text=True).lstrip().startswith(f'<div class="pk-actions" id="actions-{iku.id}"')
    bad = client.post(f"/planning/pk/iku/{iku.id}/actions",
                      data={f"a{iku.id}-kind": "RENCANA_AKSI", f"a{iku.id}-description": "x",
                            f"a{iku.id}-period": "2025-05"}, headers=HX)
    assert bad.status_code == 422 and "tahun 2026" in bad.get_data(as_text=True)
    action = db.session.scalar(select(RencanaAksi))
    assert client.post(f"/planning/pk/action/{action.id}/delete", headers=HX).status_code == 200
    assert db.session.scalar(select(RencanaAksi)) is None


# --- trajectory editor -------------------------------------------------------------------------

def test_trajectory_live_check_partial(client, org, draft):
    as_user(client, org, "direktur")
    iku = draft.iku[0]  # target 100, monthly, cumulative
    response = client.post(f"/planning/pk/iku/{iku.id}/trajectory/check",
                           data={"p-2026-01": "10", "p-2026-02": "25,5"}, headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith(f'<div class="traj-summary" id="traj-summary-{iku.id}"')
    assert "Kumulatif: 25,5 dari target 100 (kurang 74,5)" in body and "2 dari 12 periode terisi" in body
    assert "<svg" in body and "<html" not in body
    full = client.post(f"/planning/pk/iku/{iku.id}/trajectory/check", data={"p-2026-01": "10"})
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    done = client.post(f"/planning/pk/iku/{iku.id}/trajectory/check", data=traj_form(linear(YEAR, 90)), headers=HX)
    assert "kurang 10" in done.get_data(as_text=True) and "Belum mencapai target" in done.get_data(as_text=True)


def test_trajectory_save_ok_and_refused(client, org):
    pk = build_pk(None, org.units.dit, with_trajectory=False)
    iku = pk.iku[0]
    as_user(client, org, "direktur")
    bad = client.post(f"/planning/pk/iku/{iku.id}/trajectory", data=traj_form(linear(YEAR, 80)), headers=HX)
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    assert "tidak sama dengan target tahunan 100" in body and f'id="traj-{iku.id}"' in body
    assert db.session.get(Iku, iku.id).trajectory == []
    ok = client.post(f"/planning/pk/iku/{iku.id}/trajectory", data=traj_form(linear(YEAR, 100)), headers=HX)
    assert ok.status_code == 200 and "Mencapai target" in ok.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Iku, iku.id).trajectory) == 12
    chart = client.get(f"/planning/pk/iku/{iku.id}/chart.svg")
    assert chart.mimetype == "image/svg+xml" and chart.get_data(as_text=True).startswith("<svg")


# --- signing, amendment, history -----------------------------------------------------------------

def test_sign_both_parties_through_pages(client, org, draft):
    as_user(client, org, "direktur")
    page = client.get(f"/planning/pk/{draft.id}").get_data(as_text=True)
    assert "Tandatangani sebagai pihak pertama" in page and "pihak kedua</button>" not in page
    response = client.post(f"/planning/pk/{draft.id}/sign", data={"party": "HEAD"}, headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/planning/pk/{draft.id}"
    as_user(client, org, "deputi")
    assert client.post(f"/planning/pk/{draft.id}/sign", data={}).status_code == 303
    db.session.expire_all()
    assert db.session.get(PerjanjianKinerja, draft.id).status == "SIGNED"
    # a signed PK: edits answer 409 and the page offers the amendment instead
    as_user(client, org, "direktur")
    assert client.post(f"/planning/pk/{draft.id}/sasaran", data={"name": "x"}, headers=HX).status_code == 409
    iku = draft.iku[0]
    assert client.post(f"/planning/pk/iku/{iku.id}/trajectory", data=traj_form(linear(YEAR, 100))).status_code == 409
    assert "Ajukan Perubahan PK" in client.get(f"/planning/pk/{draft.id}").get_data(as_text=True)


def test_sign_incomplete_422_lists_problems(client, org):
    pk = build_pk(None, org.units.dit, ikus=(("A", 50, 10, None),))
    as_user(client, org, "direktur")
    response = client.post(f"/planning/pk/{pk.id}/sign", data={"party": "HEAD"}, headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Jumlah bobot 50, seharusnya 100." in body and body.lstrip().startswith('<section id="pk-header"')
    assert db.session.get(PerjanjianKinerja, pk.id).signed_by_head_at is None


def test_sign_by_non_party_403(client, org, draft):
    as_user(client, org, "planner")
    assert client.post(f"/planning/pk/{draft.id}/sign", data={}, headers=HX).status_code == 403


def test_amend_history_and_diff(client, org):
    pk = signed_pk(org, org.units.dit, org.direktur, org.deputi)
    as_user(client, org, "direktur")
    bad = client.post(f"/planning/pk/{pk.id}/amend", data={"reason": "REGULATION", "note": "",
                                                           "approved_by_nip": "1"}, headers=HX)
    assert bad.status_code == 422
    assert "Uraian perubahan wajib diisi." in bad.get_data(as_text=True)
    response = client.post(f"/planning/pk/{pk.id}/amend",
                           data={"reason": "REGULATION", "note": "APBN-P", "approved_by_nip": org.deputi.nip},
                           headers=HX)
    assert response.status_code == 204
    new = db.session.scalar(select(PerjanjianKinerja).where(PerjanjianKinerja.version == 2))
    assert response.headers["HX-Redirect"] == f"/planning/pk/{new.id}"
    services.delete_iku(org.direktur, new.iku[1])
    db.session.commit()
    history = client.get(f"/planning/pk/{new.id}/history")
    body = history.get_data(as_text=True)
    assert history.status_code == 200 and "APBN-P" in body and "Versi 1" in body and "Versi 2" in body
    assert "Dihapus: <code>IKU-2</code>" in body
    partial = client.get(f"/planning/pk/{new.id}/history?a=1&b=2", headers=HX).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="pk-diff"') and "<html" not in partial
    again = client.post(f"/planning/pk/{pk.id}/amend",
                        data={"reason": "REGULATION", "note": "lagi", "approved_by_nip": org.deputi.nip}, headers=HX)
    assert again.status_code == 409


# --- cascade tree --------------------------------------------------------------------------------

def test_cascade_page(client, org):
    top = build_pk(None, org.units.bkkbn, ikus=(("K1", 100, 10, None),))
    build_pk(None, org.units.deputi, ikus=(("D1", 50, 10, top.iku[0]), ("D2", 50, 10, None)))
    as_user(client, org, "planner")
    response = client.get(f"/planning/cascade?year={YEAR}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in body
    assert "K1" in body and "D2" in body and "Belum selaras" in body and "Belum ada PK" in body
    partial = client.get(f"/planning/cascade?year={YEAR}&unit=DEPUTI", headers=HX).get_data(as_text=True)
    assert partial.lstrip().startswith('<div id="cascade-tree"') and "K1 " not in partial
    assert client.get("/planning/cascade?unit=NOPE").status_code == 404


def test_cascade_for_staff_starts_at_own_unit(client, org):
    build_pk(None, org.units.dit, ikus=(("T1", 100, 10, None),))
    as_user(client, org, "analis")
    body = client.get(f"/planning/cascade?year={YEAR}").get_data(as_text=True)
    assert "<code>DIT</code>" in body and "<code>BKKBN</code> " not in body
    assert client.get("/planning/cascade?unit=DEPUTI").status_code == 403
    as_user(client, org, "deputi")
    assert client.get("/planning/cascade?unit=DIT").status_code == 200


def test_every_page_change_is_audited(client, org, draft):
    as_user(client, org, "direktur")
    client.post(f"/planning/pk/{draft.id}/penugasan", data={"description": "x"}, headers=HX)
    client.post(f"/planning/pk/{draft.id}/sign", data={"party": "HEAD"}, headers=HX)
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "pk",
                                                                      AuditEntry.actor_id == org.direktur.id)))
    assert actions == ["pk.penugasan.add", "pk.sign"]


def test_list_shows_the_pks_waiting_for_my_signature(client, org, draft):
    """The superior (pihak kedua) finds the PK he must sign on his list, though it is not his unit's."""
    as_user(client, org, "deputi")
    page = client.get(f"/planning/pk?year={YEAR}").get_data(as_text=True)
    assert 'id="pk-to-sign"' in page and f"/planning/pk/{draft.id}" in page and "pihak kedua" in page
    client.post(f"/planning/pk/{draft.id}/sign", data={})
    as_user(client, org, "direktur")
    page = client.get(f"/planning/pk?year={YEAR}").get_data(as_text=True)
    assert "pihak pertama" in page
    client.post(f"/planning/pk/{draft.id}/sign", data={})
    page = client.get(f"/planning/pk?year={YEAR}").get_data(as_text=True)
    assert 'id="pk-to-sign"' not in page


def test_history_page_shows_the_audit_trail_of_every_version(client, org, draft):
    as_user(client, org, "direktur")
    page = client.get(f"/planning/pk/{draft.id}/history").get_data(as_text=True)
    assert "Jejak audit semua versi" in page and "pk.create" in page

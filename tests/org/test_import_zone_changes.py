"""A unit's time zone changed by import-units: shown before committing (HR's preview page, the CLI),
and audited per unit whose zone changes (own or inherited) with the zone before and after."""

import io
import re

import pytest
from sqlalchemy import select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org import imports
from kinerja.org.models import Unit
from tests.factories import login_as

HEADER = "code,name,parent_code,level,region,kind,timezone\n"
SAME = ("BKKBN,Badan,,BADAN,PUSAT,,\n"
        "PWK,Perwakilan Sulsel,BKKBN,ESELON_II,PERWAKILAN,,{zone}\n"
        "PWK-BID,Bidang KB,PWK,ESELON_III,PERWAKILAN,,\n"
        "DIT,Direktorat,BKKBN,ESELON_II,PUSAT,,\n")
TO_WITA = (HEADER + SAME.format(zone="Asia/Makassar")).encode()
MESSAGE = ("Zona waktu berubah: Perwakilan Sulsel (PWK) dan 1 sub-unitnya WIB → WITA; 3 pegawai; "
           "minggu yang sudah ditutup tetap tertutup")


@pytest.fixture
def tree(make_unit, make_employee):
    """A Perwakilan in WIB (inherited) with a sub-unit; three people in it, one in a Direktorat."""
    root = make_unit("BKKBN", "BADAN", name="Badan")
    pwk = make_unit("PWK", "ESELON_II", root, name="Perwakilan Sulsel", region="PERWAKILAN")
    bid = make_unit("PWK-BID", "ESELON_III", pwk, name="Bidang KB", region="PERWAKILAN")
    dit = make_unit("DIT", "ESELON_II", root, name="Direktorat")
    for unit in (pwk, bid, bid, dit):
        make_employee(unit, "PELAKSANA")
    db.session.commit()
    return {"root": root, "pwk": pwk, "bid": bid, "dit": dit}


def zone_rows():
    return [(row.object_id, row.before, row.after, row.reason) for row in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "unit.timezone").order_by(AuditEntry.object_id))]


def test_the_plan_names_the_top_unit_its_sub_units_and_the_employees(app, tree):
    plan = imports.check_import("units", TO_WITA)
    assert plan.ok and [change.message() for change in plan.zone_changes] == [MESSAGE]
    assert plan.zone_changes[0].codes == ("PWK", "PWK-BID")


def test_no_zone_change_no_line(app, tree):
    plan = imports.check_import("units", (HEADER + SAME.format(zone="")).encode())
    assert plan.ok and plan.zone_changes == []


def test_a_sub_unit_with_its_own_zone_does_not_follow(app, tree):
    data = (HEADER + SAME.format(zone="Asia/Makassar").replace("PWK-BID,Bidang KB,PWK,ESELON_III,PERWAKILAN,,",
                                                               "PWK-BID,Bidang KB,PWK,ESELON_III,PERWAKILAN,,"
                                                               "Asia/Jakarta")).encode()
    [change] = imports.check_import("units", data).zone_changes
    assert change.codes == ("PWK",) and change.employees == 1


def test_moving_a_unit_under_another_zone_is_a_change_too(app, tree, make_unit):
    data = (HEADER + SAME.format(zone="Asia/Jayapura").replace("DIT,Direktorat,BKKBN,", "DIT,Direktorat,PWK,")).encode()
    [change] = imports.check_import("units", data).zone_changes
    assert change.codes == ("PWK", "DIT", "PWK-BID") and change.after == "Asia/Jayapura" and change.employees == 4


def test_the_cli_prints_the_change_and_the_audit_keeps_before_and_after(app, runner, tmp_path, tree):
    path = tmp_path / "units.csv"
    path.write_bytes(TO_WITA)
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [MESSAGE, "Unit kerja: 0 baru, 1 diubah, 3 tidak berubah."]
    db.session.expire_all()
    assert [unit.effective_timezone for unit in db.session.scalars(select(Unit).order_by(Unit.code))] == [
        "Asia/Jakarta", "Asia/Jakarta", "Asia/Makassar", "Asia/Makassar"]
    assert zone_rows() == [("PWK", {"timezone": "Asia/Jakarta"}, {"timezone": "Asia/Makassar"}, MESSAGE),
                           ("PWK-BID", {"timezone": "Asia/Jakarta"}, {"timezone": "Asia/Makassar"}, MESSAGE)]
    again = runner.invoke(args=["import-units", str(path)])  # nothing changes the second time
    assert again.stdout.splitlines() == ["Unit kerja: 0 baru, 0 diubah, 4 tidak berubah."]
    assert len(zone_rows()) == 2


def test_the_preview_page_shows_the_change_before_committing(app, client, tree, make_employee, make_user, tmp_path,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_FOLDER", str(tmp_path / "imports"))
    hr = make_user(make_employee(tree["dit"], "PELAKSANA", name="Petugas SDM"), "KEPEGAWAIAN")
    login_as(client, hr)
    preview = client.post("/org/import/preview", headers={"HX-Request": "true"}, content_type="multipart/form-data",
                          data={"kind": "units", "file": (io.BytesIO(TO_WITA), "units.csv")})
    assert preview.status_code == 200 and 'id="import-zone-changes"' in preview.text
    assert MESSAGE in preview.text
    assert zone_rows() == []  # a preview writes nothing
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview.text).group(1)
    committed = client.post("/org/import/commit", data={"kind": "units", "token": token})
    assert committed.status_code in (200, 302, 303)
    assert [(code, before, after) for code, before, after, _ in zone_rows()] == [
        ("PWK", {"timezone": "Asia/Jakarta"}, {"timezone": "Asia/Makassar"}),
        ("PWK-BID", {"timezone": "Asia/Jakarta"}, {"timezone": "Asia/Makassar"})]
    assert db.session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "unit.timezone")) == hr.employee.id

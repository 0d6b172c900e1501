"""The import service: every validation error with its line, nothing written on error, the
update path, out-of-order units, and the bulk employee path matching save_employee."""

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org import imports, services
from kinerja.org.models import ActingAssignment, Employee, Position, Unit

UNITS = "code,name,parent_code,level,region,kind,timezone"
EMPLOYEES = "nip,name,status,jenjang,jf_name,golongan,unit_code,is_head,email"
ACTING = "nip,unit_code,kind,start,end"
NIP_A = "198001012005011001"
NIP_B = "198502022010012002"
NIP_C = "199003032015031003"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def counts() -> dict:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Unit, Employee, Position, ActingAssignment, AuditEntry)}


@pytest.fixture(autouse=True)
def assessor_calls(monkeypatch):
    """Record calls to the assessor snapshot refresh (its engine is tested elsewhere)."""
    import kinerja.org.assessors as assessors

    calls = []
    monkeypatch.setattr(assessors, "refresh_assessor_links", lambda on=None: calls.append(on) or 0)
    return calls


def problems(plan) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in plan.errors]


def assert_rejected(kind, data, expected, before=None):
    """Run an import that must fail: the expected (line, fragment) pairs are reported, nothing is written."""
    before = before or counts()
    plan = imports.run_import(None, kind, data)
    found = problems(plan)
    for line, fragment in expected:
        assert any(at == line and fragment in message for at, message in found), (line, fragment, found)
    assert not plan.applied
    db.session.rollback()
    assert counts() == before
    return found


@pytest.fixture
def tree(make_unit):
    """BKKBN -> SESTAMA -> BIRO; BKKBN -> P-SULSEL (WITA)."""
    root = make_unit("BKKBN", "BADAN")
    sestama = make_unit("SESTAMA", "ESELON_I", root, kind="SESTAMA")
    biro = make_unit("BIRO", "ESELON_II", sestama, kind="BIRUMAS")
    perw = make_unit("P-SULSEL", "ESELON_II", root, region="PERWAKILAN", timezone="Asia/Makassar")
    return {"root": root, "sestama": sestama, "biro": biro, "perw": perw}


# --- reading ---------------------------------------------------------------------------------

def test_non_utf8_is_one_error_on_its_line(app):
    data = csv_bytes(UNITS, "BKKBN,Badan,,BADAN,PUSAT,,") + "X,Bid\xe4ng,BKKBN,ESELON_I,PUSAT,,\n".encode("latin-1")
    found = assert_rejected("units", data, [(3, "UTF-8")])
    assert len(found) == 1


def test_nul_and_runaway_quote_are_reported(app):
    found = assert_rejected("units", csv_bytes(UNITS, "BKKBN,Badan,,BADAN,PUSAT,,", "A,B\x00,BKKBN,ESELON_I,PUSAT,,"),
                            [(3, "karakter NUL")])
    assert len(found) == 1
    runaway = csv_bytes(UNITS, "BKKBN,Badan,,BADAN,PUSAT,,", 'A,"tanpa penutup,BKKBN,ESELON_I,PUSAT,,' + "x" * 140_000)
    assert_rejected("units", runaway, [(3, "tanda kutip tidak tertutup")])


def test_quoted_multiline_field_keeps_line_numbers(app):
    data = csv_bytes(UNITS, 'BKKBN,"Badan Kependudukan\ndan Keluarga Berencana",,BADAN,PUSAT,,',
                     "A,A,BKKBN,BAD,PUSAT,,")
    assert problems(imports.check_import("units", data))[0][0] == 4


def test_utf8_bom_is_accepted(app):
    plan = imports.run_import(None, "units", "\ufeff".encode() + csv_bytes(UNITS, "BKKBN,Badan,,BADAN,PUSAT,,"))
    assert plan.ok and plan.created == 1


@pytest.mark.parametrize("header, fragment", [
    ("code,name,parent_code,level,region,kind", "kolom hilang: timezone"),
    (UNITS + ",extra", "kolom tidak dikenal: extra"),
    ("name,code,parent_code,level,region,kind,timezone", "urutan"),
    ("Code,name,parent_code,level,region,kind,timezone", "kolom hilang: code"),
])
def test_header_must_match_exactly(app, header, fragment):
    found = assert_rejected("units", csv_bytes(header, "BKKBN,Badan,,BADAN,PUSAT,,"), [(1, fragment)])
    assert len(found) == 1


def test_empty_file_and_wrong_column_count(app):
    assert_rejected("units", b"", [(1, "kosong")])
    assert_rejected("units", csv_bytes(UNITS, "BKKBN,Badan,,BADAN,PUSAT", "", "X,Y,BKKBN,ESELON_I,PUSAT,,,"),
                    [(2, "5 kolom"), (4, "8 kolom")])


def test_blank_lines_are_skipped_but_counted(app):
    data = csv_bytes(UNITS, "", "BKKBN,Badan,,BADAN,PUSAT,,", ",,,,,,", "X,,BKKBN,XX,PUSAT,,")
    plan = imports.check_import("units", data)
    assert problems(plan) == [(5, "name wajib diisi"), (5, "level \"XX\" tidak dikenal (pilih BADAN, ESELON_I, "
                                                            "ESELON_II, ESELON_III, ESELON_IV)")]


# --- units -----------------------------------------------------------------------------------

def test_units_out_of_order_are_created_parents_first(app, assessor_calls):
    data = csv_bytes(
        UNITS,
        "P-SULSEL-SEK,Sekretariat Perwakilan Sulsel,P-SULSEL,ESELON_III,PUSAT,SEKRETARIAT_PERWAKILAN,",
        "P-SULSEL,Perwakilan Sulawesi Selatan,BKKBN,ESELON_II,PERWAKILAN,,Asia/Makassar",
        "BKKBN,Badan Kependudukan dan Keluarga Berencana Nasional,,BADAN,PUSAT,,",
    )
    plan = imports.import_units(None, data)
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated, plan.unchanged) == (3, 0, 0)
    db.session.commit()
    sek = db.session.scalar(select(Unit).where(Unit.code == "P-SULSEL-SEK"))
    assert sek.parent.code == "P-SULSEL" and sek.parent.parent.code == "BKKBN"
    assert sek.depth == 2 and sek.path == f"/{sek.parent.parent.id}/{sek.parent.id}/{sek.id}/"
    assert sek.effective_timezone == "Asia/Makassar" and sek.effective_region == "PERWAKILAN"
    assert sek.effective_kind == "SEKRETARIAT_PERWAKILAN"
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "unit.create")) == 3
    assert assessor_calls == [None]


def test_units_update_existing_by_code(app, tree):
    data = csv_bytes(
        UNITS,
        "BKKBN,Unit BKKBN,,BADAN,PUSAT,,",  # unchanged (factory name)
        "BIRO,Biro Umum dan Hubungan Masyarakat,SESTAMA,ESELON_II,PUSAT,BIRUMAS,",  # renamed
        "P-SULSEL,Unit P-SULSEL,SESTAMA,ESELON_II,PERWAKILAN,,Asia/Makassar",  # moved under SESTAMA
        "BIRO-TU,Bagian Tata Usaha,BIRO,ESELON_III,PUSAT,,",  # new
    )
    plan = imports.import_units(None, data)
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated, plan.unchanged) == (1, 2, 1)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Unit)) == 5
    biro = db.session.scalar(select(Unit).where(Unit.code == "BIRO"))
    assert biro.name == "Biro Umum dan Hubungan Masyarakat"
    perw = db.session.scalar(select(Unit).where(Unit.code == "P-SULSEL"))
    assert perw.parent.code == "SESTAMA" and perw.depth == 2 and perw.effective_kind == "SESTAMA"
    updates = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "unit.update")).all()
    assert sorted(entry.object_id for entry in updates) == ["BIRO", "P-SULSEL"]


@pytest.mark.parametrize("rows, expected", [
    (["BKKBN,Badan,,BADAN,PUSAT,,", "X,Satu,BKKBN,ESELON_I,PUSAT,,", "X,Dua,BKKBN,ESELON_I,PUSAT,,"],
     [(4, "code X ganda: sudah ada di baris 3")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "X,Satu,NOPE,ESELON_I,PUSAT,,"], [(3, "unit induk NOPE tidak dikenal")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,B,ESELON_I,PUSAT,,", "B,B,A,ESELON_II,PUSAT,,"],
     [(3, "siklus pada pohon unit: A → B → A"), (4, "siklus pada pohon unit: B → A → B")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,A,ESELON_I,PUSAT,,"], [(3, "siklus pada pohon unit: A → A")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,BKKBN,ESELON_9,PUSAT,,"], [(3, "level \"ESELON_9\" tidak dikenal")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,BKKBN,ESELON_I,DAERAH,,"], [(3, "region \"DAERAH\" tidak dikenal")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,BKKBN,ESELON_I,PUSAT,HUMAS,"], [(3, "kind \"HUMAS\" tidak dikenal")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,A,BKKBN,ESELON_I,PUSAT,,Asia/Bandung"],
     [(3, "timezone \"Asia/Bandung\" bukan zona waktu IANA")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "BKKBN2,Badan Dua,,BADAN,PUSAT,,"],
     [(3, "unit BADAN kedua; akar sudah ditetapkan di baris 2")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "A,,BKKBN,ESELON_I,PUSAT,,"], [(3, "name wajib diisi")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", ",Tanpa kode,BKKBN,ESELON_I,PUSAT,,"], [(3, "code wajib diisi")]),
    (["BKKBN,Badan,X,BADAN,PUSAT,,", "X,X,BKKBN,ESELON_I,PUSAT,,"], [(2, "parent_code harus kosong")]),
    (["BKKBN,Badan,,BADAN,PUSAT,,", "X,X,,ESELON_I,PUSAT,,"], [(3, "parent_code wajib diisi")]),
], ids=["duplicate", "unknown-parent", "cycle", "self-parent", "level", "region", "kind", "timezone",
        "second-badan", "empty-name", "empty-code", "badan-with-parent", "orphan"])
def test_unit_errors(app, rows, expected):
    assert_rejected("units", csv_bytes(UNITS, *rows), expected)


def test_unit_errors_against_the_database(app, tree):
    # BIRO sits under SESTAMA in the database: making SESTAMA a child of BIRO closes a loop.
    assert_rejected("units", csv_bytes(UNITS, "SESTAMA,Sestama,BIRO,ESELON_I,PUSAT,SESTAMA,"),
                    [(2, "siklus pada pohon unit: SESTAMA → BIRO → SESTAMA")])
    assert_rejected("units", csv_bytes(UNITS, "ROOT2,Akar lain,,BADAN,PUSAT,,"),
                    [(2, "sudah ada unit BADAN BKKBN di basis data")])
    # a parent known only to the database is fine
    assert imports.check_import("units", csv_bytes(UNITS, "BIRO-TU,TU,BIRO,ESELON_III,PUSAT,,")).ok


def test_every_unit_error_is_collected_in_line_order(app):
    found = assert_rejected("units", csv_bytes(
        UNITS, "A,A,NOPE,ESELON_X,PUSAT,,", "BKKBN,Badan,,BADAN,PUSAT,,", "B,,BKKBN,ESELON_I,X,,Mars/Base",
    ), [(2, "ESELON_X"), (2, "NOPE"), (4, "name"), (4, "region"), (4, "Mars/Base")])
    assert [line for line, _ in found] == [2, 2, 4, 4, 4]


# --- employees -------------------------------------------------------------------------------

def test_employees_create_positions_audit_and_heads(app, tree, assessor_calls):
    data = csv_bytes(
        EMPLOYEES,
        f"{NIP_A},Kepala Biro,PNS,JPT_PRATAMA,,IV/c,BIRO,1,kabiro@bkkbn.go.id",
        f"{NIP_B},Pranata Humas,PNS,JF,Pranata Humas,iii / b,BIRO,0,",
        f"{NIP_C},Penyuluh,PPPK,PPPK_PENYULUH_KB,Penyuluh KB,IX,P-SULSEL,,",
    )
    plan = imports.import_employees(None, data)
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated) == (3, 0)
    db.session.commit()
    head = db.session.scalar(select(Employee).where(Employee.nip == NIP_A))
    assert head.is_head and head.unit.code == "BIRO" and head.email == "kabiro@bkkbn.go.id"
    humas = db.session.scalar(select(Employee).where(Employee.nip == NIP_B))
    assert humas.golongan == "III/b" and humas.jf_name == "Pranata Humas" and not humas.is_head
    assert humas.name_key == "pranata humas"
    positions = db.session.scalars(select(Position).where(Position.employee_id == head.id)).all()
    assert [(p.unit_id, p.jenjang, p.is_head, p.start, p.end) for p in positions] == [
        (tree["biro"].id, "JPT_PRATAMA", True, date(date.today().year, 1, 1), None)]
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "employee.create")) == 3
    assert assessor_calls == [None]


def test_employees_update_existing_by_nip(app, tree, make_employee):
    moved = make_employee(tree["biro"], "PELAKSANA", nip=NIP_A, golongan="III/a", effective=date(2024, 1, 1))
    make_employee(tree["biro"], "JF", nip=NIP_B, name="Tetap", jf_name="Pranata Humas", golongan="III/b")
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    data = csv_bytes(
        EMPLOYEES,
        f"{NIP_A},Pindah Unit,PNS,PELAKSANA,,III/b,P-SULSEL,0,",
        f"{NIP_B},Tetap,PNS,JF,Pranata Humas,III/b,BIRO,0,",
    )
    plan = imports.import_employees(None, data)
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 1)
    db.session.commit()
    db.session.refresh(moved)
    assert moved.unit.code == "P-SULSEL" and moved.name == "Pindah Unit" and moved.golongan == "III/b"
    history = db.session.scalars(select(Position).where(Position.employee_id == moved.id)
                                 .order_by(Position.start)).all()
    assert [(p.unit_id, p.end is None) for p in history] == [(tree["biro"].id, False), (tree["perw"].id, True)]
    assert history[0].end < history[1].start
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[audit_before:]
    assert [(e.action, e.object_id) for e in entries] == [("employee.update", NIP_A)]
    assert entries[0].before["unit_id"] == tree["biro"].id and entries[0].after["unit_id"] == tree["perw"].id


def test_bulk_path_writes_what_save_employee_writes(app, tree, make_employee):
    """Same input through the service and through the import: same Position and audit rows."""
    make_employee(tree["biro"], "PELAKSANA", nip=NIP_A, golongan="III/a", name="Satu")
    services.save_employee(None, nip=NIP_A, name="Satu", status="PNS", jenjang="JF", unit=tree["perw"],
                           jf_name="Penyuluh KB", golongan="III/a")
    services.save_employee(None, nip=NIP_B, name="Dua", status="PNS", jenjang="PELAKSANA", unit=tree["biro"],
                           golongan="II/c")
    db.session.commit()
    make_employee(tree["biro"], "PELAKSANA", nip=NIP_C, golongan="III/a", name="Satu")
    nip_d = "199104042016041004"
    assert imports.import_employees(None, csv_bytes(
        EMPLOYEES,
        f"{NIP_C},Satu,PNS,JF,Penyuluh KB,III/a,P-SULSEL,0,",
        f"{nip_d},Dua,PNS,PELAKSANA,,II/c,BIRO,0,",
    )).ok
    db.session.commit()

    def trail(nip):
        employee = db.session.scalar(select(Employee).where(Employee.nip == nip))
        positions = [(p.unit_id, p.jenjang, p.jf_name, p.is_head, p.start, p.end) for p in db.session.scalars(
            select(Position).where(Position.employee_id == employee.id).order_by(Position.id))]
        audit = [(e.action, {k: v for k, v in (e.after or {}).items() if k != "nip"}) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_id == nip).order_by(AuditEntry.id))]
        return positions, audit

    assert trail(NIP_C) == trail(NIP_A)
    assert trail(nip_d) == trail(NIP_B)


@pytest.mark.parametrize("row, expected", [
    ("19800101200501100,Nama,PNS,PELAKSANA,,III/a,BIRO,0,", "NIP \"19800101200501100\" harus 18 angka"),
    ("19800101200501100X,Nama,PNS,PELAKSANA,,III/a,BIRO,0,", "harus 18 angka"),
    (f"{NIP_A},,PNS,PELAKSANA,,III/a,BIRO,0,", "name wajib diisi"),
    (f"{NIP_A},Nama,HONORER,PELAKSANA,,III/a,BIRO,0,", "status \"HONORER\" tidak dikenal"),
    (f"{NIP_A},Nama,PNS,STAF,,III/a,BIRO,0,", "jenjang \"STAF\" tidak dikenal"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,,III/a,NOPE,0,", "unit_code \"NOPE\" tidak dikenal"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,,XII,BIRO,0,", "golongan \"XII\" tidak berlaku untuk status PNS"),
    (f"{NIP_A},Nama,CPNS,PELAKSANA,,V/a,BIRO,0,", "golongan \"V/a\" tidak berlaku untuk status CPNS"),
    (f"{NIP_A},Nama,PPPK,PELAKSANA,,III/a,BIRO,0,", "golongan \"III/a\" tidak berlaku untuk status PPPK"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,,,BIRO,0,", "golongan wajib diisi"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,,III/a,BIRO,ya,", "is_head \"ya\" harus 1, 0, atau kosong"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,Pranata Humas,III/a,BIRO,0,", "jf_name hanya diisi untuk jenjang"),
    (f"{NIP_A},Nama,PNS,PPPK_PENYULUH_KB,Penyuluh KB,III/a,BIRO,0,", "PPPK_PENYULUH_KB hanya untuk status PPPK"),
    (f"{NIP_A},Nama,PNS,PELAKSANA,,III/a,BIRO,0,bukan-email", "email \"bukan-email\" tidak valid"),
], ids=["nip-short", "nip-letter", "name", "status", "jenjang", "unit", "golongan-pns", "golongan-cpns",
        "golongan-pppk", "golongan-empty", "is-head", "jf-name-non-jf", "penyuluh-status", "email"])
def test_employee_errors(app, tree, row, expected):
    ok = f"{NIP_B},Baik,PNS,PELAKSANA,,III/a,BIRO,0,"
    found = assert_rejected("employees", csv_bytes(EMPLOYEES, ok, row), [(3, expected)])
    assert all(line == 3 for line, _ in found)


def test_employee_choices_that_are_allowed(app, tree):
    plan = imports.check_import("employees", csv_bytes(
        EMPLOYEES,
        f"{NIP_A},Kepala,PNS,KEPALA,,,BKKBN,1,",  # Kepala BKKBN may have no golongan
        f"{NIP_B},Analis,PNS,JF,,III/c,BIRO,,",  # a JF without its name is accepted
        f"{NIP_C},Penyuluh,PPPK,PPPK_PENYULUH_KB,Penyuluh KB,XIII,P-SULSEL,0,",
    ))
    assert plan.ok, plan.errors


def test_employee_duplicate_nip_and_two_heads_in_file(app, tree):
    assert_rejected("employees", csv_bytes(
        EMPLOYEES,
        f"{NIP_A},Satu,PNS,JPT_PRATAMA,,IV/a,BIRO,1,",
        f"{NIP_B},Dua,PNS,ADMINISTRATOR,,IV/a,BIRO,1,",
        f"{NIP_A},Satu Lagi,PNS,PELAKSANA,,III/a,BIRO,0,",
    ), [(3, f"unit BIRO punya dua kepala di berkas: NIP {NIP_A} (baris 2) dan NIP {NIP_B}"),
        (4, f"NIP {NIP_A} ganda: sudah ada di baris 2")])


def test_employee_head_conflicts_with_database(app, tree, make_employee):
    make_employee(tree["biro"], "JPT_PRATAMA", nip=NIP_A, golongan="IV/b", is_head=True)
    new_head = f"{NIP_B},Kepala Baru,PNS,JPT_PRATAMA,,IV/b,BIRO,1,"
    assert_rejected("employees", csv_bytes(EMPLOYEES, new_head),
                    [(2, f"unit BIRO sudah punya kepala di basis data (NIP {NIP_A})")])
    # the old head stepping down in the same file makes the change legal
    plan = imports.import_employees(None, csv_bytes(EMPLOYEES, new_head, f"{NIP_A},Lama,PNS,JF,,IV/b,BIRO,0,"))
    assert plan.ok, plan.errors
    db.session.commit()
    heads = db.session.scalars(select(Employee.nip).where(Employee.is_head.is_(True))).all()
    assert heads == [NIP_B]


# --- acting ----------------------------------------------------------------------------------

@pytest.fixture
def people(tree, make_employee):
    return {
        "a": make_employee(tree["biro"], "ADMINISTRATOR", nip=NIP_A, golongan="IV/a"),
        "b": make_employee(tree["perw"], "ADMINISTRATOR", nip=NIP_B, golongan="IV/a"),
    }


def test_acting_create_update_and_unchanged(app, tree, people, assessor_calls):
    plan = imports.import_acting(None, csv_bytes(
        ACTING, f"{NIP_A},BIRO,PLT,2025-01-01,2025-03-31", f"{NIP_B},BIRO,PLH,2025-02-01,2025-02-05"))
    assert plan.ok and plan.created == 2, plan.errors  # a PLT and a PLH may overlap
    db.session.commit()
    plan = imports.import_acting(None, csv_bytes(
        ACTING, f"{NIP_A},BIRO,PLT,2025-01-01,2025-02-28", f"{NIP_B},BIRO,PLH,2025-02-01,2025-02-05",
        f"{NIP_B},BIRO,PLT,2025-03-01,2025-03-31"))
    assert plan.ok, plan.errors
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 1)
    db.session.commit()
    rows = db.session.execute(select(ActingAssignment.kind, ActingAssignment.start, ActingAssignment.end)
                              .order_by(ActingAssignment.kind, ActingAssignment.start)).all()
    assert rows == [("PLH", date(2025, 2, 1), date(2025, 2, 5)), ("PLT", date(2025, 1, 1), date(2025, 2, 28)),
                    ("PLT", date(2025, 3, 1), date(2025, 3, 31))]
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("acting.%"))
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["acting.create", "acting.create", "acting.update", "acting.create"]
    assert len(assessor_calls) == 2


@pytest.mark.parametrize("row, expected", [
    ("198001012005011999,BIRO,PLT,2025-01-01,2025-01-31", "NIP \"198001012005011999\" tidak dikenal"),
    (f"{NIP_A},NOPE,PLT,2025-01-01,2025-01-31", "unit_code \"NOPE\" tidak dikenal"),
    (f"{NIP_A},BIRO,PJS,2025-01-01,2025-01-31", "kind \"PJS\" harus PLT atau PLH"),
    (f"{NIP_A},BIRO,PLT,01/01/2025,2025-01-31", "start \"01/01/2025\" harus tanggal ISO YYYY-MM-DD"),
    (f"{NIP_A},BIRO,PLT,2025-01-01,2025-02-30", "end \"2025-02-30\" bukan tanggal yang ada"),
    (f"{NIP_A},BIRO,PLT,2025-01-31,2025-01-01", "end 2025-01-01 sebelum start 2025-01-31"),
    (f"{NIP_B},BIRO,PLT,2024-12-15,2025-01-01", "PLT unit BIRO bertumpang tindih dengan NIP "),
], ids=["nip", "unit", "kind", "iso", "date", "order", "overlap-file"])
def test_acting_errors(app, people, row, expected):
    first = f"{NIP_A},BIRO,PLT,2025-01-01,2025-01-31"
    assert_rejected("acting", csv_bytes(ACTING, first, row), [(3, expected)])


def test_acting_overlap_with_database(app, people):
    assert imports.import_acting(None, csv_bytes(ACTING, f"{NIP_A},BIRO,PLT,2025-01-01,2025-01-31")).ok
    db.session.commit()
    assert_rejected("acting", csv_bytes(ACTING, f"{NIP_B},BIRO,PLT,2025-01-31,2025-02-28"),
                    [(2, f"bertumpang tindih dengan NIP {NIP_A} di basis data (2025-01-01 s.d. 2025-01-31)")])
    # the next day is free, and so is another unit
    assert imports.check_import("acting", csv_bytes(
        ACTING, f"{NIP_B},BIRO,PLT,2025-02-01,2025-02-28", f"{NIP_B},P-SULSEL,PLT,2025-01-01,2025-01-31")).ok


def test_apply_refuses_a_plan_with_errors(app):
    plan = imports.check_import("acting", csv_bytes("wrong"))
    with pytest.raises(ValueError):
        imports.apply_plan(None, plan)

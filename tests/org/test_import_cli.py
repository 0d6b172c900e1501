"""The import commands: exit codes, FILE:LINE: message on stderr, nothing written on error."""

from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, AssessorLink, Employee, Unit

UNITS = "code,name,parent_code,level,region,kind,timezone\n"
EMPLOYEES = "nip,name,status,jenjang,jf_name,golongan,unit_code,is_head,email\n"
ACTING = "nip,unit_code,kind,start,end\n"
NIP = "198001012005011001"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_units_success_prints_summary(runner, tmp_path):
    path = write(tmp_path, "units.csv", UNITS + "BIRO,Biro Umum,BKKBN,ESELON_II,PUSAT,BIRUMAS,\n"
                                                "BKKBN,Badan,,BADAN,PUSAT,,\n")
    result = runner.invoke(args=["import-units", path])
    assert result.exit_code == 0, result.output
    assert "Unit kerja: 2 baru, 0 diubah, 0 tidak berubah." in result.stdout
    assert result.stderr == ""
    db.session.rollback()  # read what the command committed, not this session's cache
    assert count(Unit) == 2
    assert db.session.scalar(select(Unit).where(Unit.code == "BIRO")).parent.code == "BKKBN"


def test_import_units_errors_one_line_each_and_nothing_written(runner, tmp_path, make_unit):
    make_unit("BKKBN", "BADAN")
    before = (count(Unit), count(AuditEntry))
    path = write(tmp_path, "units.csv", UNITS + "A,,BKKBN,ESELON_I,PUSAT,,\n"
                                                "OK,Baik,BKKBN,ESELON_I,PUSAT,,\n"
                                                "B,Bidang,NOPE,ESELON_I,PUSAT,,Mars/Base\n")
    result = runner.invoke(args=["import-units", path])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:2: name wajib diisi",
        f"{path}:4: timezone \"Mars/Base\" bukan zona waktu IANA (mis. Asia/Jakarta, Asia/Makassar)",
        f"{path}:4: unit induk NOPE tidak dikenal (tidak ada di berkas maupun di basis data)",
    ]
    assert result.stdout == ""
    db.session.rollback()
    assert (count(Unit), count(AuditEntry)) == before


def test_import_employees_update_and_bad_header(runner, tmp_path, make_unit, make_employee):
    root = make_unit("BKKBN", "BADAN")
    make_employee(root, "PELAKSANA", nip=NIP, name="Lama")
    path = write(tmp_path, "employees.csv", EMPLOYEES + f"{NIP},Nama Baru,PNS,PELAKSANA,,III/a,BKKBN,0,\n")
    result = runner.invoke(args=["import-employees", path])
    assert result.exit_code == 0, result.output
    assert "Pegawai: 0 baru, 1 diubah, 0 tidak berubah." in result.stdout
    db.session.rollback()
    assert db.session.scalar(select(Employee.name).where(Employee.nip == NIP)) == "Nama Baru"
    assert count(AssessorLink) == 1  # the assessor snapshot was refreshed in the same commit

    bad = write(tmp_path, "bad.csv", "nip,name\n" + f"{NIP},X\n")
    result = runner.invoke(args=["import-employees", bad])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{bad}:1: kepala kolom harus persis")


def test_import_acting_success_and_error(runner, tmp_path, make_unit, make_employee):
    root = make_unit("BKKBN", "BADAN")
    make_employee(root, "JPT_MADYA", nip=NIP, golongan="IV/d")
    good = write(tmp_path, "acting.csv", ACTING + f"{NIP},BKKBN,PLT,2025-01-01,2025-01-31\n")
    result = runner.invoke(args=["import-acting", good])
    assert result.exit_code == 0, result.output
    assert "PLT/PLH: 1 baru" in result.stdout
    db.session.rollback()
    assert count(ActingAssignment) == 1

    bad = write(tmp_path, "acting2.csv", ACTING + f"{NIP},BKKBN,PLT,2025-01-15,2025-02-15\n"
                                                  f"{NIP},BKKBN,PLX,2025-03-01,2025-03-31\n")
    result = runner.invoke(args=["import-acting", bad])
    assert result.exit_code == 1
    assert [line.split(": ", 1)[0] for line in result.stderr.splitlines()] == [f"{bad}:2", f"{bad}:3"]
    db.session.rollback()
    assert count(ActingAssignment) == 1


def test_non_utf8_and_missing_file(runner, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(UNITS.encode() + "BKKBN,Badan Kependudukan,,BADAN,PUSAT,,\nX,Bid\xe4ng,BKKBN,ESELON_I,PUSAT,,\n"
                     .encode("latin-1"))
    result = runner.invoke(args=["import-units", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{path}:3: berkas bukan teks UTF-8; simpan ulang sebagai \"CSV UTF-8\""]

    missing = str(tmp_path / "nope.csv")
    result = runner.invoke(args=["import-units", missing])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{missing}: berkas tidak dapat dibaca")
    db.session.rollback()
    assert count(Unit) == 0

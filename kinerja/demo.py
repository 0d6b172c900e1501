"""The demo organisation behind ``flask --app app seed-demo`` (docs/demo.md).

A small BKKBN in which every row of the Pejabat Penilai table (DOMAIN.md §2.2) is held by
somebody, plus a CPNS, a delegation override, a PLT and a vacant post without PLT/PLH. Every
demo employee gets an account with the one demo password. Everything goes through the real
services (``kinerja.org.services``, ``kinerja.auth.services``), so audit rows, positions and
the assessor snapshot are written as in production.

Running it again changes nothing: units and employees are upserts keyed by code and NIP,
and acting assignments, overrides, passwords and role grants are only added when missing.

Later stages add their own step (a PK, SKPs, visum) to ``DEMO_STEPS``: a step is a function
taking the ``Demo`` being built, and may look people up with ``demo.people["kepala"]``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from kinerja import clock, demo_execution, demo_planning
from kinerja.auth import services as auth_services
from kinerja.auth.models import User
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.models import ActingAssignment, DelegationOverride, Employee, Unit
from kinerja.rules.vocabulary import JENJANG_LABELS, ROLE_LABELS, TIMEZONE_LABELS, WIB

DEMO_PASSWORD = "demo-kinerja-2024"


def _nip(birth: str, tmt: str, sex: int, seq: int) -> str:
    """Build a plausible NIP: birth date YYYYMMDD, TMT YYYYMM, sex (1 male, 2 female), sequence."""
    nip = f"{birth}{tmt}{sex}{seq:03d}"
    assert len(nip) == 18 and nip.isdigit(), nip
    return nip


@dataclass(frozen=True)
class UnitSpec:
    """A demo unit; ``parent`` is the parent's code."""

    code: str
    name: str
    parent: str | None
    level: str
    region: str = "PUSAT"
    kind: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class PersonSpec:
    """A demo employee, with the roles granted to his account and what to try with it."""

    key: str
    nip: str
    name: str
    jenjang: str
    golongan: str
    unit: str
    status: str = "PNS"
    jf_name: str | None = None
    is_head: bool = False
    roles: tuple[str, ...] = ()
    hint: str = ""


UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("BKKBN", "Badan Kependudukan dan Keluarga Berencana Nasional", None, "BADAN"),
    # Sekretariat Utama: Biro Umum dan Humas (Birumas), Biro SDM, Biro Perencanaan
    UnitSpec("SESTAMA", "Sekretariat Utama", "BKKBN", "ESELON_I", kind="SESTAMA"),
    UnitSpec("BIRUMAS", "Biro Umum dan Hubungan Masyarakat", "SESTAMA", "ESELON_II", kind="BIRUMAS"),
    UnitSpec("BIRUMAS-HUMAS", "Bagian Hubungan Masyarakat", "BIRUMAS", "ESELON_III"),
    UnitSpec("BIRUMAS-HUMAS-PUB", "Subbagian Publikasi dan Media", "BIRUMAS-HUMAS", "ESELON_IV"),
    UnitSpec("BIRO-SDM", "Biro Sumber Daya Manusia", "SESTAMA", "ESELON_II"),
    UnitSpec("BIRO-RENCANA", "Biro Perencanaan", "SESTAMA", "ESELON_II"),
    # Deputi Bidang KB dan Kesehatan Reproduksi
    UnitSpec("DEPUTI-KBKR", "Deputi Bidang Keluarga Berencana dan Kesehatan Reproduksi", "BKKBN", "ESELON_I"),
    UnitSpec("DIT-KESPRO", "Direktorat Kesehatan Reproduksi", "DEPUTI-KBKR", "ESELON_II"),
    UnitSpec("DIT-KESPRO-REMAJA", "Subdirektorat Kesehatan Reproduksi Remaja", "DIT-KESPRO", "ESELON_III"),
    UnitSpec("DIT-KESPRO-REMAJA-BINA", "Seksi Pembinaan Kesehatan Reproduksi Remaja", "DIT-KESPRO-REMAJA",
             "ESELON_IV"),
    # Inspektorat Utama (TUWAS)
    UnitSpec("ITTAMA", "Inspektorat Utama", "BKKBN", "ESELON_I", kind="TUWAS"),
    UnitSpec("ITTAMA-WIL1", "Inspektorat Wilayah I", "ITTAMA", "ESELON_II"),
    UnitSpec("ITTAMA-UMUM", "Bagian Umum Inspektorat Utama", "ITTAMA", "ESELON_III"),
    # Perwakilan in WITA and in WIT
    UnitSpec("PERWAKILAN-SULSEL", "Perwakilan BKKBN Provinsi Sulawesi Selatan", "BKKBN", "ESELON_II",
             region="PERWAKILAN", timezone="Asia/Makassar"),
    UnitSpec("SULSEL-SEKRETARIAT", "Sekretariat Perwakilan BKKBN Provinsi Sulawesi Selatan", "PERWAKILAN-SULSEL",
             "ESELON_III", region="PERWAKILAN", kind="SEKRETARIAT_PERWAKILAN"),
    UnitSpec("SULSEL-BIDANG-KBKR", "Bidang Keluarga Berencana dan Kesehatan Reproduksi", "PERWAKILAN-SULSEL",
             "ESELON_III", region="PERWAKILAN"),
    UnitSpec("PERWAKILAN-PAPUA", "Perwakilan BKKBN Provinsi Papua", "BKKBN", "ESELON_II",
             region="PERWAKILAN", timezone="Asia/Jayapura"),
    UnitSpec("PAPUA-SEKRETARIAT", "Sekretariat Perwakilan BKKBN Provinsi Papua", "PERWAKILAN-PAPUA",
             "ESELON_III", region="PERWAKILAN", kind="SEKRETARIAT_PERWAKILAN"),
)

PEOPLE: tuple[PersonSpec, ...] = (
    # --- pimpinan -----------------------------------------------------------------------
    PersonSpec("kepala", _nip("19650817", "199103", 1, 1), "Prof. Dr. Ir. Rachmat Hidayat, M.Sc.", "KEPALA",
               "IV/e", "BKKBN", is_head=True,
               hint="Kepala BKKBN: tanpa Pejabat Penilai di sistem; menilai Sestama, Deputi dan Irtama"),
    # --- Sekretariat Utama --------------------------------------------------------------
    PersonSpec("sestama", _nip("19670412", "199203", 2, 2), "Dra. Sri Wahyuningsih, M.Si.", "JPT_MADYA", "IV/e",
               "SESTAMA", is_head=True,
               hint="Sekretaris Utama: menilai Kepala Biro dan para Kepala Perwakilan"),
    PersonSpec("karo_umum", _nip("19700305", "199503", 1, 3), "Drs. Agus Priyanto, M.M.", "JPT_PRATAMA", "IV/c",
               "BIRUMAS", is_head=True,
               hint="Kepala Biro Umum dan Humas: menilai Pranata Humas dan pegawai Birumas mulai IV/a"),
    PersonSpec("kabag_humas", _nip("19760921", "200212", 2, 4), "Dewi Anggraini, S.Sos., M.Si.", "ADMINISTRATOR",
               "IV/b", "BIRUMAS-HUMAS", is_head=True,
               hint="Kepala Bagian Humas: menilai pegawai Birumas sampai III/d dan Kepala Subbagian"),
    PersonSpec("kasubbag_publikasi", _nip("19850214", "201001", 1, 5), "Rizky Pratama, S.I.Kom.", "PENGAWAS",
               "III/d", "BIRUMAS-HUMAS-PUB", is_head=True,
               hint="Pejabat Pengawas: dinilai Kepala Bagian Humas"),
    PersonSpec("birumas_pelaksana", _nip("19780630", "200501", 1, 6), "Suparman", "PELAKSANA", "III/d",
               "BIRUMAS-HUMAS", hint="Pelaksana Birumas III/d: dinilai Pejabat Administrator"),
    PersonSpec("birumas_jf_iva", _nip("19720119", "199803", 1, 7), "Ir. Hendra Gunawan, M.A.P.", "JF", "IV/a",
               "BIRUMAS-HUMAS", jf_name="Arsiparis",
               hint="JF Birumas IV/a: dinilai Kepala Biro, bukan Kepala Bagian"),
    PersonSpec("pranata_humas", _nip("19880506", "201403", 2, 8), "Nurul Fadilah, S.I.Kom.", "JF", "III/c",
               "BIRUMAS-HUMAS", jf_name="Pranata Humas",
               hint="Pranata Humas III/c: dinilai Kepala Biro walau masih III/c"),
    PersonSpec("birumas_pppk_xii", _nip("19900823", "202204", 1, 9), "Yoga Saputra, S.Kom.", "JF", "XII",
               "BIRUMAS-HUMAS", status="PPPK", jf_name="Pranata Komputer",
               hint="PPPK golongan XII (setara III/d): dinilai Kepala Bagian"),
    PersonSpec("birumas_pppk_xiii", _nip("19811102", "202204", 2, 10), "Siti Rahmawati, S.E., M.M.", "JF", "XIII",
               "BIRUMAS-HUMAS", status="PPPK", jf_name="Analis Pengelolaan Keuangan APBN",
               hint="PPPK golongan XIII (setara IV/a): dinilai Kepala Biro"),
    PersonSpec("karo_sdm", _nip("19690728", "199403", 1, 11), "Drs. Bambang Sutrisno, M.Si.", "JPT_PRATAMA", "IV/c",
               "BIRO-SDM", is_head=True,
               hint="Kepala Biro SDM dan PLT Kepala Biro Perencanaan: menilai staf kedua biro"),
    PersonSpec("hr", _nip("19860310", "201101", 2, 12), "Rina Marlina, S.Psi.", "JF", "III/d", "BIRO-SDM",
               jf_name="Analis Sumber Daya Manusia Aparatur", roles=("KEPEGAWAIAN",),
               hint="Pengelola Kepegawaian: dasbor masalah Pejabat Penilai (jabatan kosong), impor pegawai"),
    PersonSpec("admin", _nip("19910415", "201503", 1, 13), "Fajar Nugroho, S.Kom.", "JF", "III/b", "BIRO-SDM",
               jf_name="Pranata Komputer", roles=("ADMIN",), hint="Admin: semua menu"),
    PersonSpec("perencana", _nip("19870902", "201203", 1, 14), "Andi Kurniawan, S.E., M.P.P.", "JF", "III/c",
               "BIRO-RENCANA", jf_name="Perencana", roles=("PENGELOLA_KINERJA",),
               hint="Pengelola Kinerja Organisasi; Pejabat Penilainya PLT Kepala Biro Perencanaan"),
    # --- Deputi KBKR --------------------------------------------------------------------
    PersonSpec("deputi_kbkr", _nip("19680115", "199303", 2, 15), "dr. Lestari Handayani, M.P.H.", "JPT_MADYA",
               "IV/e", "DEPUTI-KBKR", is_head=True,
               hint="Deputi KBKR: menilai Direktur dan JF Utama"),
    PersonSpec("jf_utama", _nip("19630520", "198903", 1, 16), "Dr. Haryanto Wibowo, M.Kes.", "JF_UTAMA", "IV/e",
               "DEPUTI-KBKR", jf_name="Analis Kebijakan",
               hint="JF Utama langsung di bawah Deputi: dinilai Deputi"),
    PersonSpec("direktur_kespro", _nip("19710927", "199803", 2, 17), "dr. Yuliana Sari, M.K.M.", "JPT_PRATAMA",
               "IV/c", "DIT-KESPRO", is_head=True,
               hint="Direktur: menilai Kepala Subdirektorat, JF dan Pelaksana direktorat"),
    PersonSpec("kasubdit_remaja", _nip("19770811", "200312", 1, 18), "Ahmad Fauzi, S.K.M., M.Kes.", "ADMINISTRATOR",
               "IV/b", "DIT-KESPRO-REMAJA", is_head=True,
               hint="Pejabat Administrator: menilai Kepala Seksi dan, lewat pendelegasian, Teguh Santoso"),
    PersonSpec("kasi_remaja", _nip("19830126", "200903", 2, 19), "Linda Kusumawati, S.K.M.", "PENGAWAS", "IV/a",
               "DIT-KESPRO-REMAJA-BINA", is_head=True,
               hint="Pejabat Pengawas: menilai CPNS yang ditempatkan di seksinya"),
    PersonSpec("dit_jf", _nip("19890317", "201403", 2, 20), "Wulan Septiani, S.K.M., M.P.H.", "JF", "III/d",
               "DIT-KESPRO", jf_name="Analis Kebijakan",
               hint="JF di Pusat: dinilai Direktur (JPT Pratama)"),
    PersonSpec("dit_pelaksana", _nip("19840704", "200801", 1, 21), "Joko Susilo", "PELAKSANA", "III/b",
               "DIT-KESPRO-REMAJA", hint="Pelaksana di Pusat: dinilai Direktur, bukan Kepala Subdirektorat"),
    PersonSpec("delegasi", _nip("19820908", "200701", 1, 22), "Teguh Santoso, S.Sos.", "PELAKSANA", "III/c",
               "DIT-KESPRO-REMAJA", hint="Pendelegasian (override) dicatat Kepegawaian: dinilai Kepala Subdirektorat"),
    PersonSpec("cpns", _nip("20000214", "202506", 2, 23), "Putri Ayu Lestari, S.K.M.", "JF", "III/a",
               "DIT-KESPRO-REMAJA-BINA", status="CPNS", jf_name="Penata Kependudukan dan Keluarga Berencana",
               hint="CPNS: dinilai atasan langsung di unit penempatan (Kepala Seksi)"),
    # --- Inspektorat Utama (TUWAS) ------------------------------------------------------
    PersonSpec("irtama", _nip("19660303", "199103", 1, 24), "Drs. Sudibyo Hartono, Ak., M.M.", "JPT_MADYA", "IV/e",
               "ITTAMA", is_head=True,
               hint="Inspektur Utama: menilai Inspektur dan Administrator TUWAS"),
    PersonSpec("inspektur_wil1", _nip("19730618", "199903", 1, 25), "Indra Permana, S.E., Ak., M.Ak.",
               "JPT_PRATAMA", "IV/c", "ITTAMA-WIL1", is_head=True, hint="Inspektur Wilayah I: dinilai Inspektur Utama"),
    PersonSpec("kabag_umum_ittama", _nip("19790224", "200501", 1, 26), "Yusuf Hidayat, S.H., M.H.",
               "ADMINISTRATOR", "IV/b", "ITTAMA-UMUM", is_head=True,
               hint="Administrator TUWAS: dinilai Inspektur Utama; menilai JF dan Pelaksana TUWAS"),
    PersonSpec("tuwas_jf", _nip("19900119", "201503", 2, 27), "Melati Puspitasari, S.E.", "JF", "III/c",
               "ITTAMA-UMUM", jf_name="Auditor", hint="JF TUWAS: dinilai Pejabat Administrator"),
    PersonSpec("tuwas_pelaksana", _nip("19800512", "200604", 1, 28), "Slamet Riyadi", "PELAKSANA", "II/d",
               "ITTAMA-UMUM", hint="Pelaksana TUWAS: dinilai Pejabat Administrator"),
    # --- Perwakilan Sulawesi Selatan (WITA) ---------------------------------------------
    PersonSpec("kaper_sulsel", _nip("19720404", "199803", 1, 29), "Dr. Andi Muhammad Rizal, M.Kes.",
               "KEPALA_PERWAKILAN", "IV/c", "PERWAKILAN-SULSEL", is_head=True,
               hint="Kepala Perwakilan (WITA): dinilai Sestama; menilai staf IV/a"),
    PersonSpec("sekretaris_sulsel", _nip("19750629", "200003", 2, 30), "Hj. Nurhayati Said, S.E., M.Si.",
               "ADMINISTRATOR", "IV/b", "SULSEL-SEKRETARIAT", is_head=True,
               hint="Sekretaris Perwakilan: menilai JF dan Pelaksana sampai III/d, termasuk Penyuluh KB dan PLKB"),
    PersonSpec("kabid_kbkr_sulsel", _nip("19780917", "200312", 1, 31), "Muhammad Arsyad, S.K.M., M.Kes.",
               "ADMINISTRATOR", "IV/a", "SULSEL-BIDANG-KBKR", is_head=True,
               hint="Kepala Bidang: dinilai Kepala Perwakilan; stafnya dinilai Sekretaris, bukan dia"),
    PersonSpec("sulsel_iva", _nip("19740708", "199903", 1, 32), "Drs. Abdul Rahman", "JF", "IV/a",
               "SULSEL-BIDANG-KBKR", jf_name="Analis Kebijakan",
               hint="JF Perwakilan IV/a: dinilai Kepala Perwakilan"),
    PersonSpec("sulsel_iiid", _nip("19810221", "200604", 2, 33), "Sitti Aminah, S.E.", "PELAKSANA", "III/d",
               "SULSEL-SEKRETARIAT", hint="Pelaksana Perwakilan III/d: dinilai Sekretaris Perwakilan"),
    PersonSpec("penyuluh_kb", _nip("19860730", "201001", 1, 34), "Syamsul Bahri, S.Sos.", "JF", "III/c",
               "SULSEL-BIDANG-KBKR", jf_name="Penyuluh KB",
               hint="Penyuluh KB (visum E-Visum, waktu WITA): dinilai Sekretaris Perwakilan"),
    PersonSpec("pppk_penyuluh_kb", _nip("19930311", "202304", 2, 35), "Nur Aisyah, S.K.M.", "PPPK_PENYULUH_KB",
               "IX", "SULSEL-BIDANG-KBKR", status="PPPK", jf_name="Penyuluh KB",
               hint="PPPK Penyuluh KB (IX setara III/a): dinilai Sekretaris Perwakilan"),
    PersonSpec("plkb", _nip("19821225", "200901", 1, 36), "Baharuddin", "PLKB", "II/d", "SULSEL-BIDANG-KBKR",
               hint="PLKB (visum E-Visum): dinilai Sekretaris Perwakilan"),
    # --- Perwakilan Papua (WIT) ---------------------------------------------------------
    PersonSpec("kaper_papua", _nip("19710502", "199703", 1, 37), "Nerius Kambu, S.Sos., M.Si.", "KEPALA_PERWAKILAN",
               "IV/c", "PERWAKILAN-PAPUA", is_head=True, hint="Kepala Perwakilan (WIT): dinilai Sestama"),
    PersonSpec("penyuluh_papua", _nip("19750916", "200003", 2, 38), "Yohana Wenda, S.Sos.", "JF", "IV/a",
               "PERWAKILAN-PAPUA", jf_name="Penyuluh KB",
               hint="Penyuluh KB IV/a di WIT: dinilai Kepala Perwakilan; visum terkunci Minggu 23.59 WIT"),
    PersonSpec("papua_staf", _nip("19880104", "201304", 1, 39), "Markus Rumbiak", "PELAKSANA", "III/b",
               "PAPUA-SEKRETARIAT",
               hint="Sekretaris Perwakilan Papua kosong tanpa PLT/PLH: tampil di dasbor Kepegawaian"),
)

DEMO_NIPS: dict[str, str] = {person.key: person.nip for person in PEOPLE}

# (employee key, unit code, kind): the PLT holds the post for the whole current year.
ACTING: tuple[tuple[str, str, str], ...] = (("karo_sdm", "BIRO-RENCANA", "PLT"),)

# (employee key, assessor key, assessor superior key, reason): HR's delegation from 1 January.
OVERRIDES: tuple[tuple[str, str, str | None, str], ...] = (
    ("delegasi", "kasubdit_remaja", "direktur_kespro",
     "Pendelegasian kewenangan penilaian kinerja dari Direktur Kesehatan Reproduksi kepada "
     "Kepala Subdirektorat Kesehatan Reproduksi Remaja"),
)


@dataclass(frozen=True)
class DemoLogin:
    """One line of the printed login table."""

    key: str
    nip: str
    password: str
    name: str
    role: str
    unit: str
    hint: str


@dataclass
class Demo:
    """The demo being built: its year, units by code and employees by key."""

    year: int
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Employee] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    foreign: dict[str, int] = field(default_factory=dict)  # what the database held besides the demo
    notes: list[str] = field(default_factory=list)  # one line each, printed after the logins


def build_units(demo: Demo) -> None:
    """Create or update the demo units, parents first, and recompute the tree once."""
    for spec in UNITS:
        demo.units[spec.code] = org_services.save_unit(
            None, code=spec.code, name=spec.name, parent=demo.units.get(spec.parent) if spec.parent else None,
            level=spec.level, region=spec.region, kind=spec.kind, timezone=spec.timezone, refresh=False,
        )
    org_services.refresh_unit_tree()


def build_people(demo: Demo) -> None:
    """Create or update the demo employees."""
    for spec in PEOPLE:
        demo.people[spec.key] = org_services.save_employee(
            None, nip=spec.nip, name=spec.name, status=spec.status, jenjang=spec.jenjang, unit=demo.units[spec.unit],
            jf_name=spec.jf_name, golongan=spec.golongan, is_head=spec.is_head,
        )


def build_acting(demo: Demo) -> None:
    """Record the PLT assignments for the current year unless already there."""
    start, end = date(demo.year, 1, 1), date(demo.year, 12, 31)
    for key, unit_code, kind in ACTING:
        employee, unit = demo.people[key], demo.units[unit_code]
        exists = db.session.scalar(
            select(ActingAssignment.id).where(
                ActingAssignment.employee_id == employee.id, ActingAssignment.unit_id == unit.id,
                ActingAssignment.kind == kind, ActingAssignment.start <= end, ActingAssignment.end >= start,
            )
        )
        if exists is None:
            org_services.add_acting(None, employee=employee, unit=unit, kind=kind, start=start, end=end,
                                    refresh=False)


def build_overrides(demo: Demo) -> None:
    """Record HR's delegation overrides unless an open one to the same assessor exists."""
    start = date(demo.year, 1, 1)
    for key, assessor_key, superior_key, reason in OVERRIDES:
        employee, assessor = demo.people[key], demo.people[assessor_key]
        exists = db.session.scalar(
            select(DelegationOverride.id).where(
                DelegationOverride.employee_id == employee.id, DelegationOverride.assessor_id == assessor.id,
                DelegationOverride.start <= start,
                (DelegationOverride.end.is_(None)) | (DelegationOverride.end >= start),
            )
        )
        if exists is None:
            org_services.add_override(
                None, employee=employee, assessor=assessor, reason=reason, start=start,
                assessor_superior=demo.people[superior_key] if superior_key else None, refresh=False,
            )


def build_accounts(demo: Demo) -> None:
    """Give every demo employee an account with the demo password and grant the demo roles.

    A password is only (re)set when it is not the demo password, so a second run writes nothing."""
    for spec in PEOPLE:
        employee = demo.people[spec.key]
        user = db.session.scalar(select(User).where(User.employee_id == employee.id))
        if user is None or user.password_hash is None or not check_password_hash(user.password_hash, DEMO_PASSWORD):
            auth_services.set_password(None, employee, DEMO_PASSWORD)
        for role in spec.roles:
            auth_services.grant_role(None, employee, role)
        demo.logins.append(_login(spec, demo.units[spec.unit]))


def refresh_assessors(demo: Demo) -> None:
    """Refresh today's assessor snapshot after the organisation changed."""
    from kinerja.org.assessors import refresh_assessor_links

    refresh_assessor_links()


def run_scheduled_jobs(demo: Demo) -> None:
    """Run what the scheduler would have run by now, so the pages agree from the first visit.

    The weekly close (``locking.lock_week``: idempotent, it records the weeks the demo filed that
    have closed) and, once its day has come, the 6 February synchronisation of the demo year
    (``sync.sync_skp``, only while the year has no run, as the daily job does). Skipped when the
    database holds data besides the demo (``--yes``): there the real schedule runs them.
    """
    from kinerja.execution import locking, sync
    from kinerja.execution.services import configured_sync_day
    from kinerja.rules.visum import sync_date

    if demo.foreign:
        demo.notes.append("Penutupan mingguan otomatis dan sinkronisasi SKP tidak dijalankan oleh seed-demo karena "
                          "basis data berisi data lain: keduanya berjalan sesuai jadwal.")
        return
    closed = locking.lock_week()
    if closed.changed:
        demo.notes.append(f"Penutupan mingguan otomatis: {len(closed.weeks)} minggu ditutup, "
                          f"{closed.week_locks} rekap kelengkapan dicatat.")
    if clock.today() >= sync_date(demo.year, configured_sync_day()) and sync.latest_sync(demo.year) is None:
        result = sync.sync_skp(demo.year)
        demo.notes.append(f"Sinkronisasi SKP ke visum {demo.year}: {result.skp_count} SKP disetujui, "
                          f"{result.blocked} pegawai tanpa SKP disetujui dicatat.")


# The steps in order; later stages (PK, SKP, visum) append theirs after ``refresh_assessors``.
# Planning (kinerja/demo_planning.py): the signed PK of the year, then everybody's SKP cascaded from it.
# Execution (kinerja/demo_execution.py): the visum of the previous and the current week, then the
# scheduled jobs the pages report on (the weekly close, the 6 February synchronisation).
DEMO_STEPS: list[Callable[[Demo], None]] = [
    build_units, build_people, build_acting, build_overrides, build_accounts, refresh_assessors,
    demo_planning.build_pks, demo_planning.build_skps, demo_execution.build_visum, run_scheduled_jobs,
]

DEMO_UNIT_CODES = frozenset(spec.code for spec in UNITS)


def foreign_data() -> dict[str, int]:
    """Count what the database holds besides the demo: employees and units the demo does not define.

    Everything else hangs off them (accounts, plans, visum), so these two say whether someone else's
    data is there. Empty for an empty database and for one holding only the demo.
    """
    counts = {
        "pegawai": db.session.scalar(select(func.count(Employee.id)).where(
            Employee.nip.not_in(list(DEMO_NIPS.values())))) or 0,
        "unit kerja": db.session.scalar(select(func.count(Unit.id)).where(
            Unit.code.not_in(list(DEMO_UNIT_CODES)))) or 0,
    }
    return {name: count for name, count in counts.items() if count}


def describe_foreign(counts: dict[str, int]) -> str:
    """Write the foreign data in words: ``12 pegawai dan 3 unit kerja``."""
    return " dan ".join(f"{count} {name}" for name, count in counts.items())


def plan(year: int) -> str:
    """Say in one line what ``seed-demo`` adds (printed before it adds to a database holding other data)."""
    return (f"{len(UNITS)} unit kerja demo, {len(PEOPLE)} pegawai demo dengan akun (kata sandi {DEMO_PASSWORD}), "
            f"PK dan SKP tahun {year}, serta visum minggu lalu dan minggu ini")


def build(*, force: bool = False) -> Demo:
    """Build (or bring up to date) the demo organisation, commit once, and return it (logins and notes).

    :raise DemoRefused: the database holds data besides the demo and ``force`` is not given; nothing is written.
    """
    demo = Demo(year=clock.today().year, foreign=foreign_data())
    if demo.foreign and not force:
        raise DemoRefused(demo.foreign)
    for step in DEMO_STEPS:
        step(demo)
    db.session.commit()
    return demo


def build_demo(*, force: bool = False) -> list[DemoLogin]:
    """Build (or bring up to date) the demo organisation, commit once, and return the logins."""
    return build(force=force).logins


class DemoRefused(Exception):
    """The database holds data besides the demo: ``seed-demo`` adds nothing without ``--yes``."""

    def __init__(self, foreign: dict[str, int]):
        self.foreign = foreign
        super().__init__(f"Basis data sudah berisi data di luar demo ({describe_foreign(foreign)}); seed-demo tidak "
                         "menambahkan apa pun. Jalankan `flask --app app seed-demo --yes` bila memang ingin "
                         "menambahkan organisasi demo ke dalamnya.")


def demo_employee(key: str) -> Employee:
    """Return the demo employee with the given key (see ``DEMO_NIPS``).

    :raise LookupError: when the demo has not been built
    """
    employee = db.session.scalar(select(Employee).where(Employee.nip == DEMO_NIPS[key]))
    if employee is None:
        raise LookupError(f"pegawai demo {key} belum dibuat (jalankan seed-demo)")
    return employee


def _login(spec: PersonSpec, unit: Unit) -> DemoLogin:
    """Describe one demo account for the printed table."""
    role = JENJANG_LABELS.get(spec.jenjang, spec.jenjang)
    if spec.jf_name and spec.jf_name not in role:
        role = f"{role} {spec.jf_name}"
    role = f"{role} ({spec.golongan}{', ' + spec.status if spec.status != 'PNS' else ''})"
    if spec.roles:
        role = f"{role}; {', '.join(ROLE_LABELS.get(r, r) for r in spec.roles)}"
    unit_name = unit.name
    if unit.effective_timezone != WIB:
        unit_name = f"{unit_name} ({TIMEZONE_LABELS.get(unit.effective_timezone, unit.effective_timezone)})"
    return DemoLogin(key=spec.key, nip=spec.nip, password=DEMO_PASSWORD, name=spec.name, role=role,
                     unit=unit_name, hint=spec.hint)


def format_logins(logins: list[DemoLogin]) -> str:
    """Render the demo logins as a plain-text table for the terminal."""
    header = ("NIP", "Kata sandi", "Nama", "Jabatan / peran", "Unit kerja", "Coba")
    rows = [(lg.nip, lg.password, lg.name, lg.role, lg.unit, lg.hint) for lg in logins]
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header) - 1)]

    def line(row) -> str:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        return " | ".join([*cells, str(row[-1])])

    out = [
        f"Organisasi demo siap: {len(logins)} akun, kata sandi bersama: {DEMO_PASSWORD}",
        line(header),
        "-+-".join("-" * width for width in widths) + "-+-" + "-" * len(header[-1]),
        *(line(row) for row in rows),
    ]
    return "\n".join(out)

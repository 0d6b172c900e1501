"""seed-demo: the demo organisation exercises every row of the Pejabat Penilai table."""

from functools import partial

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from kinerja import clock, demo
from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.auth.models import RoleGrant, User
from kinerja.extensions import db
from kinerja.org.assessors import resolve_for
from kinerja.org.models import ActingAssignment, AssessorLink, DelegationOverride, Employee, Position, Unit
from kinerja.org.relations import employees_without_assessor, link_covers

NIPS = demo.DEMO_NIPS

COUNTED = (Unit, Employee, Position, User, RoleGrant, ActingAssignment, DelegationOverride, AssessorLink,
           AuditEntry)

# subject key -> (rule, assessor key or None, assessor superior key or None, problem)
EXPECTED = {
    "kepala": ("KEPALA", None, None, None),
    "sestama": ("JPT_MADYA", "kepala", "kepala", None),
    "deputi_kbkr": ("JPT_MADYA", "kepala", "kepala", None),
    "irtama": ("JPT_MADYA", "kepala", "kepala", None),
    "karo_umum": ("JPT_PRATAMA", "sestama", "kepala", None),
    "direktur_kespro": ("JPT_PRATAMA", "deputi_kbkr", "kepala", None),
    "inspektur_wil1": ("JPT_PRATAMA", "irtama", "kepala", None),
    "kaper_sulsel": ("KEPALA_PERWAKILAN", "sestama", "kepala", None),
    "kaper_papua": ("KEPALA_PERWAKILAN", "sestama", "kepala", None),
    "jf_utama": ("JF_UTAMA", "deputi_kbkr", "kepala", None),
    "kabag_humas": ("ADMINISTRATOR", "karo_umum", "sestama", None),
    "kasubdit_remaja": ("ADMINISTRATOR", "direktur_kespro", "deputi_kbkr", None),
    "sekretaris_sulsel": ("ADMINISTRATOR", "kaper_sulsel", "sestama", None),
    "kabag_umum_ittama": ("ADMINISTRATOR_TUWAS", "irtama", "kepala", None),
    "kasubbag_publikasi": ("PENGAWAS", "kabag_humas", "karo_umum", None),
    "kasi_remaja": ("PENGAWAS", "kasubdit_remaja", "direktur_kespro", None),
    "dit_jf": ("PUSAT_JF_PELAKSANA", "direktur_kespro", "deputi_kbkr", None),
    "dit_pelaksana": ("PUSAT_JF_PELAKSANA", "direktur_kespro", "deputi_kbkr", None),
    "hr": ("PUSAT_JF_PELAKSANA", "karo_sdm", "sestama", None),
    "tuwas_jf": ("PUSAT_TUWAS_JF_PELAKSANA", "kabag_umum_ittama", "irtama", None),
    "tuwas_pelaksana": ("PUSAT_TUWAS_JF_PELAKSANA", "kabag_umum_ittama", "irtama", None),
    "birumas_pelaksana": ("PUSAT_BIRUMAS_SAMPAI_IIID", "kabag_humas", "karo_umum", None),
    "birumas_pppk_xii": ("PUSAT_BIRUMAS_SAMPAI_IIID", "kabag_humas", "karo_umum", None),
    "birumas_jf_iva": ("PUSAT_BIRUMAS_MULAI_IVA", "karo_umum", "sestama", None),
    "birumas_pppk_xiii": ("PUSAT_BIRUMAS_MULAI_IVA", "karo_umum", "sestama", None),
    "pranata_humas": ("PUSAT_PRANATA_HUMAS", "karo_umum", "sestama", None),
    "sulsel_iva": ("PERWAKILAN_MULAI_IVA", "kaper_sulsel", "sestama", None),
    "penyuluh_papua": ("PERWAKILAN_MULAI_IVA", "kaper_papua", "sestama", None),
    "sulsel_iiid": ("PERWAKILAN_SAMPAI_IIID", "sekretaris_sulsel", "kaper_sulsel", None),
    "penyuluh_kb": ("PERWAKILAN_SAMPAI_IIID", "sekretaris_sulsel", "kaper_sulsel", None),
    "pppk_penyuluh_kb": ("PERWAKILAN_SAMPAI_IIID", "sekretaris_sulsel", "kaper_sulsel", None),
    "plkb": ("PERWAKILAN_SAMPAI_IIID", "sekretaris_sulsel", "kaper_sulsel", None),
    "cpns": ("CPNS", "kasi_remaja", "kasubdit_remaja", None),
    "delegasi": ("OVERRIDE", "kasubdit_remaja", "direktur_kespro", None),
    # the planning officer's Biro has no definitive head: its PLT assesses him
    "perencana": ("PUSAT_JF_PELAKSANA", "karo_sdm", "sestama", None),
    # the Sekretariat of Perwakilan Papua is vacant without PLT/PLH
    "papua_staf": ("PERWAKILAN_SAMPAI_IIID", None, "kaper_papua", "VACANT"),
}

TABLE_ROWS = {
    "JPT_MADYA", "JPT_PRATAMA", "KEPALA_PERWAKILAN", "JF_UTAMA", "ADMINISTRATOR", "ADMINISTRATOR_TUWAS",
    "PENGAWAS", "PUSAT_JF_PELAKSANA", "PUSAT_TUWAS_JF_PELAKSANA", "PUSAT_BIRUMAS_SAMPAI_IIID",
    "PUSAT_BIRUMAS_MULAI_IVA", "PUSAT_PRANATA_HUMAS", "PERWAKILAN_MULAI_IVA", "PERWAKILAN_SAMPAI_IIID",
}


@pytest.fixture(autouse=True)
def _cheap_password_hash(monkeypatch):
    """Hash the demo password cheaply: forty scrypt hashes per build would dominate the run."""
    monkeypatch.setattr(auth_services, "generate_password_hash",
                        partial(generate_password_hash, method="pbkdf2:sha256:1000"))


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in COUNTED}


def _nip_of(key: str | None) -> str | None:
    return NIPS[key] if key else None


def test_expectations_cover_every_table_row_and_the_special_cases():
    rules = {rule for rule, *_ in EXPECTED.values()}
    assert TABLE_ROWS <= rules
    assert {"KEPALA", "CPNS", "OVERRIDE"} <= rules
    assert any(problem == "VACANT" for *_, problem in EXPECTED.values())
    assert set(EXPECTED) <= set(NIPS)


def test_nips_are_unique_and_18_digits():
    assert len(set(NIPS.values())) == len(NIPS)
    assert all(len(nip) == 18 and nip.isdigit() for nip in NIPS.values())


def test_seed_demo_command_prints_logins(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert demo.DEMO_PASSWORD in result.output
    for key in ("kepala", "hr", "perencana", "admin", "pranata_humas", "penyuluh_kb"):
        assert NIPS[key] in result.output
    assert "Pengelola Kepegawaian" in result.output
    assert "Pengelola Kinerja Organisasi" in result.output
    lines = [line for line in result.output.splitlines() if line[:18].isdigit()]
    assert len(lines) == len(demo.PEOPLE)
    assert db.session.scalar(select(func.count()).select_from(Employee)) == len(demo.PEOPLE)


def test_running_twice_duplicates_nothing(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = _counts()
    second_run = runner.invoke(args=["seed-demo"])
    assert second_run.exit_code == 0, second_run.output
    assert _counts() == first
    assert first["ActingAssignment"] == 1
    assert first["DelegationOverride"] == 1
    # one link per person today (the PLT's end starts a second row for the people of his post)
    assert db.session.scalar(select(func.count()).select_from(AssessorLink)
                             .where(link_covers(clock.today()))) == len(demo.PEOPLE)


def test_every_table_row_resolves_to_the_expected_person(app):
    demo.build_demo()
    failures = []
    for key, (rule, assessor, superior, problem) in EXPECTED.items():
        resolved = resolve_for(demo.demo_employee(key))
        got = (resolved.rule, resolved.assessor.nip if resolved.assessor else None,
               resolved.assessor_superior.nip if resolved.assessor_superior else None, resolved.problem)
        want = (rule, _nip_of(assessor), _nip_of(superior), problem)
        if got != want:
            failures.append(f"{key}: got {got}, want {want}")
    assert not failures, "\n".join(failures)


def test_plt_is_the_planning_officers_assessor(app):
    demo.build_demo()
    resolved = resolve_for(demo.demo_employee("perencana"))
    assert resolved.assessor.nip == NIPS["karo_sdm"]
    assert resolved.assessor_acting == "PLT"
    planning_unit = db.session.scalar(select(Unit).where(Unit.code == "BIRO-RENCANA"))
    assert db.session.scalar(select(func.count()).select_from(Employee).where(
        Employee.unit_id == planning_unit.id, Employee.is_head.is_(True))) == 0


def test_hr_dashboard_shows_the_vacant_post(app):
    demo.build_demo()
    problems = employees_without_assessor()
    assert [(link.employee.nip, link.problem) for link in problems] == [(NIPS["papua_staf"], "VACANT")]


def test_snapshot_matches_the_engine(app):
    demo.build_demo()
    links = {link.employee.nip: link
             for link in db.session.scalars(select(AssessorLink).where(link_covers(clock.today())))}
    assert links[NIPS["pranata_humas"]].rule == "PUSAT_PRANATA_HUMAS"
    assert links[NIPS["pranata_humas"]].assessor.nip == NIPS["karo_umum"]
    assert links[NIPS["kepala"]].assessor_id is None


def test_units_carry_kind_region_and_time_zone(app):
    demo.build_demo()
    units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    assert units["BIRUMAS-HUMAS-PUB"].effective_kind == "BIRUMAS"
    assert units["ITTAMA-UMUM"].effective_kind == "TUWAS"
    assert units["SULSEL-BIDANG-KBKR"].effective_region == "PERWAKILAN"
    assert units["SULSEL-BIDANG-KBKR"].effective_timezone == "Asia/Makassar"
    assert units["PAPUA-SEKRETARIAT"].effective_timezone == "Asia/Jayapura"
    assert units["DIT-KESPRO"].effective_timezone == "Asia/Jakarta"


def test_demo_accounts_log_in_and_hold_their_roles(app):
    demo.build_demo()
    for key, roles in (("hr", {"KEPEGAWAIAN"}), ("perencana", {"PENGELOLA_KINERJA"}), ("admin", {"ADMIN"}),
                       ("penyuluh_kb", set())):
        user = auth_services.authenticate(NIPS[key], demo.DEMO_PASSWORD)
        assert user is not None, key
        assert user.roles == roles
    assert auth_services.authenticate(NIPS["hr"], "salah-sandi") is None


def test_rerun_restores_a_changed_password_but_keeps_extra_roles(app):
    demo.build_demo()
    hr = demo.demo_employee("hr")
    auth_services.set_password(None, hr, "sandi-lain-123")
    auth_services.grant_role(None, hr, "PENGELOLA_KINERJA")
    db.session.commit()
    demo.build_demo()
    assert auth_services.authenticate(NIPS["hr"], demo.DEMO_PASSWORD) is not None
    assert auth_services.authenticate(NIPS["hr"], demo.DEMO_PASSWORD).roles == {"KEPEGAWAIAN", "PENGELOLA_KINERJA"}


def test_demo_employee_before_build_raises(app):
    with pytest.raises(LookupError):
        demo.demo_employee("kepala")


def test_seed_demo_without_schema_says_to_run_init_db(tmp_path):
    from kinerja import create_app

    bare = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'kosong.sqlite3'}",
                       "SECRET_KEY": "test"})
    result = bare.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "init-db" in result.output

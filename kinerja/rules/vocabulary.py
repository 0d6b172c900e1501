"""The enumerated words of the decree, spelled as in INTERFACES.md."""

from enum import StrEnum


class Jenjang(StrEnum):
    KEPALA = "KEPALA"
    JPT_MADYA = "JPT_MADYA"
    JPT_PRATAMA = "JPT_PRATAMA"
    KEPALA_PERWAKILAN = "KEPALA_PERWAKILAN"
    ADMINISTRATOR = "ADMINISTRATOR"
    PENGAWAS = "PENGAWAS"
    JF_UTAMA = "JF_UTAMA"
    JF = "JF"
    PELAKSANA = "PELAKSANA"
    PPPK_PENYULUH_KB = "PPPK_PENYULUH_KB"
    PLKB = "PLKB"


JENJANG_LABELS = {
    Jenjang.KEPALA: "Kepala BKKBN",
    Jenjang.JPT_MADYA: "Pejabat Tinggi Madya",
    Jenjang.JPT_PRATAMA: "Pejabat Tinggi Pratama",
    Jenjang.KEPALA_PERWAKILAN: "Kepala Perwakilan Provinsi",
    Jenjang.ADMINISTRATOR: "Pejabat Administrator",
    Jenjang.PENGAWAS: "Pejabat Pengawas",
    Jenjang.JF_UTAMA: "JF Utama",
    Jenjang.JF: "Jabatan Fungsional",
    Jenjang.PELAKSANA: "Pelaksana",
    Jenjang.PPPK_PENYULUH_KB: "PPPK Penyuluh KB",
    Jenjang.PLKB: "PLKB",
}

# Structural levels that may assess by themselves (the minimum-level rule, decree I.D.1).
STRUCTURAL = frozenset(
    {
        Jenjang.KEPALA,
        Jenjang.JPT_MADYA,
        Jenjang.JPT_PRATAMA,
        Jenjang.KEPALA_PERWAKILAN,
        Jenjang.ADMINISTRATOR,
        Jenjang.PENGAWAS,
    }
)


class EmploymentStatus(StrEnum):
    PNS = "PNS"
    CPNS = "CPNS"
    PPPK = "PPPK"


class UnitLevel(StrEnum):
    BADAN = "BADAN"
    ESELON_I = "ESELON_I"
    ESELON_II = "ESELON_II"
    ESELON_III = "ESELON_III"
    ESELON_IV = "ESELON_IV"


UNIT_LEVEL_LABELS = {
    UnitLevel.BADAN: "Badan",
    UnitLevel.ESELON_I: "Eselon I",
    UnitLevel.ESELON_II: "Eselon II",
    UnitLevel.ESELON_III: "Eselon III",
    UnitLevel.ESELON_IV: "Eselon IV",
}


class Region(StrEnum):
    PUSAT = "PUSAT"
    PERWAKILAN = "PERWAKILAN"


class UnitKind(StrEnum):
    SESTAMA = "SESTAMA"
    BIRUMAS = "BIRUMAS"
    TUWAS = "TUWAS"
    SEKRETARIAT_PERWAKILAN = "SEKRETARIAT_PERWAKILAN"


class ActingKind(StrEnum):
    PLT = "PLT"
    PLH = "PLH"


class Role(StrEnum):
    """Granted roles; Pegawai, Pejabat Penilai and Atasan are derived, never granted."""

    PENGELOLA_KINERJA = "PENGELOLA_KINERJA"
    KEPEGAWAIAN = "KEPEGAWAIAN"
    ADMIN = "ADMIN"


ROLE_LABELS = {
    Role.PENGELOLA_KINERJA: "Pengelola Kinerja Organisasi",
    Role.KEPEGAWAIAN: "Pengelola Kepegawaian",
    Role.ADMIN: "Admin",
}

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"  # the three zones of Indonesia
TIMEZONE_LABELS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

"""The Pejabat Penilai table (decree I.D, DOMAIN.md §2.2) over a small but realistic tree.

Pusat                                           Perwakilan (under the root)
BKKBN (Kepala, 1)                               PERW (Kepala Perwakilan, 30)
├─ SESTAMA  eselon I, SESTAMA (2)               ├─ SEKRET eselon III, SEKRETARIAT_PERWAKILAN (31)
│  ├─ BIRUMAS eselon II, BIRUMAS (3)            │  └─ SUBUMUM eselon IV (32)
│  │  └─ HUMAS eselon III (4)                   └─ BIDANG eselon III (33)
│  │     └─ SUBHUMAS eselon IV (5)                 └─ SUBBID eselon IV (34)
│  └─ BIROKEU eselon II (6)
├─ DEPUTI eselon I (10)
│  └─ DIT eselon II (11)
│     └─ SUBDIT eselon III (12)
│        └─ SEKSI eselon IV (13)
└─ ITTAMA eselon I, TUWAS (20)
   ├─ ITWIL eselon II (21)
   └─ BAGTU eselon III (22)
      └─ SUBTU eselon IV (23)
"""

from dataclasses import replace

import pytest

from kinerja.rules.assessor import (
    RULE_LABELS,
    Official,
    Override,
    Problem,
    Resolution,
    Rule,
    Subject,
    UnitNode,
    choose_head,
    effective_chain,
    is_pranata_humas,
    resolve,
    table_row,
)

UNITS = {
    # code: (parent, level, region, kind)
    "BKKBN": (None, "BADAN", "PUSAT", None),
    "SESTAMA": ("BKKBN", "ESELON_I", "PUSAT", "SESTAMA"),
    "BIRUMAS": ("SESTAMA", "ESELON_II", "PUSAT", "BIRUMAS"),
    "HUMAS": ("BIRUMAS", "ESELON_III", "PUSAT", "BIRUMAS"),
    "SUBHUMAS": ("HUMAS", "ESELON_IV", "PUSAT", "BIRUMAS"),
    "BIROKEU": ("SESTAMA", "ESELON_II", "PUSAT", "SESTAMA"),
    "DEPUTI": ("BKKBN", "ESELON_I", "PUSAT", None),
    "DIT": ("DEPUTI", "ESELON_II", "PUSAT", None),
    "SUBDIT": ("DIT", "ESELON_III", "PUSAT", None),
    "SEKSI": ("SUBDIT", "ESELON_IV", "PUSAT", None),
    "ITTAMA": ("BKKBN", "ESELON_I", "PUSAT", "TUWAS"),
    "ITWIL": ("ITTAMA", "ESELON_II", "PUSAT", "TUWAS"),
    "BAGTU": ("ITTAMA", "ESELON_III", "PUSAT", "TUWAS"),
    "SUBTU": ("BAGTU", "ESELON_IV", "PUSAT", "TUWAS"),
    "PERW": ("BKKBN", "ESELON_II", "PERWAKILAN", None),
    "SEKRET": ("PERW", "ESELON_III", "PERWAKILAN", "SEKRETARIAT_PERWAKILAN"),
    "SUBUMUM": ("SEKRET", "ESELON_IV", "PERWAKILAN", "SEKRETARIAT_PERWAKILAN"),
    "BIDANG": ("PERW", "ESELON_III", "PERWAKILAN", None),
    "SUBBID": ("BIDANG", "ESELON_IV", "PERWAKILAN", None),
}
HEADS = {
    "BKKBN": (1, "KEPALA"), "SESTAMA": (2, "JPT_MADYA"), "BIRUMAS": (3, "JPT_PRATAMA"),
    "HUMAS": (4, "ADMINISTRATOR"), "SUBHUMAS": (5, "PENGAWAS"), "BIROKEU": (6, "JPT_PRATAMA"),
    "DEPUTI": (10, "JPT_MADYA"), "DIT": (11, "JPT_PRATAMA"), "SUBDIT": (12, "ADMINISTRATOR"),
    "SEKSI": (13, "PENGAWAS"), "ITTAMA": (20, "JPT_MADYA"), "ITWIL": (21, "JPT_PRATAMA"),
    "BAGTU": (22, "ADMINISTRATOR"), "SUBTU": (23, "PENGAWAS"), "PERW": (30, "KEPALA_PERWAKILAN"),
    "SEKRET": (31, "ADMINISTRATOR"), "SUBUMUM": (32, "PENGAWAS"), "BIDANG": (33, "ADMINISTRATOR"),
    "SUBBID": (34, "PENGAWAS"),
}


def official(person_id: int, jenjang: str = "JF", acting: str | None = None) -> Official:
    return Official(person_id, f"{person_id:018d}", f"Pejabat {person_id}", jenjang, acting)


class Org:
    """The tree above as UnitNodes; change ``heads`` (or ``units``) before resolving."""

    def __init__(self):
        self.units = dict(UNITS)
        self.heads: dict[str, Official | None] = {code: official(i, j) for code, (i, j) in HEADS.items()}

    def node(self, code: str) -> UnitNode:
        parent, level, region, kind = self.units[code]
        return UnitNode(list(self.units).index(code) + 1, code, level, region, kind, self.heads.get(code))

    def chain(self, code: str) -> list[UnitNode]:
        nodes = []
        while code is not None:
            nodes.append(self.node(code))
            code = self.units[code][0]
        return nodes

    def resolve(self, subject: Subject, code: str, override: Override | None = None,
                sestama: str | None = "SESTAMA", sekretariat: str | None = "SEKRET") -> Resolution:
        in_perwakilan = self.units[code][2] == "PERWAKILAN"
        return resolve(
            subject, self.chain(code),
            self.node(sestama) if sestama and sestama in self.units else None,
            self.node(sekretariat) if in_perwakilan and sekretariat and sekretariat in self.units else None,
            override,
        )


def person(person_id: int, jenjang: str = "PELAKSANA", *, status: str = "PNS", golongan: str | None = "III/c",
           jf_name: str | None = None, is_head: bool = False) -> Subject:
    return Subject(person_id, f"{person_id:018d}", status, jenjang, jf_name, golongan, is_head)


def head_of(code: str) -> Subject:
    person_id, jenjang = HEADS[code]
    return person(person_id, jenjang, golongan="IV/b", is_head=True)


def ids(resolution: Resolution) -> tuple:
    return (
        resolution.assessor.id if resolution.assessor else None,
        resolution.assessor_superior.id if resolution.assessor_superior else None,
        resolution.rule,
        resolution.problem,
    )


@pytest.fixture
def org() -> Org:
    return Org()


# --- the fourteen rows -------------------------------------------------------------------


def test_row_jpt_madya_is_assessed_by_kepala_twice(org):
    assert ids(org.resolve(head_of("DEPUTI"), "DEPUTI")) == (1, 1, Rule.JPT_MADYA, None)


def test_row_sekretaris_utama_is_a_jpt_madya(org):
    assert ids(org.resolve(head_of("SESTAMA"), "SESTAMA")) == (1, 1, Rule.JPT_MADYA, None)


def test_row_jpt_pratama(org):
    assert ids(org.resolve(head_of("DIT"), "DIT")) == (10, 1, Rule.JPT_PRATAMA, None)


def test_row_kepala_perwakilan_is_assessed_by_sekretaris_utama(org):
    assert ids(org.resolve(head_of("PERW"), "PERW")) == (2, 1, Rule.KEPALA_PERWAKILAN, None)


@pytest.mark.parametrize(("code", "expected"), [("DIT", 10), ("SEKSI", 10), ("BIROKEU", 2), ("BIDANG", 2)])
def test_row_jf_utama(org, code, expected):
    subject = person(40, "JF_UTAMA", jf_name="Analis Kebijakan", golongan="IV/d")
    assert ids(org.resolve(subject, code)) == (expected, 1, Rule.JF_UTAMA, None)


def test_row_administrator(org):
    assert ids(org.resolve(head_of("SUBDIT"), "SUBDIT")) == (11, 10, Rule.ADMINISTRATOR, None)


def test_row_administrator_in_perwakilan_uses_kepala_perwakilan_and_sekretaris_utama(org):
    assert ids(org.resolve(head_of("BIDANG"), "BIDANG")) == (30, 2, Rule.ADMINISTRATOR, None)
    assert ids(org.resolve(head_of("SEKRET"), "SEKRET")) == (30, 2, Rule.ADMINISTRATOR, None)


def test_row_administrator_tuwas_skips_to_jpt_madya(org):
    assert ids(org.resolve(head_of("BAGTU"), "BAGTU")) == (20, 1, Rule.ADMINISTRATOR_TUWAS, None)


def test_row_administrator_in_birumas_is_not_special(org):
    assert ids(org.resolve(head_of("HUMAS"), "HUMAS")) == (3, 2, Rule.ADMINISTRATOR, None)


@pytest.mark.parametrize(("code", "expected"), [
    ("SEKSI", (12, 11)), ("SUBHUMAS", (4, 3)), ("SUBBID", (33, 30)), ("SUBUMUM", (31, 30)),
])
def test_row_pengawas(org, code, expected):
    assert ids(org.resolve(head_of(code), code)) == (*expected, Rule.PENGAWAS, None)


@pytest.mark.parametrize("code", ["DIT", "SUBDIT", "SEKSI"])
@pytest.mark.parametrize("jenjang", ["JF", "PELAKSANA"])
def test_row_pusat_jf_pelaksana(org, code, jenjang):
    subject = person(40, jenjang, jf_name="Analis Kebijakan" if jenjang == "JF" else None, golongan="III/b")
    assert ids(org.resolve(subject, code)) == (11, 10, Rule.PUSAT_JF_PELAKSANA, None)


def test_row_pusat_jf_pelaksana_in_sestama_outside_birumas(org):
    subject = person(40, "PELAKSANA", golongan="II/c")
    assert ids(org.resolve(subject, "BIROKEU")) == (6, 2, Rule.PUSAT_JF_PELAKSANA, None)


@pytest.mark.parametrize(("code", "golongan"), [("BAGTU", "III/a"), ("SUBTU", "IV/c"), ("BAGTU", "XIII")])
def test_row_pusat_tuwas_jf_pelaksana(org, code, golongan):
    subject = person(40, "JF", jf_name="Auditor", golongan=golongan)
    assert ids(org.resolve(subject, code)) == (22, 20, Rule.PUSAT_TUWAS_JF_PELAKSANA, None)


@pytest.mark.parametrize("code", ["HUMAS", "SUBHUMAS"])
@pytest.mark.parametrize(("jenjang", "golongan"), [("PELAKSANA", "III/d"), ("JF", "II/a"), ("PELAKSANA", "XII")])
def test_row_birumas_up_to_iii_d(org, code, jenjang, golongan):
    subject = person(40, jenjang, jf_name="Arsiparis" if jenjang == "JF" else None, golongan=golongan)
    assert ids(org.resolve(subject, code)) == (4, 3, Rule.PUSAT_BIRUMAS_SAMPAI_IIID, None)


@pytest.mark.parametrize(("jenjang", "golongan"), [("PELAKSANA", "IV/a"), ("JF", "IV/c"), ("JF", "XIII")])
def test_row_birumas_from_iv_a(org, jenjang, golongan):
    subject = person(40, jenjang, jf_name="Arsiparis" if jenjang == "JF" else None, golongan=golongan)
    assert ids(org.resolve(subject, "SUBHUMAS")) == (3, 2, Rule.PUSAT_BIRUMAS_MULAI_IVA, None)


@pytest.mark.parametrize("code", ["DIT", "SEKSI", "HUMAS", "SUBHUMAS"])
def test_row_pranata_humas_pusat(org, code):
    subject = person(40, "JF", jf_name="Pranata Humas", golongan="III/a")
    expected = (3, 2) if code in ("HUMAS", "SUBHUMAS") else (11, 10)
    assert ids(org.resolve(subject, code)) == (*expected, Rule.PUSAT_PRANATA_HUMAS, None)


@pytest.mark.parametrize("code", ["PERW", "BIDANG", "SUBBID", "SEKRET", "SUBUMUM"])
@pytest.mark.parametrize("golongan", ["IV/a", "IV/e", "XIII", "XVII"])
def test_row_perwakilan_from_iv_a(org, code, golongan):
    subject = person(40, "JF", jf_name="Penyuluh KB", golongan=golongan)
    assert ids(org.resolve(subject, code)) == (30, 2, Rule.PERWAKILAN_MULAI_IVA, None)


@pytest.mark.parametrize("code", ["PERW", "BIDANG", "SUBBID", "SEKRET", "SUBUMUM"])
@pytest.mark.parametrize("golongan", ["I/a", "III/d", "IX", "XII"])
def test_row_perwakilan_up_to_iii_d_is_sekretaris_perwakilan(org, code, golongan):
    subject = person(40, "PELAKSANA", golongan=golongan)
    assert ids(org.resolve(subject, code)) == (31, 30, Rule.PERWAKILAN_SAMPAI_IIID, None)


# --- special cases -----------------------------------------------------------------------


def test_kepala_has_no_assessor(org):
    resolution = org.resolve(head_of("BKKBN"), "BKKBN")
    assert ids(resolution) == (None, None, Rule.KEPALA, None)


def test_head_of_tuwas_eselon_ii_follows_the_jpt_pratama_row(org):
    assert ids(org.resolve(head_of("ITWIL"), "ITWIL")) == (20, 1, Rule.JPT_PRATAMA, None)


def test_plt_of_a_vacant_post_assesses(org):
    org.heads["DIT"] = official(50, "ADMINISTRATOR", acting="PLT")
    resolution = org.resolve(person(40), "SEKSI")
    assert ids(resolution) == (50, 10, Rule.PUSAT_JF_PELAKSANA, None)
    assert resolution.assessor.acting == "PLT"


def test_plh_assesses_and_may_be_a_jf(org):
    org.heads["SUBDIT"] = official(51, "JF", acting="PLH")
    resolution = org.resolve(head_of("SEKSI"), "SEKSI")
    assert ids(resolution) == (51, 11, Rule.PENGAWAS, None)
    assert resolution.assessor.acting == "PLH"


def test_acting_superior(org):
    org.heads["DEPUTI"] = official(52, "JPT_PRATAMA", acting="PLT")
    resolution = org.resolve(person(40), "DIT")
    assert ids(resolution) == (11, 52, Rule.PUSAT_JF_PELAKSANA, None)


def test_choose_head_prefers_definitive_then_plt_then_plh():
    definitive = official(1, "ADMINISTRATOR")
    plt, plh = official(2, "JF", acting="PLT"), official(3, "PENGAWAS", acting="PLH")
    assert choose_head([definitive], [plh, plt]) == definitive
    assert choose_head([], [plh, plt]) == plt
    assert choose_head([], [plt, plh]) == plt
    assert choose_head([], [plh]) == plh
    assert choose_head([], []) is None


def test_choose_head_prefers_a_plt_over_a_definitive_head_who_may_not_assess():
    koordinator, plt = official(1, "JF"), official(2, "PELAKSANA", acting="PLT")
    assert choose_head([koordinator], [plt]) == plt
    assert choose_head([koordinator], []) == koordinator  # the walk skips him later


def test_choose_head_takes_the_first_eligible_definitive_head():
    jf, first, second = official(1, "JF"), official(2, "PENGAWAS"), official(3, "PENGAWAS")
    assert choose_head([jf, first, second], []) == first


def test_vacant_post_without_acting_is_a_problem_not_a_crash(org):
    org.heads["DIT"] = None
    resolution = org.resolve(person(40), "SEKSI")
    assert ids(resolution) == (None, 10, Rule.PUSAT_JF_PELAKSANA, Problem.VACANT)
    assert resolution.problem_label.startswith("Jabatan Pejabat Penilai kosong")


def test_vacant_sekretariat_in_perwakilan(org):
    org.heads["SEKRET"] = None
    assert ids(org.resolve(person(40), "BIDANG")) == (None, 30, Rule.PERWAKILAN_SAMPAI_IIID, Problem.VACANT)


def test_vacant_kepala_bkkbn(org):
    org.heads["BKKBN"] = None
    assert ids(org.resolve(head_of("DEPUTI"), "DEPUTI")) == (None, None, Rule.JPT_MADYA, Problem.VACANT)


def test_vacant_superior_post(org):
    org.heads["DEPUTI"] = None
    assert ids(org.resolve(person(40), "DIT")) == (11, None, Rule.PUSAT_JF_PELAKSANA, Problem.SUPERIOR_VACANT)


@pytest.mark.parametrize(("code", "expected"), [
    ("SEKSI", (13, 12)), ("SUBDIT", (12, 11)), ("DIT", (11, 10)), ("BIDANG", (33, 30)), ("PERW", (30, 2)),
])
def test_cpns_is_assessed_by_the_head_of_his_own_unit(org, code, expected):
    subject = person(40, "PELAKSANA", status="CPNS", golongan="III/a")
    assert ids(org.resolve(subject, code)) == (*expected, Rule.CPNS, None)


def test_cpns_in_birumas_and_perwakilan_ignore_the_golongan_rows(org):
    subject = person(40, "JF", status="CPNS", jf_name="Pranata Humas", golongan="III/a")
    assert ids(org.resolve(subject, "SUBHUMAS")) == (5, 4, Rule.CPNS, None)
    assert ids(org.resolve(subject, "SUBUMUM")) == (32, 31, Rule.CPNS, None)


def test_cpns_under_a_head_who_may_not_assess_goes_up(org):
    org.heads["SEKSI"] = official(60, "JF")
    subject = person(40, "PELAKSANA", status="CPNS", golongan="II/a")
    assert ids(org.resolve(subject, "SEKSI")) == (12, 11, Rule.CPNS, None)


def test_cpns_in_a_vacant_unit(org):
    org.heads["SEKSI"] = None
    assert ids(org.resolve(person(40, status="CPNS"), "SEKSI")) == (None, 12, Rule.CPNS, Problem.VACANT)


def test_override_wins_over_the_table(org):
    override = Override(official(70, "JPT_PRATAMA"), official(71, "JPT_MADYA"))
    resolution = org.resolve(person(40), "SEKSI", override)
    assert ids(resolution) == (70, 71, Rule.OVERRIDE, None)
    assert resolution.rule_label == "Pendelegasian yang dicatat Pengelola Kepegawaian"


def test_override_wins_over_a_vacancy(org):
    org.heads["DIT"] = None
    assert ids(org.resolve(person(40), "SEKSI", Override(official(70)))) == (70, 10, Rule.OVERRIDE, None)


def test_override_without_superior_keeps_the_tables_superior(org):
    assert ids(org.resolve(person(40), "SEKSI", Override(official(12)))) == (12, 10, Rule.OVERRIDE, None)


def test_override_without_superior_never_doubles_the_assessor(org):
    assert ids(org.resolve(person(40), "SEKSI", Override(official(10)))) == (10, None, Rule.OVERRIDE, None)


def test_override_naming_the_subject_himself_is_ignored(org):
    resolution = org.resolve(person(40), "SEKSI", Override(official(40), official(10)))
    assert ids(resolution) == (11, 10, Rule.PUSAT_JF_PELAKSANA, None)


def test_override_applies_to_kepala_too(org):
    assert ids(org.resolve(head_of("BKKBN"), "BKKBN", Override(official(2)))) == (2, None, Rule.OVERRIDE, None)


def test_minimum_level_skips_a_definitive_head_who_is_not_structural(org):
    org.heads["SUBDIT"] = official(60, "JF")  # a JF koordinator recorded as head
    # Pengawas: the Administrator post is held by a JF, so his JPT Pratama assesses and
    # the superior is the JPT Pratama's own superior
    assert ids(org.resolve(head_of("SEKSI"), "SEKSI")) == (11, 10, Rule.PENGAWAS, None)


def test_minimum_level_in_birumas(org):
    org.heads["HUMAS"] = official(60, "JF_UTAMA")
    subject = person(40, golongan="III/a")
    assert ids(org.resolve(subject, "SUBHUMAS")) == (3, 2, Rule.PUSAT_BIRUMAS_SAMPAI_IIID, None)


def test_minimum_level_applies_to_the_superior_too(org):
    org.heads["BIRUMAS"] = official(60, "PELAKSANA")
    subject = person(40, golongan="III/a")
    assert ids(org.resolve(subject, "SUBHUMAS")) == (4, 2, Rule.PUSAT_BIRUMAS_SAMPAI_IIID, None)


@pytest.mark.parametrize("jf_name", ["Pranata Humas", "pranata humas", "PRANATA  HUMAS Ahli Muda",
                                     "Pranata Hubungan Masyarakat Ahli Pertama"])
def test_pranata_humas_is_recognised(jf_name):
    assert is_pranata_humas(jf_name)


@pytest.mark.parametrize("jf_name", [None, "", "Pranata Komputer", "Humas", "Arsiparis"])
def test_other_jf_are_not_pranata_humas(jf_name):
    assert not is_pranata_humas(jf_name)


def test_pranata_humas_in_birumas_takes_its_own_row_even_up_to_iii_d(org):
    subject = person(40, "JF", jf_name="pranata humas ahli pertama", golongan="III/a")
    assert ids(org.resolve(subject, "SUBHUMAS")) == (3, 2, Rule.PUSAT_PRANATA_HUMAS, None)


def test_pranata_humas_in_tuwas_takes_its_own_row(org):
    subject = person(40, "JF", jf_name="Pranata Humas", golongan="III/a")
    assert ids(org.resolve(subject, "ITWIL")) == (21, 20, Rule.PUSAT_PRANATA_HUMAS, None)


def test_pranata_humas_in_perwakilan_follows_the_golongan_rows(org):
    subject = person(40, "JF", jf_name="Pranata Humas", golongan="III/a")
    assert ids(org.resolve(subject, "BIDANG")) == (31, 30, Rule.PERWAKILAN_SAMPAI_IIID, None)


def test_pranata_humas_row_needs_a_jf(org):
    subject = person(40, "PELAKSANA", jf_name="Pranata Humas", golongan="III/a")
    assert org.resolve(subject, "SUBHUMAS").rule == Rule.PUSAT_BIRUMAS_SAMPAI_IIID


@pytest.mark.parametrize(("golongan", "rule", "expected"), [
    ("XII", Rule.PUSAT_BIRUMAS_SAMPAI_IIID, (4, 3)),
    ("XIII", Rule.PUSAT_BIRUMAS_MULAI_IVA, (3, 2)),
])
def test_pppk_golongan_equivalence_in_birumas(org, golongan, rule, expected):
    subject = person(40, "JF", status="PPPK", jf_name="Arsiparis", golongan=golongan)
    assert ids(org.resolve(subject, "SUBHUMAS")) == (*expected, rule, None)


@pytest.mark.parametrize(("golongan", "rule", "expected"), [
    ("XII", Rule.PERWAKILAN_SAMPAI_IIID, (31, 30)),
    ("XIII", Rule.PERWAKILAN_MULAI_IVA, (30, 2)),
])
def test_pppk_golongan_equivalence_in_perwakilan(org, golongan, rule, expected):
    subject = person(40, "PPPK_PENYULUH_KB", status="PPPK", jf_name="Penyuluh KB", golongan=golongan)
    assert ids(org.resolve(subject, "SUBBID")) == (*expected, rule, None)


@pytest.mark.parametrize("jenjang", ["PLKB", "PPPK_PENYULUH_KB"])
@pytest.mark.parametrize(("code", "golongan", "rule", "expected"), [
    ("SUBBID", "III/b", Rule.PERWAKILAN_SAMPAI_IIID, (31, 30)),
    ("SUBBID", "IV/a", Rule.PERWAKILAN_MULAI_IVA, (30, 2)),
    ("SEKSI", "III/b", Rule.PUSAT_JF_PELAKSANA, (11, 10)),
    ("SUBTU", "III/b", Rule.PUSAT_TUWAS_JF_PELAKSANA, (22, 20)),
    ("SUBHUMAS", "III/b", Rule.PUSAT_BIRUMAS_SAMPAI_IIID, (4, 3)),
])
def test_plkb_and_pppk_penyuluh_follow_the_jf_pelaksana_rows_of_their_unit(org, jenjang, code, golongan, rule,
                                                                          expected):
    status = "PPPK" if jenjang == "PPPK_PENYULUH_KB" else "PNS"
    if status == "PPPK":
        golongan = {"III/b": "X", "IV/a": "XIII"}[golongan]
    subject = person(40, jenjang, status=status, golongan=golongan)
    assert ids(org.resolve(subject, code)) == (*expected, rule, None)


def test_plkb_without_golongan_counts_as_up_to_iii_d(org):
    assert ids(org.resolve(person(40, "PLKB", golongan=None), "SUBBID")) == (
        31, 30, Rule.PERWAKILAN_SAMPAI_IIID, None)


def test_unreadable_golongan_is_flagged(org):
    assert ids(org.resolve(person(40, golongan="III/z"), "SUBBID")) == (
        31, 30, Rule.PERWAKILAN_SAMPAI_IIID, Problem.BAD_GOLONGAN)


def test_unreadable_golongan_does_not_matter_where_no_row_uses_it(org):
    assert ids(org.resolve(person(40, golongan="??"), "SEKSI")) == (11, 10, Rule.PUSAT_JF_PELAKSANA, None)


# --- never his own assessor -----------------------------------------------------------------


def test_jf_acting_as_plt_of_his_own_directorate_goes_to_the_next_head(org):
    org.heads["DIT"] = official(40, "JF", acting="PLT")
    subject = person(40, "JF", jf_name="Analis Kebijakan")
    assert ids(org.resolve(subject, "SEKSI")) == (10, 1, Rule.PUSAT_JF_PELAKSANA, None)


def test_administrator_acting_as_plt_of_his_superiors_post(org):
    org.heads["DIT"] = official(12, "ADMINISTRATOR", acting="PLT")
    assert ids(org.resolve(head_of("SUBDIT"), "SUBDIT")) == (10, 1, Rule.ADMINISTRATOR, None)
    # his Pengawas: assessor is he (definitive Administrator); the superior cannot be he again
    assert ids(org.resolve(head_of("SEKSI"), "SEKSI")) == (12, 10, Rule.PENGAWAS, None)


def test_sekretaris_perwakilan_acting_for_himself_is_skipped(org):
    org.heads["SEKRET"] = official(40, "JF", acting="PLH")
    subject = person(40, "JF", jf_name="Penyuluh KB", golongan="III/c")
    assert ids(org.resolve(subject, "SUBUMUM")) == (30, 2, Rule.PERWAKILAN_SAMPAI_IIID, None)


def test_kepala_acting_for_a_vacant_jpt_madya_is_also_the_superior(org):
    org.heads["DEPUTI"] = official(1, "KEPALA", acting="PLT")
    assert ids(org.resolve(head_of("DIT"), "DIT")) == (1, 1, Rule.JPT_PRATAMA, None)


def test_plt_kepala_has_no_assessor_above_him(org):
    org.heads["BKKBN"] = official(10, "JPT_MADYA", acting="PLT")
    assert ids(org.resolve(head_of("DEPUTI"), "DEPUTI")) == (None, None, Rule.JPT_MADYA, Problem.NO_UNIT)


@pytest.mark.parametrize("code", list(UNITS))
def test_no_head_is_ever_his_own_assessor_or_superior(org, code):
    person_id, _ = HEADS[code]
    resolution = org.resolve(head_of(code), code)
    people = (resolution.assessor, resolution.assessor_superior)
    assert person_id not in {p.id for p in people if p is not None}


# --- missing units ----------------------------------------------------------------------------


def test_no_unit_of_the_needed_level(org):
    org.units["LOOSE"] = ("DIT", "ESELON_IV", "PUSAT", None)  # an eselon IV straight under eselon II
    org.heads["LOOSE"] = official(80, "PENGAWAS")
    subject = person(80, "PENGAWAS", is_head=True)
    assert ids(org.resolve(subject, "LOOSE")) == (None, 11, Rule.PENGAWAS, Problem.NO_UNIT)


def test_pengawas_in_tuwas_gets_the_next_head_as_superior(org):
    # no JPT Pratama above the TUWAS Bagian: the Administrator's own superior stands in
    assert ids(org.resolve(head_of("SUBTU"), "SUBTU")) == (22, 20, Rule.PENGAWAS, None)


@pytest.mark.parametrize(("code", "golongan", "expected"), [
    ("DEPUTI", "III/a", (10, 1, Rule.PUSAT_JF_PELAKSANA)),  # staff of a Deputi's office
    ("BIRUMAS", "III/a", (3, 2, Rule.PUSAT_BIRUMAS_SAMPAI_IIID)),  # staff straight in the Biro
    ("ITWIL", "III/a", (21, 20, Rule.PUSAT_TUWAS_JF_PELAKSANA)),  # TUWAS eselon II, no Bagian
    ("ITTAMA", "IV/a", (20, 1, Rule.PUSAT_TUWAS_JF_PELAKSANA)),
])
def test_staff_placed_above_the_level_their_row_names_get_their_atasan_langsung(org, code, golongan, expected):
    assert ids(org.resolve(person(40, golongan=golongan), code)) == (*expected, None)


def test_staff_above_the_named_level_in_a_vacant_unit(org):
    org.heads["BIRUMAS"] = None
    assert ids(org.resolve(person(40), "BIRUMAS")) == (None, 2, Rule.PUSAT_BIRUMAS_SAMPAI_IIID, Problem.VACANT)


def test_perwakilan_without_sekretariat(org):
    resolution = org.resolve(person(40), "BIDANG", sekretariat=None)
    assert ids(resolution) == (None, 30, Rule.PERWAKILAN_SAMPAI_IIID, Problem.NO_UNIT)


def test_perwakilan_without_sestama(org):
    assert ids(org.resolve(head_of("PERW"), "PERW", sestama=None)) == (
        None, 1, Rule.KEPALA_PERWAKILAN, Problem.NO_UNIT)


def test_empty_chain_is_no_unit():
    assert ids(resolve(person(40), [])) == (None, None, Rule.PUSAT_JF_PELAKSANA, Problem.NO_UNIT)


def test_unknown_jenjang_raises():
    with pytest.raises(ValueError):
        table_row(person(40, "HONORER"), "PUSAT", None)


# --- the Perwakilan's chain --------------------------------------------------------------------


def test_effective_chain_puts_sestama_between_perwakilan_and_root(org):
    chain = effective_chain(org.chain("SUBBID"), org.node("SESTAMA"))
    assert [n.code for n in chain] == ["SUBBID", "BIDANG", "PERW", "SESTAMA", "BKKBN"]


def test_effective_chain_of_pusat_is_unchanged(org):
    assert [n.code for n in effective_chain(org.chain("SEKSI"), org.node("SESTAMA"))] == [
        "SEKSI", "SUBDIT", "DIT", "DEPUTI", "BKKBN"]


def test_perwakilan_placed_under_an_eselon_i_still_answers_to_sestama(org):
    org.units["PERW"] = ("DEPUTI", "ESELON_II", "PERWAKILAN", None)
    assert ids(org.resolve(head_of("PERW"), "PERW")) == (2, 1, Rule.KEPALA_PERWAKILAN, None)
    assert [n.code for n in effective_chain(org.chain("BIDANG"), org.node("SESTAMA"))] == [
        "BIDANG", "PERW", "SESTAMA", "BKKBN"]


# --- labels ---------------------------------------------------------------------------------------


def test_every_rule_has_a_label():
    assert set(RULE_LABELS) == set(Rule)
    assert RULE_LABELS[Rule.PUSAT_BIRUMAS_SAMPAI_IIID] == (
        "JF (kecuali Pranata Humas) dan Pelaksana di BKKBN Pusat (Birumas) sampai golongan III/d")


def test_resolution_is_immutable(org):
    resolution = org.resolve(person(40), "SEKSI")
    with pytest.raises(AttributeError):
        resolution.rule = "X"  # type: ignore[misc]
    assert replace(resolution, problem=None) == resolution

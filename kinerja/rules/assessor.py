"""Who assesses whom: the Pejabat Penilai table of the decree (section I.D, DOMAIN.md §2.2).

Pure rules over plain values; the database adapter is ``kinerja.org.assessors``. The adapter
hands over the subject, the chain of his units (own unit first, up to the root) with each
unit's head already chosen for the date (``choose_head``), the Sestama unit and the
Sekretariat of the subject's Perwakilan. ``resolve`` picks the table row, finds the unit that
row names, and walks up from it to the first head who may assess. The choices the decree
leaves open are written down in ``docs/assessor-rules.md``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kinerja.rules.golongan import RANK_IV_A, golongan_rank
from kinerja.rules.vocabulary import STRUCTURAL, ActingKind, EmploymentStatus, Jenjang, Region, UnitKind, UnitLevel


class Rule(StrEnum):
    """The row of the table that decided a resolution (stable codes for the API and UI)."""

    KEPALA = "KEPALA"
    JPT_MADYA = "JPT_MADYA"
    JPT_PRATAMA = "JPT_PRATAMA"
    KEPALA_PERWAKILAN = "KEPALA_PERWAKILAN"
    JF_UTAMA = "JF_UTAMA"
    ADMINISTRATOR = "ADMINISTRATOR"
    ADMINISTRATOR_TUWAS = "ADMINISTRATOR_TUWAS"
    PENGAWAS = "PENGAWAS"
    PUSAT_JF_PELAKSANA = "PUSAT_JF_PELAKSANA"
    PUSAT_TUWAS_JF_PELAKSANA = "PUSAT_TUWAS_JF_PELAKSANA"
    PUSAT_BIRUMAS_SAMPAI_IIID = "PUSAT_BIRUMAS_SAMPAI_IIID"
    PUSAT_BIRUMAS_MULAI_IVA = "PUSAT_BIRUMAS_MULAI_IVA"
    PUSAT_PRANATA_HUMAS = "PUSAT_PRANATA_HUMAS"
    PERWAKILAN_MULAI_IVA = "PERWAKILAN_MULAI_IVA"
    PERWAKILAN_SAMPAI_IIID = "PERWAKILAN_SAMPAI_IIID"
    CPNS = "CPNS"
    OVERRIDE = "OVERRIDE"


RULE_LABELS: dict[str, str] = {
    Rule.KEPALA: "Kepala BKKBN (tidak dinilai di dalam sistem)",
    Rule.JPT_MADYA: "Pejabat Pimpinan Tinggi Madya",
    Rule.JPT_PRATAMA: "Pejabat Pimpinan Tinggi Pratama",
    Rule.KEPALA_PERWAKILAN: "Kepala Perwakilan BKKBN Provinsi",
    Rule.JF_UTAMA: "JF Utama",
    Rule.ADMINISTRATOR: "Pejabat Administrator (kecuali TUWAS)",
    Rule.ADMINISTRATOR_TUWAS: "Pejabat Administrator TUWAS",
    Rule.PENGAWAS: "Pejabat Pengawas",
    Rule.PUSAT_JF_PELAKSANA: "JF dan Pelaksana di BKKBN Pusat (kecuali Birumas dan TUWAS)",
    Rule.PUSAT_TUWAS_JF_PELAKSANA: "JF dan Pelaksana di BKKBN Pusat (TUWAS)",
    Rule.PUSAT_BIRUMAS_SAMPAI_IIID: (
        "JF (kecuali Pranata Humas) dan Pelaksana di BKKBN Pusat (Birumas) sampai golongan III/d"
    ),
    Rule.PUSAT_BIRUMAS_MULAI_IVA: "JF dan Pelaksana di BKKBN Pusat (Birumas) mulai golongan IV/a",
    Rule.PUSAT_PRANATA_HUMAS: "JF Pranata Humas di BKKBN Pusat",
    Rule.PERWAKILAN_MULAI_IVA: "JF dan Pelaksana di Perwakilan BKKBN Provinsi mulai golongan IV/a",
    Rule.PERWAKILAN_SAMPAI_IIID: "JF dan Pelaksana di Perwakilan BKKBN Provinsi sampai golongan III/d",
    Rule.CPNS: "Calon PNS: atasan langsung di unit kerja penempatan",
    Rule.OVERRIDE: "Pendelegasian yang dicatat Pengelola Kepegawaian",
}


class Problem(StrEnum):
    """Why a resolution is incomplete; HR sees these on the dashboard."""

    VACANT = "VACANT"  # the post that assesses is vacant and has no PLT/PLH
    NO_UNIT = "NO_UNIT"  # no unit of the needed level (or no eligible head) in the chain
    SUPERIOR_VACANT = "SUPERIOR_VACANT"  # assessor found; the post of his superior is vacant
    SUPERIOR_NO_UNIT = "SUPERIOR_NO_UNIT"  # assessor found; nobody above him to be the superior
    BAD_GOLONGAN = "BAD_GOLONGAN"  # golongan unreadable; the "up to III/d" row was used


PROBLEM_LABELS: dict[str, str] = {
    Problem.VACANT: "Jabatan Pejabat Penilai kosong dan tidak ada PLT/PLH",
    Problem.NO_UNIT: "Unit kerja Pejabat Penilai tidak ditemukan pada susunan organisasi",
    Problem.SUPERIOR_VACANT: "Jabatan Atasan Pejabat Penilai kosong dan tidak ada PLT/PLH",
    Problem.SUPERIOR_NO_UNIT: "Atasan Pejabat Penilai tidak ditemukan pada susunan organisasi",
    Problem.BAD_GOLONGAN: "Golongan tidak dikenal; dianggap sampai golongan III/d",
}

# Jenjang that follow the JF/Pelaksana rows of the unit they are placed in (DOMAIN.md §2.2).
JF_PELAKSANA = frozenset({Jenjang.JF, Jenjang.PELAKSANA, Jenjang.PLKB, Jenjang.PPPK_PENYULUH_KB})


@dataclass(frozen=True)
class Official:
    """The person filling a head post on the date; ``acting`` is None, "PLT" or "PLH".

    ``jenjang`` is the jenjang of the post he holds definitively (for a PLT/PLH: his own)."""

    id: int
    nip: str = ""
    name: str = ""
    jenjang: str | None = None
    acting: str | None = None

    @property
    def may_assess(self) -> bool:
        """Tell whether he may assess: a structural official, or anyone acting as PLT/PLH (I.D.1, I.D.3)."""
        return self.acting is not None or self.jenjang in STRUCTURAL


@dataclass(frozen=True)
class UnitNode:
    """A unit as the rules see it: effective region and kind, and its head on the date."""

    id: int
    code: str
    level: str
    region: str = Region.PUSAT
    kind: str | None = None
    head: Official | None = None


@dataclass(frozen=True)
class Subject:
    """The employee being assessed, with the position he holds on the date."""

    id: int
    nip: str
    status: str
    jenjang: str
    jf_name: str | None = None
    golongan: str | None = None
    is_head: bool = False


@dataclass(frozen=True)
class Override:
    """HR's delegation for the subject, valid on the date."""

    assessor: Official
    assessor_superior: Official | None = None


@dataclass(frozen=True)
class Resolution:
    """The engine's answer: assessor and his superior (None when unknown), the row, a problem."""

    assessor: Official | None
    assessor_superior: Official | None
    rule: str
    problem: str | None = None

    @property
    def rule_label(self) -> str:
        """Return the Bahasa Indonesia label of the row."""
        return RULE_LABELS.get(self.rule, self.rule)

    @property
    def problem_label(self) -> str | None:
        """Return the Bahasa Indonesia label of the problem, if any."""
        return PROBLEM_LABELS.get(self.problem, self.problem) if self.problem else None


def choose_head(definitive: Sequence[Official], acting: Sequence[Official]) -> Official | None:
    """Pick who fills a head post: a definitive head who may assess, else a PLT, else a PLH,
    else a definitive head who may not (the walk then skips him). Ties go to the first given."""
    for official in definitive:
        if official.may_assess:
            return official
    for kind in (ActingKind.PLT, ActingKind.PLH):
        for official in acting:
            if official.acting == kind:
                return official
    return definitive[0] if definitive else None


def is_pranata_humas(jf_name: str | None) -> bool:
    """Tell whether a JF name is Pranata Humas (any level, case and spacing forgiven)."""
    if not jf_name:
        return False
    name = " ".join(jf_name.lower().split())
    return "pranata humas" in name or "pranata hubungan masyarakat" in name


def table_row(subject: Subject, region: str, kind: str | None) -> tuple[Rule, bool]:
    """Return the table row for a subject placed in a unit of ``region`` and ``kind``, and
    whether his golongan could not be read (the "up to III/d" row is used then).

    :raise ValueError: for a jenjang the table does not know.
    """
    jenjang = subject.jenjang
    structural_rows = {
        Jenjang.KEPALA: Rule.KEPALA,
        Jenjang.JPT_MADYA: Rule.JPT_MADYA,
        Jenjang.JPT_PRATAMA: Rule.JPT_PRATAMA,
        Jenjang.KEPALA_PERWAKILAN: Rule.KEPALA_PERWAKILAN,
        Jenjang.JF_UTAMA: Rule.JF_UTAMA,
        Jenjang.PENGAWAS: Rule.PENGAWAS,
    }
    if jenjang in structural_rows:
        return structural_rows[jenjang], False
    if jenjang == Jenjang.ADMINISTRATOR:
        return (Rule.ADMINISTRATOR_TUWAS if kind == UnitKind.TUWAS else Rule.ADMINISTRATOR), False
    if jenjang not in JF_PELAKSANA:
        raise ValueError(f"jenjang tidak dikenal: {jenjang!r}")

    if region == Region.PERWAKILAN:
        senior, bad = _from_iv_a(subject.golongan)
        return (Rule.PERWAKILAN_MULAI_IVA if senior else Rule.PERWAKILAN_SAMPAI_IIID), bad
    if jenjang == Jenjang.JF and is_pranata_humas(subject.jf_name):
        return Rule.PUSAT_PRANATA_HUMAS, False
    if kind == UnitKind.TUWAS:
        return Rule.PUSAT_TUWAS_JF_PELAKSANA, False
    if kind == UnitKind.BIRUMAS:
        senior, bad = _from_iv_a(subject.golongan)
        return (Rule.PUSAT_BIRUMAS_MULAI_IVA if senior else Rule.PUSAT_BIRUMAS_SAMPAI_IIID), bad
    return Rule.PUSAT_JF_PELAKSANA, False


def _from_iv_a(golongan: str | None) -> tuple[bool, bool]:
    """Return (from IV/a, unreadable); a missing golongan counts as up to III/d, quietly."""
    if not golongan:
        return False, False
    try:
        return golongan_rank(golongan) >= RANK_IV_A, False
    except ValueError:
        return False, True


# --- posts: which unit of the chain a row names ---------------------------------------------

LEVEL_ORDER = {level: rank for rank, level in enumerate(UnitLevel)}  # BADAN 0 … ESELON_IV 4


@dataclass(frozen=True)
class Post:
    """A post the table names: the head of the nearest unit of ``level`` (and ``region``) in
    the chain. ``level`` None marks the posts found another way (see ``_locate``)."""

    name: str
    level: str | None = None
    region: str | None = None

    def matches(self, node: UnitNode) -> bool:
        """Tell whether a unit is the one this post heads."""
        return (self.level is not None and node.level == self.level
                and (self.region is None or node.region == self.region))


KEPALA_BKKBN = Post("Kepala BKKBN", UnitLevel.BADAN)
JPT_MADYA_ABOVE = Post("Pejabat Pimpinan Tinggi Madya", UnitLevel.ESELON_I)  # for a Perwakilan: the Sestama
JPT_PRATAMA_ABOVE = Post("Pejabat Pimpinan Tinggi Pratama", UnitLevel.ESELON_II)
ADMINISTRATOR_ABOVE = Post("Pejabat Administrator", UnitLevel.ESELON_III)
KEPALA_PERWAKILAN = Post("Kepala Perwakilan BKKBN Provinsi", UnitLevel.ESELON_II, Region.PERWAKILAN)
SEKRETARIS_PERWAKILAN = Post("Sekretaris Perwakilan")  # head of the Sekretariat unit, beside or above
ATASAN_LANGSUNG = Post("Atasan langsung")  # head of the subject's own unit (the one above, for a head)
NEXT_ABOVE = Post("Atasan berikutnya")  # names no level: the next head above the assessor

# row -> (Pejabat Penilai, Atasan Pejabat Penilai)
TABLE: dict[Rule, tuple[Post, Post]] = {
    Rule.JPT_MADYA: (KEPALA_BKKBN, KEPALA_BKKBN),
    Rule.JPT_PRATAMA: (JPT_MADYA_ABOVE, KEPALA_BKKBN),
    Rule.KEPALA_PERWAKILAN: (JPT_MADYA_ABOVE, KEPALA_BKKBN),
    Rule.JF_UTAMA: (JPT_MADYA_ABOVE, KEPALA_BKKBN),
    Rule.ADMINISTRATOR: (JPT_PRATAMA_ABOVE, JPT_MADYA_ABOVE),
    Rule.ADMINISTRATOR_TUWAS: (JPT_MADYA_ABOVE, KEPALA_BKKBN),
    Rule.PENGAWAS: (ADMINISTRATOR_ABOVE, JPT_PRATAMA_ABOVE),
    Rule.PUSAT_JF_PELAKSANA: (JPT_PRATAMA_ABOVE, JPT_MADYA_ABOVE),
    Rule.PUSAT_TUWAS_JF_PELAKSANA: (ADMINISTRATOR_ABOVE, JPT_MADYA_ABOVE),
    Rule.PUSAT_BIRUMAS_SAMPAI_IIID: (ADMINISTRATOR_ABOVE, JPT_PRATAMA_ABOVE),
    Rule.PUSAT_BIRUMAS_MULAI_IVA: (JPT_PRATAMA_ABOVE, JPT_MADYA_ABOVE),
    Rule.PUSAT_PRANATA_HUMAS: (JPT_PRATAMA_ABOVE, JPT_MADYA_ABOVE),
    Rule.PERWAKILAN_MULAI_IVA: (KEPALA_PERWAKILAN, JPT_MADYA_ABOVE),
    Rule.PERWAKILAN_SAMPAI_IIID: (SEKRETARIS_PERWAKILAN, KEPALA_PERWAKILAN),
    Rule.CPNS: (ATASAN_LANGSUNG, NEXT_ABOVE),
}


def effective_chain(chain: Sequence[UnitNode], sestama: UnitNode | None) -> list[UnitNode]:
    """Return the chain the rules walk: for a Perwakilan, its units up to the Perwakilan
    itself, then the Sestama (its "JPT Madya above", INTERFACES.md), then the root."""
    if not chain or chain[0].region != Region.PERWAKILAN:
        return list(chain)
    top = next((i for i, node in enumerate(chain) if KEPALA_PERWAKILAN.matches(node)), None)
    if top is None:
        top = max(i for i, node in enumerate(chain) if node.region == Region.PERWAKILAN)
    roots = [node for node in chain[top + 1:] if node.level == UnitLevel.BADAN]
    return [*chain[: top + 1], *([sestama] if sestama is not None else []), *roots]


def _walk(path: Sequence[UnitNode], index: int, exclude: set[int]) -> tuple[int, Official | None, Problem | None]:
    """From ``path[index]`` up, return the first head who may assess and is not excluded.

    A vacant post stops the walk (VACANT); running off the top gives NO_UNIT."""
    for i in range(index, len(path)):
        head = path[i].head
        if head is None:
            return i, None, Problem.VACANT
        if head.id in exclude or not head.may_assess:
            continue
        return i, head, None
    return len(path), None, Problem.NO_UNIT


def _locate(post: Post, path: list[UnitNode], start: int,
            sekretariat: UnitNode | None) -> tuple[list[UnitNode], int] | None:
    """Return the path to walk and the index of the unit a post heads, or None (NO_UNIT)."""
    if post == ATASAN_LANGSUNG:
        return (path, start) if start < len(path) else None
    if post == SEKRETARIS_PERWAKILAN:
        if sekretariat is None:
            return None
        for i, node in enumerate(path):
            if node.id == sekretariat.id:
                return path, i
        # a unit beside the subject's own: walk on from it to the Kepala Perwakilan
        top = next((i for i, node in enumerate(path) if KEPALA_PERWAKILAN.matches(node)), len(path))
        return [sekretariat, *path[top:]], 0
    for i in range(start, len(path)):
        if post.matches(path[i]):
            return path, i
    if post.level is not None and LEVEL_ORDER.get(path[0].level, 99) < LEVEL_ORDER[post.level]:
        # he sits above the level the row names (staff placed straight in a Biro, say):
        # the head of his own unit, his atasan langsung, assesses (decree I.D.1)
        return (path, start) if start < len(path) else None
    return None


def resolve(subject: Subject, chain: Sequence[UnitNode], sestama: UnitNode | None = None,
            sekretariat: UnitNode | None = None, override: Override | None = None) -> Resolution:
    """Resolve the Pejabat Penilai and the Atasan Pejabat Penilai of a subject on a date.

    :param chain: the subject's units, own unit first, up to the root, heads chosen for the date.
    :param sestama: the SESTAMA unit (the Sekretaris Utama is its head).
    :param sekretariat: the SEKRETARIAT_PERWAKILAN unit of the subject's Perwakilan.
    :param override: HR's delegation valid on the date; it wins over the table.
    :raise ValueError: for a jenjang the table does not know. Never for missing people.
    """
    table = _resolve_table(subject, chain, sestama, sekretariat)
    if override is None or override.assessor.id == subject.id:
        return table
    superior = override.assessor_superior
    if superior is None or superior.id == subject.id:
        # HR named only the assessor: keep the table's superior unless that is the same person
        superior = table.assessor_superior
        if superior is not None and superior.id == override.assessor.id:
            superior = None
    return Resolution(override.assessor, superior, Rule.OVERRIDE, None)


def _resolve_table(subject: Subject, chain: Sequence[UnitNode], sestama: UnitNode | None,
                   sekretariat: UnitNode | None) -> Resolution:
    """Resolve by the table alone (no override)."""
    if subject.jenjang == Jenjang.KEPALA:
        return Resolution(None, None, Rule.KEPALA)
    path = effective_chain(chain, sestama)
    if not path:
        return Resolution(None, None, Rule.CPNS if subject.status == EmploymentStatus.CPNS else
                          table_row(subject, Region.PUSAT, None)[0], Problem.NO_UNIT)
    bad_golongan = False
    if subject.status == EmploymentStatus.CPNS:
        rule = Rule.CPNS
    else:
        rule, bad_golongan = table_row(subject, path[0].region, path[0].kind)
    assessor_post, superior_post = TABLE[rule]
    # a head looks above his own unit; anyone else starts with the unit he sits in
    start = 1 if subject.is_head else 0
    exclude = {subject.id}

    located = _locate(assessor_post, path, start, sekretariat)
    if located is None:
        # still name the superior when the row's unit for him exists: it helps HR fix the gap
        superior, _ = _superior(path, start - 1, superior_post, exclude, None, fallback=False)
        return Resolution(None, superior, rule, Problem.NO_UNIT)
    walk_path, index = located
    at, assessor, problem = _walk(walk_path, index, exclude)
    if assessor is not None:
        exclude = exclude | {assessor.id}
    superior, superior_problem = _superior(walk_path, at, superior_post, exclude, assessor)
    if problem is None:
        problem = superior_problem
    if problem is None and bad_golongan:
        problem = Problem.BAD_GOLONGAN
    return Resolution(assessor, superior, rule, problem)


def _superior(path: Sequence[UnitNode], at: int, post: Post, exclude: set[int],
              assessor: Official | None, fallback: bool = True) -> tuple[Official | None, Problem | None]:
    """Find the Atasan Pejabat Penilai strictly above ``path[at]`` (the assessor's post).

    The unit the row names if it is above; else the next head above the assessor (he is the
    assessor's own superior); the Kepala BKKBN, who has nobody above, is his own superior."""
    above = at + 1
    if above >= len(path):
        return (assessor, None) if _heads_root(path, assessor) else (None, Problem.SUPERIOR_NO_UNIT)
    index = next((i for i in range(above, len(path)) if post.matches(path[i])), None)
    if index is None:
        if not fallback:
            return None, Problem.SUPERIOR_NO_UNIT
        index = above
    _, superior, problem = _walk(path, index, exclude)
    if superior is None and problem == Problem.NO_UNIT:
        if _heads_root(path, assessor):
            return assessor, None  # the Kepala acts for the post above: he is his own superior
        return None, Problem.SUPERIOR_NO_UNIT
    if problem == Problem.VACANT:
        return None, Problem.SUPERIOR_VACANT
    return superior, None


def _heads_root(path: Sequence[UnitNode], official: Official | None) -> bool:
    """Tell whether ``official`` heads the root (BADAN) at the top of the path."""
    if official is None or not path:
        return False
    top = path[-1]
    return top.level == UnitLevel.BADAN and top.head is not None and top.head.id == official.id

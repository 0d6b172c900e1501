"""Golongan (civil-service grade): parse, validate and compare PNS and PPPK grades.

Both scales are put on one ladder of 17 steps so that "up to III/d" and "from IV/a" (the
Pejabat Penilai table, DOMAIN.md §2.2) can be asked of anyone:

====  =====  =====  =====  =====  =====  =====  =====  =====
rank    1      2      3      4      5      6      7      8
PNS    I/a    I/b    I/c    I/d   II/a   II/b   II/c   II/d
PPPK    I     II     III    IV     V      VI    VII    VIII
====  =====  =====  =====  =====  =====  =====  =====  =====

====  =====  =====  =====  =====  =====  =====  =====  =====  =====
rank    9     10     11     12     13     14     15     16     17
PNS   III/a  III/b  III/c  III/d  IV/a   IV/b   IV/c   IV/d   IV/e
PPPK    IX     X     XI     XII   XIII   XIV    XV     XVI    XVII
====  =====  =====  =====  =====  =====  =====  =====  =====  =====

From IX upwards this is the equivalence DOMAIN.md gives (IX = III/a … XVII = IV/e). Below IX
the decree is silent; PPPK I–VIII are mapped one step each onto I/a–II/d, which matches the
entry grades of both scales (SD: I/a and I, SMA: II/a and V, D-III: II/c and VII). Only the
III/d | IV/a boundary matters to the rules, and every PPPK grade below IX is under it.
"""

import re

PNS_GOLONGAN: tuple[str, ...] = tuple(
    f"{room}/{letter}"
    for room, letters in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for letter in letters
)
PPPK_GOLONGAN: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)

_PNS_RANK = {g: rank for rank, g in enumerate(PNS_GOLONGAN, start=1)}
_PPPK_RANK = {g: rank for rank, g in enumerate(PPPK_GOLONGAN, start=1)}

RANK_III_D = _PNS_RANK["III/d"]
RANK_IV_A = _PNS_RANK["IV/a"]

_PNS_PATTERN = re.compile(r"^(IV|III|II|I)\s*/\s*([A-E])$")


def _normalize(golongan: str) -> tuple[str, str] | None:
    """Return ``(scale, canonical spelling)`` of a golongan, or None when it is neither."""
    text = golongan.strip().upper() if isinstance(golongan, str) else ""
    match = _PNS_PATTERN.match(text)
    if match:
        canonical = f"{match.group(1)}/{match.group(2).lower()}"
        return ("PNS", canonical) if canonical in _PNS_RANK else None
    if text in _PPPK_RANK:
        return "PPPK", text
    return None


def normalize_golongan(golongan: str) -> str:
    """Return the canonical spelling (``III/d``, ``XII``) of a golongan.

    :raise ValueError: when it is not a PNS or PPPK golongan.
    """
    parsed = _normalize(golongan)
    if parsed is None:
        raise ValueError(f"golongan tidak dikenal: {golongan!r}")
    return parsed[1]


def golongan_rank(golongan: str) -> int:
    """Return the golongan's step (1–17) on the common ladder; PPPK IX ranks as III/a.

    :raise ValueError: when it is not a PNS or PPPK golongan.
    """
    parsed = _normalize(golongan)
    if parsed is None:
        raise ValueError(f"golongan tidak dikenal: {golongan!r}")
    scale, canonical = parsed
    return _PNS_RANK[canonical] if scale == "PNS" else _PPPK_RANK[canonical]


def is_valid_golongan(golongan: str | None, status: str) -> bool:
    """Tell whether a golongan is spelled right for the status: I/a–IV/e for PNS and CPNS,
    I–XVII for PPPK. Case and spaces around the slash are forgiven; empty is not valid."""
    if not golongan:
        return False
    parsed = _normalize(golongan)
    if parsed is None:
        return False
    scale = parsed[0]
    if status in ("PNS", "CPNS"):
        return scale == "PNS"
    if status == "PPPK":
        return scale == "PPPK"
    return False


def at_most_iii_d(golongan: str) -> bool:
    """Tell whether a golongan is III/d or lower (PPPK XII or lower).

    :raise ValueError: when it is not a PNS or PPPK golongan.
    """
    return golongan_rank(golongan) <= RANK_III_D


def from_iv_a(golongan: str) -> bool:
    """Tell whether a golongan is IV/a or higher (PPPK XIII or higher).

    :raise ValueError: when it is not a PNS or PPPK golongan.
    """
    return golongan_rank(golongan) >= RANK_IV_A


def compare_golongan(a: str, b: str) -> int:
    """Return -1, 0 or 1 as golongan ``a`` ranks below, equal to or above ``b``.

    :raise ValueError: when either is not a PNS or PPPK golongan.
    """
    ra, rb = golongan_rank(a), golongan_rank(b)
    return (ra > rb) - (ra < rb)

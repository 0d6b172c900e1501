"""Golongan ladder: every PNS and PPPK grade, the III/d | IV/a boundary, validation per status."""

import pytest

from kinerja.rules.golongan import (
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    at_most_iii_d,
    compare_golongan,
    from_iv_a,
    golongan_rank,
    is_valid_golongan,
    normalize_golongan,
)

PNS_RANKS = [
    ("I/a", 1), ("I/b", 2), ("I/c", 3), ("I/d", 4),
    ("II/a", 5), ("II/b", 6), ("II/c", 7), ("II/d", 8),
    ("III/a", 9), ("III/b", 10), ("III/c", 11), ("III/d", 12),
    ("IV/a", 13), ("IV/b", 14), ("IV/c", 15), ("IV/d", 16), ("IV/e", 17),
]
PPPK_RANKS = [
    ("I", 1), ("II", 2), ("III", 3), ("IV", 4), ("V", 5), ("VI", 6), ("VII", 7), ("VIII", 8),
    ("IX", 9), ("X", 10), ("XI", 11), ("XII", 12), ("XIII", 13), ("XIV", 14), ("XV", 15), ("XVI", 16),
    ("XVII", 17),
]
EQUIVALENT = [
    ("IX", "III/a"), ("X", "III/b"), ("XI", "III/c"), ("XII", "III/d"),
    ("XIII", "IV/a"), ("XIV", "IV/b"), ("XV", "IV/c"), ("XVI", "IV/d"), ("XVII", "IV/e"),
    ("I", "I/a"), ("V", "II/a"), ("VII", "II/c"), ("VIII", "II/d"),
]


@pytest.mark.parametrize(("golongan", "rank"), PNS_RANKS)
def test_pns_rank(golongan, rank):
    assert golongan_rank(golongan) == rank


@pytest.mark.parametrize(("golongan", "rank"), PPPK_RANKS)
def test_pppk_rank(golongan, rank):
    assert golongan_rank(golongan) == rank


def test_the_scales_are_complete_and_ordered():
    assert list(PNS_GOLONGAN) == [g for g, _ in PNS_RANKS]
    assert list(PPPK_GOLONGAN) == [g for g, _ in PPPK_RANKS]


@pytest.mark.parametrize(("pppk", "pns"), EQUIVALENT)
def test_pppk_equivalence(pppk, pns):
    assert golongan_rank(pppk) == golongan_rank(pns)
    assert compare_golongan(pppk, pns) == 0


@pytest.mark.parametrize(("golongan", "rank"), PNS_RANKS + PPPK_RANKS)
def test_boundary_iii_d_iv_a(golongan, rank):
    assert at_most_iii_d(golongan) is (rank <= 12)
    assert from_iv_a(golongan) is (rank >= 13)
    assert at_most_iii_d(golongan) is not from_iv_a(golongan)


def test_xii_is_up_to_iii_d_and_xiii_is_from_iv_a():
    assert at_most_iii_d("XII") and not from_iv_a("XII")
    assert from_iv_a("XIII") and not at_most_iii_d("XIII")


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("III/d", "IV/a", -1), ("IV/a", "III/d", 1), ("II/d", "III/a", -1), ("IV/e", "XVII", 0), ("VIII", "IX", -1),
])
def test_compare(a, b, expected):
    assert compare_golongan(a, b) == expected


@pytest.mark.parametrize(("raw", "canonical"), [
    ("iii/d", "III/d"), (" III / D ", "III/d"), ("IV/A", "IV/a"), ("xii", "XII"), (" XVII ", "XVII"),
])
def test_spelling_is_forgiven(raw, canonical):
    assert normalize_golongan(raw) == canonical
    assert golongan_rank(raw) == golongan_rank(canonical)


@pytest.mark.parametrize("bad", ["", "III/f", "I/e", "V/a", "XVIII", "0", "IIII", "III-d", "IV/ab", None, 12])
def test_unknown_golongan_raises(bad):
    with pytest.raises(ValueError):
        golongan_rank(bad)
    with pytest.raises(ValueError):
        at_most_iii_d(bad)
    with pytest.raises(ValueError):
        from_iv_a(bad)
    with pytest.raises(ValueError):
        normalize_golongan(bad)


@pytest.mark.parametrize("golongan", [g for g, _ in PNS_RANKS])
def test_pns_golongan_valid_for_pns_and_cpns_only(golongan):
    assert is_valid_golongan(golongan, "PNS")
    assert is_valid_golongan(golongan, "CPNS")
    assert not is_valid_golongan(golongan, "PPPK")


@pytest.mark.parametrize("golongan", [g for g, _ in PPPK_RANKS])
def test_pppk_golongan_valid_for_pppk_only(golongan):
    assert is_valid_golongan(golongan, "PPPK")
    assert not is_valid_golongan(golongan, "PNS")
    assert not is_valid_golongan(golongan, "CPNS")


@pytest.mark.parametrize(("golongan", "status"), [
    ("", "PNS"), (None, "PPPK"), ("III/f", "PNS"), ("XVIII", "PPPK"), ("III/a", "HONORER"), ("IX", ""),
])
def test_invalid_golongan(golongan, status):
    assert not is_valid_golongan(golongan, status)

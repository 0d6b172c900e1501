"""The seven BerAKHLAK core values of ASN with their standard behaviour indicators.

Reference data from Surat Edaran Menteri PANRB Nomor 20 Tahun 2021 tentang Implementasi Core
Values dan Employer Branding ASN (panduan perilaku). Every SKP carries one ``SkpPerilaku`` row
per value; the assessor may add an "ekspektasi khusus pimpinan" to each (DOMAIN.md §5.4).
The keys are the words stored in ``SkpPerilaku.value``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CoreValue:
    """One BerAKHLAK value: its code, name, one-line definition and three indicators."""

    code: str
    name: str
    definition: str
    indicators: tuple[str, str, str]


CORE_VALUES: tuple[CoreValue, ...] = (
    CoreValue(
        "BERORIENTASI_PELAYANAN", "Berorientasi Pelayanan",
        "Komitmen memberikan pelayanan prima demi kepuasan masyarakat.",
        (
            "Memahami dan memenuhi kebutuhan masyarakat.",
            "Ramah, cekatan, solutif, dan dapat diandalkan.",
            "Melakukan perbaikan tiada henti.",
        ),
    ),
    CoreValue(
        "AKUNTABEL", "Akuntabel",
        "Bertanggung jawab atas kepercayaan yang diberikan.",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi.",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien.",
            "Tidak menyalahgunakan kewenangan jabatan.",
        ),
    ),
    CoreValue(
        "KOMPETEN", "Kompeten",
        "Terus belajar dan mengembangkan kapabilitas.",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah.",
            "Membantu orang lain belajar.",
            "Melaksanakan tugas dengan kualitas terbaik.",
        ),
    ),
    CoreValue(
        "HARMONIS", "Harmonis",
        "Saling peduli dan menghargai perbedaan.",
        (
            "Menghargai setiap orang apa pun latar belakangnya.",
            "Suka menolong orang lain.",
            "Membangun lingkungan kerja yang kondusif.",
        ),
    ),
    CoreValue(
        "LOYAL", "Loyal",
        "Berdedikasi dan mengutamakan kepentingan Bangsa dan Negara.",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah.",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara.",
            "Menjaga rahasia jabatan dan negara.",
        ),
    ),
    CoreValue(
        "ADAPTIF", "Adaptif",
        "Terus berinovasi dan antusias dalam menggerakkan ataupun menghadapi perubahan.",
        (
            "Cepat menyesuaikan diri menghadapi perubahan.",
            "Terus berinovasi dan mengembangkan kreativitas.",
            "Bertindak proaktif.",
        ),
    ),
    CoreValue(
        "KOLABORATIF", "Kolaboratif",
        "Membangun kerja sama yang sinergis.",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi.",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah.",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama.",
        ),
    ),
)

BY_CODE: dict[str, CoreValue] = {value.code: value for value in CORE_VALUES}
CODES: tuple[str, ...] = tuple(value.code for value in CORE_VALUES)
LABELS: dict[str, str] = {value.code: value.name for value in CORE_VALUES}


def core_value(code: str) -> CoreValue:
    """Return the core value of a code; ``KeyError`` for an unknown one."""
    return BY_CODE[code]

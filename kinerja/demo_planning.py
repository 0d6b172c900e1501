"""Planning content of the demo (docs/demo.md, "Perencanaan"): the signed Perjanjian Kinerja of the
current year from Kepala BKKBN down to the eselon III units, and an SKP cascaded from it for every
demo employee.

Everything goes through the real services (``kinerja.planning.pk`` and ``kinerja.planning.skp``)
with the people who would do it: the planning officer drafts every PK, the head and his superior
sign it; each employee drafts and submits his own SKP, his Pejabat Penilai (the PLT where the post
is held by one) records the dialog kinerja, states the ekspektasi khusus and approves it.

Both steps are idempotent: a unit that has a PK of the year, or an employee who has a current SKP
of the year, is left alone, so a second ``seed-demo`` writes nothing.

On purpose not everybody ends APPROVED (``PENDING``): two SKPs wait in an assessor's queue, one
was returned with a reason, and the employee of the vacant Sekretariat Perwakilan Papua has no
Pejabat Penilai, so his SKP stays a draft.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from kinerja import clock
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.org.relations import resolve
from kinerja.planning import pk as pk_services
from kinerja.planning import skp as skp_services
from kinerja.planning.models import Iku, RencanaAksi, RencanaHasilKerja, Skp
from kinerja.planning.pk_queries import current_pk, latest_pk
from kinerja.planning.skp_queries import approval_queue_count, current_skp
from kinerja.rules.trajectory import expected_periods

if TYPE_CHECKING:  # kinerja.demo imports this module
    from kinerja.demo import Demo


# --- Perjanjian Kinerja ------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionSpec:
    """A rencana aksi, inisiatif strategis or mitigasi risiko of an IKU; ``month`` ``"MM"`` or None."""

    kind: str
    description: str
    month: str | None = None


@dataclass(frozen=True)
class IkuSpec:
    """A demo IKU; ``parent`` is the code of the IKU it supports in the PK of the unit above, ``start``
    the baseline a cumulative trajectory starts from."""

    code: str
    name: str
    polarity: str
    weight: float
    unit: str
    target: float
    consolidation: str
    aggregation: str = "KUMULATIF"
    target_kind: str = "OUTCOME"
    parent: str | None = None
    start: float | None = None
    actions: tuple[ActionSpec, ...] = ()


@dataclass(frozen=True)
class SasaranSpec:
    name: str
    iku: tuple[IkuSpec, ...]


@dataclass(frozen=True)
class PkSpec:
    """The PK of one unit: SS with IKU, budget lines (program, kegiatan, rupiah), penugasan, the
    leadership's expectation."""

    unit: str
    sasaran: tuple[SasaranSpec, ...]
    anggaran: tuple[tuple[str, str, int], ...]
    satker: str
    ekspektasi: str
    penugasan: tuple[str, ...] = ()


PROGRAM_BANGGA = "Program Pembangunan Keluarga, Kependudukan, dan Keluarga Berencana"
PROGRAM_DUKMAN = "Program Dukungan Manajemen"

RA, IS, MR = "RENCANA_AKSI", "INISIATIF_STRATEGIS", "MITIGASI_RISIKO"

# Top-down: each PK after the PK of the unit above it (its IKU link to that one's codes).
PK_SPECS: tuple[PkSpec, ...] = (
    PkSpec(
        "BKKBN",
        (
            SasaranSpec("Menurunnya angka kelahiran total dan meningkatnya kualitas keluarga", (
                IkuSpec("BKKBN-01", "Angka kelahiran total (Total Fertility Rate/TFR)", "MIN", 30,
                        "anak per wanita", 2.10, "SEMESTER", start=2.14, actions=(
                            ActionSpec(RA, "Pelayanan KB serentak satu juta akseptor pada Hari Keluarga Nasional",
                                       "06"),
                            ActionSpec(IS, "Penguatan pelayanan KB pascapersalinan di seluruh fasilitas kesehatan "
                                           "rujukan"),
                            ActionSpec(MR, "Risiko kekosongan alat dan obat kontrasepsi di fasilitas kesehatan: "
                                           "pemantauan stok bulanan dan distribusi ulang antarprovinsi"),
                        )),
                IkuSpec("BKKBN-02", "Persentase pasangan usia subur (PUS) yang ber-KB modern (mCPR)", "MAX", 25,
                        "persen", 63.41, "QUARTERLY", start=61.81, actions=(
                            ActionSpec(RA, "Pemutakhiran data PUS dan sasaran pelayanan KB hasil Pendataan "
                                           "Keluarga", "03"),
                        )),
                IkuSpec("BKKBN-03", "Prevalensi stunting pada balita", "MIN", 25, "persen", 14.0, "YEARLY",
                        actions=(
                            ActionSpec(RA, "Pendampingan keluarga berisiko stunting oleh Tim Pendamping Keluarga",
                                       "12"),
                            ActionSpec(MR, "Risiko data keluarga berisiko stunting tidak mutakhir: verifikasi dan "
                                           "validasi semesteran bersama pemerintah daerah"),
                        )),
            )),
            SasaranSpec("Terwujudnya tata kelola BKKBN yang akuntabel dan berorientasi hasil", (
                IkuSpec("BKKBN-04", "Indeks Reformasi Birokrasi BKKBN", "MAX", 20, "indeks", 80.0, "YEARLY",
                        aggregation="NILAI_AKHIR", actions=(
                            ActionSpec(IS, "Penerapan manajemen kinerja berbasis aplikasi dari Perjanjian Kinerja "
                                           "sampai SKP dan visum harian"),
                        )),
            )),
        ),
        (
            (PROGRAM_BANGGA, "Pelayanan Keluarga Berencana dan Kesehatan Reproduksi", 1_250_000_000_000),
            (PROGRAM_BANGGA, "Percepatan penurunan stunting melalui pendampingan keluarga", 820_000_000_000),
            (PROGRAM_DUKMAN, "Dukungan manajemen dan pelaksanaan tugas teknis lainnya BKKBN", 1_480_000_000_000),
        ),
        "690001",
        "Menurunkan TFR ke tingkat penggantian dan mempercepat penurunan stunting sesuai RPJMN.",
        ("Ketua Pelaksana Tim Percepatan Penurunan Stunting Pusat (Peraturan Presiden Nomor 72 Tahun 2021)",),
    ),
    # --- eselon I -------------------------------------------------------------------------------
    PkSpec(
        "SESTAMA",
        (
            SasaranSpec("Meningkatnya kualitas tata kelola dan dukungan manajemen BKKBN", (
                IkuSpec("SES-01", "Nilai Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) BKKBN", "MAX", 40,
                        "nilai", 80.5, "YEARLY", aggregation="NILAI_AKHIR", parent="BKKBN-04", actions=(
                            ActionSpec(RA, "Penyusunan dan penyampaian Laporan Kinerja BKKBN", "02"),
                        )),
                IkuSpec("SES-02", "Nilai Indeks Profesionalitas ASN BKKBN", "MAX", 30, "indeks", 80.0, "SEMESTER",
                        start=76.0, parent="BKKBN-04"),
                IkuSpec("SES-03", "Persentase realisasi anggaran BKKBN", "MAX", 30, "persen", 96.0, "MONTHLY",
                        parent="BKKBN-04", actions=(
                            ActionSpec(MR, "Risiko penumpukan realisasi di akhir tahun: rencana penarikan dana "
                                           "bulanan per satker dan rapat evaluasi triwulanan"),
                        )),
            )),
        ),
        ((PROGRAM_DUKMAN, "Dukungan manajemen dan pelaksanaan tugas teknis lainnya Sekretariat Utama",
          312_500_000_000),),
        "690001",
        "Opini WTP dipertahankan, nilai SAKIP naik ke predikat A, realisasi anggaran merata sepanjang tahun.",
    ),
    PkSpec(
        "DEPUTI-KBKR",
        (
            SasaranSpec("Meningkatnya kesertaan ber-KB modern dan kesehatan reproduksi", (
                IkuSpec("KBKR-01", "Persentase PUS yang ber-KB modern (mCPR)", "MAX", 35, "persen", 63.41,
                        "QUARTERLY", start=61.81, parent="BKKBN-02", actions=(
                            ActionSpec(RA, "Bakti Sosial Pelayanan KB serentak di 514 kabupaten/kota", "06"),
                        )),
                IkuSpec("KBKR-02", "Persentase kebutuhan ber-KB yang tidak terpenuhi (unmet need)", "MIN", 35,
                        "persen", 7.4, "SEMESTER", start=8.0, parent="BKKBN-01"),
                IkuSpec("KBKR-03", "Angka kelahiran remaja umur 15–19 tahun (ASFR 15–19)", "MIN", 30,
                        "per 1.000 perempuan", 18.0, "YEARLY", parent="BKKBN-01"),
            )),
        ),
        ((PROGRAM_BANGGA, "Pelayanan Keluarga Berencana dan Kesehatan Reproduksi", 945_000_000_000),),
        "690001",
        "mCPR naik sesuai target nasional tanpa kekosongan alat kontrasepsi di fasilitas kesehatan.",
    ),
    PkSpec(
        "ITTAMA",
        (
            SasaranSpec("Meningkatnya efektivitas pengawasan intern BKKBN", (
                IkuSpec("ITT-01", "Tingkat maturitas Sistem Pengendalian Intern Pemerintah (SPIP) BKKBN", "MAX", 40,
                        "level", 3.6, "YEARLY", aggregation="NILAI_AKHIR", parent="BKKBN-04"),
                IkuSpec("ITT-02", "Level kapabilitas Aparat Pengawasan Intern Pemerintah (APIP)", "MAX", 30, "level",
                        3.0, "YEARLY", aggregation="NILAI_AKHIR", parent="BKKBN-04"),
                IkuSpec("ITT-03", "Persentase rekomendasi hasil pengawasan yang ditindaklanjuti", "MAX", 30,
                        "persen", 90.0, "QUARTERLY", start=70.0, parent="BKKBN-04", actions=(
                            ActionSpec(RA, "Pemutakhiran tindak lanjut hasil pemeriksaan BPK dan APIP bersama "
                                           "satker", "06"),
                        )),
            )),
        ),
        ((PROGRAM_DUKMAN, "Pengawasan dan peningkatan akuntabilitas aparatur BKKBN", 38_750_000_000),),
        "690001",
        "Pengawasan berbasis risiko; tindak lanjut rekomendasi BPK tuntas sebelum pemeriksaan berikutnya.",
    ),
    # --- eselon II ------------------------------------------------------------------------------
    PkSpec(
        "BIRUMAS",
        (
            SasaranSpec("Meningkatnya kualitas layanan umum dan citra positif BKKBN", (
                IkuSpec("UMH-01", "Indeks kepuasan pengguna layanan Biro Umum dan Hubungan Masyarakat", "MAX", 35,
                        "skala 4", 3.5, "SEMESTER", aggregation="RATA_RATA", parent="SES-01"),
                IkuSpec("UMH-02", "Persentase pemberitaan positif tentang Program Bangga Kencana", "MAX", 40,
                        "persen", 85.0, "MONTHLY", aggregation="RATA_RATA", parent="SES-01", actions=(
                            ActionSpec(RA, "Kampanye nasional Hari Keluarga Nasional di media massa dan media "
                                           "sosial", "06"),
                            ActionSpec(MR, "Risiko isu negatif layanan KB viral: tim respons isu dan siaran pers "
                                           "dalam 1×24 jam"),
                        )),
                IkuSpec("UMH-03", "Persentase realisasi anggaran Biro Umum dan Hubungan Masyarakat", "MAX", 25,
                        "persen", 96.0, "MONTHLY", parent="SES-03"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Pelayanan umum, kehumasan dan kerumahtanggaan", 96_400_000_000),),
        "690001",
        "Layanan umum cepat dan ramah; kehumasan proaktif mengangkat capaian Bangga Kencana.",
    ),
    PkSpec(
        "BIRO-SDM",
        (
            SasaranSpec("Meningkatnya profesionalitas dan kompetensi ASN BKKBN", (
                IkuSpec("SDM-01", "Nilai Indeks Profesionalitas ASN BKKBN", "MAX", 50, "indeks", 80.0, "SEMESTER",
                        start=76.0, parent="SES-02"),
                IkuSpec("SDM-02", "Persentase pegawai yang mengikuti pengembangan kompetensi minimal 20 JP", "MAX",
                        30, "persen", 90.0, "QUARTERLY", parent="SES-02", actions=(
                            ActionSpec(RA, "Pelatihan manajemen kinerja bagi Pejabat Penilai di pusat dan "
                                           "perwakilan", "04"),
                        )),
                IkuSpec("SDM-03", "Rasio keterisian jabatan struktural dan fungsional", "STABIL", 20, "persen", 95.0,
                        "YEARLY", aggregation="NILAI_AKHIR", target_kind="OUTCOME_ANTARA", parent="SES-02"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Pengelolaan sumber daya manusia aparatur BKKBN", 54_200_000_000),),
        "690001",
        "Manajemen talenta berjalan; jabatan kosong segera diisi atau ditunjuk PLT/PLH.",
    ),
    PkSpec(
        "BIRO-RENCANA",
        (
            SasaranSpec("Meningkatnya kualitas perencanaan kinerja dan anggaran BKKBN", (
                IkuSpec("REN-01", "Nilai komponen perencanaan kinerja dalam evaluasi SAKIP BKKBN", "MAX", 50,
                        "nilai", 27.0, "YEARLY", aggregation="NILAI_AKHIR", parent="SES-01", actions=(
                            ActionSpec(RA, "Penyusunan Perjanjian Kinerja seluruh unit kerja dan penjenjangannya",
                                       "02"),
                        )),
                IkuSpec("REN-02", "Persentase kesesuaian Rencana Kerja dengan RKA-K/L BKKBN", "STABIL", 50, "persen",
                        100.0, "SEMESTER", aggregation="NILAI_AKHIR", target_kind="OUTPUT", parent="SES-03"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Perencanaan program, anggaran dan evaluasi kinerja BKKBN", 21_300_000_000),),
        "690001",
        "PK seluruh unit ditandatangani paling lambat akhir Februari dan selaras dengan Renstra.",
    ),
    PkSpec(
        "DIT-KESPRO",
        (
            SasaranSpec("Meningkatnya akses dan kualitas pelayanan kesehatan reproduksi", (
                IkuSpec("KSR-01", "Persentase remaja yang memahami kesehatan reproduksi", "MAX", 40, "persen", 55.0,
                        "QUARTERLY", start=50.0, parent="KBKR-03", actions=(
                            ActionSpec(RA, "Orientasi pendidik sebaya dan konselor sebaya Generasi Berencana (GenRe) "
                                           "di 38 provinsi", "05"),
                            ActionSpec(RA, "Pembinaan dan penilaian Pusat Informasi dan Konseling (PIK) Remaja "
                                           "tahap tegar", "09"),
                            ActionSpec(IS, "Integrasi materi kesehatan reproduksi remaja ke kurikulum sekolah "
                                           "bersama Kemendikdasmen"),
                        )),
                IkuSpec("KSR-02", "Jumlah fasilitas kesehatan yang melayani KB pascapersalinan", "MAX", 30,
                        "fasilitas kesehatan", 12000, "QUARTERLY", target_kind="OUTPUT", start=9000,
                        parent="KBKR-01"),
                IkuSpec("KSR-03", "Persentase kehamilan yang tidak diinginkan", "MIN", 30, "persen", 14.5, "SEMESTER",
                        start=15.5, parent="KBKR-02"),
            )),
        ),
        ((PROGRAM_BANGGA, "Kesehatan reproduksi dan KB pascapersalinan", 186_000_000_000),),
        "690001",
        "PIK Remaja aktif di setiap kecamatan; KB pascapersalinan tersedia di seluruh rumah sakit rujukan.",
    ),
    PkSpec(
        "ITTAMA-WIL1",
        (
            SasaranSpec("Meningkatnya kualitas pengawasan satuan kerja Wilayah I", (
                IkuSpec("IW1-01", "Jumlah laporan hasil audit kinerja satuan kerja Wilayah I", "MAX", 40, "laporan",
                        24, "MONTHLY", aggregation="JUMLAH", target_kind="OUTPUT", parent="ITT-03"),
                IkuSpec("IW1-02", "Persentase rekomendasi hasil audit Wilayah I yang ditindaklanjuti", "MAX", 30,
                        "persen", 90.0, "QUARTERLY", start=70.0, parent="ITT-03"),
                IkuSpec("IW1-03", "Nilai maturitas SPIP satuan kerja Wilayah I", "MAX", 30, "level", 3.5, "YEARLY",
                        aggregation="NILAI_AKHIR", parent="ITT-01"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Audit kinerja dan reviu satuan kerja Wilayah I", 6_900_000_000),),
        "690001",
        "Setiap satker Wilayah I diaudit sekali setahun dengan laporan tepat waktu.",
    ),
    # a Perwakilan sits under the root: its PK cascades from (and is signed with) Kepala BKKBN
    PkSpec(
        "PERWAKILAN-SULSEL",
        (
            SasaranSpec("Meningkatnya kesertaan ber-KB dan menurunnya stunting di Provinsi Sulawesi Selatan", (
                IkuSpec("SLS-01", "Angka kelahiran total (TFR) Provinsi Sulawesi Selatan", "MIN", 30,
                        "anak per wanita", 2.20, "SEMESTER", start=2.25, parent="BKKBN-01"),
                IkuSpec("SLS-02", "Persentase PUS yang ber-KB modern (mCPR) Provinsi Sulawesi Selatan", "MAX", 30,
                        "persen", 60.5, "QUARTERLY", start=58.9, parent="BKKBN-02", actions=(
                            ActionSpec(RA, "Pelayanan KB bergerak di kabupaten kepulauan (Pangkajene dan "
                                           "Kepulauan, Selayar)", "07"),
                        )),
                IkuSpec("SLS-03", "Prevalensi stunting pada balita Provinsi Sulawesi Selatan", "MIN", 25, "persen",
                        18.0, "YEARLY", parent="BKKBN-03", actions=(
                            ActionSpec(RA, "Audit kasus stunting di 24 kabupaten/kota bersama TPPS provinsi", "08"),
                        )),
            )),
            SasaranSpec("Meningkatnya akuntabilitas kinerja Perwakilan BKKBN Provinsi Sulawesi Selatan", (
                IkuSpec("SLS-04", "Nilai SAKIP Perwakilan BKKBN Provinsi Sulawesi Selatan", "MAX", 15, "nilai", 78.0,
                        "YEARLY", aggregation="NILAI_AKHIR", parent="BKKBN-04"),
            )),
        ),
        (
            (PROGRAM_BANGGA, "Pelayanan KB dan pendampingan keluarga Provinsi Sulawesi Selatan", 42_600_000_000),
            (PROGRAM_DUKMAN, "Dukungan manajemen Perwakilan BKKBN Provinsi Sulawesi Selatan", 18_900_000_000),
        ),
        "690712",
        "Sulawesi Selatan menjadi provinsi contoh pendampingan keluarga berisiko stunting di Indonesia timur.",
        ("Pemutakhiran Pendataan Keluarga bersama pemerintah kabupaten/kota",),
    ),
    PkSpec(
        "PERWAKILAN-PAPUA",
        (
            SasaranSpec("Meningkatnya kesertaan ber-KB dan kualitas keluarga di Provinsi Papua", (
                IkuSpec("PAP-01", "Angka kelahiran total (TFR) Provinsi Papua", "MIN", 35, "anak per wanita", 2.90,
                        "SEMESTER", start=3.00, parent="BKKBN-01"),
                IkuSpec("PAP-02", "Persentase PUS yang ber-KB modern (mCPR) Provinsi Papua", "MAX", 35, "persen",
                        42.0, "QUARTERLY", start=40.5, parent="BKKBN-02", actions=(
                            ActionSpec(RA, "Pelayanan KB bergerak di distrik terpencil bersama TNI dan Dinas "
                                           "Kesehatan", "08"),
                        )),
                IkuSpec("PAP-03", "Prevalensi stunting pada balita Provinsi Papua", "MIN", 30, "persen", 26.0,
                        "YEARLY", parent="BKKBN-03"),
            )),
        ),
        (
            (PROGRAM_BANGGA, "Pelayanan KB dan pendampingan keluarga Provinsi Papua", 31_800_000_000),
            (PROGRAM_DUKMAN, "Dukungan manajemen Perwakilan BKKBN Provinsi Papua", 14_200_000_000),
        ),
        "690726",
        "Pelayanan KB menjangkau distrik terpencil; jabatan Sekretaris Perwakilan segera diisi.",
    ),
    # --- eselon III -----------------------------------------------------------------------------
    PkSpec(
        "BIRUMAS-HUMAS",
        (
            SasaranSpec("Meningkatnya publikasi dan layanan informasi publik BKKBN", (
                IkuSpec("HMS-01", "Jumlah publikasi Program Bangga Kencana di media massa dan media sosial", "MAX",
                        50, "publikasi", 480, "MONTHLY", aggregation="JUMLAH", target_kind="OUTPUT",
                        parent="UMH-02"),
                IkuSpec("HMS-02", "Indeks kepuasan layanan informasi publik (PPID) BKKBN", "MAX", 30, "skala 4", 3.5,
                        "SEMESTER", aggregation="RATA_RATA", parent="UMH-01"),
                IkuSpec("HMS-03", "Persentase realisasi anggaran Bagian Hubungan Masyarakat", "MAX", 20, "persen",
                        96.0, "QUARTERLY", parent="UMH-03"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Publikasi dan layanan informasi publik", 12_750_000_000),),
        "690001",
        "Setiap kegiatan pimpinan terpublikasi pada hari yang sama.",
    ),
    PkSpec(
        "ITTAMA-UMUM",
        (
            SasaranSpec("Meningkatnya dukungan administrasi dan kapabilitas pengawasan", (
                IkuSpec("IUM-01", "Persentase auditor yang memenuhi pendidikan profesional berkelanjutan 120 JP",
                        "MAX", 50, "persen", 85.0, "SEMESTER", start=60.0, target_kind="OUTCOME_ANTARA",
                        parent="ITT-02"),
                IkuSpec("IUM-02", "Persentase administrasi penugasan pengawasan yang diselesaikan tepat waktu", "MAX",
                        50, "persen", 95.0, "QUARTERLY", aggregation="RATA_RATA", target_kind="OUTPUT_ANTARA",
                        parent="ITT-03"),
            )),
        ),
        ((PROGRAM_DUKMAN, "Dukungan administrasi Inspektorat Utama", 4_300_000_000),),
        "690001",
        "Surat tugas dan administrasi audit siap sebelum tim berangkat.",
    ),
    PkSpec(
        "SULSEL-SEKRETARIAT",
        (
            SasaranSpec("Meningkatnya dukungan manajemen dan pembinaan lini lapangan Perwakilan", (
                IkuSpec("SSK-01", "Persentase realisasi anggaran Perwakilan BKKBN Provinsi Sulawesi Selatan", "MAX",
                        35, "persen", 96.0, "MONTHLY", parent="SLS-04"),
                IkuSpec("SSK-02", "Persentase laporan kinerja Perwakilan yang disampaikan tepat waktu", "MAX", 25,
                        "persen", 100.0, "QUARTERLY", aggregation="RATA_RATA", target_kind="OUTPUT",
                        parent="SLS-04"),
                IkuSpec("SSK-03", "Persentase Penyuluh KB dan PLKB yang mendampingi keluarga berisiko stunting dan "
                                  "melaporkannya melalui E-Visum", "MAX", 40, "persen", 100.0, "QUARTERLY",
                        start=80.0, target_kind="OUTPUT", parent="SLS-03", actions=(
                            ActionSpec(RA, "Pembinaan bulanan Penyuluh KB dan PLKB per kabupaten/kota", "03"),
                        )),
            )),
        ),
        ((PROGRAM_DUKMAN, "Dukungan manajemen dan pembinaan lini lapangan", 9_850_000_000),),
        "690712",
        "Seluruh Penyuluh KB dan PLKB mengisi visum tepat waktu.",
    ),
    PkSpec(
        "SULSEL-BIDANG-KBKR",
        (
            SasaranSpec("Meningkatnya pelayanan KB dan kesehatan reproduksi di Sulawesi Selatan", (
                IkuSpec("BKB-01", "Jumlah peserta KB baru metode kontrasepsi jangka panjang (MKJP)", "MAX", 60,
                        "peserta", 85000, "MONTHLY", target_kind="OUTPUT", parent="SLS-02"),
                IkuSpec("BKB-02", "Persentase kebutuhan ber-KB yang tidak terpenuhi (unmet need) Sulawesi Selatan",
                        "MIN", 40, "persen", 9.5, "SEMESTER", start=10.2, parent="SLS-01"),
            )),
        ),
        ((PROGRAM_BANGGA, "Pelayanan KB dan kesehatan reproduksi Provinsi Sulawesi Selatan", 16_400_000_000),),
        "690712",
        "Peserta KB MKJP naik; tidak ada fasilitas kesehatan tanpa implan dan IUD.",
    ),
)


def trajectory(year: int, spec: IkuSpec) -> dict[str, float]:
    """Return a trajectory of ``spec`` that passes ``check_trajectory``: every period of its consolidation,
    adding up (JUMLAH), averaging (RATA_RATA) or running (KUMULATIF, NILAI_AKHIR) to the yearly target."""
    periods = expected_periods(year, spec.consolidation)
    count, target = len(periods), float(spec.target)
    if spec.aggregation == "JUMLAH":
        part = round(target / count, 2)
        values = [part] * (count - 1) + [round(target - part * (count - 1), 2)]
    elif spec.aggregation == "RATA_RATA":
        values = [target] * count
    else:
        start = spec.start
        if start is None:
            start = 0.0 if spec.aggregation == "KUMULATIF" and spec.polarity != "MIN" else target
        values = [round(start + (target - start) * (index + 1) / count, 2) for index in range(count)]
        values[-1] = target
    return dict(zip(periods, values, strict=True))


def _renstra(year: int) -> str:
    first = 2025 + 5 * ((year - 2025) // 5)
    return f"Rencana Strategis BKKBN {first}–{first + 4}"


def build_pks(demo: Demo) -> None:
    """Draft, fill and sign the PK of the year of every demo unit in ``PK_SPECS``, top-down.

    The planning officer drafts; the head (or his PLT) signs as pihak pertama and the head of the
    unit above as pihak kedua (Kepala BKKBN alone for the root). A unit that already has a PK of the
    year, in any state, is left as it is.
    """
    planner = demo.people["perencana"]
    for spec in PK_SPECS:
        unit = demo.units[spec.unit]
        if latest_pk(unit, demo.year) is not None:
            continue
        pk = pk_services.create_pk(planner, unit, demo.year)
        pk_services.update_pk(
            planner, pk, input_renstra=_renstra(demo.year),
            input_renja=f"Rencana Kerja BKKBN Tahun {demo.year} dan DIPA {unit.name}",
            input_tugas_fungsi=f"Tugas dan fungsi {unit.name} menurut Peraturan BKKBN tentang Organisasi dan Tata "
                               "Kerja",
            input_ekspektasi_pimpinan=spec.ekspektasi,
            input_hasil_evaluasi=f"Hasil evaluasi SAKIP dan capaian Perjanjian Kinerja tahun {demo.year - 1}",
            input_tugas_mandatory="Pendataan Keluarga, percepatan penurunan stunting, reformasi birokrasi",
        )
        above = pk_services.parent_pk(pk)
        above_iku = {iku.code: iku for iku in above.iku} if above is not None else {}
        for sasaran_spec in spec.sasaran:
            sasaran = pk_services.add_sasaran(planner, pk, sasaran_spec.name)
            for item in sasaran_spec.iku:
                iku = pk_services.add_iku(
                    planner, sasaran, code=item.code, name=item.name, polarity=item.polarity, weight=item.weight,
                    unit_of_measure=item.unit, target=item.target, consolidation=item.consolidation,
                    aggregation=item.aggregation, target_kind=item.target_kind,
                    parent_iku=above_iku.get(item.parent) if item.parent else None,
                )
                pk_services.set_trajectory(planner, iku, trajectory(demo.year, item))
                for action in item.actions:
                    pk_services.add_action(planner, iku, kind=action.kind, description=action.description,
                                           period=f"{demo.year}-{action.month}" if action.month else None)
        for program, kegiatan, amount in spec.anggaran:
            pk_services.add_anggaran(planner, pk, program=program, kegiatan=kegiatan, amount=amount,
                                     dipa_ref=f"SP DIPA-068.01.1.{spec.satker}/{demo.year}")
        for description in spec.penugasan:
            pk_services.add_penugasan(planner, pk, description)
        pk_services.sign_pk(pk.head, pk, as_party="HEAD")
        if pk.superior is not None:
            pk_services.sign_pk(pk.superior, pk, as_party="SUPERIOR")


# --- SKP ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IkiSpec:
    text: str
    aspek: str
    target: float
    unit: str


@dataclass(frozen=True)
class RhkSpec:
    """A demo RHK. ``ref`` names it for the team's RHK below (``parent``: the ref of the assessor's RHK it
    cascades from or, for MATRIK_PERAN_HASIL, the leader's RHK shared with him); ``iku`` is
    ``(unit code, IKU code)``; ``action`` is ``(unit code, IKU code, index of its rencana aksi)``."""

    ref: str
    text: str
    source: str
    iki: tuple[IkiSpec, ...]
    kind: str = "UTAMA"
    iku: tuple[str, str] | None = None
    parent: str | None = None
    action: tuple[str, str, int] | None = None
    origin: str | None = None
    origin_note: str | None = None


@dataclass(frozen=True)
class SkpSpec:
    """The SKP of one demo employee and where its workflow stops (``outcome``)."""

    key: str
    rhk: tuple[RhkSpec, ...]
    outcome: str = "APPROVED"  # or SUBMITTED, RETURNED, DRAFT
    return_reason: str | None = None


def _i(text: str, aspek: str, target: float, unit: str) -> IkiSpec:
    return IkiSpec(text, aspek, target, unit)


K, Q, W, B = "KUANTITAS", "KUALITAS", "WAKTU", "BIAYA"
CASCADING, JF_SCOPE, PK_SOURCE = "CASCADING", "JF_SCOPE", "PK"

RETURN_REASON = ("IKI belum menunjukkan kualitas hasil kerja: tambahkan indikator ketepatan pencatatan barang "
                 "milik negara dan sesuaikan target laporan dengan jadwal rekonsiliasi semesteran.")

# Top-down: each SKP after the SKP of the employee's Pejabat Penilai.
SKP_SPECS: tuple[SkpSpec, ...] = (
    # --- JPT Madya: assessed by Kepala BKKBN ------------------------------------------------------
    SkpSpec("sestama", (
        RhkSpec("sestama.1", "Meningkatnya akuntabilitas kinerja BKKBN", PK_SOURCE, (
            _i("Nilai SAKIP BKKBN", Q, 80.5, "nilai"),
            _i("Laporan Kinerja BKKBN disampaikan kepada Kementerian PANRB paling lambat akhir bulan ke-", W, 2,
               "bulan"),
        ), iku=("SESTAMA", "SES-01")),
        RhkSpec("sestama.2", "Meningkatnya profesionalitas ASN BKKBN", PK_SOURCE, (
            _i("Nilai Indeks Profesionalitas ASN BKKBN", Q, 80, "indeks"),
        ), iku=("SESTAMA", "SES-02")),
        RhkSpec("sestama.3", "Terkelolanya anggaran BKKBN secara efektif dan akuntabel", PK_SOURCE, (
            _i("Persentase realisasi anggaran BKKBN", B, 96, "persen"),
            _i("Nilai Indikator Kinerja Pelaksanaan Anggaran (IKPA)", Q, 95, "nilai"),
        ), iku=("SESTAMA", "SES-03")),
        RhkSpec("sestama.t1", "Anggota Tim Koordinasi Reformasi Birokrasi Nasional bidang penguatan akuntabilitas",
                "TUGAS_TAMBAHAN", (_i("Laporan hasil rapat koordinasi yang disampaikan", K, 4, "laporan"),),
                kind="TAMBAHAN", origin="LUAR_INSTANSI", origin_note="Penugasan Menteri PANRB"),
    )),
    SkpSpec("deputi_kbkr", (
        RhkSpec("deputi_kbkr.1", "Meningkatnya kesertaan ber-KB modern pasangan usia subur", PK_SOURCE, (
            _i("Persentase PUS yang ber-KB modern (mCPR)", Q, 63.41, "persen"),
            _i("Jumlah peserta KB baru", K, 6_500_000, "peserta"),
        ), iku=("DEPUTI-KBKR", "KBKR-01")),
        RhkSpec("deputi_kbkr.2", "Menurunnya kebutuhan ber-KB yang tidak terpenuhi", PK_SOURCE, (
            _i("Persentase unmet need KB", Q, 7.4, "persen"),
        ), iku=("DEPUTI-KBKR", "KBKR-02")),
        RhkSpec("deputi_kbkr.3", "Menurunnya angka kelahiran pada remaja umur 15–19 tahun", PK_SOURCE, (
            _i("ASFR 15–19 tahun", Q, 18, "per 1.000 perempuan"),
        ), iku=("DEPUTI-KBKR", "KBKR-03")),
    )),
    SkpSpec("irtama", (
        RhkSpec("irtama.1", "Meningkatnya maturitas penyelenggaraan SPIP BKKBN", PK_SOURCE, (
            _i("Tingkat maturitas SPIP BKKBN", Q, 3.6, "level"),
        ), iku=("ITTAMA", "ITT-01")),
        RhkSpec("irtama.2", "Meningkatnya kapabilitas APIP BKKBN", PK_SOURCE, (
            _i("Level kapabilitas APIP", Q, 3, "level"),
        ), iku=("ITTAMA", "ITT-02")),
        RhkSpec("irtama.3", "Meningkatnya tindak lanjut rekomendasi hasil pengawasan", PK_SOURCE, (
            _i("Persentase rekomendasi yang ditindaklanjuti", K, 90, "persen"),
            _i("Pemantauan tindak lanjut dilaksanakan setiap", W, 3, "bulan"),
        ), iku=("ITTAMA", "ITT-03")),
    )),
    # --- assessed by the Sekretaris Utama ---------------------------------------------------------
    SkpSpec("karo_umum", (
        RhkSpec("karo_umum.1", "Meningkatnya citra positif Program Bangga Kencana di media", PK_SOURCE, (
            _i("Persentase pemberitaan positif", Q, 85, "persen"),
            _i("Jumlah siaran pers yang diterbitkan", K, 60, "siaran pers"),
        ), iku=("BIRUMAS", "UMH-02")),
        RhkSpec("karo_umum.2", "Meningkatnya kualitas layanan umum, kerumahtanggaan dan informasi publik", PK_SOURCE, (
            _i("Indeks kepuasan pengguna layanan", Q, 3.5, "skala 4"),
        ), iku=("BIRUMAS", "UMH-01")),
        RhkSpec("karo_umum.3", "Terkelolanya anggaran, persuratan dan kearsipan Biro Umum dan Humas", PK_SOURCE, (
            _i("Persentase realisasi anggaran Biro", B, 96, "persen"),
            _i("Persentase arsip aktif yang tertata sesuai klasifikasi", Q, 90, "persen"),
        ), iku=("BIRUMAS", "UMH-03")),
    )),
    SkpSpec("karo_sdm", (
        RhkSpec("karo_sdm.1", "Meningkatnya profesionalitas ASN BKKBN", PK_SOURCE, (
            _i("Nilai Indeks Profesionalitas ASN BKKBN", Q, 80, "indeks"),
        ), iku=("BIRO-SDM", "SDM-01")),
        RhkSpec("karo_sdm.2", "Meningkatnya kompetensi pegawai BKKBN", PK_SOURCE, (
            _i("Persentase pegawai yang mengikuti pengembangan kompetensi minimal 20 JP", K, 90, "persen"),
            _i("Jumlah pelatihan yang difasilitasi", K, 24, "kegiatan"),
        ), iku=("BIRO-SDM", "SDM-02")),
        RhkSpec("karo_sdm.3", "Tersusunnya perencanaan kinerja dan anggaran BKKBN yang berkualitas (selaku PLT "
                              "Kepala Biro Perencanaan)", PK_SOURCE, (
            _i("Nilai komponen perencanaan kinerja SAKIP", Q, 27, "nilai"),
            _i("Perjanjian Kinerja seluruh unit ditandatangani paling lambat akhir bulan ke-", W, 2, "bulan"),
        ), iku=("BIRO-RENCANA", "REN-01")),
        RhkSpec("karo_sdm.t1", "Penyusunan usulan kebutuhan formasi Penyuluh KB", "TUGAS_TAMBAHAN", (
            _i("Dokumen usulan kebutuhan formasi", K, 1, "dokumen"),
        ), kind="TAMBAHAN", origin="JPT_MADYA_BUKAN_PENILAI",
            origin_note="Surat tugas Deputi Bidang Keluarga Berencana dan Kesehatan Reproduksi"),
    )),
    SkpSpec("kaper_sulsel", (
        RhkSpec("kaper_sulsel.1", "Meningkatnya kesertaan ber-KB modern di Provinsi Sulawesi Selatan", PK_SOURCE, (
            _i("Persentase PUS yang ber-KB modern (mCPR)", Q, 60.5, "persen"),
            _i("Jumlah peserta KB baru MKJP", K, 85_000, "peserta"),
        ), iku=("PERWAKILAN-SULSEL", "SLS-02")),
        RhkSpec("kaper_sulsel.2", "Menurunnya angka kelahiran total di Provinsi Sulawesi Selatan", PK_SOURCE, (
            _i("Angka kelahiran total (TFR)", Q, 2.2, "anak per wanita"),
        ), iku=("PERWAKILAN-SULSEL", "SLS-01")),
        RhkSpec("kaper_sulsel.3", "Menurunnya prevalensi stunting melalui pendampingan keluarga berisiko stunting",
                PK_SOURCE, (
                    _i("Prevalensi stunting pada balita", Q, 18, "persen"),
                    _i("Persentase keluarga berisiko stunting yang didampingi Tim Pendamping Keluarga", K, 90,
                       "persen"),
                ), iku=("PERWAKILAN-SULSEL", "SLS-03")),
        RhkSpec("kaper_sulsel.4", "Meningkatnya akuntabilitas kinerja Perwakilan", PK_SOURCE, (
            _i("Nilai SAKIP Perwakilan", Q, 78, "nilai"),
            _i("Persentase realisasi anggaran Perwakilan", B, 96, "persen"),
        ), iku=("PERWAKILAN-SULSEL", "SLS-04")),
    )),
    SkpSpec("kaper_papua", (
        RhkSpec("kaper_papua.1", "Meningkatnya kesertaan ber-KB modern di Provinsi Papua", PK_SOURCE, (
            _i("Persentase PUS yang ber-KB modern (mCPR)", Q, 42, "persen"),
            _i("Jumlah distrik terpencil yang mendapat pelayanan KB bergerak", K, 40, "distrik"),
        ), iku=("PERWAKILAN-PAPUA", "PAP-02")),
        RhkSpec("kaper_papua.2", "Menurunnya angka kelahiran total di Provinsi Papua", PK_SOURCE, (
            _i("Angka kelahiran total (TFR)", Q, 2.9, "anak per wanita"),
        ), iku=("PERWAKILAN-PAPUA", "PAP-01")),
        RhkSpec("kaper_papua.3", "Menurunnya prevalensi stunting di Provinsi Papua", PK_SOURCE, (
            _i("Prevalensi stunting pada balita", Q, 26, "persen"),
        ), iku=("PERWAKILAN-PAPUA", "PAP-03")),
    )),
    # --- assessed by the Deputi KBKR -----------------------------------------------------------
    SkpSpec("direktur_kespro", (
        RhkSpec("direktur_kespro.1", "Meningkatnya pemahaman remaja tentang kesehatan reproduksi", PK_SOURCE, (
            _i("Persentase remaja yang memahami kesehatan reproduksi", Q, 55, "persen"),
            _i("Jumlah provinsi yang difasilitasi orientasi GenRe", K, 38, "provinsi"),
        ), iku=("DIT-KESPRO", "KSR-01")),
        RhkSpec("direktur_kespro.2", "Meningkatnya akses pelayanan KB pascapersalinan", PK_SOURCE, (
            _i("Jumlah fasilitas kesehatan yang melayani KB pascapersalinan", K, 12_000, "fasilitas kesehatan"),
        ), iku=("DIT-KESPRO", "KSR-02")),
        RhkSpec("direktur_kespro.3", "Menurunnya kehamilan yang tidak diinginkan", PK_SOURCE, (
            _i("Persentase kehamilan yang tidak diinginkan", Q, 14.5, "persen"),
        ), iku=("DIT-KESPRO", "KSR-03")),
        RhkSpec("direktur_kespro.t1", "Anggota Kelompok Kerja Penguatan Akuntabilitas Kinerja Reformasi Birokrasi "
                                      "BKKBN", "TUGAS_TAMBAHAN", (
            _i("Laporan kemajuan kelompok kerja", K, 4, "laporan"),
        ), kind="TAMBAHAN", origin="JPT_MADYA_BUKAN_PENILAI", origin_note="Keputusan Sekretaris Utama"),
    )),
    SkpSpec("jf_utama", (
        RhkSpec("jf_utama.1", "Tersusunnya rekomendasi kebijakan peningkatan kesertaan ber-KB modern", CASCADING, (
            _i("Jumlah ringkasan kebijakan (policy brief) yang disampaikan kepada pimpinan", K, 4, "dokumen"),
            _i("Persentase rekomendasi yang diterima pimpinan", Q, 75, "persen"),
        ), parent="deputi_kbkr.1"),
        RhkSpec("jf_utama.2", "Terlaksananya kajian dampak kebijakan KB pascapersalinan (lingkup Analis Kebijakan "
                              "Ahli Utama)", JF_SCOPE, (
            _i("Dokumen kajian kebijakan", K, 2, "dokumen"),
            _i("Kajian selesai paling lambat bulan ke-", W, 10, "bulan"),
        )),
    )),
    # --- assessed by the Inspektur Utama -------------------------------------------------------
    SkpSpec("inspektur_wil1", (
        RhkSpec("inspektur_wil1.1", "Terlaksananya audit kinerja satuan kerja Wilayah I", PK_SOURCE, (
            _i("Jumlah laporan hasil audit", K, 24, "laporan"),
            _i("Laporan hasil audit terbit paling lama setelah audit selesai", W, 15, "hari kerja"),
        ), iku=("ITTAMA-WIL1", "IW1-01")),
        RhkSpec("inspektur_wil1.2", "Meningkatnya tindak lanjut rekomendasi audit Wilayah I", PK_SOURCE, (
            _i("Persentase rekomendasi yang ditindaklanjuti", K, 90, "persen"),
        ), iku=("ITTAMA-WIL1", "IW1-02")),
    )),
    SkpSpec("kabag_umum_ittama", (
        RhkSpec("kabag_umum_ittama.1", "Tersedianya administrasi penugasan pengawasan yang tepat waktu", PK_SOURCE, (
            _i("Persentase surat tugas dan administrasi audit yang selesai sebelum tim berangkat", W, 95, "persen"),
        ), iku=("ITTAMA-UMUM", "IUM-02")),
        RhkSpec("kabag_umum_ittama.2", "Meningkatnya kompetensi auditor dan tertibnya pengelolaan barang milik "
                                       "negara Inspektorat Utama", PK_SOURCE, (
            _i("Persentase auditor yang memenuhi 120 JP pendidikan profesional berkelanjutan", K, 85, "persen"),
            _i("Persentase realisasi anggaran Inspektorat Utama", B, 95, "persen"),
        ), iku=("ITTAMA-UMUM", "IUM-01")),
    )),
    # --- Birumas --------------------------------------------------------------------------------
    SkpSpec("kabag_humas", (
        RhkSpec("kabag_humas.1", "Terpublikasikannya Program Bangga Kencana di media massa dan media sosial",
                PK_SOURCE, (
                    _i("Jumlah publikasi", K, 480, "publikasi"),
                    _i("Persentase publikasi bernada positif", Q, 85, "persen"),
                ), iku=("BIRUMAS-HUMAS", "HMS-01")),
        RhkSpec("kabag_humas.2", "Meningkatnya kualitas layanan informasi publik BKKBN", PK_SOURCE, (
            _i("Indeks kepuasan layanan informasi publik", Q, 3.5, "skala 4"),
            _i("Permohonan informasi publik dijawab paling lama", W, 10, "hari kerja"),
        ), iku=("BIRUMAS-HUMAS", "HMS-02")),
        RhkSpec("kabag_humas.3", "Terserapnya anggaran Bagian Hubungan Masyarakat sesuai rencana", PK_SOURCE, (
            _i("Persentase realisasi anggaran Bagian", B, 96, "persen"),
        ), iku=("BIRUMAS-HUMAS", "HMS-03")),
    )),
    SkpSpec("birumas_jf_iva", (
        RhkSpec("birumas_jf_iva.1", "Tertatanya arsip aktif dan inaktif Biro Umum dan Humas sesuai klasifikasi",
                CASCADING, (
                    _i("Jumlah berkas arsip yang ditata", K, 1200, "berkas"),
                    _i("Persentase arsip tertata sesuai klasifikasi", Q, 90, "persen"),
                ), parent="karo_umum.3"),
        RhkSpec("birumas_jf_iva.2", "Tersusunnya daftar arsip inaktif dan usul musnah (lingkup Arsiparis Ahli "
                                    "Madya)", JF_SCOPE, (_i("Daftar arsip usul musnah", K, 2, "dokumen"),)),
    )),
    SkpSpec("birumas_pppk_xiii", (
        RhkSpec("birumas_pppk_xiii.1", "Terkelolanya pelaksanaan anggaran Biro Umum dan Humas", CASCADING, (
            _i("Persentase realisasi anggaran Biro", B, 96, "persen"),
            _i("Laporan realisasi anggaran bulanan disampaikan paling lambat tanggal", W, 5, "tanggal"),
        ), parent="karo_umum.3"),
    )),
    SkpSpec("pranata_humas", (
        RhkSpec("pranata_humas.1", "Tersusunnya siaran pers dan konten media sosial Program Bangga Kencana",
                CASCADING, (
                    _i("Jumlah siaran pers", K, 60, "siaran pers"),
                    _i("Jumlah konten media sosial", K, 240, "konten"),
                ), parent="karo_umum.1"),
        RhkSpec("pranata_humas.2", "Terlaksananya pemantauan dan analisis isu media (lingkup Pranata Humas Ahli "
                                   "Muda)", JF_SCOPE, (_i("Laporan analisis isu media", K, 12, "laporan"),)),
    )),
    SkpSpec("kasubbag_publikasi", (
        RhkSpec("kasubbag_publikasi.1", "Terkelolanya publikasi dan dokumentasi kegiatan BKKBN", CASCADING, (
            _i("Jumlah publikasi yang diunggah", K, 300, "publikasi"),
            _i("Publikasi terbit paling lama setelah kegiatan", W, 1, "hari"),
        ), parent="kabag_humas.1"),
        RhkSpec("kasubbag_publikasi.t1", "Dokumentasi dan publikasi Rapat Kerja Nasional Program Bangga Kencana",
                "TUGAS_TAMBAHAN", (_i("Laporan dokumentasi Rakernas", K, 1, "laporan"),), kind="TAMBAHAN",
                origin="JPT_PRATAMA_LAIN_BUKAN_PENILAI", origin_note="Surat tugas Plt. Kepala Biro Perencanaan"),
    )),
    SkpSpec("birumas_pelaksana", (
        RhkSpec("birumas_pelaksana.1", "Terlayaninya permohonan informasi publik melalui PPID BKKBN", CASCADING, (
            _i("Jumlah permohonan informasi yang dilayani", K, 150, "permohonan"),
            _i("Permohonan dijawab paling lama", W, 10, "hari kerja"),
        ), parent="kabag_humas.2"),
    ), outcome="SUBMITTED"),
    SkpSpec("birumas_pppk_xii", (
        RhkSpec("birumas_pppk_xii.1", "Terkelolanya laman dan kanal media sosial BKKBN", CASCADING, (
            _i("Ketersediaan laman BKKBN", Q, 99, "persen"),
            _i("Jumlah unggahan konten", K, 480, "unggahan"),
        ), parent="kabag_humas.1"),
    )),
    # --- Biro SDM and Biro Perencanaan (PLT) ---------------------------------------------------
    SkpSpec("hr", (
        RhkSpec("hr.1", "Tersusunnya analisis jabatan dan data kepegawaian BKKBN yang mutakhir", CASCADING, (
            _i("Jumlah dokumen analisis jabatan dan beban kerja", K, 40, "dokumen"),
            _i("Persentase data pegawai yang mutakhir di SIASN", Q, 98, "persen"),
        ), parent="karo_sdm.1"),
        RhkSpec("hr.t1", "Narasumber sosialisasi manajemen talenta ASN", "TUGAS_TAMBAHAN", (
            _i("Kegiatan sebagai narasumber", K, 3, "kegiatan"),
        ), kind="TAMBAHAN", origin="LUAR_INSTANSI", origin_note="Undangan Kementerian PANRB"),
    )),
    SkpSpec("admin", (
        RhkSpec("admin.1", "Tersedianya aplikasi kepegawaian dan aplikasi Kinerja yang andal", CASCADING, (
            _i("Ketersediaan layanan aplikasi", Q, 99.5, "persen"),
            _i("Gangguan layanan ditangani paling lama", W, 4, "jam"),
        ), parent="karo_sdm.2"),
    )),
    SkpSpec("perencana", (
        RhkSpec("perencana.1", "Tersusunnya Perjanjian Kinerja dan rencana aksi seluruh unit kerja BKKBN",
                CASCADING, (
                    _i("Jumlah Perjanjian Kinerja unit kerja yang difasilitasi", K, 15, "dokumen"),
                    _i("Perjanjian Kinerja ditandatangani paling lambat akhir bulan ke-", W, 2, "bulan"),
                ), parent="karo_sdm.3"),
        RhkSpec("perencana.2", "Tersusunnya telaahan evaluasi Rencana Kerja (lingkup Perencana Ahli Muda)",
                JF_SCOPE, (_i("Telaahan evaluasi Renja", K, 2, "dokumen"),)),
    )),
    # --- Direktorat Kesehatan Reproduksi -------------------------------------------------------
    SkpSpec("kasubdit_remaja", (  # an Administrator may plan from the Rencana Aksi of his JPT Pratama
        RhkSpec("kasubdit_remaja.1", "Meningkatnya PIK Remaja yang aktif dan mencapai tahap tegar", "RENCANA_AKSI", (
            _i("Jumlah PIK Remaja aktif", K, 25_000, "kelompok"),
            _i("Persentase PIK Remaja tahap tegar", Q, 30, "persen"),
        ), action=("DIT-KESPRO", "KSR-01", 1)),
        RhkSpec("kasubdit_remaja.2", "Terlaksananya orientasi pendidik sebaya GenRe di 38 provinsi", "RENCANA_AKSI", (
            _i("Jumlah provinsi yang melaksanakan orientasi", K, 38, "provinsi"),
            _i("Persentase realisasi anggaran orientasi", B, 95, "persen"),
        ), action=("DIT-KESPRO", "KSR-01", 0)),
    )),
    SkpSpec("dit_jf", (
        RhkSpec("dit_jf.1", "Tersusunnya rekomendasi kebijakan perluasan KB pascapersalinan", CASCADING, (
            _i("Jumlah rekomendasi kebijakan", K, 2, "dokumen"),
            _i("Rekomendasi disampaikan paling lambat bulan ke-", W, 6, "bulan"),
        ), parent="direktur_kespro.2"),
        RhkSpec("dit_jf.2", "Tersusunnya analisis kebijakan kesehatan reproduksi remaja (lingkup Analis Kebijakan "
                            "Ahli Muda)", JF_SCOPE, (_i("Dokumen analisis kebijakan", K, 2, "dokumen"),)),
    )),
    SkpSpec("dit_pelaksana", (
        RhkSpec("dit_pelaksana.1", "Terhimpunnya data dan laporan kegiatan kesehatan reproduksi remaja", CASCADING, (
            _i("Jumlah laporan rekapitulasi bulanan", K, 12, "laporan"),
            _i("Laporan disampaikan paling lambat tanggal", W, 10, "tanggal"),
        ), parent="direktur_kespro.1"),
    ), outcome="SUBMITTED"),
    SkpSpec("kasi_remaja", (
        RhkSpec("kasi_remaja.1", "Terbinanya PIK Remaja di wilayah binaan", CASCADING, (
            _i("Jumlah PIK Remaja yang dibina", K, 5000, "kelompok"),
            _i("Persentase PIK Remaja binaan yang mencapai tahap tegar", Q, 30, "persen"),
        ), parent="kasubdit_remaja.1"),
    )),
    SkpSpec("delegasi", (
        RhkSpec("delegasi.1", "Terselenggaranya administrasi orientasi pendidik sebaya GenRe", CASCADING, (
            _i("Jumlah berkas administrasi kegiatan", K, 38, "berkas"),
            _i("Persentase dokumen pertanggungjawaban yang lengkap", Q, 100, "persen"),
        ), parent="kasubdit_remaja.2"),
    )),
    SkpSpec("cpns", (
        RhkSpec("cpns.1", "Tersusunnya bahan pembinaan PIK Remaja", CASCADING, (
            _i("Jumlah modul pembinaan", K, 4, "modul"),
            _i("Laporan pembinaan bulanan", K, 12, "laporan"),
        ), parent="kasi_remaja.1"),
    )),
    # --- Inspektorat Utama, Bagian Umum --------------------------------------------------------
    SkpSpec("tuwas_jf", (
        RhkSpec("tuwas_jf.1", "Tersusunnya kertas kerja dan administrasi penugasan pengawasan", CASCADING, (
            _i("Jumlah kertas kerja audit", K, 24, "kertas kerja"),
        ), parent="kabag_umum_ittama.1"),
        RhkSpec("tuwas_jf.2", "Terlaksananya audit kinerja sebagai anggota tim (lingkup Auditor Ahli Pertama)",
                JF_SCOPE, (
                    _i("Jumlah penugasan audit", K, 8, "penugasan"),
                    _i("Persentase kertas kerja yang direviu tanpa koreksi mayor", Q, 90, "persen"),
                )),
    )),
    SkpSpec("tuwas_pelaksana", (
        RhkSpec("tuwas_pelaksana.1", "Terlaksananya pengelolaan persediaan dan barang milik negara Inspektorat "
                                     "Utama", CASCADING, (_i("Jumlah laporan persediaan", K, 12, "laporan"),),
                parent="kabag_umum_ittama.2"),
    ), outcome="RETURNED", return_reason=RETURN_REASON),
    # --- Perwakilan Sulawesi Selatan -----------------------------------------------------------
    SkpSpec("sekretaris_sulsel", (
        RhkSpec("sekretaris_sulsel.1", "Terkelolanya anggaran dan administrasi umum Perwakilan", PK_SOURCE, (
            _i("Persentase realisasi anggaran Perwakilan", B, 96, "persen"),
        ), iku=("SULSEL-SEKRETARIAT", "SSK-01")),
        RhkSpec("sekretaris_sulsel.2", "Tersedianya laporan kinerja Perwakilan yang tepat waktu", PK_SOURCE, (
            _i("Persentase laporan kinerja yang disampaikan tepat waktu", W, 100, "persen"),
        ), iku=("SULSEL-SEKRETARIAT", "SSK-02")),
        RhkSpec("sekretaris_sulsel.3", "Terbinanya Penyuluh KB dan PLKB dalam pendampingan keluarga berisiko stunting",
                PK_SOURCE, (
                    _i("Persentase Penyuluh KB dan PLKB yang melaporkan kinerja melalui E-Visum", K, 100, "persen"),
                    _i("Jumlah kampung KB yang didampingi", K, 300, "kampung KB"),
                ), iku=("SULSEL-SEKRETARIAT", "SSK-03")),
    )),
    SkpSpec("kabid_kbkr_sulsel", (
        RhkSpec("kabid_kbkr_sulsel.1", "Meningkatnya peserta KB baru metode kontrasepsi jangka panjang", PK_SOURCE, (
            _i("Jumlah peserta KB baru MKJP", K, 85_000, "peserta"),
        ), iku=("SULSEL-BIDANG-KBKR", "BKB-01")),
        RhkSpec("kabid_kbkr_sulsel.2", "Menurunnya unmet need KB di Sulawesi Selatan", PK_SOURCE, (
            _i("Persentase unmet need KB", Q, 9.5, "persen"),
        ), iku=("SULSEL-BIDANG-KBKR", "BKB-02")),
    )),
    SkpSpec("sulsel_iva", (
        RhkSpec("sulsel_iva.1", "Tersusunnya rekomendasi kebijakan percepatan penurunan stunting Provinsi Sulawesi "
                                "Selatan", CASCADING, (
            _i("Jumlah rekomendasi kebijakan", K, 2, "dokumen"),
            _i("Persentase rekomendasi yang diadopsi TPPS provinsi", Q, 50, "persen"),
        ), parent="kaper_sulsel.3"),
    )),
    SkpSpec("sulsel_iiid", (
        RhkSpec("sulsel_iiid.1", "Terselenggaranya administrasi keuangan dan persuratan Perwakilan", CASCADING, (
            _i("Jumlah surat perintah membayar yang diproses", K, 600, "SPM"),
            _i("SPM diproses paling lama", W, 2, "hari kerja"),
        ), parent="sekretaris_sulsel.1"),
    )),
    SkpSpec("penyuluh_kb", (  # Matrik Peran Hasil: the Sekretaris shares her RHK, he takes his share
        RhkSpec("penyuluh_kb.1", "Terdampinginya PUS dan keluarga berisiko stunting di Kecamatan Tamalate",
                "MATRIK_PERAN_HASIL", (
                    _i("Jumlah PUS yang mendapat KIE dan konseling KB", K, 1200, "PUS"),
                    _i("Jumlah keluarga berisiko stunting yang didampingi", K, 150, "keluarga"),
                ), parent="sekretaris_sulsel.3"),
        RhkSpec("penyuluh_kb.2", "Terlaksananya penyuluhan dan pelayanan KB bergerak (lingkup Penyuluh KB Ahli "
                                 "Muda)", JF_SCOPE, (_i("Jumlah kegiatan penyuluhan", K, 24, "kegiatan"),)),
    )),
    SkpSpec("pppk_penyuluh_kb", (  # a PPPK Penyuluh KB plans from the signed PK only
        RhkSpec("pppk_penyuluh_kb.1", "Meningkatnya PUS ber-KB modern di desa binaan Kecamatan Rappocini", PK_SOURCE, (
            _i("Jumlah peserta KB baru di desa binaan", K, 240, "peserta"),
            _i("Persentase PUS ber-KB modern di desa binaan", Q, 60.5, "persen"),
        ), iku=("PERWAKILAN-SULSEL", "SLS-02")),
    )),
    SkpSpec("plkb", (
        RhkSpec("plkb.1", "Terdampinginya kampung KB di Kecamatan Biringkanaya", "MATRIK_PERAN_HASIL", (
            _i("Jumlah keluarga balita yang aktif dalam Bina Keluarga Balita", K, 150, "keluarga"),
            _i("Laporan kampung KB disampaikan paling lambat tanggal", W, 5, "tanggal"),
        ), parent="sekretaris_sulsel.3"),
        RhkSpec("plkb.t1", "Verifikasi data keluarga berisiko stunting Kota Makassar", "TUGAS_TAMBAHAN", (
            _i("Laporan hasil verifikasi", K, 1, "laporan"),
        ), kind="TAMBAHAN", origin="LUAR_INSTANSI", origin_note="Permintaan Dinas P2KB Kota Makassar"),
    )),
    # --- Perwakilan Papua ----------------------------------------------------------------------
    SkpSpec("penyuluh_papua", (
        RhkSpec("penyuluh_papua.1", "Meningkatnya kesertaan ber-KB di distrik binaan Kota Jayapura", CASCADING, (
            _i("Jumlah peserta KB baru", K, 180, "peserta"),
            _i("Jumlah pelayanan KB bergerak yang didampingi", K, 6, "kegiatan"),
        ), parent="kaper_papua.1"),
        RhkSpec("penyuluh_papua.2", "Terlaksananya penyuluhan KB dan pendampingan keluarga di distrik binaan "
                                    "(lingkup Penyuluh KB Ahli Madya)", JF_SCOPE, (
            _i("Jumlah kegiatan penyuluhan", K, 24, "kegiatan"),
        )),
    )),
    # No Pejabat Penilai (Sekretaris Perwakilan Papua vacant, no PLT/PLH): he cannot cascade from an
    # assessor, plans from a rencana aksi of his Perwakilan's PK, and his draft waits for a PLT/PLH.
    SkpSpec("papua_staf", (
        RhkSpec("papua_staf.1", "Terselenggaranya administrasi pelayanan KB bergerak di distrik terpencil",
                "RENCANA_AKSI", (
                    _i("Jumlah laporan administrasi pelayanan KB bergerak", K, 6, "laporan"),
                ), action=("PERWAKILAN-PAPUA", "PAP-02", 0)),
    ), outcome="DRAFT"),
)

# The employees whose SKP is, on purpose, not approved (docs/demo.md): key -> status.
PENDING: dict[str, str] = {spec.key: spec.outcome for spec in SKP_SPECS if spec.outcome != "APPROVED"}

# Ekspektasi khusus pimpinan the assessor states, by kind of post.
EXPECTATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "pimpinan": (
        ("AKUNTABEL", "Menyampaikan capaian Perjanjian Kinerja unit setiap bulan melalui aplikasi Kinerja tanpa "
                      "menunggu diminta."),
        ("KOLABORATIF", "Membangun kerja sama lintas unit dan dengan pemerintah daerah untuk target yang "
                        "dipikul bersama."),
    ),
    "staf": (
        ("BERORIENTASI_PELAYANAN", "Menjawab permintaan data dan layanan dari unit lain paling lama dua hari "
                                   "kerja."),
        ("KOMPETEN", "Mengikuti paling sedikit 20 JP pengembangan kompetensi tahun ini."),
    ),
    "lapangan": (
        ("BERORIENTASI_PELAYANAN", "Hadir di kampung KB binaan sesuai jadwal dan ramah kepada setiap keluarga."),
        ("AKUNTABEL", "Mengisi visum harian dengan bukti kegiatan sebelum pekan ditutup."),
    ),
}

LAMPIRAN: dict[str, tuple[str, str, str]] = {
    "pimpinan": (
        "Pegawai unit kerja, anggaran DIPA unit, sarana kantor, aplikasi Kinerja dan New SIGA.",
        "Capaian dilaporkan setiap bulan kepada Pejabat Penilai dan dievaluasi setiap triwulan dalam dialog "
        "kinerja; capaian unit dipertanggungjawabkan dalam Laporan Kinerja.",
        "Capaian di bawah ekspektasi dibahas dalam dialog kinerja dengan rencana perbaikan; capaian di atas "
        "ekspektasi menjadi dasar penghargaan sesuai ketentuan.",
    ),
    "staf": (
        "Sarana kerja kantor, data dan dokumen unit, aplikasi Kinerja.",
        "Hasil kerja dilaporkan kepada Pejabat Penilai setiap bulan melalui visum dan bukti dukung.",
        "Predikat kinerja menentukan tunjangan kinerja dan pengembangan karier sesuai ketentuan.",
    ),
    "lapangan": (
        "Kendaraan operasional lapangan, alat bantu pengambilan keputusan ber-KB (ABPK), data hasil Pendataan "
        "Keluarga, aplikasi E-Visum.",
        "Kegiatan harian dicatat dalam E-Visum dengan bukti; capaian dibahas setiap bulan dengan Sekretaris "
        "Perwakilan.",
        "Predikat kinerja menentukan tunjangan kinerja dan perpanjangan kontrak (PPPK) sesuai ketentuan.",
    ),
}

PIMPINAN = ("JPT_MADYA", "JPT_PRATAMA", "KEPALA_PERWAKILAN", "ADMINISTRATOR")


def _group(employee: Employee) -> str:
    if employee.jenjang in PIMPINAN:
        return "pimpinan"
    if employee.jenjang in ("PLKB", "PPPK_PENYULUH_KB") or employee.jf_name == "Penyuluh KB":
        return "lapangan"
    return "staf"


class _Lookup:
    """Find the IKU, rencana aksi and RHK the specs refer to (built in this run or already stored)."""

    def __init__(self, demo: Demo):
        self.demo = demo
        self.rhk: dict[str, RencanaHasilKerja] = {}
        self.specs = {rhk.ref: (spec.key, rhk) for spec in SKP_SPECS for rhk in spec.rhk}

    def iku(self, unit_code: str, code: str) -> Iku | None:
        pk = current_pk(self.demo.units[unit_code], self.demo.year)
        return next((iku for iku in pk.iku if iku.code == code), None) if pk is not None else None

    def action(self, unit_code: str, code: str, index: int) -> RencanaAksi | None:
        iku = self.iku(unit_code, code)
        actions = [a for a in iku.actions if a.kind == "RENCANA_AKSI"] if iku is not None else []
        return actions[index] if index < len(actions) else None

    def rhk_of(self, ref: str) -> RencanaHasilKerja | None:
        """Return the RHK a ref names: built in this run, else the same text in its owner's current SKP."""
        if ref in self.rhk:
            return self.rhk[ref]
        key, spec = self.specs[ref]
        skp = current_skp(self.demo.people[key], self.demo.year)
        if skp is None or skp.status in ("SUPERSEDED", "CLOSED"):
            return None
        return db.session.scalar(select(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == skp.id,
                                                                 RencanaHasilKerja.text == spec.text).limit(1))


def _held_on(year: int, index: int) -> date:
    """Spread the dialogs over the working days of January, never in the future."""
    day = date(year, 1, 5 + index % 22)
    while day.weekday() >= 5:
        day = date(year, 1, day.day + 1)
    return min(day, clock.today())


def _add_rhk(lookup: _Lookup, employee: Employee, skp: Skp, spec: RhkSpec) -> RencanaHasilKerja | None:
    """Add one RHK as its spec says; a Matrik Peran Hasil share is given by the leader, then taken.

    When what it cascades from is gone (changed by hand since an earlier seed), a staff RHK falls back
    on a Tim Kerja source and a leader's RHK from a missing IKU is left out.
    """
    parent = lookup.rhk_of(spec.parent) if spec.parent else None
    iku = lookup.iku(*spec.iku) if spec.iku else None
    action = lookup.action(*spec.action) if spec.action else None
    source = spec.source
    if (spec.parent and parent is None) or (spec.iku and iku is None) or (spec.action and action is None):
        if spec.source == "PK" or employee.jenjang in PIMPINAN:
            return None
        source, parent, iku, action = "TIM_KERJA", None, None, None
    if source == "MATRIK_PERAN_HASIL":
        share = skp_services.share_rhk(parent.skp.employee, parent, employee, spec.text)
        return skp_services.take_share(employee, skp, share)
    return skp_services.add_rhk(employee, skp, text=spec.text, kind=spec.kind, source=source, parent_rhk=parent,
                                iku=iku, rencana_aksi=action, task_origin=spec.origin,
                                task_origin_note=spec.origin_note)


def build_skps(demo: Demo) -> None:
    """Give every demo employee in ``SKP_SPECS`` his SKP of the year, cascaded from the PK, top-down.

    The employee drafts (RHK, IKI, lampiran) and submits; his Pejabat Penilai records the dialog
    kinerja, states the ekspektasi khusus and approves (or returns), himself or as PLT. An employee who
    already has a current SKP of the year is skipped. Then the printed login hints say who is waiting.
    """
    lookup = _Lookup(demo)
    for index, spec in enumerate(SKP_SPECS):
        employee = demo.people[spec.key]
        if current_skp(employee, demo.year) is not None:
            continue
        skp = skp_services.create_skp(employee, employee, demo.year)
        for rhk_spec in spec.rhk:
            rhk = _add_rhk(lookup, employee, skp, rhk_spec)
            if rhk is None:
                continue
            lookup.rhk[rhk_spec.ref] = rhk
            for iki in rhk_spec.iki:
                skp_services.add_iki(employee, rhk, text=iki.text, aspek=iki.aspek, target=iki.target,
                                     unit_of_measure=iki.unit)
        group = _group(employee)
        skp_services.set_lampiran(employee, skp, *LAMPIRAN[group])
        assessor = resolve(employee).assessor
        if assessor is not None:
            for value, text in EXPECTATIONS[group]:
                skp_services.set_perilaku_expectation(assessor, skp, value, text)
            remote = employee.unit.effective_timezone != assessor.unit.effective_timezone
            skp_services.record_dialog(
                assessor, employee, held_on=_held_on(demo.year, index), medium="DARING" if remote else "TATAP_MUKA",
                summary=f"Dialog kinerja penyusunan SKP {demo.year}: RHK diturunkan dari "
                        + ("Perjanjian Kinerja unit." if employee.jenjang in PIMPINAN
                           else "rencana hasil kerja Pejabat Penilai."),
                agreed_points="Target dan indikator disepakati; capaian dibahas setiap triwulan.", skp=skp)
        if spec.outcome == "DRAFT" or assessor is None or not any(r.kind == "UTAMA" for r in skp.rhk):
            continue
        skp_services.submit_skp(employee, skp)
        if spec.outcome == "APPROVED":
            skp_services.approve_skp(assessor, skp)
        elif spec.outcome == "RETURNED":
            skp_services.return_skp(assessor, skp, spec.return_reason)
    _hint_pending(demo)


STATUS_HINTS = {
    "DRAFT": "SKP {year} masih draf",
    "SUBMITTED": "SKP {year} menunggu persetujuan",
    "RETURNED": "SKP {year} dikembalikan Pejabat Penilai: perbaiki lalu ajukan lagi",
}


def _hint_pending(demo: Demo) -> None:
    """Add to the printed login table whose SKP is not approved and which assessor has SKPs waiting."""
    for position, login in enumerate(demo.logins):
        employee = demo.people.get(login.key)
        if employee is None:
            continue
        notes = []
        skp = current_skp(employee, demo.year)
        if skp is None and employee.jenjang != "KEPALA":
            notes.append(f"belum ada SKP {demo.year}")
        elif skp is not None and skp.status in STATUS_HINTS:
            note = STATUS_HINTS[skp.status].format(year=demo.year)
            if skp.status == "DRAFT" and skp.assessor_id is None:
                note += " (tanpa Pejabat Penilai sampai PLT/PLH ditunjuk)"
            notes.append(note)
        waiting = approval_queue_count(employee, demo.year)
        if waiting:
            notes.append(f"{waiting} SKP menunggu persetujuan Anda")
        if notes:
            demo.logins[position] = dataclasses.replace(login, hint="; ".join([login.hint, *notes]))

"""Execution content of the demo (docs/demo.md, "Visum"): the recent visum of every employee who has
an approved SKP — the working days of the previous week and of the current week up to today, each
in the time zone of the employee's unit.

Everything goes through the real services. The visum are history (last week is closed by the time
the demo runs), so they are written by the one back-dated path, ``visum_import.import_past_visum``:
the system (actor None) files each on its day, in the afternoon local time, with the IKI of the
employee's approved SKP, and every row is audited as a back-dated import (``visum.import_past``,
reason ``IMPORT_REASON``). A week ``lock-week`` has already recorded is left alone (the import
refuses it). Some visum get a link as evidence; the Pejabat Penilai (the PLT where the post is
held by one) approves the previous week's visum the next working morning, and returns a few with a
reason. This week's visum stay SUBMITTED for the inbox, as do the previous Friday's visum of
the team of the lagging assessor (``LAGGING_ASSESSOR``), so the "waiting for approval" reminders
have something to show.

Idempotent: each visum carries the client token ``demo-YYYY-MM-DD``; a day that already has it is
left alone (also when its status was changed in the browser since), so a second ``seed-demo`` writes
nothing, and a run a week later adds the new days only.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from kinerja import clock
from kinerja.execution import services
from kinerja.execution.models import Visum
from kinerja.execution.realisasi_queries import skp_ikis
from kinerja.execution.visum_import import import_past_visum
from kinerja.extensions import db
from kinerja.org.models import AssessorLink, Employee
from kinerja.org.relations import link_covers, resolve
from kinerja.planning.skp_queries import approved_skp
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import is_working_day
from kinerja.rules.week import VisumLocked

if TYPE_CHECKING:  # kinerja.demo imports this module
    from kinerja.demo import Demo

FILED_AT = time(16, 30)  # the employee files in the afternoon of the day, local time
APPROVED_AT = time(9, 0)  # the assessor approves the next working morning, local time
TOKEN = "demo-{day}"

# What a day's visum says, by kind of post: (activity, quantity, unit). Picked in turn, day by day.
ACTIVITIES: dict[str, tuple[tuple[str, float, str], ...]] = {
    "pimpinan": (
        ("Memimpin rapat koordinasi capaian kinerja unit", 1, "rapat"),
        ("Menelaah dan menandatangani naskah dinas", 6, "naskah"),
        ("Memantau realisasi anggaran dan rencana aksi bersama para kepala bagian", 1, "laporan"),
        ("Menerima audiensi mitra kerja dan pemerintah daerah", 2, "pertemuan"),
        ("Mendisposisikan surat masuk dan memberi arahan tindak lanjut", 12, "surat"),
    ),
    "staf": (
        ("Menyusun draf laporan kegiatan", 1, "dokumen"),
        ("Mengolah data capaian indikator kinerja", 1, "tabel data"),
        ("Menyiapkan bahan rapat koordinasi", 1, "paket bahan"),
        ("Memperbarui basis data dan arsip digital", 25, "berkas"),
        ("Menyusun notula rapat dan tindak lanjutnya", 1, "notula"),
    ),
    "lapangan": (
        ("Memberikan KIE dan konseling KB kepada PUS di desa binaan", 8, "PUS"),
        ("Mendampingi keluarga berisiko stunting bersama Tim Pendamping Keluarga", 5, "keluarga"),
        ("Melaksanakan pelayanan KB bergerak bersama bidan puskesmas", 1, "kegiatan"),
        ("Memutakhirkan data hasil Pendataan Keluarga", 30, "keluarga"),
        ("Membina kelompok Bina Keluarga Balita di kampung KB", 1, "kelompok"),
    ),
}

# Employee key -> reason: his visum of the previous week's Wednesday comes back from the assessor.
RETURNED: dict[str, str] = {
    "dit_jf": "Bukti dukung belum dilampirkan; lampirkan notula atau daftar hadir rapat.",
    "penyuluh_kb": "Jumlah PUS tidak sesuai laporan harian; periksa lagi dan ajukan ulang.",
    "sulsel_iiid": "IKI yang dipilih tidak sesuai kegiatan; pilih IKI pengelolaan keuangan.",
}
RETURN_DAY = 2  # Wednesday
LAGGING_ASSESSOR = "sekretaris_sulsel"  # has not approved the previous week's Friday yet
EVIDENCE_EVERY = 3  # every third visum of an employee has a link as evidence
EVIDENCE_URL = "https://dokumen.bkkbn.go.id/visum/{nip}/{day}"
IMPORT_REASON = "seed-demo: visum contoh minggu lalu dan minggu ini"


def _group(employee: Employee) -> str:
    from kinerja.demo_planning import _group as planning_group

    return planning_group(employee)


def recent_days(today: date) -> tuple[list[date], list[date]]:
    """Return the working days of the previous week and of the current week up to ``today``."""
    monday = week_rules.week_start(today)
    previous = [monday - timedelta(days=7 - offset) for offset in range(7)]
    current = [day for day in week_rules.week_days(today) if day <= today]
    return [d for d in previous if is_working_day(d)], [d for d in current if is_working_day(d)]


def _at(day: date, moment: time, tz: str, now: datetime) -> datetime:
    """Return ``day`` at ``moment`` local time as an aware instant, never after ``now``."""
    return min(datetime.combine(day, moment, tzinfo=week_rules.zone(tz)).astimezone(UTC), now)


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _has_visum(employee: Employee, day: date) -> bool:
    return db.session.scalar(select(Visum.id).where(
        Visum.employee_id == employee.id, Visum.client_token == TOKEN.format(day=day.isoformat()))) is not None


def build_visum(demo: Demo) -> None:
    """File the recent visum of everybody with an approved SKP, and let the assessors decide last week's.

    Days outside the demo year or the SKP's period are skipped, as are days already filed and weeks
    ``lock-week`` has recorded (a later run never writes into a locked week).
    """
    now = clock.now()
    for key, employee in demo.people.items():
        tz = clock.zone_of(employee)
        previous, current = recent_days(week_rules.local_date(now, tz))
        assessor = resolve(employee).assessor
        group = _group(employee)
        for index, day in enumerate(previous + current):
            skp = approved_skp(employee, demo.year, on=day) if day.year == demo.year else None
            if skp is None or _has_visum(employee, day):
                continue
            iki = skp_ikis(skp)
            if not iki:
                continue
            activity, quantity, unit = ACTIVITIES[group][day.toordinal() % len(ACTIVITIES[group])]
            returned = key in RETURNED and day in previous and day.weekday() == RETURN_DAY
            links = [EVIDENCE_URL.format(nip=employee.nip, day=day.isoformat())] \
                if (index + employee.id) % EVIDENCE_EVERY == 0 and not returned else []
            try:
                visum = import_past_visum(employee, day=day, activity=activity, filed_at=_at(day, FILED_AT, tz, now),
                                          reason=IMPORT_REASON, iki_id=iki[day.toordinal() % len(iki)].id,
                                          output_quantity=quantity, output_unit=unit, links=links,
                                          client_token=TOKEN.format(day=day.isoformat()))
            except VisumLocked:  # lock-week has recorded this week: it stays as it was locked
                continue
            if day not in previous or assessor is None:
                continue  # this week's visum wait in the inbox
            if day.weekday() == 4 and assessor == demo.people.get(LAGGING_ASSESSOR):
                continue
            decided_at = _at(_next_working_day(day), APPROVED_AT, tz, now)
            if returned:
                services.return_visum(assessor, visum, RETURNED[key], now=decided_at)
            else:
                services.approve_visum(assessor, visum, now=decided_at)
    _hint_visum(demo)


def _waiting_for(assessor: Employee) -> int:
    """Count the submitted visum of the people an employee assesses today (not as PLT/PLH)."""
    return db.session.scalar(
        select(func.count(Visum.id)).join(AssessorLink, AssessorLink.employee_id == Visum.employee_id)
        .where(AssessorLink.assessor_id == assessor.id, link_covers(clock.today()), Visum.status == "SUBMITTED",
               Visum.employee_id != assessor.id))


def _hint_visum(demo: Demo) -> None:
    """Add to the printed login table who has visum waiting for approval and whose visum came back."""
    for position, login in enumerate(demo.logins):
        employee = demo.people.get(login.key)
        if employee is None:
            continue
        notes = []
        returned = db.session.scalar(select(func.count(Visum.id)).where(
            Visum.employee_id == employee.id, Visum.status == "RETURNED"))
        if returned:
            notes.append(f"{returned} visum dikembalikan")
        waiting = _waiting_for(employee)
        if waiting:
            notes.append(f"{waiting} visum menunggu persetujuan Anda")
        if notes:
            demo.logins[position] = dataclasses.replace(login, hint="; ".join([login.hint, *notes]))

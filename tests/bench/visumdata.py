"""Build six million visum for the 25,000-employee agency of ``orgdata``, fast, for benchmarks.

One visum per employee per working day, for the 240 working days up to today (~6,000,000 rows),
ids in chronological order as in production. Statuses: the current and the previous week
``SUBMITTED`` (the inboxes are full), older ones ``APPROVED`` by the employee's assessor the next
morning, one in 250 ``RETURNED``. ``locked`` (what ``lock-week`` records) is true for the weeks
before the previous one: the previous week is closed but not yet recorded, so a ``lock-week``
benchmark has exactly one agency week (~125,000 visum) to do. No IKI or SKP (none in the bench
organisation); channel from the jenjang.

SQLite: ``executemany`` of plain tuples with the visum indexes dropped, foreign keys and
synchronous writes off, in transactions of ~500,000 rows; PostgreSQL: one ``COPY`` in text format
with foreign-key triggers off (``session_replication_role = replica``), then the indexes, the id
sequence and ``VACUUM ANALYZE``. Built once and reused between runs (``tests/bench/cache.py``).
"""

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.schema import CreateIndex

from kinerja import clock
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import AssessorLink, Employee
from kinerja.rules import week as week_rules
from kinerja.rules.visum import visum_channel
from tests.bench import cache

WORKING_DAYS = 240
RETURNED_EVERY = 250
DAYS_PER_TRANSACTION = 20  # 500,000 rows
COLUMNS = ("id", "employee_id", "day", "activity", "output_quantity", "output_unit", "status", "channel",
           "return_reason", "created_at", "updated_at", "approved_at", "approved_by_id", "locked", "version")
ACTIVITIES = (
    "Menyusun draf laporan kegiatan bulanan",
    "Mengolah data capaian indikator kinerja unit",
    "Menyiapkan bahan rapat koordinasi",
    "Memberikan KIE dan konseling KB kepada PUS di desa binaan",
    "Memperbarui basis data dan arsip digital",
    "Mendampingi keluarga berisiko stunting bersama Tim Pendamping Keluarga",
    "Menyusun notula rapat dan tindak lanjutnya",
    "Memverifikasi dokumen pertanggungjawaban keuangan",
)
RETURN_REASON = "Bukti dukung belum dilampirkan."
assert len(ACTIVITIES) == 8  # the row builders pick with ``% 8``


def fingerprint(org_print: str, today: date | None = None) -> str:
    """Fingerprint of the visum layer: the organisation it hangs on, this module, and the week it ends in."""
    today = today or clock.today()
    return cache.fingerprint(org_print, Path(__file__), week_rules.week_start(today))


def days_until(today: date, count: int = WORKING_DAYS) -> list[date]:
    """Return the last ``count`` working days (Monday–Friday) up to ``today``, oldest first."""
    days, day = [], today
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def drop_visum() -> None:
    """Remove every visum (and what hangs on them) before a rebuild."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE visum RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("DELETE FROM visum_evidence"))
        db.session.execute(text("DELETE FROM feedback"))
        db.session.execute(text("DELETE FROM visum"))
    db.session.commit()


def _people() -> list[tuple[int, int | None, str]]:
    """Return (employee id, assessor id, channel) of every employee, from a fresh assessor snapshot."""
    refresh_assessor_links()
    db.session.commit()
    assessors = dict(db.session.execute(select(AssessorLink.employee_id, AssessorLink.assessor_id)).all())
    rows = db.session.execute(select(Employee.id, Employee.jenjang, Employee.jf_name).order_by(Employee.id)).all()
    return [(emp_id, assessors.get(emp_id), visum_channel(jenjang, jf_name).value) for emp_id, jenjang, jf_name in rows]


def _decision(emp_id: int, assessor_id: int | None, ordinal: int, pending: bool) -> str:
    """Return the status of one employee's visum of one day."""
    if pending or assessor_id is None:
        return "SUBMITTED"
    return "RETURNED" if (emp_id * 7 + ordinal) % RETURNED_EVERY == 0 else "APPROVED"


def _rows(day: date, first_id: int, people, submitted_from: date, locked_before: date):
    """Yield one day's rows as tuples in ``COLUMNS`` order, in SQLite's storage formats."""
    ordinal = day.toordinal()
    created = f"{day.isoformat()} 02:00:00.000000"  # 09:00 WIB, SQLAlchemy's SQLite DateTime format
    decided = f"{(day + timedelta(days=1)).isoformat()} 02:00:00.000000"
    day_value, pending, locked = day.isoformat(), day >= submitted_from, int(day < locked_before)
    for offset, (emp_id, assessor_id, channel) in enumerate(people):
        key = emp_id + ordinal
        status = _decision(emp_id, assessor_id, ordinal, pending)
        if status == "SUBMITTED":
            yield (first_id + offset, emp_id, day_value, ACTIVITIES[key % 8], 1 + key % 4, "dokumen", status, channel,
                   None, created, created, None, None, locked, 1)
        else:
            approved = status == "APPROVED"
            yield (first_id + offset, emp_id, day_value, ACTIVITIES[key % 8], 1 + key % 4, "dokumen", status, channel,
                   None if approved else RETURN_REASON, created, decided, decided if approved else None,
                   assessor_id if approved else None, locked, 2)


def _lines(day: date, first_id: int, people, submitted_from: date, locked_before: date) -> str:
    """Return one day's rows as PostgreSQL COPY text (tab-separated, ``\\N`` for null)."""
    ordinal = day.toordinal()
    created = f"{day.isoformat()} 02:00:00"
    decided = f"{(day + timedelta(days=1)).isoformat()} 02:00:00"
    day_value, pending, locked = day.isoformat(), day >= submitted_from, "t" if day < locked_before else "f"
    out = []
    for offset, (emp_id, assessor_id, channel) in enumerate(people):
        key = emp_id + ordinal
        status = _decision(emp_id, assessor_id, ordinal, pending)
        head = (f"{first_id + offset}\t{emp_id}\t{day_value}\t{ACTIVITIES[key % 8]}\t{1 + key % 4}\tdokumen\t"
                f"{status}\t{channel}")
        if status == "SUBMITTED":
            out.append(f"{head}\t\\N\t{created}\t{created}\t\\N\t\\N\t{locked}\t1\n")
        elif status == "APPROVED":
            out.append(f"{head}\t\\N\t{created}\t{decided}\t{decided}\t{assessor_id}\t{locked}\t2\n")
        else:
            out.append(f"{head}\t{RETURN_REASON}\t{created}\t{decided}\t\\N\t\\N\t{locked}\t2\n")
    return "".join(out)


def _index_ddl() -> list[str]:
    return [str(CreateIndex(index).compile(dialect=db.engine.dialect)) for index in Visum.__table__.indexes]


def _load_sqlite(connection, days, people, submitted_from, locked_before) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute("PRAGMA synchronous=OFF")
    for index in Visum.__table__.indexes:
        cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
    insert = f"INSERT INTO visum ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"

    next_id = 1
    for start in range(0, len(days), DAYS_PER_TRANSACTION):
        for day in days[start:start + DAYS_PER_TRANSACTION]:
            cursor.executemany(insert, _rows(day, next_id, people, submitted_from, locked_before))
            next_id += len(people)
        connection.commit()
    for ddl in _index_ddl():
        cursor.execute(ddl)
    cursor.execute("ANALYZE visum")
    connection.commit()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _load_postgresql(connection, days, people, submitted_from, locked_before) -> None:
    pg = connection.driver_connection  # the psycopg connection
    with pg.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no foreign-key triggers during the load
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for index in Visum.__table__.indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {index.name}")
        next_id = 1
        with cursor.copy(f"COPY visum ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for day in days:
                copy.write(_lines(day, next_id, people, submitted_from, locked_before))
                next_id += len(people)
        for ddl in _index_ddl():
            cursor.execute(ddl)
        cursor.execute("SELECT setval(pg_get_serial_sequence('visum', 'id'), (SELECT max(id) FROM visum))")
        cursor.execute("SET session_replication_role = DEFAULT")
    pg.commit()
    pg.autocommit = True
    try:
        pg.execute("VACUUM ANALYZE visum")
    finally:
        pg.autocommit = False


def build_visum(today: date | None = None) -> dict:
    """Insert the visum of the 240 working days up to today for every employee; return counts."""
    today = today or clock.today()
    days = days_until(today)
    this_monday = week_rules.week_start(today)
    previous_monday = this_monday - timedelta(days=7)
    people = _people()
    db.session.commit()
    connection = db.engine.raw_connection()
    try:
        load = _load_postgresql if db.engine.dialect.name == "postgresql" else _load_sqlite
        load(connection, days, people, previous_monday, previous_monday)
    finally:
        connection.close()
    return {"visum": len(days) * len(people), "visum_days": len(days), "visum_first_day": days[0].isoformat(),
            "visum_last_day": days[-1].isoformat(), "visum_submitted_from": previous_monday.isoformat()}


def verify(counts: dict) -> bool:
    """Tell whether the visum a record describes are still there (the test suite may have emptied them)."""
    last = db.session.scalar(select(Visum.id).order_by(Visum.id.desc()).limit(1))
    db.session.commit()
    return last == counts.get("visum")

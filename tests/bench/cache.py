"""Keep the agency-sized bench data between runs: it takes minutes to build (6 million visum).

Each built layer ("org", "visum") is recorded in a small ``bench_cache`` table with a fingerprint of
what it depends on: the schema's DDL, the source of the module that builds it, and the dates the
data is relative to. A run reuses a layer whose fingerprint still matches and rebuilds otherwise.

- **SQLite** (default): the data is built once into a template file in ``KINERJA_BENCH_CACHE_DIR``
  (default ``instance/bench-cache``, ignored by git), under a file lock, and every session works on
  its own copy in the session's temporary directory — nothing a benchmark writes outlives it, and
  two bench runs at once do not meet.
- **PostgreSQL** (``KINERJA_BENCH_DATABASE_URL``): the data stays in that database; a session
  reusing it first empties every table that is not base data (``BASE_TABLES``). Give the bench a
  database of its own: the test suite's ``drop_all`` (same URL as ``KINERJA_TEST_DATABASE_URL``)
  wipes the cache, which is then rebuilt on the next bench run.

Benchmarks must leave the base tables as they found them (reset what they change, e.g. the
approved visum of ``test_bench_execution.py``).
"""

import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, inspect, select, text
from sqlalchemy.schema import CreateIndex, CreateTable

from kinerja.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BASE_TABLES = {"unit", "employee", "position", "visum"}

_meta = MetaData()
bench_cache = Table(
    "bench_cache", _meta,
    Column("name", String(20), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("counts", Text, nullable=False),
    Column("built_at", DateTime, nullable=False),
)


def cache_dir() -> Path:
    """Return the folder of the SQLite templates (created when missing)."""
    folder = Path(os.environ.get("KINERJA_BENCH_CACHE_DIR") or ROOT / "instance" / "bench-cache")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def schema_fingerprint() -> str:
    """Hash the DDL of every table and index of the application's schema, for the current dialect."""
    dialect = db.engine.dialect
    parts = []
    for table in db.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)))
        parts += sorted(str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(*parts) -> str:
    """Hash the parts (strings, dates, or paths whose content counts) into one fingerprint."""
    digest = hashlib.sha256()
    for part in parts:
        data = Path(part).read_bytes() if isinstance(part, Path) else str(part).encode()
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def recorded(name: str) -> tuple[str, dict] | None:
    """Return the fingerprint and counts recorded for a layer, or None."""
    if not inspect(db.engine).has_table("bench_cache"):
        return None
    row = db.session.execute(select(bench_cache.c.fingerprint, bench_cache.c.counts)
                             .where(bench_cache.c.name == name)).first()
    db.session.commit()
    return (row[0], json.loads(row[1])) if row else None


def record(name: str, print_: str, counts: dict) -> None:
    """Record that a layer with this fingerprint is complete (the caller built it)."""
    _meta.create_all(db.engine)
    db.session.execute(bench_cache.delete().where(bench_cache.c.name == name))
    db.session.execute(bench_cache.insert().values(name=name, fingerprint=print_, counts=json.dumps(counts),
                                                   built_at=datetime.now()))
    db.session.commit()


def forget(*names: str) -> None:
    """Drop the records of layers about to be rebuilt."""
    if inspect(db.engine).has_table("bench_cache"):
        db.session.execute(bench_cache.delete().where(bench_cache.c.name.in_(names)))
        db.session.commit()


def ensure(name: str, print_: str, build: Callable[[], dict], *, drop: Callable[[], None]) -> tuple[dict, bool]:
    """Reuse a layer whose fingerprint matches, else ``drop`` what is there, ``build`` and record it.

    Returns the layer's counts and whether it was built now.
    """
    found = recorded(name)
    if found is not None and found[0] == print_:
        return found[1], False
    forget(name)
    drop()
    counts = build()
    record(name, print_, counts)
    return counts, True


def empty_scratch_tables() -> None:
    """Delete every row of the tables that are not base data (what earlier sessions left)."""
    from tests.conftest import delete_rows

    delete_rows([t for t in reversed(db.metadata.sorted_tables) if t.name not in BASE_TABLES])
    db.session.commit()


@contextmanager
def locked(path: Path):
    """Hold an exclusive lock on ``path`` (a lock file) while building a template."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def checkpoint_sqlite() -> None:
    """Fold the WAL into the main file so the template can be copied as one file."""
    db.session.commit()
    db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db.session.commit()


def copy_template(template: Path, target: Path) -> None:
    """Copy a SQLite template (its main file; the WAL was checkpointed) to a session's own file."""
    shutil.copyfile(template, target)

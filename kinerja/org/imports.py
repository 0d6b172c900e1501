"""All-or-nothing CSV imports of units, employees and acting assignments (INTERFACES.md).

An import is checked in full first: every row is validated against the file and the
database, and every problem is collected as ``(line, message)`` with the header being line 1.
Only a file without a single problem is applied, through ``kinerja.org.services`` (or, for
employees, a bulk path that writes the same ``Position`` and audit rows), and the assessor
snapshot is refreshed. Nothing here commits: the caller (CLI command, HR page) commits once,
so a failure half-way leaves the database as it was.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy import func, insert, select

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.extensions import db
from kinerja.org import services
from kinerja.org.models import ActingAssignment, Employee, Position, Unit
from kinerja.rules.vocabulary import (
    TIMEZONE_LABELS,
    WIB,
    WITA,
    ActingKind,
    EmploymentStatus,
    Jenjang,
    Region,
    UnitKind,
    UnitLevel,
)

UNIT_HEADER = ("code", "name", "parent_code", "level", "region", "kind", "timezone")
EMPLOYEE_HEADER = ("nip", "name", "status", "jenjang", "jf_name", "golongan", "unit_code", "is_head", "email")
ACTING_HEADER = ("nip", "unit_code", "kind", "start", "end")
HEADERS = {"units": UNIT_HEADER, "employees": EMPLOYEE_HEADER, "acting": ACTING_HEADER}
KIND_LABELS = {"units": "Unit kerja", "employees": "Pegawai", "acting": "PLT/PLH"}

# Jenjang that are functional positions and so may carry a JF name (e.g. "Penyuluh KB").
JF_JENJANG = frozenset({Jenjang.JF, Jenjang.JF_UTAMA, Jenjang.PPPK_PENYULUH_KB})
NIP_RE = re.compile(r"[0-9]{18}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_LENGTHS = {"code": 40, "name": 255, "jf_name": 120, "email": 255}


def escape_controls(text: str) -> str:
    """Show control characters visibly, as Python's ``repr`` does: a newline as ``\\n``, a tab as
    ``\\t``, others as ``\\xNN`` / ``\\uNNNN``; a backslash stays as it is.

    A value quoted in a CSV file may hold a newline; echoed as such it would split one problem over
    two lines of the CLI's ``FILE:LINE: message`` output (and of the HR page's list).
    """
    return "".join(_ESCAPES.get(char) or (repr(char)[1:-1] if _is_control(char) else char) for char in text)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _is_control(char: str) -> bool:
    # C0/C1 controls, and the Unicode line and paragraph separators that split lines too
    return char < " " or "\x7f" <= char <= "\x9f" or char in "\u2028\u2029"


@dataclass(frozen=True)
class Problem:
    """One problem in an import file: its line (the header is line 1) and a message on one line.

    Every message passes through ``escape_controls``: the values it quotes from the file show
    their newlines and control characters escaped, so one problem is always one line.
    """

    line: int
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", escape_controls(self.message))


@dataclass(frozen=True)
class ZoneChange:
    """A unit whose time zone (its own or inherited) an import changes, with the sub-units that follow it.

    ``codes`` are the unit and the sub-units whose zone changes with it; ``employees`` are placed in them.
    """

    code: str
    name: str
    before: str
    after: str
    codes: tuple[str, ...]
    employees: int

    def message(self) -> str:
        """Say what HR should know before committing, in one line."""
        sub_units = len(self.codes) - 1
        where = f"{self.name} ({self.code})" + (f" dan {sub_units} sub-unitnya" if sub_units else "")
        return (f"Zona waktu berubah: {escape_controls(where)} {zone_label(self.before)} → {zone_label(self.after)}; "
                f"{self.employees} pegawai; minggu yang sudah ditutup tetap tertutup")


def zone_label(tz: str) -> str:
    """Name a zone as Indonesians do (WIB, WITA, WIT), or by its IANA name."""
    return TIMEZONE_LABELS.get(tz, tz)


@dataclass
class ImportPlan:
    """What a file would do: its validated rows (each with ``line`` and ``action``
    ``create``/``update``/``unchanged``), or the problems that stop it; for units, the time
    zones it changes (``zone_changes``)."""

    kind: str
    rows: list[dict] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    applied: bool = False
    zone_changes: list[ZoneChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        """Count the rows with the given action."""
        return sum(1 for row in self.rows if row["action"] == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    def summary(self) -> str:
        """Describe the counts in one Indonesian sentence."""
        return (f"{KIND_LABELS[self.kind]}: {self.created} baru, {self.updated} diubah, "
                f"{self.unchanged} tidak berubah.")


class _Rows:
    """Collect problems while rows are checked."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan

    def error(self, line: int, message: str) -> None:
        self.plan.errors.append(Problem(line, message))


# --- reading ---------------------------------------------------------------------------------

def read_csv(data: bytes, header: tuple[str, ...]) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Decode and split a CSV file; return ``(line, cells)`` of the data rows, or the problems
    that make the file unreadable (bad encoding, wrong header, broken quoting)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [Problem(line, "berkas bukan teks UTF-8; simpan ulang sebagai \"CSV UTF-8\"")]
    if "\x00" in text:  # UTF-16 or binary; PostgreSQL would refuse it in a text column anyway
        line = text[: text.index("\x00")].count("\n") + 1
        return [], [Problem(line, "berkas berisi karakter NUL: bukan teks CSV UTF-8")]
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    last = 0
    try:
        for cells in reader:
            line, last = last + 1, reader.line_num
            records.append((line, [cell.strip() for cell in cells]))
    except csv.Error:  # in practice only a field over csv.field_size_limit(): an unclosed quote
        problems.append(Problem(last + 1, "baris CSV rusak: isian terlalu panjang atau tanda kutip tidak tertutup"))
    if not records:
        return [], problems or [Problem(1, "berkas kosong: baris kepala kolom tidak ada")]
    _, found = records[0]
    if tuple(found) != header:
        return [], [Problem(1, _header_message(found, header))]
    rows = []
    for line, cells in records[1:]:
        if not any(cells):
            continue  # blank lines (or a row of empty cells from a spreadsheet) are skipped
        if len(cells) != len(header):
            problems.append(Problem(line, f"baris berisi {len(cells)} kolom, seharusnya {len(header)}"))
            continue
        rows.append((line, cells))
    return rows, problems


def _header_message(found: list[str], header: tuple[str, ...]) -> str:
    expected = ",".join(header)
    missing = [name for name in header if name not in found]
    extra = [name for name in found if name not in header]
    parts = []
    if missing:
        parts.append("kolom hilang: " + ", ".join(missing))
    if extra:
        parts.append("kolom tidak dikenal: " + ", ".join(name or "(kosong)" for name in extra))
    if not parts:
        parts.append("urutan atau jumlah kolom berbeda")
    return f"kepala kolom harus persis \"{expected}\" ({'; '.join(parts)})"


def _check_length(rows: _Rows, line: int, column: str, value: str) -> None:
    limit = MAX_LENGTHS[column]
    if len(value) > limit:
        rows.error(line, f"{column} terlalu panjang ({len(value)} karakter, paling banyak {limit})")


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


# --- units -----------------------------------------------------------------------------------

def check_units(data: bytes) -> ImportPlan:
    """Validate a units.csv against itself and the database."""
    plan = ImportPlan("units")
    records, plan.errors = read_csv(data, UNIT_HEADER)
    out = _Rows(plan)
    existing = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    code_by_id = {unit.id: code for code, unit in existing.items()}
    seen: dict[str, int] = {}
    for line, (code, name, parent_code, level, region, kind, timezone) in records:
        if not code:
            out.error(line, "code wajib diisi")
        elif code in seen:
            out.error(line, f"code {code} ganda: sudah ada di baris {seen[code]}")
        else:
            _check_length(out, line, "code", code)
            seen[code] = line
            plan.rows.append(dict(line=line, code=code, name=name, parent_code=parent_code or None, level=level,
                                  region=region, kind=kind or None, timezone=timezone or None))
        if not name:
            out.error(line, "name wajib diisi")
        else:
            _check_length(out, line, "name", name)
        if level not in UnitLevel.__members__:
            out.error(line, f"level \"{level}\" tidak dikenal (pilih {', '.join(UnitLevel)})")
        if region not in Region.__members__:
            out.error(line, f"region \"{region}\" tidak dikenal (pilih {', '.join(Region)})")
        if kind and kind not in UnitKind.__members__:
            out.error(line, f"kind \"{kind}\" tidak dikenal (kosong atau {', '.join(UnitKind)})")
        if timezone and timezone not in _timezones():
            out.error(line, f"timezone \"{timezone}\" bukan zona waktu IANA (mis. {WIB}, {WITA})")
        if level == UnitLevel.BADAN and parent_code:
            out.error(line, "unit BADAN adalah akar pohon: parent_code harus kosong")
        elif level in UnitLevel.__members__ and level != UnitLevel.BADAN and not parent_code:
            out.error(line, "parent_code wajib diisi (hanya unit BADAN yang tanpa induk)")

    # The tree as it would be after the import: the database, overridden by the file.
    parent_of = {code: code_by_id.get(unit.parent_id) for code, unit in existing.items()}
    level_of = {code: unit.level for code, unit in existing.items()}
    for row in plan.rows:
        parent_of[row["code"]], level_of[row["code"]] = row["parent_code"], row["level"]
    _check_parents(out, plan.rows, parent_of)
    _check_single_root(out, plan.rows, level_of)
    _check_cycles(out, plan.rows, parent_of)

    for row in plan.rows:
        unit = existing.get(row["code"])
        if unit is None:
            row["action"] = "create"
        else:
            current = (unit.name, code_by_id.get(unit.parent_id), unit.level, unit.region, unit.kind or None,
                       unit.timezone or None)
            wanted = (row["name"], row["parent_code"], row["level"], row["region"], row["kind"], row["timezone"])
            row["action"] = "unchanged" if current == wanted else "update"
    plan.errors.sort(key=lambda problem: problem.line)
    if plan.ok:
        plan.rows = _parents_first(plan.rows, parent_of)
        plan.zone_changes = _zone_changes(existing, plan.rows, parent_of)
    return plan


def _zone_changes(existing: dict[str, Unit], rows: list[dict], parent_of: dict) -> list[ZoneChange]:
    """Tell which existing units the file moves to another time zone (own or inherited from above).

    The zone after the import is inherited down the tree as ``services.refresh_unit_tree`` does,
    over the tree the file leaves (acyclic: checked before). One change per top-most unit, with
    the sub-units that follow it and the employees placed in them.
    """
    own = {code: unit.timezone for code, unit in existing.items()} | {row["code"]: row["timezone"] for row in rows}
    names = {code: unit.name for code, unit in existing.items()} | {row["code"]: row["name"] for row in rows}
    after: dict[str, str] = {}

    def zone_after(code: str) -> str:
        chain = []
        while code is not None and code not in after and not own.get(code):
            chain.append(code)
            code = parent_of.get(code)
        zone = (after.get(code) or own.get(code) or clock.default_zone()) if code is not None \
            else clock.default_zone()
        if code is not None:
            after[code] = zone
        for item in chain:
            after[item] = zone
        return zone

    moved = {code: (unit.effective_timezone, zone_after(code)) for code, unit in existing.items()
             if unit.effective_timezone != zone_after(code)}
    if not moved:
        return []
    staff = dict(db.session.execute(select(Employee.unit_id, func.count(Employee.id))
                                    .where(Employee.unit_id.in_([existing[code].id for code in moved]))
                                    .group_by(Employee.unit_id)).all())

    def top_of(code: str) -> str:
        while parent_of.get(code) in moved and moved[parent_of[code]] == moved[code]:
            code = parent_of[code]
        return code

    groups: dict[str, list[str]] = defaultdict(list)
    for code in sorted(moved):
        groups[top_of(code)].append(code)
    return [ZoneChange(top, names[top], *moved[top], codes=tuple([top] + [c for c in codes if c != top]),
                       employees=sum(staff.get(existing[c].id, 0) for c in codes))
            for top, codes in sorted(groups.items())]


def _check_parents(out: _Rows, rows: list[dict], parent_of: dict) -> None:
    for row in rows:
        parent_code = row["parent_code"]
        if parent_code and parent_code not in parent_of:
            out.error(row["line"], f"unit induk {parent_code} tidak dikenal (tidak ada di berkas maupun di basis data)")


def _check_single_root(out: _Rows, rows: list[dict], level_of: dict) -> None:
    in_file = {row["code"] for row in rows}
    kept_roots = sorted(code for code, level in level_of.items() if level == UnitLevel.BADAN and code not in in_file)
    first_line = None
    for row in rows:
        if row["level"] != UnitLevel.BADAN:
            continue
        if kept_roots:
            out.error(row["line"], f"sudah ada unit BADAN {kept_roots[0]} di basis data; hanya boleh satu akar")
        elif first_line is not None:
            out.error(row["line"], f"unit BADAN kedua; akar sudah ditetapkan di baris {first_line}")
        else:
            first_line = row["line"]


def _check_cycles(out: _Rows, rows: list[dict], parent_of: dict) -> None:
    for row in rows:
        chain, current, visited = [row["code"]], row["parent_code"], set()
        while current and current not in visited:
            chain.append(current)
            if current == row["code"]:
                out.error(row["line"], "siklus pada pohon unit: " + " → ".join(chain))
                break
            visited.add(current)
            current = parent_of.get(current)


def _parents_first(rows: list[dict], parent_of: dict) -> list[dict]:
    """Order rows so that every parent is saved before its children (the tree is acyclic)."""
    depth: dict[str, int] = {}

    def depth_of(code: str) -> int:
        chain: list[str] = []
        while code is not None and code not in depth and code not in chain:  # never loop on a bad stored tree
            chain.append(code)
            code = parent_of.get(code)
        if code in chain:
            code = None
        base = depth[code] if code is not None else -1
        for item in reversed(chain):
            base += 1
            depth[item] = base
        return depth[chain[0]] if chain else base

    return sorted(rows, key=lambda row: depth_of(row["code"]))


def _apply_units(actor, plan: ImportPlan) -> None:
    units = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    zones_before = {code: unit.effective_timezone for code, unit in units.items()}
    for row in plan.rows:
        if row["action"] == "unchanged":
            continue
        units[row["code"]] = services.save_unit(
            actor, code=row["code"], name=row["name"], parent=units.get(row["parent_code"]),
            level=row["level"], region=row["region"], kind=row["kind"], timezone=row["timezone"], refresh=False,
        )
    services.refresh_unit_tree()
    _record_zone_changes(actor, plan, units, zones_before)


def _record_zone_changes(actor, plan: ImportPlan, units: dict[str, Unit], zones_before: dict[str, str]) -> None:
    """Audit every unit whose time zone (own or inherited) the import changed, as it is after the refresh.

    ``unit.timezone`` rows carry the zone in force before and after; the reason is the line HR saw
    in the preview (the unit that moved, its sub-units, the employees placed in them).
    """
    said = {code: change.message() for change in plan.zone_changes for code in change.codes}
    for code, before in sorted(zones_before.items()):
        after = units[code].effective_timezone
        if after != before:
            record(actor, "unit.timezone", "unit", code, {"timezone": before}, {"timezone": after},
                   said.get(code) or f"Zona waktu berubah: {zone_label(before)} → {zone_label(after)}")


# --- employees -------------------------------------------------------------------------------

def check_employees(data: bytes) -> ImportPlan:
    """Validate an employees.csv against itself and the database."""
    from kinerja.rules.golongan import is_valid_golongan, normalize_golongan

    plan = ImportPlan("employees")
    records, plan.errors = read_csv(data, EMPLOYEE_HEADER)
    out = _Rows(plan)
    unit_codes = {code: uid for uid, code in db.session.execute(select(Unit.id, Unit.code))}
    code_by_id = {uid: code for code, uid in unit_codes.items()}
    columns = [getattr(Employee, name) for name in ("nip", "name", "status", "jenjang", "jf_name", "golongan",
                                                     "unit_id", "is_head", "email")]
    current = {
        nip: (name, status, jenjang, jf_name or None, golongan or None, code_by_id.get(unit_id), bool(is_head),
              email or None)
        for nip, name, status, jenjang, jf_name, golongan, unit_id, is_head, email
        in db.session.execute(select(*columns))
    }
    seen: dict[str, int] = {}
    for line, (nip, name, status, jenjang, jf_name, golongan, unit_code, is_head, email) in records:
        valid_nip = bool(NIP_RE.fullmatch(nip))
        if not valid_nip:
            out.error(line, f"NIP \"{nip}\" harus 18 angka")
        elif nip in seen:
            out.error(line, f"NIP {nip} ganda: sudah ada di baris {seen[nip]}")
            valid_nip = False
        else:
            seen[nip] = line
        if not name:
            out.error(line, "name wajib diisi")
        else:
            _check_length(out, line, "name", name)
        if status not in EmploymentStatus.__members__:
            out.error(line, f"status \"{status}\" tidak dikenal (pilih {', '.join(EmploymentStatus)})")
        if jenjang not in Jenjang.__members__:
            out.error(line, f"jenjang \"{jenjang}\" tidak dikenal (pilih {', '.join(Jenjang)})")
        elif jenjang == Jenjang.PPPK_PENYULUH_KB and status in EmploymentStatus.__members__ and status != "PPPK":
            out.error(line, "jenjang PPPK_PENYULUH_KB hanya untuk status PPPK")
        if jf_name:
            _check_length(out, line, "jf_name", jf_name)
            if jenjang in Jenjang.__members__ and jenjang not in JF_JENJANG:
                out.error(line, f"jf_name hanya diisi untuk jenjang {', '.join(sorted(JF_JENJANG))}; "
                                f"kosongkan untuk {jenjang}")
        if status in EmploymentStatus.__members__:
            if not golongan:
                if jenjang != Jenjang.KEPALA:
                    out.error(line, "golongan wajib diisi")
            elif not is_valid_golongan(golongan, status):
                scale = "I … XVII" if status == "PPPK" else "I/a … IV/e"
                out.error(line, f"golongan \"{golongan}\" tidak berlaku untuk status {status} ({scale})")
            else:
                golongan = normalize_golongan(golongan)  # "iii / d" is stored as "III/d"
        if unit_code not in unit_codes:
            out.error(line, f"unit_code \"{unit_code}\" tidak dikenal" if unit_code else "unit_code wajib diisi")
        if is_head not in ("0", "1", ""):
            out.error(line, f"is_head \"{is_head}\" harus 1, 0, atau kosong")
        if email:
            _check_length(out, line, "email", email)
            if not EMAIL_RE.fullmatch(email):
                out.error(line, f"email \"{email}\" tidak valid")
        if valid_nip:
            row = dict(line=line, nip=nip, name=name, status=status, jenjang=jenjang, jf_name=jf_name or None,
                       golongan=golongan or None, unit_code=unit_code, is_head=is_head == "1", email=email or None)
            wanted = tuple(row[key] for key in ("name", "status", "jenjang", "jf_name", "golongan", "unit_code",
                                                "is_head", "email"))
            row["action"] = "create" if nip not in current else "unchanged" if current[nip] == wanted else "update"
            plan.rows.append(row)
    _check_heads(out, [row for row in plan.rows if row["unit_code"] in unit_codes], current)
    plan.errors.sort(key=lambda problem: problem.line)
    return plan


def _check_heads(out: _Rows, rows: list[dict], current: dict) -> None:
    """One head per unit: the file's heads plus the database's heads who are not in the file."""
    in_file = {row["nip"] for row in rows}
    db_heads: dict[str, str] = {}
    for nip, fields in current.items():
        if fields[6] and nip not in in_file:
            db_heads.setdefault(fields[5], nip)
    file_heads: dict[str, dict] = {}
    for row in rows:
        if not row["is_head"]:
            continue
        unit_code = row["unit_code"]
        if unit_code in db_heads:
            out.error(row["line"], f"unit {unit_code} sudah punya kepala di basis data (NIP {db_heads[unit_code]}); "
                                   "sertakan baris pegawai itu dengan is_head=0 bila kepala berganti")
        elif unit_code in file_heads:
            first = file_heads[unit_code]
            out.error(row["line"], f"unit {unit_code} punya dua kepala di berkas: NIP {first['nip']} "
                                   f"(baris {first['line']}) dan NIP {row['nip']}")
        else:
            file_heads[unit_code] = row


def _apply_employees(actor, plan: ImportPlan) -> None:
    """Save the employees in bulk: the same fields, ``Position`` history and audit rows as
    ``services.save_employee``, without its two queries and a flush per row (25,000 rows took
    38 s through it). New employees and their first positions go in as batched INSERTs."""
    unit_ids = dict(db.session.execute(select(Unit.code, Unit.id)).all())
    today = clock.today()
    new_rows = [row for row in plan.rows if row["action"] == "create"]
    if new_rows:
        values = [_employee_values(row, unit_ids) for row in new_rows]
        ids = dict(db.session.execute(insert(Employee).returning(Employee.nip, Employee.id), values).all())
        db.session.execute(insert(Position), [
            dict(employee_id=ids[value["nip"]], unit_id=value["unit_id"], jenjang=value["jenjang"],
                 jf_name=value["jf_name"], is_head=value["is_head"], start=date(today.year, 1, 1), end=None)
            for value in values
        ])
        for value in values:
            after = {name: value[name] for name in services.EMPLOYEE_FIELDS}
            record(actor, "employee.create", "employee", value["nip"], None, after)

    changed_rows = [row for row in plan.rows if row["action"] == "update"]
    if not changed_rows:
        return
    wanted = {row["nip"] for row in changed_rows}
    employees = {e.nip: e for e in db.session.scalars(select(Employee)) if e.nip in wanted}
    open_positions = {
        position.employee_id: position
        for position in db.session.scalars(select(Position).where(Position.end.is_(None)))
    }
    for row in changed_rows:
        employee = employees[row["nip"]]
        before = snapshot(employee, services.EMPLOYEE_FIELDS)
        for name, value in _employee_values(row, unit_ids).items():
            setattr(employee, name, value)
        _move_position(employee, open_positions.get(employee.id), today)
        after = snapshot(employee, services.EMPLOYEE_FIELDS)
        if before != after:
            record(actor, "employee.update", "employee", employee.nip, before, after)
    db.session.flush()


def _employee_values(row: dict, unit_ids: dict) -> dict:
    """Return an employee's column values as ``services.save_employee`` would set them."""
    return dict(nip=row["nip"], name=row["name"], name_key=row["name"].lower(), status=row["status"],
                jenjang=row["jenjang"], jf_name=row["jf_name"], golongan=row["golongan"],
                unit_id=unit_ids[row["unit_code"]], is_head=row["is_head"], email=row["email"])


def _move_position(employee: Employee, current: Position | None, start: date) -> None:
    """Close the open position and open one matching the employee (as services._move_position)."""
    if current is not None and snapshot(current, services.POSITION_FIELDS) == snapshot(
        employee, services.POSITION_FIELDS
    ):
        return
    if current is not None:
        if current.start >= start:
            for name in services.POSITION_FIELDS:
                setattr(current, name, getattr(employee, name))
            return
        current.end = start - timedelta(days=1)
    db.session.add(Position(employee_id=employee.id, unit_id=employee.unit_id, jenjang=employee.jenjang,
                            jf_name=employee.jf_name, is_head=employee.is_head, start=start))


# --- acting ----------------------------------------------------------------------------------

def check_acting(data: bytes) -> ImportPlan:
    """Validate an acting.csv (PLT/PLH) against itself and the database."""
    plan = ImportPlan("acting")
    records, plan.errors = read_csv(data, ACTING_HEADER)
    out = _Rows(plan)
    nips = set(db.session.scalars(select(Employee.nip)))
    unit_codes = set(db.session.scalars(select(Unit.code)))
    stored = db.session.execute(
        select(ActingAssignment.id, Employee.nip, Unit.code, ActingAssignment.kind, ActingAssignment.start,
               ActingAssignment.end)
        .join(Employee, Employee.id == ActingAssignment.employee_id)
        .join(Unit, Unit.id == ActingAssignment.unit_id)
    ).all()
    by_key = {(nip, code, kind, start): (acting_id, end) for acting_id, nip, code, kind, start, end in stored}
    for line, (nip, unit_code, kind, start_text, end_text) in records:
        ok = True
        if nip not in nips:
            out.error(line, f"NIP \"{nip}\" tidak dikenal" if nip else "nip wajib diisi")
            ok = False
        if unit_code not in unit_codes:
            out.error(line, f"unit_code \"{unit_code}\" tidak dikenal" if unit_code else "unit_code wajib diisi")
            ok = False
        if kind not in ActingKind.__members__:
            out.error(line, f"kind \"{kind}\" harus PLT atau PLH")
            ok = False
        start, end = _iso_date(out, line, "start", start_text), _iso_date(out, line, "end", end_text)
        if start is None or end is None:
            ok = False
        elif end < start:
            out.error(line, f"end {end.isoformat()} sebelum start {start.isoformat()}")
            ok = False
        if ok:
            row = dict(line=line, nip=nip, unit_code=unit_code, kind=kind, start=start, end=end)
            match = by_key.get((nip, unit_code, kind, start))
            row["acting_id"] = match[0] if match else None
            row["action"] = "create" if match is None else "unchanged" if match[1] == end else "update"
            plan.rows.append(row)
    _check_overlaps(out, plan.rows, stored)
    plan.errors.sort(key=lambda problem: problem.line)
    return plan


def _iso_date(out: _Rows, line: int, column: str, text: str) -> date | None:
    if not ISO_DATE_RE.fullmatch(text):
        out.error(line, f"{column} \"{text}\" harus tanggal ISO YYYY-MM-DD")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        out.error(line, f"{column} \"{text}\" bukan tanggal yang ada")
        return None


def _check_overlaps(out: _Rows, rows: list[dict], stored) -> None:
    """A unit has at most one PLT (and one PLH) on any day: check file rows against each
    other and against stored assignments (a stored row the file updates is replaced)."""
    replaced = {row["acting_id"] for row in rows if row["acting_id"] is not None}
    periods: dict[tuple[str, str], list[tuple[date, date, str]]] = defaultdict(list)
    for acting_id, nip, code, kind, start, end in stored:
        if acting_id not in replaced:
            periods[(code, kind)].append((start, end, f"NIP {nip} di basis data"))
    for row in rows:
        key = (row["unit_code"], row["kind"])
        for start, end, where in periods[key]:
            if row["start"] <= end and start <= row["end"]:
                out.error(row["line"], f"{row['kind']} unit {row['unit_code']} bertumpang tindih dengan {where} "
                                       f"({start.isoformat()} s.d. {end.isoformat()})")
                break
        periods[key].append((row["start"], row["end"], f"NIP {row['nip']} baris {row['line']}"))


def _apply_acting(actor, plan: ImportPlan) -> None:
    rows = [row for row in plan.rows if row["action"] != "unchanged"]
    if not rows:
        return
    nips = {row["nip"] for row in rows}
    codes = {row["unit_code"] for row in rows}
    employees = {e.nip: e for e in db.session.scalars(select(Employee).where(Employee.nip.in_(nips)))}
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(codes)))}
    for row in rows:
        if row["action"] == "update":
            services.end_acting(actor, db.session.get(ActingAssignment, row["acting_id"]), row["end"], refresh=False)
        else:
            services.add_acting(actor, employee=employees[row["nip"]], unit=units[row["unit_code"]],
                                kind=row["kind"], start=row["start"], end=row["end"], refresh=False)


# --- entry points ----------------------------------------------------------------------------

CHECKS = {"units": check_units, "employees": check_employees, "acting": check_acting}
APPLIERS = {"units": _apply_units, "employees": _apply_employees, "acting": _apply_acting}


def check_import(kind: str, data: bytes) -> ImportPlan:
    """Validate a file of the given kind (``units``, ``employees``, ``acting``) without writing."""
    return CHECKS[kind](data)


def apply_plan(actor, plan: ImportPlan) -> ImportPlan:
    """Write a checked plan (with audit rows) and refresh the assessor snapshot; no commit.

    :raise ValueError: when the plan has problems
    """
    if not plan.ok:
        raise ValueError("rencana impor masih memuat kesalahan")
    from kinerja.org.assessors import refresh_assessor_links

    APPLIERS[plan.kind](actor, plan)
    db.session.flush()
    refresh_assessor_links()
    plan.applied = True
    return plan


def run_import(actor, kind: str, data: bytes) -> ImportPlan:
    """Check a file and, when it has no problem at all, apply it; the caller commits."""
    plan = check_import(kind, data)
    if plan.ok:
        apply_plan(actor, plan)
    return plan


def import_units(actor, data: bytes) -> ImportPlan:
    """Import a units.csv all-or-nothing (keyed by code); the caller commits."""
    return run_import(actor, "units", data)


def import_employees(actor, data: bytes) -> ImportPlan:
    """Import an employees.csv all-or-nothing (keyed by nip); the caller commits."""
    return run_import(actor, "employees", data)


def import_acting(actor, data: bytes) -> ImportPlan:
    """Import an acting.csv (PLT/PLH) all-or-nothing; the caller commits."""
    return run_import(actor, "acting", data)

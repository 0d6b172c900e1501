"""Build an agency-sized organisation fast (bulk inserts), for benchmarks.

Pusat: 8 eselon I (one SESTAMA holding Birumas, one TUWAS) x 5 eselon II x 4 eselon III x 3
eselon IV; 34 Perwakilan each with a Sekretariat and 5 Bidang, each with 6 eselon IV.
About 2,150 units; every unit has a head; the rest of the employees are spread over the units.
"""

import csv
import io
import random
from datetime import date

from sqlalchemy import func, insert, select

from kinerja.extensions import db
from kinerja.org.models import Employee, Position, Unit

ZONES = ["Asia/Jakarta"] * 20 + ["Asia/Makassar"] * 9 + ["Asia/Jayapura"] * 5
HEAD_JENJANG = {
    "BADAN": "KEPALA", "ESELON_I": "JPT_MADYA", "ESELON_II": "JPT_PRATAMA",
    "ESELON_III": "ADMINISTRATOR", "ESELON_IV": "PENGAWAS",
}
PNS_GOLONGAN = ["II/c", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"]


def unit_rows() -> list[dict]:
    """Return the unit rows with ids, paths and inherited fields filled in."""
    rows: list[dict] = []

    def add(code, name, parent, level, region="PUSAT", kind=None, tz=None):
        uid = len(rows) + 1
        if parent is None:
            path, depth, ek, er, et = f"/{uid}/", 0, kind, region, tz or "Asia/Jakarta"
        else:
            path, depth = f"{parent['path']}{uid}/", parent["depth"] + 1
            ek = kind or parent["effective_kind"]
            er = "PERWAKILAN" if parent["effective_region"] == "PERWAKILAN" else region
            et = tz or parent["effective_timezone"]
        row = dict(id=uid, code=code, name=name, parent_id=parent["id"] if parent else None, level=level,
                   region=region, kind=kind, timezone=tz, path=path, depth=depth, effective_kind=ek,
                   effective_region=er, effective_timezone=et)
        rows.append(row)
        return row

    root = add("BKKBN", "Badan Kependudukan dan Keluarga Berencana Nasional", None, "BADAN")
    for i in range(8):
        kind = "SESTAMA" if i == 0 else "TUWAS" if i == 1 else None
        e1 = add(f"E1-{i}", f"Eselon I {i}", root, "ESELON_I", kind=kind)
        for j in range(5):
            e2 = add(f"E2-{i}-{j}", f"Eselon II {i}.{j}", e1, "ESELON_II",
                     kind="BIRUMAS" if (i == 0 and j == 0) else None)
            for k in range(4):
                e3 = add(f"E3-{i}-{j}-{k}", f"Eselon III {i}.{j}.{k}", e2, "ESELON_III")
                for m in range(3):
                    add(f"E4-{i}-{j}-{k}-{m}", f"Eselon IV {i}.{j}.{k}.{m}", e3, "ESELON_IV")
    for p in range(34):
        pw = add(f"P{p:02d}", f"Perwakilan {p}", root, "ESELON_II", region="PERWAKILAN", tz=ZONES[p])
        for b in range(6):
            kind = "SEKRETARIAT_PERWAKILAN" if b == 0 else None
            e3 = add(f"P{p:02d}-{b}", f"Bidang {p}.{b}", pw, "ESELON_III", kind=kind)
            for m in range(6):
                add(f"P{p:02d}-{b}-{m}", f"Subbidang {p}.{b}.{m}", e3, "ESELON_IV")
    return rows


def employee_rows(units: list[dict], total: int, seed: int = 7) -> list[dict]:
    """Return employee rows: a head for every unit, staff spread over the rest."""
    rnd = random.Random(seed)
    rows = []
    for unit in units:
        jenjang = HEAD_JENJANG[unit["level"]]
        if unit["level"] == "ESELON_II" and unit["region"] == "PERWAKILAN":
            jenjang = "KEPALA_PERWAKILAN"
        rows.append(dict(unit_id=unit["id"], jenjang=jenjang, is_head=True, status="PNS", golongan="IV/a",
                         jf_name=None))
    staff_units = [u for u in units if u["level"] in ("ESELON_II", "ESELON_III", "ESELON_IV")]
    while len(rows) < total:
        unit = rnd.choice(staff_units)
        jenjang = rnd.choice(["JF", "JF", "PELAKSANA", "PELAKSANA", "PLKB"])
        status = rnd.choice(["PNS"] * 8 + ["CPNS", "PPPK"])
        golongan = rnd.choice(["IX", "X", "XI", "XII", "XIII"]) if status == "PPPK" else rnd.choice(PNS_GOLONGAN)
        jf_name = rnd.choice(["Analis Kebijakan", "Pranata Humas", "Penyuluh KB"]) if jenjang == "JF" else None
        rows.append(dict(unit_id=unit["id"], jenjang=jenjang, is_head=False, status=status, golongan=golongan,
                         jf_name=jf_name))
    for n, row in enumerate(rows, start=1):
        row["id"] = n
        row["nip"] = f"1975010120000{n:05d}"
        row["name"] = f"Pegawai Uji {n:05d}"
        row["name_key"] = row["name"].lower()
        row["email"] = None
    return rows


def build_agency(total_employees: int = 25_000, year: int | None = None) -> dict:
    """Insert the agency into the current database and return counts."""
    year = year or date.today().year
    units = unit_rows()
    employees = employee_rows(units, total_employees)
    db.session.execute(insert(Unit), units)
    db.session.execute(insert(Employee), employees)
    db.session.execute(
        insert(Position),
        [dict(employee_id=e["id"], unit_id=e["unit_id"], jenjang=e["jenjang"], jf_name=e["jf_name"],
              is_head=e["is_head"], start=date(year, 1, 1), end=None) for e in employees],
    )
    db.session.commit()
    return {"units": len(units), "employees": len(employees)}


def employees_csv(units: list[dict], total: int, nip_prefix: str = "1988") -> bytes:
    """Return an employees.csv of ``total`` rows placed in the given units (no heads)."""
    rnd = random.Random(11)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["nip", "name", "status", "jenjang", "jf_name", "golongan", "unit_code", "is_head", "email"])
    leafs = [u for u in units if u["level"] in ("ESELON_III", "ESELON_IV")]
    for n in range(total):
        unit = rnd.choice(leafs)
        writer.writerow([f"{nip_prefix}02022010{n:06d}", f"Pegawai Impor {n}", "PNS", "PELAKSANA", "", "III/b",
                         unit["code"], "0", ""])
    return out.getvalue().encode()


def verify(counts: dict) -> bool:
    """Tell whether the organisation a cache record describes is still there (the test suite may have emptied it)."""
    found = {"units": db.session.scalar(select(func.count()).select_from(Unit)),
             "employees": db.session.scalar(select(func.count()).select_from(Employee))}
    db.session.commit()
    return found == {"units": counts.get("units"), "employees": counts.get("employees")}

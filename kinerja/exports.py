"""CSV downloads that a spreadsheet opens as data, never as formulas.

A cell of text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)`` in an employee's name
would become a link that leaks data when clicked). Every export writes its rows through
``csv_response``, which prefixes such text with a single quote (OWASP's advice); the quote shows
in the sheet and tells the reader the value was neutralised. Numbers (``int``, ``float``,
``Decimal``) are written as they are, so ``-3`` stays a number: only text is escaped.
Choices: docs/security.md, "Formula injection in CSV exports".
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from flask import make_response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return a cell value a spreadsheet will not run: text that could start a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Write a header and rows as CSV text, every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(header: Sequence[str], rows: Iterable[Sequence], filename: str):
    """Answer a CSV download (UTF-8, as an attachment named ``filename``)."""
    response = make_response(csv_text(header, rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

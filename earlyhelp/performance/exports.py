"""The dashboards' tables as files a data analyst's tools open: CSV (UTF-8 with a byte-order mark,
so that Excel reads the accents) and XLSX. A cell that a spreadsheet would run as a formula is
written as text (OWASP's CSV injection advice)."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[str, Sequence[str], Iterable[Sequence[Any]]]


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet should see it: text that starts like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(tables: Iterable[Table]) -> bytes:
    """One CSV: each table's title on a line of its own, its headings, its rows, then a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, (title, headings, rows) in enumerate(tables):
        if number:
            writer.writerow([])
        writer.writerow([safe_cell(title)])
        writer.writerow([safe_cell(heading) for heading in headings])
        for row in rows:
            writer.writerow([_text(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    return safe_cell(value)


def as_xlsx(tables: Iterable[Table]) -> bytes:
    """One workbook, a sheet for each table (titles cut to Excel's 31 characters, kept distinct)."""
    book = Workbook()
    first = True
    used: set[str] = set()
    for title, headings, rows in tables:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = _sheet_title(title, used)
        sheet.append([safe_cell(heading) for heading in headings])
        for row in rows:
            sheet.append([safe_cell(value) if value is not None else None for value in row])
        for column, heading in enumerate(headings, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(12, min(60, len(str(heading)) + 4))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31] or "Sheet"
    candidate, number = cleaned, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate

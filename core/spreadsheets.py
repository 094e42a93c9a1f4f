"""Tables a page shows, as a spreadsheet to download: CSV and XLSX (openpyxl).

Each page that offers a download builds its tables (`Table`) from the very rows it shows, with the
page's own column headings, and hands them here; this module only writes them out. Both formats
apply the same two rules:

- **No formulas from data.** A cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage
  return would be read by a spreadsheet as a formula (OWASP, "CSV injection"), so it gets a single
  quote in front (`neutralise`). Only text is touched: numbers and dates are written as numbers
  and dates.
- **Real dates.** Dates and times are dates in the XLSX (a date format, not text); in the CSV they
  are ISO 8601 (2025-03-31, 2025-03-31 14:05), which Excel and Power BI read as dates.

A CSV holds one table; where a page has several, they follow one another, each under a line with
its title and separated by an empty line. The XLSX has a worksheet per table.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# OWASP's list: what makes a spreadsheet start a formula (or, for a tab and a carriage return,
# lets one through after a separator).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"
MONTH_FORMAT = "mmmm yyyy"
# Excel's limit on a worksheet's name, and the characters it refuses in one.
SHEET_NAME_LENGTH = 31
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
# Wide enough to read a title, narrow enough that a narrative column does not fill the screen.
MAX_COLUMN_WIDTH = 60

type Cell = str | int | float | datetime.date | datetime.datetime | None


@dataclass
class Table:
    """One table of a page: its title (a worksheet's name), headings and rows of cells."""

    title: str
    headings: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    # The XLSX number format of date columns that are not a day (MONTH_FORMAT), by heading.
    formats: dict[str, str] = field(default_factory=dict)


def neutralise(value: str) -> str:
    """The text with a single quote in front when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text_cell(value: Cell) -> Cell:
    """A cell as it is written: text neutralised; dates, times and numbers as they are. Times are
    written in the service's time zone (a spreadsheet has none)."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _csv_cell(value: Cell) -> Cell:
    value = _text_cell(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def to_csv(tables: Sequence[Table]) -> bytes:
    """The tables as one CSV file (UTF-8 with a byte-order mark, which Excel needs to read it as
    UTF-8). Several tables follow one another, each under its title."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(heading) for heading in table.headings])
        for row in table.rows:
            writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _sheet_name(title: str, taken: set[str]) -> str:
    name = _SHEET_NAME_REFUSED.sub(" ", title).strip("' ")[:SHEET_NAME_LENGTH] or "Sheet"
    base, number = name, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def _xlsx_value(value: Cell) -> Cell:
    value = _text_cell(value)
    if isinstance(value, str):
        # Control characters have no place in the file's XML: openpyxl refuses them.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def to_xlsx(tables: Sequence[Table]) -> bytes:
    """The tables as an Excel workbook, a worksheet each: headings bold and frozen, dates as
    dates, text never a formula."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, taken))
        sheet.freeze_panes = "A2"
        for index, heading in enumerate(table.headings, start=1):
            longest = max(
                [len(heading)] + [len(str(row[index - 1] or "")) for row in table.rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(
                MAX_COLUMN_WIDTH, max(10, longest + 2)
            )
        header = []
        for heading in table.headings:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(heading))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        formats = [table.formats.get(heading) for heading in table.headings]
        for row in table.rows:
            sheet.append(
                [
                    _xlsx_row_cell(sheet, value, number_format)
                    for value, number_format in zip(row, formats, strict=True)
                ]
            )
    if not tables:
        workbook.create_sheet("Sheet")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_row_cell(sheet, value: Cell, number_format: str | None):
    value = _xlsx_value(value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format or DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format or DATE_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, whatever openpyxl would guess from it
        return cell
    return value


def download(tables: Sequence[Table], *, file_format: str, filename: str) -> HttpResponse:
    """The tables as a file to download in `file_format` ("csv" or "xlsx"), named
    `filename`.csv or .xlsx."""
    if file_format == "csv":
        response = HttpResponse(to_csv(tables), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(to_xlsx(tables), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"No such spreadsheet format: {file_format!r}")
    safe_name = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "download"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{file_format}"'
    return response


def slug(*parts: object) -> str:
    """A file name from words: lower case, hyphens between words."""
    text = "-".join(str(part) for part in parts)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

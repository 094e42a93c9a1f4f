"""Read a small table out of an uploaded .xlsx without trusting anything the file says about itself.

An .xlsx is a zip of XML parts, and each layer can be hostile or just broken: a zip that is not
one, parts that expand to gigabytes, XML that is not well formed, a DTD whose entities expand
(CPython 3.12.1's expat refuses those but then crashes the process while collecting the parser),
or a sheet whose dimension tag claims A1:XFD1048576 (openpyxl then pads a million rows of 16,384
cells: a CPU core for a quarter of an hour). So, before openpyxl sees the file, we check the zip
and every XML part ourselves with expat, refusing any DTD; then openpyxl reads the first sheet in
read-only mode (it streams rows) with the dimension tag ignored, only the wanted columns, and at
most `max_rows` rows. Every refusal is a `SheetError` with a message for a person. Nothing here
imports Django.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

NOT_A_SPREADSHEET = "The file is not an Excel spreadsheet (.xlsx): save it as .xlsx and try again"
DAMAGED = (
    "The spreadsheet is damaged and cannot be read: open it in Excel, save it again as .xlsx "
    "and upload the new copy"
)


class SheetError(ValueError):
    """The file cannot be read as the table we want; the message says why, for a person."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # the file itself
    max_unpacked_bytes: int  # all its parts once unzipped (declared sizes bound what zipfile gives)
    max_parts: int
    # XML elements in all the parts together, and shared strings among them: openpyxl handles
    # each element in Python (a shared string costs it about 30 µs, a cell a few), so these, not
    # the byte count, bound the time it takes.
    max_elements: int
    max_shared_strings: int
    max_rows: int  # data rows under the header, blank ones included


@dataclass
class Table:
    header: list[str]  # the first row's names, lowercased, as far as its last named column
    rows: list[tuple[int, dict[str, object]]]  # (spreadsheet row number, {wanted column: value})
    rows_read: int  # rows openpyxl gave us under the header (bounded by Limits.max_rows + 1)


def read_table(file, *, wanted: tuple[str, ...], limits: Limits) -> Table:
    """The first sheet's header and, for each non-blank row under it, the `wanted` columns'
    values. SheetError when the file is not a readable .xlsx, is larger than `limits` allow, or
    lacks a wanted column."""
    data = file.read(limits.max_bytes + 1)
    if not data:
        raise SheetError("The selected file is empty")
    if len(data) > limits.max_bytes:
        raise SheetError(
            f"The file is larger than {limits.max_bytes // (1024 * 1024)} MB: the national "
            "spreadsheet is much smaller, so check it is the right file"
        )
    if data.startswith(_OLE_SIGNATURE):
        # Excel 97-2003 files, and .xlsx files saved with a password, are OLE containers.
        raise SheetError(
            "The file is an old-style .xls spreadsheet or has a password: open it in Excel and "
            "save it as .xlsx without a password"
        )
    _check_package(data, limits)
    return _read_first_sheet(data, wanted, limits)


_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")


def _check_package(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SheetError(NOT_A_SPREADSHEET) from None
    # Every Office Open XML package has this part (the workbook's own name may vary).
    if "[Content_Types].xml" not in {part.filename for part in parts}:
        raise SheetError(NOT_A_SPREADSHEET)
    if len(parts) > limits.max_parts or (
        sum(part.file_size for part in parts) > limits.max_unpacked_bytes
    ):
        raise SheetError(
            "The spreadsheet is too large to be the national outcomes spreadsheet (it unpacks to "
            f"more than {limits.max_unpacked_bytes // (1024 * 1024)} MB): check it is the right file"
        )
    budget = _XmlBudget(elements=limits.max_elements, shared_strings=limits.max_shared_strings)
    with archive:
        for part in parts:
            # (Legacy .vml drawings are often not well-formed, but read-only openpyxl skips them.)
            if part.filename.endswith((".xml", ".rels")):
                try:
                    budget.check(archive, part)
                except _TooManyElements:
                    raise SheetError(
                        "The spreadsheet holds far more than the national outcomes spreadsheet "
                        "could (one row per authority): check it is the right file"
                    ) from None
                except Exception as error:  # expat, zipfile and zlib each have their own types
                    raise SheetError(DAMAGED) from error


class _NotGenuine(Exception):
    """Something no genuine part has: a DTD (possibly an entity bomb) or nesting thousands deep."""


class _TooManyElements(Exception):
    pass


class _XmlBudget:
    """A well-formedness pass with expat over each part (C, ~100 MB/s, stopping early), so that
    openpyxl's own parsers (lxml and ElementTree) only ever see well-formed, DTD-free XML of a
    size it reads in well under a second."""

    MAX_DEPTH = 64  # a genuine part nests about 10 deep; thousands makes ElementTree crawl

    def __init__(self, *, elements: int, shared_strings: int):
        self.elements_left = elements
        self.shared_strings_left = shared_strings
        self.depth = 0

    def check(self, archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = self._refuse_dtd
        parser.EntityDeclHandler = self._refuse_dtd
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        self.depth = 0
        with archive.open(part) as stream:
            while chunk := stream.read(256 * 1024):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def _refuse_dtd(self, *args) -> None:
        raise _NotGenuine

    def _start(self, name, attributes) -> None:
        self.elements_left -= 1
        self.depth += 1
        if name == "si" or name.endswith(":si"):  # a shared string, whatever the prefix
            self.shared_strings_left -= 1
        if self.elements_left < 0 or self.shared_strings_left < 0:
            raise _TooManyElements
        if self.depth > self.MAX_DEPTH:
            raise _NotGenuine

    def _end(self, name) -> None:
        self.depth -= 1


def _read_first_sheet(data: bytes, wanted: tuple[str, ...], limits: Limits) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises KeyError, ValueError, TypeError... on bad parts
        raise SheetError(DAMAGED) from error
    try:
        return _table(workbook, wanted, limits)
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(DAMAGED) from error
    finally:
        workbook.close()


def _table(workbook, wanted: tuple[str, ...], limits: Limits) -> Table:
    if not workbook.worksheets:
        raise SheetError("The spreadsheet has no sheets")
    sheet = workbook.worksheets[0]
    claimed = sheet.max_row  # from the sheet's dimension tag, if it has one
    if claimed is not None and claimed > limits.max_rows + 1:
        raise SheetError(
            f"The spreadsheet says it has {claimed:,} rows, more than the {limits.max_rows:,} "
            "the national outcomes spreadsheet could have (one per authority): check it is the "
            "right file"
        )
    # The tag is only a claim: read as if there were none, bounding the reads ourselves.
    sheet.reset_dimensions()
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    header = [_header_name(value) for value in first]
    missing = [name for name in wanted if name not in header]
    if missing:
        raise SheetError(
            f"The spreadsheet has no {missing[0]} column: use the national ILACS outcomes "
            "spreadsheet with its first row of column names unchanged"
        )
    positions = {name: header.index(name) for name in wanted}
    last = max(positions.values()) + 1
    rows, rows_read = [], 0
    # max_col keeps each row to the columns we use, however far right the file's cells go;
    # the count stops a sheet whose rows run on (or skip to row 1,048,576) after max_rows.
    for line, values in enumerate(
        sheet.iter_rows(min_row=2, max_col=last, values_only=True), start=2
    ):
        rows_read += 1
        if rows_read > limits.max_rows:
            raise SheetError(
                f"The spreadsheet has more than {limits.max_rows:,} rows, more than the national "
                "outcomes spreadsheet could have (one per authority): check it is the right file"
            )
        row = {name: values[index] for name, index in positions.items() if index < len(values)}
        if any(_filled(value) for value in row.values()):
            rows.append((line, row))
    return Table(header=header, rows=rows, rows_read=rows_read)


def _header_name(value) -> str:
    return "" if value is None else str(value).strip().lower()


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""

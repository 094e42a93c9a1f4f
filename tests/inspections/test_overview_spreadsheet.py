"""The national outcomes spreadsheet as it really is: rows the importer cannot place are skipped
with their reason, "None" and "nan" are blanks, and a file that is broken, hostile or simply the
wrong one is refused with a clear message, quickly, saving nothing (never a 500 or a crash).

Each bad file is built here from the real-layout sample, one part of its zip changed."""

import datetime
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from inspections import importers
from inspections.models import Inspection, Judgement

pytestmark = pytest.mark.django_db

SPREADSHEET = Path(__file__).resolve().parent.parent / "fixtures" / "ilacs_overview_sample.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
ROOT = Path(__file__).resolve().parent.parent.parent
D = datetime.date


@pytest.fixture
def authorities(db):
    call_command("load_authorities", stdout=io.StringIO())


def run(path: Path) -> str:
    out = io.StringIO()
    call_command("import_ilacs_overview", str(path), stdout=out)
    return out.getvalue()


def nothing_saved() -> bool:
    return not Inspection.objects.exists() and not Judgement.objects.exists()


def rezipped(tmp_path: Path, edits: dict, extra: dict | None = None) -> Path:
    """The sample with some parts' bytes changed ({part name: function of its bytes})."""
    path = tmp_path / "overview.xlsx"
    with (
        zipfile.ZipFile(SPREADSHEET) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = source.read(part.filename)
            target.writestr(part.filename, edits.get(part.filename, lambda d: d)(data))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return path


def edited(tmp_path: Path, cells: dict[tuple[int, str], object]) -> Path:
    """The sample with some cells changed ({(row, column name): value})."""
    workbook = openpyxl.load_workbook(SPREADSHEET)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=header.index(column) + 1).value = value
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    return path


# --- The real file's rows --------------------------------------------------------------------


def test_a_row_with_grades_but_no_type_or_dates_is_skipped_and_the_other_rows_import(
    authorities, tmp_path
):
    # As in the real national file: grades, but "None" for the type and inspector and "nan"
    # (pandas' blank) for the dates.
    path = edited(
        tmp_path,
        {
            (2, "inspection_framework"): "None",
            (2, "inspector_name"): "None",
            (2, "inspection_start_date"): "nan",
            (2, "inspection_end_date"): "nan",
            (2, "publication_date"): "nan",
        },
    )
    output = run(path)
    assert "Row 2, Barnsley: skipped, no inspection dates: record it from its report" in output
    assert "Spreadsheet: 9 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert not Inspection.objects.filter(authority__name="Barnsley").exists()
    assert Inspection.objects.count() == 9


def test_none_and_nan_are_blanks_not_values(authorities, tmp_path):
    path = edited(
        tmp_path,
        {
            (3, "inspector_name"): "None",
            (3, "inspection_link"): "nan",
            (3, "publication_date"): "None",
            (4, "inspection_framework"): "nan",
        },
    )
    output = run(path)
    bath = Inspection.objects.get(authority__name="Bath and North East Somerset")
    assert (bath.lead_inspector, bath.report_url, bath.published_date) == ("", "", None)
    assert bath.judgements.count() == 5
    assert (
        "Row 4, Bedford Borough: skipped, no inspection type (short or standard): "
        "record it from its report"
    ) in output
    assert "9 created, 0 updated, 0 unchanged, 1 skipped" in output


def test_dates_typed_as_excel_dates_are_read_as_dates(authorities, tmp_path):
    # Someone who opens the file in Excel and retypes a date gets a date cell, not text.
    path = edited(
        tmp_path,
        {
            (2, "inspection_start_date"): datetime.datetime(2023, 9, 11),
            (2, "inspection_end_date"): datetime.datetime(2023, 9, 15),
        },
    )
    assert "10 created" in run(path)
    barnsley = Inspection.objects.get(authority__name="Barnsley")
    assert (barnsley.start_date, barnsley.end_date) == (D(2023, 9, 11), D(2023, 9, 15))


def test_a_row_of_nans_is_a_blank_row_and_a_row_naming_no_authority_says_so(authorities, tmp_path):
    blank = {(12, column): "nan" for column in importers.OVERVIEW_COLUMNS}
    unnamed = {(13, "local_authority"): "a note under the table"}
    output = run(edited(tmp_path, {**blank, **unnamed}))
    assert "Row 12" not in output
    assert (
        "Row 13, a note under the table: skipped, no URN or LA code to say which authority it is"
    ) in output
    assert "10 created, 0 updated, 0 unchanged, 1 skipped" in output


def test_a_row_with_a_start_date_but_no_end_date_says_which_is_missing(authorities, tmp_path):
    output = run(edited(tmp_path, {(5, "inspection_end_date"): None}))
    assert "Row 5, Birmingham: skipped, no inspection end date: record it from its report" in output


# --- Files that are not the spreadsheet --------------------------------------------------------


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda tmp: rezipped(tmp, {SHEET: _truncated}), "The spreadsheet is damaged"),
        (
            lambda tmp: rezipped(tmp, {SHEET: lambda d: d.replace(b'<row r="3"', b'<row r="3" <')}),
            "The spreadsheet is damaged",
        ),
        (lambda tmp: rezipped(tmp, {"xl/workbook.xml": _truncated}), "The spreadsheet is damaged"),
        (lambda tmp: rezipped(tmp, {"xl/styles.xml": _truncated}), "The spreadsheet is damaged"),
        (
            lambda tmp: rezipped(tmp, {"[Content_Types].xml": _truncated}),
            "The spreadsheet is damaged",
        ),
        (
            lambda tmp: rezipped(
                tmp,
                {
                    SHEET: lambda d: d.replace(
                        b"<sheetData>", b"<sheetData>" + b"<a>" * 5000 + b"</a>" * 5000
                    )
                },
            ),
            "The spreadsheet is damaged",
        ),
        (lambda tmp: _written(tmp, b"urn,la_code\n80426,370\n"), "not an Excel spreadsheet"),
        (lambda tmp: _written(tmp, _zip_of({"hello.txt": b"hi"})), "not an Excel spreadsheet"),
        (lambda tmp: _written(tmp, SPREADSHEET.read_bytes()[:3000]), "not an Excel spreadsheet"),
        (lambda tmp: _written(tmp, b""), "The selected file is empty"),
        (
            lambda tmp: _written(tmp, bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512),
            "old-style .xls spreadsheet or has a password",
        ),
    ],
    ids=[
        "sheet cut short",
        "sheet not well formed",
        "workbook cut short",
        "styles cut short",
        "content types cut short",
        "nested thousands deep",
        "a CSV",
        "a zip of something else",
        "a zip cut short",
        "empty",
        "xls or password protected",
    ],
)
def test_a_file_that_is_not_a_readable_spreadsheet_is_refused_and_nothing_is_saved(
    authorities, tmp_path, build, message
):
    with pytest.raises(CommandError, match=message):
        run(build(tmp_path))
    assert nothing_saved()


def _written(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "overview.xlsx"
    path.write_bytes(data)
    return path


def _zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


_ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 2 else b"&lol;") * 10)
        for n in range(2, 10)
    )
    + b"]>"
)


def test_an_entity_bomb_is_refused_without_crashing_the_process(tmp_path):
    # CPython 3.12.1's expat refused the expansion and then crashed the whole process (a
    # segmentation fault) while collecting the parser: so run the real command in its own process.
    # It is refused before the database is touched.
    path = rezipped(
        tmp_path,
        {SHEET: lambda d: _ENTITY_BOMB + d.replace(b"<t>urn</t>", b"<t>&lol9;</t>", 1)},
    )
    finished = subprocess.run(  # noqa: S603 (a fixed command line, our own file)
        [sys.executable, "manage.py", "import_ilacs_overview", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1, finished.stderr  # CommandError, not -11 (SIGSEGV)
    assert "The spreadsheet is damaged" in finished.stderr


def test_a_sheet_claiming_a_million_rows_is_refused_from_its_claim(authorities, tmp_path):
    # 7 KB that says it spans A1:XFD1048576: openpyxl would pad out every claimed row and cell.
    path = rezipped(tmp_path, {SHEET: lambda d: d.replace(b"A1:T11", b"A1:XFD1048576")})
    assert path.stat().st_size < 10_000
    with pytest.raises(CommandError, match="says it has 1,048,576 rows, more than the 2,000"):
        run(path)
    assert nothing_saved()


@pytest.fixture
def rows_read(monkeypatch) -> list[tuple]:
    """Every row openpyxl hands the importer, to show how much of a file was read."""
    seen = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen.append(row)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return seen


def test_rows_that_run_on_are_refused_after_the_cap_without_reading_the_rest(
    authorities, tmp_path, rows_read
):
    # No claim in the dimension tag this time, just a row 1,048,576: the rows in between are
    # missing, and openpyxl yields an empty row for each unless the reading stops.
    path = rezipped(
        tmp_path,
        {
            SHEET: lambda d: d.replace(b'<dimension ref="A1:T11" />', b"").replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                b"</sheetData>",
            )
        },
    )
    with pytest.raises(CommandError, match="more than 2,000 rows"):
        run(path)
    assert nothing_saved()
    # The header, then at most one row past the cap of 2,000.
    assert len(rows_read) <= 1 + importers.OVERVIEW_LIMITS.max_rows + 1


def test_only_the_known_columns_are_read_however_far_right_a_row_goes(
    authorities, tmp_path, rows_read
):
    far_right = b'<c r="XFD2" t="inlineStr"><is><t>far right</t></is></c></row><row r="3"'
    path = rezipped(tmp_path, {SHEET: lambda d: d.replace(b'</row><row r="3"', far_right)})
    assert "10 created" in run(path)
    header, *body = rows_read
    names = [str(name).lower() for name in header]
    last_known_column = max(names.index(c) for c in importers.OVERVIEW_COLUMNS) + 1
    assert {len(row) for row in body} == {last_known_column}  # not 16,384 cells for row 2


def test_a_file_holding_far_more_than_the_spreadsheet_could_is_refused(authorities, tmp_path):
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main">' + b"<si><t>a</t></si>" * 100_000 + b"</sst>"
    )
    path = rezipped(tmp_path, {}, extra={"xl/sharedStrings.xml": strings})
    with pytest.raises(CommandError, match="holds far more than the national outcomes"):
        run(path)
    assert nothing_saved()


def test_a_file_that_unpacks_to_far_more_than_the_spreadsheet_could_is_refused(
    authorities, tmp_path
):
    path = rezipped(tmp_path, {}, extra={"xl/media/padding.bin": b"\0" * (9 * 1024 * 1024)})
    with pytest.raises(CommandError, match="too large to be the national outcomes spreadsheet"):
        run(path)
    assert nothing_saved()


# --- On the upload page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ({SHEET: _truncated}, "The spreadsheet is damaged and cannot be read"),
        (
            {SHEET: lambda d: d.replace(b"A1:T11", b"A1:XFD1048576")},
            "The spreadsheet says it has 1,048,576 rows",
        ),
        (
            {SHEET: lambda d: _ENTITY_BOMB + d.replace(b"<t>urn</t>", b"<t>&lol9;</t>", 1)},
            "The spreadsheet is damaged and cannot be read",
        ),
    ],
    ids=["broken XML", "a million rows claimed", "entity bomb"],
)
def test_the_upload_page_shows_a_bad_file_as_an_error_not_a_500(
    client, administrator, authorities, tmp_path, edits, message
):
    client.force_login(administrator)
    path = rezipped(tmp_path, edits)
    response = client.post(
        reverse("inspections:overview_import"),
        {"file": SimpleUploadedFile("overview.xlsx", path.read_bytes())},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert message in response.context["form"].errors["file"][0]
    assert nothing_saved()


def test_the_upload_page_lists_the_skipped_rows_with_their_reasons(
    client, administrator, authorities, tmp_path
):
    client.force_login(administrator)
    path = edited(
        tmp_path,
        {(2, "inspection_start_date"): "nan", (2, "inspection_end_date"): "None"},
    )
    response = client.post(
        reverse("inspections:overview_import"),
        {"file": SimpleUploadedFile("overview.xlsx", path.read_bytes())},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "9 created, 0 updated, 0 unchanged, 1 skipped" in html
    assert "1 row could not be imported and was skipped" in html
    assert "no inspection dates: record it from its report" in html

"""core.spreadsheets: what a download's cells become in CSV and XLSX."""

import csv
import datetime
import io

import openpyxl
import pytest

from core.spreadsheets import Table, download, neutralise, slug, to_csv, to_xlsx

HOSTILE = [
    '=HYPERLINK("https://evil.example","Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_cell_a_spreadsheet_would_read_as_a_formula_gets_a_quote_in_front(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Plans audited", "1+1", "a=b", " =1", "'quoted"])
def test_other_text_is_left_as_it_is(value):
    assert neutralise(value) == value


def _table():
    return Table(
        "Monthly updates",
        ["What was done", "Month", "Submitted", "Count"],
        [
            [
                value,
                datetime.date(2025, 3, 1),
                datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC),
                3,
            ]
            for value in HOSTILE
        ],
        formats={"Month": "mmmm yyyy"},
    )


def test_the_csv_neutralises_every_formula_and_writes_iso_dates():
    rows = list(csv.reader(io.StringIO(to_csv([_table()]).decode("utf-8-sig"))))
    assert rows[0] == ["What was done", "Month", "Submitted", "Count"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]
    # The time in the service's time zone (Europe/London: GMT in March before the clocks change).
    assert rows[1][1:] == ["2025-03-01", "2025-03-04 09:30", "3"]


def test_the_xlsx_neutralises_every_formula_and_has_real_dates():
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx([_table()])))
    sheet = workbook["Monthly updates"]
    assert [cell.value for cell in sheet[1]] == ["What was done", "Month", "Submitted", "Count"]
    for row, value in zip(sheet.iter_rows(min_row=2), HOSTILE, strict=True):
        # (A carriage return may come back as a line feed: XML normalises line ends.)
        assert row[0].value.replace("\r", "\n") == ("'" + value).replace("\r", "\n")
        assert row[0].data_type == "s"
        assert isinstance(row[1].value, datetime.datetime)  # a date cell: openpyxl reads datetimes
        assert row[1].value.date() == datetime.date(2025, 3, 1)
        assert row[1].is_date and row[1].number_format == "mmmm yyyy"
        assert row[2].value == datetime.datetime(2025, 3, 4, 9, 30)
        assert row[3].value == 3
    formulas = [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []


def test_control_characters_do_not_break_the_xlsx():
    table = Table("Text", ["Words"], [["a\x01b\x1b[31m\x7f"], ["=cmd\x02"]])
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([table])))["Text"]
    assert sheet["A2"].value.startswith("ab")
    assert sheet["A3"].value == "'=cmd"


def test_several_tables_make_sheets_in_the_xlsx_and_titled_sections_in_the_csv():
    tables = [Table("Areas: the [current] ones?", ["A"], [["x"]]), Table("Actions", ["B"], [[1]])]
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables)))
    assert workbook.sheetnames == ["Areas  the  current  ones", "Actions"]
    rows = list(csv.reader(io.StringIO(to_csv(tables).decode("utf-8-sig"))))
    assert rows == [["Areas: the [current] ones?"], ["A"], ["x"], [], ["Actions"], ["B"], ["1"]]


def test_a_download_is_an_attachment_with_a_safe_name():
    response = download([_table()], file_format="csv", filename='North "Somerset"/plan 2025')
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="North-Somerset-plan-2025.csv"'
    assert slug("North Somerset", "improvement plan", datetime.date(2023, 3, 13)) == (
        "north-somerset-improvement-plan-2023-03-13"
    )
    with pytest.raises(ValueError):
        download([], file_format="ods", filename="x")

"""Importing real Ofsted report PDFs (command and upload page) and the national outcomes
spreadsheet (command and upload page). Real files, real database."""

import datetime
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import LocalAuthority
from inspections.importers import match_authority, normalised_name
from inspections.models import Finding, FindingKind, Inspection, Judgement
from tests.factories import InspectionFactory, JudgementFactory, judgement_area

# The uploads read each fixture report once in the run (see reports_read_once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reports_read_once")]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REPORTS = FIXTURES / "ofsted-reports"
EXPECTED = json.loads((REPORTS / "expected.json").read_text(encoding="utf-8"))
SPREADSHEET = FIXTURES / "ilacs_overview_sample.xlsx"
D = datetime.date


@pytest.fixture
def authorities(db):
    call_command("load_authorities", stdout=io.StringIO())


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    """Everything an import may touch, to show that a refused one changed nothing."""
    return (
        list(Inspection.objects.order_by("pk").values()),
        list(Judgement.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values()),
        Inspection.history.count(),
        Judgement.history.count(),
    )


# --- Report PDFs through the command ------------------------------------------------------------


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_each_real_report_imports_exactly_as_expected(authorities, filename):
    expected = EXPECTED[filename]
    path = REPORTS / filename

    printed = json.loads(run("import_ofsted_report", str(path), "--json"))
    assert printed == {k: v for k, v in expected.items() if k not in ("authority", "notes")}
    assert Inspection.objects.count() == 0  # --json saves nothing

    before = snapshot()
    assert "Dry run, nothing saved" in run("import_ofsted_report", str(path), "--dry-run")
    assert snapshot() == before

    assert "Recorded" in run("import_ofsted_report", str(path))
    inspection = Inspection.objects.select_related("authority", "framework").get()
    assert inspection.authority == match_authority(expected["authority"])
    assert normalised_name(inspection.authority.name) == normalised_name(expected["authority"])
    assert inspection.framework.code == expected["framework"]
    assert inspection.event_type == expected["inspection_type"]
    assert inspection.start_date.isoformat() == expected["start_date"]
    assert inspection.end_date.isoformat() == expected["end_date"]
    assert inspection.published_date.isoformat() == expected["published_date"]
    assert inspection.lead_inspector == expected["lead_inspector"]
    assert dict(inspection.judgements.values_list("area__code", "grade")) == expected["judgements"]
    afis = inspection.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT).order_by("order")
    assert [f.text for f in afis] == expected["areas_for_improvement"]
    assert all(f.title for f in afis)

    # Importing it again is refused and changes nothing.
    before = snapshot()
    with pytest.raises(CommandError, match="already has a"):
        run("import_ofsted_report", str(path))
    assert snapshot() == before


def _non_ofsted_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(
        string="<h1>Minutes of the Cabinet meeting</h1><p>The minutes were agreed.</p>"
    ).write_pdf()


@pytest.fixture
def bad_files(tmp_path) -> dict[str, tuple[Path, str]]:
    real = (REPORTS / "brent_published-2023-04-11.pdf").read_bytes()
    files = {
        "not a report": (_non_ofsted_pdf(), "does not look like an Ofsted"),
        "corrupt": (real[: len(real) // 3], "damaged or incomplete"),
        "not a pdf": (b"Name,Grade\nBrent,good\n", "not a PDF"),
        "empty": (b"", "empty"),
    }
    paths = {}
    for name, (data, message) in files.items():
        path = tmp_path / f"{name.replace(' ', '-')}.pdf"
        path.write_bytes(data)
        paths[name] = (path, message)
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(real)
        handle.seek(21 * 1024 * 1024)
        handle.write(b"\n%%EOF\n")
    paths["oversized"] = (big, "larger than 20 MB")
    return paths


@pytest.mark.parametrize("kind", ["not a report", "corrupt", "not a pdf", "empty", "oversized"])
def test_the_command_refuses_a_file_it_cannot_read_and_saves_nothing(authorities, bad_files, kind):
    path, message = bad_files[kind]
    with pytest.raises(CommandError, match=message):
        run("import_ofsted_report", str(path))
    assert Inspection.objects.count() == 0


def test_a_report_whose_authority_matches_none_needs_it_given(db, tmp_path):
    path = REPORTS / "gateshead_published-2019-06-11.pdf"
    with pytest.raises(CommandError, match="No authority matches “Gateshead Borough Council”"):
        run("import_ofsted_report", str(path))
    assert Inspection.objects.count() == 0
    from tests.factories import LocalAuthorityFactory

    LocalAuthorityFactory(name="Gateshead MBC", ofsted_urn="80469")
    run("import_ofsted_report", str(path), "--authority", "80469")
    assert Inspection.objects.get().authority.ofsted_urn == "80469"


def test_the_publication_date_can_be_given_when_the_report_does_not_print_it(authorities, tmp_path):
    path = tmp_path / "50216275.pdf"  # Ofsted's own download name carries no date
    shutil.copy(REPORTS / "north-somerset_published-2023-05-11.pdf", path)
    assert json.loads(run("import_ofsted_report", str(path), "--json"))["published_date"] is None
    run("import_ofsted_report", str(path), "--published", "2023-05-11")
    assert Inspection.objects.get().published_date == D(2023, 5, 11)
    with pytest.raises(CommandError, match="not a date"):
        run("import_ofsted_report", str(path), "--published", "11/05/2023")


@pytest.mark.parametrize(
    ("name", "authority"),
    [
        ("Gateshead Borough Council", "Gateshead"),
        ("Bristol City Council", "Bristol, City of"),
        ("London Borough of Barking & Dagenham", "Barking and Dagenham"),
        ("Durham County Council", "Durham"),
        ("County Durham", "Durham"),
        ("Bedford Borough Council", "Bedford Borough"),
        ("Nowhere Council", None),
    ],
)
def test_authorities_are_matched_however_the_report_names_them(authorities, name, authority):
    found = match_authority(name)
    assert (found.name if found else None) == authority


# --- Report PDFs through the upload page --------------------------------------------------------


def _review_post(form) -> dict:
    """What a person's browser posts back from the review form, unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, datetime.date):
            data.update({f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year})
        elif value is None and name.endswith("_date"):
            data.update({f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""})
        else:
            data[name] = "" if value is None else value
    return data


def _upload(client, path: Path):
    with path.open("rb") as handle:
        return client.post(
            reverse("inspections:report_import"),
            {"file": SimpleUploadedFile(path.name, handle.read(), "application/pdf")},
        )


@pytest.mark.parametrize(
    "filename",
    ["north-somerset_published-2017-08-25.pdf", "knowsley_published-2025-01-20.pdf"],
)
def test_uploading_a_report_shows_it_for_review_and_saves_only_when_confirmed(
    client, administrator, authorities, filename
):
    expected = EXPECTED[filename]
    client.force_login(administrator)
    response = _upload(client, REPORTS / filename)
    assert response.status_code == 200
    assert "Check what was read from the report" in response.content.decode()
    assert Inspection.objects.count() == 0  # nothing saved before the review is confirmed
    form = response.context["form"]
    assert form.initial["authority"] == match_authority(expected["authority"]).pk
    assert form.initial["lead_inspector"] == expected["lead_inspector"]

    response = client.post(reverse("inspections:report_import_confirm"), _review_post(form))
    assert response.status_code == 302, response.context["form"].errors
    inspection = Inspection.objects.get()
    assert inspection.history.get().history_user == administrator
    assert inspection.event_type == expected["inspection_type"]
    assert inspection.framework.code == expected["framework"]
    assert inspection.published_date.isoformat() == expected["published_date"]
    assert dict(inspection.judgements.values_list("area__code", "grade")) == expected["judgements"]
    assert [f.text for f in inspection.findings.order_by("order")] == expected[
        "areas_for_improvement"
    ]


def test_a_report_already_recorded_is_refused_at_upload_before_the_review(
    client, administrator, authorities
):
    client.force_login(administrator)
    path = REPORTS / "north-somerset_published-2017-08-25.pdf"
    form = _upload(client, path).context["form"]
    assert (
        client.post(reverse("inspections:report_import_confirm"), _review_post(form)).status_code
        == 302
    )
    inspection = Inspection.objects.get()
    before = snapshot()

    response = _upload(client, path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check what was read from the report" not in page  # no review to go through
    assert response.context["form"].errors["file"] == [
        "North Somerset already has a SIF inspection that started 12 June 2017: this report "
        "has been imported already"
    ]
    assert reverse("improvement_plans:inspection_detail", args=[inspection.pk]) in page
    assert snapshot() == before


def test_the_administrator_can_correct_the_review_before_saving(client, administrator, authorities):
    client.force_login(administrator)
    form = _upload(client, REPORTS / "brent_published-2023-04-11.pdf").context["form"]
    data = _review_post(form)
    data["lead_inspector"] = "Kendra Bell HMI"
    data["area_care_leavers"] = "requires_improvement"
    data["areas_for_improvement"] = "\u2022 Only this one. (Outcome 2)"
    assert client.post(reverse("inspections:report_import_confirm"), data).status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.lead_inspector == "Kendra Bell HMI"
    assert inspection.judgements.get(area__code="care_leavers").grade == "requires_improvement"
    finding = inspection.findings.get()
    assert (finding.text, finding.national_framework_tag) == ("Only this one.", "Outcome 2")


def test_a_review_with_a_wrong_start_date_or_no_authority_saves_nothing(
    client, administrator, authorities
):
    client.force_login(administrator)
    form = _upload(client, REPORTS / "brent_published-2023-04-11.pdf").context["form"]
    data = _review_post(form)
    data.update({"start_date_2": "2022", "authority": ""})
    response = client.post(reverse("inspections:report_import_confirm"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["authority"] == ["Select the authority the report is about"]
    assert (
        "is under ILACS-2018, but the judgements below are ILACS-2023's" in errors["start_date"][0]
    )
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize("kind", ["not a report", "corrupt", "oversized"])
def test_uploading_a_file_that_is_not_a_readable_report_gets_a_clear_error(
    client, administrator, authorities, bad_files, kind
):
    path, message = bad_files[kind]
    client.force_login(administrator)
    response = _upload(client, path)
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert message.lower() in error.lower() or "smaller than 20 MB" in error
    assert "There is a problem" in response.content.decode()
    assert Inspection.objects.count() == 0


def test_a_file_that_is_not_a_pdf_is_refused_by_its_name(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("inspections:report_import"),
        {"file": SimpleUploadedFile("report.docx", b"PK\x03\x04", "application/msword")},
    )
    assert response.context["form"].errors["file"] == ["The selected file must be a PDF"]


@pytest.mark.parametrize("user", ["officer", "manager", "viewer"])
def test_only_administrators_import(client, request, user):
    client.force_login(request.getfixturevalue(user))
    for name in ("inspections:report_import", "inspections:overview_import"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("inspections:report_import_confirm"), {}).status_code == 403


# --- The national outcomes spreadsheet ----------------------------------------------------------


def test_the_sample_spreadsheet_imports_ten_authorities_with_their_grades(authorities):
    output = run("import_ilacs_overview", str(SPREADSHEET))
    assert "Spreadsheet: 10 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert Inspection.objects.count() == 10

    def judgements(name: str) -> dict:
        inspection = Inspection.objects.get(authority__name=name)
        return dict(inspection.judgements.values_list("area__code", "grade"))

    barnsley = Inspection.objects.get(authority__name="Barnsley")
    assert (barnsley.event_type, barnsley.framework.code) == ("short", "ILACS-2023")
    assert (barnsley.start_date, barnsley.end_date, barnsley.published_date) == (
        D(2023, 9, 11),
        D(2023, 9, 15),
        D(2023, 10, 27),
    )
    assert barnsley.lead_inspector == "Anna Gravelle"
    assert barnsley.report_url == "https://files.ofsted.gov.uk/v1/file/50231520"
    assert judgements("Barnsley") == {
        "overall_effectiveness": "good",
        "impact_of_leaders": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care": "good",
        "care_leavers": "good",
    }
    # Started December 2022: ILACS-2018, whose one "in care" judgement includes care leavers;
    # its care leavers column says the inspection pre-dates that judgement.
    blackpool = Inspection.objects.get(authority__name="Blackpool")
    assert (blackpool.framework.code, blackpool.event_type) == ("ILACS-2018", "standard")
    assert judgements("Blackpool") == {
        "overall_effectiveness": "requires_improvement",
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care_and_care_leavers": "good",
    }
    # April 2026: ILACS-2026, no overall effectiveness ("nan").
    for name in ("Brent", "Somerset"):
        brent = Inspection.objects.get(authority__name=name)
        assert brent.framework.code == "ILACS-2026"
        assert "overall_effectiveness" not in judgements(name)
        assert len(judgements(name)) == 4
    assert judgements("Knowsley")["children_in_care"] == "requires_improvement"
    assert judgements("Knowsley")["overall_effectiveness"] == "inadequate"


def test_importing_the_spreadsheet_twice_changes_nothing(authorities):
    run("import_ilacs_overview", str(SPREADSHEET))
    before = snapshot()
    output = run("import_ilacs_overview", str(SPREADSHEET))
    assert "Spreadsheet: 0 created, 0 updated, 10 unchanged, 0 skipped" in output
    assert snapshot() == before


def test_the_spreadsheet_updates_an_inspection_already_recorded(authorities):
    north_somerset = LocalAuthority.objects.get(name="North Somerset")
    inspection = InspectionFactory(
        authority=north_somerset,
        start_date=D(2023, 3, 13),
        end_date=D(2023, 3, 24),
        published_date=None,
        lead_inspector="Anna Gravelle",
    )
    JudgementFactory(
        inspection=inspection,
        area=judgement_area(inspection, "overall_effectiveness"),
        grade="good",
    )
    output = run("import_ilacs_overview", str(SPREADSHEET))
    assert "North Somerset: updated, changed published date, report url" in output
    assert "overall effectiveness judgement" in output
    inspection.refresh_from_db()
    assert inspection.published_date == D(2023, 5, 11)
    assert inspection.lead_inspector == "Anna Gravelle"  # not replaced by the lowercased name
    assert inspection.judgements.get(area__code="overall_effectiveness").grade == (
        "requires_improvement"
    )
    assert Inspection.objects.filter(authority=north_somerset).count() == 1


def _edited_spreadsheet(tmp_path: Path, edit) -> Path:
    workbook = openpyxl.load_workbook(SPREADSHEET)
    edit(workbook.worksheets[0])
    path = tmp_path / "edited.xlsx"
    workbook.save(path)
    return path


def _set(row: int, column: str, value):
    def edit(sheet):
        header = [c.value for c in sheet[1]]
        # (sheet.cell(..., value=None) would leave the cell as it was)
        sheet.cell(row=row, column=header.index(column) + 1).value = value

    return edit


def test_a_spreadsheet_without_a_required_column_is_refused_and_nothing_is_imported(
    authorities, tmp_path
):
    path = _edited_spreadsheet(tmp_path, _set(1, "urn", "ofsted_urn"))
    with pytest.raises(CommandError, match="The spreadsheet has no urn column"):
        run("import_ilacs_overview", str(path))
    assert Inspection.objects.count() == 0
    assert Judgement.objects.count() == 0


# One row the importer cannot place must not hold back the others (the real spreadsheet has 153):
# it is skipped whole, saying why, and the rest import.
@pytest.mark.parametrize(
    ("edit", "line", "authority", "reason"),
    [
        (
            lambda sheet: (_set(5, "urn", "99999")(sheet), _set(5, "la_code", "999")(sheet)),
            5,
            "birmingham",
            "no authority has URN “99999” or LA code “999”",
        ),
        (
            _set(3, "in_care_grade", "superb"),
            3,
            "Bath and North East Somerset",
            "in_care_grade “superb” is not a grade",
        ),
        (
            _set(4, "inspection_start_date", "31/02/2025"),
            4,
            "Bedford Borough",
            "inspection_start_date “31/02/2025” is not a date like 31/12/2023",
        ),
        (
            _set(6, "inspection_framework", "focused"),
            6,
            "Blackpool",
            "inspection_framework “focused” is not short or standard",
        ),
    ],
)
def test_a_row_that_cannot_be_read_is_skipped_with_its_reason_and_the_rest_import(
    authorities, tmp_path, edit, line, authority, reason
):
    output = run("import_ilacs_overview", str(_edited_spreadsheet(tmp_path, edit)))
    assert f"Row {line}, {authority}: skipped, {reason}" in output
    assert "Spreadsheet: 9 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert Inspection.objects.count() == 9
    row_authority = {5: "Birmingham"}.get(line, authority)
    assert not Inspection.objects.filter(authority__name=row_authority).exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(authorities, tmp_path):
    path = tmp_path / "overview.xlsx"
    path.write_text("urn,la_code\n80426,370\n")
    with pytest.raises(CommandError, match="not an Excel spreadsheet"):
        run("import_ilacs_overview", str(path))


def test_the_upload_page_imports_and_reports_each_row(client, administrator, authorities):
    client.force_login(administrator)
    url = reverse("inspections:overview_import")
    upload = SimpleUploadedFile("overview.xlsx", SPREADSHEET.read_bytes())
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "10 created, 0 updated, 0 unchanged, 0 skipped" in html
    assert "Bath and North East Somerset" in html
    assert Inspection.objects.get(authority__name="Bedford Borough").history.get().history_user == (
        administrator
    )


def test_the_upload_page_refuses_a_bad_file_and_imports_nothing(
    client, administrator, authorities, tmp_path
):
    client.force_login(administrator)
    path = _edited_spreadsheet(tmp_path, _set(1, "in_care_grade", "cla_grade"))
    response = client.post(
        reverse("inspections:overview_import"),
        {"file": SimpleUploadedFile("overview.xlsx", path.read_bytes())},
    )
    assert response.context["form"].errors["file"] == [
        "The spreadsheet has no in_care_grade column: use the national ILACS outcomes "
        "spreadsheet with its first row of column names unchanged"
    ]
    assert Inspection.objects.count() == 0


def test_a_row_without_an_inspection_date_is_skipped_and_says_why(authorities, tmp_path):
    def blank_dates(sheet):
        _set(2, "inspection_start_date", None)(sheet)
        _set(2, "inspection_end_date", None)(sheet)

    output = run("import_ilacs_overview", str(_edited_spreadsheet(tmp_path, blank_dates)))
    assert "Row 2, Barnsley: skipped, no inspection dates: record it from its report" in output
    assert "9 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert not Inspection.objects.filter(authority__name="Barnsley").exists()

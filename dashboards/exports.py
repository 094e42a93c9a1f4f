"""The authority dashboard's tables and the portfolio table as spreadsheets (core.spreadsheets).

Each function takes what its page shows (the same cached dashboard, the same filtered and sorted
portfolio rows), so a download never holds more than the page, and uses the page's headings.
"""

from __future__ import annotations

from core.spreadsheets import MONTH_FORMAT, Table
from dashboards.forms import SORTS
from dashboards.selectors import AuthorityDashboard
from improvement_plans.exports import person, rag_words, state_words, yes_no
from improvement_plans.models import Rag
from inspections.models import EventType, FindingKind, Grade

NOT_JUDGED = "Not judged"


def grade_words(grade: str | None) -> str:
    return Grade(grade).label if grade else NOT_JUDGED


def authority_tables(dashboard: AuthorityDashboard) -> list[Table]:
    """The authority dashboard's tables: latest judgements, current areas for improvement,
    updates overdue, returned and waiting for approval, and actions overdue or due soon."""
    judgements = Table(
        "Latest judgements",
        ["Judgement", "Previous", "Latest", "Change"],
        [
            [
                change.judgement_area,
                grade_words(change.previous),
                grade_words(change.latest),
                change.change,
            ]
            for change in dashboard.changes
        ],
    )
    areas = Table(
        "Areas for improvement",
        [
            "Area for improvement",
            "Priority action",
            "Lead",
            "Latest reported RAG",
            "Last reported",
            "State",
        ],
        [
            [
                afi.title,
                yes_no(afi.kind == FindingKind.PRIORITY_ACTION),
                person(afi.lead),
                rag_words(afi.progress.latest_reported_rag),
                afi.progress.latest_reported.month if afi.progress.latest_reported else None,
                state_words(afi.progress),
            ]
            for afi in dashboard.afis
        ],
        formats={"Last reported": MONTH_FORMAT},
    )
    overdue = Table(
        "Updates overdue",
        ["Area for improvement", "Month", "Its update", "Lead"],
        [
            [
                afi.title,
                dashboard.due_month,
                _overdue_update_words(afi.progress.overdue_update),
                person(afi.lead),
            ]
            for afi in dashboard.overdue_areas
        ],
        formats={"Month": MONTH_FORMAT},
    )
    returned = Table(
        "Updates returned to the officer",
        ["Area for improvement", "Month", "Returned", "Returned by", "Lead"],
        [
            [
                afi.title,
                afi.progress.returned.month,
                afi.progress.returned.reviewed_at,
                person(afi.progress.returned.reviewed_by),
                person(afi.lead),
            ]
            for afi in dashboard.returned
        ],
        formats={"Month": MONTH_FORMAT},
    )
    waiting = Table(
        "Updates waiting for approval",
        ["Area for improvement", "Month", "RAG", "Submitted by", "Submitted"],
        [
            [
                update.area_for_improvement.title,
                update.month,
                rag_words(update.rag),
                person(update.author),
                update.submitted_at,
            ]
            for update in dashboard.awaiting_approval
        ],
        formats={"Month": MONTH_FORMAT},
    )
    actions = Table(
        "Actions overdue or due soon",
        ["Action", "Area for improvement", "Owner", "Due", "Overdue", "Status"],
        [
            [
                action.description,
                action.area_for_improvement.title,
                action.owner,
                action.due_date,
                yes_no(overdue),
                action.get_status_display(),
            ]
            for overdue, listed in (
                (True, dashboard.actions_overdue),
                (False, dashboard.actions_due_soon),
            )
            for action in listed
        ],
    )
    return [judgements, areas, overdue, returned, waiting, actions]


def _overdue_update_words(update) -> str:
    if update is None:
        return "Not started"
    if update.status == "returned":
        return "Back with the officer"
    return "Draft"


def portfolio_tables(*, rows, columns) -> list[Table]:
    """The portfolio table as the page shows it (`rows` filtered and sorted, one grade column per
    judgement area in `columns`)."""
    headings = [
        SORTS["name"],
        SORTS["region"],
        SORTS["inspected"],
        "Type of inspection",
        "Framework",
        SORTS["grade"],
        *(column.name for column in columns),
        SORTS["red"],
        SORTS["amber"],
        SORTS["green"],
        SORTS["overdue"],
        SORTS["returned"],
    ]
    table = Table("Authorities", headings)
    for row in rows:
        latest = row.latest
        table.rows.append(
            [
                row.authority.name,
                row.authority.region,
                latest.start_date if latest else None,
                EventType(latest.event_type).label if latest else "None recorded",
                latest.framework__code if latest else "",
                grade_words(row.headline),
                *(grade_words(grade) for grade in row.cells),
                row.rag_counts[Rag.RED],
                row.rag_counts[Rag.AMBER],
                row.rag_counts[Rag.GREEN],
                row.overdue,
                row.returned,
            ]
        )
    return [table]

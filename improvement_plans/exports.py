"""The plan, the review queue and an inspection's page as spreadsheets (core.spreadsheets).

Each function takes what its page's view already built for the page (the same selector, on the
same object fetched for the same user), so a download can never hold a row the page does not
show, and turns it into tables with the page's own words. States come from
improvement_plans.rules, as on the pages; nothing here decides a state.
"""

from __future__ import annotations

from core.spreadsheets import MONTH_FORMAT, Table
from improvement_plans import rules
from improvement_plans.models import Rag
from inspections.models import FindingKind, Inspection, Judgement

# An area for improvement's headline state (rules: the progress's `headline`) in words: the words
# its tag shows on every page (improvement_plans.templatetags.progress_tags.area_state_tag).
HEADLINE_WORDS = {
    "complete": "Complete",
    "returned": "Returned to the officer",
    "overdue": "Overdue",
    "submitted": "Waiting for approval",
    "draft": "Draft",
    "approved": "Approved",
    "due": "Due",
    "not_due": "Not due yet",
}
NO_RAG = "No update yet"


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def rag_words(rag: str | None) -> str:
    return Rag(rag).label if rag else NO_RAG


def state_words(progress) -> str:
    """The area for improvement's headline state, as its tag says it."""
    return HEADLINE_WORDS[progress.headline]


def month_state_words(update) -> str:
    """An update's state for its month (rules.MonthState): "Waiting for approval", "Returned to
    the officer", ..."""
    return rules.MonthState(update.status).label


# ----- The improvement plan --------------------------------------------------------------------


def plan_tables(*, plan, summary) -> list[Table]:
    """The plan page's tables (selectors.plan_summary): the plan, its areas for improvement with
    their state and latest reported RAG, every action, and every monthly update with its state,
    RAG and words."""
    inspection = plan.inspection
    about = Table(
        "Improvement plan",
        ["Authority", "Inspection", "Started", "Date sent to Ofsted", "Date accepted", "Notes"],
        [
            [
                inspection.authority.name,
                inspection.get_event_type_display(),
                inspection.start_date,
                plan.submitted_on,
                plan.accepted_on,
                plan.notes,
            ]
        ],
    )
    areas = Table(
        "Areas for improvement",
        [
            "Area for improvement",
            "Kind",
            "Judgement area",
            "Lead",
            "State",
            "Latest reported RAG",
            "Last reported",
            "Actions",
            "Actions complete",
        ],
        formats={"Last reported": MONTH_FORMAT},
    )
    actions = Table(
        "Actions",
        [
            "Area for improvement",
            "Action",
            "Owner",
            "Due",
            "Status",
            "Completed on",
            "Late",
        ],
    )
    updates = Table(
        "Monthly updates",
        [
            "Area for improvement",
            "Month",
            "RAG",
            "State",
            "Reported",
            "Written by",
            "Submitted",
            "Reviewed by",
            "Reviewed",
            "Review comment",
            "What was done",
            "Impact seen",
            "Evidence",
            "Next steps and risks",
        ],
        formats={"Month": MONTH_FORMAT},
    )
    day = summary.day
    for afi in summary.afis:
        progress = afi.progress
        latest = progress.latest_reported
        afi_actions = afi.action_list
        areas.rows.append(
            [
                afi.title,
                FindingKind(afi.kind).label,
                afi.judgement_area.short_name if afi.judgement_area else "",
                person(afi.lead),
                state_words(progress),
                rag_words(progress.latest_reported_rag),
                latest.month if latest else None,
                len(afi_actions),
                sum(rules.action_complete_by(action, day) for action in afi_actions),
            ]
        )
        for action in afi_actions:
            actions.rows.append(
                [
                    afi.title,
                    action.description,
                    action.owner,
                    action.due_date,
                    action.get_status_display(),
                    action.completed_on,
                    yes_no(rules.action_late(action, day)),
                ]
            )
        for update in summary.updates.get(afi.pk, []):
            updates.rows.append(
                [
                    afi.title,
                    update.month,
                    rag_words(update.rag),
                    month_state_words(update),
                    yes_no(rules.is_reported(update)),
                    person(update.author),
                    update.submitted_at,
                    person(update.reviewed_by),
                    update.reviewed_at,
                    update.review_comment,
                    update.what_was_done,
                    update.impact,
                    update.evidence,
                    update.next_steps,
                ]
            )
    return [about, areas, actions, updates]


# ----- The review queue ------------------------------------------------------------------------


def review_queue_tables(*, updates, returned) -> list[Table]:
    """The review queue's two tables: updates waiting for review (with whether the person
    downloading wrote or submitted it: then someone else reviews it), and areas whose update is
    back with its officer."""
    waiting = Table(
        "Updates waiting for review",
        [
            "Area for improvement",
            "Authority",
            "Month",
            "RAG",
            "Submitted",
            "Submitted by",
            "Yours: someone else reviews it",
        ],
        formats={"Month": MONTH_FORMAT},
    )
    for update in updates:
        afi = update.area_for_improvement
        waiting.rows.append(
            [
                afi.title,
                afi.inspection.authority.name,
                update.month,
                rag_words(update.rag),
                update.submitted_at,
                person(update.submitted_by or update.author),
                yes_no(update.own),
            ]
        )
    back = Table(
        "Returned to the officer",
        ["Area for improvement", "Authority", "Month", "Returned", "Comment"],
        formats={"Month": MONTH_FORMAT},
    )
    for afi in returned:
        update = afi.progress.returned
        back.rows.append(
            [
                afi.title,
                afi.inspection.authority.name,
                update.month,
                update.reviewed_at,
                update.review_comment,
            ]
        )
    return [waiting, back]


# ----- An inspection ---------------------------------------------------------------------------


def inspection_tables(
    *, inspection: Inspection, judgements: list[Judgement], findings: dict[str, list]
) -> list[Table]:
    """An inspection's page as tables: the inspection, its judgements with what the report says
    about each, and its findings (areas for priority action, areas for improvement, strengths, in
    the page's order)."""
    about = Table(
        "Inspection",
        [
            "Authority",
            "Inspection",
            "Started",
            "Ended",
            "Framework",
            "Published",
            "Lead inspector",
            "Report",
            "Ofsted's summary",
        ],
        [
            [
                inspection.authority.name,
                inspection.get_event_type_display(),
                inspection.start_date,
                inspection.end_date,
                inspection.framework.code,
                inspection.published_date,
                inspection.lead_inspector,
                inspection.report_url,
                inspection.summary,
            ]
        ],
    )
    judged = Table(
        "Judgements",
        ["Judgement", "Grade", "Ofsted's findings", "What needs to improve"],
        [[j.area.name, j.get_grade_display(), j.strengths, j.to_improve] for j in judgements],
    )
    found = Table(
        "Findings",
        [
            "Kind",
            "Number",
            "Title",
            "What the report says",
            "Judgement area",
            "National framework outcome or enabler",
            "Follows on from",
        ],
    )
    for kind in (
        FindingKind.PRIORITY_ACTION,
        FindingKind.AREA_FOR_IMPROVEMENT,
        FindingKind.STRENGTH,
    ):
        for number, finding in enumerate(findings[kind], start=1):
            found.rows.append(
                [
                    kind.label,
                    number,
                    finding.title,
                    finding.text,
                    finding.judgement_area.short_name if finding.judgement_area else "",
                    finding.national_framework_tag,
                    finding.predecessor.title if finding.predecessor else "",
                ]
            )
    return [about, judged, found]

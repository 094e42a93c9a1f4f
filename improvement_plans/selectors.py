"""Reads of plans, actions and monthly updates that are more than a filter.

Each runs a fixed number of queries whatever the number of areas, actions or updates; the tests
pin the counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.permissions import is_administrator
from ilacs.history import HistoryEntry, merged_history
from ilacs.months import month_start, previous_month
from improvement_plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    ProgressUpdate,
    Rag,
    UpdateStatus,
)
from inspections.models import Finding, LocalAuthority

# How far ahead "actions due soon" looks on an officer's home page.
ACTIONS_DUE_SOON_DAYS = 30
NOT_STARTED = "not_started"
# What "My updates" shows for this month's update, worst first for sorting.
MONTH_STATUS_LABELS = {
    UpdateStatus.RETURNED: "Returned",
    NOT_STARTED: "Not started",
    UpdateStatus.DRAFT: "Draft",
    UpdateStatus.SUBMITTED: "Submitted",
    UpdateStatus.APPROVED: "Approved",
}
DONE = (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED)


def overdue_month(today: datetime.date) -> datetime.date:
    """The latest month whose update is overdue on `today`. Each month's update is due by the
    month's last day, so from the 1st of a month last month's update is overdue if it has not been
    submitted. My updates, the reminders and the dashboards all apply this one rule."""
    return previous_month(month_start(today))


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


def _update_field(month: datetime.date, name: str) -> Subquery:
    return Subquery(
        ProgressUpdate.objects.filter(area_for_improvement=OuterRef("pk"), month=month)
        .order_by()
        .values(name)[:1]
    )


def _closed() -> Exists:
    # An area whose approved update says it is complete needs no more monthly updates.
    return Exists(
        ProgressUpdate.objects.filter(
            area_for_improvement=OuterRef("pk"), rag=Rag.COMPLETE, status=UpdateStatus.APPROVED
        )
    )


def areas_with_month_status(
    findings: QuerySet[Finding], *, month: datetime.date
) -> QuerySet[Finding]:
    """Annotates areas for improvement with their update for `month` and the month before:
    `month_update_id`, `month_status` (None when not started), `previous_status` and `closed`.
    One query when evaluated."""
    previous = previous_month(month)
    return findings.annotate(
        month_update_id=_update_field(month, "pk"),
        month_status=_update_field(month, "status"),
        previous_status=_update_field(previous, "status"),
        closed=_closed(),
    )


def is_overdue(finding: Finding, *, month: datetime.date) -> bool:
    """Last month's update was never submitted, for an area that existed before this month."""
    if finding.closed:
        return False
    created = timezone.localtime(finding.created_at).date()
    return created < month and finding.previous_status not in DONE


@dataclass
class MyUpdates:
    month: datetime.date
    areas: list[Finding]
    actions_due: list[Action]
    today: datetime.date


def my_updates(*, user, today: datetime.date | None = None) -> MyUpdates:
    """The current areas for improvement `user` leads (Finding.objects.current: not those of
    inspections a later graded one superseded), overdue first, with this month's update status,
    and their actions due within ACTIONS_DUE_SOON_DAYS (or already late).

    Two queries: the areas (with their authority, inspection and update statuses), the actions.
    """
    today = today or timezone.localdate()
    month = month_start(today)
    areas = list(
        areas_with_month_status(
            Finding.objects.for_user(user)
            .to_act_on()
            .current()
            .filter(lead=user)
            .select_related("inspection__authority", "judgement_area"),
            month=month,
        )
    )
    order = list(MONTH_STATUS_LABELS)
    for area in areas:
        area.overdue = is_overdue(area, month=month)
        area.status_key = area.month_status or NOT_STARTED
        area.status_label = "Complete" if area.closed else MONTH_STATUS_LABELS[area.status_key]
    areas.sort(
        key=lambda a: (
            a.closed,
            not a.overdue,
            order.index(a.status_key),
            a.inspection.authority.name,
            a.title,
        )
    )
    actions = list(
        Action.objects.for_user(user)
        .filter(
            area_for_improvement__in=[area.pk for area in areas],
            due_date__lte=today + datetime.timedelta(days=ACTIONS_DUE_SOON_DAYS),
        )
        .exclude(status=ActionStatus.COMPLETE)
        .select_related("area_for_improvement")
        .order_by("due_date", "pk")[:50]
    )
    return MyUpdates(month=month, areas=areas, actions_due=actions, today=today)


def managed_authorities(user) -> QuerySet[LocalAuthority]:
    """Authorities where `user` may approve updates: all for administrators."""
    if is_administrator(user):
        return LocalAuthority.objects.all()
    return LocalAuthority.objects.filter(
        memberships__user=user, memberships__role=Role.MANAGER
    ).distinct()


def review_queue(*, user) -> list[ProgressUpdate]:
    """Submitted updates waiting for `user` to review, oldest submission first. One query."""
    return list(
        ProgressUpdate.objects.for_user(user)
        .filter(
            status=UpdateStatus.SUBMITTED,
            area_for_improvement__inspection__authority__in=managed_authorities(user),
        )
        .select_related("area_for_improvement__inspection__authority", "author")
        .order_by("submitted_at", "pk")
    )


@dataclass
class PlanSummary:
    areas: list[Finding]
    rag_counts: dict[str, int]
    actions_total: int
    actions_complete: int
    actions_late: int
    month: datetime.date


def _latest_update(name: str) -> Subquery:
    return Subquery(
        ProgressUpdate.objects.filter(area_for_improvement=OuterRef("pk"))
        .order_by("-month")
        .values(name)[:1]
    )


def plan_summary(*, plan: ImprovementPlan, today: datetime.date | None = None) -> PlanSummary:
    """The plan's areas for improvement with their actions, latest RAG and this month's status,
    and counts for the at-a-glance panel. Two queries: areas, actions."""
    today = today or timezone.localdate()
    month = month_start(today)
    areas = list(
        areas_with_month_status(
            plan.inspection.findings.to_act_on()
            .select_related("judgement_area", "lead")
            .annotate(
                latest_rag=_latest_update("rag"),
                latest_month=_latest_update("month"),
            )
            .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("order"))),
            month=month,
        )
    )
    rag_counts = {value: 0 for value in Rag.values}
    rag_counts["none"] = 0
    total = complete = late = 0
    for area in areas:
        area.overdue = is_overdue(area, month=month)
        area.status_label = (
            "Complete" if area.closed else MONTH_STATUS_LABELS[area.month_status or NOT_STARTED]
        )
        rag_counts[area.latest_rag or "none"] += 1
        for action in area.actions.all():
            total += 1
            if action.status == ActionStatus.COMPLETE:
                complete += 1
            elif action.due_date < today:
                late += 1
    return PlanSummary(
        areas=areas,
        rag_counts=rag_counts,
        actions_total=total,
        actions_complete=complete,
        actions_late=late,
        month=month,
    )


def area_detail(*, finding: Finding) -> tuple[list[Action], list[ProgressUpdate]]:
    """The area's actions, and its monthly updates oldest first (the RAG trend). Two queries."""
    actions = list(finding.actions.order_by("order", "due_date", "pk"))
    updates = list(
        finding.progress_updates.select_related("author", "reviewed_by").order_by("month")
    )
    return actions, updates


# ----- History ---------------------------------------------------------------------------------


def area_history(*, finding: Finding) -> list[HistoryEntry]:
    """Every change to the area for improvement, its actions and its monthly updates, newest
    first, with who made it and what changed. Four queries: the three histories (with their
    users) and the people named in changed fields."""
    area_records = list(Finding.history.filter(id=finding.pk).select_related("history_user"))
    action_records = list(
        Action.history.filter(area_for_improvement_id=finding.pk).select_related("history_user")
    )
    update_records = list(
        ProgressUpdate.history.filter(area_for_improvement_id=finding.pk).select_related(
            "history_user"
        )
    )
    return merged_history(
        (area_records, Finding, lambda r: "Area for improvement"),
        (action_records, Action, lambda r: f"Action: {r.description[:60]}"),
        (update_records, ProgressUpdate, lambda r: f"Update for {r.month:%B %Y}"),
    )


# ----- Reminders -------------------------------------------------------------------------------


def officers_with_updates_due(*, month: datetime.date) -> dict:
    """{officer: (areas whose update for `month` is not yet submitted, areas whose update for the
    month before is overdue)} for every active lead of an open, current area for improvement
    (Finding.objects.current). One query."""
    areas = (
        areas_with_month_status(
            Finding.objects.to_act_on().current().filter(lead__isnull=False, lead__is_active=True),
            month=month,
        )
        .filter(closed=False)
        .select_related("lead", "inspection__authority")
        .order_by("lead_id", "inspection__authority__name", "title")
    )
    by_officer: dict = {}
    for area in areas:
        due, overdue = by_officer.setdefault(area.lead, ([], []))
        if area.month_status not in DONE:
            due.append(area)
        if is_overdue(area, month=month):
            overdue.append(area)
    return {officer: lists for officer, lists in by_officer.items() if any(lists)}


def managers_with_updates_waiting() -> dict:
    """{manager: number of submitted updates waiting in their authorities}. One query."""
    waiting = (
        Membership.objects.filter(role=Role.MANAGER, user__is_active=True)
        .annotate(
            waiting=Count(
                "authority__inspections__findings__progress_updates",
                filter=Q(
                    authority__inspections__findings__progress_updates__status=UpdateStatus.SUBMITTED
                ),
            )
        )
        .filter(waiting__gt=0)
        .select_related("user", "authority")
    )
    by_manager: dict = {}
    for membership in waiting:
        by_manager.setdefault(membership.user, []).append(
            (membership.authority, membership.waiting)
        )
    return by_manager

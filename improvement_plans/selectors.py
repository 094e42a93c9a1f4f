"""Reads of plans, actions and monthly updates that are more than a filter.

Each runs a fixed number of queries whatever the number of areas, actions or updates; the tests
pin the counts.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import LocalAuthority, Membership, Role, StatisticalNeighbour
from accounts.permissions import Capability, authorities_where, may_review
from core.history import HistoryEntry, merged_history
from core.months import add_months, month_start
from improvement_plans import records, rules
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, UpdateStatus
from inspections.deadlines import Deadline, InspectionWindow, deadlines_for, next_inspection_window
from inspections.models import (
    GRADED_EVENT_TYPES,
    Finding,
    FindingKind,
    Inspection,
    Judgement,
    JudgementArea,
)

# How far ahead "actions due soon" looks on an officer's home page.
ACTIONS_DUE_SOON_DAYS = 30
# My updates lists areas in this order of their state (improvement_plans.rules), most pressing
# first.
HEADLINE_ORDER = (
    "returned",
    "overdue",
    "due",
    "draft",
    "submitted",
    "approved",
    "not_due",
    "complete",
)


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


@dataclass
class MyUpdates:
    month: datetime.date
    afis: list[Finding]  # each with `.progress` (rules.AfiProgress) and `.to_continue`
    actions_due: list[Action]
    today: datetime.date


def my_updates(*, user, today: datetime.date | None = None) -> MyUpdates:
    """The current areas for improvement `user` leads, most pressing first (returned, overdue,
    due, ...), each with its state from the rules, and their actions not complete that are due
    within ACTIONS_DUE_SOON_DAYS (or already late). The queries of records.load plus one for the
    user's authorities."""
    today = today or timezone.localdate()
    found = records.load(
        authority_ids=LocalAuthority.objects.for_user(user).values_list("pk", flat=True),
        day=today,
        history=False,
        lead=user,
    )
    areas = found.afis
    for area in areas:
        area.progress = found.progress[area.pk]
        area.to_continue = _to_continue(area.progress)
    areas.sort(
        key=lambda a: (
            HEADLINE_ORDER.index(a.progress.headline),
            a.inspection.authority.name,
            a.title,
        )
    )
    soon = today + datetime.timedelta(days=ACTIONS_DUE_SOON_DAYS)
    actions = []
    for area in areas:
        for action in found.actions.get(area.pk, []):
            if not rules.action_complete_by(action, today) and action.due_date <= soon:
                action.area_for_improvement = area
                actions.append(action)
    actions = sorted(actions, key=lambda a: (a.due_date, a.pk))[:50]
    return MyUpdates(month=month_start(today), afis=areas, actions_due=actions, today=today)


def _to_continue(progress: rules.AfiProgress):
    """The update the officer works on next: one returned to them, or this month's draft."""
    if progress.returned is not None:
        return progress.returned
    if progress.month_update is not None and progress.month_update.status == UpdateStatus.DRAFT:
        return progress.month_update
    return None


def managed_authorities(user) -> QuerySet[LocalAuthority]:
    """Authorities where `user` may approve updates: all for administrators."""
    return authorities_where(user, Capability.MANAGE)


def review_queue(*, user, today: datetime.date | None = None) -> list[ProgressUpdate]:
    """Updates waiting for approval (rules: submitted updates of current areas) in the
    authorities `user` manages, oldest submission first. Those the user wrote or submitted carry
    `own`: someone else reviews them (four eyes, accounts.permissions.may_review). Two queries."""
    updates = records.waiting_for_approval(
        authority_ids=managed_authorities(user).values_list("pk", flat=True),
        day=today or timezone.localdate(),
    )
    for update in updates:
        update.own = not may_review(user, update)
    return updates


def returned_queue(*, user, today: datetime.date | None = None) -> list[Finding]:
    """Areas in the authorities `user` manages whose update is back with its officer (the
    rules' *returned*), longest waiting first."""
    return records.returned_to_officers(
        authority_ids=managed_authorities(user).values_list("pk", flat=True),
        day=today or timezone.localdate(),
    )


@dataclass
class PlanSummary:
    afis: list[Finding]
    counts: rules.Counts
    actions_total: int
    actions_complete: int
    actions_late: int
    month: datetime.date
    day: datetime.date
    updates: dict[int, list]  # per area, oldest month first (records.UpdateRecord)

    @property
    def rag_counts(self) -> dict:
        return {("none" if rag is None else rag): n for rag, n in self.counts.rag.items()}


def plan_summary(*, plan: ImprovementPlan, today: datetime.date | None = None) -> PlanSummary:
    """The plan's areas for improvement with their state from the rules (an area of an
    inspection a later graded one superseded is never due or overdue), their actions and monthly
    updates, and counts for the at-a-glance panel: the plan page and its download. The queries of
    records.load."""
    today = today or timezone.localdate()
    found = records.load(
        authority_ids=[plan.inspection.authority_id],
        day=today,
        history=False,
        inspection_id=plan.inspection_id,
    )
    total = complete = late = 0
    for area in found.afis:
        area.progress = found.progress[area.pk]
        area.action_list = found.actions.get(area.pk, [])
        for action in area.action_list:
            total += 1
            complete += rules.action_complete_by(action, today)
            late += rules.action_late(action, today)
    return PlanSummary(
        afis=found.afis,
        counts=found.counts(),
        actions_total=total,
        actions_complete=complete,
        actions_late=late,
        month=month_start(today),
        day=today,
        updates=found.updates,
    )


def afi_progress(*, finding: Finding, updates: list[ProgressUpdate], today: datetime.date):
    """The rules' state of one area (its updates already fetched). One query: its authority's
    inspections, to know whether the area is of the current cycle."""
    inspections = list(
        Inspection.objects.filter(
            authority_id=finding.inspection.authority_id, start_date__lte=today
        ).only("pk", "start_date", "event_type")
    )
    current = {i.pk for i in rules.current_cycle(inspections)}
    return rules.afi_progress(
        finding,
        updates,
        day=today,
        published=finding.inspection.published_date if finding.inspection_id in current else None,
        reporting_from=finding.inspection.authority.reporting_from,
    )


def area_detail(*, finding: Finding) -> tuple[list[Action], list[ProgressUpdate]]:
    """The area's actions, and its monthly updates oldest first (the RAG trend). Two queries."""
    actions = list(finding.actions.order_by("order", "due_date", "pk"))
    updates = list(
        finding.progress_updates.select_related("author", "submitted_by", "reviewed_by").order_by(
            "month"
        )
    )
    return actions, updates


# How many months before an update its review shows the ratings of.
REVIEW_CONTEXT_MONTHS = 3


@dataclass
class ReviewContext:
    """What a reviewer reads an update against: the area's reported RAG (rules: submitted or
    approved) for each of the months before it, oldest first, and the latest of them."""

    months: list[tuple[datetime.date, str | None]]
    previous_rag: str | None  # the latest reported RAG before the update's month
    changed: bool  # the update's RAG is not the previous one


def review_context(*, update: ProgressUpdate) -> ReviewContext:
    """The REVIEW_CONTEXT_MONTHS months before `update`. One query."""
    months = [add_months(update.month, -n) for n in range(REVIEW_CONTEXT_MONTHS, 0, -1)]
    reported = {
        u.month: u.rag
        for u in ProgressUpdate.objects.filter(
            area_for_improvement_id=update.area_for_improvement_id,
            month__gte=months[0],
            month__lt=update.month,
        ).only("month", "rag", "status")
        if rules.is_reported(u)
    }
    rows = [(month, reported.get(month)) for month in months]
    previous = next((rag for _, rag in reversed(rows) if rag), None)
    return ReviewContext(
        months=rows, previous_rag=previous, changed=previous is not None and previous != update.rag
    )


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


@dataclass
class ReminderRecipients:
    # officer -> (areas whose update for this month is due, areas whose update for last month is
    # overdue), for active leads of current, open areas
    officers: dict
    # manager -> [(authority, updates waiting for approval)]
    managers: dict


def reminder_recipients(*, today: datetime.date) -> ReminderRecipients:
    """Who the reminders go to on `today`, by the rules (due, overdue, waiting for approval),
    never a month before the authority started reporting in the app. The queries of
    records.load over every authority, plus one for who wrote the updates waiting and one for
    the managers."""
    found = records.load(
        authority_ids=LocalAuthority.objects.values_list("pk", flat=True),
        day=today,
        history=False,
    )
    officers: dict = {}
    for area in sorted(found.afis, key=lambda a: (a.inspection.authority.name, a.title)):
        if area.lead is None or not area.lead.is_active:
            continue
        progress = found.progress[area.pk]
        due, overdue = officers.setdefault(area.lead, ([], []))
        if progress.is_due:
            due.append(area)
        if progress.is_overdue:
            overdue.append(area)
    # Four eyes: a manager is not reminded of updates they wrote or submitted (someone else
    # reviews those), so their own are counted per person and authority, and taken off.
    waiting_ids = [u.pk for progress in found.progress.values() for u in progress.waiting]
    own_waiting: dict[tuple[int, int], int] = defaultdict(int)
    for authority_id, author_id, submitted_by_id in ProgressUpdate.objects.filter(
        pk__in=waiting_ids
    ).values_list("area_for_improvement__inspection__authority_id", "author_id", "submitted_by_id"):
        for writer_id in {author_id, submitted_by_id} - {None}:
            own_waiting[writer_id, authority_id] += 1
    managers: dict = {}
    for membership in (
        Membership.objects.filter(role=Role.MANAGER, user__is_active=True)
        .select_related("user", "authority")
        .order_by("authority__name")
    ):
        waiting = (
            found.counts(membership.authority_id).waiting
            - own_waiting[membership.user_id, membership.authority_id]
        )
        if waiting:
            managers.setdefault(membership.user, []).append((membership.authority, waiting))
    return ReminderRecipients(
        officers={officer: lists for officer, lists in officers.items() if any(lists)},
        managers=managers,
    )


# ----- The authority's and an inspection's pages: Ofsted's record with the authority's response


@dataclass
class AuthorityOverview:
    """Everything the authority page shows, read in a fixed number of queries."""

    authority: LocalAuthority
    inspections: list[Inspection]  # newest first, each with .judgement_list, .finding_counts
    latest_graded: Inspection | None
    latest_judgements: list[Judgement]
    open_areas: list[Finding]
    deadlines: list[tuple[Inspection, Deadline]]  # the current cycle's, earliest first
    today: datetime.date
    window: InspectionWindow | None
    neighbours: list[LocalAuthority]  # its statistical neighbours, closest first
    internal: bool  # whether the open areas and deadlines (the authority's own data) were read


def authority_overview(
    *, authority: LocalAuthority, today: datetime.date, internal: bool = True
) -> AuthorityOverview:
    """The authority's timeline, latest judgements, next-inspection window and statistical
    neighbours (what was published), and with `internal` its open areas for improvement and
    deadlines (its own data: only for its people, docs/domain.md, "Published and internal data").

    A fixed number of queries whatever the number of inspections, judgements and findings:
    inspections (with framework), their judgements (with area), finding counts per inspection and
    kind, the neighbours, and with `internal` improvement plans and the current areas with their
    progress (records.load).
    """
    inspections = list(
        Inspection.objects.filter(authority=authority)
        .select_related("framework")
        .order_by("-start_date", "-pk")
    )
    judgements: dict[int, list[Judgement]] = defaultdict(list)
    for judgement in (
        Judgement.objects.filter(inspection__authority=authority)
        .select_related("area")
        .order_by("area__order")
    ):
        judgements[judgement.inspection_id].append(judgement)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Finding.objects.filter(inspection__authority=authority)
        .order_by()
        .values("inspection_id", "kind")
        .annotate(n=Count("pk"))
    ):
        counts[row["inspection_id"]][row["kind"]] = row["n"]
    for inspection in inspections:
        inspection.judgement_list = judgements.get(inspection.pk, [])
        inspection.finding_counts = counts.get(inspection.pk, {})
        inspection.overall = next(
            (j.grade for j in inspection.judgement_list if j.area.code == "overall_effectiveness"),
            None,
        )

    grades = {i.pk: {j.area.code: j.grade for j in i.judgement_list} for i in inspections}
    window = next_inspection_window(inspections, grades, as_at=today)
    latest_graded = next(
        (i for i in inspections if i.event_type in GRADED_EVENT_TYPES and i.judgement_list), None
    )

    neighbours = [
        link.neighbour
        for link in StatisticalNeighbour.objects.filter(authority=authority)
        .select_related("neighbour")
        .order_by("rank")
    ]
    if not internal:
        return AuthorityOverview(
            authority=authority,
            inspections=inspections,
            latest_graded=latest_graded,
            latest_judgements=latest_graded.judgement_list if latest_graded else [],
            open_areas=[],
            deadlines=[],
            today=today,
            window=window,
            neighbours=neighbours,
            internal=False,
        )

    # Open: current areas (the latest graded inspection's and the visits' since) whose latest
    # approved update does not say complete: improvement_plans.rules, as every page applies them.
    since = latest_graded.start_date if latest_graded else datetime.date.min
    found = records.load(authority_ids=[authority.pk], day=today, history=False, detail=False)
    open_areas = []
    for finding in sorted(
        found.afis, key=lambda a: (-a.inspection.start_date.toordinal(), a.kind, a.order, a.pk)
    ):
        finding.progress = found.progress[finding.pk]
        if finding.progress.is_open:
            open_areas.append(finding)

    plans = {
        p.inspection_id: p for p in ImprovementPlan.objects.filter(inspection__authority=authority)
    }
    # The current cycle's deadlines (the latest graded inspection's and the visits' since) in
    # whatever state they are, and any earlier one still to do.
    deadlines = [
        (inspection, deadline)
        for inspection in inspections
        if inspection.start_date <= today
        for deadline in deadlines_for(
            inspection,
            plan=plans.get(inspection.pk),
            has_priority_actions=bool(inspection.finding_counts.get(FindingKind.PRIORITY_ACTION)),
            as_at=today,
        )
        if inspection.start_date >= since or deadline.state == "due"
    ]
    deadlines.sort(key=lambda pair: pair[1].due)
    return AuthorityOverview(
        authority=authority,
        inspections=inspections,
        latest_graded=latest_graded,
        latest_judgements=latest_graded.judgement_list if latest_graded else [],
        open_areas=open_areas,
        deadlines=deadlines,
        today=today,
        window=window,
        neighbours=neighbours,
        internal=True,
    )


def inspection_history(*, inspection: Inspection) -> list[HistoryEntry]:
    """Every change to the inspection, its judgements, its findings and its improvement plan,
    newest first, with who made it and what changed (its areas' actions and updates are on each
    area's own history page). Six queries at most: the four histories with their users, the
    framework's judgement area names, and the people named in changed fields."""
    inspection_records = list(
        Inspection.history.filter(id=inspection.pk).select_related("history_user")
    )
    judgement_records = list(
        Judgement.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    finding_records = list(
        Finding.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    plan_records = list(
        ImprovementPlan.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    area_names = dict(JudgementArea.objects.values_list("pk", "name"))
    kinds = dict(FindingKind.choices)
    return merged_history(
        (inspection_records, Inspection, lambda r: "Inspection details"),
        (
            judgement_records,
            Judgement,
            lambda r: f"Judgement: {area_names.get(r.area_id, 'a removed judgement area')}",
        ),
        (finding_records, Finding, lambda r: f"{kinds[r.kind]}: {r.title[:60]}"),
        (plan_records, ImprovementPlan, lambda r: "Improvement plan"),
    )

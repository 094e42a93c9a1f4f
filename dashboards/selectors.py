"""Reads behind the dashboards. Each runs a fixed number of queries whatever the data size: counts
are aggregated in the database and every list is fetched in one query, never one per row.

Rules the dashboards apply (shown on the pages too):
- The *current* areas for improvement of an authority are the AFIs and areas for priority action
  of its latest graded inspection and of any visit since (all of them if it has no graded one).
- An area's *current RAG* is the RAG of its latest reported update (submitted or approved; a
  draft or a returned update has not been reported yet).
- Each month's update is due by the month's last day (improvement_plans.selectors.overdue_month).
  An open area (current RAG not complete) of a published inspection is *overdue* when last
  month's update has not been reported.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce

from ilacs.months import add_months
from improvement_plans.models import Action, ActionStatus, ProgressUpdate, Rag, UpdateStatus
from improvement_plans.selectors import overdue_month
from inspections import deadlines
from inspections.models import (
    GRADED_EVENT_TYPES,
    Finding,
    FindingKind,
    Grade,
    Inspection,
    Judgement,
    LocalAuthority,
)

TREND_MONTHS = 12
DUE_SOON_DAYS = 30
NATIONAL_AUTHORITY_COUNT = 153
REPORTED = (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED)
GRADE_RANK = {
    Grade.INADEQUATE: 1,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.GOOD: 3,
    Grade.OUTSTANDING: 4,
}
OVERALL = "overall_effectiveness"
# Every current RAG an area can have; None: nothing reported yet.
RAG_KEYS = (*Rag.values, None)
BEGINNING = datetime.date(1900, 1, 1)


def _latest_graded(authority_ref) -> QuerySet:
    return Inspection.objects.filter(
        authority=authority_ref, event_type__in=GRADED_EVENT_TYPES
    ).order_by("-start_date", "-pk")


def _latest_reported() -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(
        area_for_improvement=OuterRef("pk"), status__in=REPORTED
    ).order_by("-month")


def current_inspection_ids(*, authorities: QuerySet[LocalAuthority] | list[int]) -> list[int]:
    """The authorities' inspections of the current cycle: the latest graded one and any since (all
    of them for an authority without a graded inspection). One query: a window per authority."""
    return list(
        Inspection.objects.filter(authority__in=authorities)
        .annotate(
            cycle_start=Coalesce(
                Window(
                    Max("start_date", filter=Q(event_type__in=GRADED_EVENT_TYPES)),
                    partition_by=F("authority_id"),
                ),
                Value(BEGINNING),
            )
        )
        .filter(start_date__gte=F("cycle_start"))
        .values_list("pk", flat=True)
    )


def current_areas(*, inspection_ids: list[int], today: datetime.date) -> QuerySet[Finding]:
    """The current areas for improvement (of the given current-cycle inspections), each annotated
    with `current_rag` (of its latest reported update), `due_reported` (the update for the month
    now due is reported) and `reporting_due` (its report came out before that month): what
    `is_overdue` needs.

    The inspections are given as ids so that the database reaches the areas through the
    findings' inspection index: the cost stays with the current picture, not with the years of
    areas, actions and updates behind it.
    """
    due = overdue_month(today)
    reported = _latest_reported()
    return (
        Finding.objects.to_act_on()
        .filter(inspection_id__in=inspection_ids)
        .annotate(
            current_rag=Subquery(reported.values("rag")[:1]),
            due_reported=Exists(
                ProgressUpdate.objects.filter(
                    area_for_improvement=OuterRef("pk"), month=due, status__in=REPORTED
                )
            ),
            # Reporting starts the month after the report: nothing is due before then.
            reporting_due=ExpressionWrapper(
                Q(inspection__published_date__lt=due), output_field=BooleanField()
            ),
        )
    )


def is_overdue(*, current_rag: str | None, due_reported: bool, reporting_due: bool) -> bool:
    """An open area (not complete) whose update for the month now due has not been reported."""
    return reporting_due and not due_reported and current_rag != Rag.COMPLETE


# --- Authority dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class JudgementChange:
    area: str
    previous: str | None
    latest: str

    @property
    def change(self) -> str:
        if self.previous is None:
            return "Not judged before"
        delta = GRADE_RANK[self.latest] - GRADE_RANK[self.previous]
        return "Improved" if delta > 0 else "Declined" if delta < 0 else "No change"


@dataclass
class AuthorityDashboard:
    authority: LocalAuthority
    today: datetime.date
    due_month: datetime.date
    inspections: list[Inspection]
    graded: list[Inspection]
    latest: Inspection | None
    previous: Inspection | None
    changes: list[JudgementChange]
    judgements_by_inspection: dict[int, dict[str, Judgement]]
    areas: list[Finding]
    trend_months: list[datetime.date]
    trend: dict[int, list[str | None]]
    awaiting_approval: list[ProgressUpdate]
    actions_overdue: list[Action]
    actions_due_soon: list[Action]
    deadline_list: list = field(default_factory=list)
    window: object | None = None

    @property
    def overdue_areas(self) -> list[Finding]:
        return [area for area in self.areas if area.is_overdue]

    @property
    def rag_counts(self) -> dict[str | None, int]:
        counts = Counter(area.current_rag for area in self.areas)
        return {rag: counts.get(rag, 0) for rag in RAG_KEYS}


def authority_dashboard(*, authority: LocalAuthority, today: datetime.date) -> AuthorityDashboard:
    """Everything the authority dashboard shows. Six queries whatever the data size:
    1. the authority's inspections, with framework and improvement plan;
    2. the judgements of its graded inspections, with their areas;
    3. its current areas for improvement, with current RAG and overdue state;
    4. the reported updates of those areas in the last TREND_MONTHS months;
    5. updates waiting for approval, with their area and author;
    6. actions not complete that are overdue or due within DUE_SOON_DAYS, with their area.
    """
    inspections = list(
        Inspection.objects.filter(authority=authority)
        .select_related("framework", "improvement_plan")
        .order_by("start_date", "pk")
    )
    graded = [i for i in inspections if i.is_graded]
    latest = graded[-1] if graded else None
    previous = graded[-2] if len(graded) > 1 else None
    cycle = [i for i in inspections if latest is None or i.start_date >= latest.start_date]

    judgements_by_inspection: dict[int, dict[str, Judgement]] = defaultdict(dict)
    for judgement in (
        Judgement.objects.filter(inspection__authority=authority)
        .select_related("area")
        .order_by("area__order")
    ):
        judgements_by_inspection[judgement.inspection_id][judgement.area.code] = judgement

    changes = []
    if latest is not None:
        before = judgements_by_inspection.get(previous.pk, {}) if previous else {}
        for code, judgement in judgements_by_inspection.get(latest.pk, {}).items():
            earlier = before.get(code)
            changes.append(
                JudgementChange(
                    area=judgement.area.name,
                    previous=earlier.grade if earlier else None,
                    latest=judgement.grade,
                )
            )

    areas = list(
        current_areas(inspection_ids=[i.pk for i in cycle], today=today)
        .annotate(current_month=Subquery(_latest_reported().values("month")[:1]))
        .select_related("inspection", "lead")
        .order_by("inspection__start_date", "kind", "order", "pk")
    )
    for area in areas:
        area.is_overdue = is_overdue(
            current_rag=area.current_rag,
            due_reported=area.due_reported,
            reporting_due=area.reporting_due,
        )
    last_month = add_months(today.replace(day=1), -1)
    trend_months = [add_months(last_month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    reported = {
        (area_id, month): rag
        for area_id, month, rag in ProgressUpdate.objects.filter(
            area_for_improvement__in=[area.pk for area in areas],
            month__gte=trend_months[0],
            month__lte=trend_months[-1],
            status__in=REPORTED,
        )
        .order_by()  # the model's ordering would join the areas and inspections for nothing
        .values_list("area_for_improvement_id", "month", "rag")
    }
    trend = {area.pk: [reported.get((area.pk, month)) for month in trend_months] for area in areas}

    awaiting_approval = list(
        ProgressUpdate.objects.filter(
            area_for_improvement__inspection__authority=authority,
            status=UpdateStatus.SUBMITTED,
        )
        .select_related("area_for_improvement", "author")
        .order_by("submitted_at", "month", "pk")
    )
    actions = list(
        Action.objects.filter(
            area_for_improvement__inspection__authority=authority,
            due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        )
        .exclude(status=ActionStatus.COMPLETE)
        .select_related("area_for_improvement")
        .order_by("due_date", "pk")
    )

    dashboard = AuthorityDashboard(
        authority=authority,
        today=today,
        due_month=overdue_month(today),
        inspections=inspections,
        graded=graded,
        latest=latest,
        previous=previous,
        changes=changes,
        judgements_by_inspection=dict(judgements_by_inspection),
        areas=areas,
        trend_months=trend_months,
        trend=trend,
        awaiting_approval=awaiting_approval,
        actions_overdue=[a for a in actions if a.due_date < today],
        actions_due_soon=[a for a in actions if a.due_date >= today],
    )
    _add_deadlines(dashboard)
    return dashboard


def _plan_of(inspection: Inspection):
    try:
        return inspection.improvement_plan
    except Inspection.improvement_plan.RelatedObjectDoesNotExist:
        return None


def _add_deadlines(dashboard: AuthorityDashboard) -> None:
    """Deadlines of the current cycle's inspections and visits, and the next-inspection window,
    as at the dashboard's date, from inspections.deadlines (no queries: it works on the objects
    already fetched)."""
    cycle = [
        inspection
        for inspection in dashboard.inspections
        if (dashboard.latest is None or inspection.start_date >= dashboard.latest.start_date)
        and inspection.start_date <= dashboard.today
    ]
    found = []
    for inspection in cycle:
        has_priority_actions = any(
            area.inspection_id == inspection.pk and area.kind == FindingKind.PRIORITY_ACTION
            for area in dashboard.areas
        )
        for deadline in deadlines.deadlines_for(
            inspection,
            plan=_plan_of(inspection),
            has_priority_actions=has_priority_actions,
            as_at=dashboard.today,
        ):
            found.append((inspection, deadline))
    dashboard.deadline_list = sorted(found, key=lambda pair: pair[1].due)
    grades = {
        inspection_id: {code: j.grade for code, j in by_code.items()}
        for inspection_id, by_code in dashboard.judgements_by_inspection.items()
    }
    dashboard.window = deadlines.next_inspection_window(
        dashboard.inspections, grades, as_at=dashboard.today
    )


# --- Portfolio dashboard ---------------------------------------------------------------------


@dataclass
class PortfolioRow:
    authority: tuple  # pk, name, region
    latest: tuple | None  # pk, start_date, event_type, framework__code
    grades: dict[str, str]  # judgement area code -> grade, for the latest graded inspection
    rag_counts: dict[str | None, int] = field(default_factory=dict)
    overdue: int = 0

    @property
    def overall(self) -> str | None:
        return self.grades.get(OVERALL)

    @cached_property
    def headline(self) -> str | None:
        """Overall effectiveness, or the lowest grade where the framework has none (ILACS-2026)."""
        return deadlines.effective_grade(self.grades)

    @property
    def framework_code(self) -> str | None:
        return self.latest.framework__code if self.latest else None


@dataclass(frozen=True)
class Column:
    code: str
    name: str


@dataclass
class Portfolio:
    rows: list[PortfolioRow]
    columns: list[Column]
    visible_count: int
    total_count: int

    @property
    def is_national(self) -> bool:
        """True when the user sees every authority in England."""
        return self.visible_count == self.total_count >= NATIONAL_AUTHORITY_COUNT


def portfolio(*, authority_ids: list[int], today: datetime.date) -> Portfolio:
    """The given authorities (those a user may see), each with its latest graded inspection's
    judgements, its current areas' RAG counts and overdue updates. Six queries whatever the number
    of authorities or the size of their histories:
    1. the authorities, each with the id of its latest graded inspection;
    2. those inspections, with their frameworks;
    3. their judgements, with their areas;
    4. the ids of their current-cycle inspections;
    5. current areas counted per authority, current RAG and overdue state (a GROUP BY);
    6. the number of authorities in the service (for the national picture).
    """
    # Plain rows, not model instances: a national viewer has 153 of each.
    authorities = list(
        LocalAuthority.objects.filter(pk__in=authority_ids)
        .annotate(latest_id=Subquery(_latest_graded(OuterRef("pk")).values("pk")[:1]))
        .values_list("pk", "name", "region", "latest_id", named=True)
    )
    latest_ids = [a.latest_id for a in authorities if a.latest_id]
    inspections = {
        inspection.pk: inspection
        for inspection in Inspection.objects.filter(pk__in=latest_ids).values_list(
            "pk", "start_date", "event_type", "framework__code", named=True
        )
    }
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    columns: dict[str, tuple[tuple, Column]] = {}
    for inspection_id, code, name, order, framework_start, grade in Judgement.objects.filter(
        inspection_id__in=latest_ids
    ).values_list(
        "inspection_id",
        "area__code",
        "area__short_name",
        "area__order",
        "area__framework__starts_on",
        "grade",
    ):
        grades[inspection_id][code] = grade
        # One column per area code, in the frameworks' own order (the newer framework's area
        # first where two share a place, e.g. children in care before the 2018 combined area).
        key = (order, -framework_start.toordinal())
        if code not in columns or key < columns[code][0]:
            columns[code] = (key, Column(code, name))

    rows = {
        authority.pk: PortfolioRow(
            authority=authority,
            latest=inspections.get(authority.latest_id),
            grades=grades.get(authority.latest_id, {}),
            rag_counts=dict.fromkeys(RAG_KEYS, 0),
        )
        for authority in authorities
    }
    counted = (
        current_areas(
            inspection_ids=current_inspection_ids(authorities=authority_ids),
            today=today,
        )
        .values("inspection__authority_id", "current_rag", "due_reported", "reporting_due")
        .annotate(areas=Count("pk"))
        .order_by()
    )
    for group in counted:
        row = rows[group.pop("inspection__authority_id")]
        areas = group.pop("areas")
        row.rag_counts[group["current_rag"]] += areas
        if is_overdue(**group):
            row.overdue += areas
    ordered_columns = [column for _, column in sorted(columns.values(), key=lambda kv: kv[0])]
    overall_first = sorted(ordered_columns, key=lambda c: c.code != OVERALL)
    return Portfolio(
        rows=list(rows.values()),
        columns=overall_first,
        visible_count=len(authorities),
        total_count=LocalAuthority.objects.count(),
    )


def grade_distribution(rows: list[PortfolioRow]) -> list[tuple[str, dict[str | None, int]]]:
    """Counts of each latest headline grade per region (regions in alphabetical order)."""
    by_region: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        by_region[row.authority.region][row.headline] += 1
    return [(region, dict(by_region[region])) for region in sorted(by_region)]

"""Reads behind the dashboards. Each runs a fixed number of queries whatever the data size.

Every state they show (current areas, latest reported RAG, returned, overdue, waiting for
approval, complete) comes from improvement_plans.rules, applied to improvement_plans.records:
the same functions as every other page, so the dashboards can never tell another story. The
authority dashboard can be asked *as at* an earlier day: the records as they stood at the end
of that day, from the history.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from accounts.models import LocalAuthority
from core.months import add_months
from improvement_plans import records as progress_records
from improvement_plans import rules
from improvement_plans.models import Action, ProgressUpdate
from inspections import deadlines
from inspections.models import FindingKind, Grade, Inspection, Judgement
from readiness import rules as readiness_rules
from readiness import selectors as readiness_selectors

TREND_MONTHS = 12
DUE_SOON_DAYS = 30
NATIONAL_AUTHORITY_COUNT = 153
GRADE_RANK = {
    Grade.INADEQUATE: 1,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.GOOD: 3,
    Grade.OUTSTANDING: 4,
}
OVERALL = "overall_effectiveness"
# Every latest reported RAG an area can have; None: nothing reported yet.
RAG_KEYS = rules.RAG_KEYS


# --- Authority dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class JudgementChange:
    judgement_area: str
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
    today: datetime.date  # the day the picture is for (today, or the day asked "as at")
    as_at: bool  # True: an earlier day's picture, from the history
    due_month: datetime.date  # the month whose update is overdue if not reported
    inspections: list[Inspection]
    graded: list[Inspection]
    latest: Inspection | None
    previous: Inspection | None
    changes: list[JudgementChange]
    judgements_by_inspection: dict[int, dict[str, Judgement]]
    afis: list  # current areas for improvement, each with `.progress` (rules.AfiProgress)
    counts: rules.Counts
    trend_months: list[datetime.date]
    trend: dict[int, list[str | None]]
    awaiting_approval: list[ProgressUpdate]
    returned: list  # areas whose update is back with the officer
    actions_overdue: list[Action]
    actions_due_soon: list[Action]
    plans: dict = field(default_factory=dict)
    deadline_list: list = field(default_factory=list)
    window: object | None = None
    # The council's preparation (today's picture only: the library and the checklist have no
    # as-at reading): the library's missing and stale documents, the open checklist items, and
    # whether the window is near enough for them to show beside it (readiness.rules).
    readiness: readiness_selectors.Readiness | None = None
    approach: readiness_rules.Approach | None = None

    @property
    def overdue_areas(self) -> list:
        return [area for area in self.afis if area.progress.is_overdue]

    @property
    def rag_counts(self) -> dict[str | None, int]:
        return self.counts.rag


def authority_dashboard(
    *, authority: LocalAuthority, today: datetime.date, as_at: bool = False
) -> AuthorityDashboard:
    """Everything the authority dashboard shows on `today`; with `as_at`, as the records stood
    at the end of that (earlier) day. The queries of improvement_plans.records.load (eight: the
    authority is not read again; one more as at an earlier day), and for today's picture the
    three of readiness.selectors.readiness, whatever the data size."""
    found = progress_records.load(
        authority_ids=[authority.pk],
        authorities={authority.pk: authority},
        day=today,
        history=as_at,
        judgements=True,
        narrative=False,
    )
    inspections = found.inspections.get(authority.pk, [])
    judgements_by_inspection = found.judgements
    graded = [i for i in inspections if i.is_graded]
    latest = graded[-1] if graded else None
    previous = graded[-2] if len(graded) > 1 else None

    changes = []
    if latest is not None:
        before = judgements_by_inspection.get(previous.pk, {}) if previous else {}
        for code, judgement in judgements_by_inspection.get(latest.pk, {}).items():
            earlier = before.get(code)
            changes.append(
                JudgementChange(
                    judgement_area=judgement.area.name,
                    previous=earlier.grade if earlier else None,
                    latest=judgement.grade,
                )
            )

    areas = found.afis
    for area in areas:
        area.progress = found.progress[area.pk]
    # Up to and including the month now due: its colour shows once its update is reported.
    months = trend_months(today)
    trend = {}
    for area in areas:
        reported = {u.month: u.rag for u in found.updates.get(area.pk, []) if rules.is_reported(u)}
        trend[area.pk] = [reported.get(month) for month in months]

    awaiting = []
    for area in areas:
        for update in area.progress.waiting:
            update.area_for_improvement = area
            awaiting.append(update)
    awaiting.sort(
        key=lambda u: (
            u.submitted_at or datetime.datetime.max.replace(tzinfo=datetime.UTC),
            u.month,
            u.pk,
        )
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    actions = []
    for area in areas:
        for action in found.actions.get(area.pk, []):
            action.area_for_improvement = area
            if not rules.action_complete_by(action, today) and action.due_date <= soon:
                actions.append(action)
    actions.sort(key=lambda a: (a.due_date, a.pk))

    dashboard = AuthorityDashboard(
        authority=authority,
        today=today,
        as_at=as_at,
        due_month=rules.overdue_month(today),
        inspections=inspections,
        graded=graded,
        latest=latest,
        previous=previous,
        changes=changes,
        judgements_by_inspection=judgements_by_inspection,
        afis=areas,
        counts=found.counts(authority.pk),
        trend_months=months,
        trend=trend,
        awaiting_approval=awaiting,
        returned=[area for area in areas if area.progress.is_returned],
        actions_overdue=[a for a in actions if rules.action_late(a, today)],
        actions_due_soon=[a for a in actions if not rules.action_late(a, today)],
        plans=found.plans,
    )
    _add_deadlines(dashboard)
    if not as_at:
        dashboard.readiness = readiness_selectors.readiness(authority_id=authority.pk, today=today)
        dashboard.approach = readiness_rules.window_approach(dashboard.window, today)
    return dashboard


def _add_deadlines(dashboard: AuthorityDashboard) -> None:
    """Deadlines of the current cycle's inspections and visits, and the next-inspection window,
    as at the dashboard's date, from inspections.deadlines (no queries: it works on the records
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
            for area in dashboard.afis
        )
        for deadline in deadlines.deadlines_for(
            inspection,
            plan=dashboard.plans.get(inspection.pk),
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
    """One authority's line on the portfolio: built from the same records and rules as its
    authority dashboard, and cached per authority (dashboards.snapshots)."""

    authority: tuple  # pk, name, region
    latest: tuple | None  # pk, start_date, event_type, framework__code
    grades: dict[str, str]  # judgement area code -> grade, for the latest graded inspection
    grade_names: dict[str, tuple]  # judgement area code -> (short name, column order key)
    counts: rules.Counts | None = None
    # The portfolio's trend: per month of the last TREND_MONTHS (oldest first, up to the month
    # now due), how many current areas had each RAG reported for it (None: none reported).
    rag_by_month: tuple[dict[str | None, int], ...] = ()
    # The headline grade at the end of each year since FIRST_TREND_YEAR (None: not graded yet).
    headline_by_year: dict[int, str | None] = field(default_factory=dict)

    @property
    def rag_counts(self) -> dict[str | None, int]:
        return self.counts.rag

    @property
    def overdue(self) -> int:
        return self.counts.overdue

    @property
    def returned(self) -> int:
        return self.counts.returned

    @property
    def waiting(self) -> int:
        return self.counts.waiting

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


@dataclass(frozen=True)
class _Authority:
    pk: int
    name: str
    region: str


@dataclass(frozen=True)
class _Latest:
    pk: int
    start_date: datetime.date
    event_type: str
    framework__code: str


def portfolio_rows(*, authority_ids: list[int], today: datetime.date) -> dict[int, PortfolioRow]:
    """Each authority's portfolio line on `today`: its latest graded inspection's judgements and
    its current areas' counts. The queries of improvement_plans.records.load, whatever the number
    of authorities or the size of their histories."""
    found = progress_records.load(
        authority_ids=authority_ids, day=today, history=False, judgements=True, detail=False
    )
    months = trend_months(today)
    rows = {}
    for pk, authority in found.authorities.items():
        graded = [i for i in found.inspections.get(pk, []) if i.is_graded]
        latest = graded[-1] if graded else None
        judged = found.judgements.get(latest.pk, {}) if latest else {}
        rows[pk] = PortfolioRow(
            authority=_Authority(authority.pk, authority.name, authority.region),
            latest=_Latest(latest.pk, latest.start_date, latest.event_type, latest.framework.code)
            if latest
            else None,
            grades={code: j.grade for code, j in judged.items()},
            grade_names={
                code: (j.area.short_name, (j.area.order, -latest.framework.starts_on.toordinal()))
                for code, j in judged.items()
            },
            counts=found.counts(pk),
            rag_by_month=_rag_by_month(found, pk, months),
            headline_by_year=_headline_by_year(
                graded, found.judgements, years=range(FIRST_TREND_YEAR, today.year + 1)
            ),
        )
    return rows


# The first year of the portfolio's grades over time: the single inspection framework (SIF)
# began in November 2013.
FIRST_TREND_YEAR = 2013


def trend_months(today: datetime.date) -> list[datetime.date]:
    """The months of the RAG trends, oldest first, up to and including the month now due."""
    this_month = rules.due_month(today)
    return [add_months(this_month, offset) for offset in range(1 - TREND_MONTHS, 1)]


def _rag_by_month(found, authority_id: int, months) -> tuple[dict[str | None, int], ...]:
    totals = [Counter() for _ in months]
    for area in found.afis_of(authority_id):
        reported = {u.month: u.rag for u in found.updates.get(area.pk, []) if rules.is_reported(u)}
        for index, month in enumerate(months):
            totals[index][reported.get(month)] += 1
    return tuple(dict(counter) for counter in totals)


def _headline_by_year(graded, judgements, *, years) -> dict[int, str | None]:
    """Each year's headline grade as it stood on 31 December: the latest graded inspection that
    had started by then (the records hold inspections started up to the day of the picture)."""
    by_year = {}
    for year in years:
        started = [i for i in graded if i.start_date <= datetime.date(year, 12, 31)]
        if not started:
            by_year[year] = None
            continue
        judged = judgements.get(started[-1].pk, {})
        by_year[year] = deadlines.effective_grade({c: j.grade for c, j in judged.items()})
    return by_year


def portfolio(rows: list[PortfolioRow], *, total_count: int) -> Portfolio:
    """The portfolio of these authorities' rows, with one column per judgement area code in the
    frameworks' own order (the newer framework's area first where two share a place, e.g.
    children in care before the 2018 combined area). No queries."""
    columns: dict[str, tuple[tuple, Column]] = {}
    for row in rows:
        for code, (name, key) in row.grade_names.items():
            if code not in columns or key < columns[code][0]:
                columns[code] = (key, Column(code, name))
    ordered_columns = [column for _, column in sorted(columns.values(), key=lambda kv: kv[0])]
    overall_first = sorted(ordered_columns, key=lambda c: c.code != OVERALL)
    return Portfolio(
        rows=sorted(rows, key=lambda row: row.authority.name),
        columns=overall_first,
        visible_count=len(rows),
        total_count=total_count,
    )


def grade_distribution(rows: list[PortfolioRow]) -> list[tuple[str, dict[str | None, int]]]:
    """Counts of each latest headline grade per region (regions in alphabetical order)."""
    by_region: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        by_region[row.authority.region][row.headline] += 1
    return [(region, dict(by_region[region])) for region in sorted(by_region)]

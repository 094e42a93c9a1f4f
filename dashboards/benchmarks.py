"""Councils like us: an authority beside its statistical neighbours, from what Ofsted published
(docs/domain.md, "Published and internal data"): their latest judgements side by side, each
one's trajectory since 2013, the region's and England's grades year by year, and who moved from
inadequate or requires improvement to good or better, how, and how fast.

Frameworks grade different judgement areas (SIF-2013, ILACS-2018, 2023, 2026), so comparisons
are made on five common columns (`COLUMNS`, `AREA_COLUMNS`): the headline grade (overall
effectiveness, or the lowest grade where a framework has none: inspections.deadlines.
effective_grade), leaders, help and protection, children in care, and care leavers. ILACS-2018
judged children in care and care leavers together: that grade fills both columns. SIF's adoption
performance and its review of the safeguarding board have no later counterpart and are left out.

Everything here takes plain values and returns plain values (no model instances), so that it can
be cached (dashboards.snapshots) and read by any page. The reads run a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from inspections.deadlines import effective_grade
from inspections.models import GRADED_EVENT_TYPES, Grade, Inspection, Judgement

# Graded inspections from the single inspection framework (November 2013) on.
SINCE = datetime.date(2013, 1, 1)
HEADLINE = "headline"
COLUMNS: tuple[tuple[str, str], ...] = (
    (HEADLINE, "Overall effectiveness"),
    ("leaders", "Leaders"),
    ("help_and_protection", "Help and protection"),
    ("children_in_care", "Children in care"),
    ("care_leavers", "Care leavers"),
)
COLUMN_NAMES = dict(COLUMNS)
# Each framework's judgement area (by code) -> the common columns it is compared in.
AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "impact_of_leaders": ("leaders",),
    "leadership_management_governance": ("leaders",),
    "help_and_protection": ("help_and_protection",),
    "children_in_care": ("children_in_care",),
    "looked_after_and_permanence": ("children_in_care",),
    "children_in_care_and_care_leavers": ("children_in_care", "care_leavers"),
    "care_leavers": ("care_leavers",),
}
GOOD_OR_BETTER = frozenset({Grade.GOOD, Grade.OUTSTANDING})
BELOW_GOOD = frozenset({Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE})
GRADE_NAMES = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement",
    Grade.INADEQUATE: "Inadequate",
}


@dataclass(frozen=True)
class GradedInspection:
    """One graded inspection as the comparisons need it: plain values, cacheable."""

    pk: int
    authority_id: int
    kind: str  # "SIF inspection", "Standard inspection", ...
    framework_code: str
    start_date: datetime.date
    published_date: datetime.date | None
    report_url: str
    grades: dict[str, str]  # common column -> grade; HEADLINE included when any was given

    @property
    def label(self) -> str:
        return f"{self.kind} ({self.framework_code})"


def graded_history(authority_ids: list[int] | None = None) -> dict[int, list[GradedInspection]]:
    """Every graded inspection since 2013 that has judgements, oldest first, by authority id: of
    `authority_ids`, or of every authority when None. Two queries whatever the number."""
    inspections = Inspection.objects.filter(
        event_type__in=GRADED_EVENT_TYPES, start_date__gte=SINCE
    ).select_related("framework")
    judgements = Judgement.objects.filter(
        inspection__event_type__in=GRADED_EVENT_TYPES, inspection__start_date__gte=SINCE
    )
    if authority_ids is not None:
        inspections = inspections.filter(authority_id__in=authority_ids)
        judgements = judgements.filter(inspection__authority_id__in=authority_ids)
    by_inspection: dict[int, dict[str, str]] = defaultdict(dict)
    for inspection_id, code, grade in judgements.order_by().values_list(
        "inspection_id", "area__code", "grade"
    ):
        by_inspection[inspection_id][code] = grade
    history: dict[int, list[GradedInspection]] = defaultdict(list)
    for inspection in inspections.order_by("start_date", "pk"):
        areas = by_inspection.get(inspection.pk)
        if not areas:
            continue  # recorded, not yet judged: nothing to compare
        grades = {
            column: areas[code]
            for code, columns in AREA_COLUMNS.items()
            if code in areas
            for column in columns
        }
        headline = effective_grade(areas)
        if headline:
            grades[HEADLINE] = headline
        history[inspection.authority_id].append(
            GradedInspection(
                pk=inspection.pk,
                authority_id=inspection.authority_id,
                kind=inspection.get_event_type_display(),
                framework_code=inspection.framework.code,
                start_date=inspection.start_date,
                published_date=inspection.published_date,
                report_url=inspection.report_url,
                grades=grades,
            )
        )
    return dict(history)


# --- Grades by year ----------------------------------------------------------------------------


def standing_grades_by_year(
    history: dict[int, list[GradedInspection]],
    authority_ids: list[int],
    *,
    today: datetime.date,
) -> list[tuple[str, dict[str | None, int]]]:
    """For each year from 2014 to today's, how many of `authority_ids` stood at each headline
    grade at the end of that year (today, for this year): the grade of their latest graded
    inspection started by then; None for those not yet graded. Rows oldest first, each
    (year label, {grade or None: count})."""
    rows = []
    for year in range(SINCE.year + 1, today.year + 1):
        end = min(datetime.date(year, 12, 31), today)
        counts: Counter = Counter()
        for authority_id in authority_ids:
            standing = None
            for inspection in history.get(authority_id, []):
                if inspection.start_date > end:
                    break
                standing = inspection.grades.get(HEADLINE, standing)
            counts[standing] += 1
        so_far = end < datetime.date(year, 12, 31)
        rows.append((f"{year} (to {end:%-d %B})" if so_far else str(year), dict(counts)))
    return rows


# --- Who improved ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Improvement:
    """An authority whose grade in one column went from below good to good or better: `path`
    is every graded inspection from the first of the run below good (`start`) to the one judged
    good or better (`end`)."""

    authority_id: int
    column: str
    path: tuple[GradedInspection, ...]

    @property
    def start(self) -> GradedInspection:
        return self.path[0]

    @property
    def end(self) -> GradedInspection:
        return self.path[-1]

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(inspection.grades[self.column] for inspection in self.path)

    @property
    def from_grade(self) -> str:
        """The lowest grade on the way: where it got out of."""
        return (
            Grade.INADEQUATE if Grade.INADEQUATE in self.grades[:-1] else Grade.REQUIRES_IMPROVEMENT
        )

    @property
    def months(self) -> int:
        """Whole months from the start of the first inspection below good to the start of the
        one judged good or better."""
        start, end = self.start.start_date, self.end.start_date
        return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)

    @property
    def took(self) -> str:
        years, months = divmod(self.months, 12)
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if months or not years:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
        return " and ".join(parts)

    @property
    def path_text(self) -> str:
        return " to ".join(GRADE_NAMES[grade] for grade in self.grades)


def improvements(history: dict[int, list[GradedInspection]], column: str) -> list[Improvement]:
    """Every move in `column` from inadequate or requires improvement to good or better: a
    graded inspection that judged it good or better when the one before it (that judged this
    column) did not. The path starts at the first of the unbroken run of grades below good
    before it. Newest first."""
    found = []
    for authority_id, inspections in history.items():
        judged = [i for i in inspections if column in i.grades]
        run: list[GradedInspection] = []
        for inspection in judged:
            grade = inspection.grades[column]
            if grade in BELOW_GOOD:
                run.append(inspection)
            elif grade in GOOD_OR_BETTER:
                if run:
                    found.append(Improvement(authority_id, column, (*run, inspection)))
                run = []
    found.sort(key=lambda i: (i.end.start_date, i.authority_id), reverse=True)
    return found

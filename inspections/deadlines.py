"""Deadlines in England working days, and the window for an authority's next inspection.

Working days (docs/domain.md, "Deadlines"): no weekends and none of England's bank holidays, which
come from the `holidays` package (Good Friday, Easter Monday, Christmas, Boxing Day, substitute
days and one-off holidays such as a state funeral), so nobody keeps a list by hand.

The next inspection is a *window* with the rule it came from, never a date: Ofsted does not
announce dates, it follows a cycle (docs/domain.md, "Next inspection").

Both are evaluated *as at* a date the caller gives (today on a live page, the end of its period in
a committee report): a deadline is due, met or missed as it stood on that date, and the window
comes from the inspections that had started by then. Something recorded as done after that date
does not count as done at it.

Nothing here queries the database except `deadlines_for`, which, when the inspection's findings
were not prefetched and `has_priority_actions` is not given, runs one query.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import holidays

from core.months import add_months
from inspections.models import GRADED_EVENT_TYPES, EventType, FindingKind, Grade, Inspection

ACTION_PLAN_WORKING_DAYS = 70
PRIORITY_ACTION_PLAN_WORKING_DAYS = 20
PUBLICATION_WORKING_DAYS = 30
CYCLE_YEARS = 3
WINDOW_MONTHS = 6

# Worst first: an authority is judged by its lowest grade when there is no overall effectiveness
# judgement (ILACS-2026 has none).
_SEVERITY = [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.GOOD, Grade.OUTSTANDING]


@functools.cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` England working days after `start` (`start` itself is day 0, whatever day
    of the week it is). 70 working days after a report published on Thursday 11 May 2023 is
    Friday 18 August 2023 (the Spring bank holiday does not count). A negative `days` counts back."""
    step = 1 if days >= 0 else -1
    day = start
    remaining = abs(days)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


class DeadlineKind:
    """Which statutory deadline, and so which recorded date says it was met."""

    # The authority publishes the report: Inspection.report_published_by_authority_on.
    PUBLICATION = "publication"
    # The action plan after a graded inspection: ImprovementPlan.submitted_on.
    ACTION_PLAN = "action_plan"
    # The draft plan after a visit that set areas for priority action: ImprovementPlan.submitted_on.
    PRIORITY_ACTION_PLAN = "priority_action_plan"


DeadlineState = Literal["due", "met", "missed"]


@dataclass(frozen=True)
class Deadline:
    """Something the authority must do by `due`, as it stood on `as_at`; `rule` says where the
    date comes from.

    `state` (the one rule every page, export and report uses):
    - "met": done on `met_on`, on or before `as_at` (`is_late` when after `due`);
    - "missed": not done by `as_at`, and `due` has passed (the due day itself is still "due");
    - "due": not done, and `due` is `as_at` or later.
    """

    label: str
    due: datetime.date
    rule: str
    as_at: datetime.date
    kind: str = DeadlineKind.PUBLICATION
    # When it was done, if by `as_at`: a later date is dropped (it was not done yet on `as_at`).
    met_on: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.met_on is not None and self.met_on > self.as_at:
            object.__setattr__(self, "met_on", None)

    @property
    def tracks_plan(self) -> bool:
        """Met by sending the improvement plan (its `submitted_on`)."""
        return self.kind != DeadlineKind.PUBLICATION

    @property
    def state(self) -> DeadlineState:
        if self.met_on is not None:
            return "met"
        return "missed" if self.due < self.as_at else "due"

    @property
    def is_met(self) -> bool:
        return self.state == "met"

    @property
    def is_missed(self) -> bool:
        return self.state == "missed"

    @property
    def is_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due

    @property
    def state_label(self) -> str:
        """The words of the state's tag, the same on every page and in committee reports:
        "Due", "Met on 4 May 2024", "Met late on 4 May 2024", "Missed"."""
        if self.met_on is not None:
            return f"Met {'late ' if self.is_late else ''}on {_long_date(self.met_on)}"
        return "Missed" if self.is_missed else "Due"

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag colour for the state (govuk-tag--<colour>)."""
        if self.met_on is not None:
            return "yellow" if self.is_late else "green"
        return "red" if self.is_missed else "blue"


def _has_priority_actions(inspection: Inspection) -> bool:
    # Uses prefetched findings when the caller prefetched them (no query), otherwise one query.
    cache = getattr(inspection, "_prefetched_objects_cache", {})
    if "findings" in cache:
        return any(f.kind == FindingKind.PRIORITY_ACTION for f in cache["findings"])
    return inspection.findings.filter(kind=FindingKind.PRIORITY_ACTION).exists()


def deadlines_for(
    inspection: Inspection,
    *,
    plan=None,
    has_priority_actions: bool | None = None,
    as_at: datetime.date,
) -> list[Deadline]:
    """The deadlines an inspection or visit starts, earliest first, each as it stood on `as_at`.

    - graded inspections (standard, short, SIF): the authority publishes the report within 30
      working days of receiving it, and sends its action plan to Ofsted within 70 working days of
      the report; both counted from the publication date, so none before it is known;
    - a visit that set areas for priority action: a draft plan within 20 working days of the
      letter (its publication date, or the last day on site until that is known).

    Met: the report by the inspection's `report_published_by_authority_on`; a plan by `plan`'s
    `submitted_on` (an ImprovementPlan, or None when there is none). A date after `as_at` does not
    count as met at `as_at`.
    """
    submitted_on = getattr(plan, "submitted_on", None)
    deadlines: list[Deadline] = []
    published = inspection.published_date
    if inspection.event_type in GRADED_EVENT_TYPES and published:
        deadlines.append(
            Deadline(
                label="Publish the report",
                due=add_working_days(published, PUBLICATION_WORKING_DAYS),
                rule=f"{PUBLICATION_WORKING_DAYS} working days after receiving the report, "
                f"taken as its publication on {_long_date(published)}",
                as_at=as_at,
                kind=DeadlineKind.PUBLICATION,
                met_on=inspection.report_published_by_authority_on,
            )
        )
        deadlines.append(
            Deadline(
                label="Send the action plan to Ofsted",
                due=add_working_days(published, ACTION_PLAN_WORKING_DAYS),
                rule=f"{ACTION_PLAN_WORKING_DAYS} working days after the report was published "
                f"on {_long_date(published)}",
                as_at=as_at,
                kind=DeadlineKind.ACTION_PLAN,
                met_on=submitted_on,
            )
        )
    elif inspection.event_type not in GRADED_EVENT_TYPES:
        if has_priority_actions is None:
            has_priority_actions = _has_priority_actions(inspection)
        if has_priority_actions:
            start = published or inspection.end_date
            source = (
                f"the letter was published on {_long_date(published)}"
                if published
                else f"the visit ended on {_long_date(inspection.end_date)} "
                "(the letter's publication date is not recorded yet)"
            )
            deadlines.append(
                Deadline(
                    label="Send a draft plan for the areas for priority action",
                    due=add_working_days(start, PRIORITY_ACTION_PLAN_WORKING_DAYS),
                    rule=f"{PRIORITY_ACTION_PLAN_WORKING_DAYS} working days after {source}",
                    as_at=as_at,
                    kind=DeadlineKind.PRIORITY_ACTION_PLAN,
                    met_on=submitted_on,
                )
            )
    return sorted(deadlines, key=lambda d: d.due)


@dataclass(frozen=True)
class InspectionWindow:
    """When the next short or standard inspection is likely, and the rule that says so, as it
    stood on `as_at`."""

    opens: datetime.date
    closes: datetime.date
    rule: str
    as_at: datetime.date
    # The graded inspection the window is counted from and the grade that decided the rule.
    based_on: Inspection | None = None
    grade: str | None = None
    expected_type: str = EventType.SHORT
    # A graded inspection that had started by `as_at` but has no judgements recorded yet: the
    # inspection the window was waiting for (its judgements will start the next window).
    started_since: Inspection | None = None

    @property
    def expected_label(self) -> str:
        """ "Short inspection" or "Standard inspection"."""
        return EventType(self.expected_type).label

    @property
    def has_closed(self) -> bool:
        """The window had passed by `as_at` with no graded inspection recorded since."""
        return self.started_since is None and self.as_at > self.closes

    @property
    def status(self) -> str:
        """One sentence, the same on every page and in committee reports, starting in lower case
        to follow "Next short inspection: " ("the window closed on 3 March 2026; no inspection
        recorded since.", "expected between … and ….")."""
        if self.started_since is not None:
            kind = self.started_since.get_event_type_display()
            kind = kind if kind.startswith("SIF") else kind.lower()
            return (
                f"a {kind} started on "
                f"{_long_date(self.started_since.start_date)}; its judgements are not recorded yet."
            )
        if self.has_closed:
            return f"the window closed on {_long_date(self.closes)}; no inspection recorded since."
        return f"expected between {_long_date(self.opens)} and {_long_date(self.closes)}."


def effective_grade(judgements: Mapping[str, str]) -> str | None:
    """Overall effectiveness if judged; otherwise the lowest grade (ILACS-2026 has no overall)."""
    overall = judgements.get("overall_effectiveness")
    if overall:
        return overall
    given = [g for g in judgements.values() if g in _SEVERITY]
    return min(given, key=_SEVERITY.index) if given else None


def _judgements_by_inspection(
    inspections: list[Inspection], grades: Mapping
) -> dict[int, Mapping[str, str]]:
    # Two accepted shapes: {inspection_pk: {area_code: grade}} for any number of inspections, or
    # the latest graded inspection's own {area_code: grade}.
    if grades and all(isinstance(v, str) for v in grades.values()):
        graded = [i for i in inspections if i.event_type in GRADED_EVENT_TYPES]
        if not graded:
            return {}
        latest = max(graded, key=lambda i: i.start_date)
        return {latest.pk: grades}
    return {pk: areas for pk, areas in grades.items() if areas}


def _anniversary_phrase(inspection: Inspection) -> str:
    kind = inspection.get_event_type_display()
    kind = kind if kind.startswith("SIF") else kind.lower()
    return (
        f"the {CYCLE_YEARS}-year anniversary of the {kind} that started "
        f"{_long_date(inspection.start_date)}"
    )


def next_inspection_window(
    authority_inspections: Iterable[Inspection], grades: Mapping, *, as_at: datetime.date
) -> InspectionWindow | None:
    """The window for an authority's next short or standard inspection as it stood on `as_at`,
    from its latest graded inspection that had started by then and the grade it got. None when it
    had no graded inspection with judgements by then. Once `as_at` is past the window's close
    with no graded inspection started since, `has_closed` says so.

    `authority_inspections`: the authority's inspections and visits (any order, any types); those
    that started after `as_at` are left out.
    `grades`: {inspection_pk: {area_code: grade}}, or the latest graded inspection's
    {area_code: grade}. Runs no queries.

    - good or outstanding: a short inspection usually 6 months either side of the 3-year
      anniversary, with one or two focused visits or a JTAI in between;
    - requires improvement: a standard inspection in the same window;
    - inadequate: monitoring visits, then a standard re-inspection once Ofsted judges enough has
      improved; no set date, so the window runs from after the latest visit (or the inspection)
      to the outer edge of the usual 3-year cycle.
    """
    everything = list(authority_inspections)
    # Judgements first: the one-inspection shape of `grades` belongs to the latest of them all.
    by_inspection = _judgements_by_inspection(everything, grades)
    inspections = [i for i in everything if i.start_date <= as_at]
    graded = sorted(
        (
            i
            for i in inspections
            if i.event_type in GRADED_EVENT_TYPES and effective_grade(by_inspection.get(i.pk, {}))
        ),
        key=lambda i: (i.start_date, i.pk or 0),
    )
    if not graded:
        return None
    latest = graded[-1]
    started_since = min(
        (
            i
            for i in inspections
            if i.event_type in GRADED_EVENT_TYPES and i.start_date > latest.start_date
        ),
        key=lambda i: i.start_date,
        default=None,
    )
    judgements = by_inspection[latest.pk]
    grade = effective_grade(judgements)
    anniversary = add_months(latest.start_date, CYCLE_YEARS * 12)
    opens = add_months(anniversary, -WINDOW_MONTHS)
    closes = add_months(anniversary, WINDOW_MONTHS)
    anniversary_phrase = _anniversary_phrase(latest)
    derived = (
        ""
        if "overall_effectiveness" in judgements
        else " (it has no overall effectiveness judgement, so its lowest judgement decides)"
    )
    usual = (
        f"usually between {WINDOW_MONTHS} months before and {WINDOW_MONTHS} months after "
        f"{anniversary_phrase}"
    )

    if grade in (Grade.GOOD, Grade.OUTSTANDING):
        return InspectionWindow(
            opens=opens,
            closes=closes,
            rule=f"A short inspection, {usual}. Good and outstanding authorities usually have one "
            "or two focused visits or a joint targeted area inspection in between.",
            as_at=as_at,
            based_on=latest,
            grade=grade,
            expected_type=EventType.SHORT,
            started_since=started_since,
        )
    if grade == Grade.REQUIRES_IMPROVEMENT:
        return InspectionWindow(
            opens=opens,
            closes=closes,
            rule=f"A standard inspection, {usual}: the authority was judged requires improvement "
            f"to be good{derived}.",
            as_at=as_at,
            based_on=latest,
            grade=grade,
            expected_type=EventType.STANDARD,
            started_since=started_since,
        )

    # Inadequate: monitoring visits since the inspection, then a standard re-inspection.
    visits = sorted(
        (
            i
            for i in inspections
            if i.event_type == EventType.MONITORING_VISIT and i.start_date > latest.start_date
        ),
        key=lambda i: i.start_date,
    )
    after = visits[-1].end_date if visits else latest.end_date
    opens = after + datetime.timedelta(days=1)
    closes = max(closes, opens)
    if visits:
        so_far = (
            f"It has had {len(visits)} monitoring visit{'s' if len(visits) != 1 else ''} since, "
            f"the latest ending {_long_date(after)}."
        )
    else:
        so_far = "No monitoring visit is recorded since."
    return InspectionWindow(
        opens=opens,
        closes=closes,
        rule=f"A standard re-inspection: the authority was judged inadequate{derived} at the "
        f"{latest.get_event_type_display().lower()} that started "
        f"{_long_date(latest.start_date)}. Inadequate authorities get monitoring visits, usually "
        "every few months, and then a standard re-inspection when Ofsted judges that enough has "
        f"improved; there is no set date. {so_far} Shown from then until {WINDOW_MONTHS} months "
        f"after {anniversary_phrase}, the edge of the usual cycle.",
        as_at=as_at,
        based_on=latest,
        grade=grade,
        expected_type=EventType.STANDARD,
        started_since=started_since,
    )

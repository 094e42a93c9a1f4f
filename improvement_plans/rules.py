"""The rules of progress, written once. Every page, export, reminder, committee report, demo
seeder and benchmark asks these functions; none keeps a copy. The README's "Rules" section says
each one in words a senior manager can check, and names the function here that holds it.

They run on records already fetched (improvement_plans.records), never on the database: so the
same rule gives today's picture from the live tables and the picture *as at* an earlier day from
the history, and a page can never disagree with another page about the same area.

- **Reported**: an update that has been submitted for review, whether or not it has been
  approved yet (status submitted or approved). A draft has not been reported; nor has an update a
  manager returned: it is back with the officer until they submit it again.
- **Approved**: an update a manager approved: someone other than its author and its submitter
  (four eyes, enforced when it is reviewed: accounts.permissions.require_four_eyes).
- **The current cycle** of an authority: its latest graded inspection (standard, short or SIF)
  and every inspection or visit since; all of them while it has no graded inspection. A later
  graded inspection supersedes the areas before it: they are history, not work.
- **Current areas**: the areas for improvement and areas for priority action of the current cycle.
- **Complete**: an area whose latest *approved* update is rated complete. It needs no more
  monthly updates and is never overdue. Until then it is *open*.
- **Reporting months**: an area needs an update for each month from the month after its report
  was published (and not before the authority started reporting in the app, when that is
  recorded), while it is open.
- **Due**: each month's update is due by the month's last day.
- **Overdue**: on any day, an open area whose update for *last* month has not been reported,
  when last month was a reporting month.
- **An area's state for a month**: not started (no update), draft, submitted, returned or
  approved: the status of its update for that month.
- **Latest reported RAG** (what dashboards, the authority page, the plan and the portfolio show):
  the RAG of the latest month whose update has been reported. **Latest approved RAG** (what
  committee reports quote): the same among approved updates.
- **Returned**: an open area whose update a manager returned and its officer has not yet
  submitted again; shown as its own state, with when it was returned. (Once an area is complete,
  an older returned update is moot.)
- **Waiting for approval**: submitted updates of current areas.
- **Action complete by a day**: an action recorded as complete, with its completion date on or
  before that day.
- **As at a day**: the records as they stood at the end of that day (from the history), so that
  nothing recorded later changes the picture; the rules above then apply with that day as today.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from core.months import month_start, next_month, previous_month
from improvement_plans.models import ActionStatus, Rag, UpdateStatus
from inspections.models import GRADED_EVENT_TYPES

REPORTED_STATUSES = frozenset({UpdateStatus.SUBMITTED, UpdateStatus.APPROVED})
APPROVED_STATUSES = frozenset({UpdateStatus.APPROVED})
# Waiting for a manager's review.
WAITING_STATUSES = frozenset({UpdateStatus.SUBMITTED})


class MonthState(models.TextChoices):
    """Where an area's update for one month stands; worst first (the order lists sort by)."""

    RETURNED = "returned", "Returned to the officer"
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"


def is_reported(update) -> bool:
    return update is not None and update.status in REPORTED_STATUSES


def is_approved(update) -> bool:
    return update is not None and update.status in APPROVED_STATUSES


def due_month(day: datetime.date) -> datetime.date:
    """The month whose update is due on `day` (by that month's last day)."""
    return month_start(day)


def overdue_month(day: datetime.date) -> datetime.date:
    """The month whose update is overdue on `day` if it has not been reported: last month."""
    return previous_month(month_start(day))


def current_cycle[I](inspections: Iterable[I]) -> list[I]:
    """The inspections of one authority's current cycle: its latest graded inspection and every
    one since (all of them while it has none). Pass the inspections known at the day asked
    (records.load does: those that had started by then, as recorded then)."""
    inspections = list(inspections)
    graded = [i.start_date for i in inspections if i.event_type in GRADED_EVENT_TYPES]
    since = max(graded) if graded else datetime.date.min
    return [i for i in inspections if i.start_date >= since]


def first_reporting_month(
    *, published: datetime.date | None, reporting_from: datetime.date | None
) -> datetime.date | None:
    """The first month an area needs an update: the month after its report was published, and
    not before the month the authority started reporting in the app (when recorded). None while
    the report is not published."""
    if published is None:
        return None
    first = next_month(published)
    if reporting_from is not None:
        first = max(first, month_start(reporting_from))
    return first


def latest(updates: Sequence, statuses: frozenset) -> object | None:
    """The latest month's update among those with one of `statuses` (updates in any order)."""
    chosen = [u for u in updates if u.status in statuses]
    return max(chosen, key=lambda u: u.month) if chosen else None


@dataclass(frozen=True)
class AfiProgress:
    """What the rules say about one area for improvement on one day."""

    area: object  # a Finding
    day: datetime.date
    month: datetime.date  # the month now due
    month_update: object | None  # its update for `month`
    overdue_update: object | None  # its update for last month
    latest_reported: object | None
    latest_approved: object | None
    returned: object | None  # its latest returned update, while not submitted again
    first_month: datetime.date | None
    waiting: tuple  # its submitted updates, oldest month first

    @property
    def is_complete(self) -> bool:
        return self.latest_approved is not None and self.latest_approved.rag == Rag.COMPLETE

    @property
    def is_open(self) -> bool:
        return not self.is_complete

    def _reporting(self, month: datetime.date) -> bool:
        return self.is_open and self.first_month is not None and self.first_month <= month

    @property
    def is_due(self) -> bool:
        """This month's update is needed and not reported yet (due by the month's end)."""
        return self._reporting(self.month) and not is_reported(self.month_update)

    @property
    def is_overdue(self) -> bool:
        return self._reporting(previous_month(self.month)) and not is_reported(self.overdue_update)

    @property
    def month_state(self) -> str:
        return _state(self.month_update)

    @property
    def is_returned(self) -> bool:
        return self.returned is not None

    @property
    def latest_reported_rag(self) -> str | None:
        return self.latest_reported.rag if self.latest_reported else None

    @property
    def latest_approved_rag(self) -> str | None:
        return self.latest_approved.rag if self.latest_approved else None

    @property
    def returned_days_ago(self) -> int | None:
        if self.returned is None or self.returned.reviewed_at is None:
            return None
        return max(0, (self.day - _local_date(self.returned.reviewed_at)).days)

    @property
    def headline(self) -> str:
        """The one state a list shows for the area, most pressing first."""
        if self.is_complete:
            return "complete"
        if self.is_returned:
            return "returned"
        if self.is_overdue:
            return "overdue"
        if self.waiting:
            return "submitted"
        if self.month_update is not None:
            return self.month_state
        return "due" if self.is_due else "not_due"


def _state(update) -> str:
    return MonthState.NOT_STARTED if update is None else MonthState(update.status).value


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def afi_progress(
    area,
    updates: Sequence,
    *,
    day: datetime.date,
    published: datetime.date | None,
    reporting_from: datetime.date | None = None,
) -> AfiProgress:
    """The rules applied to one area and its updates (as recorded on `day`)."""
    month = due_month(day)
    by_month = {u.month: u for u in updates}
    latest_approved = latest(updates, APPROVED_STATUSES)
    complete = latest_approved is not None and latest_approved.rag == Rag.COMPLETE
    returned = [u for u in updates if u.status == UpdateStatus.RETURNED and not complete]
    return AfiProgress(
        area=area,
        day=day,
        month=month,
        month_update=by_month.get(month),
        overdue_update=by_month.get(previous_month(month)),
        latest_reported=latest(updates, REPORTED_STATUSES),
        latest_approved=latest_approved,
        returned=max(returned, key=lambda u: u.month) if returned else None,
        first_month=first_reporting_month(published=published, reporting_from=reporting_from),
        waiting=tuple(
            sorted((u for u in updates if u.status in WAITING_STATUSES), key=lambda u: u.month)
        ),
    )


def action_complete_by(action, day: datetime.date) -> bool:
    """Recorded as complete, with a completion date on or before `day`."""
    return (
        action.status == ActionStatus.COMPLETE
        and action.completed_on is not None
        and action.completed_on <= day
    )


def action_late(action, day: datetime.date) -> bool:
    """Not complete by `day` and its due date has passed."""
    return not action_complete_by(action, day) and action.due_date < day


@dataclass(frozen=True)
class Counts:
    """The counts every summary of a set of areas shows, from the same rules."""

    afis: int
    rag: dict  # latest reported RAG (None: nothing reported) -> number of areas
    overdue: int
    returned: int
    waiting: int  # updates waiting for approval
    complete: int


RAG_KEYS = (*Rag.values, None)


def counts(progress: Iterable[AfiProgress]) -> Counts:
    progress = list(progress)
    rag = dict.fromkeys(RAG_KEYS, 0)
    for item in progress:
        rag[item.latest_reported_rag] += 1
    return Counts(
        afis=len(progress),
        rag=rag,
        overdue=sum(p.is_overdue for p in progress),
        returned=sum(p.is_returned for p in progress),
        waiting=sum(len(p.waiting) for p in progress),
        complete=sum(p.is_complete for p in progress),
    )

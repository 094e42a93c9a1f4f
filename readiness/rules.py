"""The rules of the evidence library and the readiness checklist, written once: every page,
the authority dashboard and the demo data apply these.

| rule | in words |
|---|---|
| **Missing** | A library document with no file yet. *Overdue* once its due date has passed. |
| **Stale** | A library document with a file whose review date has passed (reviewed *by* that day). |
| **Current** | A document with a file and no review date passed. |
| **Open item** | A readiness checklist item not done. |
| **Window approaching** | Open checklist items show beside the next-inspection window from `APPROACH_DAYS` before it opens until an inspection is recorded (a closed window with none recorded is as pressing as an open one). |
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass

APPROACH_DAYS = 183


class LibraryState(enum.Enum):
    """(label, GOV.UK tag colour) of a library document."""

    OVERDUE = ("Missing: overdue", "red")
    MISSING = ("Missing", "orange")
    STALE = ("Review overdue", "yellow")
    CURRENT = ("Current", "green")

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def colour(self) -> str:
        return self.value[1]

    @property
    def needs_attention(self) -> bool:
        return self is not LibraryState.CURRENT


def library_state(
    *,
    has_file: bool,
    due_date: datetime.date | None,
    review_date: datetime.date | None,
    today: datetime.date,
) -> LibraryState:
    if not has_file:
        if due_date is not None and due_date < today:
            return LibraryState.OVERDUE
        return LibraryState.MISSING
    if review_date is not None and review_date < today:
        return LibraryState.STALE
    return LibraryState.CURRENT


@dataclass(frozen=True)
class Approach:
    """Whether the next-inspection window is near enough (or open, or passed with nothing
    recorded) for the open checklist items to be shown beside it."""

    near: bool
    days_to_open: int | None


def window_approach(window, today: datetime.date) -> Approach:
    """`window` is inspections.deadlines.InspectionWindow (or None: no window, never near)."""
    if window is None or window.started_since is not None:
        return Approach(False, None)
    days = (window.opens - today).days
    return Approach(days <= APPROACH_DAYS, max(days, 0))

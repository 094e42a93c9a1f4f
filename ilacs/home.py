"""The home page by role: what each person does now (issue 14).

- An officer (anyone who leads areas for improvement): this month's areas, returned updates
  first, then overdue, due and drafts, each with the days left or how late it is.
- A senior manager (and an administrator, for every authority): what waits for their review,
  what is back with officers, what is overdue and whose it is, and the updates and actions due
  soon.
- A viewer: each authority's summary (latest reported RAG, overdue, returned, waiting).
- An administrator: the authorities, searched and filtered, the latest inspected first.

Every state comes from improvement_plans.rules through improvement_plans.records; a fixed
number of queries for each kind of person, whatever the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms

from accounts.models import Role
from accounts.permissions import is_administrator, roles_of
from improvement_plans import records, rules, selectors
from inspections import selectors as inspection_selectors

# How far ahead "deadlines coming" looks for actions.
ACTIONS_AHEAD_DAYS = 30
# The officer's list: the areas that need something this month, in the order of My updates.
NEEDS_DOING = ("returned", "overdue", "due", "draft")


class AuthoritySearchForm(forms.Form):
    """The administrator's search of the authorities: a GET form (a search is a link)."""

    q = forms.CharField(label="Search by name", required=False, max_length=100)
    region = forms.ChoiceField(label="Region", required=False)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]


@dataclass
class ManagerHome:
    waiting: list  # updates waiting for approval (records.UpdateRecord), oldest submission first
    returned: list  # areas back with their officers, longest first
    overdue: list  # areas overdue, latest first, each with its lead
    due: list  # areas whose update for this month is not in yet, fewest days left first
    actions: list  # actions not complete, late or due within ACTIONS_AHEAD_DAYS


@dataclass
class Home:
    today: datetime.date
    month: datetime.date
    administrator: bool
    authorities: list
    my_areas: list = field(default_factory=list)
    manager: ManagerHome | None = None
    search: AuthoritySearchForm | None = None
    viewer: bool = False


def _manager_home(authority_ids, today: datetime.date) -> ManagerHome:
    """The queries of records.load with detail."""
    found = records.load(authority_ids=authority_ids, day=today, history=False, narrative=False)
    waiting, returned, overdue, due, actions = [], [], [], [], []
    soon = today + datetime.timedelta(days=ACTIONS_AHEAD_DAYS)
    for area in found.afis:
        area.progress = progress = found.progress[area.pk]
        for update in progress.waiting:
            update.area_for_improvement = area
            waiting.append(update)
        if progress.is_returned:
            returned.append(area)
        if progress.is_overdue:
            overdue.append(area)
        if progress.is_due:
            due.append(area)
        if progress.is_open:
            for action in found.actions.get(area.pk, []):
                if not rules.action_complete_by(action, today) and action.due_date <= soon:
                    action.area_for_improvement = area
                    actions.append(action)
    far_past = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    waiting.sort(key=lambda u: (u.submitted_at or far_past, u.pk))
    returned.sort(key=lambda a: -(a.progress.returned_days_ago or 0))
    overdue.sort(key=lambda a: (a.inspection.authority.name, a.title))
    due.sort(key=lambda a: (a.progress.days_left, a.inspection.authority.name, a.title))
    actions.sort(key=lambda a: (a.due_date, a.pk))
    return ManagerHome(waiting, returned, overdue, due, actions[:50])


def home_for(user, *, today: datetime.date, query=None) -> Home:
    """What `user`'s home shows on `today`; `query` is the page's GET (the administrator's
    search)."""
    administrator = is_administrator(user)
    authorities = inspection_selectors.authorities_with_latest_inspection(user=user)
    home = Home(
        today=today,
        month=today.replace(day=1),
        administrator=administrator,
        authorities=authorities,
    )
    if administrator:
        regions = sorted({a.region for a in authorities})
        home.search = AuthoritySearchForm(query or None, regions=regions)
        chosen = home.search.cleaned_data if home.search.is_valid() else {}
        words = (chosen.get("q") or "").strip().lower()
        region = chosen.get("region") or ""
        home.authorities = sorted(
            (
                a
                for a in authorities
                if words in a.name.lower() and (not region or a.region == region)
            ),
            key=lambda a: (
                -(a.latest_inspection.start_date.toordinal() if a.latest_inspection else 0),
                a.name,
            ),
        )
        return home
    roles = roles_of(user)
    if any(role in (Role.OFFICER, Role.MANAGER) for role in roles.values()):
        mine = selectors.my_updates(user=user, today=today)
        home.my_areas = [a for a in mine.afis if a.progress.headline in NEEDS_DOING]
    managed = [pk for pk, role in roles.items() if role == Role.MANAGER]
    if managed:
        home.manager = _manager_home(managed, today)
    if not any(role in (Role.OFFICER, Role.MANAGER) for role in roles.values()):
        home.viewer = True
        found = records.load(
            authority_ids=[a.pk for a in authorities],
            day=today,
            history=False,
            detail=False,
            authorities={a.pk: a for a in authorities},
        )
        for authority in authorities:
            authority.counts = found.counts(authority.pk)
    return home

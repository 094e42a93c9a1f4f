"""Home by role (issue 14, items 1-3): every person's home answers "what do I do now", from the
rules (improvement_plans.rules), in a fixed number of queries; and the review shows the months
before it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.months import month_start, previous_month
from improvement_plans import rules
from improvement_plans.models import Rag, UpdateStatus
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _reported_last_month(area, author):
    return ProgressUpdateFactory(
        area_for_improvement=area,
        month=previous_month(month_start(_today())),
        status=UpdateStatus.APPROVED,
        rag=Rag.GREEN,
        author=author,
    )


# ----- The rules' days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "days_left", "days_overdue"),
    [
        (datetime.date(2026, 11, 3), 27, 3),
        (datetime.date(2026, 11, 30), 0, 30),
        (datetime.date(2026, 12, 1), 30, 1),
    ],
)
def test_an_areas_days_left_and_days_overdue_count_to_the_months_last_day(
    day, days_left, days_overdue
):
    area = type("Area", (), {})()
    progress = rules.afi_progress(
        area, [], day=day, published=datetime.date(2025, 1, 10), reporting_from=None
    )
    assert (progress.days_left, progress.days_overdue) == (days_left, days_overdue)
    assert rules.month_end(datetime.date(2024, 2, 1)) == datetime.date(2024, 2, 29)


def test_a_reported_month_has_no_days_left(officer):
    area = FindingFactory(lead=officer)
    day = _today()
    update = ProgressUpdateFactory(
        area_for_improvement=area, month=month_start(day), status=UpdateStatus.SUBMITTED
    )
    progress = rules.afi_progress(
        area, [update], day=day, published=datetime.date(2025, 1, 10), reporting_from=None
    )
    assert progress.days_left is None


# ----- An officer --------------------------------------------------------------------------------


def _officer_world(authority, officer, manager, *, extra: int = 0):
    inspection = InspectionFactory(authority=authority)
    month = month_start(_today())
    returned = FindingFactory(inspection=inspection, lead=officer, title="Returned one")
    draft = FindingFactory(inspection=inspection, lead=officer, title="Draft one")
    sent = FindingFactory(inspection=inspection, lead=officer, title="Submitted one")
    for area in (returned, draft, sent):
        _reported_last_month(area, officer)
    ProgressUpdateFactory(
        area_for_improvement=returned,
        month=month,
        author=officer,
        status=UpdateStatus.RETURNED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        review_comment="Say what the audit found.",
    )
    ProgressUpdateFactory(
        area_for_improvement=draft, month=month, author=officer, status=UpdateStatus.DRAFT
    )
    ProgressUpdateFactory(
        area_for_improvement=sent,
        month=month,
        author=officer,
        submitted_by=officer,
        submitted_at=timezone.now(),
        status=UpdateStatus.SUBMITTED,
    )
    for n in range(extra):
        more = FindingFactory(inspection=inspection, lead=officer, title=f"More {n}")
        ProgressUpdateFactory(area_for_improvement=more, month=month, author=officer)
    return returned, draft, sent


def _due_words() -> str:
    days = (rules.month_end(month_start(_today())) - _today()).days
    return "due today" if days == 0 else f"due in {days} day"


def test_an_officers_home_lists_this_months_areas_returned_first_then_drafts(
    client, authority, officer, manager
):
    _officer_world(authority, officer, manager)
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Returned one") < page.index("Draft one")
    assert "Submitted one" not in page  # waiting for approval: nothing for the officer to do
    assert 'govuk-tag--orange">Returned to the officer' in page
    assert 'govuk-tag--purple">Draft' in page
    assert page.count(_due_words()) == 2


def test_an_overdue_area_says_by_how_many_days(client, authority, officer):
    FindingFactory(inspection=InspectionFactory(authority=authority), lead=officer, title="Late")
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    days = (_today() - rules.month_end(previous_month(month_start(_today())))).days
    assert f"overdue by {days} day" in page
    assert 'govuk-tag--red">Overdue' in page


# ----- A senior manager --------------------------------------------------------------------------


def test_a_managers_home_shows_what_waits_what_is_back_what_is_overdue_and_whose(
    client, authority, officer, manager
):
    _officer_world(authority, officer, manager)
    late = FindingFactory(
        inspection=InspectionFactory(
            authority=authority, event_type="focused_visit", start_date=datetime.date(2024, 6, 3)
        ),
        lead=officer,
        title="Late one",
    )
    ActionFactory(
        area_for_improvement=late,
        description="Audit every plan",
        due_date=_today() + datetime.timedelta(days=10),
    )
    client.force_login(manager)
    response = client.get(reverse("home"))
    page = response.content.decode()
    manager_home = response.context["home"].manager
    assert [u.area_for_improvement.title for u in manager_home.waiting] == ["Submitted one"]
    assert [a.title for a in manager_home.returned] == ["Returned one"]
    assert "Late one" in [a.title for a in manager_home.overdue]
    assert "Waiting for your review (1)" in page
    assert "Back with officers (1)" in page
    assert f"Led by {officer.get_full_name()}" in page
    assert "Audit every plan" in page  # an action due in the next 30 days
    assert "Deadlines coming" in page


# ----- A viewer ----------------------------------------------------------------------------------


def test_a_viewers_home_is_each_authoritys_summary(client, authority, viewer, officer, manager):
    _officer_world(authority, officer, manager)
    client.force_login(viewer)
    response = client.get(reverse("home"))
    page = response.content.decode()
    (row,) = response.context["authorities"]
    assert (row.counts.afis, row.counts.returned, row.counts.waiting) == (3, 1, 1)
    assert "Your areas for improvement this month" not in page
    assert reverse("dashboards:authority", args=[authority.pk]) in page


# ----- An administrator --------------------------------------------------------------------------


def test_an_administrator_searches_the_authorities_the_latest_inspected_first(
    client, administrator
):
    older = LocalAuthorityFactory(name="Northshire", region="North East")
    newer = LocalAuthorityFactory(name="North Wolds", region="North East")
    LocalAuthorityFactory(name="Southshire", region="South West")
    InspectionFactory(authority=older, start_date=datetime.date(2019, 3, 4))
    InspectionFactory(authority=newer, start_date=datetime.date(2024, 3, 4))
    client.force_login(administrator)
    names = [a.name for a in client.get(reverse("home")).context["authorities"]]
    assert names[:2] == ["North Wolds", "Northshire"]
    found = client.get(reverse("home"), {"q": "north", "region": "North East"})
    assert [a.name for a in found.context["authorities"]] == ["North Wolds", "Northshire"]
    found = client.get(reverse("home"), {"q": "shire", "region": "South West"})
    assert [a.name for a in found.context["authorities"]] == ["Southshire"]
    nothing = client.get(reverse("home"), {"q": "zzz"}).content.decode()
    assert "No authority matches your search" in nothing


# ----- A fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "viewer"])
def test_each_roles_home_runs_the_same_queries_whatever_the_data(
    client, authority, officer, manager, viewer, role
):
    users = {"officer": officer, "manager": manager, "viewer": viewer}
    client.force_login(users[role])
    counts = []
    for extra in (0, 6):
        other = LocalAuthorityFactory()
        MembershipFactory(user=users[role], authority=other, role=Role(role))
        _officer_world(other if extra else authority, officer, manager, extra=extra)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], "\n".join(q["sql"] for q in captured.captured_queries)


# ----- The review's context ----------------------------------------------------------------------


def test_the_review_shows_the_last_three_months_and_highlights_a_change(
    client, authority, officer, manager
):
    area = FindingFactory(inspection=InspectionFactory(authority=authority), lead=officer)
    month = month_start(_today())
    for back, rag in ((3, Rag.GREEN), (2, Rag.AMBER), (1, Rag.GREEN)):
        start = month
        for _ in range(back):
            start = previous_month(start)
        ProgressUpdateFactory(
            area_for_improvement=area,
            month=start,
            rag=rag,
            status=UpdateStatus.APPROVED,
            author=officer,
        )
    update = ProgressUpdateFactory(
        area_for_improvement=area,
        month=month,
        rag=Rag.RED,
        status=UpdateStatus.SUBMITTED,
        author=officer,
        submitted_by=officer,
        submitted_at=timezone.now(),
    )
    client.force_login(manager)
    response = client.get(reverse("improvement_plans:update_review", args=[update.pk]))
    context = response.context["context"]
    assert [rag for _, rag in context.months] == ["green", "amber", "green"]
    assert (context.previous_rag, context.changed) == ("green", True)
    page = response.content.decode()
    assert "The rating has changed: Green before, Red in this update." in page
    assert "changed from Green" in page

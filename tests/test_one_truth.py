"""One truth about progress: every page, the reminders and a committee report draft tell the same
story about every area, for random histories.

Hypothesis generates an authority's history (graded inspections and visits, areas for
improvement, monthly updates in every state including returned ones, approvals, actions
completed or not) and the test works out, with its own independent reading of the rules in
README "Rules", what each area's state must be: its latest reported and latest approved RAG,
whether it is complete, overdue, returned, due, and what waits for approval. Then it asks the
authority dashboard, the portfolio row, the authority page, My updates, the review queue, the
reminders' recipients and a committee report draft, and each must agree with it, area by area
and in its counts.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from core.months import add_months, month_start
from improvement_plans.models import ActionStatus, Rag, UpdateStatus
from improvement_plans.selectors import reminder_recipients
from inspections.models import Finding, FindingKind
from reports import services as report_services
from reports.models import ReportKind
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)

GRADED = {"standard", "short"}
REPORTED = {UpdateStatus.SUBMITTED, UpdateStatus.APPROVED}

update_strategy = st.tuples(
    st.integers(0, 14),  # months before this month
    st.sampled_from(list(UpdateStatus.values)),
    st.sampled_from(list(Rag.values)),
    st.integers(0, 25),  # days since it was reviewed
)
action_strategy = st.tuples(
    st.sampled_from(list(ActionStatus.values)),
    st.integers(-60, 200),  # days until it is due
    st.integers(0, 300),  # days since it was completed (if complete)
)
area_strategy = st.fixed_dictionaries(
    {
        "priority": st.booleans(),
        "led": st.booleans(),
        "updates": st.lists(update_strategy, max_size=6, unique_by=lambda u: u[0]),
        "actions": st.lists(action_strategy, max_size=2),
    }
)
event_strategy = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["standard", "short", "focused_visit", "monitoring_visit"]),
        "months_ago": st.integers(0, 40),
        "published": st.booleans(),
        "areas": st.lists(area_strategy, max_size=3),
    }
)
history_strategy = st.lists(event_strategy, max_size=4, unique_by=lambda e: e["months_ago"])


@dataclass
class Expected:
    """What the rules say about one area, worked out here independently of the app."""

    latest_reported_rag: str | None
    latest_approved_rag: str | None
    complete: bool
    overdue: bool
    due: bool
    returned: bool
    waiting: set = field(default_factory=set)


def _expect(area, inspection, updates, *, today, current) -> Expected:
    approved = [u for u in updates if u.status == UpdateStatus.APPROVED]
    reported = [u for u in updates if u.status in REPORTED]
    latest_approved = max(approved, key=lambda u: u.month) if approved else None
    latest_reported = max(reported, key=lambda u: u.month) if reported else None
    complete = latest_approved is not None and latest_approved.rag == Rag.COMPLETE
    this_month = month_start(today)
    last_month = add_months(this_month, -1)
    first = (
        add_months(month_start(inspection.published_date), 1)
        if current and inspection.published_date
        else None
    )
    by_month = {u.month: u for u in updates}
    return Expected(
        latest_reported_rag=latest_reported.rag if latest_reported else None,
        latest_approved_rag=latest_approved.rag if latest_approved else None,
        complete=complete,
        overdue=bool(
            first
            and not complete
            and first <= last_month
            and getattr(by_month.get(last_month), "status", None) not in REPORTED
        ),
        due=bool(
            first
            and not complete
            and first <= this_month
            and getattr(by_month.get(this_month), "status", None) not in REPORTED
        ),
        returned=not complete and any(u.status == UpdateStatus.RETURNED for u in updates),
        waiting={u.pk for u in updates if u.status == UpdateStatus.SUBMITTED},
    )


def _build(history, today, officer, manager):
    """The generated history in the database; returns {area pk: Expected}, the current areas'
    pks, and the latest graded inspection (or None)."""
    authority = officer.memberships.get().authority
    now = timezone.now()
    inspections = []
    for event in history:
        start = add_months(today, -event["months_ago"]) - datetime.timedelta(days=3)
        published = start + datetime.timedelta(days=40)
        inspections.append(
            (
                event,
                InspectionFactory(
                    authority=authority,
                    event_type=event["type"],
                    start_date=start,
                    end_date=start + datetime.timedelta(days=2),
                    published_date=published if event["published"] and published <= today else None,
                ),
            )
        )
    graded = [i.start_date for _, i in inspections if i.event_type in GRADED]
    since = max(graded) if graded else datetime.date.min
    expected, current = {}, set()
    for event, inspection in inspections:
        is_current = inspection.start_date >= since
        for index, spec in enumerate(event["areas"]):
            visit = inspection.event_type not in GRADED
            area = FindingFactory(
                inspection=inspection,
                kind=FindingKind.PRIORITY_ACTION
                if visit and spec["priority"]
                else FindingKind.AREA_FOR_IMPROVEMENT,
                lead=officer if spec["led"] else None,
                order=index,
            )
            updates = []
            for months_back, status, rag, reviewed_days in spec["updates"]:
                reviewed = status in (UpdateStatus.APPROVED, UpdateStatus.RETURNED)
                updates.append(
                    ProgressUpdateFactory(
                        area_for_improvement=area,
                        month=add_months(month_start(today), -months_back),
                        status=status,
                        rag=rag,
                        author=officer,
                        submitted_at=None if status == UpdateStatus.DRAFT else now,
                        reviewed_by=manager if reviewed else None,
                        reviewed_at=now - datetime.timedelta(days=reviewed_days)
                        if reviewed
                        else None,
                    )
                )
            for status, due_in, completed_ago in spec["actions"]:
                completed = max(
                    today - datetime.timedelta(days=completed_ago), inspection.start_date
                )
                ActionFactory(
                    area_for_improvement=area,
                    status=status,
                    due_date=today + datetime.timedelta(days=due_in),
                    completed_on=completed if status == ActionStatus.COMPLETE else None,
                )
            if is_current:
                current.add(area.pk)
            expected[area.pk] = _expect(area, inspection, updates, today=today, current=is_current)
    latest = max(
        (i for _, i in inspections if i.event_type in GRADED),
        key=lambda i: i.start_date,
        default=None,
    )
    return expected, current, latest


def _counts(expected, pks):
    rags = {rag: 0 for rag in (*Rag.values, None)}
    for pk in pks:
        rags[expected[pk].latest_reported_rag] += 1
    return {
        "rag": rags,
        "overdue": sum(expected[pk].overdue for pk in pks),
        "returned": sum(expected[pk].returned for pk in pks),
        "waiting": sum(len(expected[pk].waiting) for pk in pks),
        "complete": sum(expected[pk].complete for pk in pks),
    }


@pytest.fixture
def people(db):
    authority = LocalAuthorityFactory(name="Randomshire")
    officer = UserFactory(username="random.officer", email="officer@example.org")
    manager = UserFactory(username="random.manager", email="manager@example.org")
    viewer = UserFactory(username="random.viewer")
    for user, role in ((officer, Role.OFFICER), (manager, Role.MANAGER), (viewer, Role.VIEWER)):
        MembershipFactory(user=user, authority=authority, role=role)
    return authority, officer, manager, viewer


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=history_strategy)
def test_every_page_tells_the_same_story_about_every_area(client, people, history):
    authority, officer, manager, viewer = people
    today = timezone.localdate()
    with transaction.atomic():
        cache.clear()
        expected, current, latest = _build(history, today, officer, manager)
        _check_everything(client, authority, officer, manager, viewer, expected, current, latest)
        transaction.set_rollback(True)


def _check_everything(client, authority, officer, manager, viewer, expected, current, latest):
    today = timezone.localdate()
    want = _counts(expected, current)

    # The authority dashboard: each area, and the counts.
    client.force_login(manager)
    response = client.get(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))
    dashboard = response.context["dashboard"]
    assert {a.pk for a in dashboard.afis} == current
    for area in dashboard.afis:
        e, p = expected[area.pk], area.progress
        assert (p.latest_reported_rag, p.is_complete, p.is_overdue, p.is_returned) == (
            e.latest_reported_rag,
            e.complete,
            e.overdue,
            e.returned,
        ), area.pk
        assert {u.pk for u in p.waiting} == e.waiting
    counts = dashboard.counts
    assert (counts.rag, counts.overdue, counts.returned, counts.waiting, counts.complete) == (
        want["rag"],
        want["overdue"],
        want["returned"],
        want["waiting"],
        want["complete"],
    )
    page = response.content.decode()
    assert page.count('govuk-tag--orange">Returned to the officer') == want["returned"]
    assert f"{want['returned']}</span> updates returned to the officer" in page
    assert f"{want['waiting']}</span> updates waiting for approval" in page
    assert f"{want['overdue']}</span> updates overdue" in page

    # The portfolio row.
    client.force_login(viewer)
    rows = client.get(reverse("dashboards:portfolio")).context["rows"]
    (row,) = rows
    assert (row.rag_counts, row.overdue, row.returned, row.waiting) == (
        want["rag"],
        want["overdue"],
        want["returned"],
        want["waiting"],
    )

    # The authority page: the open (not complete) current areas, with the same state.
    overview = client.get(
        reverse("improvement_plans:authority_detail", kwargs={"authority_pk": authority.pk})
    ).context["overview"]
    assert {a.pk for a in overview.open_areas} == {
        pk for pk in current if not expected[pk].complete
    }
    for area in overview.open_areas:
        assert area.progress.latest_reported_rag == expected[area.pk].latest_reported_rag
        assert area.progress.is_overdue == expected[area.pk].overdue

    # My updates: the current areas the officer leads.
    client.force_login(officer)
    mine = client.get(reverse("improvement_plans:my_updates")).context["data"].afis
    led = {pk for pk in current if _lead(pk) == officer.pk}
    assert {a.pk for a in mine} == led
    for area in mine:
        e = expected[area.pk]
        assert (area.progress.is_overdue, area.progress.is_due, area.progress.is_returned) == (
            e.overdue,
            e.due,
            e.returned,
        )

    # The review queue: every update waiting for approval, and only those.
    client.force_login(manager)
    context = client.get(reverse("improvement_plans:review_queue")).context
    assert {u.pk for u in context["updates"]} == set().union(
        *(expected[pk].waiting for pk in current)
    )
    assert {a.pk for a in context["returned"]} == {pk for pk in current if expected[pk].returned}

    # The reminders: who is chased for what.
    recipients = reminder_recipients(today=today)
    due, overdue = recipients.officers.get(officer, ([], []))
    assert {a.pk for a in due} == {pk for pk in led if expected[pk].due}
    assert {a.pk for a in overdue} == {pk for pk in led if expected[pk].overdue}
    waiting = dict(recipients.managers.get(manager, []))
    assert waiting.get(authority, 0) == want["waiting"]

    # A committee report drafted today on the latest graded inspection: each area's latest
    # approved RAG, and the count of approved ratings in its key issues.
    if latest is not None:
        report = report_services.report_create(
            authority=authority,
            inspection=latest,
            user=manager,
            kind=ReportKind.PROGRESS_UPDATE,
            committee="Scrutiny Panel",
            meeting_date=today,
            period_start=latest.start_date,
            period_end=today,
            report_of="Director",
            portfolio_holder="Cllr",
            author_name="Author",
            contact="author@example.gov.uk",
        )
        sections = {s.key: s for s in report.sections.all()}
        for pk in (pk for pk in expected if _inspection_of(pk) == latest.pk):
            assert sections[f"area-{pk}"].data["rag"] == (expected[pk].latest_approved_rag or "")
        approved = [
            rag for pk in sections_areas(sections) if (rag := expected[pk].latest_approved_rag)
        ]
        key_issues = sections["key_issues"].body
        if approved:
            for rag in Rag.values:
                assert re.search(
                    rf"\b{approved.count(rag)} {Rag(rag).label.lower()}\b", key_issues
                ), key_issues
        else:
            assert "Latest approved progress ratings" not in key_issues


def sections_areas(sections) -> list[int]:
    return [int(key.removeprefix("area-")) for key in sections if key.startswith("area-")]


def _lead(pk):
    return Finding.objects.values_list("lead_id", flat=True).get(pk=pk)


def _inspection_of(pk):
    return Finding.objects.values_list("inspection_id", flat=True).get(pk=pk)

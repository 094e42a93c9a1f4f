"""As at a day: nothing done after the day changes the authority dashboard as at that day, or a
committee report for a period ending that day.

The history is dated as the tracker would have made it (tests.factories.recorded_on): the data is
recorded through September 2024, the day asked is 30 September 2024, and everything after it is
done today through the app's own services: a new month, a backfilled month, an edited draft,
an approval, a resubmission, an action completed (dated back into the period), a new action, the
plan and the report's publication recorded. The live dashboard changes; the as-at pictures do not.
"""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from dashboards import snapshots
from improvement_plans import services
from improvement_plans.models import ActionStatus, ProgressUpdate, Rag, UpdateStatus
from reports import services as report_services
from reports.models import ReportKind
from tests.dashboards.pages import main_content as page_main
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    ProgressUpdateFactory,
    recorded_on,
)

pytestmark = pytest.mark.django_db

D = datetime.date(2024, 9, 30)


@pytest.fixture
def history(authority, officer, manager):
    """What the tracker held at the end of 30 September 2024."""
    inspection = InspectionFactory(
        authority=authority,
        start_date=datetime.date(2023, 11, 13),
        published_date=datetime.date(2024, 1, 10),
    )
    recorded_on(datetime.date(2024, 1, 10), inspection)
    plan = ImprovementPlanFactory(inspection=inspection)
    recorded_on(datetime.date(2024, 1, 20), plan)
    areas = {}
    for name, last_status in (
        ("approved then submitted", UpdateStatus.SUBMITTED),
        ("returned", UpdateStatus.RETURNED),
        ("draft", UpdateStatus.DRAFT),
    ):
        area = FindingFactory(inspection=inspection, title=name, lead=officer)
        recorded_on(datetime.date(2024, 1, 10), area)
        for month in range(2, 9):
            update = ProgressUpdateFactory(
                area_for_improvement=area,
                month=datetime.date(2024, month, 1),
                rag=Rag.AMBER,
                status=UpdateStatus.APPROVED,
                author=officer,
                reviewed_by=manager,
            )
            recorded_on(datetime.date(2024, month, 28), update)
        last = ProgressUpdateFactory(
            area_for_improvement=area,
            month=datetime.date(2024, 9, 1),
            rag=Rag.GREEN,
            status=last_status,
            author=officer,
            reviewed_by=manager if last_status == UpdateStatus.RETURNED else None,
            review_comment="Add the audit figures" if last_status == UpdateStatus.RETURNED else "",
        )
        recorded_on(datetime.date(2024, 9, 28), last)
        areas[name] = area
    done = ActionFactory(
        area_for_improvement=areas["draft"],
        status=ActionStatus.COMPLETE,
        completed_on=datetime.date(2024, 6, 1),
        due_date=datetime.date(2024, 6, 30),
    )
    recorded_on(datetime.date(2024, 6, 1), done)
    going = ActionFactory(
        area_for_improvement=areas["returned"],
        status=ActionStatus.IN_PROGRESS,
        due_date=datetime.date(2024, 10, 15),
    )
    recorded_on(datetime.date(2024, 2, 1), going)
    return {"inspection": inspection, "plan": plan, "areas": areas, "going": going}


def _dashboard(client, authority, as_at=None):
    # Built afresh each time: equal because the data is, not because it was kept.
    cache.clear()
    snapshots.AS_AT.clear()
    url = reverse("dashboards:authority", kwargs={"authority_pk": authority.pk})
    response = client.get(url, {"as_at": as_at.isoformat()} if as_at else {})
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    picture = [
        (
            area.pk,
            area.progress.latest_reported_rag,
            area.progress.latest_approved_rag,
            area.progress.headline,
            area.progress.is_overdue,
        )
        for area in dashboard.afis
    ]
    return page_main(response), picture, dashboard.counts


def _report(authority, inspection, manager):
    report = report_services.report_create(
        authority=authority,
        inspection=inspection,
        user=manager,
        kind=ReportKind.PROGRESS_UPDATE,
        committee="Scrutiny Panel",
        meeting_date=datetime.date(2024, 10, 20),
        period_start=datetime.date(2024, 7, 1),
        period_end=D,
        report_of="Director of Children's Services",
        portfolio_holder="Cllr Jones",
        author_name="Pat Lee",
        contact="pat.lee@example.gov.uk",
    )
    return [(s.key, s.body, s.data) for s in report.sections.order_by("order")]


def test_nothing_done_after_the_day_changes_the_picture_as_at_the_day(
    client, authority, officer, manager, administrator, history
):
    client.force_login(manager)
    before = _dashboard(client, authority, D)
    report_before = _report(authority, history["inspection"], manager)
    live_before = _dashboard(client, authority)
    _, picture, counts = before
    assert [row[3] for row in picture] == ["submitted", "returned", "draft"]
    assert counts.waiting == 1 and counts.returned == 1

    areas = history["areas"]
    # Today, long after 30 September 2024:
    # a new month, submitted;
    services.progress_update_create(
        area_for_improvement=areas["draft"],
        month=datetime.date(2024, 10, 1),
        user=officer,
        submit=True,
        rag=Rag.RED,
        what_was_done="October's work",
    )
    # a month backfilled by a manager for an area that had none for it, approved (by someone
    # else: four eyes);
    ProgressUpdate.objects.filter(
        area_for_improvement=areas["returned"], month=datetime.date(2024, 8, 1)
    ).delete()
    backfilled = services.progress_update_create(
        area_for_improvement=areas["returned"],
        month=datetime.date(2024, 8, 1),
        user=manager,
        submit=True,
        rag=Rag.RED,
        what_was_done="August, recorded later",
    )
    services.progress_update_approve(
        update=backfilled, user=administrator, expected_version=backfilled.version
    )
    # the September draft edited and submitted;
    draft = ProgressUpdate.objects.get(
        area_for_improvement=areas["draft"], month=datetime.date(2024, 9, 1)
    )
    services.progress_update_save(
        update=draft,
        expected_version=draft.version,
        user=officer,
        submit=True,
        rag=Rag.COMPLETE,
        what_was_done="Edited later",
    )
    # the submitted September update approved, as complete;
    waiting = ProgressUpdate.objects.get(
        area_for_improvement=areas["approved then submitted"], month=datetime.date(2024, 9, 1)
    )
    waiting.rag = Rag.COMPLETE
    waiting.save()
    waiting.refresh_from_db()
    services.progress_update_approve(update=waiting, user=manager, expected_version=waiting.version)
    # the returned one submitted again;
    returned = ProgressUpdate.objects.get(
        area_for_improvement=areas["returned"], month=datetime.date(2024, 9, 1)
    )
    services.progress_update_submit(
        update=returned, user=officer, expected_version=returned.version
    )
    # an action completed, dated back into the period, and a new one added;
    going = history["going"]
    services.action_update(
        action=going,
        expected_version=going.version,
        user=officer,
        status=ActionStatus.COMPLETE,
        completed_on=datetime.date(2024, 9, 15),
    )
    services.action_create(
        area_for_improvement=areas["draft"],
        user=manager,
        description="A new action",
        owner="Head of Service",
        due_date=datetime.date(2024, 9, 1),
    )
    # the plan's sending and the report's publication recorded, both dated before the day.
    plan = history["plan"]
    services.plan_update(
        plan=plan,
        expected_version=plan.version,
        user=manager,
        submitted_on=datetime.date(2024, 3, 1),
    )
    inspection = history["inspection"]
    inspection.report_published_by_authority_on = datetime.date(2024, 1, 20)
    inspection.save()

    live_after = _dashboard(client, authority)
    assert live_after[1] != live_before[1]  # what was done today really changed things
    assert _dashboard(client, authority, D) == before
    assert _report(authority, history["inspection"], manager) == report_before

"""A council that starts using the tracker part-way through its plan: managers record earlier
months (the same approval, the history saying who and when), actions carry a correctable
completion date, and no month before the authority started reporting is due, overdue or chased.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from core.months import add_months, month_start
from improvement_plans.models import ActionStatus, ProgressUpdate, UpdateStatus
from improvement_plans.selectors import my_updates
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(authority, officer):
    inspection = InspectionFactory(
        authority=authority,
        start_date=datetime.date(2024, 1, 8),
        published_date=datetime.date(2024, 3, 4),
    )
    ImprovementPlanFactory(inspection=inspection)
    return FindingFactory(inspection=inspection, lead=officer, title="Quality of plans")


def _months_offered(client, area) -> list[str]:
    response = client.get(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk})
    )
    return [value for value, _ in response.context["form"].fields["month"].choices]


def test_an_officer_is_offered_this_month_and_the_two_before(client, area, officer):
    client.force_login(officer)
    this_month = month_start(timezone.localdate())
    assert _months_offered(client, area) == [
        add_months(this_month, -n).isoformat() for n in range(3)
    ]


def test_a_manager_can_record_any_month_since_the_report(client, area, officer, manager):
    client.force_login(manager)
    offered = _months_offered(client, area)
    assert offered[-1] == "2024-04-01"  # the month after the report was published
    assert offered[0] == month_start(timezone.localdate()).isoformat()
    response = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {"month": "2024-05-01", "rag": "amber", "what_was_done": "Recorded from the old tracker."},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(area_for_improvement=area, month="2024-05-01")
    # It goes through the same approval: submitted, waiting for another manager or an admin.
    assert update.status == UpdateStatus.SUBMITTED
    record = update.history.earliest("history_date")
    assert record.history_user == manager
    assert timezone.localtime(record.history_date).date() == timezone.localdate()
    # An officer cannot post a month outside their three.
    client.force_login(officer)
    refused = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {"month": "2024-06-01", "rag": "amber", "what_was_done": "Too far back."},
    )
    assert refused.status_code == 200
    assert "Select a month that does not have an update yet" in refused.content.decode()
    assert not ProgressUpdate.objects.filter(area_for_improvement=area, month="2024-06-01")


def test_no_month_before_the_authority_started_reporting_is_overdue_or_chased(
    mailoutbox, authority, area, officer
):
    today = timezone.localdate()
    # The authority's first person joins this month: it starts reporting now.
    account_services.membership_create(
        user=UserFactory(username="newcomer"), authority=authority, role=Role.VIEWER, by=officer
    )
    authority.refresh_from_db()
    assert authority.reporting_from == month_start(today)
    (mine,) = my_updates(user=officer, today=today).afis
    assert not mine.progress.is_overdue  # last month was before it used the tracker
    call_command("send_progress_reminders", date=today.isoformat(), stdout=StringIO())
    assert not any("overdue" in email.body for email in mailoutbox)

    # Had it started last month, last month's missing update would be overdue and chased.
    authority.reporting_from = add_months(month_start(today), -1)
    authority.save()
    (mine,) = my_updates(user=officer, today=today).afis
    assert mine.progress.is_overdue
    call_command("send_progress_reminders", date=today.isoformat(), stdout=StringIO())
    assert any("is overdue" in email.body for email in mailoutbox)


def test_a_completion_date_is_recorded_and_can_be_corrected_with_history(client, area, officer):
    action = ActionFactory(area_for_improvement=area, status=ActionStatus.IN_PROGRESS)
    url = reverse("improvement_plans:action_status", kwargs={"action_pk": action.pk})
    client.force_login(officer)
    client.post(url, {"status": "complete", "version": 1})
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()
    # Corrected: it was really done in the spring.
    client.post(
        url,
        {
            "status": "complete",
            "version": action.version,
            "completed_on_0": "14",
            "completed_on_1": "3",
            "completed_on_2": "2025",
        },
    )
    action.refresh_from_db()
    assert action.completed_on == datetime.date(2025, 3, 14)
    dates = [r.completed_on for r in action.history.order_by("history_date")]
    assert dates[-2:] == [timezone.localdate(), datetime.date(2025, 3, 14)]
    # Saved again with the date left blank: the date recorded stays (it is not today's).
    client.post(url, {"status": "complete", "version": action.version})
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("complete", datetime.date(2025, 3, 14))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"status": "complete", "day": 1, "month": 1, "year": 2099},
            "must be today or in the past",
        ),
        ({"status": "complete", "day": 1, "month": 1, "year": 2020}, "on or after the inspection"),
        ({"status": "in_progress", "day": 1, "month": 6, "year": 2024}, "Leave the date completed"),
        ({"status": "complete", "day": 31, "month": 2, "year": 2025}, "must be a real date"),
    ],
)
def test_a_wrong_completion_date_is_refused_and_changes_nothing(
    client, area, officer, data, message
):
    action = ActionFactory(area_for_improvement=area, status=ActionStatus.IN_PROGRESS)
    client.force_login(officer)
    response = client.post(
        reverse("improvement_plans:action_status", kwargs={"action_pk": action.pk}),
        {
            "status": data["status"],
            "version": action.version,
            "completed_on_0": data["day"],
            "completed_on_1": data["month"],
            "completed_on_2": data["year"],
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.IN_PROGRESS, None)

"""The returned state and the as-at dashboard in a real browser: what a manager does, what every
page then shows, and zero axe violations (WCAG 2.2 A/AA) on each."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Role
from improvement_plans.models import Rag, UpdateStatus
from improvement_plans.rules import overdue_month
from tests.browser.axe import assert_accessible
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)


@pytest.fixture
def waiting():
    """An authority whose officer submitted last month's update on one area."""
    authority = LocalAuthorityFactory(name="North Somerset", region="South West")
    officer = UserFactory(username="officer", first_name="Olu", last_name="Officer")
    manager = UserFactory(username="manager", first_name="Mina", last_name="Manager")
    Membership.objects.create(user=officer, authority=authority, role=Role.OFFICER)
    Membership.objects.create(user=manager, authority=authority, role=Role.MANAGER)
    inspection = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    area = FindingFactory(inspection=inspection, title="Quality of plans", lead=officer)
    FindingFactory(inspection=inspection, title="Supervision", lead=officer)
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=overdue_month(timezone.localdate()),
        rag=Rag.AMBER,
        status=UpdateStatus.SUBMITTED,
        submitted_at=timezone.now(),
        author=officer,
    )
    return {"authority": authority, "officer": officer, "manager": manager}


def test_a_returned_update_shows_as_returned_on_every_page(page, sign_in_browser, waiting):
    authority = waiting["authority"]
    sign_in_browser(page, waiting["manager"])
    page.goto("/plans/review/")
    page.get_by_role("link", name="Quality of plans").click()
    page.get_by_label("No, return it to the officer").check()
    page.get_by_label("Comment for the officer").fill("Add the audit figures for the month.")
    page.get_by_role("button", name="Save decision").click()

    page.goto(f"/dashboards/authorities/{authority.pk}/")
    row = page.get_by_role("table", name="Current areas for improvement and their RAG").get_by_role(
        "row", name="Quality of plans"
    )
    expect(row).to_contain_text("Returned to the officer")
    expect(row).to_contain_text("returned today")
    expect(row).to_contain_text("No update reported")  # a returned update is not reported
    expect(page.get_by_text("1 updates returned to the officer")).to_be_visible()
    expect(page.get_by_text("0 updates waiting for approval")).to_be_visible()
    assert_accessible(page)

    page.goto("/dashboards/?sort=-returned")
    expect(page.get_by_role("row", name="North Somerset")).to_contain_text("1")
    expect(page.get_by_role("columnheader", name="Returned to officers")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert_accessible(page)

    page.goto(f"/authorities/{authority.pk}/")
    expect(page.get_by_text("Returned to the officer").first).to_be_visible()
    assert_accessible(page)

    sign_in_browser(page, waiting["officer"])
    page.goto("/plans/")
    mine = page.get_by_role("row", name="Quality of plans")
    expect(mine).to_contain_text("Returned to the officer")
    mine.get_by_role("link", name="Continue").click()
    expect(page.get_by_text("Add the audit figures for the month.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_dashboard_as_at_an_earlier_date_works_without_javascript(
    page, sign_in_browser, waiting
):
    authority = waiting["authority"]
    sign_in_browser(page, waiting["manager"])
    page.goto(f"/dashboards/authorities/{authority.pk}/")
    page.get_by_text("Show the dashboard as at an earlier date").click()
    page.get_by_role("textbox", name="Day").fill("31")
    page.get_by_role("textbox", name="Month").fill("3")
    page.get_by_role("textbox", name="Year").fill("2024")
    page.get_by_role("button", name="Show the dashboard as at this date").click()
    assert page.url.endswith("?as_at=2024-03-31")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North Somerset: dashboard as at 31 March 2024"
    )
    # Nothing was recorded by then: the update submitted last month is not in this picture.
    expect(page.get_by_text("0 updates waiting for approval")).to_be_visible()
    page.get_by_role("link", name="Show today's picture").click()
    expect(page.get_by_text("1 updates waiting for approval")).to_be_visible()


def test_the_dashboard_as_at_an_earlier_date_has_no_violations(page, sign_in_browser, waiting):
    # axe runs in the page, so with JavaScript (the test above shows the page works without).
    sign_in_browser(page, waiting["manager"])
    page.goto(f"/dashboards/authorities/{waiting['authority'].pk}/?as_at=2024-03-31")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North Somerset: dashboard as at 31 March 2024"
    )
    assert_accessible(page)


def test_a_date_in_the_future_is_refused_with_an_error(page, sign_in_browser, waiting):
    authority = waiting["authority"]
    sign_in_browser(page, waiting["manager"])
    next_year = timezone.localdate().year + 1
    page.goto(f"/dashboards/authorities/{authority.pk}/?as_at={next_year}-01-01")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date to show the dashboard as at must be today or in the past"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)

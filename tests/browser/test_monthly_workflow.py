"""An officer logs and submits a monthly update; a manager approves it. Every page visited has
zero axe violations (WCAG 2.2 A/AA), error states included; the same journey works without
JavaScript."""

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from improvement_plans.models import ProgressUpdate
from tests.browser.axe import assert_accessible
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    UserFactory,
)


@pytest.fixture
def people():
    authority = LocalAuthorityFactory(name="North Somerset")
    officer = UserFactory(username="officer", first_name="Olive", last_name="Officer")
    manager = UserFactory(username="manager", first_name="Mona", last_name="Manager")
    MembershipFactory(user=officer, authority=authority, role=Role.OFFICER)
    MembershipFactory(user=manager, authority=authority, role=Role.MANAGER)
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    area = FindingFactory(
        inspection=inspection, lead=officer, title="The quality of plans for children in need"
    )
    ActionFactory(area_for_improvement=area, description="Audit plans every month")
    return officer, manager, area


def _my_row(page: Page, area):
    return page.get_by_role("table", name="Areas for improvement you lead").get_by_role(
        "row", name=area.title
    )


def _visit(page: Page, check: bool) -> None:
    if check:
        assert_accessible(page)


def _officer_logs_and_submits(page: Page, sign_in_browser, officer, area, *, check: bool):
    sign_in_browser(page, officer)
    page.goto("/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My updates")
    expect(_my_row(page, area)).to_contain_text("Not started")
    # Published in 2023 and nothing reported since: last month's update is overdue.
    expect(_my_row(page, area)).to_contain_text("Overdue")
    _visit(page, check)

    page.get_by_role("link", name=f"Log update on {area.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a monthly update")
    expect(page.get_by_text("Off track: the work has stalled")).to_be_visible()  # RAG hints
    _visit(page, check)

    # Submitting with nothing filled in: GOV.UK errors, nothing saved.
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a RAG rating")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what was done this month")
    assert page.title().startswith("Error: ")
    _visit(page, check)

    page.get_by_label("Amber").check()
    page.get_by_label("What was done this month").fill("Audited 20 plans with team managers.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Update for")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft update")
    _visit(page, check)

    # Come back to the draft later, add the impact and submit it.
    page.goto("/plans/")
    expect(_my_row(page, area)).to_contain_text("Draft")
    page.get_by_role("link", name=f"Continue the update on {area.title}").click()
    expect(page.get_by_label("What was done this month")).to_have_value(
        "Audited 20 plans with team managers."
    )
    page.get_by_label("Impact seen").fill("Plans now say who does what by when.")
    _visit(page, check)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted for review")
    expect(_my_row(page, area)).to_contain_text("Waiting for approval")
    _visit(page, check)


def _manager_approves(page: Page, sign_in_browser, manager, area, *, check: bool):
    page.context.clear_cookies()
    sign_in_browser(page, manager)
    page.goto("/plans/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Updates to review")
    _visit(page, check)
    page.get_by_role("link", name=area.title).click()
    expect(page.get_by_text("Plans now say who does what by when.")).to_be_visible()
    _visit(page, check)

    # Returning without a comment is refused with a clear error.
    page.get_by_label("No, return it to the officer").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a comment saying what the officer needs to change"
    )
    _visit(page, check)

    page.get_by_label("Yes, approve it").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("approved")
    expect(page.get_by_text("No update is waiting for your review")).to_be_visible()
    _visit(page, check)

    # The area page shows the approved update in its timeline, and the history who did what.
    page.goto(f"/plans/areas/{area.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(area.title)
    expect(page.get_by_text("Approved by Mona Manager")).to_be_visible()
    _visit(page, check)
    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of changes")
    expect(page.get_by_role("cell", name="Mona Manager").first).to_be_visible()
    _visit(page, check)


def test_an_officer_submits_and_a_manager_approves_with_no_accessibility_violations(
    page, sign_in_browser, people
):
    officer, manager, area = people
    _officer_logs_and_submits(page, sign_in_browser, officer, area, check=True)
    _manager_approves(page, sign_in_browser, manager, area, check=True)
    update = ProgressUpdate.objects.get(area_for_improvement=area)
    assert (update.status, update.author, update.reviewed_by) == ("approved", officer, manager)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_monthly_workflow_works_without_javascript(page, sign_in_browser, people):
    officer, manager, area = people
    _officer_logs_and_submits(page, sign_in_browser, officer, area, check=False)
    _manager_approves(page, sign_in_browser, manager, area, check=False)
    assert ProgressUpdate.objects.get(area_for_improvement=area).status == "approved"

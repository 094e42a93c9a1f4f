"""Each role's home and the review's context in a real browser (issue 14): what the page says
first, and zero axe violations (WCAG 2.2 A/AA)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Role
from core.months import month_start, previous_month
from improvement_plans.models import Rag, UpdateStatus
from tests.browser.axe import assert_accessible
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
)


@pytest.fixture
def world():
    """North Somerset: an officer's update returned, a draft, one waiting with its rating swung
    from Green to Red, and an area nobody has reported on (overdue)."""
    authority = LocalAuthorityFactory(name="North Somerset", region="South West")
    LocalAuthorityFactory(name="Gateshead", region="North East")
    people = {}
    for username, first, last, role in (
        ("officer", "Olu", "Officer", Role.OFFICER),
        ("manager", "Mina", "Manager", Role.MANAGER),
        ("viewer", "Vic", "Viewer", Role.VIEWER),
    ):
        people[username] = UserFactory(username=username, first_name=first, last_name=last)
        Membership.objects.create(user=people[username], authority=authority, role=role)
    people["admin"] = UserFactory(username="admin", is_staff=True, is_superuser=True)
    officer, manager = people["officer"], people["manager"]
    inspection = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    month = month_start(timezone.localdate())
    returned = FindingFactory(inspection=inspection, title="Quality of plans", lead=officer)
    draft = FindingFactory(inspection=inspection, title="Supervision", lead=officer)
    swung = FindingFactory(inspection=inspection, title="Care leavers' health", lead=officer)
    FindingFactory(inspection=inspection, title="Private fostering", lead=officer)
    for area in (returned, draft, swung):
        earlier = month
        for rag in (Rag.GREEN, Rag.AMBER, Rag.GREEN):
            earlier = previous_month(earlier)
            ProgressUpdateFactory(
                area_for_improvement=area,
                month=earlier,
                rag=rag,
                status=UpdateStatus.APPROVED,
                author=officer,
            )
    ProgressUpdateFactory(
        area_for_improvement=returned,
        month=month,
        author=officer,
        status=UpdateStatus.RETURNED,
        reviewed_by=manager,
        reviewed_at=timezone.now(),
        review_comment="Add the audit figures.",
    )
    ProgressUpdateFactory(
        area_for_improvement=draft, month=month, author=officer, status=UpdateStatus.DRAFT
    )
    waiting = ProgressUpdateFactory(
        area_for_improvement=swung,
        month=month,
        rag=Rag.RED,
        author=officer,
        submitted_by=officer,
        submitted_at=timezone.now(),
        status=UpdateStatus.SUBMITTED,
    )
    return {**people, "waiting": waiting}


def test_an_officers_home(page, sign_in_browser, world):
    sign_in_browser(page, world["officer"])
    page.goto("/")
    table = page.get_by_role("table", name="The areas for improvement you lead")
    rows = table.get_by_role("row")
    expect(rows.nth(1)).to_contain_text("Quality of plans")
    expect(rows.nth(1)).to_contain_text("Returned to the officer")
    expect(table).to_contain_text("Private fostering")
    expect(table).to_contain_text("overdue by")
    expect(table).to_contain_text("Supervision")
    assert_accessible(page)


def test_a_managers_home(page, sign_in_browser, world):
    sign_in_browser(page, world["manager"])
    page.goto("/")
    expect(page.get_by_role("heading", name="Waiting for your review (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Back with officers (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Overdue (1)")).to_be_visible()
    expect(page.get_by_text("Led by Olu Officer").first).to_be_visible()
    assert_accessible(page)


def test_a_viewers_home(page, sign_in_browser, world):
    sign_in_browser(page, world["viewer"])
    page.goto("/")
    row = page.get_by_role("row", name="North Somerset")
    expect(row).to_contain_text("Red 1")
    expect(row).to_contain_text("Green 2")
    assert_accessible(page)


def test_an_administrators_home(page, sign_in_browser, world):
    sign_in_browser(page, world["admin"])
    page.goto("/")
    page.get_by_label("Search by name").fill("gate")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("row", name="Gateshead")).to_be_visible()
    expect(page.get_by_role("row", name="North Somerset")).to_have_count(0)
    assert_accessible(page)


def test_the_review_shows_the_months_before_and_the_change(page, sign_in_browser, world):
    sign_in_browser(page, world["manager"])
    page.goto(f"/plans/updates/{world['waiting'].pk}/review/")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "The rating has changed: Green before, Red in this update."
    )
    expect(page.get_by_text("changed from Green")).to_be_visible()
    assert_accessible(page)

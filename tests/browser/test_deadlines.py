"""Recording a met deadline in a real browser: from the dashboard's "Record as met" link, through
the GOV.UK date form (with its error), back to the dashboard saying "Met on …"; axe-clean."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.factories import (
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    UserFactory,
    judgement_area,
)

D = datetime.date


@pytest.fixture
def inspected_authority():
    authority = LocalAuthorityFactory(name="North Somerset")
    # The latest graded inspection, published a few weeks ago: both its deadlines are current.
    started = datetime.date.today() - datetime.timedelta(days=90)
    inspection = InspectionFactory(
        authority=authority,
        start_date=started,
        end_date=started + datetime.timedelta(days=11),
        published_date=started + datetime.timedelta(days=40),
    )
    JudgementFactory(
        inspection=inspection,
        area=judgement_area(inspection, "impact_of_leaders"),  # ILACS-2026 has no overall judgement
        grade="requires_improvement",
    )
    ImprovementPlanFactory(inspection=inspection)
    return authority, inspection


def test_a_manager_records_the_report_as_published_and_the_dashboard_says_met(
    page, sign_in_browser, inspected_authority
):
    authority, inspection = inspected_authority
    manager = UserFactory(username="manager")
    MembershipFactory(user=manager, authority=authority, role=Role.MANAGER)
    sign_in_browser(page, manager)

    page.goto(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))
    deadlines = page.locator(".govuk-summary-list__row", has_text="Publish the report")
    expect(deadlines).to_contain_text("Missed")
    assert_accessible(page)
    deadlines.get_by_role("link", name="Record as met").click()

    expect(page.get_by_role("heading", name="Deadlines", level=1)).to_be_visible()
    assert_accessible(page)
    published = page.get_by_role("group", name="Date the council published the report")
    # A date in the future is refused with a GOV.UK error.
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    published.get_by_label("Day").fill(str(tomorrow.day))
    published.get_by_label("Month").fill(str(tomorrow.month))
    published.get_by_label("Year").fill(str(tomorrow.year))
    page.locator("form", has=published).get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date the report was published must be today or in the past"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    met = inspection.start_date + datetime.timedelta(days=45)
    published = page.get_by_role("group", name="Date the council published the report")
    published.get_by_label("Day").fill(str(met.day))
    published.get_by_label("Month").fill(str(met.month))
    published.get_by_label("Year").fill(str(met.year))
    page.locator("form", has=published).get_by_role("button", name="Save").click()
    met_text = f"Met on {met.day} {met:%B %Y}"
    expect(page.locator(".govuk-notification-banner, .govuk-panel").first).to_contain_text(
        "recorded as met"
    )
    expect(page.locator("#main-content")).to_contain_text(met_text)

    page.goto(reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}))
    row = page.locator(".govuk-summary-list__row", has_text="Publish the report")
    expect(row).to_contain_text(met_text)
    expect(row).not_to_contain_text("Missed")
    assert_accessible(page)

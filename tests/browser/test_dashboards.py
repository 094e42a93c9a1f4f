"""Both dashboards in a real browser, with their charts: zero axe violations (WCAG 2.2 A/AA),
charts exposed as named images, filters that work without JavaScript."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Membership, Role
from core.months import add_months
from improvement_plans.models import ActionStatus, Rag, UpdateStatus
from improvement_plans.rules import overdue_month
from tests.browser.axe import assert_accessible
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    ProgressUpdateFactory,
    UserFactory,
    judgement_area,
)


def _authority_with_history(name: str, region: str, officer) -> object:
    authority = LocalAuthorityFactory(name=name, region=region)
    due = overdue_month(timezone.localdate())
    for start, grades in (
        (datetime.date(2015, 9, 14), {"overall_effectiveness": "inadequate"}),
        (
            datetime.date(2019, 3, 4),
            {"overall_effectiveness": "requires_improvement", "impact_of_leaders": "good"},
        ),
        (
            datetime.date(2023, 3, 13),
            {"overall_effectiveness": "good", "impact_of_leaders": "good", "care_leavers": "good"},
        ),
    ):
        inspection = InspectionFactory(
            authority=authority,
            start_date=start,
            event_type="sif" if start.year < 2018 else "standard",
        )
        for code, grade in grades.items():
            JudgementFactory(
                inspection=inspection, area=judgement_area(inspection, code), grade=grade
            )
    for order, (title, rags) in enumerate(
        (
            ("Quality of plans", [Rag.RED, Rag.AMBER, Rag.GREEN]),
            ("Management oversight", [Rag.AMBER, Rag.RED, None]),
            ("Pathway plans for care leavers", [Rag.GREEN, Rag.COMPLETE, None]),
        ),
        start=1,
    ):
        finding = FindingFactory(inspection=inspection, title=title, order=order, lead=officer)
        for offset, rag in enumerate(rags):
            if rag:
                ProgressUpdateFactory(
                    area_for_improvement=finding,
                    month=add_months(due, offset - 2),
                    rag=rag,
                    status=UpdateStatus.APPROVED if offset < 2 else UpdateStatus.SUBMITTED,
                    author=officer,
                )
        ActionFactory(
            area_for_improvement=finding,
            description=f"Audit {title.lower()}",
            due_date=timezone.localdate() + datetime.timedelta(days=order * 12 - 20),
            status=ActionStatus.IN_PROGRESS,
        )
    return authority


@pytest.fixture
def regional_viewer():
    officer = UserFactory(username="officer")
    viewer = UserFactory(username="regional")
    for name, region in (("North Somerset", "South West"), ("Gateshead", "North East")):
        authority = _authority_with_history(name, region, officer)
        Membership.objects.create(user=viewer, authority=authority, role=Role.VIEWER)
        Membership.objects.create(user=officer, authority=authority, role=Role.OFFICER)
    return viewer


def test_the_authority_dashboard_with_its_charts_has_no_violations(
    page, sign_in_browser, regional_viewer
):
    sign_in_browser(page, regional_viewer)
    page.goto("/dashboards/")
    page.get_by_role("link", name="North Somerset", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North Somerset: dashboard")
    expect(page.get_by_role("img", name="North Somerset: headline grade at each")).to_be_visible()
    expect(
        page.get_by_role("img", name="North Somerset: RAG of each current area")
    ).to_be_attached()
    areas = page.get_by_role("table", name="Current areas for improvement and their RAG")
    expect(areas.get_by_role("row", name="Quality of plans")).to_contain_text("Green")
    page.get_by_text("Show the chart's data as a table").click()
    expect(page.get_by_role("region", name="RAG of each current area", exact=False)).to_be_visible()
    assert_accessible(page)


def test_the_portfolio_dashboard_with_its_chart_has_no_violations(
    page, sign_in_browser, regional_viewer
):
    sign_in_browser(page, regional_viewer)
    page.goto("/")
    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    expect(
        page.get_by_role("img", name="Latest headline grade of the authorities shown, by region")
    ).to_be_visible()
    expect(page.get_by_role("row", name="Gateshead")).to_contain_text("Good")
    assert_accessible(page)


def test_a_filter_error_on_the_portfolio_has_no_violations(page, sign_in_browser, regional_viewer):
    sign_in_browser(page, regional_viewer)
    page.goto("/dashboards/?region=Atlantis")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a region from the list")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_filters_and_sorting_work_without_javascript_and_stay_in_the_url(
    page, sign_in_browser, regional_viewer
):
    sign_in_browser(page, regional_viewer)
    page.goto("/dashboards/")
    page.get_by_label("Region", exact=True).select_option("North East")
    page.get_by_role("button", name="Apply filters").click()
    assert "region=North+East" in page.url
    expect(page.get_by_role("row", name="Gateshead")).to_be_visible()
    expect(page.get_by_role("row", name="North Somerset")).to_have_count(0)
    page.get_by_role("link", name="Red areas").click()
    assert "region=North+East" in page.url and "sort=-red" in page.url
    expect(page.get_by_role("columnheader", name="Red areas")).to_have_attribute(
        "aria-sort", "descending"
    )

"""The comparison pages in a real browser: an authority beside its statistical neighbours and who
improved, read by someone with no role in the authority (what Ofsted published is everyone's),
with zero axe violations (WCAG 2.2 A/AA) and working without JavaScript."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role, StatisticalNeighbour
from tests.browser.axe import assert_accessible
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    UserFactory,
    judgement_area,
)

D = datetime.date


def _graded(authority, start, grades, event_type=None):
    inspection = InspectionFactory(
        authority=authority,
        start_date=start,
        event_type=event_type or ("sif" if start.year < 2018 else "standard"),
    )
    for code, grade in grades.items():
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)
    return inspection


@pytest.fixture
def neighbours_reader():
    """North Somerset with two neighbours, one of which got out of inadequate; the reader has a
    role only in a third authority."""
    own = LocalAuthorityFactory(name="North Somerset", region="South West")
    _graded(own, D(2016, 5, 9), {"overall_effectiveness": "requires_improvement"})
    _graded(
        own,
        D(2023, 3, 13),
        {
            "overall_effectiveness": "requires_improvement",
            "impact_of_leaders": "good",
            "help_and_protection": "requires_improvement",
            "children_in_care": "good",
            "care_leavers": "requires_improvement",
        },
    )
    climber = LocalAuthorityFactory(name="Bath and North East Somerset", region="South West")
    _graded(climber, D(2015, 1, 12), {"overall_effectiveness": "inadequate"})
    _graded(
        climber,
        D(2019, 6, 3),
        {"overall_effectiveness": "good", "children_in_care_and_care_leavers": "good"},
    )
    steady = LocalAuthorityFactory(name="Somerset", region="South West")
    _graded(steady, D(2022, 11, 7), {"overall_effectiveness": "outstanding"}, "short")
    for rank, neighbour in enumerate((climber, steady), start=1):
        StatisticalNeighbour.objects.create(authority=own, neighbour=neighbour, rank=rank)
    reader = UserFactory(username="elsewhere")
    Membership.objects.create(
        user=reader, authority=LocalAuthorityFactory(name="Gateshead"), role=Role.OFFICER
    )
    return reader, own


def test_the_benchmark_page_with_its_charts_has_no_violations(
    page, sign_in_browser, neighbours_reader
):
    reader, own = neighbours_reader
    sign_in_browser(page, reader)
    page.goto(f"/authorities/{own.pk}/")
    page.get_by_role("link", name="Compare with councils like North Somerset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "North Somerset compared with councils like it"
    )
    latest = page.get_by_role("table", name="North Somerset and its statistical neighbours")
    expect(latest.get_by_role("row", name="Somerset", exact=False).last).to_contain_text(
        "Outstanding"
    )
    expect(
        page.get_by_role("img", name="Bath and North East Somerset: overall effectiveness")
    ).to_be_visible()
    expect(page.get_by_role("img", name="England, 4 authorities")).to_be_visible()
    assert_accessible(page)


def test_who_improved_has_no_violations(page, sign_in_browser, neighbours_reader):
    reader, own = neighbours_reader
    sign_in_browser(page, reader)
    page.goto(f"/dashboards/authorities/{own.pk}/improved/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who improved")
    moves = page.locator("#neighbours + div")
    expect(moves).to_contain_text("Inadequate to Good")
    expect(moves).to_contain_text("4 years and 4 months")
    assert_accessible(page)


# Without JavaScript axe cannot run in the page: the same page is checked with it above.
@pytest.mark.browser_context_args(java_script_enabled=False)
def test_choosing_a_judgement_works_without_javascript(page, sign_in_browser, neighbours_reader):
    reader, own = neighbours_reader
    sign_in_browser(page, reader)
    page.goto(f"/dashboards/authorities/{own.pk}/improved/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who improved")
    page.get_by_label("Judgement").select_option("Care leavers")
    page.get_by_role("button", name="Show").click()
    assert "judgement=care_leavers" in page.url
    expect(page.get_by_text("Care leavers: 0 moves")).to_be_visible()


def test_a_judgement_not_in_the_list_is_an_accessible_error(
    page, sign_in_browser, neighbours_reader
):
    reader, own = neighbours_reader
    sign_in_browser(page, reader)
    page.goto(f"/dashboards/authorities/{own.pk}/improved/?judgement=nonsense")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a judgement from the list")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_the_themes_page_has_no_violations(page, sign_in_browser, neighbours_reader):
    reader, own = neighbours_reader
    earlier, later = own.inspections.order_by("start_date")
    FindingFactory(
        inspection=earlier, text="The effectiveness of management oversight and supervision."
    )
    FindingFactory(inspection=later, text="The timeliness and quality of assessments.")
    sign_in_browser(page, reader)
    page.goto(f"/authorities/{own.pk}/")
    page.get_by_role("link", name="what Ofsted asks of councils like it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What Ofsted asks of councils like North Somerset"
    )
    page.get_by_label("Where a theme was raised").select_option(
        "Management oversight and supervision"
    )
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#cases + p + div")).to_contain_text("North Somerset")
    assert_accessible(page)

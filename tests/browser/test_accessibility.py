import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.factories import (
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    UserFactory,
)


def test_sign_in_page_has_no_accessibility_violations(page):
    page.goto("/accounts/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")
    assert_accessible(page)


def test_a_failed_sign_in_shows_an_accessible_error_summary(page):
    UserFactory(username="someone")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("someone")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_signing_in_through_the_form_reaches_a_home_page_without_violations(page):
    authority = LocalAuthorityFactory(name="North Somerset")
    user = UserFactory(username="officer")
    MembershipFactory(user=user, authority=authority)
    inspection = InspectionFactory(authority=authority)
    JudgementFactory(inspection=inspection, grade="requires_improvement")

    page.goto("/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    expect(page.get_by_role("row", name="North Somerset")).to_contain_text(
        "Requires improvement to be good"
    )
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_sign_in_and_out_work_without_javascript(page):
    UserFactory(username="officer")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")


def test_error_and_accessibility_pages_have_no_violations(page, sign_in_browser):
    sign_in_browser(page, UserFactory(username="officer"))
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    page.goto("/accessibility/")
    assert_accessible(page)


def test_the_api_tokens_pages_have_no_violations(page, sign_in_browser):
    sign_in_browser(page, UserFactory(username="officer"))
    page.goto("/accounts/api-tokens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert_accessible(page)
    page.get_by_role("link", name="Create a token").click()
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Power BI")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("ilacs_")
    expect(page.get_by_role("row", name="Power BI")).to_contain_text("Works")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Power BI").click()
    expect(page.get_by_role("row", name="Power BI")).to_contain_text("Revoked")
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_download_links_and_api_tokens_work_without_javascript(page, sign_in_browser):
    authority = LocalAuthorityFactory(name="North Somerset")
    user = UserFactory(username="officer")
    MembershipFactory(user=user, authority=authority)
    JudgementFactory(inspection=InspectionFactory(authority=authority), grade="good")
    sign_in_browser(page, user)
    page.goto(f"/dashboards/authorities/{authority.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as spreadsheet (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto("/accounts/api-tokens/new/")
    page.get_by_label("Name", exact=True).fill("Excel")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("ilacs_")

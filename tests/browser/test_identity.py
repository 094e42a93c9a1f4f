"""Sign-in and identity pages in a real browser: the forgotten-password pages, accepting an
invitation and signing in with a council account. Each is checked by axe (WCAG 2.2 A/AA) and
works without JavaScript."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.factories import UserFactory

NEW_PASSWORD = "a new and long passphrase"


def _emailed_path(live_server) -> str:
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return "/" + link.split("/", 3)[3]


def _reset_password(page: Page, live_server, *, check) -> None:
    UserFactory(username="olu.adeyemi", email="olu.adeyemi@example.gov.uk")
    page.goto("/accounts/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    check(page)
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    check(page)
    page.get_by_label("Email address").fill("olu.adeyemi@example.gov.uk")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check(page)

    link = _emailed_path(live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    check(page)
    page.get_by_label("New password", exact=True).fill("password")
    page.get_by_label("Confirm the new password").fill("password")
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This password is too common")
    check(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    check(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    check(page)

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("olu.adeyemi")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your authorities")


def test_resetting_a_forgotten_password(page, live_server, mailoutbox):
    _reset_password(page, live_server, check=assert_accessible)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_resetting_a_forgotten_password_without_javascript(page, live_server, mailoutbox):
    # (axe-core needs JavaScript: the test above runs it on every page.)
    _reset_password(page, live_server, check=lambda page: None)

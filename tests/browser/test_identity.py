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
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")


def test_resetting_a_forgotten_password(page, live_server, mailoutbox):
    _reset_password(page, live_server, check=assert_accessible)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_resetting_a_forgotten_password_without_javascript(page, live_server, mailoutbox):
    # (axe-core needs JavaScript: the test above runs it on every page.)
    _reset_password(page, live_server, check=lambda page: None)


def _invite_and_accept(page: Page, live_server, sign_in_browser, *, check) -> None:
    from accounts.models import Role
    from tests.factories import LocalAuthorityFactory, MembershipFactory

    authority = LocalAuthorityFactory(name="Bournemouth, Christchurch and Poole")
    manager = UserFactory(username="siobhan", first_name="Siobhan", last_name="O'Callaghan")
    MembershipFactory(user=manager, authority=authority, role=Role.MANAGER)
    sign_in_browser(page, manager)
    page.goto(f"/authorities/{authority.pk}/")
    page.get_by_role("link", name="People and roles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People and roles")
    check(page)
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their first name")
    check(page)
    page.get_by_label("First name").fill("Olu")
    page.get_by_label("Last name").fill("Adeyemi")
    page.get_by_label("Email address").fill("olu.adeyemi@bcpcouncil.gov.uk")
    page.get_by_label("Authority").select_option(label=authority.name)
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("main")).to_contain_text("Invitation sent to Olu Adeyemi")
    check(page)
    page.context.clear_cookies()

    page.goto(_emailed_path(live_server))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    check(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")
    expect(page.locator("main")).to_contain_text("Your password is set")
    check(page)
    page.get_by_label("Username").fill("olu.adeyemi@bcpcouncil.gov.uk")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    expect(page.locator("main")).to_contain_text(authority.name)


def test_a_manager_invites_someone_who_accepts(page, live_server, sign_in_browser, mailoutbox):
    _invite_and_accept(page, live_server, sign_in_browser, check=assert_accessible)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_inviting_and_accepting_without_javascript(page, live_server, sign_in_browser, mailoutbox):
    _invite_and_accept(page, live_server, sign_in_browser, check=lambda page: None)

"""Two-factor sign-in, the locked-out page and the database-outage page in a real browser: they
work without JavaScript and have no WCAG 2.2 A/AA violations."""

import base64
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory

PASSWORD = "correct horse battery staple"


def _code(secret: str, *, offset_steps: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def _sign_in(page, username):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_and_then_uses_two_factor_sign_in(page, settings):
    settings.REQUIRE_TWO_FACTOR = "managers"
    user = UserFactory(username="manager")
    MembershipFactory(user=user, authority=LocalAuthorityFactory(), role=Role.MANAGER)

    _sign_in(page, "manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code to add ILACS Tracker")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("details code").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "manager")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("12 34")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code must be 6 digits")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(_code(secret, offset_steps=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_two_factor_set_up_works_without_javascript(page, settings):
    # (axe-core needs JavaScript, so the accessibility checks are in the test above.)
    settings.REQUIRE_TWO_FACTOR = "all"
    UserFactory(username="officer")
    _sign_in(page, "officer")
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("details code").inner_text()
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")


def test_the_locked_out_page_is_accessible(page):
    UserFactory(username="officer")
    client = Client()
    for n in range(10):
        client.post(
            "/accounts/sign-in/",
            {"username": "officer", "password": f"wrong {n}"},
            REMOTE_ADDR="127.0.0.1",
        )
    _sign_in(page, "officer")  # the right password, from the same address
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in for now")
    assert_accessible(page)


def test_the_database_outage_page_is_accessible(page, sign_in_browser):
    user = UserFactory(username="officer")
    sign_in_browser(page, user)
    with mock.patch(
        "ilacs.views.home_for",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = page.goto("/")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
    assert_accessible(page)

"""A forgotten password: Django's reset by email, in GOV.UK pages. The answer never says whether
an address has an account; the link works once, for PASSWORD_RESET_TIMEOUT; setting a new
password ends every session signed in with the old one."""

import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW_PASSWORD = "a new and long passphrase"


def _link(email) -> str:
    (link,) = re.findall(r"https?://\S+", email.body)
    return link


def _path(link: str, settings) -> str:
    assert link.startswith(settings.SITE_URL)
    return link.removeprefix(settings.SITE_URL)


def test_the_sign_in_page_offers_a_reset(client):
    assert RESET in client.get(reverse("accounts:sign_in")).content.decode()


def test_a_known_address_gets_a_link_that_sets_a_new_password_once(
    client, officer, mailoutbox, settings
):
    settings.SITE_URL = "https://ilacs.example.gov.uk"
    response = client.post(RESET, {"email": "OFFICER@example.org"})  # any case
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_sent")
    (email,) = mailoutbox
    assert email.to == [officer.email]
    assert email.subject == "Set a new password for ILACS Tracker"
    assert "username: officer" in email.body
    link = _path(_link(email), settings)

    # The link takes its token out of the address, then shows the form.
    response = client.get(link)
    assert response.status_code == 302
    form_page = response["Location"]
    assert "set-password" in form_page
    page = client.get(form_page).content.decode()
    assert "Set a new password" in page

    response = client.post(
        form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()

    # Once used, the link no longer works.
    page = Client().get(link).content.decode()
    assert "This link does not work" in page


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, officer, mailoutbox):
    known = client.post(RESET, {"email": officer.email})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mailoutbox) == 1
    sent = client.get(known["Location"]).content.decode()
    assert "If the address you gave belongs to an account" in sent


def test_a_switched_off_account_gets_no_link(client, mailoutbox):
    UserFactory(username="left", email="left@example.org", is_active=False)
    response = client.post(RESET, {"email": "left@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_the_link_expires(client, officer, mailoutbox, settings):
    client.post(RESET, {"email": officer.email})
    link = _path(_link(mailoutbox[0]), settings)
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 1
    )
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later
    ):
        page = client.get(link)
    assert page.status_code == 200
    assert "This link does not work" in page.content.decode()


def test_a_weak_or_mismatched_password_gets_govuk_errors(client, officer, mailoutbox, settings):
    client.post(RESET, {"email": officer.email})
    form_page = client.get(_path(_link(mailoutbox[0]), settings))["Location"]
    page = client.post(
        form_page, {"new_password1": "password", "new_password2": "password"}
    ).content.decode()
    assert "This password is too common" in page
    assert "<title>Error: " in page
    page = client.post(
        form_page, {"new_password1": NEW_PASSWORD, "new_password2": "something else"}
    ).content.decode()
    assert "The passwords do not match" in page
    page = client.post(RESET, {"email": "not an address"}).content.decode()
    assert "Enter an email address in the correct format" in page


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(
    client, officer, mailoutbox, settings
):
    elsewhere = Client()
    elsewhere.force_login(officer)
    assert elsewhere.get(reverse("home")).status_code == 200
    client.post(RESET, {"email": officer.email})
    form_page = client.get(_path(_link(mailoutbox[0]), settings))["Location"]
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_asking_and_resetting_are_logged_without_the_address(
    client, officer, mailoutbox, settings, caplog
):
    caplog.set_level("INFO", logger="ilacs.security")
    client.post(RESET, {"email": officer.email})
    form_page = client.get(_path(_link(mailoutbox[0]), settings))["Location"]
    client.post(form_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    records = [r for r in caplog.records if r.name == "ilacs.security"]
    assert [(r.event, r.outcome) for r in records] == [
        ("password_reset", "asked"),
        ("password_reset", "success"),
    ]
    assert records[1].user_id == officer.pk
    assert all(officer.email not in str(r.__dict__) for r in records)

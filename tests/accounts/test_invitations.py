"""Invitations: on People and roles an administrator, or a senior manager for their own
authority, invites a person by name, email and role; the person gets an email with a one-time
link to set a password; the link expires; switching an account off ends its sessions."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role

pytestmark = pytest.mark.django_db

PASSWORD = "a long and new passphrase"


def _invite(client, authority, *, email="ada.lovelace@northsomerset.gov.uk", role=Role.OFFICER):
    return client.post(
        reverse("accounts:membership_create"),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": email,
            "authority": authority.pk,
            "role": role,
        },
    )


def _link_path(email, settings) -> str:
    (link,) = re.findall(r"https?://\S+/invitation/\S+", email.body)
    assert link.startswith(settings.SITE_URL)
    return link.removeprefix(settings.SITE_URL)


def _set_password(client, path):
    response = client.get(path)
    assert response.status_code == 302, "a working link takes its token out of the address"
    return client.post(response["Location"], {"new_password1": PASSWORD, "new_password2": PASSWORD})


def test_a_manager_invites_someone_who_sets_their_password_once(
    client, manager, authority, mailoutbox, settings
):
    settings.SITE_URL = "https://ilacs.example.gov.uk"
    client.force_login(manager)
    response = _invite(client, authority)
    assert response.status_code == 302
    person = get_user_model().objects.get(email="ada.lovelace@northsomerset.gov.uk")
    assert (person.username, person.get_full_name()) == (
        "ada.lovelace@northsomerset.gov.uk",
        "Ada Lovelace",
    )
    assert not person.has_usable_password()
    membership = Membership.objects.get(user=person)
    assert (membership.authority, membership.role) == (authority, Role.OFFICER)
    assert membership.history.get().history_user == manager
    page = client.get(reverse("accounts:membership_list")).content.decode()
    assert "Invitation sent to Ada Lovelace" in page and "Invited</strong>" in page

    (email,) = mailoutbox
    assert email.to == ["ada.lovelace@northsomerset.gov.uk"]
    assert email.subject == "You are invited to use ILACS Tracker"
    assert "as officer of North Somerset" in email.body
    assert "Your username is ada.lovelace@northsomerset.gov.uk" in email.body
    path = _link_path(email, settings)

    invited = Client()
    response = _set_password(invited, path)
    assert response["Location"] == reverse("accounts:sign_in")
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    # Signing in as the password says: no role from anywhere but the app.
    response = invited.post(
        reverse("accounts:sign_in"),
        {"username": "ada.lovelace@northsomerset.gov.uk", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert authority.name in invited.get(reverse("home")).content.decode()

    # The link worked once.
    page = Client().get(path).content.decode()
    assert "This invitation does not work" in page


def test_the_invitation_expires(client, administrator, authority, mailoutbox, settings):
    client.force_login(administrator)
    _invite(client, authority)
    path = _link_path(mailoutbox[0], settings)
    later = datetime.datetime.now() + datetime.timedelta(days=settings.INVITATION_DAYS, seconds=1)
    with mock.patch("accounts.tokens.InvitationTokenGenerator._now", return_value=later):
        page = Client().get(path)
    assert page.status_code == 200
    assert "This invitation does not work" in page.content.decode()
    # It is not a password reset link either, nor a reset link an invitation.
    reset = path.replace("/invitation/", "/password-reset/")
    assert "This link does not work" in Client().get(reset).content.decode()


def test_the_invitation_outlives_a_password_reset_link(
    client, administrator, authority, mailoutbox, settings
):
    client.force_login(administrator)
    _invite(client, authority)
    path = _link_path(mailoutbox[0], settings)
    later = datetime.datetime.now() + datetime.timedelta(days=settings.INVITATION_DAYS - 1)
    with mock.patch("accounts.tokens.InvitationTokenGenerator._now", return_value=later):
        response = Client().get(path)
    assert response.status_code == 302


def test_the_invitation_can_be_sent_again_until_accepted(
    client, manager, authority, mailoutbox, settings
):
    client.force_login(manager)
    _invite(client, authority)
    membership = Membership.objects.get(user__email="ada.lovelace@northsomerset.gov.uk")
    edit = reverse("accounts:membership_edit", kwargs={"membership_pk": membership.pk})
    assert "Send the invitation again" in client.get(edit).content.decode()
    again = reverse("accounts:invitation_resend", kwargs={"membership_pk": membership.pk})
    assert client.post(again)["Location"] == edit
    assert len(mailoutbox) == 2
    _set_password(Client(), _link_path(mailoutbox[1], settings))
    assert "Send the invitation again" not in client.get(edit).content.decode()


def test_an_invitation_that_could_not_be_sent_says_so(client, manager, authority):
    client.force_login(manager)
    with mock.patch("accounts.services.send_mail", side_effect=ConnectionRefusedError):
        response = _invite(client, authority)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "the invitation email could not be sent" in page
    assert Membership.objects.filter(user__email="ada.lovelace@northsomerset.gov.uk").exists()


def test_switching_an_account_off_ends_its_sessions_and_its_invitation(
    client, administrator, officer, authority, mailoutbox, settings
):
    elsewhere = Client()
    elsewhere.force_login(officer)
    assert elsewhere.get(reverse("home")).status_code == 200
    client.force_login(administrator)
    _invite(client, authority)
    invited = Membership.objects.get(user__email="ada.lovelace@northsomerset.gov.uk")
    for membership in (officer.memberships.get(), invited):
        url = reverse("accounts:person_active", kwargs={"membership_pk": membership.pk})
        assert "Switch off" in client.get(url).content.decode()
        assert client.post(url, {"active": "off"}).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign_in")
    )
    assert "This invitation does not work" in (
        Client().get(_link_path(mailoutbox[0], settings)).content.decode()
    )
    # And on again.
    url = reverse("accounts:person_active", kwargs={"membership_pk": officer.memberships.get().pk})
    client.post(url, {"active": "on"})
    officer.refresh_from_db()
    assert officer.is_active


def test_nobody_switches_off_their_own_account(client, administrator, authority):
    from tests.factories import MembershipFactory

    membership = MembershipFactory(user=administrator, authority=authority, role=Role.VIEWER)
    client.force_login(administrator)
    url = reverse("accounts:person_active", kwargs={"membership_pk": membership.pk})
    page = client.post(url, {"active": "off"}).content.decode()
    assert "You cannot switch off your own account" in page
    administrator.refresh_from_db()
    assert administrator.is_active


def test_an_email_used_by_two_accounts_or_a_switched_off_one_is_refused(
    client, administrator, authority
):
    from tests.factories import UserFactory

    UserFactory(username="twin.one", email="twin@example.org")
    UserFactory(username="twin.two", email="twin@example.org")
    UserFactory(username="gone", email="gone@example.org", is_active=False)
    client.force_login(administrator)
    page = _invite(client, authority, email="twin@example.org").content.decode()
    assert "More than one account has this email address" in page
    page = _invite(client, authority, email="gone@example.org").content.decode()
    assert "This person&#x27;s account is switched off" in page

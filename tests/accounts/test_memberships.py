"""Administrators manage who has which role in which authority, in the app."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Role
from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, email, authority, role, **names):
    return client.post(
        reverse("accounts:membership_create"),
        {
            "first_name": names.get("first_name", "Ada"),
            "last_name": names.get("last_name", "Lovelace"),
            "email": email,
            "authority": authority.pk,
            "role": role,
        },
    )


def test_an_administrator_gives_someone_with_an_account_a_role(
    client, administrator, authority, mailoutbox
):
    person = UserFactory(username="new.officer", email="new.officer@example.org")
    client.force_login(administrator)
    response = _invite(client, "New.Officer@example.org", authority, Role.OFFICER)
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    assert (membership.authority, membership.role) == (authority, Role.OFFICER)
    assert membership.history.first().history_user == administrator
    assert mailoutbox == []  # they have an account already: no invitation


def test_a_regional_viewer_has_a_viewer_role_in_many_authorities(client, administrator):
    adviser = UserFactory(username="adviser", email="adviser@example.org")
    authorities = [LocalAuthorityFactory() for _ in range(3)]
    client.force_login(administrator)
    for authority in authorities:
        _invite(client, "adviser@example.org", authority, Role.VIEWER)
    assert adviser.memberships.filter(role=Role.VIEWER).count() == 3


def test_a_second_role_and_a_bad_address_get_clear_errors(
    client, administrator, authority, officer
):
    client.force_login(administrator)
    page = _invite(client, "not an address", authority, Role.OFFICER).content.decode()
    assert "Enter an email address in the correct format" in page
    page = _invite(client, officer.email, authority, Role.MANAGER).content.decode()
    assert "This person already has a role in that authority" in page
    assert officer.memberships.get().role == Role.OFFICER


def test_changing_and_removing_a_role_is_recorded(client, administrator, officer):
    membership = officer.memberships.get()
    client.force_login(administrator)
    client.post(
        reverse("accounts:membership_edit", kwargs={"membership_pk": membership.pk}),
        {"role": Role.MANAGER, "version": membership.version},
    )
    membership.refresh_from_db()
    assert (membership.role, membership.version) == (Role.MANAGER, 2)
    client.post(
        reverse("accounts:membership_delete", kwargs={"membership_pk": membership.pk}),
        {"version": membership.version},
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    kinds = [
        (h.history_type, h.role, h.history_user)
        for h in Membership.history.filter(id=membership.pk).order_by("history_date")
    ]
    assert kinds[-2:] == [("~", Role.MANAGER, administrator), ("-", Role.MANAGER, administrator)]


def test_the_list_filters_by_authority_and_pages(client, administrator, authority, officer):
    other = LocalAuthorityFactory(name="Brent")
    MembershipFactory(user=UserFactory(username="brent.person"), authority=other)
    client.force_login(administrator)
    page = client.get(reverse("accounts:membership_list"), {"authority": other.pk}).content.decode()
    assert "brent.person" in page
    assert "officer</span>" not in page


def test_officers_and_viewers_cannot_manage_roles(client, officer, viewer):
    membership = officer.memberships.get()
    for person in (officer, viewer):
        client.force_login(person)
        assert client.get(reverse("accounts:membership_list")).status_code == 403
        assert client.get(reverse("accounts:membership_create")).status_code == 403
        response = client.post(
            reverse("accounts:membership_edit", kwargs={"membership_pk": membership.pk}),
            {"role": Role.MANAGER, "version": membership.version},
        )
        assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


def test_a_manager_manages_the_people_of_their_own_authority_only(
    client, manager, officer, authority, other_authority, outsider
):
    client.force_login(manager)
    page = client.get(reverse("accounts:membership_list")).content.decode()
    assert "officer" in page and "outsider" not in page
    # Only their own authority to invite into.
    form = client.get(reverse("accounts:membership_create")).content.decode()
    assert authority.name in form and other_authority.name not in form
    response = _invite(client, "someone@example.org", other_authority, Role.OFFICER)
    assert "Choose an authority from the list" in response.content.decode()
    membership = officer.memberships.get()
    response = client.post(
        reverse("accounts:membership_edit", kwargs={"membership_pk": membership.pk}),
        {"role": Role.VIEWER, "version": membership.version},
    )
    assert response.status_code == 302
    elsewhere = outsider.memberships.get()
    response = client.post(
        reverse("accounts:membership_edit", kwargs={"membership_pk": elsewhere.pk}),
        {"role": Role.VIEWER, "version": elsewhere.version},
    )
    assert response.status_code == 404
    # Switching accounts off is for administrators.
    url = reverse("accounts:person_active", kwargs={"membership_pk": membership.pk})
    assert client.get(url).status_code == 403


def test_a_second_role_change_made_on_a_stale_page_is_refused_showing_the_first(
    client, administrator, officer
):
    """Two administrators open the same person's role; the first makes them a manager, the
    second (still reading "officer") tries to make them a viewer: refused, shown the first's."""
    membership = officer.memberships.get()
    url = reverse("accounts:membership_edit", kwargs={"membership_pk": membership.pk})
    first = UserFactory(username="first.admin", first_name="Asha", last_name="Patel")
    first.is_superuser = True
    first.save()
    client.force_login(first)
    read_at = membership.version
    assert client.post(url, {"role": Role.MANAGER, "version": read_at}).status_code == 302

    client.force_login(administrator)
    response = client.post(url, {"role": Role.VIEWER, "version": read_at})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Asha Patel changed this at" in page
    assert "Their version" in page and "Senior manager" in page
    membership.refresh_from_db()
    assert (membership.role, membership.version) == (Role.MANAGER, 2)
    # Having read it, they can save again: the form now carries the version they were shown.
    assert f'name="version" value="{membership.version}"' in page
    assert client.post(url, {"role": Role.VIEWER, "version": 2}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_removing_a_role_changed_since_the_page_was_read_is_refused(client, administrator, officer):
    membership = officer.memberships.get()
    url = reverse("accounts:membership_delete", kwargs={"membership_pk": membership.pk})
    read_at = membership.version
    services.membership_change_role(
        membership=membership, role=Role.MANAGER, expected_version=read_at, by=administrator
    )
    client.force_login(administrator)
    response = client.post(url, {"version": read_at})
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert client.post(url, {"version": read_at + 1}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_people_page_runs_the_same_queries_for_a_manager_whatever_the_number(
    client, manager, authority
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:membership_list")).status_code == 200
        return len(captured.captured_queries)

    client.force_login(manager)
    small = count()
    for _ in range(60):
        MembershipFactory(authority=authority)
    # 1 session, 2 user, 3 may they manage anywhere, 4 the authorities they manage, 5 count,
    # 6 the page of roles with their people and authorities, 7-9 the session save.
    assert small == count() == 9

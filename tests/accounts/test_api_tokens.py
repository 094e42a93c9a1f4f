"""A person's API tokens page: make one (seen once, stored as a digest), list them, revoke one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.api_tokens import digest
from accounts.models import ApiToken
from tests.factories import api_token_for

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:api_tokens")
NEW = reverse("accounts:api_token_create")


def _form(name="Power BI", expires_on=None):
    day = expires_on or timezone.localdate() + datetime.timedelta(days=30)
    return {
        "name": name,
        "expires_on_0": day.day,
        "expires_on_1": day.month,
        "expires_on_2": day.year,
    }


def test_a_new_token_is_shown_once_and_only_its_digest_is_kept(client, viewer):
    client.force_login(viewer)
    response = client.post(NEW, _form())
    assert response.status_code == 302 and response["Location"] == LIST
    page = client.get(LIST).content.decode()
    token = ApiToken.objects.get(user=viewer)
    start = page.index('<code id="new-token">') + len('<code id="new-token">')
    secret = page[start : page.index("</code>", start)]
    assert secret.startswith("ilacs_") and len(secret) > 40
    assert token.digest == digest(secret)
    assert token.hint == secret[:10]
    assert "you will not see it again" in page
    # Shown once: the next visit lists it without the secret.
    again = client.get(LIST).content.decode()
    assert secret not in again
    assert "Power BI" in again and f"{token.hint}…" in again
    # The token works in the API.
    api = client.__class__(headers={"Authorization": f"Bearer {secret}"})
    assert api.get(reverse("api:authorities")).status_code == 200


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": ""}, "Enter a name for the token"),
        ({"name": "   "}, "Enter a name for the token"),
        ({"name": "x" * 101}, "The name must be 100 characters or fewer"),
        ({"expires_on_0": ""}, "The expiry date must include a day"),
        ({"expires_on_0": "", "expires_on_1": "", "expires_on_2": ""}, "Enter the expiry date"),
        (
            {"expires_on_1": "", "expires_on_2": ""},
            "The expiry date must include a month and a year",
        ),
        ({"expires_on_0": "31", "expires_on_1": "2"}, "The expiry date must be a real date"),
        (
            {"expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "2024"},
            "The expiry date must be today or in the future",
        ),
        (
            {"expires_on_2": str(timezone.localdate().year + 2)},
            "The expiry date must be no later than",
        ),
    ],
)
def test_a_bad_token_form_gets_a_clear_error_and_makes_nothing(client, viewer, data, error):
    client.force_login(viewer)
    response = client.post(NEW, {**_form(), **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    assert not ApiToken.objects.exists()


def test_two_working_tokens_cannot_share_a_name(client, viewer):
    api_token_for(viewer, name="Power BI")
    client.force_login(viewer)
    response = client.post(NEW, _form("Power BI"))
    assert "You already have a token with this name" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_a_person_sees_and_revokes_only_their_own_tokens(client, viewer, officer):
    api_token_for(viewer, name="Viewer token")
    theirs = ApiToken.objects.get(user=viewer)
    api_token_for(officer, name="Officer token")
    mine = ApiToken.objects.get(user=officer)
    client.force_login(officer)
    page = client.get(LIST).content.decode()
    assert "Officer token" in page and "Viewer token" not in page
    # Someone else's token: no such token (404), and it still works.
    assert client.post(LIST, {"revoke": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    for junk in ["", "abc", "1.5", "-1"]:
        assert client.post(LIST, {"revoke": junk}).status_code == 400
    assert client.post(LIST, {"revoke": "99999999999999999999999"}).status_code == 404
    response = client.post(LIST, {"revoke": mine.pk})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    page = client.get(LIST).content.decode()
    assert "Token “Officer token” revoked: it no longer works" in page
    assert "Revoked</strong>" in page


def test_the_footer_links_to_the_tokens_page(client, viewer):
    client.force_login(viewer)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()

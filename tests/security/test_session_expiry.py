"""A session ends after SESSION_IDLE_MINUTES (30) without a request; each request extends it."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_session_lasts_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_session_idle_for_longer_than_the_limit_is_signed_out(client, officer):
    start = timezone.now()
    with _at(start):
        client.post(
            reverse("accounts:sign_in"),
            {"username": "officer", "password": "correct horse battery staple"},
        )
    with _at(start + datetime.timedelta(minutes=31)):
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_activity_keeps_the_session_alive(client, officer):
    start = timezone.now()
    with _at(start):
        client.force_login(officer)
    # Every 25 minutes for two hours: never idle for 30 minutes, so never signed out.
    for step in range(1, 6):
        with _at(start + datetime.timedelta(minutes=25 * step)):
            assert client.get(HOME).status_code == 200
    with _at(start + datetime.timedelta(minutes=25 * 5 + 31)):
        assert client.get(HOME).status_code == 302

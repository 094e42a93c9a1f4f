"""While the database is unreachable, people get a GOV.UK "try again shortly" 503 page; the health
check says so. (scripts/loadtest.sh restarts a real PostgreSQL under load.)"""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client():
    # The test client re-raises view exceptions by default; a browser gets the handler's page.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_connection_gives_a_friendly_503(quiet_client, officer, error):
    quiet_client.force_login(officer)
    with mock.patch("ilacs.views.home_for", side_effect=error):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in html
    assert "Try again in 10 seconds" in html
    assert "server closed" not in html and "connection already closed" not in html


def test_a_database_failure_before_the_view_also_gives_the_503(quiet_client, officer):
    quiet_client.force_login(officer)
    # The session lookup itself fails, as it does while PostgreSQL restarts.
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 503


def test_a_session_that_cannot_be_saved_during_an_outage_gives_the_503(quiet_client, officer):
    quiet_client.force_login(officer)
    # The page rendered, then saving the session (every request) hit the outage: Django turns
    # that into SessionInterrupted, a 400, which would tell the person their request was bad.
    with mock.patch(
        "django.contrib.sessions.models.Session.save",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()


def test_a_session_deleted_mid_request_is_still_a_400(quiet_client, officer):
    from django.contrib.sessions.backends.base import UpdateError

    quiet_client.force_login(officer)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.save", side_effect=UpdateError
    ):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_any_other_error_is_still_a_500(quiet_client, officer):
    quiet_client.force_login(officer)
    with mock.patch(
        "ilacs.views.home_for",
        side_effect=ValueError("a bug"),
    ):
        response = quiet_client.get(reverse("home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_health_check_is_public_and_checks_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_reports_an_unreachable_database(client):
    with mock.patch(
        "ilacs.health.connection.cursor", side_effect=OperationalError("could not connect")
    ):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_a_nul_character_in_any_parameter_is_a_400_not_a_database_error(quiet_client, officer):
    quiet_client.force_login(officer)
    for response in (
        quiet_client.get(reverse("home"), {"q": "a\x00b"}),
        quiet_client.post(reverse("accounts:two_factor_verify"), {"code": "12\x0034"}),
        quiet_client.post(reverse("accounts:two_factor_verify"), {"co\x00de": "123456"}),
    ):
        assert response.status_code == 400
        assert "Sorry, there is a problem with your request" in response.content.decode()

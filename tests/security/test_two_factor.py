"""Two-factor sign-in with an authenticator app, and a deployment that requires it."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import SETUP_KEY_SESSION_KEY

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("home")
PASSWORD = "correct horse battery staple"


def _code(key_hex: str, *, offset_steps: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def _sign_in(client, username):
    return client.post(SIGN_IN, {"username": username, "password": PASSWORD})


def _set_up_app(client) -> str:
    """Goes through the set-up page as a person would; returns the secret their app holds."""
    page = client.get(SETUP)
    assert page.status_code == 200
    key = client.session[SETUP_KEY_SESSION_KEY]
    response = client.post(SETUP, {"code": _code(key)})
    assert response.status_code == 302
    return key


def test_without_a_requirement_a_password_is_enough(client, officer, settings):
    settings.REQUIRE_TWO_FACTOR = "none"
    assert _sign_in(client, "officer")["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_when_required_for_managers_a_manager_must_set_up_an_app_first(client, manager, settings):
    settings.REQUIRE_TWO_FACTOR = "managers"
    response = _sign_in(client, "manager")
    assert response["Location"] == SETUP
    # Every other page sends them back to the set-up until it is done.
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)

    page = client.get(SETUP).content.decode()
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="QR code to add ', page)
    assert "I cannot scan the QR code" in page

    wrong = client.post(
        SETUP,
        {
            "code": "000000"
            if _code(client.session[SETUP_KEY_SESSION_KEY]) != "000000"
            else "111111"
        },
    )
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=manager).exists()

    _set_up_app(client)
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert client.get(HOME).status_code == 200


def test_when_required_for_managers_an_officer_signs_in_with_a_password(client, officer, settings):
    settings.REQUIRE_TWO_FACTOR = "managers"
    assert _sign_in(client, "officer")["Location"] == HOME


def test_administrators_count_as_managers(client, administrator, settings):
    settings.REQUIRE_TWO_FACTOR = "managers"
    assert _sign_in(client, "administrator")["Location"] == SETUP


def test_when_required_for_all_an_officer_must_set_up_an_app(client, officer, settings):
    settings.REQUIRE_TWO_FACTOR = "all"
    assert _sign_in(client, "officer")["Location"] == SETUP


def test_with_an_app_set_up_the_code_is_needed_at_every_sign_in(client, officer, settings):
    settings.REQUIRE_TWO_FACTOR = "all"
    _sign_in(client, "officer")
    key = _set_up_app(client)
    client.post(reverse("accounts:sign_out"))

    response = client.post(
        f"{SIGN_IN}?next=/accessibility/",
        {"username": "officer", "password": PASSWORD, "next": "/accessibility/"},
    )
    assert response["Location"] == f"{VERIFY}?next=%2Faccessibility%2F"
    assert client.get(HOME)["Location"].startswith(VERIFY)
    assert client.get(SETUP)["Location"].startswith(VERIFY)  # no new app without the old one

    wrong = client.post(VERIFY, {"code": "12345a", "next": "/accessibility/"})
    assert "The code must be 6 digits" in wrong.content.decode()
    assert client.get(HOME).status_code == 302

    # The app's current code (from the next 30-second step: the last one was used to set up).
    response = client.post(VERIFY, {"code": _code(key, offset_steps=1), "next": "/accessibility/"})
    assert response["Location"] == "/accessibility/"
    assert client.get(HOME).status_code == 200


def test_someone_who_set_up_an_app_needs_it_even_when_nothing_is_required(
    client, officer, settings
):
    settings.REQUIRE_TWO_FACTOR = "none"
    _sign_in(client, "officer")
    key = _set_up_app(client)  # chose to, from the set-up page
    client.post(reverse("accounts:sign_out"))
    assert _sign_in(client, "officer")["Location"] == VERIFY
    response = client.post(VERIFY, {"code": _code(key, offset_steps=1)})
    assert response["Location"] == HOME


def test_a_used_code_cannot_be_replayed(client, officer, settings):
    _sign_in(client, "officer")
    key = _set_up_app(client)
    client.post(reverse("accounts:sign_out"))
    _sign_in(client, "officer")
    response = client.post(VERIFY, {"code": _code(key)})  # the code the set-up used
    assert response.status_code == 200
    assert "The code is not right or has expired" in response.content.decode()


def test_wrong_codes_are_throttled_and_logged(client, officer, caplog):
    _sign_in(client, "officer")
    key = _set_up_app(client)
    client.post(reverse("accounts:sign_out"))
    _sign_in(client, "officer")
    caplog.set_level("INFO", logger="ilacs.security")
    right = _code(key, offset_steps=1)
    wrong = "000000" if right != "000000" else "111111"
    client.post(VERIFY, {"code": wrong})
    # Straight after a wrong code even the right one waits (django-otp's growing delay).
    response = client.post(VERIFY, {"code": right})
    assert response.status_code == 200
    assert client.get(HOME).status_code == 302
    outcomes = [r.outcome for r in caplog.records if getattr(r, "event", "") == "two_factor"]
    assert outcomes == ["failure", "failure"]


def test_an_open_redirect_is_refused_after_the_code(client, officer):
    _sign_in(client, "officer")
    key = _set_up_app(client)
    client.post(reverse("accounts:sign_out"))
    _sign_in(client, "officer")
    response = client.post(
        VERIFY, {"code": _code(key, offset_steps=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == HOME

"""The rules single sign-on holds beyond the flow itself (tests/browser/test_single_sign_on.py
runs that against a real provider): which ID tokens are trusted, whose email address signs whom
in, and a deployment without passwords."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse

from accounts.sso import CouncilAccountBackend
from tests.factories import UserFactory
from tests.security.conftest import production_settings

pytestmark = pytest.mark.django_db

ISSUER, CLIENT_ID = "https://login.microsoftonline.com/tenant-id/v2.0", "ilacs-tracker"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def sso(settings):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/keys"
    settings.OIDC_RP_IDP_SIGN_KEY = KEY.public_key()
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.sso.CouncilAccountBackend",
    ]
    backend = CouncilAccountBackend()
    backend.request = RequestFactory().get("/accounts/sso/callback/")
    return backend


def _token(key=KEY, algorithm="RS256", **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "x",
        "iat": now,
        "exp": now + 300,
        "nonce": "n",
        "email": "olu@bcp.gov.uk",
        "email_verified": True,
    }
    payload.update(claims)
    return jwt.encode(payload, key, algorithm=algorithm)


def test_a_good_id_token_is_read(sso):
    assert sso.verify_token(_token(), nonce="n")["email"] == "olu@bcp.gov.uk"


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-app"},
        {"iss": "https://login.microsoftonline.com/another-tenant/v2.0"},
        {"exp": int(time.time()) - 60},
        {"nonce": "another"},
    ],
    ids=["another audience", "another issuer", "expired", "another nonce"],
)
def test_an_id_token_for_something_else_is_refused(sso, claims):
    with pytest.raises(SuspiciousOperation):
        sso.verify_token(_token(**claims), nonce="n")


def test_an_id_token_signed_otherwise_is_refused(sso):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SuspiciousOperation):
        sso.verify_token(_token(key=other), nonce="n")
    with pytest.raises(SuspiciousOperation):  # the client secret as an HMAC key
        sso.verify_token(
            _token(key="a-client-secret-long-enough-for-hs256!", algorithm="HS256"), nonce="n"
        )


def test_only_an_invited_active_account_with_a_verified_email_matches(sso):
    person = UserFactory(username="olu", email="Olu@BCP.gov.uk")
    claims = {"email": "olu@bcp.gov.uk", "email_verified": True}
    assert sso.verify_claims(claims)
    assert list(sso.filter_users_by_claims(claims)) == [person]
    # Entra ID: the email's domain verified by the tenant (the xms_edov optional claim).
    assert sso.verify_claims({"email": "olu@bcp.gov.uk", "xms_edov": True})
    assert not sso.verify_claims({"email": "olu@bcp.gov.uk", "email_verified": False})
    assert not sso.verify_claims({"email": "olu@bcp.gov.uk"})
    assert not sso.verify_claims({"email_verified": True})
    assert list(sso.filter_users_by_claims({"email": "someone@bcp.gov.uk"})) == []
    person.is_active = False
    person.save()
    assert list(sso.filter_users_by_claims(claims)) == []
    with pytest.raises(SuspiciousOperation):
        sso.create_user(claims)


def test_the_sign_in_page_offers_the_council_account_when_set_up(client, sso):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert "Sign in with your council account" in page
    assert "Or sign in with a password" in page


def test_without_single_sign_on_the_page_is_as_before(client):
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert "council account" not in page
    response = client.get(reverse("accounts:sso_start"))
    assert response["Location"] == reverse("accounts:sign_in")


def test_a_deployment_without_passwords(client, sso, settings, officer):
    settings.PASSWORD_SIGN_IN = False
    page = client.get(reverse("accounts:sign_in")).content.decode()
    assert "Sign in with your council account" in page
    assert 'name="password"' not in page and "Forgotten your password" not in page
    response = client.post(
        reverse("accounts:sign_in"),
        {"username": "officer", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:password_reset")).status_code == 404


def test_the_settings_refuse_half_a_configuration():
    with pytest.raises(ImproperlyConfigured, match="OIDC_ISSUER must be set"):
        production_settings(
            OIDC_CLIENT_ID="x",
            OIDC_CLIENT_SECRET="s",
            OIDC_AUTHORIZATION_ENDPOINT="https://p/a",
            OIDC_TOKEN_ENDPOINT="https://p/t",
            OIDC_JWKS_ENDPOINT="https://p/k",
        )
    with pytest.raises(ImproperlyConfigured, match="PASSWORD_SIGN_IN=false needs"):
        production_settings(PASSWORD_SIGN_IN="false")
    values = production_settings(
        OIDC_CLIENT_ID="x",
        OIDC_CLIENT_SECRET="s",
        OIDC_ISSUER="https://p",
        OIDC_AUTHORIZATION_ENDPOINT="https://p/a",
        OIDC_TOKEN_ENDPOINT="https://p/t",
        OIDC_JWKS_ENDPOINT="https://p/k",
        PASSWORD_SIGN_IN="false",
    )
    assert values["AUTHENTICATION_BACKENDS"] == [
        "accounts.backends.SignInProtectionBackend",
        "accounts.sso.CouncilAccountBackend",
    ]

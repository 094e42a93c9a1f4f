"""Single sign-on end to end, against a real OpenID Connect provider started here: panva's
oidc-provider (tests/oidc_provider/provider.mjs, installed by `make install`), run by Node.js.

Chromium goes from the sign-in page to the provider's own login and consent pages and back. The
provider requires PKCE of every client and signs ID tokens with a key made at its start, so a
sign-in here is the authorisation code flow with PKCE, a signed ID token and a nonce, for real.
An invited person is signed in with the role the app gave them; an uninvited email address is
refused; an ID token signed with another key, or carrying another nonce, signs nobody in.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory

PROVIDER = Path(__file__).resolve().parents[1] / "oidc_provider"
CLIENT_ID, CLIENT_SECRET = "ilacs-tracker", "a-test-only-client-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def provider(live_server) -> Iterator[str]:
    """The provider, listening on 127.0.0.1, with this app registered as a client whose
    redirect URI is the live server's callback. Yields its issuer URL."""
    node = shutil.which("node")
    if node is None or not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "Node.js and tests/oidc_provider/node_modules are needed: `make install` installs "
            "both (scripts/system-deps.sh, then npm ci in tests/oidc_provider)"
        )
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
        [
            node,
            str(PROVIDER / "provider.mjs"),
            str(port),
            CLIENT_ID,
            CLIENT_SECRET,
            f"{live_server.url}/accounts/sso/callback/",
        ],
        cwd=PROVIDER,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NODE_ENV": "test"},
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"The OpenID Connect provider did not start:\n{process.stdout.read()}"
                    )
                time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider) -> str:
    """The app configured as a deployment would be from its environment (README)."""
    discovery = requests.get(f"{provider}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.sso.CouncilAccountBackend",
    ]
    return provider


@pytest.fixture
def invited():
    """An officer of Bournemouth, Christchurch and Poole, invited with their council address
    (never signed in, no password), and a manager who has their own password too."""
    authority = LocalAuthorityFactory(name="Bournemouth, Christchurch and Poole")
    person = UserFactory(
        username="olu.adeyemi@bcpcouncil.gov.uk", email="Olu.Adeyemi@bcpcouncil.gov.uk"
    )
    person.set_unusable_password()
    person.save()
    MembershipFactory(user=person, authority=authority, role=Role.OFFICER)
    return person


def _sign_in_at_provider(page: Page, email: str) -> None:
    """The provider's own pages: its login form (any login is an account, by email), then
    consent to share the email address with the app."""
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    page.locator("button[type=submit]", has_text="Continue").click()


def test_an_invited_person_signs_in_with_their_council_account(page: Page, sso, invited):
    authorisation_requests = []
    page.on(
        "request",
        lambda r: authorisation_requests.append(r.url) if r.url.startswith(f"{sso}/auth") else None,
    )
    page.goto("/accounts/sign-in/")
    button = page.get_by_role("button", name="Sign in with your council account")
    expect(button).to_be_visible()
    assert_accessible(page)
    button.click()
    _sign_in_at_provider(page, "olu.adeyemi@BCPcouncil.gov.uk")

    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    expect(page.locator("main")).to_contain_text("Bournemouth, Christchurch and Poole")
    # With the role the app gave them: an officer logs updates, and does not review them.
    page.goto("/plans/review/")
    expect(page.locator("main")).to_contain_text("Your role does not include reviewing")
    assert invited.memberships.get().role == Role.OFFICER
    invited.refresh_from_db()
    assert invited.last_login is not None

    # The authorisation request was the code flow with PKCE (S256) and a nonce.
    query = parse_qs(urlsplit(authorisation_requests[0]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["nonce"][0] and query["state"][0]
    assert query["redirect_uri"][0].endswith("/accounts/sso/callback/")


def test_an_uninvited_email_address_is_refused(page: Page, sso, invited, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    _sign_in_at_provider(page, "stranger@bcpcouncil.gov.uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")
    expect(page.locator("main")).to_contain_text("You need an invitation")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")
    reasons = [r.reason for r in caplog.records if getattr(r, "event", "") == "single_sign_on"]
    assert "no invited account for this email address" in reasons


def test_a_switched_off_account_is_refused(page: Page, sso, invited):
    invited.is_active = False
    invited.save()
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    _sign_in_at_provider(page, invited.email)
    expect(page.locator("main")).to_contain_text("You need an invitation")


def test_an_id_token_signed_with_another_key_signs_nobody_in(
    page: Page, sso, invited, settings, caplog
):
    caplog.set_level("INFO", logger="ilacs.security")
    settings.OIDC_OP_JWKS_ENDPOINT = f"{sso}/other-jwks"  # same key id, another key
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    _sign_in_at_provider(page, invited.email)
    expect(page.locator("main")).to_contain_text("You could not be signed in")
    reasons = [r.reason for r in caplog.records if getattr(r, "event", "") == "single_sign_on"]
    assert any("Signature verification failed" in reason for reason in reasons), reasons


def test_an_id_token_with_another_nonce_signs_nobody_in(page: Page, sso, invited, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    states = []
    page.on(
        "request",
        lambda r: (
            states.append(parse_qs(urlsplit(r.url).query)["state"][0])
            if r.url.startswith(f"{sso}/auth?")
            else None
        ),
    )
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in with your council account").click()
    expect(page.locator("input[name=login]")).to_be_visible()
    # While the person is at the provider, the nonce the app keeps for this sign-in changes:
    # the ID token the provider then issues carries the nonce that was sent, not this one.
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    (state,) = states
    session["oidc_states"][state]["nonce"] = "not-the-nonce-sent"
    session.save()
    _sign_in_at_provider(page, invited.email)
    expect(page.locator("main")).to_contain_text("You could not be signed in")
    reasons = [r.reason for r in caplog.records if getattr(r, "event", "") == "single_sign_on"]
    assert "JWT Nonce verification failed." in reasons
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ILACS Tracker")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_single_sign_on_works_without_javascript(page: Page, sso, invited, settings):
    # A deployment that turned passwords off: the sign-in page offers only the council account.
    settings.PASSWORD_SIGN_IN = False
    page.goto("/accounts/sign-in/")
    expect(page.get_by_label("Password")).to_have_count(0)
    page.get_by_role("button", name="Sign in with your council account").click()
    _sign_in_at_provider(page, invited.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")

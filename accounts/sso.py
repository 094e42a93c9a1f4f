"""Single sign-on with the council's own identity provider: OpenID Connect (Microsoft Entra ID is
the documented example; Google or any compliant provider works), through mozilla-django-oidc.

The flow is the authorisation code flow with PKCE (S256) and a nonce; the ID token's signature
is checked against the provider's published keys, and so are its issuer, audience (this app's
client id) and expiry. What the app reads is the signed ID token's claims, never the userinfo
endpoint.

Who may sign in: a person whose account already exists, invited in the app (accounts.services.
person_invite), matched by an email address the provider vouches for (`email_verified`, or Entra
ID's `xms_edov` optional claim: the email's domain is verified by the tenant). Nobody is created
and nobody gets a role from the provider: roles stay in the app. A switched-off account is
refused.

Two-factor: the app's own second step (accounts.two_factor) is for password sign-ins. A sign-in
through the provider skips it: the provider does multi-factor authentication (Entra ID's
Conditional Access), so the council's policy applies in one place. The README says so.
"""

from __future__ import annotations

import logging

import jwt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import two_factor

security_log = logging.getLogger("ilacs.security")

BACKEND = "accounts.sso.CouncilAccountBackend"


def is_enabled() -> bool:
    """Whether the deployment signs people in through its provider (OIDC_CLIENT_ID is set)."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def _log(request, outcome: str, **extra) -> None:
    security_log.log(
        logging.INFO if outcome == "success" else logging.WARNING,
        "single sign-on %s",
        outcome,
        extra={
            "event": "single_sign_on",
            "outcome": outcome,
            "ip": two_factor.client_ip(request),
            **extra,
        },
    )


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in an invited person whose verified email address the provider's ID token gives."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as refused:
            # A bad signature, nonce, issuer, audience or algorithm: refused, never a 500.
            _log(request, "refused", reason=str(refused))
            return None

    def _verify_jws(self, payload, key):
        """The library checks the signature and expiry; this adds the issuer and the audience
        (an ID token issued to another client must not sign anyone in here)."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token signed with {algorithm!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The signed ID token's claims (checked above), not another request's answer.
        return payload

    def verify_claims(self, claims) -> bool:
        verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
        if not (claims.get("email") and verified):
            _log(self.request, "refused", reason="no verified email address in the ID token")
            return False
        return True

    def filter_users_by_claims(self, claims):
        users = get_user_model().objects.filter(email__iexact=claims["email"], is_active=True)
        if not users:
            _log(self.request, "refused", reason="no invited account for this email address")
        return users

    def create_user(self, claims):
        raise SuspiciousOperation("Accounts are created by invitation only")


class SignInStartView(OIDCAuthenticationRequestView):
    """Sends the person to their council's provider (with the state, nonce and PKCE challenge
    kept in their session)."""

    def get(self, request):
        if not is_enabled():
            messages.error(request, "Signing in with a council account is not set up here")
            return redirect("accounts:sign_in")
        return super().get(request)


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: signed in, or back to the sign-in page with
    what to do."""

    def login_failure(self):
        if self.request.GET.get("error"):
            _log(self.request, "refused", reason=f"provider: {self.request.GET['error']}")
        messages.error(
            self.request,
            "You could not be signed in with your council account. You need an invitation to "
            f"{settings.SERVICE_NAME} sent to the email address your council account has: ask "
            "your council's administrator or your senior manager.",
        )
        return redirect("accounts:sign_in")

    def login_success(self):
        response = super().login_success()
        # The provider did the second factor (the module's docstring).
        self.request.session.pop(two_factor.PENDING_SESSION_KEY, None)
        _log(self.request, "success", user_id=self.user.pk, username=self.user.get_username())
        return response


sign_in_start = SignInStartView.as_view()
sign_in_callback = SignInCallbackView.as_view()

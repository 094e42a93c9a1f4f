"""Two-factor sign-in with an authenticator app (TOTP, through django-otp).

After the right password, `SignInView` decides whether this sign-in still owes a second factor and
records it in the session (`PENDING_SESSION_KEY`):
- "verify": the person has set up an authenticator app, so they must enter its code;
- "setup": the deployment requires two-factor for them (REQUIRE_TWO_FACTOR) and they have not set
  it up, so they must do that now.
Until it is paid, `TwoFactorMiddleware` lets them reach only the two-factor pages, the sign-out
and the public pages. Nothing is queried per request: the middleware reads the session only.
The two-factor pages themselves are views in accounts.views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role

security_log = logging.getLogger("ilacs.security")

PENDING_SESSION_KEY = "two_factor_pending"
SETUP_KEY_SESSION_KEY = "two_factor_setup_key"
VERIFY, SETUP = "verify", "setup"

# Pages a person who still owes a second factor may reach.
_ALWAYS_ALLOWED = {"accounts:sign_out", "health", "accessibility"}
_ALLOWED_WHILE = {
    VERIFY: _ALWAYS_ALLOWED | {"accounts:two_factor_verify"},
    SETUP: _ALWAYS_ALLOWED | {"accounts:two_factor_setup"},
}


def client_ip(request: HttpRequest) -> str:
    """The address django-axes locks (it resolves proxies); REMOTE_ADDR otherwise."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")


def is_required_for(user) -> bool:
    """Whether the deployment's REQUIRE_TWO_FACTOR applies to this person. At most one query."""
    policy = settings.REQUIRE_TWO_FACTOR
    if policy == "all":
        return True
    if policy == "managers":
        return user.is_superuser or Membership.objects.filter(user=user, role=Role.MANAGER).exists()
    return False


def pending_step_after_password(user) -> str | None:
    """What this person still owes after the right password: VERIFY, SETUP or nothing."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if is_required_for(user):
        return SETUP
    return None


class TwoFactorMiddleware:
    """Keeps a person who has given their password but still owes a second factor on the
    two-factor pages. Must come after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        pending = request.session.get(PENDING_SESSION_KEY) if _has_session(request) else None
        if pending is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _ALLOWED_WHILE.get(pending, _ALWAYS_ALLOWED):
            return None
        target = "accounts:two_factor_verify" if pending == VERIFY else "accounts:two_factor_setup"
        return redirect(_with_next(reverse(target), request.get_full_path()))


def _has_session(request: HttpRequest) -> bool:
    # Only a request that sent a session cookie can owe anything: no session query otherwise.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session")


def _with_next(url: str, next_url: str) -> str:
    from urllib.parse import urlencode

    if not next_url or next_url == "/":
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)

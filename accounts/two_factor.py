"""Two-factor sign-in with an authenticator app (TOTP, through django-otp).

After the right password, `SignInView` decides whether this sign-in still owes a second factor and
records it in the session (`PENDING_SESSION_KEY`):
- "verify": the person has set up an authenticator app, so they must enter its code;
- "setup": the deployment requires two-factor for them (REQUIRE_TWO_FACTOR) and they have not set
  it up, so they must do that now.
Until it is paid, `TwoFactorMiddleware` lets them reach only the two-factor pages, the sign-out
and the public pages. Nothing is queried per request: the middleware reads the session only.
"""

from __future__ import annotations

import base64
import logging
import secrets
import time
from collections.abc import Callable

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from core.forms import GovukForm

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


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(settings.LOGIN_REDIRECT_URL)


class CodeForm(GovukForm):
    """The six-digit code an authenticator app shows."""

    submit_label = "Continue"
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for this service, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


def _finish(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)
    request.session.pop(SETUP_KEY_SESSION_KEY, None)
    return redirect(_safe_next(request))


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in for someone with an authenticator app."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["code"]):
                security_log.info(
                    "two-factor code accepted",
                    extra={
                        "event": "two_factor",
                        "outcome": "success",
                        "user_id": request.user.pk,
                        "ip": client_ip(request),
                    },
                )
                return _finish(request, device)
        security_log.warning(
            "two-factor code refused",
            extra={
                "event": "two_factor",
                "outcome": "failure",
                "user_id": request.user.pk,
                "ip": client_ip(request),
            },
        )
        form.add_error(
            "code",
            "The code is not right or has expired. Enter the code the app shows now. After "
            "several wrong codes you must wait longer before the next try.",
        )
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


def _setup_key(request: HttpRequest) -> str:
    """The secret being set up, kept in the (server-side) session until the first code proves the
    app has it."""
    key = request.session.get(SETUP_KEY_SESSION_KEY)
    if not key:
        key = secrets.token_hex(20)
        request.session[SETUP_KEY_SESSION_KEY] = key
    return key


def _qr_code_data_uri(url: str) -> str:
    """The QR code as a PNG data URI: no request for an image (the CSP allows img data:). PNG
    rather than SVG: axe-core's page scan never finishes on the QR code's SVG path."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=4)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then enter a code."""
    key = _setup_key(request)
    device = TOTPDevice(user=request.user, key=key, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(int(form.cleaned_data["code"]), tolerance=device.tolerance):
            device.confirmed = True
            device.last_t = totp.t()
            device.save()
            security_log.info(
                "two-factor set up",
                extra={
                    "event": "two_factor_setup",
                    "outcome": "success",
                    "user_id": request.user.pk,
                    "ip": client_ip(request),
                },
            )
            messages.success(request, "Two-factor sign-in is set up")
            return _finish(request, device)
        form.add_error(
            "code",
            "The code is not right. Check the app shows an entry for this service and enter the "
            "code it shows now",
        )
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "qr_code": _qr_code_data_uri(device.config_url),
            # Groups of four are easier to type into an app by hand.
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "required": request.session.get(PENDING_SESSION_KEY) == SETUP,
        },
    )

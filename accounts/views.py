"""Signing in and out, two-factor sign-in, and administrators' management of memberships."""

from __future__ import annotations

import base64
import datetime
import logging
import secrets
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import api_tokens as api_tokens_service
from accounts import services, sso, two_factor
from accounts.forms import (
    ApiTokenForm,
    CodeForm,
    InvitationForm,
    MembershipRemoveForm,
    MembershipRoleForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from accounts.models import Membership
from accounts.permissions import (
    Capability,
    authorities_where,
    get_for_user,
    is_administrator,
    require_somewhere,
)
from accounts.tokens import invitation_token_generator
from core.concurrency import their_version
from core.forms import add_validation_error, save_or_explain
from core.http import allow
from core.once import created, creates_once

security_log = logging.getLogger("ilacs.security")


class SignInView(auth_views.LoginView):
    """Username and password; then, if owed, the two-factor step (accounts.two_factor).

    django-axes refuses a locked-out username and address before the password is checked (its
    middleware shows templates/accounts/sign_in_locked.html). Every attempt is logged to
    "ilacs.security" with its outcome, the username given and the address.
    """

    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sign_in_options()}

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN:  # only the council's accounts sign in here
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        response = super().form_valid(form)  # signs in: a new session key
        pending = two_factor.pending_step_after_password(user)
        _log_sign_in(self.request, user.get_username(), "success", pending=pending)
        if pending is None:
            return response
        self.request.session[two_factor.PENDING_SESSION_KEY] = pending
        target = (
            "accounts:two_factor_verify"
            if pending == two_factor.VERIFY
            else ("accounts:two_factor_setup")
        )
        return redirect(two_factor._with_next(reverse(target), self.get_redirect_url()))

    def form_invalid(self, form):
        locked_out = getattr(self.request, "axes_locked_out", False)
        _log_sign_in(
            self.request,
            form.data.get("username", ""),
            "locked_out" if locked_out else "failure",
        )
        return super().form_invalid(form)


def sign_in_options() -> dict:
    """How people may sign in here: with their council account (single sign-on, accounts.sso),
    with a password, or both."""
    return {"sso_enabled": sso.is_enabled(), "password_sign_in": settings.PASSWORD_SIGN_IN}


def _log_sign_in(request, username, outcome: str, **extra) -> None:
    level = logging.INFO if outcome == "success" else logging.WARNING
    security_log.log(
        level,
        "sign-in %s",
        outcome,
        extra={
            "event": "sign_in",
            "outcome": outcome,
            # What was typed, cut short: a wrong "username" is sometimes a password.
            "username": str(username)[:150],
            "ip": two_factor.client_ip(request),
            **extra,
        },
    )


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


# ----- Forgotten passwords: Django's reset, in GOV.UK pages ------------------------------------


def email_context() -> dict:
    """What every email from accounts needs: links start with SITE_URL (an email has no page to
    be relative to, and the request's Host header is not trusted for it)."""
    return {
        "site_url": settings.SITE_URL,
        "service_name": settings.SERVICE_NAME,
        "reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }


class PasswordsOnlyMixin:
    """Pages about passwords: none where people sign in only with their council account."""

    needs_passwords = True

    def dispatch(self, request, *args, **kwargs):
        if self.needs_passwords and not settings.PASSWORD_SIGN_IN:
            raise Http404("Passwords are not used here")
        return super().dispatch(request, *args, **kwargs)


class ResetRequestView(PasswordsOnlyMixin, auth_views.PasswordResetView):
    """Asks for an email address and sends that account, if there is one, a link to set a new
    password. The answer is the same page whether or not the address has an account."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **email_context()}

    def form_valid(self, form):
        self.extra_email_context = email_context()
        security_log.info(
            "password reset asked for",
            extra={
                "event": "password_reset",
                "outcome": "asked",
                "ip": two_factor.client_ip(self.request),
            },
        )
        return super().form_valid(form)


class ResetConfirmView(PasswordsOnlyMixin, auth_views.PasswordResetConfirmView):
    """The link from the email: a new password, once. Django's view takes the token out of the
    address before showing the form (so no Referer carries it), and the token stops working once
    the password has changed; every session signed in with the old password ends."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    logged_as = ("password_reset", "success")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **email_context()}

    def form_valid(self, form):
        response = super().form_valid(form)
        event, outcome = self.logged_as
        security_log.info(
            f"{event} {outcome}",
            extra={
                "event": event,
                "outcome": outcome,
                "user_id": self.user.pk,
                "ip": two_factor.client_ip(self.request),
            },
        )
        return response


class InvitationView(ResetConfirmView):
    """The invitation's link: the person sets their password, once, within INVITATION_DAYS,
    then signs in (with two-factor if it is owed). A switched-off account's link does not work."""

    token_generator = invitation_token_generator
    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:sign_in")
    logged_as = ("invitation", "accepted")
    needs_passwords = False  # it offers the council's account too

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_SIGN_IN:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **sign_in_options(),
            "days": settings.INVITATION_DAYS,
            "invited": self.user,
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            f"Your password is set. Sign in with your username, {self.user.get_username()}, "
            "and your new password",
        )
        return response


password_reset = ResetRequestView.as_view()
invitation = InvitationView.as_view()


class ResetSentView(PasswordsOnlyMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class ResetCompleteView(PasswordsOnlyMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


password_reset_sent = ResetSentView.as_view()
password_reset_confirm = ResetConfirmView.as_view()
password_reset_complete = ResetCompleteView.as_view()


# ----- Two-factor sign-in (the rule and the middleware: accounts.two_factor) -----------------


def _finish(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session.pop(two_factor.PENDING_SESSION_KEY, None)
    request.session.pop(two_factor.SETUP_KEY_SESSION_KEY, None)
    return redirect(two_factor.safe_next(request))


@allow("GET", "POST")
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
                        "ip": two_factor.client_ip(request),
                    },
                )
                return _finish(request, device)
        security_log.warning(
            "two-factor code refused",
            extra={
                "event": "two_factor",
                "outcome": "failure",
                "user_id": request.user.pk,
                "ip": two_factor.client_ip(request),
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
    key = request.session.get(two_factor.SETUP_KEY_SESSION_KEY)
    if not key:
        key = secrets.token_hex(20)
        request.session[two_factor.SETUP_KEY_SESSION_KEY] = key
    return key


def _qr_code_data_uri(url: str) -> str:
    """The QR code as a PNG data URI: no request for an image (the CSP allows img data:). PNG
    rather than SVG: axe-core's page scan never finishes on the QR code's SVG path."""
    return segno.make(url, error="m").png_data_uri(scale=5, border=4)


@allow("GET", "POST")
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
                    "ip": two_factor.client_ip(request),
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
            "required": request.session.get(two_factor.PENDING_SESSION_KEY) == two_factor.SETUP,
        },
    )


# ----- People and roles: administrators, and senior managers for their own authorities --------


PAGE_SIZE = 50


def _membership(request: HttpRequest, membership_pk, capability=Capability.MANAGE) -> Membership:
    return get_for_user(
        Membership.objects.select_related("user", "authority"),
        request.user,
        capability=capability,
        pk=membership_pk,
    )


@allow("GET")
@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    """Everyone's roles in the authorities the user manages (every authority for an
    administrator), 50 a page, optionally for one authority. Queries: may the user manage
    anywhere (not for administrators), the authorities for the filter, the count, the page."""
    require_somewhere(request.user, Capability.MANAGE)
    authorities = list(authorities_where(request.user, Capability.MANAGE).only("pk", "name"))
    chosen = next((a for a in authorities if str(a.pk) == request.GET.get("authority")), None)
    memberships = Membership.objects.filter(
        authority__in=[chosen] if chosen else authorities
    ).select_related("user", "authority")
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/membership_list.html",
        {
            "page": page,
            "authorities": authorities,
            "chosen": chosen,
            "is_administrator": is_administrator(request.user),
        },
    )


@allow("GET", "POST")
@login_required
@creates_once
def membership_create(request: HttpRequest) -> HttpResponse:
    """Invite someone: a new person gets an account and an email with a one-time link; someone
    who already has an account (the same email address) gets the role."""
    require_somewhere(request.user, Capability.MANAGE)
    authorities = authorities_where(request.user, Capability.MANAGE)
    if request.method == "POST":
        form = InvitationForm(request.POST, authorities=authorities)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership, sent = services.person_invite(
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    authority=data["authority"],
                    role=data["role"],
                    by=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                _say_invited(request, membership, sent)
                return created(redirect("accounts:membership_list"))
    else:
        form = InvitationForm(
            initial={"authority": request.GET.get("authority")}, authorities=authorities
        )
    return render(
        request,
        "accounts/membership_form.html",
        {"form": form, "membership": None, "invitation_days": settings.INVITATION_DAYS},
    )


def _never_signed_in(membership: Membership) -> bool:
    return membership.user.last_login is None and not membership.user.has_usable_password()


def _say_invited(request: HttpRequest, membership: Membership, sent: bool | None) -> None:
    person = membership.user.get_full_name() or membership.user.email
    if sent:
        messages.success(request, f"Invitation sent to {person} ({membership.user.email})")
    elif sent is False:
        messages.error(
            request,
            f"{person} was added, but the invitation email could not be sent. Send it again "
            "from their role's page",
        )
    else:
        messages.success(request, f"{membership} added")


@allow("POST")
@login_required
def invitation_resend(request: HttpRequest, membership_pk: int) -> HttpResponse:
    """Sends the invitation again, to someone who has not accepted it yet (a new link: the
    old one still works until it expires)."""
    membership = _membership(request, membership_pk)
    if _never_signed_in(membership):
        sent = services.invitation_send(membership=membership, by=request.user)
        _say_invited(request, membership, sent)
    else:
        messages.info(request, f"{membership.user.get_full_name()} has already signed in")
    return redirect("accounts:membership_edit", membership_pk=membership.pk)


@allow("GET", "POST")
@login_required
def person_active(request: HttpRequest, membership_pk: int) -> HttpResponse:
    """An administrator switches the account of the membership's person off (ending every
    session they have) or on again."""
    membership = _membership(request, membership_pk, Capability.ADMINISTER)
    person = membership.user
    error = None
    if request.method == "POST":
        try:
            services.person_set_active(
                user=person, active=request.POST.get("active") == "on", by=request.user
            )
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            state = "on" if person.is_active else "off"
            messages.success(request, f"{person.get_full_name()}'s account switched {state}")
            return redirect("accounts:membership_list")
    return render(
        request, "accounts/person_active.html", {"membership": membership, "error": error}
    )


@allow("GET", "POST")
@login_required
def membership_edit(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = _membership(request, membership_pk)
    conflict = None
    if request.method == "POST":
        form = MembershipRoleForm(request.POST)
        if form.is_valid():
            saved, conflict = save_or_explain(
                form,
                services.membership_change_role,
                membership=membership,
                role=form.cleaned_data["role"],
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
            if saved:
                messages.success(request, f"Role changed: {membership}")
                return redirect("accounts:membership_list")
    else:
        form = MembershipRoleForm(initial={"role": membership.role, "version": membership.version})
    return render(
        request,
        "accounts/membership_form.html",
        {
            "form": form,
            "membership": membership,
            "conflict": conflict,
            "invited": _never_signed_in(membership),
            "is_administrator": is_administrator(request.user),
        },
    )


@allow("GET", "POST")
@login_required
def membership_delete(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = _membership(request, membership_pk)
    conflict = None
    if request.method == "POST":
        form = MembershipRemoveForm(request.POST)
        if form.is_valid():
            description = str(membership)
            saved, conflict = save_or_explain(
                form,
                services.membership_delete,
                membership=membership,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
            if saved:
                messages.success(request, f"Role removed: {description}")
                return redirect("accounts:membership_list")
            if conflict is not None:
                membership = conflict.current
                conflict.rows = their_version(membership, ["role"])
    else:
        form = MembershipRemoveForm(initial={"version": membership.version})
    return render(
        request,
        "accounts/membership_delete.html",
        {"membership": membership, "form": form, "conflict": conflict},
    )


# ----- Personal API tokens -----------------------------------------------------------------------

# The secret of a token just made, kept in the session only until the page after the form shows
# it (once): a redirect after the POST, so a reload never makes another token.
NEW_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 - a session key, not a secret


@allow("GET", "POST")
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens; a POST revokes one of them (`revoke`: its id)."""
    if request.method == "POST":
        revoke = request.POST.get("revoke", "")
        if not revoke.isdecimal():
            raise BadRequest("No token to revoke")
        token = api_tokens_service.api_token_revoke(user=request.user, token_pk=revoke)
        messages.success(request, f"Token “{token.name}” revoked: it no longer works")
        return redirect("accounts:api_tokens")
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    today = timezone.localdate()
    tokens = api_tokens_service.tokens_of(request.user)
    for token in tokens:
        token.works = token.works_on(today)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "tokens": tokens,
            "new": new,
            "api_url": request.build_absolute_uri(reverse("api:api-root")),
        },
    )


@allow("GET", "POST")
@login_required
def api_token_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None,
        today=today,
        initial={"expires_on": today + datetime.timedelta(days=api_tokens_service.DEFAULT_DAYS)},
    )
    if request.method == "POST" and form.is_valid():
        outcome = save_or_explain(
            form,
            api_tokens_service.api_token_create,
            user=request.user,
            name=form.cleaned_data["name"],
            expires_on=form.cleaned_data["expires_on"],
        )
        if outcome.saved:
            token, secret = outcome.result
            request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "secret": secret}
            return redirect("accounts:api_tokens")
    return render(request, "accounts/api_token_form.html", {"form": form})

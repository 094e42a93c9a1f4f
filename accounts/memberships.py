"""Administrators manage who has which role in which authority, in the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts import services
from accounts.forms import MembershipForm, MembershipRoleForm
from accounts.models import Membership
from accounts.permissions import Capability, get_for_user, is_administrator
from core.forms import add_validation_error
from inspections.models import LocalAuthority

PAGE_SIZE = 50
GET_POST = ["GET", "HEAD", "POST"]


def _require_administrator(request: HttpRequest) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied


def _membership(request: HttpRequest, membership_pk) -> Membership:
    return get_for_user(
        Membership.objects.select_related("user", "authority"),
        request.user,
        capability=Capability.ADMINISTER,
        pk=membership_pk,
    )


@require_safe
@login_required
def membership_list(request: HttpRequest) -> HttpResponse:
    """Everyone's roles, 50 a page, optionally for one authority. Queries: the authorities for
    the filter, the count, the page."""
    _require_administrator(request)
    authorities = list(LocalAuthority.objects.only("pk", "name"))
    chosen = next((a for a in authorities if str(a.pk) == request.GET.get("authority")), None)
    memberships = Membership.objects.for_user(request.user).select_related("user", "authority")
    if chosen is not None:
        memberships = memberships.filter(authority=chosen)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/membership_list.html",
        {"page": page, "authorities": authorities, "chosen": chosen},
    )


@require_http_methods(GET_POST)
@login_required
def membership_create(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    if request.method == "POST":
        form = MembershipForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                membership = services.membership_create(
                    user=data["username"],
                    authority=data["authority"],
                    role=data["role"],
                    by=request.user,
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, f"{membership} added")
                return redirect("accounts:membership_list")
    else:
        form = MembershipForm(initial={"authority": request.GET.get("authority")})
    return render(request, "accounts/membership_form.html", {"form": form, "membership": None})


@require_http_methods(GET_POST)
@login_required
def membership_edit(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = _membership(request, membership_pk)
    if request.method == "POST":
        form = MembershipRoleForm(request.POST)
        if form.is_valid():
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(request, f"Role changed: {membership}")
            return redirect("accounts:membership_list")
    else:
        form = MembershipRoleForm(initial={"role": membership.role})
    return render(
        request, "accounts/membership_form.html", {"form": form, "membership": membership}
    )


@require_http_methods(GET_POST)
@login_required
def membership_delete(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = _membership(request, membership_pk)
    if request.method == "POST":
        description = str(membership)
        services.membership_delete(membership=membership, by=request.user)
        messages.success(request, f"Role removed: {description}")
        return redirect("accounts:membership_list")
    return render(request, "accounts/membership_delete.html", {"membership": membership})

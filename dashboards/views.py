"""The authority dashboard and the portfolio dashboard. Reads only: GET and HEAD."""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.models import LocalAuthority
from accounts.permissions import (
    Capability,
    get_for_user,
    get_published_for_user,
    role_has,
    with_role_of,
)
from core import spreadsheets
from core.http import allow
from dashboards import (
    benchmark_page,
    benchmarks,
    exports,
    portfolio_page,
    snapshots,
    themes_page,
)
from dashboards.forms import AsAtForm, ImprovedForm, ThemeForm
from inspections import themes


def _authority(request: HttpRequest, authority_pk) -> tuple:
    """The authority (if the user may see it), the as-at form and the day it asks for (None:
    today), for the dashboard and its download."""
    the_authority = get_for_user(
        with_role_of(snapshots.with_stamps(LocalAuthority.objects.all()), request.user),
        request.user,
        pk=authority_pk,
    )
    form = _as_at_form(request, timezone.localdate())
    as_at = form.cleaned_data["as_at"] if form.is_bound and form.is_valid() else None
    return the_authority, form, as_at


@allow("GET")
@login_required
def authority(request: HttpRequest, authority_pk: int) -> HttpResponse:
    the_authority, form, as_at = _authority(request, authority_pk)
    if as_at is not None and "as_at" not in request.GET:
        # The date as typed (three boxes) becomes the page's own address: ?as_at=YYYY-MM-DD.
        return redirect(f"{request.path}?{urlencode({'as_at': as_at.isoformat()})}")
    today = timezone.localdate()
    built = snapshots.authority(the_authority, today=today, as_at=as_at)
    return render(
        request,
        "dashboards/authority.html",
        {
            **built,
            "authority": the_authority,
            "as_at_form": form,
            "as_at_form_html": None if form.errors else _as_at_form_html(as_at, today),
            "as_at": as_at,
            "download_query": urlencode({"as_at": as_at.isoformat()}) if as_at else "",
            # For the deadlines' "Record as met" links, rendered outside the cached body.
            "can_manage": role_has(request.user, the_authority.user_role, Capability.MANAGE),
        },
    )


@allow("GET")
@login_required
def authority_download(request: HttpRequest, authority_pk: int, file_format: str) -> HttpResponse:
    """The authority dashboard's tables as a spreadsheet, today or as at `?as_at=YYYY-MM-DD`: the
    same (cached) dashboard the page shows."""
    the_authority, form, as_at = _authority(request, authority_pk)
    if form.errors:
        return HttpResponseBadRequest(
            " ".join(str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8",
        )
    today = timezone.localdate()
    built = snapshots.authority(the_authority, today=today, as_at=as_at)
    return spreadsheets.download(
        exports.authority_tables(built["dashboard"]),
        file_format=file_format,
        filename=spreadsheets.slug(the_authority.name, "dashboard", as_at or today),
    )


@functools.lru_cache(maxsize=256)
def _as_at_form_html(as_at: datetime.date | None, today: datetime.date) -> str:
    """The as-at form as crispy renders it, showing `as_at` (None: empty). A GET form with no
    CSRF token and nothing about the viewer, so its HTML depends on the day alone: rendered once
    per process and day, not on every view of a dashboard (crispy's render of the three date
    boxes costs more than reading a cached dashboard)."""
    data = {"as_at_0": as_at.day, "as_at_1": as_at.month, "as_at_2": as_at.year} if as_at else None
    form = AsAtForm(data, today=today)
    return render_crispy_form(form)


def _as_at_form(request: HttpRequest, today) -> AsAtForm:
    """The as-at form, bound from the three date boxes or from ?as_at=YYYY-MM-DD; unbound when
    neither is there (today's picture)."""
    if any(name.startswith("as_at_") for name in request.GET):
        return AsAtForm(request.GET, today=today)
    if "as_at" not in request.GET:
        return AsAtForm(today=today)
    try:
        day = datetime.date.fromisoformat(request.GET["as_at"])
    except ValueError:
        form = AsAtForm({}, today=today)
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "as_at",
            f"“{request.GET['as_at'][:20]}” is not a date: give one like 2025-03-31",
        )
        return form
    return AsAtForm({"as_at_0": day.day, "as_at_1": day.month, "as_at_2": day.year}, today=today)


def _portfolio_stamps(request: HttpRequest) -> list[tuple[int, int | None]]:
    """The authorities the user may see, with their stamps: the portfolio's and its download's."""
    return list(
        snapshots.with_stamps(LocalAuthority.objects.for_user(request.user))
        .order_by()
        .values_list("pk", "data_version")
    )


@allow("GET")
@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = portfolio_page.body(_portfolio_stamps(request), today=today, query=request.GET)
    return render(request, "dashboards/portfolio.html", page)


@allow("GET")
@login_required
def portfolio_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The portfolio table as a spreadsheet, with the page's filters and sort (its query)."""
    today = timezone.localdate()
    page = portfolio_page.table(_portfolio_stamps(request), today=today, query=request.GET)
    return spreadsheets.download(
        exports.portfolio_tables(rows=page["rows"], columns=page["columns"]),
        file_format=file_format,
        filename=spreadsheets.slug("authorities", today),
    )


# ----- Councils like us: what Ofsted published, for anyone signed in, about any authority ------


@allow("GET")
@login_required
def benchmark(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """The authority beside its statistical neighbours: latest judgements, trajectories since
    2013, and its region's and England's grades by year (dashboards.benchmark_page)."""
    the_authority = get_published_for_user(
        LocalAuthority.objects.all(), request.user, pk=authority_pk
    )
    body = benchmark_page.benchmark_body(the_authority, today=timezone.localdate())
    return render(request, "dashboards/benchmark.html", {"authority": the_authority, "body": body})


@allow("GET")
@login_required
def improved(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """Who moved from inadequate or requires improvement to good or better, in the judgement
    asked (?judgement=, the headline grade by default): neighbours first."""
    the_authority = get_published_for_user(
        LocalAuthority.objects.all(), request.user, pk=authority_pk
    )
    form = ImprovedForm(request.GET or None, columns=benchmarks.COLUMNS)
    column = benchmarks.HEADLINE
    if form.is_bound and form.is_valid() and form.cleaned_data["judgement"]:
        column = form.cleaned_data["judgement"]
    body = benchmark_page.improved_body(the_authority, column, today=timezone.localdate())
    return render(
        request,
        "dashboards/improved.html",
        {"authority": the_authority, "form": form, "column": column, "body": body},
    )


@allow("GET")
@login_required
def themes_view(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """What Ofsted asks of councils like this one: every area for improvement's theme, nationally
    and among the neighbours; where one was raised and not raised again (?theme=); the
    authority's own areas with their themes."""
    the_authority = get_published_for_user(
        LocalAuthority.objects.all(), request.user, pk=authority_pk
    )
    form = ThemeForm(
        request.GET or None, themes=[(theme.code, theme.name) for theme in themes.THEMES]
    )
    theme = None
    if form.is_bound and form.is_valid():
        theme = form.cleaned_data["theme"] or None
    body = themes_page.themes_body(the_authority, theme, today=timezone.localdate())
    return render(
        request,
        "dashboards/themes.html",
        {"authority": the_authority, "form": form, "theme": theme, "body": body},
    )

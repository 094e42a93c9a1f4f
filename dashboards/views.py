"""The authority dashboard and the portfolio dashboard. Reads only: GET and HEAD."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.permissions import Capability, get_for_user, role_has, with_role_of
from dashboards import charts, selectors, snapshots
from dashboards.forms import NOT_GRADED, SORTS, AsAtForm, PortfolioFilterForm
from inspections.models import LocalAuthority


@require_safe
@login_required
def authority(request: HttpRequest, authority_pk: int) -> HttpResponse:
    the_authority = get_for_user(
        with_role_of(snapshots.with_stamps(LocalAuthority.objects.all()), request.user),
        request.user,
        authority_field="pk",
        pk=authority_pk,
    )
    today = timezone.localdate()
    form = _as_at_form(request, today)
    as_at = form.cleaned_data["as_at"] if form.is_bound and form.is_valid() else None
    if as_at is not None and "as_at" not in request.GET:
        # The date as typed (three boxes) becomes the page's own address: ?as_at=YYYY-MM-DD.
        return redirect(f"{request.path}?{urlencode({'as_at': as_at.isoformat()})}")
    built = snapshots.authority(the_authority, today=today, as_at=as_at)
    return render(
        request,
        "dashboards/authority.html",
        {
            **built,
            "authority": the_authority,
            "as_at_form": form,
            "as_at": as_at,
            # For the deadlines' "Record as met" links, rendered outside the cached body.
            "can_manage": role_has(request.user, the_authority.user_role, Capability.MANAGE),
        },
    )


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


def _sort_key(sort: str):
    def key(row: selectors.PortfolioRow):
        match sort:
            case "region":
                return (row.authority.region, row.authority.name)
            case "inspected":
                return row.latest.start_date if row.latest else None
            case "grade":
                return selectors.GRADE_RANK.get(row.headline)
            case "red" | "amber" | "green":
                return row.rag_counts[sort]
            case "overdue":
                return row.overdue
            case "returned":
                return row.returned
        return row.authority.name

    return key


def _sorted(rows: list[selectors.PortfolioRow], sort: str) -> list[selectors.PortfolioRow]:
    """Sorted by `sort` ("-" first for descending), ties by name; rows with nothing to sort by
    always come last."""
    field = sort.lstrip("-")
    key = _sort_key(field)
    by_name = sorted(rows, key=lambda row: row.authority.name)
    present = [row for row in by_name if key(row) is not None]
    missing = [row for row in by_name if key(row) is None]
    return sorted(present, key=key, reverse=sort.startswith("-")) + missing


@require_safe
@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    stamps = list(
        snapshots.with_stamps(LocalAuthority.objects.for_user(request.user))
        .order_by()
        .values_list("pk", "data_version")
    )
    # The page's body depends only on the authorities, the date and the filters (never on who is
    # looking), so it is rendered once per change and cached: only for valid filters, so that
    # what is cached is bounded by the filters' choices.
    params = tuple(
        (name, tuple(request.GET.getlist(name)))
        for name in PortfolioFilterForm.base_fields
        if name in request.GET
    )
    if body := snapshots.cached("portfolio-page", stamps, today, params):
        return render(request, "dashboards/portfolio.html", {"body": body})
    data = snapshots.portfolio(stamps, today=today)
    regions = sorted({row.authority.region for row in data.rows})
    frameworks = sorted({row.framework_code for row in data.rows if row.framework_code})
    form = PortfolioFilterForm(request.GET or None, regions=regions, frameworks=frameworks)
    if form.is_bound and not form.is_valid():
        # Invalid fields are reported and left out; the valid ones still apply.
        context = _portfolio_context(data, form, form.cleaned_data)
        return render(request, "dashboards/portfolio.html", context)
    context = _portfolio_context(data, form, form.cleaned_data if form.is_bound else {})
    body = render_to_string("dashboards/portfolio.html#body", context)
    snapshots.store("portfolio-page", stamps, today, body, params)
    return render(request, "dashboards/portfolio.html", {**context, "body": body})


def _portfolio_context(data: selectors.Portfolio, form: PortfolioFilterForm, chosen: dict):
    rows = data.rows
    if region := chosen.get("region"):
        rows = [row for row in rows if row.authority.region == region]
    if grade := chosen.get("grade"):
        wanted = None if grade == NOT_GRADED else grade
        rows = [row for row in rows if row.headline == wanted]
    if framework := chosen.get("framework"):
        rows = [row for row in rows if row.framework_code == framework]
    sort = chosen.get("sort") or "name"
    rows = _sorted(rows, sort)

    filters = {k: v for k, v in chosen.items() if k != "sort" and v}
    headers = []
    for field, label in SORTS.items():
        current = sort.lstrip("-") == field
        descending = sort.startswith("-")
        # A second click reverses; counts and dates start with the largest or latest.
        starts_descending = field in {
            "inspected",
            "grade",
            "red",
            "amber",
            "green",
            "overdue",
            "returned",
        }
        if current:
            next_sort = field if descending else f"-{field}"
        else:
            next_sort = f"-{field}" if starts_descending else field
        headers.append(
            {
                "field": field,
                "label": label,
                "url": "?" + urlencode({**filters, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if current else None,
            }
        )
    columns = [column for column in data.columns if column.code != selectors.OVERALL]
    for row in rows:
        row.cells = [row.grades.get(column.code) for column in columns]
    distribution = charts.grade_distribution_svg(
        selectors.grade_distribution(rows),
        title="Latest headline grade of the authorities shown, by region",
    )
    return {
        "form": form if form.errors else None,
        "filter_form": form,
        "portfolio": data,
        "rows": rows,
        "headers": {h["field"]: h for h in headers},
        "columns": columns,
        "distribution_chart": distribution,
        "filtered": bool(filters),
        "national_totals": _totals(data.rows) if data.is_national else None,
    }


def _totals(rows: list[selectors.PortfolioRow]) -> list[tuple[str, int]]:
    counts: dict[str | None, int] = {}
    for row in rows:
        counts[row.headline] = counts.get(row.headline, 0) + 1
    return [
        (charts.GRADE_STYLE[grade][2], counts.get(grade, 0))
        for grade in (*charts.GRADE_ORDER, None)
    ]

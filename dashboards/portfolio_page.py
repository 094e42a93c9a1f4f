"""The portfolio dashboard's body: the authorities' lines filtered and sorted as the query asks,
with the grade distribution chart, rendered without a request.

The body depends only on the authorities (their stamps), the date and the filters (never on who
is looking), so it is rendered once per change and cached: only for valid filters, so that what
is cached is bounded by the filters' choices. `dashboards.tasks.refresh` renders the unfiltered
national body again after each change, before anyone asks for it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from urllib.parse import urlencode

from django.http import QueryDict
from django.template.loader import render_to_string

from dashboards import selectors, snapshots
from dashboards.forms import INSPECTED, NOT_GRADED, SORTS, PortfolioFilterForm
from improvement_plans.charts import rag_totals_svg
from inspections import charts


def body(stamps, *, today: datetime.date, query: QueryDict | None = None) -> dict:
    """The page's context: {"body": html} when it is cached or the filters are valid (then
    cached), else the whole context with the form's errors (never cached)."""
    query = query if query is not None else QueryDict()
    params = tuple(
        (name, tuple(query.getlist(name)))
        for name in PortfolioFilterForm.base_fields
        if name in query
    )
    if html := snapshots.cached("portfolio-page", stamps, today, params):
        return {"body": html}
    context, valid = _filtered(stamps, today=today, query=query)
    if not valid:
        # Invalid fields are reported and left out; the valid ones still apply.
        return context
    html = render_to_string("dashboards/portfolio.html#body", context)
    snapshots.store("portfolio-page", stamps, today, html, params)
    return {**context, "body": html}


def table(stamps, *, today: datetime.date, query: QueryDict | None = None) -> dict:
    """The page's context (its `rows` and grade `columns`), filtered and sorted as `query` asks,
    exactly as the page shows them: for the page's download. Invalid filters are left out, as on
    the page."""
    context, _ = _filtered(stamps, today=today, query=query or QueryDict())
    return context


def _filtered(stamps, *, today: datetime.date, query: QueryDict) -> tuple[dict, bool]:
    """The page's context for these authorities and filters, and whether the filters were valid."""
    data = snapshots.portfolio(stamps, today=today)
    regions = sorted({row.authority.region for row in data.rows})
    frameworks = sorted({row.framework_code for row in data.rows if row.framework_code})
    form = PortfolioFilterForm(query or None, regions=regions, frameworks=frameworks)
    valid = not form.is_bound or form.is_valid()
    chosen = form.cleaned_data if form.is_bound else {}
    return _context(data, form, chosen, today=today), valid


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


def _context(
    data: selectors.Portfolio, form: PortfolioFilterForm, chosen: dict, *, today: datetime.date
):
    rows = data.rows
    if region := chosen.get("region"):
        rows = [row for row in rows if row.authority.region == region]
    if grade := chosen.get("grade"):
        wanted = None if grade == NOT_GRADED else grade
        rows = [row for row in rows if row.headline == wanted]
    if framework := chosen.get("framework"):
        rows = [row for row in rows if row.framework_code == framework]
    if inspected := chosen.get("inspected"):
        rows = [row for row in rows if (row.latest is not None) == (inspected == INSPECTED)]
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
    rag_chart, grades_chart = _trend_charts(rows, today)
    return {
        "rag_totals_chart": rag_chart,
        "grades_by_year_chart": grades_chart,
        "trend_month_count": selectors.TREND_MONTHS,
        # The download links carry the filters and sort the page shows.
        "download_query": urlencode({**filters, "sort": sort} if sort != "name" else filters),
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


def _trend_charts(rows: list[selectors.PortfolioRow], today: datetime.date):
    """The portfolio's trend for the authorities shown: the RAG reported for their current areas
    in each of the last months, and their headline grades at the end of each year."""
    months = selectors.trend_months(today) if rows else []
    rag_rows = []
    for index, month in enumerate(months):
        totals: Counter = Counter()
        for row in rows:
            if index < len(row.rag_by_month):
                totals.update(row.rag_by_month[index])
        rag_rows.append((f"{month:%B %Y}", dict(totals)))
    years = sorted({year for row in rows for year in row.headline_by_year})
    grade_rows = [
        (str(year), dict(Counter(row.headline_by_year.get(year) for row in rows))) for year in years
    ]
    return (
        rag_totals_svg(
            rag_rows,
            title="Current areas for improvement of the authorities shown, by the RAG "
            "reported for each month",
        ),
        charts.grade_distribution_svg(
            grade_rows,
            chart_id="grades-by-year",
            title="Headline grade of the authorities shown at the end of each year",
        ),
    )

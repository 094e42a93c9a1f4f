"""Small, fast tags for the dashboards' big tables: one dict lookup per cell, not an include."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from improvement_plans.models import Rag
from inspections.models import EventType, Grade

register = template.Library()

_GRADE_TAGS = {
    Grade.OUTSTANDING: '<strong class="govuk-tag govuk-tag--blue app-tag--compact">Outstanding</strong>',
    Grade.GOOD: '<strong class="govuk-tag govuk-tag--green app-tag--compact">Good</strong>',
    Grade.REQUIRES_IMPROVEMENT: (
        '<strong class="govuk-tag govuk-tag--yellow app-tag--compact">Requires improvement</strong>'
    ),
    Grade.INADEQUATE: '<strong class="govuk-tag govuk-tag--red app-tag--compact">Inadequate</strong>',
}
_NOT_JUDGED = (
    '<span class="govuk-visually-hidden">Not judged</span><span aria-hidden="true">–</span>'
)


@register.filter
def short_grade_tag(grade: str | None) -> str:
    """A compact grade tag (its words carry the meaning), or "Not judged" for screen readers."""
    return mark_safe(_GRADE_TAGS.get(grade, _NOT_JUDGED))


_EVENT_LABELS = dict(EventType.choices)


_CELL = '<td class="govuk-table__cell">%s</td>'
_NUMBER = '<td class="govuk-table__cell govuk-table__cell--numeric">%d</td>'


@register.simple_tag
def portfolio_row(row, authority_url: str) -> str:
    """One row of the portfolio grid. Built here rather than in template markup because a national
    viewer's grid has 153 rows of 14 cells and the template engine's per-node cost (and Django's
    lazy-aware escaping) made it the slowest part of the page. Every text value goes through
    html.escape; the rest is constant markup and integers. `authority_url` is the authority
    dashboard's URL for authority 0 (reversed once per page)."""
    latest = row.latest
    if latest is None:
        inspected = "None recorded"
    else:
        inspected = (
            f"{latest.start_date:%b %Y}"
            # A block of its own (a line under the date) that a screen reader also reads apart.
            '<span class="govuk-hint govuk-!-display-block govuk-!-font-size-14 govuk-!-margin-0">'
            f" {escape(_EVENT_LABELS[latest.event_type])}, {escape(latest.framework__code)}</span>"
        )
    url = authority_url.replace("/0/", f"/{row.authority.pk}/")
    grades = "".join(_CELL % _GRADE_TAGS.get(grade, _NOT_JUDGED) for grade in row.cells)
    return mark_safe(  # every value above is escaped or a constant
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        f'<a class="govuk-link" href="{escape(url)}">{escape(row.authority.name)}</a></th>'
        # The key figures first, so they are on screen beside the name (1280 px and up).
        + _NUMBER % row.rag_counts[Rag.RED]
        + _NUMBER % row.rag_counts[Rag.AMBER]
        + _NUMBER % row.rag_counts[Rag.GREEN]
        + _NUMBER % row.overdue
        + _NUMBER % row.returned
        + _CELL % escape(row.authority.region)
        + _CELL % inspected
        + _CELL % _GRADE_TAGS.get(row.headline, _NOT_JUDGED)
        + grades
        + "</tr>"
    )

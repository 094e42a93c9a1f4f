"""An area's state and a RAG as tags: a dict lookup each, not an include (a dashboard shows
several per row, and an include costs the template engine a new context and a render)."""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from improvement_plans.exports import HEADLINE_WORDS
from improvement_plans.models import Rag

register = template.Library()

# improvement_plans.rules.AfiProgress.headline: the same words (HEADLINE_WORDS, as the
# spreadsheets say them) and colours on every page. The word carries the meaning; the colour is
# a second cue.
_STATE_COLOURS = {
    "complete": "turquoise",
    "returned": "orange",
    "overdue": "red",
    "submitted": "blue",
    "draft": "purple",
    "approved": "green",
    "due": "yellow",
    "not_due": "grey",
}
_STATE_TAGS = {
    state: f'<strong class="govuk-tag govuk-tag--{colour}">{HEADLINE_WORDS[state]}</strong>'
    for state, colour in _STATE_COLOURS.items()
}


def _days_ago(days: int | None) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@register.filter
def area_state_tag(progress) -> str:
    """The area's state (`progress`: an AfiProgress) as a tag; a returned update also says which
    month's it is and how long ago it was returned."""
    state = progress.headline
    tag = _STATE_TAGS.get(state, _STATE_TAGS["not_due"])
    if state == "returned":
        month = date_format(progress.returned.month, "F Y")
        tag += (
            ' <span class="govuk-body-s govuk-!-display-block govuk-!-margin-0">'
            f"{month} update, returned {_days_ago(progress.returned_days_ago)}</span>"
        )
    return mark_safe(tag)  # constant markup, a formatted date and an integer


# A RAG as the dashboards show it; None: nothing reported.
_RAG_TAGS = {
    Rag.RED: '<strong class="app-rag app-rag--red">Red</strong>',
    Rag.AMBER: '<strong class="app-rag app-rag--amber">Amber</strong>',
    Rag.GREEN: '<strong class="app-rag app-rag--green">Green</strong>',
    Rag.COMPLETE: '<strong class="app-rag app-rag--complete">Complete</strong>',
}
_NO_RAG = '<span class="govuk-hint govuk-!-margin-0">No update reported</span>'


@register.filter
def reported_rag_tag(rag: str | None) -> str:
    """A RAG tag: the word carries the meaning, the colour is a second cue."""
    return mark_safe(_RAG_TAGS.get(rag, _NO_RAG))

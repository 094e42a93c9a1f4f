"""Showing what Ofsted published: its own words as GOV.UK paragraphs (plain text, never HTML),
and grades as tags."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from inspections.models import Grade

register = template.Library()

_BLANK_LINES = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text: str | None) -> str:
    """Each blank-line-separated paragraph as a govuk-body paragraph, single line breaks kept.
    The text is escaped first: what a report (or a person) wrote is shown, never run as markup."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    return mark_safe(
        "".join(
            f'<p class="govuk-body">{escape(part.strip()).replace(chr(10), "<br>")}</p>'
            for part in _BLANK_LINES.split(text)
        )
    )


_GRADE_TAGS = {
    Grade.OUTSTANDING: '<strong class="govuk-tag govuk-tag--blue">Outstanding</strong>',
    Grade.GOOD: '<strong class="govuk-tag govuk-tag--green">Good</strong>',
    Grade.REQUIRES_IMPROVEMENT: (
        '<strong class="govuk-tag govuk-tag--yellow">Requires improvement to be good</strong>'
    ),
    Grade.INADEQUATE: '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>',
}


@register.filter
def grade_tag(grade: str | None) -> str:
    """A GOV.UK tag for an Ofsted grade (a Grade value); nothing for none."""
    return mark_safe(_GRADE_TAGS.get(grade, ""))

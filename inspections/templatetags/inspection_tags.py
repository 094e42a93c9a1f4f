"""Showing Ofsted's own words: plain text as GOV.UK paragraphs, never as HTML."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

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

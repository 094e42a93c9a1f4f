"""The PDF export (WeasyPrint): A4, tagged for accessibility (PDF/UA-1: structure tags, the
document's title and language, embedded fonts), "Page X of Y" in the footer.

It lays out the same HTML fragment as the print view, with a small stylesheet of its own (GOV.UK
Frontend's whole stylesheet would cost more time than the layout): Liberation Sans, the metric
twin of Arial, for a council's house style.

Laying out a long report takes about a second of CPU, so each PDF is kept in the cache under a
hash of the HTML it was made from: the same report, unchanged, is not laid out twice (a final
report never changes; councillors download it again and again), and any change to the text,
the data or this code's template makes a different HTML and so a new PDF."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.db import DatabaseError
from django.template.loader import render_to_string

from reports.document import Document

PDF_VARIANT = "pdf/ua-1"
CACHE_SECONDS = 7 * 24 * 3600

logger = logging.getLogger(__name__)
# WeasyPrint logs every step at INFO; only its warnings (a missing font, say) matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(document: Document) -> str:
    return render_to_string("reports/report_pdf.html", {"document": document})


def layout_pdf(html: str) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def warm_up() -> None:
    """Imports WeasyPrint and lays out one line, so its fonts are found and loaded: a server does
    this as it starts (reports.apps), and its first PDF does not wait seconds for it."""
    from weasyprint import HTML

    HTML(string='<p style="font-family: Liberation Sans">.</p>').write_pdf(pdf_variant=PDF_VARIANT)


def build_pdf(document: Document) -> bytes:
    html = render_html(document)
    key = f"reports:pdf:{hashlib.sha256(html.encode()).hexdigest()}"
    try:
        cached = cache.get(key)
    except DatabaseError:  # a database cache without its table: make the PDF anyway
        logger.warning("The cache is not available; making the PDF without it", exc_info=True)
        cached = None
    if cached is not None:
        return cached
    content = layout_pdf(html)
    try:
        cache.set(key, content, CACHE_SECONDS)
    except DatabaseError:
        logger.warning("The cache is not available; the PDF is not kept", exc_info=True)
    return content

"""The PDF export (WeasyPrint): A4, tagged for accessibility (PDF/UA-1: structure tags, the
document's title and language, embedded fonts), "Page X of Y" in the footer.

It lays out the same HTML fragment as the print view, with a small stylesheet of its own (GOV.UK
Frontend's whole stylesheet would cost more time than the layout): Liberation Sans, the metric
twin of Arial, for a council's house style."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from reports.document import Document

# WeasyPrint logs every step at INFO; only its warnings (a missing font, say) matter here.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"


def render_html(document: Document) -> str:
    return render_to_string("reports/report_pdf.html", {"document": document})


def build_pdf(document: Document) -> bytes:
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    return HTML(string=render_html(document)).write_pdf(pdf_variant=PDF_VARIANT)

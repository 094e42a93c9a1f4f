"""Whatever people type or the data holds comes out as plain text in HTML, Word and PDF: markup,
template syntax and spreadsheet-formula injection stay literal, and non-Latin text survives."""

import io
import re
import zipfile

import docx
import pytest
from django.urls import reverse
from pdfminer.high_level import extract_text

from improvement_plans.models import ProgressUpdate
from reports import pdf, word
from reports.document import document_for
from reports.plaintext import parse
from reports.selectors import report_with_sections
from tests.factories import recorded_on
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
TEMPLATE = "{{ request.user.password }} {% debug %}"
FORMULA = "=cmd|' /C calc'!A0"
# Welsh, Polish, Greek, Cyrillic, Turkish: all in the installed Liberation/DejaVu fonts.
NON_LATIN = "Ŵyr ŷ Gymraeg; Łódź; Ελληνικά; Русский текст; İstanbul ğ"
NASTY = f"{SCRIPT} {TEMPLATE} {FORMULA} {NON_LATIN}"


@pytest.fixture
def report(authority, manager):
    inspection = inspection_with_progress(authority, areas=2)
    for update in ProgressUpdate.objects.filter(area_for_improvement__inspection=inspection):
        update.what_was_done = NASTY
        update.save()
        recorded_on(update.month.replace(day=28), update)  # as written in its month
    return report_for(inspection, manager)


def _flat(text: str) -> str:
    """Without white space: a PDF's lines break wherever the layout needs (after "/", say)."""
    return re.sub(r"\s+", "", text)


def test_the_narrative_from_the_data_is_stored_as_it_was_written(report):
    area = report.sections.filter(key__startswith="area-").first()
    assert f"What was done: {NASTY}" in area.body


def test_html_escapes_everything(client, manager, report):
    client.force_login(manager)
    for name in ("reports:report_print", "reports:report_detail"):
        page = client.get(reverse(name, kwargs={"report_pk": report.pk})).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        assert "{{ request.user.password }}" in page  # shown, never evaluated
        assert manager.password not in page
        assert "=cmd|&#x27; /C calc&#x27;!A0" in page
        assert NON_LATIN in page


def test_word_holds_the_text_literally_and_no_field_or_link_but_web_addresses(report):
    section = report.sections.get(key="purpose")
    section.body = (
        'javascript:alert(1) file:///etc/passwd =HYPERLINK("http://evil.example") '
        "and https://files.ofsted.gov.uk/v1/file/1."
    )
    section.save()
    document = document_for(report, report_with_sections(report=report))
    content = word.build_docx(document)
    opened = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert f"What was done: {NASTY}" in text
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "instrText" not in xml and "fldSimple" not in xml  # no fields in the body
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    # Only web and email addresses become links, each to exactly the address shown.
    targets = {
        relationship.target_ref
        for relationship in opened.part.rels.values()
        if relationship.reltype.endswith("/hyperlink")
    }
    assert targets == {
        "http://evil.example",
        "https://files.ofsted.gov.uk/v1/file/1",
        "mailto:pat.lee@example.gov.uk",
    }


def test_pdf_holds_the_text_literally(report):
    document = document_for(report, report_with_sections(report=report))
    text = _flat(extract_text(io.BytesIO(pdf.build_pdf(document))))
    for literal in (SCRIPT, TEMPLATE, FORMULA, NON_LATIN):
        assert _flat(literal) in text


def _edit(client, report, key: str, body: str) -> None:
    section = report.sections.get(key=key)
    response = client.post(
        reverse("reports:section_edit", kwargs={"report_pk": report.pk}),
        {"section": key, "body": body, "version": section.version},
    )
    assert response.status_code == 302


def _get(client, name: str, report):
    return client.get(reverse(name, kwargs={"report_pk": report.pk})).content


def test_text_typed_into_a_section_is_plain_text_everywhere(client, manager, report):
    client.force_login(manager)
    _edit(client, report, "purpose", f"{NASTY}\n\n- <b>not bold</b>\n- العربية")
    html = _get(client, "reports:report_print", report).decode()
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html and "<b>not bold" not in html
    paragraphs = [
        p.text
        for p in docx.Document(io.BytesIO(_get(client, "reports:report_docx", report))).paragraphs
    ]
    assert NASTY in paragraphs
    assert "<b>not bold</b>" in paragraphs
    assert "العربية" in paragraphs
    pdf_text = _flat(extract_text(io.BytesIO(_get(client, "reports:report_pdf", report))))
    assert _flat(NASTY) in pdf_text and _flat("<b>not bold</b>") in pdf_text


def test_chinese_and_japanese_reach_html_word_and_pdf(client, manager, report):
    # Liberation Sans has no CJK glyphs: the PDF falls back to Noto CJK (scripts/system-deps.sh).
    client.force_login(manager)
    _edit(client, report, "background", "中文 (Chinese) and 日本語 (Japanese)")
    assert (
        "中文 (Chinese) and 日本語 (Japanese)"
        in _get(client, "reports:report_print", report).decode()
    )
    document = docx.Document(io.BytesIO(_get(client, "reports:report_docx", report)))
    assert "中文 (Chinese) and 日本語 (Japanese)" in [p.text for p in document.paragraphs]
    pdf_text = _flat(extract_text(io.BytesIO(_get(client, "reports:report_pdf", report))))
    assert _flat("中文 (Chinese) and 日本語 (Japanese)") in pdf_text


def test_control_characters_that_word_cannot_hold_are_dropped():
    blocks = parse("Pasted\x0b from\x00 Word\x1f.\r\n\r\n- one\r\n- two")
    assert [b.text for b in blocks if not b.is_list] == ["Pasted from Word."]
    assert [b.items for b in blocks if b.is_list] == [["one", "two"]]


def test_paragraphs_and_bullets_are_parsed_from_plain_text():
    blocks = parse("First line\ncontinues.\n\nIntro:\n- one\n  more of one\n* two\n\nLast.")
    assert [(b.text, b.items) for b in blocks] == [
        ("First line continues.", []),
        ("Intro:", []),
        ("", ["one more of one", "two"]),
        ("Last.", []),
    ]

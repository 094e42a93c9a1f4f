"""The exports hold the report's whole content: Word opened with python-docx, PDF read back with
pdfminer.six, the print view through the test client."""

import datetime
import io
import re
import zipfile

import docx
import pytest
from django.contrib.auth import get_user_model
from docx.oxml.ns import qn
from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from core.months import add_months
from improvement_plans.models import ProgressUpdate, Rag, UpdateStatus
from inspections.models import Finding, FindingKind
from reports import pdf, word, word_templates
from reports.document import document_for
from reports.drafting import IMPLICATIONS, SIGN_OFF_ROLES
from reports.selectors import report_with_sections
from tests.reports.factories import report_for

HEADINGS_BEFORE_AREAS = [
    "Purpose of the report",
    "Recommendations",
    "Key issues",
    "Background",
    "Inspection judgements",
    "Areas for improvement",
]
HEADINGS_AFTER_AREAS = [
    "What happens next",
    "Implications",
    "Report sign-off",
    "Background papers",
    "Report author and contact",
]


@pytest.fixture
def demo_report(north_somerset_2023):
    manager = get_user_model().objects.get(username="ns.manager")
    return report_for(
        north_somerset_2023,
        manager,
        meeting_date=datetime.date(2026, 12, 10),
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 10, 31),
    )


def _document(report):
    return document_for(report, report_with_sections(report=report))


def _docx(report) -> docx.document.Document:
    return docx.Document(io.BytesIO(word.build_docx(_document(report))))


def _expected_areas(report):
    """Each area for improvement with its latest approved update up to the period's end, read
    straight from the database (not through the report's own code)."""
    result = []
    for finding in Finding.objects.filter(inspection=report.inspection).exclude(
        kind=FindingKind.STRENGTH
    ):
        latest = (
            ProgressUpdate.objects.filter(
                area_for_improvement=finding,
                status=UpdateStatus.APPROVED,
                month__lte=report.period_end,
            )
            .order_by("-month")
            .first()
        )
        result.append((finding, latest))
    return result


def _pdf_catalog(content: bytes) -> dict:
    return PDFDocument(PDFParser(io.BytesIO(content))).catalog


def _blocks(document):
    """The body in order: ("heading", level, text), ("p", text, numId) and ("table", rows)."""
    body = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = docx.text.paragraph.Paragraph(child, document)
            style = paragraph.style.name
            num_pr = child.pPr.numPr if child.pPr is not None else None
            num_id = num_pr.numId.val if num_pr is not None else None
            if style.startswith("Heading "):
                body.append(("heading", int(style.split()[1]), paragraph.text))
            elif paragraph.text:
                body.append(("p", paragraph.text, num_id))
        elif child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            body.append(("table", [[cell.text for cell in row.cells] for row in table.rows]))
    return body


def test_the_word_export_of_demo_data_has_every_part_in_order(demo_report):
    document = _docx(demo_report)
    blocks = _blocks(document)
    headings = [(b[1], b[2]) for b in blocks if b[0] == "heading"]
    areas = _expected_areas(demo_report)
    assert len(areas) == 6

    assert headings[0] == (1, demo_report.title)
    assert [h for _, h in headings[1:]] == [
        *HEADINGS_BEFORE_AREAS,
        *(finding.title for finding, _ in areas),
        *HEADINGS_AFTER_AREAS,
    ]
    assert {level for level, heading in headings if heading in {f.title for f, _ in areas}} == {3}
    assert document.core_properties.title == demo_report.title
    assert document.core_properties.language == "en-GB"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"


def test_the_word_judgements_table_holds_each_grade_with_a_header_row(demo_report):
    document = _docx(demo_report)
    tables = [b[1] for b in _blocks(document) if b[0] == "table"]
    judgements = tables[0]
    assert judgements[0] == ["Judgement", "Grade (March 2023)", "Previous grade (March 2020)"]
    expected = {
        j.area.name: j.get_grade_display()
        for j in demo_report.inspection.judgements.select_related("area")
    }
    assert {row[0]: row[1] for row in judgements[1:]} == expected
    assert len(expected) == 5
    # The March 2020 inspection (ILACS-2018) judged leaders and overall effectiveness too.
    assert dict((r[0], r[2]) for r in judgements[1:])["Overall effectiveness"] == (
        "Requires improvement to be good"
    )
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.trPr is not None and first_row.trPr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None


def test_each_area_shows_its_latest_approved_narrative_and_rag_in_word(demo_report):
    blocks = _blocks(_docx(demo_report))
    for finding, latest in _expected_areas(demo_report):
        start = blocks.index(("heading", 3, finding.title))
        end = next(i for i in range(start + 1, len(blocks)) if blocks[i][0] == "heading")
        text = "\n".join(b[1] for b in blocks[start + 1 : end] if b[0] == "p")
        assert latest is not None
        assert (
            f"Latest approved RAG rating: {latest.get_rag_display()} ({latest.month:%B %Y})" in text
        )
        assert f"What was done: {latest.what_was_done}" in text
        assert f"Impact: {latest.impact}" in text
        # The trend lists the approved months within the period, in order.
        trend = ProgressUpdate.objects.filter(
            area_for_improvement=finding,
            status=UpdateStatus.APPROVED,
            month__gte=demo_report.period_start,
            month__lte=demo_report.period_end,
        ).order_by("month")
        if trend:
            expected = "; ".join(f"{u.month:%B %Y}: {u.get_rag_display()}" for u in trend)
            assert f"RAG trend over the period: {expected}" in text


def test_only_approved_updates_are_reported(demo_report):
    finding, latest = _expected_areas(demo_report)[1]
    later = add_months(latest.month, 1)
    ProgressUpdate.objects.update_or_create(
        area_for_improvement=finding,
        month=later,
        defaults={
            "rag": Rag.RED,
            "what_was_done": "UNAPPROVED WORK",
            "author": latest.author,
            "status": UpdateStatus.SUBMITTED,
        },
    )
    report = report_for(
        demo_report.inspection,
        demo_report.created_by,
        meeting_date=datetime.date(2027, 1, 10),
        period_start=datetime.date(2026, 4, 1),
        period_end=add_months(later, 1) - datetime.timedelta(days=1),
    )
    text = "\n".join(p.text for p in _docx(report).paragraphs)
    assert "UNAPPROVED WORK" not in text
    assert f"What was done: {latest.what_was_done}" in text


def test_the_word_export_has_every_implication_and_sign_off_row(demo_report):
    tables = [b[1] for b in _blocks(_docx(demo_report)) if b[0] == "table"]
    implications = next(t for t in tables if t[0] == ["Implication", "Details"])
    assert [row[0] for row in implications[1:]] == [label for _, label in IMPLICATIONS]
    assert all(row[1] for row in implications[1:])
    sign_off = next(t for t in tables if t[0] == ["Role", "Name", "Job title", "Date"])
    assert [row[0] for row in sign_off[1:]] == [label for _, label in SIGN_OFF_ROLES]
    assert sign_off[-1][1] == demo_report.portfolio_holder


def test_word_paragraphs_are_numbered_and_bullets_are_a_list(demo_report):
    document = _docx(demo_report)
    numbering = document.part.numbering_part.element
    formats = {}
    for num in numbering.findall(qn("w:num")):
        abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        abstract = next(
            a
            for a in numbering.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == abstract_id
        )
        formats[int(num.get(qn("w:numId")))] = abstract.find(".//" + qn("w:numFmt")).get(
            qn("w:val")
        )
    paragraphs = [b for b in _blocks(document) if b[0] == "p"]
    purpose = next(p for p in paragraphs if p[1].startswith("To update the"))
    assert formats[purpose[2]] == "decimal"
    # Recommendations are a numbered list of their own (1., 2.), bullets a bullet list.
    recommendation = next(p for p in paragraphs if p[1].startswith("That the Children"))
    assert formats[recommendation[2]] == "decimal" and recommendation[2] != purpose[2]
    bullet = next(p for p in paragraphs if p[1].startswith("Ofsted's standard inspection took"))
    assert formats[bullet[2]] == "bullet"
    # One list for the paragraphs: their numbering runs through the report.
    numbered = [p for p in paragraphs if p[2] == purpose[2]]
    assert len(numbered) > 20
    assert [p[2] for p in paragraphs if p[1].startswith("That the ")] == [recommendation[2]] * 2


def test_word_pages_are_numbered_in_the_footer(demo_report):
    footer = _docx(demo_report).sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_the_pdf_holds_the_same_content_as_the_word_file(demo_report):
    document = _document(demo_report)
    content = pdf.build_pdf(document)
    catalog = _pdf_catalog(content)
    assert "StructTreeRoot" in catalog  # tagged for accessibility
    assert resolve1(catalog["MarkInfo"])["Marked"] is True
    text = re.sub(r"\s+", " ", extract_text(io.BytesIO(content)))
    assert demo_report.title in text
    for heading in [*HEADINGS_BEFORE_AREAS, *HEADINGS_AFTER_AREAS]:
        assert heading in text
    for judgement in demo_report.inspection.judgements.select_related("area"):
        assert judgement.area.name in text
    assert "Requires improvement to be good" in text
    for finding, latest in _expected_areas(demo_report):
        assert re.sub(r"\s+", " ", finding.title) in text
        assert latest.what_was_done in text
        assert f"{latest.get_rag_display()} ({latest.month:%B %Y})" in text
    for _, label in [*IMPLICATIONS, *SIGN_OFF_ROLES]:
        assert label in text
    pages = len(re.findall(r"Page \d+ of \d+", text))
    assert pages >= 2 and f"Page 1 of {pages}" in text


def test_the_pdf_is_a4_pdf_ua_with_the_title_and_language_set(demo_report):
    content = pdf.build_pdf(_document(demo_report))
    assert content.startswith(b"%PDF-1.7")
    catalog = _pdf_catalog(content)
    assert catalog["Lang"] == b"en-GB"
    assert resolve1(catalog["ViewerPreferences"])["DisplayDocTitle"] is True
    metadata = resolve1(catalog["Metadata"]).get_data()
    assert b"pdfuaid:part" in metadata
    assert demo_report.title.encode() in metadata
    page = next(PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(content)))))
    width, height = page.mediabox[2] - page.mediabox[0], page.mediabox[3] - page.mediabox[1]
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_print_view_holds_the_report(client, demo_report):
    client.force_login(demo_report.created_by)
    response = client.get(f"/reports/{demo_report.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    for _finding, latest in _expected_areas(demo_report):
        assert latest.what_was_done in html
    for _, label in IMPLICATIONS:
        assert label in html


def test_a_council_template_gives_its_styles_and_keeps_none_of_its_text(demo_report):
    template = docx.Document()
    template.styles["Heading 1"].font.name = "Council Sans"
    template.add_paragraph("TEMPLATE PLACEHOLDER TEXT")
    template.sections[0].header.paragraphs[0].text = "Anytown Borough Council"
    buffer = io.BytesIO()
    template.save(buffer)

    exported = docx.Document(
        io.BytesIO(
            word.build_docx(
                _document(demo_report), template=word_templates.check(buffer.getvalue())
            )
        )
    )
    assert exported.styles["Heading 1"].font.name == "Council Sans"
    assert exported.sections[0].header.paragraphs[0].text == "Anytown Borough Council"
    text = "\n".join(p.text for p in exported.paragraphs)
    assert "TEMPLATE PLACEHOLDER TEXT" not in text
    assert exported.paragraphs[0].text == demo_report.title


def test_a_template_without_heading_styles_or_numbering_still_exports(demo_report, tmp_path):
    # A minimal document: no numbering part, no heading or table styles.
    template = docx.Document()
    buffer = io.BytesIO()
    template.save(buffer)
    stripped = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(stripped, "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship [^>]*numbering.xml"/>', b"", data)
            if item.filename == "word/numbering.xml":
                continue
            if item.filename == "word/styles.xml":
                data = re.sub(
                    rb'<w:style w:type="paragraph" w:styleId="Heading\d">.*?</w:style>',
                    b"",
                    data,
                    flags=re.S,
                )
                data = re.sub(
                    rb'<w:style w:type="table" w:styleId="TableGrid">.*?</w:style>',
                    b"",
                    data,
                    flags=re.S,
                )
            if item.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/word/numbering.xml"[^>]*/>', b"", data)
            target.writestr(item, data)
    bare = docx.Document(io.BytesIO(stripped.getvalue()))
    assert "Heading 1" not in {s.name for s in bare.styles}

    exported = docx.Document(
        io.BytesIO(
            word.build_docx(
                _document(demo_report), template=word_templates.check(stripped.getvalue())
            )
        )
    )
    assert exported.paragraphs[0].style.name == "Heading 1"
    assert exported.tables[0].style.name == "Table Grid"
    assert exported.part.numbering_part.element.findall(qn("w:num"))


def test_an_unchanged_report_is_not_laid_out_twice_and_a_change_is(monkeypatch, authority, manager):
    from django.core.cache import cache

    from tests.reports.factories import inspection_with_progress

    cache.clear()
    layouts = []
    real = pdf.layout_pdf
    monkeypatch.setattr(pdf, "layout_pdf", lambda html: layouts.append(html) or real(html))
    report = report_for(inspection_with_progress(authority, areas=1, months=1), manager)
    first = pdf.build_pdf(_document(report))
    assert pdf.build_pdf(_document(report)) == first
    assert len(layouts) == 1
    report.sections.filter(key="purpose").update(body="Changed purpose.")
    changed = pdf.build_pdf(_document(report))
    assert len(layouts) == 2 and changed != first
    assert "Changed purpose." in extract_text(io.BytesIO(changed))

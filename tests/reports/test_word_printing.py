"""The Word file as councils print it: A4 with the profile's margins, the profile's font, the
document's properties (title, author, the council as company), real hyperlinks, numbered
recommendations, areas lettered a., b., c., full titles everywhere. Opened with python-docx."""

import io
import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from inspections.models import Finding
from reports import word
from reports.document import document_for
from reports.models import ReportProfile
from reports.profiles import new_profile
from reports.selectors import report_with_sections
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db

LONG_TITLE = (
    "Progress on the areas for improvement from Ofsted's standard inspection of North Somerset's "
    "children's services in March 2023, for the Children and Young People's Scrutiny Panel"
)


def _bytes(report) -> bytes:
    return word.build_docx(document_for(report, report_with_sections(report=report)))


def _open(report) -> docx.document.Document:
    return docx.Document(io.BytesIO(_bytes(report)))


@pytest.fixture
def inspection(authority):
    inspection = inspection_with_progress(authority, areas=3, months=3)
    inspection.report_url = "https://files.ofsted.gov.uk/v1/file/50216275"
    inspection.save()
    return inspection


def _formats(document) -> dict[int, tuple[str, str]]:
    """numId -> (numFmt, start) of each list."""
    numbering = document.part.numbering_part.element
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    formats = {}
    for num in numbering.findall(qn("w:num")):
        abstract = abstracts[num.find(qn("w:abstractNumId")).get(qn("w:val"))]
        level = abstract.find(qn("w:lvl"))
        formats[int(num.get(qn("w:numId")))] = (
            level.find(qn("w:numFmt")).get(qn("w:val")),
            level.find(qn("w:start")).get(qn("w:val")),
        )
    return formats


def _num_id(paragraph) -> int | None:
    num_pr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    return num_pr.numId.val if num_pr is not None else None


def test_a4_with_margins_of_2_5_cm_in_arial_12_by_default(inspection, manager):
    document = _open(report_for(inspection, manager))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = [section.left_margin, section.right_margin, section.top_margin]
        assert [round(m.mm, 1) for m in [*margins, section.bottom_margin]] == [25.0] * 4
    defaults = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Arial"}
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "24"  # half-points
    assert document.styles["Normal"].font.name == "Arial"
    assert document.styles["Normal"].font.size.pt == 12
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:ascii")) == "Arial" and heading.get(qn("w:asciiTheme")) is None


def test_the_profiles_font_size_and_margins(inspection, manager, authority):
    profile = new_profile(authority)
    profile.font_name, profile.font_size, profile.margin_mm = "Verdana", 11, 20
    profile.save()
    document = _open(report_for(inspection, manager))
    assert round(document.sections[0].left_margin.mm) == 20
    assert document.styles["Normal"].font.name == "Verdana"
    assert document.styles["Normal"].font.size.pt == 11
    assert ReportProfile.objects.count() == 1


def test_the_title_author_and_council_are_the_documents_properties(inspection, manager):
    report = report_for(inspection, manager, title=LONG_TITLE)
    content = _bytes(report)
    properties = docx.Document(io.BytesIO(content)).core_properties
    assert len(LONG_TITLE) > 150
    assert properties.title == LONG_TITLE  # whole, never cut
    assert properties.author == "Pat Lee, Performance Lead"
    assert properties.language == "en-GB"
    app = zipfile.ZipFile(io.BytesIO(content)).read("docProps/app.xml").decode()
    assert "<Company>North Somerset</Company>" in app


def test_web_and_email_addresses_are_real_hyperlinks(inspection, manager):
    document = _open(report_for(inspection, manager))
    body = document.element.body
    targets = {}
    for hyperlink in body.iter(qn("w:hyperlink")):
        relationship = document.part.rels[hyperlink.get(qn("r:id"))]
        assert relationship.reltype == RELATIONSHIP_TYPE.HYPERLINK and relationship.is_external
        text = "".join(t.text for t in hyperlink.iter(qn("w:t")))
        targets[text] = relationship.target_ref
    assert targets["https://files.ofsted.gov.uk/v1/file/50216275"] == (
        "https://files.ofsted.gov.uk/v1/file/50216275"
    )
    assert targets["pat.lee@example.gov.uk"] == "mailto:pat.lee@example.gov.uk"


def test_recommendations_are_numbered_from_1_and_areas_lettered(inspection, manager):
    report = report_for(inspection, manager)
    document = _open(report)
    formats = _formats(document)
    recommendations = [p for p in document.paragraphs if p.text.startswith("That the ")]
    assert len(recommendations) == 2
    (list_id,) = {_num_id(p) for p in recommendations}
    assert formats[list_id] == ("decimal", "1")
    areas = [p for p in document.paragraphs if p.style.name == "Heading 3"]
    titles = list(
        Finding.objects.filter(inspection=inspection)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )
    assert [p.text for p in areas] == titles
    (letters,) = {_num_id(p) for p in areas}
    assert formats[letters] == ("lowerLetter", "1")


def test_full_titles_everywhere(inspection, manager):
    finding = Finding.objects.filter(inspection=inspection).first()
    finding.title = "A" * 60 + " " + "B" * 89  # 150 characters, the longest a title may be
    finding.save()
    report = report_for(inspection, manager, title=LONG_TITLE)
    document = _open(report)
    assert document.paragraphs[0].text == LONG_TITLE
    assert finding.title in [p.text for p in document.paragraphs]
    captions = [t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) for t in document.tables]
    assert all(captions)

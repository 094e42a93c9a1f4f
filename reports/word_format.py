"""The Word file's document-level formatting: A4 and margins, the font and size, the language,
the council as company, "Page X of Y" in the footer. reports.word writes the body."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part as PackagePart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree


def run_defaults(styles):
    """The styles part's default run properties (docDefaults/rPrDefault/rPr), made if missing."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    return properties


def set_language(document: DocxDocument, language: str) -> None:
    lang = run_property(run_defaults(document.styles.element), "w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)


def field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>{placeholder}</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(field)


def page_numbers(document: DocxDocument) -> None:
    for section in document.sections:
        footer = section.footer
        if "PAGE" in footer._element.xml and not footer.is_linked_to_previous:
            continue  # the council's template numbers its pages already
        footer.is_linked_to_previous = False
        # A paragraph of its own: never run into the text of the template's footer.
        empty = footer.paragraphs and not any(p.text.strip() for p in footer.paragraphs)
        paragraph = footer.paragraphs[0] if empty else footer.add_paragraph()
        paragraph.add_run("Page ")
        field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        field(paragraph, "NUMPAGES", "1")


def page_setup(document: DocxDocument, margin_mm: int) -> None:
    """A4 with the profile's margins (2.5 cm unless it says otherwise), as councils print."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(margin_mm))


# The order of run properties' children in the schema (ECMA-376 CT_RPr).
RUN_PROPERTIES = (
    *[
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
    ],
    *["w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish"],
    *[
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
    ],
    *[
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
    ],
    *["w:eastAsianLayout", "w:specVanish", "w:oMath"],
)


def run_property(properties, tag: str):
    """Run properties' child `tag`, made where the schema's order puts it (Word refuses a file
    whose elements are out of order)."""
    element = properties.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        later = RUN_PROPERTIES[RUN_PROPERTIES.index(tag) + 1 :]
        properties.insert_element_before(element, *later)
    return element


def font(properties, name: str, size_pt: int | None = None) -> None:
    """Sets a run-properties element's font (every script, no theme font) and size."""
    fonts = run_property(properties, "w:rFonts")
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), name)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            run_property(properties, tag).set(qn("w:val"), str(size_pt * 2))


def fonts(document: DocxDocument, name: str, size_pt: int) -> None:
    """The profile's font and size for the body (docDefaults and Normal), and its font for every
    style that names one (python-docx's headings use the theme's Calibri Light otherwise)."""
    styles = document.styles.element
    font(run_defaults(styles), name, size_pt)
    normal = document.styles["Normal"]
    normal.font.size = Pt(size_pt)
    for style in styles.findall(qn("w:style")):
        properties = style.find(qn("w:rPr"))
        if properties is not None and properties.find(qn("w:rFonts")) is not None:
            font(properties, name)
    font(normal.element.get_or_add_rPr(), name, size_pt)


def company(document: DocxDocument, name: str) -> None:
    """The council as the document's company (docProps/app.xml, which python-docx leaves
    alone)."""
    namespace = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    package = document.part.package
    part = next(
        (
            r.target_part
            for r in package.rels.values()
            if r.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES
        ),
        None,
    )
    if part is None:
        part = PackagePart(
            PackURI("/docProps/app.xml"),
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
            f'<Properties xmlns="{namespace}"/>'.encode(),
            package,
        )
        package.relate_to(part, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(part.blob, parser)
    element = root.find(f"{{{namespace}}}Company")
    if element is None:
        element = etree.SubElement(root, f"{{{namespace}}}Company")
    element.text = name
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

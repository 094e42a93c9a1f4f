"""The Word export (python-docx). Committee systems take Word, so the document must work as Word:

- headings use Word's built-in Heading 1-3 styles, so the navigation pane lists the sections;
- body paragraphs are numbered with real Word numbering (one list through the report), bullets
  are a real bullet list;
- tables are real tables with a repeating header row and a caption (alternative text);
- the footer shows "Page X of Y" as fields; title, subject and language (en-GB) are set.

A council's own template (.docx or .dotx, checked and prepared by reports.word_templates) may be
given. With placeholders (`{{ title }}`, `{{ committee }}`, `{{p body }}`, a loop over
`sections`) docxtpl fills them in its body, headers and footers, in a sandbox with every value
escaped, and the report goes where `{{p body }}` or the sections' `{{p section.content }}` are
(at the end when the template has neither). Without placeholders its body is dropped and its
styles, page set-up, headers and footers are kept. Styles the template lacks are copied from
python-docx's default template, so any template works.

All text goes in as literal text runs: nothing in a report can become a field or markup (so
`=cmd|...` or `{{ }}` stay text); web and email addresses become hyperlinks to exactly the
address shown.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import secrets

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docxtpl import DocxTemplate
from lxml import etree
from markupsafe import Markup

from reports import word_format
from reports.document import Document, Part, Table, layout
from reports.word_templates import Prepared, environment

HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
TABLE_STYLE = "Table Grid"
NUMBER_INDENT = 567  # twentieths of a point: 1 cm


@functools.cache
def _default_styles() -> dict[str, object]:
    """python-docx's own style definitions, to copy into a template that lacks one."""
    styles = open_docx().styles
    return {name: styles[name].element for name in (*HEADING_STYLES, TABLE_STYLE)}


def _start(template: Prepared | None) -> DocxDocument:
    """A new document, or the council's template without its body (its styles, page set-up,
    headers and footers)."""
    if template is None:
        return open_docx()
    document = open_docx(io.BytesIO(template.content))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _style_ids(document: DocxDocument) -> dict[str, str]:
    """Style ids by lower-case name ("heading 1" is how Word stores Heading 1), copying in the
    heading and table styles a council's template lacks."""
    ids = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            ids[name.get(qn("w:val")).lower()] = style.get(qn("w:styleId"))
    for name in (*HEADING_STYLES, TABLE_STYLE):
        if name.lower() not in ids:
            element = copy.deepcopy(_default_styles()[name])
            document.styles.element.append(element)
            ids[name.lower()] = element.get(qn("w:styleId"))
    return ids


def _numbering(document: DocxDocument) -> NumberingPart:
    part = document.part
    try:
        return part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
    except KeyError:
        numbering = NumberingPart(
            PackURI("/word/numbering.xml"),
            CONTENT_TYPE.WML_NUMBERING,
            parse_xml(f"<w:numbering {nsdecls('w')}/>"),
            part.package,
        )
        part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
        return numbering


LIST_FORMATS = {
    # kind: (numFmt, lvlText, indent)
    "paragraphs": ("decimal", "%1.", NUMBER_INDENT),
    "bullet": ("bullet", "•", NUMBER_INDENT * 2),
    "ordered": ("decimal", "%1.", NUMBER_INDENT * 2),
    "letters": ("lowerLetter", "%1.", NUMBER_INDENT),
}


def _add_list(numbering: NumberingPart, *, bullet: bool = False, kind: str = "") -> int:
    """Adds a one-level list definition and returns its numId: the report's paragraph numbers,
    a bullet list, a numbered list (each starts at 1) or the areas' letters."""
    root = numbering.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in root.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    fmt, text, indent = LIST_FORMATS[kind or ("bullet" if bullet else "paragraphs")]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{NUMBER_INDENT}"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # the schema wants every abstractNum before any num
    else:
        root.append(abstract)
    root.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


# The body is written as WordprocessingML elements directly: python-docx's paragraph API looks
# styles up by name and walks the body on every call, several times slower for a long report.
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Run = tuple[str, bool, bool]  # text, bold, italic


_qn = functools.cache(qn)  # the same few dozen names, tens of thousands of times


def _sub(parent, tag: str, **attributes: str):
    element = etree.SubElement(parent, _qn(tag))
    for name, value in attributes.items():
        element.set(_qn(f"w:{name}"), value)
    return element


# Web addresses and email addresses in the text become real hyperlinks.
# An address starts at the start of a word (the look-behind), so a long text is read once.
LINK = re.compile(
    r"(?<![\w.+-])(?:(https?://[^\s<>\"]+[^\s<>\".,;:!?)\]])|([\w.+-]+@[\w-]+(?:\.[\w-]+)+))"
)


class Links:
    """Hyperlinks to the addresses a report's text holds: one relationship per address."""

    def __init__(self, docx: DocxDocument):
        self.part = docx.part
        self.ids: dict[str, str] = {}

    def __call__(self, address: str) -> str:
        if address not in self.ids:
            self.ids[address] = self.part.relate_to(
                address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
        return self.ids[address]


def _run(parent, text: str, bold: bool, italic: bool, *, link: bool = False):
    run = _sub(parent, "w:r")
    if bold or italic or link:
        run_properties = _sub(run, "w:rPr")
        if bold:
            _sub(run_properties, "w:b")
        if italic:
            _sub(run_properties, "w:i")
        if link:
            _sub(run_properties, "w:color", val="0563C1")
            _sub(run_properties, "w:u", val="single")
    text_element = _sub(run, "w:t")
    text_element.text = text
    text_element.set(XML_SPACE, "preserve")
    return run


def _paragraph(
    runs: list[Run],
    *,
    style: str | None = None,
    num_id: int | None = None,
    links: Links | None = None,
):
    paragraph = etree.Element(qn("w:p"))
    if style or num_id:
        properties = _sub(paragraph, "w:pPr")
        if style:
            _sub(properties, "w:pStyle", val=style)
        if num_id:
            numbering = _sub(properties, "w:numPr")
            _sub(numbering, "w:ilvl", val="0")
            _sub(numbering, "w:numId", val=str(num_id))
    for text, bold, italic in runs:
        position = 0
        maybe_link = links is not None and ("://" in text or "@" in text)
        for found in LINK.finditer(text) if maybe_link else ():
            if found.start() > position:
                _run(paragraph, text[position : found.start()], bold, italic)
            address = found.group(0)
            target = address if found.group(1) else f"mailto:{address}"
            hyperlink = _sub(paragraph, "w:hyperlink")
            hyperlink.set(qn("r:id"), links(target))
            hyperlink.set(qn("w:history"), "1")
            _run(hyperlink, address, bold, italic, link=True)
            position = found.end()
        if position < len(text) or not text:
            _run(paragraph, text[position:], bold, italic)
    return paragraph


def _labelled(label: str, value: str, links: Links | None = None):
    return _paragraph([(f"{label}: ", True, False), (value, False, False)], links=links)


def _widths(columns: int, total: int) -> list[int]:
    """Column widths in twentieths of a point: the first column of a two-column table narrow
    (the implication, the role), otherwise the first column twice the others."""
    weights = [2.0, 5.0] if columns == 2 else [2.0] + [1.0] * (columns - 1)
    return [int(total * w / sum(weights)) for w in weights]


def _table(table: Table, *, style_id: str, width: int, links: Links | None = None):
    grid = etree.Element(qn("w:tbl"))
    properties = _sub(grid, "w:tblPr")
    _sub(properties, "w:tblStyle", val=style_id)
    _sub(properties, "w:tblW", w=str(width), type="dxa")
    _sub(
        properties,
        "w:tblLook",
        val="04A0",
        firstRow="1",
        lastRow="0",
        firstColumn="1",
        lastColumn="0",
        noHBand="0",
        noVBand="1",
    )
    _sub(properties, "w:tblCaption", val=table.caption)
    widths = _widths(len(table.columns), width)
    columns = _sub(grid, "w:tblGrid")
    for column_width in widths:
        _sub(columns, "w:gridCol", w=str(column_width))
    for index, values in enumerate([table.columns, *table.rows]):
        row = _sub(grid, "w:tr")
        if index == 0:
            _sub(_sub(row, "w:trPr"), "w:tblHeader")  # repeats on each page; read as headers
        for column_width, text in zip(widths, values, strict=False):
            cell = _sub(row, "w:tc")
            _sub(_sub(cell, "w:tcPr"), "w:tcW", w=str(column_width), type="dxa")
            cell.append(_paragraph([(text, index == 0, False)], links=links))
    return grid


def _text_width(docx: DocxDocument) -> int:
    section = docx.sections[-1]
    emu = (section.page_width or 7560310) - (section.left_margin or 0) - (section.right_margin or 0)
    return int(emu / 635)  # EMU to twentieths of a point


def _properties(docx: DocxDocument, document: Document) -> None:
    properties = docx.core_properties
    properties.title = document.title
    properties.subject = document.subject
    properties.author = document.author
    properties.last_modified_by = document.author
    properties.language = document.language
    properties.keywords = "committee report; Ofsted; ILACS"
    word_format.company(docx, document.authority)


def _body(docx: DocxDocument, document: Document) -> tuple[list, list[tuple[Part, list]]]:
    """The report as WordprocessingML elements using `docx`'s styles, numbering and
    relationships: the title and facts, then each part's elements (its heading first)."""
    style_ids = _style_ids(docx)
    links = Links(docx)
    numbering = _numbering(docx)
    numbered = _add_list(numbering, bullet=False)
    bulleted = _add_list(numbering, bullet=True)
    lettered = _add_list(numbering, kind="letters")
    headings = {level: style_ids[name.lower()] for level, name in enumerate(HEADING_STYLES, 1)}
    table_style = style_ids[TABLE_STYLE.lower()]
    width = _text_width(docx)

    head = [_paragraph([(document.title, False, False)], style=headings[1])]
    head += [_labelled(label, value, links) for label, value in document.facts]
    parts = []
    for part in document.parts:
        body = [
            _paragraph(
                [(part.heading, False, False)],
                style=headings[part.level],
                num_id=lettered if part.letter else None,
            )
        ]
        if part.level == 3:
            if part.finding_text:
                found = f"What the inspection found ({part.finding_kind.lower()}): "
                body.append(_paragraph([(found, True, False), (part.finding_text, False, True)]))
            rating = (
                f"{part.rag_label} ({part.rag_month})" if part.rag_label else "None approved yet"
            )
            body.append(_labelled("Latest approved RAG rating", rating))
            body.append(_labelled("RAG trend over the period", part.trend_text))
        for block in part.blocks:
            if block.is_list:
                # Each numbered list starts at 1: a list definition of its own.
                list_id = _add_list(numbering, kind="ordered") if block.ordered else bulleted
                body += [
                    _paragraph([(item, False, False)], num_id=list_id, links=links)
                    for item in block.items
                ]
            else:
                number = numbered if block.number else None
                body.append(_paragraph([(block.text, False, False)], num_id=number, links=links))
        for table in part.tables:
            body.append(_table(table, style_id=table_style, width=width, links=links))
            body.append(_paragraph([]))
        parts.append((part, body))
    return head, parts


def _append(docx: DocxDocument, elements: list) -> None:
    end = docx.element.body.find(qn("w:sectPr"))
    for element in elements:
        if end is not None:
            end.addprevious(element)
        else:
            docx.element.body.append(element)


def _paragraph_texts(part: Part) -> list[str]:
    texts = []
    for block in part.blocks:
        texts += block.items if block.is_list else [block.text]
    return texts


def _fill(document: Document, template: Prepared) -> DocxDocument:
    """The council's template with its placeholders filled in (docxtpl, sandboxed, escaped).

    `{{p body }}` and each `{{p section.content }}` are filled with a marker paragraph (its text
    random, so no report's text can forge one), then each marker is replaced by the report's own
    elements: docxtpl works through the template's few kilobytes, not the report's megabytes."""
    filled = DocxTemplate(io.BytesIO(template.content))
    filled.init_docx()
    head, parts = _body(filled.docx, document)
    nonce = secrets.token_hex(8)
    contents: dict[str, list] = {}

    def marker(key: str, elements: list) -> Markup:
        text = f"ilacs-{nonce}-{key}"
        contents[text] = elements
        return Markup(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")  # noqa: S704 - made here

    everything = head + [e for _, elements in parts for e in elements]
    context = {
        **document.fields,
        "body": marker("body", everything),
        "sections": [
            {
                "heading": part.heading,
                "letter": part.letter,
                "level": part.level,
                "paragraphs": _paragraph_texts(part),
                # Without its heading: the template has it.
                "content": marker(str(index), elements[1:]),
            }
            for index, (part, elements) in enumerate(parts)
        ],
    }
    filled.render(context, jinja_env=environment(), autoescape=True)
    docx = filled.docx
    # docxtpl swaps in the filled headers and footers behind python-docx's index of parts by
    # relationship: bring it up to date, or the page number would go to the unfilled footer.
    relationships = docx.part.rels
    for rid, relationship in relationships.items():
        if not relationship.is_external:
            relationships.related_parts[rid] = relationship._target
    placed = set()
    for paragraph in list(docx.element.body.iter(qn("w:p"))):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if text in contents:
            # A placeholder used twice gets its own copy the second time.
            elements = contents[text]
            if text in placed:
                elements = [copy.deepcopy(e) for e in elements]
            placed.add(text)
            # Typed as {{ body }} rather than {{p body }}, the marker sits inside a paragraph of
            # the template's: the report replaces that whole paragraph.
            outer = paragraph
            for ancestor in paragraph.iterancestors(qn("w:p")):
                outer = ancestor
            for element in elements:
                outer.addprevious(element)
            outer.getparent().remove(outer)
    if not placed:
        # Only the title block is placed: the report follows the template's own content.
        _append(docx, [e for _, elements in parts for e in elements])
    return docx


def build_docx(document: Document, *, template: Prepared | None = None) -> bytes:
    """The report as a .docx file's bytes: A4 in the profile's font, or in the council's
    template (its page set-up and styles; its placeholders filled when it has any)."""
    if template is not None and template.placeholders:
        docx = _fill(document, template)
    else:
        docx = _start(template)
        if template is None:
            word_format.page_setup(docx, document.margin_mm)
            word_format.fonts(docx, document.font_name, document.font_size)
        head, parts = _body(docx, document)
        _append(docx, head + [e for _, elements in parts for e in elements])
    word_format.set_language(docx, document.language)
    _properties(docx, document)
    word_format.page_numbers(docx)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


SAMPLE = {
    "title": "Sample report",
    "authority": "Sample council",
    "kind": "Progress update",
    "committee": "Cabinet",
    "meeting_date": "2026-01-01",
    "period_start": "2025-10-01",
    "period_end": "2025-12-31",
    "report_of": "Director",
    "portfolio_holder": "Cabinet member",
    "author": "Author",
    "contact": "author@example.gov.uk",
    "revision": 1,
    "sections": [
        {"key": "purpose", "kind": "text", "heading": "Purpose", "body": "Text.", "data": {}}
    ],
}


def sample_render(template: Prepared) -> bytes:
    """A small report in `template`: an upload's placeholders are tried before it is kept.
    Raises jinja2.TemplateError (or its sandbox's SecurityError) when they cannot be filled."""
    return build_docx(layout(SAMPLE), template=template)

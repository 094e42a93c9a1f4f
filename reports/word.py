"""The Word export (python-docx). Committee systems take Word, so the document must work as Word:

- headings use Word's built-in Heading 1-3 styles, so the navigation pane lists the sections;
- body paragraphs are numbered with real Word numbering (one list through the report), bullets
  are a real bullet list;
- tables are real tables with a repeating header row and a caption (alternative text);
- the footer shows "Page X of Y" as fields; title, subject and language (en-GB) are set.

A council's own template (.docx or .dotx) may be given: its body is dropped and its styles, page
set-up, headers and footers are kept. Styles the template lacks are copied from python-docx's
default template, so any template works.

All text goes in as literal text runs: nothing in a report can become a field, a hyperlink or
markup (so `=cmd|...` or `{{ }}` stay text).
"""

from __future__ import annotations

import copy
import functools
import io

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docx.text.paragraph import Paragraph

from reports.document import Document, Part, Table

HEADING_STYLES = ("Heading 1", "Heading 2", "Heading 3")
TABLE_STYLE = "Table Grid"
NUMBER_INDENT = 567  # twentieths of a point: 1 cm


@functools.cache
def _default_styles() -> dict[str, object]:
    """python-docx's own style definitions, to copy into a template that lacks one."""
    styles = open_docx().styles
    return {name: styles[name].element for name in (*HEADING_STYLES, TABLE_STYLE)}


def _start(template: bytes | None) -> DocxDocument:
    if template is None:
        return open_docx()
    from reports.services import as_docx

    document = open_docx(io.BytesIO(as_docx(template)))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _ensure_styles(document: DocxDocument) -> None:
    """Copies in the heading and table styles a council's template lacks."""
    names = {style.name for style in document.styles}
    for name in HEADING_STYLES:
        if name not in names:
            document.styles.element.append(copy.deepcopy(_default_styles()[name]))
    if TABLE_STYLE not in names:
        document.styles.element.append(copy.deepcopy(_default_styles()[TABLE_STYLE]))


def _set_language(document: DocxDocument, language: str) -> None:
    styles = document.styles.element
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
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)


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


def _add_list(numbering: NumberingPart, *, bullet: bool) -> int:
    """Adds a one-level list definition and returns its numId."""
    root = numbering.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in root.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=0) + 1
    num_id = max(num_ids, default=0) + 1
    indent = NUMBER_INDENT * 2 if bullet else NUMBER_INDENT
    text = "•" if bullet else "%1."
    fmt = "bullet" if bullet else "decimal"
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


def _list_item(paragraph: Paragraph, num_id: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    field = parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:t>{placeholder}</w:t></w:r></w:fldSimple>'
    )
    paragraph._p.append(field)


def _page_numbers(document: DocxDocument) -> None:
    for section in document.sections:
        footer = section.footer
        if "PAGE" in footer._element.xml and not footer.is_linked_to_previous:
            continue  # the council's template numbers its pages already
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES", "1")


def _labelled(document: DocxDocument, label: str, value: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)
    return paragraph


def _table(document: DocxDocument, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles[TABLE_STYLE]
    properties = grid._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), table.caption[:250])
    properties.append(caption)
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, table.columns, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=False):
            cell.paragraphs[0].add_run(text)
    document.add_paragraph()


def _blocks(document: DocxDocument, part: Part, numbered: int, bulleted: int) -> None:
    for block in part.blocks:
        if block.is_list:
            for item in block.items:
                _list_item(document.add_paragraph(item), bulleted)
        else:
            _list_item(document.add_paragraph(block.text), numbered)


def build_docx(document: Document, *, template: bytes | None = None) -> bytes:
    """The report as a .docx file's bytes."""
    docx = _start(template)
    _ensure_styles(docx)
    _set_language(docx, document.language)
    properties = docx.core_properties
    properties.title = document.title
    properties.subject = document.subject
    properties.language = document.language
    properties.keywords = "committee report; Ofsted; ILACS"
    numbering = _numbering(docx)
    numbered = _add_list(numbering, bullet=False)
    bulleted = _add_list(numbering, bullet=True)

    docx.add_heading(document.title, level=1)
    for label, value in document.facts:
        _labelled(docx, label, value)
    for part in document.parts:
        docx.add_heading(part.heading, level=part.level)
        if part.level == 3:
            if part.finding_text:
                paragraph = docx.add_paragraph()
                paragraph.add_run(
                    f"What the inspection found ({part.finding_kind.lower()}): "
                ).bold = True
                paragraph.add_run(part.finding_text).italic = True
            _labelled(
                docx,
                "Latest approved RAG rating",
                f"{part.rag_label} ({part.rag_month})" if part.rag_label else "None approved yet",
            )
            _labelled(docx, "RAG trend over the period", part.trend_text)
        _blocks(docx, part, numbered, bulleted)
        for table in part.tables:
            _table(docx, table)
    _page_numbers(docx)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()

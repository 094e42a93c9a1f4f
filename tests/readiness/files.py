"""Real files of every kind an evidence upload may be, and the hostile ones it must refuse, made
by the libraries that write them (python-docx, openpyxl, Pillow) or taken from the fixtures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# A real Ofsted report (PDF), and a web page the public archive saved under a .pdf name.
REAL_PDF = FIXTURES / "ofsted-reports" / "north-somerset_published-2017-08-25.pdf"
WEB_PAGE_CALLED_PDF = FIXTURES / "ofsted-archive" / "80429_birmingham_2012-10-19.pdf"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def pdf() -> bytes:
    return REAL_PDF.read_bytes()


def docx() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Audit of supervision, March 2026", level=1)
    document.add_paragraph("Twenty case files were audited with team managers.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Month", "Visits on time"])
    workbook.active.append(["March 2026", 0.93])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx() -> bytes:
    """The smallest package PowerPoint's content types describe as a presentation."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/ppt/presentation.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
            "</Types>",
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>',
        )
        package.writestr(
            "ppt/presentation.xml",
            '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        )
    return out.getvalue()


def image(format: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (29, 112, 184)).save(out, format=format)
    return out.getvalue()


def macro_enabled_docx() -> bytes:
    """A Word document with a VBA project, as Word saves a .docm: the macro-enabled main part
    and vbaProject.bin."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                    b"</Types>",
                )
            package.writestr(item, data)
        package.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return out.getvalue()


def executable() -> bytes:
    """The start of a Windows program (an MZ header with its DOS stub)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\0" * 48
        + (b"This program cannot be run in DOS mode.\r\r\n$")
        + b"\0" * 400
    )


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\0" * 500


def html() -> bytes:
    return WEB_PAGE_CALLED_PDF.read_bytes()


def svg_with_script() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert("evidence")</script><rect width="10" height="10"/></svg>'
    )


def legacy_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000

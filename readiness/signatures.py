"""What an uploaded evidence file really is, read from its own bytes, never from its name.

`identify(name, head, open_zip)` returns the file's `Kind` or raises ValidationError saying why it
is refused. The order matters: what a file *is* is decided first (a program, a web page, an SVG, a
macro-enabled Office file are refused whatever they are called), then whether its name says the
same thing (a PDF called report.docx is refused: a person opening it would be misled, and a viewer
choosing a program by the name could be too).

The signature table:

| kind | extensions | content |
|---|---|---|
| PDF | .pdf | starts `%PDF-` |
| Word, Excel, PowerPoint | .docx, .xlsx, .pptx | a zip (`PK\\x03\\x04`) whose `[Content_Types].xml` declares the format's main part, with no VBA project (`vbaProject.bin`) and no macro-enabled content type |
| PNG | .png | `\\x89PNG\\r\\n\\x1a\\n` |
| JPEG | .jpg, .jpeg | `\\xff\\xd8\\xff` |
| GIF | .gif | `GIF87a` or `GIF89a` |

Refused with their own message: programs (`MZ`: Windows; `\\x7fELF`: Linux; Mach-O: macOS; `#!`:
a script), web pages (HTML, XML with a script), SVG images (they can carry scripts), legacy Office
files (`\\xd0\\xcf\\x11\\xe0`: .doc, .xls, .ppt, whose macros cannot be checked without running a
parser over a format built to hide them; save them as .docx, .xlsx or .pptx), macro-enabled Office
files (.docm, .xlsm, .pptm, or a VBA project inside any package) and anything else."""

from __future__ import annotations

import enum
import re
import zipfile
from collections.abc import Callable
from pathlib import PurePath

from django.core.exceptions import ValidationError
from lxml import etree

# How much of the start of a file is read to tell what it is.
HEAD_BYTES = 1024
# [Content_Types].xml is a few kilobytes in any real Office file.
MAX_CONTENT_TYPES_BYTES = 256 * 1024
MAX_PARTS = 10_000


class Kind(enum.Enum):
    """An accepted kind of file: (label, MIME type it is served as, extensions)."""

    PDF = ("PDF", "application/pdf", (".pdf",))
    DOCX = (
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    )
    XLSX = (
        "Excel spreadsheet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
    )
    PPTX = (
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (".pptx",),
    )
    PNG = ("PNG image", "image/png", (".png",))
    JPEG = ("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
    GIF = ("GIF image", "image/gif", (".gif",))

    @property
    def label(self) -> str:
        return self.value[0]

    @property
    def mime_type(self) -> str:
        return self.value[1]

    @property
    def extensions(self) -> tuple[str, ...]:
        return self.value[2]

    @property
    def code(self) -> str:
        return self.name.lower()


ACCEPTED_EXTENSIONS = tuple(ext for kind in Kind for ext in kind.extensions)
ACCEPTED_DESCRIPTION = (
    "a PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file, or a PNG, JPEG or GIF image"
)

# The main part each Office kind must declare in [Content_Types].xml.
OFFICE_MAIN = {
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    Kind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
_MACRO_TYPE = re.compile(
    r"macroEnabled|vbaProject|vbaData|ms-office\.activeX|application/vnd\.ms-excel\.intl-macrosheet"
    r"|application/vnd\.ms-excel\.macrosheet",
    re.IGNORECASE,
)
MACRO_EXTENSIONS = frozenset(
    {".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".pptm", ".potm", ".ppsm"}
)
LEGACY_EXTENSIONS = frozenset({".doc", ".dot", ".xls", ".xlt", ".ppt", ".pps"})
WEB_EXTENSIONS = frozenset(
    {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mht"}
)
PROGRAM_EXTENSIONS = frozenset(
    {".exe", ".dll", ".com", ".bat", ".cmd", ".msi", ".scr", ".ps1", ".vbs", ".sh", ".jar", ".app"}
)

PROGRAM = "The selected file is a program, not a document. Upload " + ACCEPTED_DESCRIPTION
WEB_PAGE = "The selected file is a web page (HTML), which can run scripts. Save it as a PDF and upload that"
SVG = (
    "The selected file is an SVG image, which can carry scripts. Save it as a PNG image and "
    "upload that"
)
LEGACY_OFFICE = (
    "The selected file is an older Office file (.doc, .xls or .ppt), which can hide macros. "
    "Save it as .docx, .xlsx or .pptx and upload that"
)
MACROS = (
    "The selected file contains macros. Save it as a file without macros (.docx, .xlsx or .pptx) "
    "and upload that"
)
DAMAGED_OFFICE = (
    "The selected file is damaged: it cannot be opened as a Word, Excel or PowerPoint file"
)
UNKNOWN = "The selected file is not " + ACCEPTED_DESCRIPTION


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code)})


def _extension(name: str) -> str:
    return PurePath(name.strip().lower()).suffix


def _sniff(head: bytes) -> str | None:
    """The family the first bytes belong to: a Kind's name, or a refused family."""
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "legacy"
    if head.startswith((b"MZ", b"\x7fELF", b"#!")) or head[:4] in {
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xce\xfa\xed\xfe",
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
    }:
        return "program"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return "svg"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<?xml")) or (
        b"<script" in text or b"<iframe" in text or b"<html" in text
    ):
        return "web"
    return None


def _office_kind(archive: zipfile.ZipFile) -> Kind:
    """Which Office format a zip package is, from its [Content_Types].xml: refused when it has
    macros, is damaged, or is not Word, Excel or PowerPoint."""
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _refuse(DAMAGED_OFFICE, "damaged")
    names = {info.filename.lower() for info in infos}
    if any(name.rsplit("/", 1)[-1] in {"vbaproject.bin", "vbadata.xml"} for name in names):
        raise _refuse(MACROS, "macros")
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise _refuse(UNKNOWN, "unknown") from None
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _refuse(DAMAGED_OFFICE, "damaged")
    try:
        with archive.open(info) as part:
            data = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise _refuse(DAMAGED_OFFICE, "damaged") from None
    if len(data) > MAX_CONTENT_TYPES_BYTES:
        raise _refuse(DAMAGED_OFFICE, "damaged")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise _refuse(DAMAGED_OFFICE, "damaged") from None
    if root.getroottree().docinfo.doctype:
        raise _refuse(DAMAGED_OFFICE, "damaged")
    types = {
        element.get("ContentType", "") for element in root.iter() if element.get("ContentType")
    }
    if any(_MACRO_TYPE.search(content_type) for content_type in types):
        raise _refuse(MACROS, "macros")
    for kind, main in OFFICE_MAIN.items():
        if main in types:
            return kind
    raise _refuse(UNKNOWN, "unknown")


def identify(name: str, head: bytes, open_zip: Callable[[], zipfile.ZipFile]) -> Kind:
    """The kind of file an upload named `name` is, from `head` (its first HEAD_BYTES bytes) and,
    for a zip, the package `open_zip()` returns. Raises ValidationError (on "file") with the
    reason it is refused."""
    extension = _extension(name)
    family = _sniff(head)
    if family == "program" or extension in PROGRAM_EXTENSIONS:
        raise _refuse(PROGRAM, "program")
    if family == "svg" or extension in {".svg", ".svgz"}:
        raise _refuse(SVG, "svg")
    if family == "web" or extension in WEB_EXTENSIONS:
        raise _refuse(WEB_PAGE, "web_page")
    if family == "legacy" or extension in LEGACY_EXTENSIONS:
        raise _refuse(LEGACY_OFFICE, "legacy_office")
    if extension in MACRO_EXTENSIONS:
        raise _refuse(MACROS, "macros")
    if family == "zip":
        try:
            with open_zip() as archive:
                kind = _office_kind(archive)
        except zipfile.BadZipFile:
            raise _refuse(DAMAGED_OFFICE, "damaged") from None
    elif family is not None:
        kind = Kind[family]
    else:
        raise _refuse(UNKNOWN, "unknown")
    if extension not in ACCEPTED_EXTENSIONS:
        raise _refuse(UNKNOWN, "unknown")
    if extension not in kind.extensions:
        raise _refuse(
            f"The selected file’s name ends {extension} but it is a {kind.label} "
            f"(a {kind.extensions[0]} file). Check you chose the right file, or give it the "
            "right name",
            "mismatch",
        )
    return kind

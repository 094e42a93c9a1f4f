"""A council's own Word template: checked before anything parses it, prepared once and kept.

The checks (`check`) run on the raw bytes, before python-docx or docxtpl read a byte of XML:

- at most 2 MB as uploaded and 20 MB unpacked (counted while unpacking, not taken from the
  archive's own claims), and at most 1,000 parts;
- no macros (a macro-enabled content type, a VBA project);
- no DTDs in any XML part (entity expansion);
- nothing outside the file: no external relationship (an attached template, a picture or a link
  on another server, a linked object) and no field that fetches another file (INCLUDEPICTURE,
  INCLUDETEXT, LINK, DDE);
- a template with placeholders uses only the names the export fills in (and, checked by the
  upload service with reports.word.sample_render, renders).

Each refusal says which of these it is. A template passed the checks when it was uploaded, so
exports do not check it again: `prepared` reads it once per process (keyed by its row and when
it was saved) and keeps what every export needs."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

MAX_COMPRESSED = 2 * 1024 * 1024
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_PARTS = 1000
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

# What a council's template may use: the title block, and the report's body whole or by section.
PLACEHOLDERS = {
    "title": "the report's title",
    "authority": "the council's name",
    "kind": "the kind of report",
    "committee": "the committee",
    "meeting_date": "the date of the meeting, for example 21 October 2026",
    "report_of": "who the report is from",
    "cabinet_member": "the cabinet member or portfolio holder",
    "portfolio_holder": "the same as cabinet_member",
    "key_decision": "Yes, No or Not applicable",
    "wards_affected": "the wards affected",
    "exempt": "Open, Part exempt or Fully exempt",
    "period": "the period covered",
    "author": "the report author",
    "contact": "the author's contact details",
    "status": "Draft or Final",
    "version": "the report's version number",
    "body": "the whole report, with its headings, numbering and tables ({{p body }})",
    "sections": "the sections, to loop over: each has heading, letter, paragraphs and content",
}
_FETCHING_FIELD = re.compile(rb"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE)\b")
_PLACEHOLDER = re.compile(r"\{\{|\{%")
EXTERNAL_KINDS = {
    "attachedTemplate": "an attached template on another computer or server",
    "image": "a picture linked from another server",
    "hyperlink": "a link to another server",
    "oleObject": "an object linked from another file",
    "subDocument": "a subdocument in another file",
    "frame": "a frame showing another file",
}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


NOT_WORD = "The file is not a Word document that can be opened"


def _unpack(content: bytes) -> dict[str, bytes]:
    """Every part of the package, unpacked with a running count: refused past the limits."""
    if len(content) > MAX_COMPRESSED:
        raise _refuse("The template must be smaller than 2 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        items = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(NOT_WORD) from None
    if len(items) > MAX_PARTS:
        raise _refuse(f"The template has more than {MAX_PARTS:,} parts: it is not a Word template")
    too_big = _refuse(
        "The template unpacks to more than 20 MB: make it smaller (compress its pictures), "
        "then upload it again"
    )
    if sum(item.file_size for item in items) > MAX_UNCOMPRESSED:
        raise too_big
    parts: dict[str, bytes] = {}
    total = 0
    try:
        for item in items:
            if item.is_dir():
                continue
            chunks = []
            with archive.open(item) as stream:
                while chunk := stream.read(64 * 1024):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:  # the archive understated a size
                        raise too_big
                    chunks.append(chunk)
            parts[item.filename] = b"".join(chunks)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError):
        raise _refuse(NOT_WORD) from None
    return parts


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _external(parts: dict[str, bytes]) -> tuple[str, str] | None:
    """The first relationship to something outside the file: (what it is, its target)."""
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(data, _SAFE_XML)
        except etree.XMLSyntaxError:
            raise _refuse(NOT_WORD) from None
        for relationship in root:
            if relationship.get("TargetMode", "").lower() == "external":
                kind = relationship.get("Type", "").rsplit("/", 1)[-1]
                what = EXTERNAL_KINDS.get(kind, "a file on another computer or server")
                return what, relationship.get("Target", "")
    return None


def check(content: bytes) -> Prepared:
    """Raises ValidationError, saying why, unless `content` is a Word template the export can
    use safely; returns it prepared (reports.word.sample_render then tries its placeholders)."""
    parts = _unpack(content)
    types = parts.get("[Content_Types].xml")
    if types is None:
        raise _refuse(NOT_WORD)
    if (
        b"macroEnabled" in types
        or b"vbaProject" in types
        or any("vbaproject" in name.lower() for name in parts)
    ):
        raise _refuse("The template must not contain macros: save it as a .docx or .dotx")
    if DOCX_MAIN.encode() not in types and DOTX_MAIN.encode() not in types:
        raise _refuse(NOT_WORD)
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in data[:4096].upper():
            raise _refuse(NOT_WORD)
    external = _external(parts)
    if external is not None:
        what, target = external
        raise _refuse(
            f"The template refers to {what} ({target[:200]}): remove it, save the template, "
            "then upload it again. Templates must not depend on anything outside the file"
        )
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and _FETCHING_FIELD.search(data):
            field = _FETCHING_FIELD.search(data).group(1).decode()
            if _is_field(data, field):
                raise _refuse(
                    f"The template has a {field} field, which fetches content from another file "
                    "or server: remove it, then upload the template again"
                )
    prepared = _prepare(content)
    unknown = sorted(set(prepared.variables) - set(PLACEHOLDERS))
    if unknown:
        names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        raise _refuse(
            f"The template uses {names}, which the export does not fill in. The placeholders "
            "are: " + ", ".join(PLACEHOLDERS)
        )
    return prepared


def _is_field(data: bytes, field: str) -> bool:
    """Whether `field` is a field's instruction (not words in the text)."""
    instructions = re.findall(rb"<w:instrText[^>]*>([^<]*)<|w:instr=\"([^\"]*)\"", data)
    return any(field.encode() in (a or b) for a, b in instructions)


def as_docx(content: bytes) -> bytes:
    """A .dotx is a .docx with another content type; python-docx opens only the latter."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml")
        if DOTX_MAIN.encode() not in types:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(DOTX_MAIN.encode(), DOCX_MAIN.encode())
                target.writestr(item, data)
    return out.getvalue()


@dataclass(frozen=True)
class Prepared:
    """A template ready for exports: as a .docx, whether it has placeholders, and which."""

    content: bytes
    placeholders: bool
    variables: frozenset[str]


def environment() -> SandboxedEnvironment:
    """Placeholders are filled in a sandbox, everything escaped: a template can read the values
    it is given and nothing else."""
    return SandboxedEnvironment(autoescape=True)


def _prepare(content: bytes) -> Prepared:
    from docxtpl import DocxTemplate

    docx = as_docx(content)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        texts = [
            re.sub(r"<[^>]+>", "", archive.read(name).decode("utf-8", "replace"))
            for name in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        ]
    if not any(_PLACEHOLDER.search(text) for text in texts):
        return Prepared(docx, False, frozenset())
    try:
        variables = DocxTemplate(io.BytesIO(docx)).get_undeclared_template_variables(environment())
    except TemplateError as error:
        raise _refuse(
            f"The template's placeholders cannot be read: {error.message or error}. "
            "Check each {{ }} and {% %} is complete"
        ) from None
    return Prepared(docx, True, frozenset(variables))


def placeholder_text(name: str) -> str:
    """How a placeholder is typed in Word."""
    return "{{p body }}" if name == "body" else "{{ " + name + " }}"


LOOP_EXAMPLE = (
    "{%p for section in sections %}",
    "{{ section.heading }}",
    "{{p section.content }}",
    "{%p endfor %}",
)

_PREPARED: dict[tuple[int, str], Prepared] = {}
CACHED_TEMPLATES = 64


def remember(template_id: int, saved_at: str, template: Prepared) -> None:
    """Keeps a template just checked at upload, so the first export does not read it again."""
    if len(_PREPARED) >= CACHED_TEMPLATES:
        _PREPARED.pop(next(iter(_PREPARED)), None)
    _PREPARED[(template_id, saved_at)] = template


def prepared(template_id: int, saved_at: str, load: Callable[[], bytes]) -> Prepared:
    """The template `template_id` as saved at `saved_at`, read once per process: `load()` (the
    database read of its bytes) is called only the first time; a new upload changes
    `saved_at`."""
    key = (template_id, saved_at)
    found = _PREPARED.get(key)
    if found is None:
        found = _prepare(bytes(load()))
        remember(template_id, saved_at, found)
    return found

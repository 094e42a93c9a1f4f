"""The report as a document: one structure the HTML view, Word and PDF exports all lay out the
same way, so they never disagree on content or paragraph numbers.

`report_content` turns a report and its sections into plain JSON: the snapshot a final report
keeps. `layout` turns that JSON into headings, numbered paragraphs, bullet lists and tables.
Neither queries the database."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from improvement_plans.models import Rag
from reports.models import CommitteeReport, ReportKind, ReportSection, SectionKind
from reports.plaintext import Block, clean, parse
from reports.profiles import DEFAULT_PRESENTATION

LANGUAGE = "en-GB"


def _long_date(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def report_content(report: CommitteeReport, sections: list[ReportSection]) -> dict:
    """Everything the document shows, as JSON-serialisable data."""
    return {
        "title": report.title,
        "authority": report.authority.name,
        "kind": report.get_kind_display(),
        "committee": report.committee,
        "meeting_date": report.meeting_date.isoformat(),
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "report_of": report.report_of,
        "portfolio_holder": report.portfolio_holder,
        "author": report.author_name,
        "contact": report.contact,
        "key_decision": report.get_key_decision_display(),
        "wards_affected": report.wards_affected,
        "exemption": report.get_exemption_display(),
        "presentation": {**DEFAULT_PRESENTATION, **report.presentation},
        "revision": report.revision,
        "sections": [
            {
                "key": s.key,
                "kind": s.kind,
                "heading": s.heading,
                "body": s.body,
                "data": s.data,
            }
            for s in sections
        ],
    }


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class RagPoint:
    month: str
    rag: str
    label: str


@dataclass
class Part:
    """One heading and what follows it, up to the next heading."""

    heading: str
    level: int  # 1 the title, 2 a section, 3 an area for improvement
    key: str = ""
    letter: str = ""  # areas for improvement: a, b, c as councils letter them
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Areas for improvement only:
    finding_kind: str = ""
    finding_text: str = ""
    rag: str = ""
    rag_label: str = ""
    rag_month: str = ""
    trend: list[RagPoint] = field(default_factory=list)

    @property
    def trend_text(self) -> str:
        if self.trend:
            return "; ".join(f"{p.month}: {p.label}" for p in self.trend)
        if self.rag == Rag.COMPLETE:
            return f"No updates in the period: complete since {self.rag_month}"
        return "No approved updates in the period"


@dataclass
class Document:
    title: str
    subject: str
    facts: list[tuple[str, str]]
    parts: list[Part]
    language: str = LANGUAGE
    # For the Word file's properties and a council template's placeholders.
    authority: str = ""
    author: str = ""
    fields: dict = field(default_factory=dict)
    font_name: str = DEFAULT_PRESENTATION["font_name"]
    font_size: int = DEFAULT_PRESENTATION["font_size"]
    margin_mm: int = DEFAULT_PRESENTATION["margin_mm"]


def _rag_label(rag: str) -> str:
    return Rag(rag).label if rag in Rag.values else ""


def layout(content: dict, *, status: str = "Draft", finalised: str = "") -> Document:
    """Lays out the content: numbers every paragraph through the report (committee reports cite
    paragraph numbers), groups the areas for improvement under one heading."""
    presentation = {**DEFAULT_PRESENTATION, **(content.get("presentation") or {})}
    # Reports finalised before the title block had them say nothing of these three.
    title_block = [
        (label, content[key])
        for label, key in (
            ("Key decision", "key_decision"),
            ("Wards affected", "wards_affected"),
            ("Open or exempt", "exemption"),
        )
        if content.get(key)
    ]
    if content["kind"] == ReportKind.SELF_EVALUATION.label:
        # Not a committee paper: shared with Ofsted, with no decision or portfolio holder.
        first = [
            ("Shared with", content["committee"]),
            ("Date shared", _long_date(content["meeting_date"])),
            ("From", content["report_of"]),
        ]
        title_block = []
    else:
        first = [
            ("Committee", content["committee"]),
            ("Date of meeting", _long_date(content["meeting_date"])),
            ("Report of", content["report_of"]),
            ("Cabinet member or portfolio holder", content["portfolio_holder"]),
        ]
    facts = [
        *first,
        *title_block,
        ("Kind of report", content["kind"]),
        (
            "Period covered",
            f"{_long_date(content['period_start'])} to {_long_date(content['period_end'])}",
        ),
        ("Report author", content["author"]),
        (
            "Status",
            f"{status}, version {content['revision']}" + (f", {finalised}" if finalised else ""),
        ),
    ]
    parts: list[Part] = []
    grouped = False
    number = 0
    letters = 0

    def numbered(blocks: list[Block]) -> list[Block]:
        nonlocal number
        for block in blocks:
            if not block.is_list:
                number += 1
                block.number = number
        return blocks

    for section in content["sections"]:
        kind, data = section["kind"], section.get("data") or {}
        if kind == SectionKind.AREA:
            if not grouped:
                heading = clean(presentation["areas_heading"])
                parts.append(Part(heading=heading, level=2, key="areas"))
                grouped = True
            part = Part(
                heading=clean(section["heading"]),
                level=3,
                key=section["key"],
                letter=_letter(letters),
                finding_kind=data.get("finding_kind", ""),
                finding_text=clean(data.get("finding_text", "")),
                rag=data.get("rag", ""),
                rag_label=_rag_label(data.get("rag", "")),
                rag_month=(
                    f"{datetime.date.fromisoformat(data['month']):%B %Y}"
                    if data.get("month")
                    else ""
                ),
                trend=[
                    RagPoint(
                        f"{datetime.date.fromisoformat(p['month']):%B %Y}",
                        p["rag"],
                        _rag_label(p["rag"]),
                    )
                    for p in data.get("trend", [])
                ],
            )
            letters += 1
            part.blocks = numbered(parse(section["body"]))
            if data.get("actions"):
                part.tables.append(
                    Table(
                        caption=f"Actions for: {part.heading}",
                        columns=["Action", "Owner", "Due", "Status"],
                        rows=[[clean(str(c)) for c in row] for row in data["actions"]],
                    )
                )
            parts.append(part)
            continue
        part = Part(heading=clean(section["heading"]), level=2, key=section["key"])
        part.blocks = numbered(parse(section["body"]))
        if data.get("rows"):
            part.tables.append(
                Table(
                    caption=part.heading,
                    columns=[clean(c) for c in data["columns"]],
                    rows=[[clean(str(c)) for c in row] for row in data["rows"]],
                )
            )
        parts.append(part)
    contact = Part(heading="Report author and contact", level=2, key="contact")
    contact.blocks = parse(f"{content['author']}\n\n{content['contact']}")  # not numbered
    parts.append(contact)
    return Document(
        title=clean(content["title"]),
        subject=f"{content['authority']}: {content['kind']}",
        facts=[(label, clean(value)) for label, value in facts],
        parts=parts,
        authority=clean(content["authority"]),
        author=clean(content["author"]),
        fields=_fields(content, status),
        # Goes into CSS and Word's font tables: letters, digits, spaces and hyphens only.
        font_name=re.sub(r"[^\w \-]", "", presentation["font_name"]) or "Arial",
        font_size=presentation["font_size"],
        margin_mm=presentation["margin_mm"],
    )


def _letter(index: int) -> str:
    """a, b, ..., z, aa, ab: how councils letter a list."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _fields(content: dict, status: str) -> dict[str, str]:
    """The report's details by name, as a council's Word template's placeholders use them."""
    return {
        "title": clean(content["title"]),
        "authority": clean(content["authority"]),
        "kind": content["kind"],
        "committee": clean(content["committee"]),
        "meeting_date": _long_date(content["meeting_date"]),
        "report_of": clean(content["report_of"]),
        "cabinet_member": clean(content["portfolio_holder"]),
        "portfolio_holder": clean(content["portfolio_holder"]),
        "key_decision": content.get("key_decision", ""),
        "wards_affected": clean(content.get("wards_affected", "")),
        "exempt": content.get("exemption", ""),
        "period": f"{_long_date(content['period_start'])} to {_long_date(content['period_end'])}",
        "author": clean(content["author"]),
        "contact": clean(content["contact"]),
        "status": status,
        "version": str(content["revision"]),
    }


def document_for(report: CommitteeReport, sections: list[ReportSection] | None = None) -> Document:
    """The report as it reads now: a final report from its snapshot, a draft from its rows."""
    if report.is_final:
        finalised = f"finalised {timezone.localtime(report.finalised_at):%-d %B %Y}"
        return layout(report.final_content, status="Final", finalised=finalised)
    assert sections is not None, "a draft is laid out from its sections"
    return layout(report_content(report, sections), status="Draft")

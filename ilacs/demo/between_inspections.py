"""The demo's preparation between inspections, for each demo authority: an evidence library from
the default list (most documents with a current file, some missing, one due for review), evidence
files on the latest approved update of each current area, a readiness checklist in the words of
Brent's preparation (../shared/seeds/004: the self-evaluation, dry runs of the child-level data,
the evidence library, the logistics plan) and this year's annual engagement meeting with its
record. Running it again adds nothing."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accounts.models import LocalAuthority
from improvement_plans import rules
from improvement_plans.models import ProgressUpdate, UpdateStatus
from inspections.models import EventType, Framework, Inspection
from readiness import services
from readiness.models import EngagementMeeting, Evidence, ItemState, LibraryDocument, ReadinessItem

CHECKLIST = [
    (
        "Self-evaluation of social work practice shared with Ofsted",
        "Director of Children's Services",
        ItemState.DONE,
        -150,
    ),
    (
        "Dry run of the child-level data (Annex A) and the data analysis tool",
        "Head of Performance",
        ItemState.IN_PROGRESS,
        30,
    ),
    (
        "Evidence library of required documents complete and reviewed",
        "Head of Quality Assurance",
        ItemState.IN_PROGRESS,
        45,
    ),
    (
        "Logistics plan for the inspection weeks: rooms, IT access, case lists",
        "Business Support Manager",
        ItemState.NOT_STARTED,
        60,
    ),
    (
        "Briefings for staff, partners and the lead member on what inspectors will ask",
        "Principal Social Worker",
        ItemState.NOT_STARTED,
        75,
    ),
]
# How many library documents (in the default list's order) have no file yet; the one after them
# has a file whose review date has passed.
MISSING = {"North Somerset": 3, "Gateshead": 1, "Brent": 4}


def _docx(title: str, text: str) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(name: str, title: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _docx(title, text))


def seed(authority: LocalAuthority, *, officer, manager, today: datetime.date) -> None:
    _library(authority, officer=officer, manager=manager, today=today)
    _update_evidence(authority, officer=officer, today=today)
    _checklist(authority, manager=manager, today=today)
    _engagement_meeting(authority, manager=manager, today=today)


def _library(authority, *, officer, manager, today) -> None:
    services.library_start_from_default(authority=authority, user=manager)
    documents = list(LibraryDocument.objects.filter(authority=authority))
    missing = MISSING[authority.name]
    for index, document in enumerate(documents):
        if document.files.exists() or index < missing:
            if index < missing and document.due_date is None:
                # The first is overdue; the others are due soon.
                document.due_date = today + datetime.timedelta(
                    days=-14 if index == 0 else 21 * index
                )
                document._history_user = manager
                document.save()
            continue
        document.review_date = today + datetime.timedelta(
            days=-10 if index == missing else 120 + 7 * index
        )
        document._history_user = manager
        document.save()
        services.evidence_add(
            target=document,
            uploaded_file=_upload(
                f"{document.title}.docx",
                document.title,
                f"{authority.name}: {document.description}",
            ),
            title=f"{document.title} ({today.year if index % 3 else today.year - 1})",
            document_date=today - datetime.timedelta(days=30 + 11 * index),
            user=officer,
        )


def _update_evidence(authority, *, officer, today) -> None:
    """An audit report on the latest approved update of each current area."""
    inspections = list(Inspection.objects.filter(authority=authority, start_date__lte=today))
    cycle = [i.pk for i in rules.current_cycle(inspections)]
    for update in (
        ProgressUpdate.objects.filter(
            area_for_improvement__inspection_id__in=cycle, status=UpdateStatus.APPROVED
        )
        .select_related("area_for_improvement")
        .order_by("area_for_improvement_id", "-month")
        .distinct()
    ):
        if Evidence.objects.filter(
            progress_update__area_for_improvement=update.area_for_improvement_id
        ).exists():
            continue
        services.evidence_add(
            target=update,
            uploaded_file=_upload(
                f"Audit {update.month:%B %Y}.docx",
                f"Audit findings, {update.month:%B %Y}",
                f"What the month's audits found about {update.area_for_improvement.title.lower()}",
            ),
            title=f"Audit findings, {update.month:%B %Y}",
            document_date=update.month + datetime.timedelta(days=27),
            user=officer,
        )


def _checklist(authority, *, manager, today) -> None:
    have = set(ReadinessItem.objects.filter(authority=authority).values_list("title", flat=True))
    for title, owner, state, days in CHECKLIST:
        if title not in have:
            services.readiness_item_create(
                authority=authority,
                user=manager,
                title=title,
                owner=owner,
                state=state,
                due_date=today + datetime.timedelta(days=days),
            )


def _engagement_meeting(authority, *, manager, today) -> None:
    """This year's annual engagement meeting (Ofsted's contact: recorded as an event, as an
    administrator would) and the council's record of it."""
    day = today - datetime.timedelta(days=75)
    meeting = Inspection.objects.filter(
        authority=authority, event_type=EventType.ANNUAL_ENGAGEMENT, start_date=day
    ).first()
    if meeting is None:
        meeting = Inspection(
            authority=authority,
            event_type=EventType.ANNUAL_ENGAGEMENT,
            framework=Framework.in_force_on(day),
            start_date=day,
            end_date=day,
            lead_inspector="Senior His Majesty's Inspector for the region",
        )
        meeting.full_clean()
        meeting._history_user = manager
        meeting.save()
    if not EngagementMeeting.objects.filter(inspection=meeting).exists():
        record = services.engagement_meeting_record(meeting)
        record.attendees = (
            f"{manager.get_full_name()}, Director of Children's Services\n"
            "Senior His Majesty's Inspector for the region\n"
            "Head of Quality Assurance"
        )
        record.notes = (
            "The self-evaluation was discussed section by section. Ofsted asked about the pace "
            "of change in the areas still rated amber and how leaders know the impact of the "
            "audit programme.\n\nAgreed: the next self-evaluation to be shared before the "
            "next meeting; a focused visit is likely in the coming year."
        )
        services.engagement_meeting_save(record=record, expected_version=1, user=manager)

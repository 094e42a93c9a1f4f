"""The demo's preparation between inspections, for each demo authority: the current inspection's
areas for improvement tagged to the judgement area they belong to (a reading of each area, as an
administrator would tag them), with an illustrative strength per judgement area (the reports'
own words on strengths are not in inspections.json); an evidence library from
the default list (most documents with a current file, some missing, one due for review), evidence
files on the latest approved update of each current area, a readiness checklist in the words of
Brent's preparation (../shared/seeds/004: the self-evaluation, dry runs of the child-level data,
the evidence library, the logistics plan), this year's annual engagement meeting with its
record, and this year's self-evaluation, drafted from all of it. Running it again adds nothing."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accounts.models import LocalAuthority
from improvement_plans import rules
from improvement_plans.models import ProgressUpdate, UpdateStatus
from inspections.models import (
    GRADED_EVENT_TYPES,
    EventType,
    Finding,
    FindingKind,
    Framework,
    Inspection,
    JudgementArea,
)
from readiness import services
from readiness.models import EngagementMeeting, Evidence, ItemState, LibraryDocument, ReadinessItem
from reports import services as reports_services
from reports.models import CommitteeReport, ReportKind

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


# The judgement area of each area for improvement of the current inspection, in its order.
TAGS = {
    "Brent": ["impact_of_leaders", "children_in_care", "care_leavers", "impact_of_leaders"],
    "Gateshead": ["help_and_protection", "help_and_protection", "impact_of_leaders"],
    "North Somerset": [
        "impact_of_leaders",
        "help_and_protection",
        "help_and_protection",
        "help_and_protection",
        "children_in_care",
        "help_and_protection",
    ],
}
STRENGTHS = {
    "impact_of_leaders": "Leaders know their services well: quality assurance and performance "
    "information give them an accurate view of practice and where it must improve.",
    "help_and_protection": "Children who need help and protection are seen promptly; risks are "
    "identified early and shared with partners.",
    "children_in_care": "Children in care live in stable homes and are helped to keep in touch "
    "with the people who matter to them.",
    "care_leavers": "Care leavers are supported by personal advisers who know them well and "
    "stay in touch.",
}


def seed(authority: LocalAuthority, *, officer, manager, today: datetime.date) -> None:
    _tags_and_strengths(authority, manager=manager, today=today)
    _library(authority, officer=officer, manager=manager, today=today)
    _update_evidence(authority, officer=officer, today=today)
    _checklist(authority, manager=manager, today=today)
    _engagement_meeting(authority, manager=manager, today=today)
    _self_evaluation(authority, manager=manager, today=today)


def _tags_and_strengths(authority, *, manager, today) -> None:
    latest = (
        Inspection.objects.filter(
            authority=authority, event_type__in=GRADED_EVENT_TYPES, start_date__lte=today
        )
        .order_by("-start_date")
        .first()
    )
    areas = {a.code: a for a in JudgementArea.objects.filter(framework=latest.framework_id)}
    findings = latest.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT).order_by("order")
    for finding, code in zip(findings, TAGS[authority.name], strict=False):
        if finding.judgement_area_id is None:
            finding.judgement_area = areas[code]
            finding._history_user = manager
            finding.save()
    have = set(latest.findings.filter(kind=FindingKind.STRENGTH).values_list("title", flat=True))
    for order, judgement in enumerate(
        latest.judgements.select_related("area").order_by("area__order"), start=1
    ):
        text = STRENGTHS.get(judgement.area.code)
        title = f"{judgement.area.short_name}: strength"
        if text is None or title in have:
            continue
        strength = Finding(
            inspection=latest,
            kind=FindingKind.STRENGTH,
            judgement_area=judgement.area,
            title=title,
            text=text,
            order=order,
        )
        strength.full_clean()
        strength._history_user = manager
        strength.save()


def _self_evaluation(authority, *, manager, today) -> None:
    """This year's self-evaluation, drafted from the data (the reports app's own service)."""
    if CommitteeReport.objects.filter(
        authority=authority, kind=ReportKind.SELF_EVALUATION, period_start__year=today.year
    ).exists():
        return
    reports_services.self_evaluation_create(
        authority=authority,
        year=today.year,
        user=manager,
        meeting_date=today + datetime.timedelta(days=30),
        report_of=f"{manager.get_full_name()}, Director of Children's Services",
        author_name=manager.get_full_name(),
        contact=manager.email,
    )


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

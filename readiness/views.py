"""Pages between inspections: evidence files (attached to an update or an action, and "how we
know" per area), the evidence library, the readiness checklist and the annual engagement
meeting's record.

Every object is fetched through accounts.permissions.get_for_user (404 for another authority's,
403 for a role that may read but not do this); services do the writing. Evidence files are
served only by `evidence_download`, after the same check, as attachments that are never sniffed.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import (
    Capability,
    get_authority_for_user,
    get_for_user,
    has_capability,
)
from core.forms import add_validation_error, save_or_explain
from core.http import allow
from core.once import created, creates_once
from improvement_plans.models import Action, ProgressUpdate
from inspections import deadlines
from inspections.models import EventType, Finding, Inspection
from readiness import rules, selectors, services
from readiness.forms import (
    EngagementMeetingForm,
    EvidenceForm,
    LibraryDocumentForm,
    ReadinessItemForm,
)
from readiness.models import Evidence, LibraryDocument, ReadinessItem

logger = logging.getLogger(__name__)


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# ----- Evidence files ----------------------------------------------------------------------------


def _attach(request: HttpRequest, *, target, context: dict, template: str, back: str):
    """The upload form for `target` and the files already attached; a valid upload is checked
    and stored by services.evidence_add, and the page comes back with the file listed."""
    form = EvidenceForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_add(
                target=target,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                document_date=form.cleaned_data["document_date"],
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Evidence attached: {evidence.title}")
            return created(redirect(back))
    return render(request, template, {**context, "form": form})


@allow("GET", "POST")
@login_required
@creates_once
def update_evidence(request: HttpRequest, update_pk: int) -> HttpResponse:
    capability = Capability.EDIT_PROGRESS if request.method == "POST" else Capability.VIEW
    update = get_for_user(
        ProgressUpdate.objects.select_related("area_for_improvement__inspection__authority"),
        request.user,
        capability=capability,
        pk=update_pk,
    )
    area = update.area_for_improvement
    return _attach(
        request,
        target=update,
        template="readiness/evidence_attach.html",
        back=request.path,
        context={
            "afi": area,
            "heading": f"Evidence for the {update.month:%B %Y} update",
            "back_url": reverse("improvement_plans:update_detail", kwargs={"update_pk": update.pk}),
            "back_label": f"Back to the {update.month:%B %Y} update",
            "files": list(selectors.evidence_for(progress_update=update)),
            "can_attach": has_capability(
                request.user, area.inspection.authority_id, Capability.EDIT_PROGRESS
            ),
        },
    )


@allow("GET", "POST")
@login_required
@creates_once
def action_evidence(request: HttpRequest, action_pk: int) -> HttpResponse:
    capability = Capability.EDIT_PROGRESS if request.method == "POST" else Capability.VIEW
    action = get_for_user(
        Action.objects.select_related("area_for_improvement__inspection__authority"),
        request.user,
        capability=capability,
        pk=action_pk,
    )
    area = action.area_for_improvement
    return _attach(
        request,
        target=action,
        template="readiness/evidence_attach.html",
        back=request.path,
        context={
            "afi": area,
            "heading": "Evidence for an action",
            "subject": action.description,
            "back_url": reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk}),
            "back_label": "Back to the area for improvement",
            "files": list(selectors.evidence_for(action=action)),
            "can_attach": has_capability(
                request.user, area.inspection.authority_id, Capability.EDIT_PROGRESS
            ),
        },
    )


@allow("GET")
@login_required
def area_evidence(request: HttpRequest, finding_pk: int) -> HttpResponse:
    """How we know: every file attached to an area's updates and actions."""
    area = get_for_user(
        Finding.objects.to_act_on().select_related("inspection__authority"),
        request.user,
        pk=finding_pk,
    )
    return render(
        request,
        "readiness/area_evidence.html",
        {"afi": area, "files": selectors.area_evidence(finding=area)},
    )


@allow("GET")
@login_required
def evidence_download(request: HttpRequest, evidence_pk: int) -> FileResponse:
    evidence = get_for_user(Evidence.objects.all(), request.user, pk=evidence_pk)
    try:
        stored = services.evidence_storage().open(evidence.stored_name, "rb")
    except FileNotFoundError:
        # The row outlived its file (a storage restored from an older backup): say so plainly.
        logger.error("evidence file missing from storage", extra={"evidence_id": evidence.pk})
        raise Http404("No such file") from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=evidence.file_name,
        content_type=evidence.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ----- The evidence library ----------------------------------------------------------------------


@allow("GET", "POST")
@login_required
def library(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """The authority's evidence library; a POST adds the default list's documents it lacks."""
    if request.method == "POST":
        authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
        added = services.library_start_from_default(authority=authority, user=request.user)
        messages.success(
            request,
            f"{added} documents added from the default list"
            if added
            else "The library already has every document of the default list",
        )
        return redirect("readiness:library", authority_pk=authority.pk)
    authority = get_authority_for_user(request.user, authority_pk)
    today = timezone.localdate()
    entries = selectors.library(authority_id=authority.pk, today=today)
    return render(
        request,
        "readiness/library.html",
        {
            "authority": authority,
            "entries": entries,
            "attention": sum(1 for entry in entries if entry.state.needs_attention),
            "can_manage": has_capability(request.user, authority.pk, Capability.MANAGE),
            "default_count": len(services.default_library()),
        },
    )


@allow("GET", "POST")
@login_required
@creates_once
def document_create(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    form = LibraryDocumentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = save_or_explain(
            form,
            services.library_document_create,
            authority=authority,
            user=request.user,
            **{name: form.cleaned_data[name] for name in LibraryDocumentForm.Meta.fields},
        )
        if outcome.saved:
            messages.success(request, "Document added to the library")
            return created(
                redirect("readiness:document_detail", library_document_pk=outcome.result.pk)
            )
    return render(
        request,
        "readiness/form_page.html",
        {
            "authority": authority,
            "form": form,
            "heading": "Add a document to the library",
            "back_url": reverse("readiness:library", kwargs={"authority_pk": authority.pk}),
        },
    )


def _document(request: HttpRequest, pk, capability=Capability.VIEW) -> LibraryDocument:
    return get_for_user(
        LibraryDocument.objects.select_related("authority"),
        request.user,
        capability=capability,
        pk=pk,
    )


@allow("GET", "POST")
@login_required
@creates_once
def document_detail(request: HttpRequest, library_document_pk: int) -> HttpResponse:
    """A library document: its current file and the ones it replaced; a new file is uploaded
    here (officers and managers)."""
    capability = Capability.EDIT_PROGRESS if request.method == "POST" else Capability.VIEW
    document = _document(request, library_document_pk, capability)
    files = list(selectors.evidence_for(library_document=document).order_by("-created_at", "-pk"))
    state = rules.library_state(
        has_file=bool(files),
        due_date=document.due_date,
        review_date=document.review_date,
        today=timezone.localdate(),
    )
    return _attach(
        request,
        target=document,
        template="readiness/document_detail.html",
        back=request.path,
        context={
            "authority": document.authority,
            "document": document,
            "files": files,
            "state": state,
            "can_attach": has_capability(
                request.user, document.authority_id, Capability.EDIT_PROGRESS
            ),
            "can_manage": has_capability(request.user, document.authority_id, Capability.MANAGE),
        },
    )


@allow("GET", "POST")
@login_required
def document_edit(request: HttpRequest, library_document_pk: int) -> HttpResponse:
    document = _document(request, library_document_pk, Capability.MANAGE)
    form = LibraryDocumentForm(_posted(request), instance=document)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.library_document_update,
            document=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Document saved")
            return redirect("readiness:document_detail", library_document_pk=document.pk)
    return render(
        request,
        "readiness/form_page.html",
        {
            "authority": document.authority,
            "form": form,
            "conflict": conflict,
            "heading": "Edit a library document",
            "back_url": reverse(
                "readiness:document_detail", kwargs={"library_document_pk": document.pk}
            ),
        },
    )


# ----- Readiness: the checklist, the window and engagement meetings -----------------------------


@allow("GET")
@login_required
def readiness(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """The authority's preparation for its next inspection: the window from the rules
    (inspections.deadlines), the checklist, the engagement meetings and the library's state."""
    authority = get_authority_for_user(request.user, authority_pk)
    today = timezone.localdate()
    inspections = list(
        Inspection.objects.filter(authority=authority)
        .select_related("framework")
        .prefetch_related("judgements__area")
        .order_by("start_date", "pk")
    )
    grades = {
        inspection.pk: {j.area.code: j.grade for j in inspection.judgements.all()}
        for inspection in inspections
    }
    window = deadlines.next_inspection_window(inspections, grades, as_at=today)
    items = list(ReadinessItem.objects.filter(authority=authority).order_by("state", "due_date"))
    entries = selectors.library(authority_id=authority.pk, today=today)
    return render(
        request,
        "readiness/readiness.html",
        {
            "authority": authority,
            "window": window,
            "approach": rules.window_approach(window, today),
            "open_items": [item for item in items if item.is_open],
            "done_items": [item for item in items if not item.is_open],
            "meetings": [i for i in inspections if i.event_type == EventType.ANNUAL_ENGAGEMENT][
                ::-1
            ],
            "library_total": len(entries),
            "library_attention": sum(1 for entry in entries if entry.state.needs_attention),
            "can_manage": has_capability(request.user, authority.pk, Capability.MANAGE),
        },
    )


@allow("GET", "POST")
@login_required
@creates_once
def item_create(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    form = ReadinessItemForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        outcome = save_or_explain(
            form,
            services.readiness_item_create,
            authority=authority,
            user=request.user,
            **{name: form.cleaned_data[name] for name in ReadinessItemForm.Meta.fields},
        )
        if outcome.saved:
            messages.success(request, "Checklist item added")
            return created(redirect("readiness:readiness", authority_pk=authority.pk))
    return render(
        request,
        "readiness/form_page.html",
        {
            "authority": authority,
            "form": form,
            "heading": "Add a readiness checklist item",
            "back_url": reverse("readiness:readiness", kwargs={"authority_pk": authority.pk}),
        },
    )


@allow("GET", "POST")
@login_required
def item_edit(request: HttpRequest, readiness_item_pk: int) -> HttpResponse:
    item = get_for_user(
        ReadinessItem.objects.select_related("authority"),
        request.user,
        capability=Capability.MANAGE,
        pk=readiness_item_pk,
    )
    form = ReadinessItemForm(_posted(request), instance=item)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.readiness_item_update,
            item=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Checklist item saved")
            return redirect("readiness:readiness", authority_pk=item.authority_id)
    return render(
        request,
        "readiness/form_page.html",
        {
            "authority": item.authority,
            "form": form,
            "conflict": conflict,
            "heading": "Edit a readiness checklist item",
            "back_url": reverse("readiness:readiness", kwargs={"authority_pk": item.authority_id}),
        },
    )


def _meeting(request: HttpRequest, meeting_pk, capability=Capability.VIEW) -> Inspection:
    return get_for_user(
        Inspection.objects.filter(event_type=EventType.ANNUAL_ENGAGEMENT).select_related(
            "authority", "engagement_record"
        ),
        request.user,
        capability=capability,
        pk=meeting_pk,
    )


@allow("GET")
@login_required
def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, meeting_pk)
    return render(
        request,
        "readiness/meeting_detail.html",
        {
            "meeting": meeting,
            "authority": meeting.authority,
            "record": services.engagement_meeting_record(meeting),
            "can_manage": has_capability(request.user, meeting.authority_id, Capability.MANAGE),
        },
    )


@allow("GET", "POST")
@login_required
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, meeting_pk, Capability.MANAGE)
    record = services.engagement_meeting_record(meeting)
    form = EngagementMeetingForm(_posted(request), instance=record)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.engagement_meeting_save,
            record=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Meeting record saved")
            return redirect("readiness:meeting_detail", meeting_pk=meeting.pk)
    return render(
        request,
        "readiness/form_page.html",
        {
            "authority": meeting.authority,
            "form": form,
            "conflict": conflict,
            "heading": f"Annual engagement meeting, {meeting.start_date:%-d %B %Y}",
            "back_url": reverse("readiness:meeting_detail", kwargs={"meeting_pk": meeting.pk}),
        },
    )

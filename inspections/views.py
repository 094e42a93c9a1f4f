"""The authority page; recording inspections, judgements and findings; importing reports.

Everyone who may see an authority sees its page and its inspections; recording and importing
need Capability.ADMINISTER (administrators only).
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.permissions import (
    Capability,
    capabilities_in,
    get_authority_for_user,
    get_for_user,
    is_administrator,
)
from core.forms import add_validation_error, save_or_explain
from improvement_plans import services as plan_services
from improvement_plans.models import ImprovementPlan
from inspections import importers, ofsted_report, selectors, services
from inspections.deadlines import DeadlineKind, deadlines_for
from inspections.forms import (
    FindingDeleteForm,
    FindingForm,
    InspectionForm,
    JudgementsForm,
    PasteFindingsForm,
    PlanSentForm,
    ReportPublishedForm,
    ReportReviewForm,
    UploadForm,
)
from inspections.models import Finding, FindingKind, Framework, Inspection

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


def _inspection_for(request: HttpRequest, inspection_pk: int, capability=Capability.VIEW):
    return get_for_user(
        Inspection.objects.select_related("authority", "framework"),
        request.user,
        capability=capability,
        pk=inspection_pk,
    )


def _require_administrator(request: HttpRequest) -> None:
    # Imports that are not tied to one authority until the file is read: administrators only.
    if not is_administrator(request.user):
        raise PermissionDenied


@require_safe
@login_required
def authority_detail(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk)
    overview = selectors.authority_overview(authority=authority, today=timezone.localdate())
    capabilities = capabilities_in(request.user, authority)
    return render(
        request,
        "inspections/authority_detail.html",
        {
            "overview": overview,
            "authority": authority,
            "can_administer": Capability.ADMINISTER in capabilities,
            "can_manage": Capability.MANAGE in capabilities,
        },
    )


@GET_AND_POST
@login_required
def inspection_create(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.ADMINISTER)
    form = InspectionForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                authority=authority,
                user=request.user,
                **{f: form.cleaned_data[f] for f in form.Meta.fields},
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{inspection.get_event_type_display()} recorded")
            return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "authority": authority, "inspection": None},
    )


@require_safe
@login_required
def inspection_detail(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk)
    judgements = list(inspection.judgements.select_related("area").order_by("area__order"))
    findings = selectors.inspection_findings(inspection=inspection)
    capabilities = capabilities_in(request.user, inspection.authority_id)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "authority": inspection.authority,
            "judgements": judgements,
            "findings": findings,
            "kinds": FindingKind,
            "deadlines": deadlines_for(
                inspection,
                plan=ImprovementPlan.objects.filter(inspection=inspection).first(),
                has_priority_actions=bool(findings[FindingKind.PRIORITY_ACTION]),
                as_at=timezone.localdate(),
            ),
            "can_administer": Capability.ADMINISTER in capabilities,
            "can_manage": Capability.MANAGE in capabilities,
        },
    )


@GET_AND_POST
@login_required
def inspection_deadlines(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    """Each statutory deadline of the inspection with its state, and a form per deadline to
    record (or correct) when it was met: the report by the authority's publication date, a plan
    by the date it was sent (which needs the plan started). Managers and administrators."""
    inspection = _inspection_for(request, inspection_pk, Capability.MANAGE)
    plan = ImprovementPlan.objects.filter(inspection=inspection).first()
    today = timezone.localdate()
    posted = request.POST.get("deadline") if request.method == "POST" else None

    def form_for(kind: str):
        data = request.POST if posted == kind else None
        if kind == DeadlineKind.PUBLICATION:
            initial = {
                "version": inspection.version,
                "report_published_by_authority_on": inspection.report_published_by_authority_on,
            }
            form_class = ReportPublishedForm
        elif plan is not None:
            initial = {"version": plan.version, "submitted_on": plan.submitted_on}
            form_class = PlanSentForm
        else:
            return None  # the plan is started first (its own page), then its date recorded
        return form_class(data, prefix=kind, initial=initial, inspection=inspection, today=today)

    deadlines = deadlines_for(inspection, plan=plan, as_at=today)
    forms = {deadline.kind: form_for(deadline.kind) for deadline in deadlines}
    form = forms.get(posted)
    conflict = None
    if form is not None and form.is_valid():
        day = form.cleaned_data[form.date_field]
        if posted == DeadlineKind.PUBLICATION:
            saved, conflict = save_or_explain(
                form,
                services.report_publication_record,
                inspection=inspection,
                published_on=day,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        else:
            saved, conflict = save_or_explain(
                form,
                plan_services.plan_update,
                plan=plan,
                submitted_on=day,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        if saved:
            label = next(d.label for d in deadlines if d.kind == posted)
            messages.success(
                request,
                f"{label}: recorded as met on {day.day} {day:%B %Y}"
                if day
                else f"{label}: recorded as not met yet",
            )
            return redirect("inspections:inspection_deadlines", inspection_pk=inspection.pk)
        # Not saved: show the deadlines as they are stored, not as the refused form had them.
        inspection.refresh_from_db()
        if plan is not None:
            plan.refresh_from_db()
        deadlines = deadlines_for(inspection, plan=plan, as_at=today)
    return render(
        request,
        "inspections/inspection_deadlines.html",
        {
            "inspection": inspection,
            "authority": inspection.authority,
            "rows": [(deadline, forms[deadline.kind]) for deadline in deadlines],
            "form": form,
            "posted": posted,
            "conflict": conflict,
        },
    )


@require_safe
@login_required
def inspection_history(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk)
    return render(
        request,
        "inspections/inspection_history.html",
        {
            "inspection": inspection,
            "authority": inspection.authority,
            "entries": selectors.inspection_history(inspection=inspection),
        },
    )


@GET_AND_POST
@login_required
def inspection_edit(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk, Capability.ADMINISTER)
    form = InspectionForm(request.POST or None, instance=inspection, authority=inspection.authority)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.inspection_update,
            inspection=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Inspection saved")
            return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "authority": inspection.authority,
            "inspection": inspection,
            "conflict": conflict,
        },
    )


@GET_AND_POST
@login_required
def judgements_edit(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk, Capability.ADMINISTER)
    if not inspection.is_graded:
        messages.info(request, f"A {inspection.get_event_type_display().lower()} has no judgements")
        return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
    areas = list(inspection.framework.areas.select_related("parent").order_by("order"))
    current = {j.area_id: j for j in inspection.judgements.all()}
    form = JudgementsForm(
        request.POST or None, areas=areas, current=current, version=inspection.version
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.judgements_set,
            inspection=inspection,
            grades=form.grades(),
            texts=form.texts(),
            user=request.user,
            expected_version=form.cleaned_data["version"],
        )
        if saved:
            messages.success(request, "Judgements saved")
            return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
    return render(
        request,
        "inspections/judgements_form.html",
        {
            "form": form,
            "inspection": inspection,
            "authority": inspection.authority,
            "conflict": conflict,
            "current_judgements": judgements_now(inspection) if conflict else None,
        },
    )


@GET_AND_POST
@login_required
def finding_create(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk, Capability.ADMINISTER)
    form = FindingForm(
        request.POST or None,
        inspection=inspection,
        predecessors=selectors.earlier_areas_for_improvement(inspection=inspection),
        initial={"kind": request.GET.get("kind", FindingKind.AREA_FOR_IMPROVEMENT)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_create(finding=form.instance, user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{form.instance.get_kind_display()} added")
            return redirect(
                reverse("inspections:inspection_detail", kwargs={"inspection_pk": inspection.pk})
                + f"#{form.instance.kind}"
            )
    return render(
        request,
        "inspections/finding_form.html",
        {"form": form, "inspection": inspection, "authority": inspection.authority},
    )


def judgements_now(inspection: Inspection) -> list:
    return list(inspection.judgements.select_related("area").order_by("area__order"))


def _finding_for(request: HttpRequest, finding_pk: int) -> Finding:
    return get_for_user(
        Finding.objects.select_related("inspection__authority", "inspection__framework"),
        request.user,
        capability=Capability.ADMINISTER,
        authority_field="inspection__authority_id",
        pk=finding_pk,
    )


@GET_AND_POST
@login_required
def finding_edit(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = _finding_for(request, finding_pk)
    inspection = finding.inspection
    form = FindingForm(
        request.POST or None,
        instance=finding,
        inspection=inspection,
        predecessors=selectors.earlier_areas_for_improvement(inspection=inspection),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.finding_update,
            finding=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, f"{finding.get_kind_display()} saved")
            return redirect(
                reverse("inspections:inspection_detail", kwargs={"inspection_pk": inspection.pk})
                + f"#{finding.kind}"
            )
    return render(
        request,
        "inspections/finding_form.html",
        {
            "form": form,
            "inspection": inspection,
            "authority": inspection.authority,
            "finding": finding,
            "conflict": conflict,
        },
    )


@GET_AND_POST
@login_required
def finding_delete(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = _finding_for(request, finding_pk)
    inspection = finding.inspection
    form = FindingDeleteForm(request.POST or None, initial={"version": finding.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.finding_delete,
            finding=finding,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, f"{finding.get_kind_display()} “{finding.title}” removed")
            return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
        if conflict:
            finding = conflict.current
    return render(
        request,
        "inspections/finding_delete.html",
        {
            "form": form,
            "inspection": inspection,
            "authority": inspection.authority,
            "finding": finding,
            "blockers": services.finding_removal_blockers(finding),
            "conflict": conflict,
        },
    )


@require_POST
@login_required
def finding_move(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = _finding_for(request, finding_pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.finding_move(finding=finding, direction=direction, user=request.user)
    return redirect(
        reverse("inspections:inspection_detail", kwargs={"inspection_pk": finding.inspection_id})
        + f"#finding-{finding.pk}"
    )


@GET_AND_POST
@login_required
def findings_paste(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = _inspection_for(request, inspection_pk, Capability.ADMINISTER)
    form = PasteFindingsForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.findings_add_pasted(
                inspection=inspection,
                kind=form.cleaned_data["kind"],
                items=form.items,
                user=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            label = FindingKind(form.cleaned_data["kind"]).label.lower()
            plural = "" if len(created) == 1 else "s"
            label = label.replace("area for", f"area{plural} for") if plural else label
            if plural and not label.startswith("area"):
                label += "s"
            messages.success(request, f"{len(created)} {label} added")
            return redirect(
                reverse("inspections:inspection_detail", kwargs={"inspection_pk": inspection.pk})
                + f"#{form.cleaned_data['kind']}"
            )
    return render(
        request,
        "inspections/findings_paste.html",
        {"form": form, "inspection": inspection, "authority": inspection.authority},
    )


# --- Importing an Ofsted report (PDF) -----------------------------------------------------------


def _upload_form(data=None, files=None) -> UploadForm:
    return UploadForm(
        data,
        files,
        label="Upload the report",
        help_text="The PDF as published on Ofsted's website, up to 20 MB",
        suffix=".pdf",
        max_bytes=ofsted_report.MAX_BYTES,
    )


@GET_AND_POST
@login_required
def report_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. A report that reads shows the review form; nothing is saved yet."""
    _require_administrator(request)
    form = _upload_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            parsed = ofsted_report.parse_report(upload.read(), filename=upload.name)
        except ofsted_report.ReportParseError as error:
            form.add_error("file", str(error))
        else:
            review = importers.review_form_for(parsed)
            return render(
                request, "inspections/report_review.html", {"form": review, "parsed": parsed}
            )
    return render(request, "inspections/report_upload.html", {"form": form})


@require_POST
@login_required
def report_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the reviewed (and perhaps corrected) report is saved."""
    _require_administrator(request)
    framework = Framework.objects.filter(code=request.POST.get("framework", "")).first()
    if framework is None:
        messages.error(request, "The review form was incomplete: upload the report again")
        return redirect("inspections:report_import")
    form = ReportReviewForm(request.POST, framework=framework)
    if form.is_valid():
        try:
            inspection = importers.report_save_from_review(form=form, user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{inspection.get_event_type_display()} of {inspection.authority} saved "
                f"with {len(form.grades())} judgements and {len(form.items)} areas for improvement",
            )
            return redirect("inspections:inspection_detail", inspection_pk=inspection.pk)
    return render(request, "inspections/report_review.html", {"form": form, "parsed": None})


# --- Importing the national outcomes spreadsheet -------------------------------------------------


@GET_AND_POST
@login_required
def overview_import(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        label="Upload the spreadsheet",
        help_text="The national ILACS outcomes spreadsheet (.xlsx), every authority's latest "
        "inspection",
        suffix=".xlsx",
        max_bytes=importers.OVERVIEW_MAX_BYTES,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importers.overview_import(file=form.cleaned_data["file"], user=request.user)
        except ValidationError as error:
            form.add_error("file", error.messages[0])
    return render(request, "inspections/overview_import.html", {"form": form, "result": result})


@require_safe
@login_required
def archive_import_run(request: HttpRequest) -> HttpResponse:
    """The outcome per file of the last `manage.py import_ofsted_archive` run."""
    _require_administrator(request)
    run, files = selectors.last_archive_import()
    counts = Counter(f.get_outcome_display() for f in files)
    return render(
        request,
        "inspections/archive_import_run.html",
        {"run": run, "files": files, "counts": sorted(counts.items())},
    )

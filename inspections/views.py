"""The authority page; recording inspections, judgements and findings; importing reports.

Everyone who may see an authority sees its page and its inspections; recording and importing
need Capability.ADMINISTER (administrators only).
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.permissions import (
    Capability,
    get_authority_for_user,
    get_for_user,
    require_administrator,
)
from core.forms import add_validation_error, save_or_explain
from core.http import allow
from inspections import importers, ofsted_report, selectors, services
from inspections.forms import (
    FindingDeleteForm,
    FindingForm,
    InspectionForm,
    JudgementsForm,
    PasteFindingsForm,
    ReportReviewForm,
    UploadForm,
)
from inspections.models import Finding, FindingKind, Framework, Inspection


@allow("GET", "POST")
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
            return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "authority": authority, "inspection": None},
    )


@allow("GET", "POST")
@login_required
def inspection_edit(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = selectors.inspection_for_user(request.user, inspection_pk, Capability.ADMINISTER)
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
            return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
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


@allow("GET", "POST")
@login_required
def judgements_edit(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = selectors.inspection_for_user(request.user, inspection_pk, Capability.ADMINISTER)
    if not inspection.is_graded:
        messages.info(request, f"A {inspection.get_event_type_display().lower()} has no judgements")
        return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
    areas = list(inspection.framework.judgement_areas.select_related("parent").order_by("order"))
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
            return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
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


@allow("GET", "POST")
@login_required
def finding_create(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = selectors.inspection_for_user(request.user, inspection_pk, Capability.ADMINISTER)
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
                reverse(
                    "improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}
                )
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
        pk=finding_pk,
    )


@allow("GET", "POST")
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
                reverse(
                    "improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}
                )
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


@allow("GET", "POST")
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
            return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
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


@allow("POST")
@login_required
def finding_move(request: HttpRequest, finding_pk: int) -> HttpResponse:
    finding = _finding_for(request, finding_pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.finding_move(finding=finding, direction=direction, user=request.user)
    return redirect(
        reverse(
            "improvement_plans:inspection_detail", kwargs={"inspection_pk": finding.inspection_id}
        )
        + f"#finding-{finding.pk}"
    )


@allow("GET", "POST")
@login_required
def findings_paste(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = selectors.inspection_for_user(request.user, inspection_pk, Capability.ADMINISTER)
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
                reverse(
                    "improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}
                )
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


@allow("GET", "POST")
@login_required
def report_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. A report that reads shows the review form; nothing is saved yet."""
    require_administrator(request.user)
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


@allow("POST")
@login_required
def report_import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the reviewed (and perhaps corrected) report is saved."""
    require_administrator(request.user)
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
            return redirect("improvement_plans:inspection_detail", inspection_pk=inspection.pk)
    return render(request, "inspections/report_review.html", {"form": form, "parsed": None})


# --- Importing the national outcomes spreadsheet -------------------------------------------------


@allow("GET", "POST")
@login_required
def overview_import(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)
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


@allow("GET")
@login_required
def archive_import_run(request: HttpRequest) -> HttpResponse:
    """The outcome per file of the last `manage.py import_ofsted_archive` run."""
    require_administrator(request.user)
    run, files = selectors.last_archive_import()
    counts = Counter(f.get_outcome_display() for f in files)
    return render(
        request,
        "inspections/archive_import_run.html",
        {"run": run, "files": files, "counts": sorted(counts.items())},
    )

"""Committee report pages: list, create, edit details and sections, write a section again from the
data, finalise, start a new version, and the exports (print view, Word, PDF).

Reading needs Capability.VIEW; every change needs Capability.MANAGE (managers, administrators).
Every object is fetched through accounts.permissions, so another authority's report is a 404."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.permissions import Capability, get_authority_for_user, get_for_user
from core.concurrency import EditConflict
from core.forms import add_validation_error, save_or_explain
from core.http import allow
from core.months import add_months
from core.once import created, creates_once
from inspections.models import GRADED_EVENT_TYPES
from reports import pdf, profiles, services, word, word_templates
from reports.document import document_for
from reports.forms import (
    EditReportForm,
    NewReportForm,
    NewSelfEvaluationForm,
    SectionRowsForm,
    SectionTextForm,
    WordTemplateForm,
)
from reports.models import CommitteeReport, ReportKind, ReportSection, WordTemplate
from reports.profile_form import ReportProfileForm
from reports.selectors import (
    authorities_with_reports,
    can_manage,
    inspections_for_report,
    profile_for,
    report_with_sections,
    unsigned_roles,
    word_template_for,
)


def _report(request: HttpRequest, report_pk: int, capability=Capability.VIEW) -> CommitteeReport:
    return get_for_user(
        CommitteeReport.objects.select_related("authority", "inspection", "finalised_by"),
        request.user,
        capability=capability,
        pk=report_pk,
    )


def _refuse_final(request: HttpRequest, report: CommitteeReport) -> HttpResponse | None:
    if report.is_final:
        messages.error(request, services.FINAL_MESSAGE)
        return redirect("reports:report_detail", report_pk=report.pk)
    return None


@allow("GET")
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    authorities = authorities_with_reports(user=request.user)
    return render(request, "reports/report_list.html", {"authorities": authorities})


def _initial(inspections, profile) -> dict:
    today = timezone.localdate()
    end = today.replace(day=1) - datetime.timedelta(days=1)
    graded = [i for i in inspections if i.event_type in GRADED_EVENT_TYPES]
    chosen = (graded or inspections or [None])[0]
    return {
        **profiles.title_block_defaults(profile),
        "kind": ReportKind.PROGRESS_UPDATE,
        "inspection": chosen.pk if chosen else None,
        "period_start": add_months(end.replace(day=1), -2),
        "period_end": end,
    }


@allow("GET", "POST")
@login_required
@creates_once
def report_create(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    inspections = inspections_for_report(authority=authority)
    form = NewReportForm(
        request.POST or None,
        inspections=inspections,
        initial=_initial(inspections, profile_for(authority)),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "inspection"}
        try:
            report = services.report_create(
                authority=authority,
                inspection=form.cleaned_data["inspection"],
                user=request.user,
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Draft report created from the data")
            return created(redirect("reports:report_detail", report_pk=report.pk))
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "authority": authority, "inspections": inspections, "creating": True},
    )


@allow("GET", "POST")
@login_required
@creates_once
def self_evaluation_create(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    defaults = profiles.title_block_defaults(profile_for(authority))
    form = NewSelfEvaluationForm(
        request.POST or None,
        initial={
            "year": timezone.localdate().year,
            **{k: defaults[k] for k in ("report_of", "author_name", "contact")},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.self_evaluation_create(
                authority=authority, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Draft self-evaluation created from the data")
            return created(redirect("reports:report_detail", report_pk=report.pk))
    return render(
        request, "reports/self_evaluation_form.html", {"form": form, "authority": authority}
    )


@allow("GET")
@login_required
def report_detail(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    sections = report_with_sections(report=report)
    later = list(report.later_versions.values("pk", "revision"))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": sections,
            "later_versions": later,
            "can_manage": can_manage(request.user, report),
        },
    )


@allow("GET", "POST")
@login_required
def report_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk, Capability.MANAGE)
    if refused := _refuse_final(request, report):
        return refused
    form = EditReportForm(request.POST or None, instance=report)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.report_update,
            report=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Report details saved")
            return redirect("reports:report_detail", report_pk=report.pk)
    return render(
        request,
        "reports/report_form.html",
        {"form": form, "authority": report.authority, "report": report, "conflict": conflict},
    )


def _section(report: CommitteeReport, key: str | None) -> ReportSection:
    sections = report.sections.all()
    section = sections.filter(key=key).first() if key else sections.order_by("order").first()
    if section is None:
        raise Http404("No such section")
    return section


@allow("GET", "POST")
@login_required
def section_edit(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk, Capability.MANAGE)
    if refused := _refuse_final(request, report):
        return refused
    section = _section(report, request.POST.get("section") or request.GET.get("section"))
    form_class = SectionRowsForm if section.has_rows else SectionTextForm
    form = form_class(request.POST or None, section=section)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = (
            {"rows": form.rows()}
            if isinstance(form, SectionRowsForm)
            else {"body": form.cleaned_data["body"]}
        )
        if form.cleaned_data.get("heading"):
            changes["heading"] = form.cleaned_data["heading"]
        saved, conflict = save_or_explain(
            form,
            services.section_update,
            section=section,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            **changes,
        )
        if saved:
            messages.success(request, f"{section.heading}: saved")
            return redirect(
                reverse("reports:report_detail", kwargs={"report_pk": report.pk})
                + f"#section-{section.key}"
            )
    return render(
        request,
        "reports/section_form.html",
        {"form": form, "report": report, "section": section, "conflict": conflict},
    )


@allow("POST")
@login_required
def section_regenerate(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk, Capability.MANAGE)
    if refused := _refuse_final(request, report):
        return refused
    section = _section(report, request.POST.get("section"))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = 0
    try:
        services.section_regenerate(section=section, expected_version=version, user=request.user)
    except EditConflict as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{section.heading}: written again from the data")
    return redirect(
        reverse("reports:report_detail", kwargs={"report_pk": report.pk})
        + f"#section-{section.key}"
    )


@allow("GET", "POST")
@login_required
def report_finalise(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk, Capability.MANAGE)
    if refused := _refuse_final(request, report):
        return refused
    error = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        try:
            services.report_finalise(report=report, expected_version=version, user=request.user)
        except EditConflict as conflict:
            error = conflict.message
        else:
            messages.success(request, "The report is final. It will not change.")
            return redirect("reports:report_detail", report_pk=report.pk)
    return render(
        request,
        "reports/report_finalise.html",
        {"report": report, "error": error, "unsigned": unsigned_roles(report=report)},
    )


@allow("POST")
@login_required
@creates_once
def report_new_version(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk, Capability.MANAGE)
    try:
        draft = services.report_new_version(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:report_detail", report_pk=report.pk)
    messages.success(request, f"Version {draft.revision} started from the final report")
    return created(redirect("reports:report_detail", report_pk=draft.pk))


def _document(report: CommitteeReport):
    sections = None if report.is_final else report_with_sections(report=report)
    return document_for(report, sections)


def _file_name(report: CommitteeReport, extension: str) -> str:
    status = "final" if report.is_final else "draft"
    stem = slugify(f"{report.authority.name} {report.title}")[:80] or "committee-report"
    return f"{stem}-v{report.revision}-{status}.{extension}"


@allow("GET")
@login_required
def report_print(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    return render(
        request, "reports/report_print.html", {"report": report, "document": _document(report)}
    )


@allow("GET")
@login_required
def report_docx(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    template = word_template_for(report.authority_id)
    content = word.build_docx(_document(report), template=template)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "docx")}"'
    return response


@allow("GET")
@login_required
def report_pdf(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = _report(request, report_pk)
    response = HttpResponse(pdf.build_pdf(_document(report)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "pdf")}"'
    return response


@allow("GET", "POST")
@login_required
def profile_edit(request: HttpRequest, authority_pk: int) -> HttpResponse:
    """The authority's report profile: what new reports start from and how they look."""
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    profile = profile_for(authority)
    form = ReportProfileForm(request.POST or None, profile=profile)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.profile_update,
            authority=authority,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            **form.profile_fields(),
        )
        if saved:
            messages.success(request, "Report profile saved: new reports start from it")
            return redirect("reports:profile_edit", authority_pk=authority.pk)
    return render(
        request,
        "reports/profile_form.html",
        {"form": form, "authority": authority, "profile": profile, "conflict": conflict},
    )


@allow("GET", "POST")
@login_required
def word_template(request: HttpRequest, authority_pk: int) -> HttpResponse:
    authority = get_authority_for_user(request.user, authority_pk, capability=Capability.MANAGE)
    current = (
        WordTemplate.objects.filter(authority=authority)
        .select_related("uploaded_by")
        .defer("content")
        .first()
    )
    form = WordTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.word_template_upload(
                authority=authority, uploaded_file=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Word template uploaded: exports now use its styles")
            return redirect("reports:report_list")
    return render(
        request,
        "reports/word_template.html",
        {
            "form": form,
            "authority": authority,
            "current": current,
            "placeholders": [
                (word_templates.placeholder_text(name), meaning)
                for name, meaning in word_templates.PLACEHOLDERS.items()
            ],
            "loop_example": "\n".join(word_templates.LOOP_EXAMPLE),
        },
    )

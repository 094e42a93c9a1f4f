"""Pages for the monthly workflow: my updates, logging an update, the review queue, the plan,
actions, an area for improvement and its history.

Every object is fetched through `accounts.permissions.get_for_user` (404 for another authority's
object, 403 for a role that may read but not do this); services do the writing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.permissions import (
    Capability,
    capabilities_in,
    get_authority_for_user,
    get_for_user,
    has_capability,
    is_administrator,
    may_review,
)
from core.forms import save_or_explain
from core.http import allow
from core.months import month_start, previous_month
from improvement_plans import rules, selectors, services
from improvement_plans.charts import rag_trend_svg
from improvement_plans.forms import (
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
    AreaLeadForm,
    PlanForm,
    ProgressUpdateEditForm,
    ProgressUpdateForm,
    ReviewForm,
)
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, UpdateStatus
from inspections import selectors as inspection_selectors
from inspections import services as inspection_services
from inspections.deadlines import DeadlineKind, deadlines_for
from inspections.forms import PlanSentForm, ReportPublishedForm
from inspections.models import Finding, FindingKind, Inspection


def _area(request: HttpRequest, finding_pk, capability=Capability.VIEW) -> Finding:
    return get_for_user(
        Finding.objects.to_act_on().select_related(
            "inspection__authority", "judgement_area", "lead"
        ),
        request.user,
        capability=capability,
        pk=finding_pk,
    )


def _posted(request: HttpRequest):
    """The form's data: the POST, even an empty one (its errors are shown), or None (a GET)."""
    return request.POST if request.method == "POST" else None


# On a conflict over an update, its status and review comment are shown with the other person's
# version: what a reviewer or officer most needs to know about it.
UPDATE_CONFLICT_ALSO = ("status", "review_comment")


# ----- My updates and the review queue ---------------------------------------------------------


@allow("GET")
@login_required
def my_updates(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "improvement_plans/my_updates.html",
        {"data": selectors.my_updates(user=request.user)},
    )


@allow("GET")
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Submitted updates waiting in the authorities the user manages. Everyone may open it (it is
    in the navigation); people who review nothing are told who does."""
    reviews = is_administrator(request.user) or selectors.managed_authorities(request.user).exists()
    return render(
        request,
        "improvement_plans/review_queue.html",
        {
            "updates": selectors.review_queue(user=request.user) if reviews else [],
            "returned": selectors.returned_queue(user=request.user) if reviews else [],
            "reviews": reviews,
        },
    )


# ----- The plan --------------------------------------------------------------------------------


@allow("GET", "POST")
@login_required
def plan_for_inspection(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    """The way in from an inspection: its plan, or the button that starts it."""
    inspection = get_for_user(
        Inspection.objects.select_related("authority"), request.user, pk=inspection_pk
    )
    plan = ImprovementPlan.objects.filter(inspection=inspection).first()
    if request.method == "POST":
        get_for_user(
            Inspection.objects.all(), request.user, capability=Capability.MANAGE, pk=inspection_pk
        )
        plan = services.plan_create(inspection=inspection, user=request.user)
        messages.success(request, "Improvement plan started")
        return redirect("improvement_plans:plan_detail", plan_pk=plan.pk)
    if plan is not None:
        return redirect("improvement_plans:plan_detail", plan_pk=plan.pk)
    return render(
        request,
        "improvement_plans/plan_start.html",
        {
            "inspection": inspection,
            "can_manage": has_capability(request.user, inspection.authority_id, Capability.MANAGE),
        },
    )


@allow("GET")
@login_required
def plan_detail(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_for_user(
        ImprovementPlan.objects.select_related("inspection__authority", "inspection__framework"),
        request.user,
        pk=plan_pk,
    )
    summary = selectors.plan_summary(plan=plan)
    authority_id = plan.inspection.authority_id
    return render(
        request,
        "improvement_plans/plan_detail.html",
        {
            "plan": plan,
            "inspection": plan.inspection,
            "summary": summary,
            "deadlines": deadlines_for(plan.inspection, plan=plan, as_at=timezone.localdate()),
            "can_manage": has_capability(request.user, authority_id, Capability.MANAGE),
        },
    )


@allow("GET", "POST")
@login_required
def plan_edit(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_for_user(
        ImprovementPlan.objects.select_related("inspection__authority"),
        request.user,
        capability=Capability.MANAGE,
        pk=plan_pk,
    )
    form = PlanForm(_posted(request), instance=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.plan_update,
            plan=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Plan details saved")
            return redirect("improvement_plans:plan_detail", plan_pk=plan.pk)
    return render(
        request,
        "improvement_plans/plan_edit.html",
        {"plan": plan, "inspection": plan.inspection, "form": form, "conflict": conflict},
    )


# ----- Areas for improvement -------------------------------------------------------------------


@allow("GET")
@login_required
def area_detail(request: HttpRequest, finding_pk: int) -> HttpResponse:
    area = _area(request, finding_pk)
    actions, updates = selectors.area_detail(finding=area)
    authority_id = area.inspection.authority_id
    can_edit = has_capability(request.user, authority_id, Capability.EDIT_PROGRESS)
    today = timezone.localdate()
    month = month_start(today)
    return render(
        request,
        "improvement_plans/area_detail.html",
        {
            "afi": area,
            "trend": _rag_trend(area, updates),
            "actions": actions,
            "updates": updates,
            "updates_newest_first": list(reversed(updates)),
            "month_update": next((u for u in updates if u.month == month), None),
            "month": month,
            "progress": selectors.afi_progress(finding=area, updates=updates, today=today),
            "today": today,
            "can_edit": can_edit,
            "can_manage": can_edit
            and has_capability(request.user, authority_id, Capability.MANAGE),
            "plan": ImprovementPlan.objects.filter(inspection_id=area.inspection_id).first(),
        },
    )


# The trend chart shows at most two years; the table of updates beneath it lists them all.
TREND_MONTHS = 24


def _rag_trend(area: Finding, updates: list[ProgressUpdate]):
    if not updates:
        return None
    # Reported months only: a draft or a returned update has not been reported (rules).
    rag_by_month = {u.month: u.rag for u in updates if rules.is_reported(u)}
    months = [updates[-1].month]
    while len(months) < TREND_MONTHS and months[-1] > updates[0].month:
        months.append(previous_month(months[-1]))
    months.reverse()
    return rag_trend_svg(
        [(area.title, [rag_by_month.get(m) for m in months])],
        months,
        title="RAG rating reported each month",
    )


@allow("GET")
@login_required
def area_history(request: HttpRequest, finding_pk: int) -> HttpResponse:
    area = _area(request, finding_pk)
    return render(
        request,
        "improvement_plans/area_history.html",
        {"afi": area, "entries": selectors.area_history(finding=area)},
    )


@allow("GET", "POST")
@login_required
def area_edit(request: HttpRequest, finding_pk: int) -> HttpResponse:
    area = _area(request, finding_pk, Capability.MANAGE)
    form = AreaLeadForm(_posted(request), instance=area, authority=area.inspection.authority)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.area_update,
            finding=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Area for improvement saved")
            return redirect("improvement_plans:area_detail", finding_pk=area.pk)
    return render(
        request,
        "improvement_plans/area_edit.html",
        {"afi": area, "form": form, "conflict": conflict},
    )


# ----- Monthly updates -------------------------------------------------------------------------


@allow("GET", "POST")
@login_required
def update_create(request: HttpRequest, finding_pk: int) -> HttpResponse:
    area = _area(request, finding_pk, Capability.EDIT_PROGRESS)
    taken = set(area.progress_updates.values_list("month", flat=True))
    # Managers and administrators can open any month since the report (backfilling); officers
    # the last three.
    backfill = has_capability(request.user, area.inspection.authority_id, Capability.MANAGE)
    earliest = (
        rules.first_reporting_month(published=area.inspection.published_date, reporting_from=None)
        or month_start(area.inspection.start_date)
        if backfill
        else None
    )
    months = ProgressUpdateForm.months_offered(selectors.this_month(), taken, earliest=earliest)
    if not months:
        messages.info(request, "This area already has an update for each month you can log")
        return redirect("improvement_plans:area_detail", finding_pk=area.pk)
    form = ProgressUpdateForm(
        _posted(request), months=months, backfill=backfill, initial={"month": months[0].isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        outcome = save_or_explain(
            form,
            services.progress_update_create,
            area_for_improvement=area,
            user=request.user,
            submit=form.submitting,
            **form.cleaned_data,
        )
        if outcome.saved:
            return _after_save(request, outcome.result)
    return render(
        request, "improvement_plans/update_form.html", {"afi": area, "form": form, "update": None}
    )


def _after_save(request: HttpRequest, update: ProgressUpdate) -> HttpResponse:
    if update.status == UpdateStatus.SUBMITTED:
        messages.success(request, f"Update for {update.month:%B %Y} submitted for review")
        return redirect("improvement_plans:my_updates")
    messages.success(request, f"Draft update for {update.month:%B %Y} saved")
    return redirect("improvement_plans:update_detail", update_pk=update.pk)


def _update(request: HttpRequest, update_pk, capability=Capability.VIEW) -> ProgressUpdate:
    return get_for_user(
        ProgressUpdate.objects.select_related(
            "area_for_improvement__inspection__authority", "author", "reviewed_by"
        ),
        request.user,
        capability=capability,
        pk=update_pk,
    )


@allow("GET")
@login_required
def update_detail(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update(request, update_pk)
    authority_id = update.area_for_improvement.inspection.authority_id
    can_edit = has_capability(request.user, authority_id, Capability.EDIT_PROGRESS)
    return render(
        request,
        "improvement_plans/update_detail.html",
        {
            "update": update,
            "afi": update.area_for_improvement,
            "can_edit": can_edit and update.status in services.OFFICER_EDITABLE,
            "can_review": update.status == UpdateStatus.SUBMITTED
            and may_review(request.user, update)
            and has_capability(request.user, authority_id, Capability.MANAGE),
        },
    )


@allow("GET", "POST")
@login_required
def update_edit(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update(request, update_pk, Capability.EDIT_PROGRESS)
    if request.method != "POST" and update.status not in services.OFFICER_EDITABLE:
        messages.info(
            request,
            f"This update has been {update.get_status_display().lower()}, so it cannot be changed",
        )
        return redirect("improvement_plans:update_detail", update_pk=update.pk)
    form = ProgressUpdateEditForm(_posted(request), instance=update)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.progress_update_save,
            also=UPDATE_CONFLICT_ALSO,
            update=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            submit=form.submitting,
        )
        if saved:
            return _after_save(request, update)
    return render(
        request,
        "improvement_plans/update_form.html",
        {
            "afi": update.area_for_improvement,
            "form": form,
            "update": update,
            "conflict": conflict,
        },
    )


@allow("GET", "POST")
@login_required
def update_review(request: HttpRequest, update_pk: int) -> HttpResponse:
    update = _update(request, update_pk, Capability.MANAGE)
    form = ReviewForm(_posted(request), initial={"version": update.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = save_or_explain(
            form,
            services.progress_update_approve
            if data["decision"] == "approve"
            else services.progress_update_return,
            also=UPDATE_CONFLICT_ALSO,
            update=update,
            user=request.user,
            expected_version=data["version"],
            comment=data["comment"],
        )
        if outcome.saved:
            update = outcome.result
            messages.success(
                request,
                f"Update for {update.month:%B %Y} on “{update.area_for_improvement}” "
                f"{update.get_status_display().lower()}",
            )
            return redirect("improvement_plans:review_queue")
        conflict = outcome.conflict
        if conflict is not None:
            update = conflict.current
    return render(
        request,
        "improvement_plans/update_review.html",
        {
            "update": update,
            "afi": update.area_for_improvement,
            "form": form,
            "conflict": conflict,
            "waiting": update.status == UpdateStatus.SUBMITTED,
            # Four eyes: its author or submitter is shown why someone else reviews it.
            "own": not may_review(request.user, update),
        },
    )


# ----- Actions ---------------------------------------------------------------------------------


def _action(request: HttpRequest, action_pk, capability) -> Action:
    return get_for_user(
        Action.objects.select_related("area_for_improvement__inspection__authority"),
        request.user,
        capability=capability,
        pk=action_pk,
    )


@allow("GET", "POST")
@login_required
def action_create(request: HttpRequest, finding_pk: int) -> HttpResponse:
    area = _area(request, finding_pk, Capability.MANAGE)
    form = ActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        saved, _ = save_or_explain(
            form,
            services.action_create,
            area_for_improvement=area,
            user=request.user,
            **form.cleaned_data,
        )
        if saved:
            messages.success(request, "Action added")
            return redirect("improvement_plans:area_detail", finding_pk=area.pk)
    return render(
        request, "improvement_plans/action_form.html", {"afi": area, "form": form, "action": None}
    )


@allow("GET", "POST")
@login_required
def action_edit(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = _action(request, action_pk, Capability.MANAGE)
    form = ActionEditForm(_posted(request), instance=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.action_update,
            action=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, "Action saved")
            return redirect(
                "improvement_plans:area_detail", finding_pk=action.area_for_improvement_id
            )
    return render(
        request,
        "improvement_plans/action_form.html",
        {
            "afi": action.area_for_improvement,
            "form": form,
            "action": action,
            "conflict": conflict,
        },
    )


@allow("GET", "POST")
@login_required
def action_status(request: HttpRequest, action_pk: int) -> HttpResponse:
    """Officers keep their actions' status current (and mark them complete) here."""
    action = _action(request, action_pk, Capability.EDIT_PROGRESS)
    form = ActionStatusForm(_posted(request), instance=action)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = save_or_explain(
            form,
            services.action_update,
            action=form.instance,
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
        if saved:
            messages.success(request, f"Action status set to {action.get_status_display()}")
            return redirect(
                "improvement_plans:area_detail", finding_pk=action.area_for_improvement_id
            )
    return render(
        request,
        "improvement_plans/action_status.html",
        {
            "afi": action.area_for_improvement,
            "action": action,
            "form": form,
            "conflict": conflict,
        },
    )


# ----- The authority's and an inspection's pages: Ofsted's record with the authority's response


@allow("GET")
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


@allow("GET")
@login_required
def inspection_detail(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = inspection_selectors.inspection_for_user(request.user, inspection_pk)
    judgements = list(inspection.judgements.select_related("area").order_by("area__order"))
    findings = inspection_selectors.inspection_findings(inspection=inspection)
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


@allow("GET", "POST")
@login_required
def inspection_deadlines(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    """Each statutory deadline of the inspection with its state, and a form per deadline to
    record (or correct) when it was met: the report by the authority's publication date, a plan
    by the date it was sent (which needs the plan started). Managers and administrators."""
    inspection = inspection_selectors.inspection_for_user(
        request.user, inspection_pk, Capability.MANAGE
    )
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
                inspection_services.report_publication_record,
                inspection=inspection,
                published_on=day,
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        else:
            saved, conflict = save_or_explain(
                form,
                services.plan_update,
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
            return redirect("improvement_plans:inspection_deadlines", inspection_pk=inspection.pk)
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


@allow("GET")
@login_required
def inspection_history(request: HttpRequest, inspection_pk: int) -> HttpResponse:
    inspection = inspection_selectors.inspection_for_user(request.user, inspection_pk)
    return render(
        request,
        "inspections/inspection_history.html",
        {
            "inspection": inspection,
            "authority": inspection.authority,
            "entries": selectors.inspection_history(inspection=inspection),
        },
    )

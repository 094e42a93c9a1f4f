"""Reads for committee reports. Each runs a fixed number of queries, whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from accounts.permissions import Capability, has_capability
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate, UpdateStatus
from inspections.models import Finding, Inspection, Judgement, LocalAuthority
from reports.models import CommitteeReport, ReportSection


@dataclass
class ReportSource:
    """Everything a draft is written from: the inspection, its authority's other inspections and
    their judgements, the areas for improvement, their approved updates and actions, the plan."""

    inspection: Inspection
    inspections: list[Inspection]
    grades: dict[int, dict[str, str]]
    judgements: list[Judgement]
    areas: list[Finding]
    approved_updates: dict[int, list[ProgressUpdate]] = field(default_factory=dict)
    actions: dict[int, list[Action]] = field(default_factory=dict)
    plan: ImprovementPlan | None = None

    @property
    def earlier_graded(self) -> list[Inspection]:
        """Graded inspections before this one that have judgements, latest first."""
        return sorted(
            (
                i
                for i in self.inspections
                if i.is_graded
                and i.start_date < self.inspection.start_date
                and self.grades.get(i.pk)
            ),
            key=lambda i: i.start_date,
            reverse=True,
        )


def report_source(*, report: CommitteeReport) -> ReportSource:
    """Six queries: the authority's inspections (with frameworks), their judgements (with areas),
    the inspection's areas for improvement and priority action, their approved updates up to the
    end of the period, their actions, and the improvement plan."""
    inspections = list(
        Inspection.objects.filter(authority_id=report.authority_id).select_related("framework")
    )
    by_pk = {i.pk: i for i in inspections}
    inspection = by_pk[report.inspection_id]
    judgements = list(
        Judgement.objects.filter(inspection__authority_id=report.authority_id)
        .select_related("area")
        .order_by("inspection_id", "area__order")
    )
    grades: dict[int, dict[str, str]] = defaultdict(dict)
    for judgement in judgements:
        grades[judgement.inspection_id][judgement.area.code] = judgement.grade
    areas = list(
        Finding.objects.filter(inspection=inspection).to_act_on().order_by("kind", "order", "pk")
    )
    area_ids = [a.pk for a in areas]
    approved: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in ProgressUpdate.objects.filter(
        area_for_improvement_id__in=area_ids,
        status=UpdateStatus.APPROVED,
        month__lte=report.period_end,
    ).order_by("month"):
        approved[update.area_for_improvement_id].append(update)
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(area_for_improvement_id__in=area_ids):
        actions[action.area_for_improvement_id].append(action)
    plan = ImprovementPlan.objects.filter(inspection=inspection).first()
    return ReportSource(
        inspection=inspection,
        inspections=inspections,
        grades=dict(grades),
        judgements=[j for j in judgements if j.inspection_id == inspection.pk],
        areas=areas,
        approved_updates=dict(approved),
        actions=dict(actions),
        plan=plan,
    )


def report_with_sections(*, report: CommitteeReport) -> list[ReportSection]:
    """The report's sections in order: one query."""
    return list(report.sections.order_by("order"))


def authorities_with_reports(*, user) -> list[LocalAuthority]:
    """The user's authorities, each with `reports` (drafts and finals, newest meeting first) and
    `can_manage`. Three queries: authorities, reports, the user's memberships."""
    reports = CommitteeReport.objects.only(
        "pk",
        "authority_id",
        "title",
        "kind",
        "committee",
        "meeting_date",
        "status",
        "revision",
        "finalised_at",
    )
    authorities = list(
        LocalAuthority.objects.for_user(user).prefetch_related(
            Prefetch("committee_reports", queryset=reports, to_attr="reports")
        )
    )
    if user.is_superuser:
        manageable = {a.pk for a in authorities}
    else:
        roles = dict(user.memberships.values_list("authority_id", "role"))
        manageable = {pk for pk, role in roles.items() if role in Capability.MANAGE.value}
    for authority in authorities:
        authority.can_manage = authority.pk in manageable
    return authorities


def inspections_for_report(*, authority: LocalAuthority) -> list[Inspection]:
    """The authority's inspections a report can be about, newest first: one query."""
    return list(Inspection.objects.filter(authority=authority).order_by("-start_date"))


def can_manage(user, report: CommitteeReport) -> bool:
    return has_capability(user, report.authority_id, Capability.MANAGE)

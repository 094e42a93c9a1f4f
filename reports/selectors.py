"""Reads for committee reports. Each runs a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import LocalAuthority
from accounts.permissions import Capability, has_capability, role_has, roles_of
from improvement_plans import records, rules
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate
from inspections.models import Finding, FindingKind, Inspection, Judgement
from readiness import selectors as readiness_selectors
from readiness.models import Evidence
from reports import profiles, word_templates
from reports.models import (
    CommitteeReport,
    ReportProfile,
    ReportSection,
    SectionKind,
    WordTemplate,
)


@dataclass
class ReportSource:
    """Everything a draft is written from, as at the end of the report's period (or today, if
    that is sooner): the inspection, its authority's inspections started by then and their
    judgements, the areas for improvement, their approved updates and actions, the plan
    (improvement_plans.records: the authority's own records as they stood at that day)."""

    inspection: Inspection
    inspections: list[Inspection]
    grades: dict[int, dict[str, str]]
    judgements: list[Judgement]
    afis: list[Finding]
    approved_updates: dict[int, list[ProgressUpdate]] = field(default_factory=dict)
    actions: dict[int, list[Action]] = field(default_factory=dict)
    plan: ImprovementPlan | None = None
    as_at: datetime.date | None = None

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


def report_as_at(report: CommitteeReport, today: datetime.date | None = None) -> datetime.date:
    """The day a report is drafted as at: the end of its period, or today while the period is
    not over (never before its inspection started)."""
    today = today or timezone.localdate()
    return max(min(report.period_end, today), report.inspection.start_date)


def report_source(*, report: CommitteeReport) -> ReportSource:
    """The report's data as at report_as_at: the queries of improvement_plans.records.load with
    judgements (nine), whatever the data size."""
    today = timezone.localdate()
    day = report_as_at(report, today)
    found = records.load(
        authority_ids=[report.authority_id],
        day=day,
        history=day < today,
        inspection_id=report.inspection_id,
        judgements=True,
    )
    inspections = found.inspections.get(report.authority_id, [])
    inspection = next(i for i in inspections if i.pk == report.inspection_id)

    grades = {
        pk: {code: judgement.grade for code, judgement in by_code.items()}
        for pk, by_code in found.judgements.items()
    }
    approved = {
        area.pk: [
            update
            for update in found.updates.get(area.pk, [])
            if rules.is_approved(update) and update.month <= report.period_end
        ]
        for area in found.afis
    }
    return ReportSource(
        inspection=inspection,
        inspections=inspections,
        grades=grades,
        judgements=list(found.judgements.get(inspection.pk, {}).values()),
        afis=sorted(found.afis, key=lambda a: (a.kind, a.order, a.pk)),
        approved_updates=approved,
        actions=found.actions,
        plan=found.plans.get(inspection.pk),
        as_at=day,
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
    roles = roles_of(user)
    for authority in authorities:
        authority.can_manage = role_has(user, roles.get(authority.pk), Capability.MANAGE)
    return authorities


def inspections_for_report(*, authority: LocalAuthority) -> list[Inspection]:
    """The authority's inspections a report can be about, newest first: one query."""
    return list(Inspection.objects.filter(authority=authority).order_by("-start_date"))


def can_manage(user, report: CommitteeReport) -> bool:
    return has_capability(user, report.authority_id, Capability.MANAGE)


def profile_for(authority: LocalAuthority | int) -> ReportProfile:
    """The authority's report profile, or the defaults (unsaved) when it has none: one query."""
    authority_id = authority if isinstance(authority, int) else authority.pk
    profile = ReportProfile.objects.filter(authority_id=authority_id).first()
    if profile is None:
        profile = profiles.new_profile(None)
        profile.authority_id = authority_id
    return profile


def word_template_for(authority_id: int) -> word_templates.Prepared | None:
    """The authority's Word template, prepared: one query for which template (and when it was
    saved); its bytes are read only the first time this process uses it."""
    row = (
        WordTemplate.objects.filter(authority_id=authority_id)
        .values_list("pk", "updated_at")
        .first()
    )
    if row is None:
        return None
    pk, saved_at = row
    return word_templates.prepared(
        pk,
        saved_at.isoformat(),
        lambda: WordTemplate.objects.values_list("content", flat=True).get(pk=pk),
    )


def unsigned_roles(*, report: CommitteeReport) -> list[str]:
    """The sign-off table's roles with no name against them (finalising warns of them): one
    query."""
    section = report.sections.filter(kind=SectionKind.SIGN_OFF).only("data").first()
    if section is None:
        return []
    return [row[0] for row in section.data.get("rows", []) if not str(row[1]).strip()]


@dataclass
class SelfEvaluationSource:
    """What a self-evaluation is drafted from, as at the end of its year (or today): the
    authority's records as they stood then (improvement_plans.records, the current cycle's areas
    with their progress by the rules), Ofsted's strengths of the current cycle, the evidence
    files on each area's updates and actions added by then, and the evidence library (its
    documents as they are now, each one's state on the day: the library keeps no as-at history)."""

    base: ReportSource
    progress: dict  # area pk: improvement_plans.rules.AfiProgress on the day
    strengths: list[Finding]
    evidence: dict[int, list]  # area pk: readiness.Evidence, newest document first
    library: list  # readiness.selectors.LibraryEntry, on the day


def self_evaluation_source(*, report: CommitteeReport) -> SelfEvaluationSource:
    """The self-evaluation's data as at report_as_at: the queries of records.load with
    judgements, the strengths, the areas' evidence and the library's two: thirteen, whatever
    the data size."""
    today = timezone.localdate()
    day = report_as_at(report, today)
    found = records.load(
        authority_ids=[report.authority_id], day=day, history=day < today, judgements=True
    )
    inspections = found.inspections.get(report.authority_id, [])
    inspection = next(i for i in inspections if i.pk == report.inspection_id)
    cycle = [i.pk for i in rules.current_cycle(inspections)]
    approved = {
        area.pk: [u for u in found.updates.get(area.pk, []) if rules.is_approved(u)]
        for area in found.afis
    }
    base = ReportSource(
        inspection=inspection,
        inspections=inspections,
        grades={
            pk: {code: judgement.grade for code, judgement in by_code.items()}
            for pk, by_code in found.judgements.items()
        },
        judgements=list(found.judgements.get(inspection.pk, {}).values()),
        afis=sorted(
            found.afis,
            key=lambda a: (a.inspection.start_date, a.inspection_id, a.kind, a.order, a.pk),
        ),
        approved_updates=approved,
        actions=found.actions,
        plan=found.plans.get(inspection.pk),
        as_at=day,
    )
    area_ids = [area.pk for area in found.afis]
    evidence: dict[int, list] = {pk: [] for pk in area_ids}
    for item in (
        Evidence.objects.filter(
            Q(progress_update__area_for_improvement_id__in=area_ids)
            | Q(action__area_for_improvement_id__in=area_ids),
            document_date__lte=day,
            created_at__lte=records.end_of_day(day),
        )
        .select_related("progress_update", "action")
        .order_by("-document_date", "-pk")
    ):
        owner = item.progress_update or item.action
        evidence[owner.area_for_improvement_id].append(item)
    return SelfEvaluationSource(
        base=base,
        progress=found.progress,
        strengths=list(
            Finding.objects.filter(inspection_id__in=cycle, kind=FindingKind.STRENGTH).order_by(
                "inspection__start_date", "order", "pk"
            )
        ),
        evidence=evidence,
        library=readiness_selectors.library(authority_id=report.authority_id, today=day),
    )

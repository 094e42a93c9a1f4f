"""Reads of inspections data that are more than a filter. Each runs a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from core.history import HistoryEntry, merged_history
from inspections.deadlines import Deadline, InspectionWindow, deadlines_for, next_inspection_window
from inspections.models import (
    GRADED_EVENT_TYPES,
    ArchiveImportFile,
    ArchiveImportRun,
    Finding,
    FindingKind,
    Inspection,
    Judgement,
    JudgementArea,
    LocalAuthority,
)


def authorities_with_latest_inspection(*, user) -> list[LocalAuthority]:
    """The user's authorities, each with `latest_inspection` (its latest graded inspection or
    None) and `latest_overall` (that inspection's overall effectiveness grade or None).

    Three queries whatever the number of authorities.
    """
    latest = (
        Inspection.objects.filter(authority=OuterRef("pk"), event_type__in=GRADED_EVENT_TYPES)
        .order_by("-start_date")
        .values("pk")[:1]
    )
    authorities = list(
        LocalAuthority.objects.for_user(user).annotate(latest_inspection_id=Subquery(latest))
    )
    inspection_ids = [a.latest_inspection_id for a in authorities if a.latest_inspection_id]
    inspections = Inspection.objects.select_related("framework").in_bulk(inspection_ids)
    overall = dict(
        Judgement.objects.filter(
            inspection_id__in=inspection_ids, area__code="overall_effectiveness"
        ).values_list("inspection_id", "grade")
    )
    for authority in authorities:
        authority.latest_inspection = inspections.get(authority.latest_inspection_id)
        authority.latest_overall = overall.get(authority.latest_inspection_id)
    return authorities


@dataclass
class AuthorityOverview:
    """Everything the authority page shows, read in a fixed number of queries."""

    authority: LocalAuthority
    inspections: list[Inspection]  # newest first, each with .judgement_list, .finding_counts
    latest_graded: Inspection | None
    latest_judgements: list[Judgement]
    open_areas: list[Finding]
    deadlines: list[tuple[Inspection, Deadline]]  # the current cycle's, earliest first
    today: datetime.date
    window: InspectionWindow | None


def authority_overview(*, authority: LocalAuthority, today: datetime.date) -> AuthorityOverview:
    """The authority's timeline, latest judgements, open areas for improvement, upcoming
    deadlines and next-inspection window.

    A fixed number of queries whatever the number of inspections, judgements and findings:
    inspections (with framework), their judgements (with area), finding counts per inspection and
    kind, improvement plans, and the current areas with their progress (records.load).
    """
    # Progress is a layer above inspections (issue "The house" moves this page's reads up).
    from improvement_plans import records as progress_records
    from improvement_plans.models import ImprovementPlan

    inspections = list(
        Inspection.objects.filter(authority=authority)
        .select_related("framework")
        .order_by("-start_date", "-pk")
    )
    judgements: dict[int, list[Judgement]] = defaultdict(list)
    for judgement in (
        Judgement.objects.filter(inspection__authority=authority)
        .select_related("area")
        .order_by("area__order")
    ):
        judgements[judgement.inspection_id].append(judgement)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Finding.objects.filter(inspection__authority=authority)
        .order_by()
        .values("inspection_id", "kind")
        .annotate(n=Count("pk"))
    ):
        counts[row["inspection_id"]][row["kind"]] = row["n"]
    for inspection in inspections:
        inspection.judgement_list = judgements.get(inspection.pk, [])
        inspection.finding_counts = counts.get(inspection.pk, {})
        inspection.overall = next(
            (j.grade for j in inspection.judgement_list if j.area.code == "overall_effectiveness"),
            None,
        )

    grades = {i.pk: {j.area.code: j.grade for j in i.judgement_list} for i in inspections}
    window = next_inspection_window(inspections, grades, as_at=today)
    latest_graded = next(
        (i for i in inspections if i.event_type in GRADED_EVENT_TYPES and i.judgement_list), None
    )

    # Open: current areas (the latest graded inspection's and the visits' since) whose latest
    # approved update does not say complete: improvement_plans.rules, as every page applies them.
    since = latest_graded.start_date if latest_graded else datetime.date.min
    found = progress_records.load(
        authority_ids=[authority.pk], day=today, history=False, detail=False
    )
    open_areas = []
    for finding in sorted(
        found.areas, key=lambda a: (-a.inspection.start_date.toordinal(), a.kind, a.order, a.pk)
    ):
        finding.progress = found.progress[finding.pk]
        if finding.progress.is_open:
            open_areas.append(finding)

    plans = {
        p.inspection_id: p for p in ImprovementPlan.objects.filter(inspection__authority=authority)
    }
    # The current cycle's deadlines (the latest graded inspection's and the visits' since) in
    # whatever state they are, and any earlier one still to do.
    deadlines = [
        (inspection, deadline)
        for inspection in inspections
        if inspection.start_date <= today
        for deadline in deadlines_for(
            inspection,
            plan=plans.get(inspection.pk),
            has_priority_actions=bool(inspection.finding_counts.get(FindingKind.PRIORITY_ACTION)),
            as_at=today,
        )
        if inspection.start_date >= since or deadline.state == "due"
    ]
    deadlines.sort(key=lambda pair: pair[1].due)
    return AuthorityOverview(
        authority=authority,
        inspections=inspections,
        latest_graded=latest_graded,
        latest_judgements=latest_graded.judgement_list if latest_graded else [],
        open_areas=open_areas,
        deadlines=deadlines,
        today=today,
        window=window,
    )


def inspection_findings(*, inspection: Inspection) -> dict[str, list[Finding]]:
    """The inspection's findings by kind, in their order. One query."""
    by_kind: dict[str, list[Finding]] = {kind: [] for kind in FindingKind.values}
    for finding in (
        Finding.objects.filter(inspection=inspection)
        .select_related("judgement_area", "predecessor__inspection")
        .order_by("kind", "order", "pk")
    ):
        by_kind[finding.kind].append(finding)
    return by_kind


def earlier_areas_for_improvement(*, inspection: Inspection):
    """What an area for improvement can follow on from: the same authority's areas for
    improvement and for priority action at earlier inspections (a queryset for a form field)."""
    return (
        Finding.objects.to_act_on()
        .filter(
            inspection__authority_id=inspection.authority_id,
            inspection__start_date__lt=inspection.start_date,
        )
        .select_related("inspection")
        .order_by("-inspection__start_date", "kind", "order")
    )


def inspection_history(*, inspection: Inspection) -> list[HistoryEntry]:
    """Every change to the inspection, its judgements, its findings and its improvement plan,
    newest first, with who made it and what changed (its areas' actions and updates are on each
    area's own history page). Six queries at most: the four histories with their users, the
    framework's judgement area names, and the people named in changed fields."""
    from improvement_plans.models import ImprovementPlan

    inspection_records = list(
        Inspection.history.filter(id=inspection.pk).select_related("history_user")
    )
    judgement_records = list(
        Judgement.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    finding_records = list(
        Finding.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    plan_records = list(
        ImprovementPlan.history.filter(inspection_id=inspection.pk).select_related("history_user")
    )
    area_names = dict(JudgementArea.objects.values_list("pk", "name"))
    kinds = dict(FindingKind.choices)
    return merged_history(
        (inspection_records, Inspection, lambda r: "Inspection details"),
        (
            judgement_records,
            Judgement,
            lambda r: f"Judgement: {area_names.get(r.area_id, 'a removed judgement area')}",
        ),
        (finding_records, Finding, lambda r: f"{kinds[r.kind]}: {r.title[:60]}"),
        (plan_records, ImprovementPlan, lambda r: "Improvement plan"),
    )


def last_archive_import() -> tuple[ArchiveImportRun | None, list[ArchiveImportFile]]:
    """The last archive import run and its files, each with the inspection it recorded (the
    page is administrators' only: the view checks). Two queries."""
    run = ArchiveImportRun.objects.first()
    if run is None:
        return None, []
    files = list(run.files.select_related("inspection", "inspection__authority"))
    return run, files

"""Reads of inspections data that are more than a filter. Each runs a fixed number of queries."""

from django.db.models import OuterRef, Subquery

from accounts.models import LocalAuthority
from accounts.permissions import Capability, get_for_user, get_published_for_user
from inspections.models import (
    GRADED_EVENT_TYPES,
    ArchiveImportFile,
    ArchiveImportRun,
    Finding,
    FindingKind,
    Inspection,
    Judgement,
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


def last_archive_import() -> tuple[ArchiveImportRun | None, list[ArchiveImportFile]]:
    """The last archive import run and its files, each with the inspection it recorded (the
    page is administrators' only: the view checks). Two queries."""
    run = ArchiveImportRun.objects.first()
    if run is None:
        return None, []
    files = list(run.files.select_related("inspection", "inspection__authority"))
    return run, files


def inspection_for_user(user, inspection_pk, capability=Capability.VIEW) -> Inspection:
    """The inspection (with its authority and framework) if `user` may see it and do
    `capability` in its authority: 404 or 403 otherwise (accounts.permissions.get_for_user)."""
    return get_for_user(
        Inspection.objects.select_related("authority", "framework"),
        user,
        capability=capability,
        pk=inspection_pk,
    )


def published_inspection(user, inspection_pk) -> Inspection:
    """The inspection (with its authority and framework) for reading what Ofsted published:
    any signed-in person, any authority; 404 when there is none
    (accounts.permissions.get_published_for_user)."""
    return get_published_for_user(
        Inspection.objects.select_related("authority", "framework"), user, pk=inspection_pk
    )

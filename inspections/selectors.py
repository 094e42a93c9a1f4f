"""Reads of inspections data that are more than a filter. Each runs a fixed number of queries."""

from django.db.models import OuterRef, Subquery

from inspections.models import GRADED_EVENT_TYPES, Inspection, Judgement, LocalAuthority


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

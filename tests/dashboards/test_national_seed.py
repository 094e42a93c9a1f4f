"""seed_demo --scale national: all 153 authorities with plausible histories; --times N multiplies
the history behind the same current picture."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from accounts.models import LocalAuthority
from dashboards import selectors
from ilacs.demo.national import NATIONAL_VIEWER, NationalSeeder
from improvement_plans.models import Action, ProgressUpdate
from inspections.models import GRADED_EVENT_TYPES, EventType, Finding, FindingKind, Inspection

TODAY = datetime.date(2026, 11, 23)


def _current_picture():
    viewer = get_user_model().objects.get(username=NATIONAL_VIEWER)
    authority_ids = list(LocalAuthority.objects.for_user(viewer).values_list("pk", flat=True))
    rows = selectors.portfolio_rows(authority_ids=authority_ids, today=TODAY)
    return {
        row.authority.name: (row.latest.pk if row.latest else None, row.rag_counts, row.overdue)
        for row in rows.values()
    }


@pytest.mark.django_db
def test_it_gives_every_authority_a_history_and_times_n_keeps_the_current_picture():
    call_command("load_authorities")
    counts = NationalSeeder(months=4, today=TODAY).run()
    assert counts.authorities == 153
    assert LocalAuthority.objects.exclude(inspections__isnull=False).count() == 0
    # Every authority had a SIF inspection and at least one graded ILACS inspection.
    types = Inspection.objects.values("authority").annotate(
        sif=Count("pk", filter=Q(event_type=EventType.SIF)),
        ilacs=Count("pk", filter=Q(event_type__in=[EventType.STANDARD, EventType.SHORT])),
    )
    assert all(t["sif"] == 1 and t["ilacs"] >= 1 for t in types)
    assert not Inspection.objects.filter(start_date__gt=TODAY).exists()
    # 3-12 areas for improvement on each latest graded inspection.
    for authority in LocalAuthority.objects.all()[:20]:
        latest = (
            Inspection.objects.filter(authority=authority, event_type__in=GRADED_EVENT_TYPES)
            .order_by("-start_date")
            .first()
        )
        n = latest.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT).count()
        assert 3 <= n <= 12
    # Every update has its history row; updates are monthly, at most last month.
    assert ProgressUpdate.history.count() == ProgressUpdate.objects.count() == counts.updates
    assert Action.history.count() == Action.objects.count()
    assert not ProgressUpdate.objects.filter(month__gte=datetime.date(2026, 11, 1)).exists()
    picture = _current_picture()

    # A second run adds nothing.
    again = NationalSeeder(months=4, today=TODAY).run()
    assert again.authorities == again.updates == 0

    # Three times the data: the same current picture, about three times the updates.
    Inspection.objects.all().delete()
    tripled = NationalSeeder(months=4, today=TODAY, times=3).run()
    assert 2.9 * counts.updates <= tripled.updates <= 3.1 * counts.updates
    assert Finding.objects.count() > counts.afis  # earlier inspections carry the extra
    assert _same(picture, _current_picture())


def _same(before: dict, after: dict) -> bool:
    # Inspection pks differ between the two seedings; compare everything else.
    return {k: v[1:] for k, v in before.items()} == {k: v[1:] for k, v in after.items()}


@pytest.mark.django_db
def test_times_needs_the_national_scale():
    with pytest.raises(CommandError, match="--times applies only with --scale national"):
        call_command("seed_demo", "--times", "2")

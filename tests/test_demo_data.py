import datetime

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Role
from ilacs.demo import DemoSeeder
from improvement_plans.models import ProgressUpdate, UpdateStatus
from inspections.models import Finding, Inspection, Judgement

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def _counts():
    return (
        Inspection.objects.count(),
        Judgement.objects.count(),
        Finding.objects.count(),
        ProgressUpdate.objects.count(),
        ProgressUpdate.history.count(),
        Membership.objects.count(),
    )


@pytest.fixture
def seeded(db):
    call_command("load_authorities")
    DemoSeeder(today=TODAY).run()


def test_it_makes_a_user_for_every_role(seeded):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.OFFICER, Role.MANAGER, Role.VIEWER}
    regional = Membership.objects.filter(user__username="regional.viewer")
    assert sorted(regional.values_list("authority__name", flat=True)) == [
        "Brent",
        "Gateshead",
        "North Somerset",
    ]


def test_it_holds_the_real_judgements_and_areas_for_improvement(seeded):
    inspection = Inspection.objects.get(authority__name="North Somerset", start_date="2023-03-13")
    grades = dict(inspection.judgements.values_list("area__code", "grade"))
    assert grades["children_in_care"] == "requires_improvement"
    assert grades["care_leavers"] == "good"
    assert inspection.findings.count() == 6
    brent_2026 = Inspection.objects.get(authority__name="Brent", start_date="2026-04-27")
    assert brent_2026.framework.code == "ILACS-2026"
    assert not brent_2026.judgements.filter(area__code="overall_effectiveness").exists()


def test_it_gives_every_current_area_at_least_twelve_months_of_progress(seeded):
    for finding in Finding.objects.filter(inspection__start_date="2023-03-13"):
        months = finding.progress_updates.count()
        complete = finding.progress_updates.filter(rag="complete").exists()
        assert months >= 12 or complete
    latest = ProgressUpdate.objects.filter(month=datetime.date(2026, 10, 1))
    assert latest.exclude(status=UpdateStatus.APPROVED).exists()  # something waits for review


def test_a_second_run_changes_nothing(seeded):
    before = _counts()
    DemoSeeder(today=TODAY).run()
    assert _counts() == before


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="does not run with DEBUG off"):
        call_command("seed_demo")
    assert Inspection.objects.count() == 0


def test_officers_lead_only_the_current_plans_areas(seeded):
    led = Finding.objects.filter(lead__username="ns.officer")
    assert set(led.values_list("inspection__start_date", flat=True)) == {datetime.date(2023, 3, 13)}
    assert led.count() == 6
    # Brent's 2026 result has no areas recorded, so its 2023 plan is still reported on.
    brent = Finding.objects.filter(lead__username="brent.officer")
    assert set(brent.values_list("inspection__start_date", flat=True)) == {
        datetime.date(2023, 2, 20)
    }
    assert brent.first().progress_updates.filter(month=datetime.date(2026, 10, 1)).exists() or (
        brent.first().progress_updates.filter(rag="complete").exists()
    )


def test_no_demo_deadline_shows_as_missed_for_something_done(seeded):
    from improvement_plans.models import ImprovementPlan
    from inspections.deadlines import deadlines_for

    for inspection in Inspection.objects.filter(event_type__in=["standard", "short", "sif"]):
        plan = ImprovementPlan.objects.filter(inspection=inspection).first()
        states = {d.label: d.state for d in deadlines_for(inspection, plan=plan, as_at=TODAY)}
        assert states.get("Publish the report") in (None, "met"), inspection

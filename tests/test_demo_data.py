import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import LocalAuthority, Membership, Role
from ilacs.demo import DEMO_USERS, DemoSeeder
from improvement_plans import records
from improvement_plans.models import ProgressUpdate, UpdateStatus
from improvement_plans.selectors import my_updates, review_queue
from inspections.models import Finding, Inspection, Judgement

User = get_user_model()

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


def test_officers_lead_only_the_current_cycles_areas(seeded):
    """The seeder follows the rules (improvement_plans.rules.current_cycle): the leads are on the
    areas of each authority's latest graded inspection, as every page finds them."""
    for username, start in (
        ("ns.officer", datetime.date(2023, 3, 13)),
        ("gateshead.officer", datetime.date(2024, 12, 2)),
        ("brent.officer", datetime.date(2023, 2, 20)),
    ):
        led = Finding.objects.filter(lead__username=username)
        assert set(led.values_list("inspection__start_date", flat=True)) == {start}
        shown = my_updates(user=User.objects.get(username=username), today=TODAY).areas
        assert {a.pk for a in shown} == set(led.values_list("pk", flat=True))


@pytest.mark.parametrize("username", [demo.username for demo in DEMO_USERS])
def test_every_demo_account_sees_real_work(seeded, username):
    """Each account listed in the README has something to do or read, by the same rules as the
    pages: officers have areas with an update due, returned or in draft; managers have updates
    waiting for approval; viewers and administrators see current areas with reported RAGs."""
    user = User.objects.get(username=username)
    authority_ids = list(LocalAuthority.objects.for_user(user).values_list("pk", flat=True))
    assert authority_ids
    found = records.load(authority_ids=authority_ids, day=TODAY, history=False)
    counts = found.counts()
    assert counts.areas > 0 and sum(n for rag, n in counts.rag.items() if rag) > 0
    memberships = set(user.memberships.values_list("role", flat=True))
    if Role.OFFICER in memberships:
        states = {area.progress.headline for area in my_updates(user=user, today=TODAY).areas}
        assert states & {"due", "overdue", "returned", "draft"}, states
    if Role.MANAGER in memberships:
        assert review_queue(user=user, today=TODAY)
        assert counts.returned > 0  # and one is back with its officer


def test_no_demo_deadline_shows_as_missed_for_something_done(seeded):
    from improvement_plans.models import ImprovementPlan
    from inspections.deadlines import deadlines_for

    for inspection in Inspection.objects.filter(event_type__in=["standard", "short", "sif"]):
        plan = ImprovementPlan.objects.filter(inspection=inspection).first()
        states = {d.label: d.state for d in deadlines_for(inspection, plan=plan, as_at=TODAY)}
        assert states.get("Publish the report") in (None, "met"), inspection

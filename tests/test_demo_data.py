"""The demo data: what `make run` seeds, and what each account the README lists sees in it, by the
same rules as every page (improvement_plans.rules over improvement_plans.records)."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts.models import LocalAuthority, Membership, Role
from core.months import next_month
from ilacs.demo import DEMO_AUTHORITIES, DEMO_USERS, DemoSeeder
from improvement_plans import records, rules
from improvement_plans.models import ProgressUpdate, Rag, UpdateStatus
from improvement_plans.selectors import my_updates, review_queue
from inspections.models import EventType, Finding, FindingKind, Inspection, Judgement
from tests.conftest import DEMO_TODAY

User = get_user_model()

pytestmark = pytest.mark.django_db

TODAY = DEMO_TODAY
LAST_MONTH = rules.overdue_month(TODAY)  # October 2026: its updates are still being approved
README = Path(__file__).resolve().parents[1] / "README.md"

# Each demo authority's latest graded inspection (ilacs/demo/inspections.json, from the real
# reports). No visit follows any of them, so by the rules each is its authority's current cycle.
LATEST_GRADED = {
    "Brent": (EventType.SHORT, datetime.date(2023, 2, 20)),
    "Gateshead": (EventType.SHORT, datetime.date(2024, 12, 2)),
    "North Somerset": (EventType.STANDARD, datetime.date(2023, 3, 13)),
}
# The states the seeder gives last month's updates of an authority's open areas, area by area.
LAST_MONTH_STATES = [
    UpdateStatus.SUBMITTED,
    UpdateStatus.RETURNED,
    UpdateStatus.DRAFT,
    UpdateStatus.APPROVED,
]


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
def seeded(demo_seeded_once, db):
    """The demo data as `make run` seeds it (as on TODAY)."""


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return months


def _inspections(authority) -> list[Inspection]:
    return list(
        Inspection.objects.filter(authority=authority, start_date__lte=TODAY).order_by(
            "start_date", "pk"
        )
    )


def _current_areas(authorities) -> list[int]:
    """The current areas of `authorities` by the rules (rules.current_cycle over the inspections
    as the tables hold them), in the order records.load lists areas."""
    cycle = [i.pk for a in authorities for i in rules.current_cycle(_inspections(a))]
    return list(
        Finding.objects.filter(inspection_id__in=cycle)
        .exclude(kind=FindingKind.STRENGTH)
        .order_by("inspection__start_date", "inspection_id", "kind", "order", "pk")
        .values_list("pk", flat=True)
    )


def _load(authorities) -> records.Records:
    return records.load(authority_ids=[a.pk for a in authorities], day=TODAY, history=False)


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
    # The report's six areas for improvement; the strengths beside them are the demo's own
    # (ilacs/demo/between_inspections.py), one per judgement area but overall effectiveness.
    assert inspection.findings.filter(kind=FindingKind.AREA_FOR_IMPROVEMENT).count() == 6
    assert inspection.findings.filter(kind=FindingKind.STRENGTH).count() == 4


def test_each_authoritys_current_cycle_is_its_latest_graded_inspection(seeded):
    for name in sorted(DEMO_AUTHORITIES):
        authority = LocalAuthority.objects.get(name=name)
        cycle = rules.current_cycle(_inspections(authority))
        # The latest graded inspection, and this year's annual engagement meeting since.
        assert [(i.event_type, i.start_date) for i in cycle] == [
            LATEST_GRADED[name],
            (EventType.ANNUAL_ENGAGEMENT, TODAY - datetime.timedelta(days=75)),
        ], name
        assert [i.pk for i in _load([authority]).cycle[authority.pk]] == [i.pk for i in cycle]


def test_every_current_area_is_reported_every_month_until_it_is_complete(seeded):
    """By the rules: an update for every reporting month, from the month after the report was
    published up to last month, or up to the month whose approved update said complete (the
    seeder stops there, as an officer would); every one approved but last month's."""
    authorities = list(LocalAuthority.objects.filter(name__in=DEMO_AUTHORITIES).order_by("name"))
    found = _load(authorities)
    assert [a.pk for a in found.afis] == _current_areas(authorities)
    assert len(found.afis) == 13  # Brent 4, Gateshead 3, North Somerset 6: the real reports
    for area in found.afis:
        progress = found.progress[area.pk]
        updates = found.updates[area.pk]
        complete_month = progress.latest_approved.month if progress.is_complete else None
        last_month = complete_month if progress.is_complete else LAST_MONTH
        assert progress.first_month == next_month(area.inspection.published_date), area
        assert [u.month for u in updates] == _months(progress.first_month, last_month), area
        assert len(updates) >= 12, area
        assert [u.status for u in updates[:-1]] == [UpdateStatus.APPROVED] * (len(updates) - 1)
        assert [u.rag == Rag.COMPLETE for u in updates] == [
            u.month == complete_month for u in updates
        ], area


def test_last_months_updates_are_moving_through_approval(seeded):
    """Each authority's open areas, in order, have last month's update in the states the seeder
    gives them in turn: one waits for approval, one is back with its officer, one is a draft."""
    for name in sorted(DEMO_AUTHORITIES):
        found = _load([LocalAuthority.objects.get(name=name)])
        open_areas = [found.progress[a.pk] for a in found.afis if found.progress[a.pk].is_open]
        assert len(open_areas) >= 2, name
        assert [p.overdue_update.status for p in open_areas] == (
            LAST_MONTH_STATES[: len(open_areas)]
        ), name


def test_a_second_run_changes_nothing(seeded):
    before = _counts()
    DemoSeeder(today=TODAY).run()
    assert _counts() == before


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    before = _counts()
    with pytest.raises(CommandError, match="does not run with DEBUG off"):
        call_command("seed_demo")
    assert _counts() == before


def test_the_readme_lists_every_demo_account():
    table = README.read_text(encoding="utf-8").split("| username | role |")[1].split("\n\n")[0]
    listed = re.findall(r"`([a-z.]+)`", table)
    assert sorted(listed) == sorted(demo.username for demo in DEMO_USERS)


def test_only_the_current_cycles_areas_have_a_lead(seeded):
    """A superseded inspection's areas are history: the seeder gives them no lead, so no
    officer is asked about them; each current area is led by its authority's officer."""
    authorities = list(LocalAuthority.objects.filter(name__in=DEMO_AUTHORITIES).order_by("name"))
    led = Finding.objects.filter(lead__isnull=False).order_by(
        "inspection__start_date", "inspection_id", "kind", "order", "pk"
    )
    assert list(led.values_list("pk", flat=True)) == _current_areas(authorities)
    prefix = {"Brent": "brent", "Gateshead": "gateshead", "North Somerset": "ns"}
    for area in led.select_related("lead", "inspection__authority"):
        assert area.lead.username == f"{prefix[area.inspection.authority.name]}.officer"


@pytest.mark.parametrize("username", [demo.username for demo in DEMO_USERS])
def test_every_demo_account_sees_its_current_areas_and_real_work(seeded, username):
    """What each account the README lists sees, by the rules the pages use: the current areas
    of its authorities and no others, each with a reported RAG, one update back with its officer
    and one waiting for approval; an officer's My updates lists exactly the areas they lead,
    the returned one first; a manager's review queue holds exactly their authority's updates
    waiting for approval."""
    user = User.objects.get(username=username)
    authorities = list(LocalAuthority.objects.for_user(user).order_by("name", "pk"))
    found = _load(authorities)
    assert found.afis
    assert [a.pk for a in found.afis] == _current_areas(authorities)
    counts = found.counts()
    assert counts.rag[None] == 0
    assert counts.returned > 0
    assert counts.waiting > 0
    roles = set(user.memberships.values_list("role", flat=True))
    if Role.OFFICER in roles:
        shown = my_updates(user=user, today=TODAY).afis
        assert sorted(a.pk for a in shown) == sorted(a.pk for a in found.afis)
        assert {a.lead_id for a in found.afis} == {user.pk}
        headlines = [a.progress.headline for a in shown]
        assert headlines[0] == "returned"
        assert "submitted" in headlines
    if Role.MANAGER in roles:
        waiting = [u.pk for a in found.afis for u in found.progress[a.pk].waiting]
        assert waiting
        assert sorted(u.pk for u in review_queue(user=user, today=TODAY)) == sorted(waiting)


def test_no_demo_deadline_shows_as_missed_for_something_done(seeded):
    from improvement_plans.models import ImprovementPlan
    from inspections.deadlines import deadlines_for

    graded = Inspection.objects.filter(event_type__in=["standard", "short", "sif"])
    for inspection in graded.order_by("authority__name", "start_date"):
        plan = ImprovementPlan.objects.filter(inspection=inspection).first()
        states = {d.label: d.state for d in deadlines_for(inspection, plan=plan, as_at=TODAY)}
        assert states.get("Publish the report") in (None, "met"), inspection

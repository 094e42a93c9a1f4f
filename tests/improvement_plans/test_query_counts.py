"""A fixed number of queries whatever the number of areas for improvement: each page is loaded
with 1 and with 50 areas (each with an action and updates) and must run the same queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.months import previous_month
from improvement_plans.models import UpdateStatus
from improvement_plans.selectors import this_month
from inspections.models import EventType
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(authority):
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    return inspection


def _areas(inspection, officer, count: int):
    month = this_month()
    areas = []
    for _ in range(count):
        area = FindingFactory(inspection=inspection, lead=officer)
        ActionFactory(
            area_for_improvement=area, due_date=datetime.date.today() + datetime.timedelta(days=3)
        )
        ProgressUpdateFactory(
            area_for_improvement=area,
            author=officer,
            month=month,
            status=UpdateStatus.SUBMITTED,
        )
        ProgressUpdateFactory(
            area_for_improvement=area,
            author=officer,
            month=previous_month(month),
            status=UpdateStatus.APPROVED,
        )
        areas.append(area)
    return areas


# Every signed-in request ends by saving the session (the idle timeout slides): a savepoint, the
# UPDATE and the savepoint's release.
SESSION_SAVE = 3


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("count", [1, 50])
def test_my_updates_runs_the_same_queries_whatever_the_number_of_areas(
    client, inspection, officer, count
):
    _areas(inspection, officer, count)
    client.force_login(officer)
    page = client.get(reverse("improvement_plans:my_updates")).content.decode()
    assert page.count("Waiting for approval</strong>") == count
    # 1 session, 2 user, 3 the user's authorities, then improvement_plans.records.load: 4
    # authorities, 5 frameworks, 6 judgement areas, 7 inspections, 8 the areas the user leads, 9
    # their updates, 10 their actions, 11 plans, 12 the people named.
    queries = _queries(client, reverse("improvement_plans:my_updates"))
    assert len(queries) == 12 + SESSION_SAVE, "\n".join(queries)


@pytest.mark.parametrize("count", [1, 50])
def test_the_review_queue_runs_the_same_queries_whatever_its_length(
    client, inspection, officer, manager, count
):
    _areas(inspection, officer, count)
    client.force_login(manager)
    page = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert f"{count} update{'s' if count > 1 else ''} waiting" in page
    # 1 session, 2 user, 3 is the user a manager anywhere, 4 the inspections of the manager's
    # authorities (a subquery), for the current cycle, 5 the submitted updates of its areas with
    # their area, authority and author, 6 the authorities with updates returned to officers
    # (none here; with some, records.load of those authorities adds its six).
    queries = _queries(client, reverse("improvement_plans:review_queue"))
    assert len(queries) == 6 + SESSION_SAVE, "\n".join(queries)


@pytest.mark.parametrize("count", [1, 50])
def test_the_area_page_runs_the_same_queries_whatever_its_updates(
    client, inspection, officer, count
):
    area = FindingFactory(inspection=inspection, lead=officer)
    month = this_month()
    for _ in range(count):
        ActionFactory(area_for_improvement=area)
        ProgressUpdateFactory(area_for_improvement=area, author=officer, month=month)
        month = previous_month(month)
    client.force_login(officer)
    url = reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk})
    # 1 session, 2 user, 3 the area with its inspection, authority, judgement area and lead
    # (scoped to the user's authorities), 4 the user's role (may they log updates), 5 may they
    # manage, 6 actions, 7 updates with author and reviewer, 8 the authority's inspections (is
    # the area of the current cycle), 9 the plan for the link back.
    queries = _queries(client, url)
    assert len(queries) == 9 + SESSION_SAVE, "\n".join(queries)


@pytest.mark.parametrize("count", [1, 50])
def test_the_plan_page_runs_the_same_queries_whatever_its_size(client, inspection, officer, count):
    _areas(inspection, officer, count)
    client.force_login(officer)
    url = reverse(
        "improvement_plans:plan_detail", kwargs={"plan_pk": inspection.improvement_plan.pk}
    )
    queries = _queries(client, url)
    # 1 session, 2 user, 3 the plan with its inspection and authority, 4-12 its areas with their
    # progress (improvement_plans.records.load: authorities, frameworks, judgement areas,
    # inspections, areas, updates, actions, plans, the people named), 13 may the user manage. (A
    # visit's plan adds one: does it have areas for priority action, for its deadline.)
    assert len(queries) == 13 + SESSION_SAVE, "\n".join(queries)


def _grow(inspection, area, officer, manager, times: int):
    """More of everything an area's pages show: actions, updates (with history), leads."""
    month = previous_month(previous_month(this_month()))
    for _ in range(times):
        action = ActionFactory(area_for_improvement=area)
        action.status = "in_progress"
        action._history_user = manager
        action.save()
        month = previous_month(month)
        ProgressUpdateFactory(
            area_for_improvement=area, author=officer, month=month, status="approved"
        )
        FindingFactory(inspection=inspection, lead=officer)
        MembershipFactory(user=UserFactory(), authority=inspection.authority, role="officer")


PAGES = {
    # page name: its URL kwargs from the objects
    "area_history": lambda o: {"finding_pk": o.area.pk},
    "area_edit": lambda o: {"finding_pk": o.area.pk},
    "update_detail": lambda o: {"update_pk": o.update.pk},
    "update_edit": lambda o: {"update_pk": o.draft.pk},  # a submitted one only redirects
    "update_review": lambda o: {"update_pk": o.update.pk},
    "update_create": lambda o: {"finding_pk": o.area.pk},
    "action_create": lambda o: {"finding_pk": o.area.pk},
    "action_edit": lambda o: {"action_pk": o.action.pk},
    "action_status": lambda o: {"action_pk": o.action.pk},
    "plan_edit": lambda o: {"plan_pk": o.plan.pk},
    # An inspection with a plan only redirects to it: the page counted is the one without.
    "plan_for_inspection": lambda o: {"inspection_pk": o.unplanned.pk},
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_other_plan_page_runs_the_same_queries_whatever_the_data(
    client, inspection, officer, manager, name
):
    area = FindingFactory(inspection=inspection, lead=officer)
    objects = type(
        "Objects",
        (),
        {
            "area": area,
            "inspection": inspection,
            "plan": inspection.improvement_plan,
            "action": ActionFactory(area_for_improvement=area),
            "update": ProgressUpdateFactory(
                area_for_improvement=area, author=officer, month=this_month(), status="submitted"
            ),
            "draft": ProgressUpdateFactory(
                area_for_improvement=area,
                author=officer,
                month=previous_month(this_month()),
                status="draft",
            ),
            # A focused visit after the inspection (the same cycle) with no plan yet.
            "unplanned": InspectionFactory(
                authority=inspection.authority,
                event_type=EventType.FOCUSED_VISIT,
                start_date=inspection.start_date + datetime.timedelta(days=200),
            ),
        },
    )
    url = reverse(f"improvement_plans:{name}", kwargs=PAGES[name](objects))
    client.force_login(manager)
    client.get(url)
    # Every page must render (200): a redirect runs a few queries whatever the data, so counting
    # one would pass however many queries the page itself runs.
    small = _queries(client, url)
    _grow(inspection, area, officer, manager, 50)
    large = _queries(client, url)
    assert len(small) == len(large), "\n".join(large)


def test_the_people_and_roles_page_runs_the_same_queries_whatever_the_number(
    client, administrator, authority
):
    url = reverse("accounts:membership_list")
    client.force_login(administrator)
    MembershipFactory(authority=authority)
    small = _queries(client, url)
    for _ in range(120):  # more than two pages
        MembershipFactory(authority=authority)
    large = _queries(client, url)
    # 1 session, 2 user, 3 the authorities for the filter, 4 count, 5 the page of roles with
    # their people and authorities, then the session save.
    assert len(small) == len(large) == 5 + SESSION_SAVE, "\n".join(large)

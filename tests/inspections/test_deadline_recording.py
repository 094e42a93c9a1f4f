"""Recording when a statutory deadline was met: the inspection's deadlines page, its form, its
version check, its history and who may use it."""

import datetime
import re

import pytest
from django.urls import reverse

from improvement_plans.models import ImprovementPlan
from inspections.models import EventType, FindingKind, Inspection
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
# InspectionFactory: started 13 March 2023, report published 11 May 2023, so the council
# publishes it by 23 June 2023 and sends its action plan by 18 August 2023.


def _url(inspection):
    return reverse(
        "improvement_plans:inspection_deadlines", kwargs={"inspection_pk": inspection.pk}
    )


def _date(prefix, name, day):
    if day is None:
        return {f"{prefix}-{name}_{n}": "" for n in range(3)}
    if isinstance(day, tuple):
        return {f"{prefix}-{name}_{n}": str(part) for n, part in enumerate(day)}
    return {
        f"{prefix}-{name}_0": day.day,
        f"{prefix}-{name}_1": day.month,
        f"{prefix}-{name}_2": day.year,
    }


def _publication(version, day):
    return {
        "deadline": "publication",
        "publication-version": version,
        **_date("publication", "report_published_by_authority_on", day),
    }


def _plan(version, day, kind="action_plan"):
    return {"deadline": kind, f"{kind}-version": version, **_date(kind, "submitted_on", day)}


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_manager_sees_each_deadline_with_its_state_and_a_form(client, authority, manager):
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection, submitted_on=D(2023, 8, 21))
    client.force_login(manager)
    response = client.get(_url(inspection))
    assert response.status_code == 200
    text = _text(response)
    assert "Publish the report Due 23 June 2023" in text
    assert "Missed" in text  # the report: nothing recorded
    assert "Met late on 21 August 2023" in text  # the plan: sent after 18 August
    assert "Date the council published the report" in text
    assert "Date the plan was sent to Ofsted" in text


def test_recording_the_reports_publication_meets_its_deadline_everywhere(
    client, authority, manager
):
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    response = client.post(_url(inspection), _publication(1, D(2023, 6, 20)))
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.report_published_by_authority_on == D(2023, 6, 20)
    assert inspection.version == 2
    for page in (
        _url(inspection),
        reverse("improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}),
        reverse("improvement_plans:authority_detail", kwargs={"authority_pk": authority.pk}),
        reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}),
    ):
        assert "Met on 20 June 2023" in client.get(page).content.decode(), page


def test_the_change_is_in_the_inspections_history_with_who_made_it(client, authority):
    from tests.conftest import _member

    manager = _member("mandy", authority, "manager")
    manager.first_name, manager.last_name = "Mandy", "Manager"
    manager.save()
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    client.post(_url(inspection), _publication(1, D(2023, 6, 20)))
    history = client.get(
        reverse("improvement_plans:inspection_history", kwargs={"inspection_pk": inspection.pk})
    )
    text = _text(history)
    rows = text[text.index("Inspection details Changed") :]
    assert rows.startswith(
        "Inspection details Changed Date the authority published the report: “(blank)” to "
        "“20 June 2023”"
    )
    assert "Mandy Manager" in text[: text.index("Inspection details Created")]


def test_recording_when_the_plan_was_sent_meets_the_plan_deadline(client, authority, manager):
    inspection = InspectionFactory(authority=authority)
    plan = ImprovementPlanFactory(inspection=inspection)
    client.force_login(manager)
    response = client.post(_url(inspection), _plan(plan.version, D(2023, 8, 1)))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.submitted_on == D(2023, 8, 1)
    page = client.get(_url(inspection)).content.decode()
    assert "Met on 1 August 2023" in page
    # A visit's draft plan after areas for priority action is recorded the same way.
    visit = InspectionFactory(
        authority=authority,
        event_type=EventType.FOCUSED_VISIT,
        start_date=D(2024, 11, 26),
        published_date=D(2024, 12, 2),  # the draft plan is due on 2 January 2025
    )
    FindingFactory(inspection=visit, kind=FindingKind.PRIORITY_ACTION)
    visit_plan = ImprovementPlanFactory(inspection=visit)
    response = client.post(
        _url(visit), _plan(visit_plan.version, D(2025, 1, 3), kind="priority_action_plan")
    )
    assert response.status_code == 302
    assert "Met late on 3 January 2025" in client.get(_url(visit)).content.decode()


def test_a_plan_not_started_yet_is_started_first(client, authority, manager):
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    page = client.get(_url(inspection)).content.decode()
    assert "Start the improvement plan" in page
    response = client.post(_url(inspection), _plan(1, D(2023, 8, 1)))
    assert response.status_code == 200  # nothing to record it on: the page again
    assert not ImprovementPlan.objects.filter(inspection=inspection).exists()


def test_a_date_recorded_by_mistake_can_be_removed(client, authority, manager):
    inspection = InspectionFactory(
        authority=authority, report_published_by_authority_on=D(2023, 6, 20)
    )
    client.force_login(manager)
    assert client.post(_url(inspection), _publication(1, None)).status_code == 302
    inspection.refresh_from_db()
    assert inspection.report_published_by_authority_on is None


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ((31, 2, 2024), "The date the report was published must be a real date"),
        ((20, "", 2023), "The date the report was published must include a month"),
        (
            D(2023, 3, 12),
            "The date the report was published must be the same as or after 13 March 2023, "
            "when the inspection started",
        ),
        (
            datetime.date.today() + datetime.timedelta(days=1),
            "The date the report was published must be today or in the past",
        ),
    ],
)
def test_a_date_that_cannot_be_right_is_refused_with_a_govuk_message(
    client, authority, manager, day, message
):
    inspection = InspectionFactory(authority=authority)
    client.force_login(manager)
    response = client.post(_url(inspection), _publication(1, day))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    inspection.refresh_from_db()
    assert inspection.report_published_by_authority_on is None and inspection.version == 1


def test_two_people_never_silently_overwrite_each_other(client, authority, manager):
    inspection = InspectionFactory(authority=authority)
    someone = UserFactory(username="someone", first_name="Sam", last_name="Else")
    # Sam changes the inspection after the manager opened the page at version 1.
    inspection.report_published_by_authority_on = D(2023, 6, 1)
    from core.concurrency import save_versioned

    save_versioned(inspection, expected_version=1, user=someone)
    client.force_login(manager)
    response = client.post(_url(inspection), _publication(1, D(2023, 6, 20)))
    assert response.status_code == 200
    text = _text(response)
    assert "Sam Else changed this at" in text
    assert "Their version" in text and "1 June 2023" in text
    inspection.refresh_from_db()
    assert inspection.report_published_by_authority_on == D(2023, 6, 1)
    # The form now carries the stored version: saving again, having read theirs, works.
    assert 'name="publication-version" value="2"' in response.content.decode()
    assert client.post(_url(inspection), _publication(2, D(2023, 6, 20))).status_code == 302
    inspection.refresh_from_db()
    assert inspection.report_published_by_authority_on == D(2023, 6, 20)


def test_officers_and_viewers_may_not_record_and_other_authorities_do_not_see_it(
    client, authority, officer, viewer, outsider, administrator
):
    inspection = InspectionFactory(authority=authority)
    for user, status in ((officer, 403), (viewer, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(_url(inspection), _publication(1, D(2023, 6, 20))).status_code == status
        assert client.get(_url(inspection)).status_code == status
    assert Inspection.objects.get(pk=inspection.pk).report_published_by_authority_on is None
    client.force_login(administrator)
    assert client.post(_url(inspection), _publication(1, D(2023, 6, 20))).status_code == 302


def test_record_as_met_links_are_shown_to_managers_only(client, authority, manager, viewer):
    inspection = InspectionFactory(authority=authority)
    pages = [
        reverse("improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk}),
        reverse("improvement_plans:authority_detail", kwargs={"authority_pk": authority.pk}),
        reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}),
    ]
    client.force_login(manager)
    for page in pages:
        assert "Record as met" in client.get(page).content.decode(), page
    client.force_login(viewer)  # the dashboard is cached by now: the link must not be in it
    for page in pages:
        html = client.get(page).content.decode()
        assert "Missed" in html and "Record as met" not in html, page


def test_the_page_runs_a_fixed_number_of_queries(
    client, authority, manager, django_assert_num_queries
):
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    client.force_login(manager)
    # 1 session, 2 user, 3 the inspection (scoped to the user, with authority and framework),
    # 4 the manager's role in its authority, 5 the plan, 6-8 savepoint, session expiry pushed
    # back, release. A graded inspection needs no query for its findings.
    with django_assert_num_queries(8):
        response = client.get(_url(inspection))
    assert response.status_code == 200

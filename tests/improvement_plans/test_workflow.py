"""The monthly workflow through real URLs: log, save a draft, submit, return, resubmit, approve;
one update per area per month; the stale-edit conflict; history rows for each change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement_plans import selectors
from improvement_plans.models import ActionStatus, ProgressUpdate, UpdateStatus
from improvement_plans.selectors import this_month
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MembershipFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "rag": "amber",
    "what_was_done": "Audited 20 plans with team managers.",
    "impact": "Plans now name who does what by when.",
    "evidence": "Audit report, March.",
    "next_steps": "Re-audit in June.",
}


@pytest.fixture
def area(authority, officer):
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    return FindingFactory(inspection=inspection, lead=officer, title="Quality of plans")


def _edit_data(update, **changes):
    return {**NARRATIVE, "version": update.version, **changes}


def test_the_full_cycle_draft_submit_return_resubmit_approve(client, area, officer, manager):
    month = this_month()
    client.force_login(officer)
    response = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {**NARRATIVE, "month": month.isoformat(), "save_draft": ""},
    )
    update = ProgressUpdate.objects.get(area_for_improvement=area, month=month)
    assert response.status_code == 302
    assert (update.status, update.author, update.submitted_at) == ("draft", officer, None)

    # Come back later and submit.
    edit_url = reverse("improvement_plans:update_edit", kwargs={"update_pk": update.pk})
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url, _edit_data(update, what_was_done="Audited 25 plans.", submit_update="")
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED
    assert update.what_was_done == "Audited 25 plans."
    assert update.submitted_at is not None

    # Submitted: the officer can no longer change it.
    response = client.post(edit_url, _edit_data(update, what_was_done="Sneaky change"))
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    update.refresh_from_db()
    assert update.what_was_done == "Audited 25 plans."

    # The manager returns it with a comment.
    client.force_login(manager)
    queue = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert "Quality of plans" in queue
    review_url = reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk})
    response = client.post(
        review_url,
        {"decision": "return", "comment": "Say what the audit found.", "version": update.version},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.reviewed_by, update.review_comment) == (
        "returned",
        manager,
        "Say what the audit found.",
    )
    assert update.reviewed_at is not None

    # The officer sees the comment, changes the update and resubmits.
    client.force_login(officer)
    page = client.get(edit_url).content.decode()
    assert "Say what the audit found." in page
    response = client.post(
        edit_url,
        _edit_data(update, what_was_done="18 of 25 plans were good.", submit_update=""),
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED

    # The manager approves.
    client.force_login(manager)
    response = client.post(
        review_url, {"decision": "approve", "comment": "", "version": update.version}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == ("approved", manager)
    queue = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert "No update is waiting for your review" in queue  # (the flash message names it)

    # Every state change is in the history, with who made it.
    states = [(h.status, h.history_user.username) for h in update.history.order_by("history_date")]
    assert states == [
        ("draft", "officer"),
        ("submitted", "officer"),
        ("returned", "manager"),
        ("submitted", "officer"),
        ("approved", "manager"),
    ]
    history = client.get(
        reverse("improvement_plans:area_history", kwargs={"finding_pk": area.pk})
    ).content.decode()
    assert (
        "Returned" in history and "Approved" in history and "“18 of 25 plans were good.”" in history
    )


def test_returning_an_update_needs_a_comment(client, area, officer, manager):
    update = ProgressUpdateFactory(
        area_for_improvement=area, author=officer, status="submitted", month=this_month()
    )
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk}),
        {"decision": "return", "comment": " ", "version": update.version},
    )
    assert response.status_code == 200
    assert "Enter a comment saying what the officer needs to change" in response.content.decode()
    update.refresh_from_db()
    assert update.status == "submitted"


def test_a_second_update_for_the_same_month_is_refused_with_a_clear_error(client, area, officer):
    month = this_month()
    ProgressUpdateFactory(area_for_improvement=area, author=officer, month=month)
    client.force_login(officer)
    response = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {**NARRATIVE, "month": month.isoformat(), "submit_update": ""},
    )
    assert response.status_code == 200
    assert "Select a month that does not have an update yet" in response.content.decode()
    assert ProgressUpdate.objects.filter(area_for_improvement=area).count() == 1


def test_submitting_without_saying_what_was_done_is_refused(client, area, officer):
    client.force_login(officer)
    response = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {"month": this_month().isoformat(), "rag": "green", "submit_update": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter what was done this month" in page
    assert "<title>Error: " in page
    assert not ProgressUpdate.objects.exists()


def test_a_draft_needs_only_the_rag_and_what_was_done(client, area, officer):
    client.force_login(officer)
    client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {
            "month": this_month().isoformat(),
            "rag": "red",
            "what_was_done": "Started",
            "save_draft": "",
        },
    )
    assert ProgressUpdate.objects.get().status == "draft"


def test_a_stale_edit_is_refused_naming_who_changed_it_and_showing_their_version(
    client, area, officer, manager
):
    update = ProgressUpdateFactory(area_for_improvement=area, author=officer, month=this_month())
    stale_version = update.version
    # The manager saves first (as a colleague with edit rights).
    client.force_login(manager)
    edit_url = reverse("improvement_plans:update_edit", kwargs={"update_pk": update.pk})
    client.post(edit_url, _edit_data(update, what_was_done="Manager's words", save_draft=""))

    client.force_login(officer)
    response = client.post(
        edit_url,
        {
            **NARRATIVE,
            "version": stale_version,
            "what_was_done": "Officer's words",
            "save_draft": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "after you opened it" in page
    assert manager.get_full_name() in page
    assert "Manager&#x27;s words" in page  # their version is shown
    assert "Officer&#x27;s words" in page  # and what the officer typed is kept
    update.refresh_from_db()
    assert update.what_was_done == "Manager's words"
    # The form now carries the current version, so saving again is a deliberate choice.
    assert f'value="{update.version}"' in page


def test_a_stale_action_edit_is_refused(client, area, officer, manager):
    action = ActionFactory(area_for_improvement=area)
    url = reverse("improvement_plans:action_status", kwargs={"action_pk": action.pk})
    client.force_login(manager)
    client.post(url, {"status": "in_progress", "version": 1})
    client.force_login(officer)
    response = client.post(url, {"status": "complete", "version": 1})
    assert "after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.IN_PROGRESS, None)


def test_completing_an_action_records_the_date(client, area, officer):
    action = ActionFactory(area_for_improvement=area)
    client.force_login(officer)
    client.post(
        reverse("improvement_plans:action_status", kwargs={"action_pk": action.pk}),
        {"status": "complete", "version": 1},
    )
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("complete", timezone.localdate())
    assert action.history.first().history_user == officer


def test_a_manager_adds_and_edits_an_action_with_history(client, area, manager):
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:action_create", kwargs={"finding_pk": area.pk}),
        {
            "description": "Monthly audit of plans",
            "owner": "Head of Safeguarding",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2027",
            "status": "not_started",
        },
    )
    assert response.status_code == 302
    action = area.actions.get()
    assert action.due_date == datetime.date(2027, 3, 31)
    response = client.post(
        reverse("improvement_plans:action_edit", kwargs={"action_pk": action.pk}),
        {
            "description": "Monthly audit of plans",
            "owner": "Principal Social Worker",
            "due_date_0": "30",
            "due_date_1": "4",
            "due_date_2": "2027",
            "status": "in_progress",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.version) == ("Principal Social Worker", 2)
    assert [h.history_user for h in action.history.all()] == [manager, manager]


def test_an_impossible_due_date_gets_a_govuk_error(client, area, manager):
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:action_create", kwargs={"finding_pk": area.pk}),
        {
            "description": "Audit",
            "owner": "PSW",
            "due_date_0": "31",
            "due_date_1": "2",
            "due_date_2": "2027",
            "status": "not_started",
        },
    )
    assert "Due date must be a real date" in response.content.decode()
    assert not area.actions.exists()


def test_an_officer_may_not_add_actions_or_review(client, area, officer):
    update = ProgressUpdateFactory(area_for_improvement=area, status="submitted")
    client.force_login(officer)
    assert (
        client.get(
            reverse("improvement_plans:action_create", kwargs={"finding_pk": area.pk})
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk}),
            {"decision": "approve", "version": update.version},
        ).status_code
        == 403
    )
    update.refresh_from_db()
    assert update.status == "submitted"


def test_the_plan_records_its_submission_to_ofsted(client, authority, manager):
    inspection = InspectionFactory(authority=authority, published_date=datetime.date(2023, 5, 11))
    client.force_login(manager)
    start = reverse(
        "improvement_plans:plan_for_inspection", kwargs={"inspection_pk": inspection.pk}
    )
    assert "Start the improvement plan" in client.get(start).content.decode()
    response = client.post(start)
    plan = inspection.improvement_plan
    assert response.url == reverse("improvement_plans:plan_detail", kwargs={"plan_pk": plan.pk})
    page = client.get(response.url).content.decode()
    # 70 England working days after Thursday 11 May 2023 (29 May is a bank holiday).
    assert "By 18 August 2023" in page
    response = client.post(
        reverse("improvement_plans:plan_edit", kwargs={"plan_pk": plan.pk}),
        {
            "submitted_on_0": "18",
            "submitted_on_1": "8",
            "submitted_on_2": "2023",
            "notes": "",
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.submitted_on == datetime.date(2023, 8, 18)
    assert plan.history.first().history_user == manager


def test_accepted_before_sent_is_refused(client, authority, manager):
    plan = ImprovementPlanFactory(inspection=InspectionFactory(authority=authority))
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:plan_edit", kwargs={"plan_pk": plan.pk}),
        {
            "submitted_on_0": "18",
            "submitted_on_1": "8",
            "submitted_on_2": "2023",
            "accepted_on_0": "1",
            "accepted_on_1": "8",
            "accepted_on_2": "2023",
            "version": plan.version,
        },
    )
    assert "The date accepted must be on or after the date sent" in response.content.decode()
    plan.refresh_from_db()
    assert plan.submitted_on is None


def test_a_manager_sets_the_lead_and_a_stale_edit_is_refused(
    client, area, officer, manager, viewer
):
    url = reverse("improvement_plans:area_edit", kwargs={"finding_pk": area.pk})
    client.force_login(manager)
    response = client.post(url, {"lead": manager.pk, "version": area.version})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.lead == manager
    # A viewer is not offered as a lead.
    response = client.post(url, {"lead": viewer.pk, "version": area.version})
    assert "Select an officer or manager of this authority" in response.content.decode()
    # A stale form is refused.
    response = client.post(url, {"lead": officer.pk, "version": 1})
    assert "after you opened it" in response.content.decode()
    area.refresh_from_db()
    assert area.lead == manager


def test_my_updates_lists_overdue_areas_first_and_actions_due_soon(client, authority, officer):
    inspection = InspectionFactory(authority=authority)
    on_time = FindingFactory(inspection=inspection, lead=officer, title="Aaa on time")
    late = FindingFactory(inspection=inspection, lead=officer, title="Zzz overdue")
    FindingFactory(inspection=inspection, lead=None, title="Someone else's")
    month = this_month()
    last_month = (month - datetime.timedelta(days=1)).replace(day=1)
    # Both areas existed last month; only one had its update submitted.
    type(on_time).objects.filter(pk__in=[on_time.pk, late.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=70)
    )
    ProgressUpdateFactory(
        area_for_improvement=on_time, month=last_month, status="approved", author=officer
    )
    ProgressUpdateFactory(area_for_improvement=late, month=last_month, author=officer)
    ActionFactory(
        area_for_improvement=on_time,
        description="Due next week",
        due_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    ActionFactory(
        area_for_improvement=on_time,
        description="Due next year",
        due_date=timezone.localdate() + datetime.timedelta(days=365),
    )
    client.force_login(officer)
    page = client.get(reverse("improvement_plans:my_updates")).content.decode()
    assert page.index("Zzz overdue") < page.index("Aaa on time")
    assert "Overdue" in page
    assert "Someone else&#x27;s" not in page
    assert "Due next week" in page and "Due next year" not in page


def test_the_review_queue_shows_nothing_to_someone_who_does_not_review(client, area, officer):
    ProgressUpdateFactory(area_for_improvement=area, status="submitted", author=officer)
    client.force_login(officer)
    page = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert "Your role does not include reviewing" in page
    assert "Quality of plans" not in page


def test_the_history_page_shows_every_change_with_who_and_what(client, area, officer, manager):
    client.force_login(manager)
    client.post(
        reverse("improvement_plans:action_create", kwargs={"finding_pk": area.pk}),
        {
            "description": "Monthly audit of plans",
            "owner": "Head of Safeguarding",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2027",
            "status": "not_started",
        },
    )
    action = area.actions.get()
    client.post(
        reverse("improvement_plans:area_edit", kwargs={"finding_pk": area.pk}),
        {"lead": manager.pk, "national_framework_tag": "Outcome 3", "version": area.version},
    )
    client.force_login(officer)
    client.post(
        reverse("improvement_plans:action_status", kwargs={"action_pk": action.pk}),
        {"status": "in_progress", "version": action.version},
    )
    page = client.get(
        reverse("improvement_plans:area_history", kwargs={"finding_pk": area.pk})
    ).content.decode()
    rows = page.split('<tr class="govuk-table__row">')[2:]  # newest first, after the header
    assert "Action: Monthly audit of plans" in rows[0]
    assert "Status: “Not started” to “In progress”" in rows[0]
    assert officer.get_full_name() in rows[0]
    assert "Area for improvement" in rows[1] and manager.get_full_name() in rows[1]
    assert f"Lead: “{officer.get_full_name()}” to “{manager.get_full_name()}”" in rows[1]
    assert "National framework outcome or enabler: “(blank)” to “Outcome 3”" in rows[1]
    assert "Created" in rows[2] and manager.get_full_name() in rows[2]


def test_a_viewer_reads_the_area_but_is_offered_no_changes(client, area, viewer):
    ActionFactory(area_for_improvement=area)
    client.force_login(viewer)
    page = client.get(
        reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk})
    ).content.decode()
    assert "Quality of plans" in page
    for offer in ("Log an update", "Add an action", "Update status", ">Change<"):
        assert offer not in page


def test_an_officer_is_offered_updates_and_status_but_not_plan_changes(client, area, officer):
    ActionFactory(area_for_improvement=area)
    client.force_login(officer)
    page = client.get(
        reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk})
    ).content.decode()
    assert "Log an update" in page and "Update status" in page
    assert "Add an action" not in page


def test_my_updates_leaves_out_areas_a_later_graded_inspection_superseded(
    client, authority, officer
):
    old = InspectionFactory(authority=authority, start_date=datetime.date(2019, 3, 4))
    latest = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    visit = InspectionFactory(
        authority=authority, event_type="focused_visit", start_date=datetime.date(2024, 9, 2)
    )
    superseded = FindingFactory(inspection=old, lead=officer, title="From 2019")
    FindingFactory(inspection=latest, lead=officer, title="From 2023")
    FindingFactory(inspection=visit, lead=officer, title="From the 2024 visit")
    type(superseded).objects.filter(pk=superseded.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=900)
    )
    ActionFactory(
        area_for_improvement=superseded,
        description="A 2019 action never closed",
        due_date=timezone.localdate() - datetime.timedelta(days=5),
    )
    client.force_login(officer)
    page = client.get(reverse("improvement_plans:my_updates")).content.decode()
    assert "From 2023" in page and "From the 2024 visit" in page
    assert "From 2019" not in page
    assert "A 2019 action never closed" not in page
    # The two current areas have reported nothing since their reports came out: overdue. The
    # 2019 area is history, not overdue work.
    assert page.count('govuk-tag--red">Overdue') == 2


def test_the_current_areas_are_the_latest_graded_inspections_and_the_visits_since(db, officer):
    """My updates (records.load: the rule of improvement_plans.rules.current_cycle) lists
    exactly the areas of each authority's latest graded inspection and of the visits since, for
    authorities with every kind of history."""
    from inspections.models import Finding
    from tests.factories import LocalAuthorityFactory

    histories = {
        "visits only": ([("focused_visit", 2022), ("monitoring_visit", 2023)], {2022, 2023}),
        "one graded": ([("standard", 2021)], {2021}),
        "graded then visit": (
            [("sif", 2016), ("standard", 2021), ("focused_visit", 2023)],
            {2021, 2023},
        ),
        "visit then graded": ([("focused_visit", 2019), ("short", 2022)], {2022}),
        "two graded": ([("sif", 2015), ("standard", 2019)], {2019}),
        "nothing": ([], set()),
    }
    expected = set()
    for name, (events, current_years) in histories.items():
        la = LocalAuthorityFactory(name=name)
        MembershipFactory(user=officer, authority=la, role="officer")
        for event_type, year in events:
            inspection = InspectionFactory(
                authority=la, event_type=event_type, start_date=datetime.date(year, 5, 6)
            )
            area = FindingFactory(inspection=inspection, lead=officer)
            FindingFactory(inspection=inspection, lead=None, kind="strength")
            if year in current_years:
                expected.add(area.pk)
    by_my_updates = {area.pk for area in selectors.my_updates(user=officer).afis}
    assert by_my_updates == expected
    assert 0 < len(expected) < Finding.objects.to_act_on().count()  # some are superseded

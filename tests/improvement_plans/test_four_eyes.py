"""Four eyes (docs/domain.md, "Approval"): nobody approves or returns an update they wrote or
submitted; a manager's own update goes to another manager or an administrator, and the review
queue says so. Every refusal is a 403 logged once to "ilacs.security"."""

import pytest
from django.urls import reverse

from accounts.models import Role
from improvement_plans.models import ProgressUpdate, UpdateStatus
from improvement_plans.selectors import this_month
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NARRATIVE = {"rag": "amber", "what_was_done": "Audited 20 plans with team managers."}


@pytest.fixture
def area(authority, officer):
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    return FindingFactory(inspection=inspection, lead=officer, title="Quality of plans")


@pytest.fixture
def second_manager(authority):
    user = UserFactory(username="second.manager")
    MembershipFactory(user=user, authority=authority, role=Role.MANAGER)
    return user


def _submit(client, user, area) -> ProgressUpdate:
    client.force_login(user)
    response = client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {**NARRATIVE, "month": this_month().isoformat(), "submit_update": ""},
    )
    assert response.status_code == 302
    return ProgressUpdate.objects.get(area_for_improvement=area, month=this_month())


def _review(client, update, decision="approve", comment=""):
    return client.post(
        reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk}),
        {"decision": decision, "comment": comment, "version": update.version},
    )


def _security_records(caplog):
    return [r for r in caplog.records if r.name == "ilacs.security"]


def test_a_manager_may_not_approve_their_own_update(client, area, manager, caplog):
    update = _submit(client, manager, area)
    assert (update.author, update.submitted_by) == (manager, manager)
    caplog.set_level("INFO", logger="ilacs.security")
    response = _review(client, update)
    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == (UpdateStatus.SUBMITTED, None)
    (record,) = _security_records(caplog)
    assert (record.status, record.reason, record.user_id, record.authority_id) == (
        403,
        "four eyes: own work",
        manager.pk,
        area.inspection.authority_id,
    )


def test_nor_return_it(client, area, manager):
    update = _submit(client, manager, area)
    assert _review(client, update, "return", "Let me change it").status_code == 403
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED


def test_another_manager_approves_it(client, area, manager, second_manager):
    update = _submit(client, manager, area)
    client.force_login(second_manager)
    assert _review(client, update).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == (UpdateStatus.APPROVED, second_manager)


def test_or_an_administrator(client, area, manager, administrator):
    update = _submit(client, manager, area)
    client.force_login(administrator)
    assert _review(client, update).status_code == 302
    update.refresh_from_db()
    assert (update.status, update.reviewed_by) == (UpdateStatus.APPROVED, administrator)


def test_an_administrator_may_not_approve_their_own_update_either(client, area, administrator):
    update = _submit(client, administrator, area)
    assert _review(client, update).status_code == 403


def test_the_manager_who_submitted_an_officers_draft_may_not_approve_it(
    client, area, officer, manager, second_manager
):
    client.force_login(officer)
    client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {**NARRATIVE, "month": this_month().isoformat(), "save_draft": ""},
    )
    update = ProgressUpdate.objects.get(area_for_improvement=area)
    client.force_login(manager)
    response = client.post(
        reverse("improvement_plans:update_edit", kwargs={"update_pk": update.pk}),
        {**NARRATIVE, "version": update.version, "submit_update": ""},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.author, update.submitted_by) == (officer, manager)
    assert _review(client, update).status_code == 403
    client.force_login(second_manager)
    assert _review(client, update).status_code == 302


def test_the_review_queue_lists_a_managers_own_update_for_someone_else(
    client, area, manager, second_manager
):
    update = _submit(client, manager, area)
    review_url = reverse("improvement_plans:update_review", kwargs={"update_pk": update.pk})
    queue = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert "Yours: someone else reviews it" in queue
    assert review_url not in queue
    page = client.get(review_url).content.decode()
    assert "You wrote or submitted this update, so you cannot approve or return it" in page
    assert 'name="decision"' not in page
    detail = client.get(
        reverse("improvement_plans:update_detail", kwargs={"update_pk": update.pk})
    ).content.decode()
    assert "Review this update" not in detail

    client.force_login(second_manager)
    queue = client.get(reverse("improvement_plans:review_queue")).content.decode()
    assert "Yours: someone else reviews it" not in queue
    assert review_url in queue
    assert 'name="decision"' in client.get(review_url).content.decode()


def test_a_manager_is_not_reminded_of_their_own_update_waiting(
    mailoutbox, area, officer, manager, second_manager
):
    import datetime
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from tests.factories import ProgressUpdateFactory

    type(area).objects.filter(pk=area.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2025, 12, 1))
    )
    ProgressUpdateFactory(
        area_for_improvement=area,
        month=datetime.date(2026, 3, 1),
        status=UpdateStatus.SUBMITTED,
        author=officer,
        submitted_by=manager,
    )
    call_command("send_progress_reminders", date="2026-03-27", stdout=StringIO())
    assert [m.to for m in mailoutbox if "waiting for review" in m.subject] == [
        [second_manager.email]
    ]


def test_updates_submitted_before_the_field_take_their_submitter_from_the_history(
    client, area, officer, manager
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("improvement_plans.migrations.0003_submitted_by")
    client.force_login(officer)
    client.post(
        reverse("improvement_plans:update_create", kwargs={"finding_pk": area.pk}),
        {**NARRATIVE, "month": this_month().isoformat(), "save_draft": ""},
    )
    by_manager = ProgressUpdate.objects.get()
    client.force_login(manager)
    client.post(
        reverse("improvement_plans:update_edit", kwargs={"update_pk": by_manager.pk}),
        {**NARRATIVE, "version": by_manager.version, "submit_update": ""},
    )
    never_submitted = FindingFactory(inspection=area.inspection, lead=officer)
    draft = _submit(client, officer, never_submitted)
    ProgressUpdate.objects.filter(pk=draft.pk).update(status="draft", submitted_at=None)
    ProgressUpdate.objects.update(submitted_by=None)
    # Submitted without a history row saying so (say, loaded in bulk): its author submitted it.
    without_history = FindingFactory(inspection=area.inspection, lead=officer)
    quiet = _submit(client, officer, without_history)
    ProgressUpdate.history.filter(id=quiet.pk).delete()
    ProgressUpdate.objects.filter(pk=quiet.pk).update(submitted_by=None)

    migration.submitters_from_history(apps, None)

    submitters = dict(ProgressUpdate.objects.values_list("pk", "submitted_by"))
    assert submitters == {by_manager.pk: manager.pk, draft.pk: None, quiet.pk: officer.pk}

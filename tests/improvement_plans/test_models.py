import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from improvement_plans.models import ActionStatus, ProgressUpdate
from tests.factories import ActionFactory, ImprovementPlanFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def test_the_database_holds_one_update_per_area_per_month():
    update = ProgressUpdateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(
            area_for_improvement=update.area_for_improvement,
            month=update.month,
            author=update.author,
        )
    assert ProgressUpdate.objects.count() == 1


def test_a_second_update_for_the_month_gets_a_clear_message():
    update = ProgressUpdateFactory()
    duplicate = ProgressUpdateFactory.build(
        area_for_improvement=update.area_for_improvement, month=update.month, author=update.author
    )
    with pytest.raises(ValidationError, match="already an update for this area for that month"):
        duplicate.full_clean()


def test_an_update_for_the_next_month_is_allowed():
    update = ProgressUpdateFactory(month=datetime.date(2024, 1, 1))
    ProgressUpdateFactory(
        area_for_improvement=update.area_for_improvement,
        month=datetime.date(2024, 2, 1),
        author=update.author,
    )
    assert update.area_for_improvement.progress_updates.count() == 2


def test_the_month_is_stored_as_its_first_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(month=datetime.date(2024, 1, 15))


def test_a_complete_action_needs_a_completion_date_and_only_then():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(status=ActionStatus.COMPLETE, completed_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionFactory(status=ActionStatus.IN_PROGRESS, completed_on=datetime.date(2024, 1, 1))
    ActionFactory(status=ActionStatus.COMPLETE, completed_on=datetime.date(2024, 1, 1))


def test_a_plan_cannot_be_accepted_before_it_was_sent():
    with pytest.raises(IntegrityError), transaction.atomic():
        ImprovementPlanFactory(
            submitted_on=datetime.date(2024, 3, 1), accepted_on=datetime.date(2024, 2, 1)
        )


def test_every_edit_to_an_update_is_kept_in_its_history(officer):
    update = ProgressUpdateFactory(rag="red", author=officer)
    update.rag = "amber"
    update._history_user = officer
    update.save()
    assert [h.rag for h in update.history.order_by("history_date")] == ["red", "amber"]
    assert update.history.first().history_user == officer

"""improvement_plans.records.as_of_rows reads the same records as simple-history's own
`Model.history.as_of(moment)`, on SQLite and PostgreSQL alike: each record's latest version at the
moment, none that was deleted by then, none created after it, two versions at the same latest
moment both, and a record that moved to another area counted where it stood at the moment."""

import datetime

import pytest
from django.utils import timezone

from improvement_plans.models import Action, ActionStatus, ImprovementPlan, ProgressUpdate
from improvement_plans.records import UpdateRecord, as_of_rows
from inspections.models import Inspection
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2024, 5, day, hour))


def _date(record, *dates) -> None:
    """Dates the record's history rows, oldest first."""
    rows = type(record).history.filter(id=record.pk).order_by("history_id")
    for pk, when in zip(rows.values_list("history_id", flat=True), dates, strict=True):
        rows.filter(history_id=pk).update(history_date=when)


def _simple_history(model, moment, columns, where, values, order_by=()):
    rows = model.history.as_of(moment).filter(**{f"{where}__in": list(values)})
    return list(rows.order_by(*order_by).values_list(*columns))


@pytest.fixture
def records(authority, officer):
    inspection = InspectionFactory(authority=authority)
    first = FindingFactory(inspection=inspection, title="First")
    second = FindingFactory(inspection=inspection, title="Second")
    edited = ProgressUpdateFactory(
        area_for_improvement=first, month=datetime.date(2024, 3, 1), author=officer
    )
    edited.what_was_done = "Edited"
    edited.save()
    edited.status = "submitted"
    edited.submitted_at = _at(3, 9)
    edited.save()
    _date(edited, _at(1), _at(2), _at(3))
    deleted = ProgressUpdateFactory(
        area_for_improvement=first, month=datetime.date(2024, 2, 1), author=officer
    )
    deleted_pk = deleted.pk
    deleted.delete()
    rows = ProgressUpdate.history.filter(id=deleted_pk).order_by("history_id")
    rows.filter(history_id=rows[0].history_id).update(history_date=_at(1))
    rows.filter(history_id=rows[1].history_id).update(history_date=_at(4))
    moved = ProgressUpdateFactory(
        area_for_improvement=first, month=datetime.date(2024, 4, 1), author=officer
    )
    moved.area_for_improvement = second
    moved.save()
    _date(moved, _at(1), _at(5))
    tied = ProgressUpdateFactory(
        area_for_improvement=second, month=datetime.date(2024, 1, 1), author=officer
    )
    tied.rag = "green"
    tied.save()
    _date(tied, _at(2), _at(2))  # two versions at the same moment: simple-history keeps both
    later = ProgressUpdateFactory(
        area_for_improvement=second, month=datetime.date(2024, 5, 1), author=officer
    )
    _date(later, _at(6))
    action = ActionFactory(area_for_improvement=first, status=ActionStatus.IN_PROGRESS)
    action.status = ActionStatus.COMPLETE
    action.completed_on = datetime.date(2024, 5, 3)
    action.save()
    _date(action, _at(1), _at(3))
    plan = ImprovementPlanFactory(inspection=inspection)
    plan.submitted_on = datetime.date(2024, 5, 2)
    plan.save()
    _date(plan, _at(1), _at(2))
    inspection.report_published_by_authority_on = datetime.date(2024, 5, 4)
    inspection.save()
    _date(inspection, _at(1), _at(4))
    return {"inspection": inspection, "areas": [first.pk, second.pk]}


MOMENTS = [_at(1, 9), _at(1), _at(2), _at(2, 12), _at(3, 12), _at(4, 12), _at(5, 12), _at(7)]


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_same_records_as_simple_history_as_of(records, moment):
    areas = records["areas"]
    fields = (*UpdateRecord.FIELDS, *UpdateRecord.NARRATIVE)
    reads = [
        (ProgressUpdate, fields, "area_for_improvement_id", areas, ("month", "id")),
        (ProgressUpdate, fields, "area_for_improvement_id", areas[1:], ("month", "id")),
        (Action, ("id", "status", "completed_on"), "area_for_improvement_id", areas, ("id",)),
        (ImprovementPlan, ("id", "submitted_on"), "inspection_id", [records["inspection"].pk], ()),
        (
            Inspection,
            ("id", "report_published_by_authority_on"),
            "id",
            [records["inspection"].pk],
            (),
        ),
    ]
    for model, columns, where, values, order_by in reads:
        expected = _simple_history(model, moment, columns, where, values, order_by)
        found = as_of_rows(model, moment, columns, where=where, values=values, order_by=order_by)
        if not order_by:
            expected, found = sorted(expected), sorted(found)
        assert found == expected, (model.__name__, where, values)


def test_what_it_reads_at_a_moment(records):
    first, second = records["areas"]

    def months(moment, area):
        rows = as_of_rows(
            ProgressUpdate,
            moment,
            ("month", "status"),
            where="area_for_improvement_id",
            values=[area],
            order_by=("month",),
        )
        return [(m.month, status) for m, status in rows]

    # Day 3: the edited update submitted; the deleted one still there; the moved one in First.
    assert months(_at(3, 12), first) == [(2, "draft"), (3, "submitted"), (4, "draft")]
    # Day 5: the deleted one gone, the moved one in Second, the tie counted twice.
    assert months(_at(5, 12), first) == [(3, "submitted")]
    assert months(_at(5, 12), second) == [(1, "draft"), (1, "draft"), (4, "draft")]
    aware = as_of_rows(
        ProgressUpdate,
        _at(5, 12),
        ("submitted_at",),
        where="area_for_improvement_id",
        values=[first],
    )
    assert aware == [(_at(3, 9),)]  # an aware datetime on SQLite too


def test_nothing_asked_reads_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert as_of_rows(ProgressUpdate, _at(1), ("id",), where="id", values=[]) == []

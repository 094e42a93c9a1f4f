"""The progress summary table and the appendix with the whole plan, each a section the profile
switches on, both as they stood at the end of the report's period."""

import datetime

import pytest

from improvement_plans.models import Action, ActionStatus, ProgressUpdate, Rag, UpdateStatus
from inspections.models import Finding
from reports.profiles import new_profile
from tests.factories import ActionFactory, UserFactory, recorded_on
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _switch_on(authority):
    profile = new_profile(authority)
    for section in profile.sections:
        if section["key"] in ("progress_summary", "plan_appendix"):
            section["include"] = True
    profile.save()


def _restamp_latest(record, when: datetime.date) -> None:
    """Dates only the latest history row of `record`: a change recorded on `when`."""
    rows = type(record).history.filter(id=record.pk)
    latest = rows.order_by("-history_id").first()
    moment = datetime.datetime.combine(when, datetime.time(10), tzinfo=datetime.UTC)
    rows.filter(history_id=latest.history_id).update(history_date=moment)


def test_both_are_off_unless_the_profile_switches_them_on(authority, manager):
    report = report_for(inspection_with_progress(authority, areas=1, months=1), manager)
    keys = set(report.sections.values_list("key", flat=True))
    assert not keys & {"progress_summary", "plan_appendix"}


def test_the_summary_and_appendix_are_as_at_the_end_of_the_period(authority, manager):
    _switch_on(authority)
    inspection = inspection_with_progress(authority, areas=2, months=4)
    first, second = Finding.objects.filter(inspection=inspection).order_by("order", "pk")
    first.lead = UserFactory(first_name="Ann", last_name="Lead")
    first.save()
    # April's update on the first area was approved only in May, after the period (to April's
    # end): the summary shows March's.
    april = ProgressUpdate.objects.get(area_for_improvement=first, month="2024-04-01")
    april.status = UpdateStatus.SUBMITTED
    april.save()
    recorded_on(datetime.date(2024, 4, 28), april)
    april.status = UpdateStatus.APPROVED
    april.rag = Rag.RED
    april.save()
    _restamp_latest(april, datetime.date(2024, 5, 3))
    march = ProgressUpdate.objects.get(area_for_improvement=first, month="2024-03-01")
    march.next_steps = "Audit again in April."
    march.save()
    recorded_on(datetime.date(2024, 3, 28), march)
    # Actions: one completed in February, one only in May (not started at the period's end,
    # and late: due in March).
    done = ActionFactory(area_for_improvement=second, description="Train managers")
    recorded_on(datetime.date(2023, 9, 1), done)
    done.status, done.completed_on = ActionStatus.COMPLETE, datetime.date(2024, 2, 10)
    done.save()
    _restamp_latest(done, datetime.date(2024, 2, 10))
    later = Action.objects.get(area_for_improvement=first)
    later.status, later.completed_on = ActionStatus.COMPLETE, datetime.date(2024, 5, 1)
    later.save()
    _restamp_latest(later, datetime.date(2024, 5, 1))

    report = report_for(
        inspection,
        manager,
        period_start=datetime.date(2024, 2, 1),
        period_end=datetime.date(2024, 4, 30),
    )
    summary = report.sections.get(key="progress_summary").data
    assert summary["columns"] == ["Area", "Progress", "RAG rating", "Lead", "Next steps"]
    assert summary["rows"][0] == [
        f"a. {first.title}",
        "Area 1 work in month 3.",
        f"{march.get_rag_display()} (March 2024)",
        "Ann Lead",
        "Audit again in April.",
    ]
    assert summary["rows"][1][0] == f"b. {second.title}"
    assert summary["rows"][1][1] == "Area 2 work in month 4."
    assert summary["rows"][1][3:] == ["Not assigned", "None recorded"]

    appendix = report.sections.get(key="plan_appendix")
    assert appendix.data["columns"][-1] == "Status on 30 April 2024"
    assert appendix.data["rows"] == [
        [
            f"a. {first.title}",
            "Audit plans (1)",
            "Principal Social Worker",
            "31 March 2024",
            "Not started, late",
        ],
        [
            f"b. {second.title}",
            "Audit plans (2)",
            "Principal Social Worker",
            "31 March 2024",
            "Not started, late",
        ],
        [
            f"b. {second.title}",
            "Train managers",
            "Principal Social Worker",
            "31 March 2024",
            "Complete (10 February 2024)",
        ],
    ]
    assert appendix.body == "The improvement plan's actions as they stood on 30 April 2024."
    keys = list(report.sections.values_list("key", flat=True))
    assert keys.index("progress_summary") < keys.index(next(k for k in keys if "area-" in k))
    assert keys[-1] == "plan_appendix"

"""England working-day deadlines and the next-inspection window (inspections/deadlines.py)."""

import datetime

import pytest

from inspections.deadlines import (
    Deadline,
    DeadlineKind,
    add_months,
    add_working_days,
    deadlines_for,
    is_working_day,
    next_inspection_window,
)
from inspections.models import EventType, FindingKind
from tests.factories import FindingFactory, ImprovementPlanFactory, InspectionFactory

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (D(2024, 3, 28), 1, D(2024, 4, 2), "Good Friday and Easter Monday 2024 are skipped"),
        (D(2025, 4, 17), 1, D(2025, 4, 22), "Good Friday and Easter Monday 2025 are skipped"),
        (D(2023, 12, 22), 1, D(2023, 12, 27), "Christmas Day and Boxing Day are skipped"),
        (D(2022, 12, 23), 1, D(2022, 12, 28), "Christmas 2022 fell on a Sunday: Tuesday is off"),
        (D(2023, 12, 29), 1, D(2024, 1, 2), "New Year's Day is skipped"),
        (D(2023, 5, 5), 1, D(2023, 5, 9), "the coronation bank holiday is skipped"),
        (D(2022, 9, 16), 1, D(2022, 9, 20), "the Queen's state funeral is skipped"),
        (D(2023, 8, 25), 1, D(2023, 8, 29), "the summer bank holiday is skipped"),
        (D(2024, 6, 7), 1, D(2024, 6, 10), "a weekend is skipped"),
        (D(2024, 6, 8), 1, D(2024, 6, 10), "counting from a Saturday: Monday is day 1"),
        (D(2024, 6, 3), 0, D(2024, 6, 3), "no days is the same day"),
        (D(2024, 6, 3), 5, D(2024, 6, 10), "a plain week"),
        # Counted by hand: 70 weekdays after Thursday 11 May 2023, skipping 29 May.
        (D(2023, 5, 11), 70, D(2023, 8, 18), "70 working days over the spring bank holiday"),
        (D(2023, 5, 11), 30, D(2023, 6, 23), "30 working days"),
        # 20 working days from Monday 2 December 2024, skipping 25 and 26 December and 1 January.
        (D(2024, 12, 2), 20, D(2025, 1, 2), "20 working days across Christmas and New Year"),
        (D(2024, 4, 2), -1, D(2024, 3, 28), "counting back over Easter"),
    ],
)
def test_add_working_days_skips_weekends_and_england_bank_holidays(start, days, expected, why):
    assert add_working_days(start, days) == expected, why


def test_scotlands_bank_holidays_are_not_englands():
    # 2 January is a bank holiday in Scotland, not in England.
    assert is_working_day(D(2024, 1, 2))
    assert not is_working_day(D(2024, 12, 25))
    # Easter Monday is a bank holiday in England (not in Scotland).
    assert not is_working_day(D(2024, 4, 1))


def test_add_months_keeps_the_day_or_uses_the_months_last_day():
    assert add_months(D(2019, 4, 29), 36) == D(2022, 4, 29)
    assert add_months(D(2020, 2, 29), 36) == D(2023, 2, 28)
    assert add_months(D(2023, 8, 31), -6) == D(2023, 2, 28)


@pytest.mark.django_db
def test_a_graded_inspection_has_publication_and_action_plan_deadlines():
    inspection = InspectionFactory(
        start_date=D(2023, 3, 13), end_date=D(2023, 3, 24), published_date=D(2023, 5, 11)
    )
    assert deadlines_for(inspection, as_at=D(2023, 6, 1)) == [
        Deadline(
            "Publish the report",
            D(2023, 6, 23),
            "30 working days after receiving the report, taken as its publication on 11 May 2023",
            as_at=D(2023, 6, 1),
            kind=DeadlineKind.PUBLICATION,
        ),
        Deadline(
            "Send the action plan to Ofsted",
            D(2023, 8, 18),
            "70 working days after the report was published on 11 May 2023",
            as_at=D(2023, 6, 1),
            kind=DeadlineKind.ACTION_PLAN,
        ),
    ]


@pytest.mark.django_db
def test_the_action_plan_deadline_is_met_once_the_plan_is_sent():
    inspection = InspectionFactory(published_date=D(2023, 5, 11))
    plan = ImprovementPlanFactory(inspection=inspection, submitted_on=D(2023, 8, 1))
    action_plan = deadlines_for(inspection, plan=plan, as_at=D(2023, 9, 1))[-1]
    assert action_plan.label == "Send the action plan to Ofsted"
    assert action_plan.met_on == D(2023, 8, 1) and action_plan.is_met


@pytest.mark.django_db
def test_an_unpublished_inspection_has_no_deadline_yet():
    assert deadlines_for(InspectionFactory(published_date=None), as_at=D(2030, 1, 1)) == []


@pytest.mark.django_db
def test_a_visit_with_areas_for_priority_action_needs_a_draft_plan_in_20_working_days():
    visit = InspectionFactory(
        event_type=EventType.FOCUSED_VISIT,
        start_date=D(2024, 11, 26),
        end_date=D(2024, 11, 27),
        published_date=D(2024, 12, 2),
    )
    assert deadlines_for(visit, as_at=D(2025, 1, 1)) == []
    FindingFactory(inspection=visit, kind=FindingKind.PRIORITY_ACTION)
    [deadline] = deadlines_for(visit, as_at=D(2025, 1, 1))
    assert deadline.due == D(2025, 1, 2)
    assert deadline.rule == "20 working days after the letter was published on 2 December 2024"


@pytest.mark.django_db
def test_a_visit_letter_not_yet_published_counts_from_the_last_day_on_site():
    visit = InspectionFactory(
        event_type=EventType.MONITORING_VISIT,
        start_date=D(2024, 3, 26),
        end_date=D(2024, 3, 27),
        published_date=None,
    )
    [deadline] = deadlines_for(visit, has_priority_actions=True, as_at=D(2024, 4, 1))
    assert deadline.due == D(2024, 4, 26)  # Easter Friday and Monday not counted
    assert "the visit ended on 27 March 2024" in deadline.rule


def _inspection(pk, event_type, start, end=None):
    """An unsaved inspection: next_inspection_window runs no queries."""
    from inspections.models import Inspection

    return Inspection(
        pk=pk, event_type=event_type, start_date=start, end_date=end or start, framework_id=1
    )


def test_a_good_authority_gets_a_short_inspection_around_the_3_year_anniversary():
    short = _inspection(1, EventType.SHORT, D(2019, 4, 29), D(2019, 5, 3))
    visit = _inspection(2, EventType.FOCUSED_VISIT, D(2020, 11, 2))
    window = next_inspection_window(
        [visit, short], {1: {"overall_effectiveness": "good"}}, as_at=D(2021, 1, 1)
    )
    assert (window.opens, window.closes) == (D(2021, 10, 29), D(2022, 10, 29))
    assert window.expected_type == EventType.SHORT
    assert (
        "usually between 6 months before and 6 months after the 3-year anniversary of the short "
        "inspection that started 29 April 2019" in window.rule
    )
    assert "one or two focused visits or a joint targeted area inspection" in window.rule


def test_an_outstanding_authority_follows_the_same_rule_and_the_latest_graded_inspection_counts():
    old = _inspection(1, EventType.STANDARD, D(2018, 5, 14), D(2018, 5, 25))
    newer = _inspection(2, EventType.SHORT, D(2023, 2, 20), D(2023, 2, 24))
    window = next_inspection_window(
        [newer, old],
        {
            1: {"overall_effectiveness": "requires_improvement"},
            2: {"overall_effectiveness": "outstanding"},
        },
        as_at=D(2024, 1, 1),
    )
    assert (window.opens, window.closes, window.grade) == (
        D(2025, 8, 20),
        D(2026, 8, 20),
        "outstanding",
    )
    assert window.based_on is newer


def test_a_requires_improvement_authority_gets_a_standard_inspection_in_the_window():
    standard = _inspection(7, EventType.STANDARD, D(2023, 3, 13), D(2023, 3, 24))
    # The latest graded inspection's judgements may also be given on their own.
    window = next_inspection_window(
        [standard],
        {"overall_effectiveness": "requires_improvement", "care_leavers": "good"},
        as_at=D(2024, 1, 1),
    )
    assert (window.opens, window.closes) == (D(2025, 9, 13), D(2026, 9, 13))
    assert window.expected_type == EventType.STANDARD
    assert window.rule.startswith(
        "A standard inspection, usually between 6 months before and 6 months after the 3-year "
        "anniversary of the standard inspection that started 13 March 2023"
    )


def test_an_inadequate_authority_gets_monitoring_visits_then_a_standard_re_inspection():
    standard = _inspection(1, EventType.STANDARD, D(2024, 11, 18), D(2024, 11, 29))
    first = _inspection(2, EventType.MONITORING_VISIT, D(2025, 5, 13), D(2025, 5, 14))
    second = _inspection(3, EventType.MONITORING_VISIT, D(2025, 9, 9), D(2025, 9, 10))
    window = next_inspection_window(
        [second, standard, first], {1: {"overall_effectiveness": "inadequate"}}, as_at=D(2026, 1, 1)
    )
    assert window.expected_type == EventType.STANDARD
    assert (window.opens, window.closes) == (D(2025, 9, 11), D(2028, 5, 18))
    assert "monitoring visits" in window.rule and "standard re-inspection" in window.rule
    assert "there is no set date" in window.rule
    assert "It has had 2 monitoring visits since, the latest ending 10 September 2025" in (
        window.rule
    )


def test_without_overall_effectiveness_the_lowest_judgement_decides():
    # ILACS-2026 has no overall effectiveness judgement.
    short = _inspection(1, EventType.SHORT, D(2026, 4, 27), D(2026, 5, 1))
    window = next_inspection_window(
        [short],
        {1: {"impact_of_leaders": "good", "help_and_protection": "requires_improvement"}},
        as_at=D(2027, 1, 1),
    )
    assert window.expected_type == EventType.STANDARD
    assert "lowest judgement decides" in window.rule


def test_no_window_without_a_graded_inspection():
    visit = _inspection(1, EventType.FOCUSED_VISIT, D(2024, 1, 9))
    assert next_inspection_window([visit], {}, as_at=D(2025, 1, 1)) is None
    assert next_inspection_window([], {}, as_at=D(2025, 1, 1)) is None
    ungraded = _inspection(2, EventType.STANDARD, D(2024, 1, 9))
    assert next_inspection_window([ungraded], {2: {}}, as_at=D(2025, 1, 1)) is None


# ----- Deadline states as at a date ------------------------------------------------------------

PUBLISHED = D(2023, 5, 11)  # Thursday: publication due Friday 23 June, the plan Friday 18 August


def _graded(**fields):
    """An unsaved standard inspection published on PUBLISHED: deadlines_for runs no queries."""
    from inspections.models import Inspection

    return Inspection(
        pk=1,
        event_type=EventType.STANDARD,
        start_date=D(2023, 3, 13),
        end_date=D(2023, 3, 24),
        published_date=PUBLISHED,
        framework_id=1,
        **fields,
    )


def _publication(inspection, as_at):
    return deadlines_for(inspection, as_at=as_at)[0]


@pytest.mark.parametrize(
    ("as_at", "state", "label"),
    [
        (D(2023, 5, 12), "due", "Due"),
        (D(2023, 6, 23), "due", "Due"),  # the due day itself is not yet missed
        (D(2023, 6, 24), "missed", "Missed"),  # a Saturday: the day after the due day
        (D(2026, 1, 1), "missed", "Missed"),
    ],
)
def test_a_deadline_not_met_is_due_until_its_day_then_missed(as_at, state, label):
    deadline = _publication(_graded(), as_at)
    assert deadline.due == D(2023, 6, 23)
    assert (deadline.state, deadline.state_label, deadline.met_on) == (state, label, None)
    assert not deadline.is_met and not deadline.is_late


@pytest.mark.parametrize(
    ("met_on", "as_at", "state", "label", "late"),
    [
        (D(2023, 6, 1), D(2023, 6, 1), "met", "Met on 1 June 2023", False),
        (D(2023, 6, 1), D(2023, 5, 31), "due", "Due", False),  # met after the as-at date
        (D(2023, 6, 23), D(2023, 6, 23), "met", "Met on 23 June 2023", False),  # on the day
        (D(2023, 6, 26), D(2023, 6, 24), "missed", "Missed", False),  # met later: missed then
        (D(2023, 6, 26), D(2023, 6, 26), "met", "Met late on 26 June 2023", True),
        (D(2023, 6, 26), D(2030, 1, 1), "met", "Met late on 26 June 2023", True),
    ],
)
def test_a_met_deadline_is_met_from_its_date_and_late_when_after_its_due_date(
    met_on, as_at, state, label, late
):
    deadline = _publication(_graded(report_published_by_authority_on=met_on), as_at)
    assert (deadline.state, deadline.state_label, deadline.is_late) == (state, label, late)
    assert deadline.is_met == (state == "met")
    assert deadline.met_on == (met_on if state == "met" else None)


def test_the_action_plan_deadline_is_met_by_the_plan_sent_date_and_never_missed_once_sent():
    from improvement_plans.models import ImprovementPlan

    plan = ImprovementPlan(submitted_on=D(2023, 8, 21))  # Monday after the due Friday
    states = {
        as_at: deadlines_for(_graded(), plan=plan, as_at=as_at)[-1].state_label
        for as_at in (D(2023, 8, 18), D(2023, 8, 19), D(2023, 8, 21), D(2027, 1, 1))
    }
    assert states == {
        D(2023, 8, 18): "Due",
        D(2023, 8, 19): "Missed",
        D(2023, 8, 21): "Met late on 21 August 2023",
        D(2027, 1, 1): "Met late on 21 August 2023",
    }
    [deadline] = [
        d for d in deadlines_for(_graded(), plan=plan, as_at=D(2027, 1, 1)) if d.tracks_plan
    ]
    assert deadline.kind == DeadlineKind.ACTION_PLAN


def test_the_publication_deadline_is_not_met_by_the_plan_nor_the_plan_by_publication():
    from improvement_plans.models import ImprovementPlan

    inspection = _graded(report_published_by_authority_on=D(2023, 6, 1))
    publication, action_plan = deadlines_for(
        inspection, plan=ImprovementPlan(submitted_on=None), as_at=D(2024, 1, 1)
    )
    assert (publication.state, action_plan.state) == ("met", "missed")


def test_a_visits_draft_plan_deadline_counts_20_working_days_across_christmas():
    from improvement_plans.models import ImprovementPlan
    from inspections.models import Inspection

    visit = Inspection(
        pk=2,
        event_type=EventType.FOCUSED_VISIT,
        start_date=D(2024, 11, 26),
        end_date=D(2024, 11, 27),
        published_date=D(2024, 12, 2),
        framework_id=1,
    )
    plan = ImprovementPlan(submitted_on=D(2025, 1, 2))
    [deadline] = deadlines_for(visit, plan=plan, has_priority_actions=True, as_at=D(2025, 1, 2))
    assert (deadline.kind, deadline.due) == (DeadlineKind.PRIORITY_ACTION_PLAN, D(2025, 1, 2))
    assert deadline.state_label == "Met on 2 January 2025"
    [before] = deadlines_for(visit, plan=plan, has_priority_actions=True, as_at=D(2025, 1, 1))
    assert before.state == "due"


@pytest.mark.django_db
def test_deadlines_for_a_graded_inspection_run_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        deadlines_for(_graded(), as_at=D(2024, 1, 1))


# ----- The next-inspection window as at a date -------------------------------------------------

# A standard inspection starting 3 March 2023, judged requires improvement: the window runs from
# 3 September 2025 to 3 September 2026.
RI = {1: {"overall_effectiveness": "requires_improvement"}}


def _ri_window(as_at, *more):
    standard = _inspection(1, EventType.STANDARD, D(2023, 3, 3), D(2023, 3, 14))
    return next_inspection_window([standard, *more], RI, as_at=as_at)


@pytest.mark.parametrize(
    ("as_at", "closed", "status"),
    [
        (D(2024, 1, 1), False, "expected between 3 September 2025 and 3 September 2026."),
        (D(2026, 1, 1), False, "expected between 3 September 2025 and 3 September 2026."),
        (D(2026, 9, 3), False, "expected between 3 September 2025 and 3 September 2026."),
        (
            D(2026, 9, 4),
            True,
            "the window closed on 3 September 2026; no inspection recorded since.",
        ),
    ],
)
def test_the_window_says_when_it_has_closed_with_no_inspection_since(as_at, closed, status):
    window = _ri_window(as_at)
    assert (window.opens, window.closes) == (D(2025, 9, 3), D(2026, 9, 3))
    assert (window.has_closed, window.status) == (closed, status)


def test_the_window_before_the_inspection_started_is_not_known():
    assert _ri_window(D(2023, 3, 2)) is None


def test_a_later_inspection_counts_only_from_the_day_it_started():
    later = _inspection(2, EventType.SHORT, D(2026, 10, 5), D(2026, 10, 9))
    grades = {**RI, 2: {"overall_effectiveness": "good"}}
    standard = _inspection(1, EventType.STANDARD, D(2023, 3, 3), D(2023, 3, 14))

    before = next_inspection_window([standard, later], grades, as_at=D(2026, 10, 4))
    assert before.based_on is standard and before.has_closed

    after = next_inspection_window([standard, later], grades, as_at=D(2026, 10, 5))
    assert after.based_on is later and not after.has_closed
    assert (after.opens, after.closes) == (D(2029, 4, 5), D(2030, 4, 5))


def test_a_later_inspection_without_judgements_yet_is_not_a_closed_window():
    later = _inspection(2, EventType.STANDARD, D(2026, 10, 5), D(2026, 10, 16))
    window = _ri_window(D(2026, 11, 1), later)
    assert window.started_since is later and not window.has_closed
    assert window.status == (
        "a standard inspection started on 5 October 2026; its judgements are not recorded yet."
    )


def test_monitoring_visits_after_the_as_at_date_do_not_move_the_window():
    standard = _inspection(1, EventType.STANDARD, D(2024, 11, 18), D(2024, 11, 29))
    visit = _inspection(2, EventType.MONITORING_VISIT, D(2025, 5, 13), D(2025, 5, 14))
    grades = {1: {"overall_effectiveness": "inadequate"}}
    assert next_inspection_window([standard, visit], grades, as_at=D(2025, 5, 12)).opens == D(
        2024, 11, 30
    )
    assert next_inspection_window([standard, visit], grades, as_at=D(2025, 5, 13)).opens == D(
        2025, 5, 15
    )


def test_a_deadline_made_by_hand_never_counts_a_later_date_as_met():
    deadline = Deadline(
        "Publish the report", D(2023, 6, 23), "rule", as_at=D(2023, 6, 1), met_on=D(2023, 6, 2)
    )
    assert (deadline.met_on, deadline.state) == (None, "due")

"""England working-day deadlines and the next-inspection window (inspections/deadlines.py)."""

import datetime

import pytest

from inspections.deadlines import (
    Deadline,
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
    assert deadlines_for(inspection) == [
        Deadline(
            "Publish the report",
            D(2023, 6, 23),
            "30 working days after receiving the report, taken as its publication on 11 May 2023",
        ),
        Deadline(
            "Send the action plan to Ofsted",
            D(2023, 8, 18),
            "70 working days after the report was published on 11 May 2023",
            tracks_plan=True,
        ),
    ]


@pytest.mark.django_db
def test_the_action_plan_deadline_is_met_once_the_plan_is_sent():
    inspection = InspectionFactory(published_date=D(2023, 5, 11))
    plan = ImprovementPlanFactory(inspection=inspection, submitted_on=D(2023, 8, 1))
    action_plan = deadlines_for(inspection, plan=plan)[-1]
    assert action_plan.label == "Send the action plan to Ofsted"
    assert action_plan.met_on == D(2023, 8, 1) and action_plan.is_met


@pytest.mark.django_db
def test_an_unpublished_inspection_has_no_deadline_yet():
    assert deadlines_for(InspectionFactory(published_date=None)) == []


@pytest.mark.django_db
def test_a_visit_with_areas_for_priority_action_needs_a_draft_plan_in_20_working_days():
    visit = InspectionFactory(
        event_type=EventType.FOCUSED_VISIT,
        start_date=D(2024, 11, 26),
        end_date=D(2024, 11, 27),
        published_date=D(2024, 12, 2),
    )
    assert deadlines_for(visit) == []
    FindingFactory(inspection=visit, kind=FindingKind.PRIORITY_ACTION)
    [deadline] = deadlines_for(visit)
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
    [deadline] = deadlines_for(visit, has_priority_actions=True)
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
    window = next_inspection_window([visit, short], {1: {"overall_effectiveness": "good"}})
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
        [standard], {"overall_effectiveness": "requires_improvement", "care_leavers": "good"}
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
        [second, standard, first], {1: {"overall_effectiveness": "inadequate"}}
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
    )
    assert window.expected_type == EventType.STANDARD
    assert "lowest judgement decides" in window.rule


def test_no_window_without_a_graded_inspection():
    visit = _inspection(1, EventType.FOCUSED_VISIT, D(2024, 1, 9))
    assert next_inspection_window([visit], {}) is None
    assert next_inspection_window([], {}) is None
    ungraded = _inspection(2, EventType.STANDARD, D(2024, 1, 9))
    assert next_inspection_window([ungraded], {2: {}}) is None

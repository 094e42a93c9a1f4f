"""The background lists every event since the previous graded inspection (focused visits,
monitoring visits, JTAIs, annual engagement meetings) with each visit's focus, up to the day
the report is drafted as at; not only graded inspections."""

import datetime

import pytest

from inspections.models import EventType
from reports.plaintext import parse
from tests.factories import InspectionFactory, JudgementFactory
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _event(authority, kind, day, summary=""):
    return InspectionFactory(
        authority=authority,
        event_type=kind,
        start_date=day,
        end_date=day + datetime.timedelta(days=1),
        summary=summary,
    )


def test_every_event_since_the_previous_graded_inspection_with_its_focus(authority, manager):
    earlier = InspectionFactory(
        authority=authority, event_type=EventType.STANDARD, start_date=datetime.date(2019, 6, 3)
    )
    JudgementFactory(inspection=earlier, grade="requires_improvement")
    _event(authority, EventType.FOCUSED_VISIT, datetime.date(2018, 11, 5))  # before: left out
    _event(
        authority,
        EventType.FOCUSED_VISIT,
        datetime.date(2021, 3, 2),
        "This letter summarises the findings of the focused visit. Inspectors looked at the "
        "local authority's arrangements for children in need and those subject to a child "
        "protection plan. Leaders have responded well.",
    )
    _event(authority, EventType.ANNUAL_ENGAGEMENT, datetime.date(2022, 5, 10))
    _event(authority, EventType.JTAI, datetime.date(2022, 9, 12))
    inspection = inspection_with_progress(authority, areas=1, months=6)  # March 2023
    _event(
        authority,
        EventType.MONITORING_VISIT,
        datetime.date(2024, 2, 6),
        "This visit focused on the help given to care leavers.",
    )
    _event(authority, EventType.FOCUSED_VISIT, datetime.date(2024, 9, 3))  # after the period

    report = report_for(
        inspection,
        manager,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    blocks = parse(report.sections.get(key="background").body)
    intro = next(b for b in blocks if b.text.startswith("Since the standard inspection"))
    assert (
        intro.text == "Since the standard inspection from 3 June 2019, as recorded by 30 June 2024:"
    )
    events = blocks[blocks.index(intro) + 1].items
    assert events == [
        "Focused visit, 2 March 2021 to 3 March 2021: Inspectors looked at the local "
        "authority's arrangements for children in need and those subject to a child "
        "protection plan.",
        "Annual engagement meeting, 10 May 2022 to 11 May 2022.",
        "Joint targeted area inspection, 12 September 2022 to 13 September 2022 (its focus is "
        "not recorded in the tracker).",
        "Monitoring visit, 6 February 2024 to 7 February 2024: This visit focused on the help "
        "given to care leavers.",
    ]


def test_with_no_earlier_graded_inspection_every_other_event_is_listed(authority, manager):
    _event(
        authority,
        EventType.JTAI,
        datetime.date(2021, 1, 11),
        "The JTAI evaluated the response to children at risk of exploitation.",
    )
    report = report_for(inspection_with_progress(authority, areas=1), manager)
    body = report.sections.get(key="background").body
    assert "Ofsted's other contact with the authority, as recorded by 30 June 2024:" in body
    assert "The JTAI evaluated the response to children at risk of exploitation." in body

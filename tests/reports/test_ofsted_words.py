"""What Ofsted found: an outcome report quotes the report's summary and, for each judgement,
Ofsted's findings and what needs to improve, in Ofsted's words (Inspection.summary,
Judgement.strengths and Judgement.to_improve: read by the PDF importer or entered by hand)."""

import pytest

from inspections.models import Judgement
from reports.models import ReportKind
from reports.plaintext import parse
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Children's services in North Somerset have improved since the last inspection.\n\n"
    "Leaders know their services well."
)


def test_an_outcome_report_quotes_ofsteds_summary_and_words_per_judgement(authority, manager):
    inspection = inspection_with_progress(authority, areas=1, months=1)
    inspection.summary = SUMMARY
    inspection.save()
    leaders = Judgement.objects.get(inspection=inspection, area__code="impact_of_leaders")
    leaders.strengths = "Senior leaders have stabilised the workforce."
    leaders.to_improve = "- Management oversight of plans.\n- Use of performance information."
    leaders.save()
    report = report_for(inspection, manager, kind=ReportKind.INSPECTION_OUTCOME)
    keys = list(report.sections.values_list("key", flat=True))
    assert keys.index("background") < keys.index("ofsted_findings") < keys.index("judgements")
    section = report.sections.get(key="ofsted_findings")
    assert section.heading == "What Ofsted found"
    blocks = parse(section.body)
    texts = [b.text or b.items for b in blocks]
    assert texts[:3] == [
        "Ofsted summarised its standard inspection as follows.",
        "Children's services in North Somerset have improved since the last inspection.",
        "Leaders know their services well.",
    ]
    start = texts.index(
        "The impact of leaders on social work practice with children and families: "
        "requires improvement to be good."
    )
    assert texts[start + 1 : start + 5] == [
        "Ofsted's findings:",
        "Senior leaders have stabilised the workforce.",
        "What needs to improve:",
        ["Management oversight of plans.", "Use of performance information."],
    ]
    # A judgement without Ofsted's words recorded is named with its grade only.
    assert "The experiences and progress of care leavers: good." in texts


def test_without_a_summary_the_section_says_where_to_add_it(authority, manager):
    inspection = inspection_with_progress(authority, areas=1, months=1)
    report = report_for(inspection, manager, kind=ReportKind.INSPECTION_OUTCOME)
    body = report.sections.get(key="ofsted_findings").body
    assert body.startswith("Ofsted's summary of the inspection is not recorded in the tracker")


def test_progress_reports_do_not_repeat_it(authority, manager):
    inspection = inspection_with_progress(authority, areas=1, months=1)
    for kind in (ReportKind.PROGRESS_UPDATE, ReportKind.PLAN_APPROVAL):
        report = report_for(inspection, manager, kind=kind)
        assert not report.sections.filter(key="ofsted_findings").exists()

"""The report parser on real files from Ofsted's public archive, one or two per failure class that
the archive showed (issue 12), and on synthetic files for the typography the archive copy lacks.

The files in tests/fixtures/ofsted-archive are copies of published Ofsted reports, named as the
archive names them: URN_authority_PUBLISHED.pdf.
"""

from datetime import date
from pathlib import Path

import pytest

from inspections.ofsted_report import (
    LAC_INSPECTION,
    LSCB_ONLY,
    NOT_A_PDF,
    ReportParseError,
    parse_report,
)
from tests.inspections.test_ofsted_report_parser import _FILLER, _render

ARCHIVE = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted-archive"
_cache: dict[str, object] = {}


def read(name: str):
    """Each real file is parsed once per test session: SIF reports take a few seconds."""
    if name not in _cache:
        _cache[name] = parse_report((ARCHIVE / name).read_bytes(), filename=name)
    return _cache[name]


# --- The kind of report comes from its title and structure ---------------------------------------


def test_an_ilacs_report_that_mentions_an_earlier_jtai_is_an_ilacs_inspection():
    report = read("80550_sefton_2022-05-09.pdf")
    assert (report.framework, report.inspection_type) == ("ILACS-2018", "standard")
    assert report.judgements == {
        "impact_of_leaders": "inadequate",
        "help_and_protection": "inadequate",
        "children_in_care_and_care_leavers": "inadequate",
        "overall_effectiveness": "inadequate",
    }
    assert report.lead_inspector == "Lisa Summers"
    assert len(report.areas_for_improvement) == 14


def test_a_sif_inspection_that_started_in_2018_is_sif():
    report = read("80480_lancashire_2018-08-17.pdf")
    assert (report.framework, report.inspection_type) == ("SIF-2013", "sif")
    assert (report.start_date, report.end_date) == (date(2018, 6, 4), date(2018, 6, 28))
    assert report.published_date == date(2018, 8, 17)
    assert report.lead_inspector == "Lorna Schlechte"
    assert report.judgements == {
        "overall_effectiveness": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "looked_after_and_permanence": "requires_improvement",
        "adoption_performance": "good",
        "care_leavers": "requires_improvement",
        "leadership_management_governance": "requires_improvement",
    }
    assert len(report.areas_for_improvement) == 11


def test_a_review_of_the_safeguarding_board_alone_is_refused_saying_what_it_is():
    with pytest.raises(ReportParseError) as error:
        read("80567_surrey_2015-08-03.pdf")
    assert str(error.value) == LSCB_ONLY


def test_a_2013_looked_after_children_inspection_is_refused_saying_what_it_is():
    with pytest.raises(ReportParseError) as error:
        read("80549_sandwell_2013-08-02.pdf")
    assert str(error.value) == LAC_INSPECTION


def test_a_saved_error_page_is_refused_as_a_web_page():
    with pytest.raises(ReportParseError) as error:
        read("80429_birmingham_2012-10-19.pdf")
    assert str(error.value).startswith(NOT_A_PDF)
    assert "web page" in str(error.value)


# --- Title fields ---------------------------------------------------------------------------------


def test_a_report_titled_local_authority_childrens_services_names_its_authority_above():
    report = read("80472_hampshire_2019-06-11.pdf")
    assert report.authority == "Hampshire County Council"
    assert (report.framework, report.inspection_type) == ("ILACS-2018", "short")
    assert report.lead_inspector == "Donna Marriott"


def test_numeric_dates():
    report = read("80512_redbridge_2016-11-25.pdf")
    assert (report.start_date, report.end_date) == (date(2016, 9, 12), date(2016, 10, 6))
    assert report.published_date == date(2016, 11, 25)


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("14 May 2018 \u2500 25 May 2018", date(2018, 5, 14), date(2018, 5, 25)),
        ("12 June \u2013 7 July 2017", date(2017, 6, 12), date(2017, 7, 7)),
        ("3\u20147 March 2014", date(2014, 3, 3), date(2014, 3, 7)),
        ("18 Feb 2014 to 12 Mar 2014", date(2014, 2, 18), date(2014, 3, 12)),
        ("8 Sept \u2212 2 Oct. 2015", date(2015, 9, 8), date(2015, 10, 2)),
        ("1/06/2015 to 25/06/2015", date(2015, 6, 1), date(2015, 6, 25)),
        ("28 July 2016", date(2016, 7, 28), date(2016, 7, 28)),
        ("Monday 14th May to Friday 25th May 2018", date(2018, 5, 14), date(2018, 5, 25)),
        ("5 to 9 December 2022 and 14 to 15 February 2023", date(2022, 12, 5), date(2023, 2, 15)),
        ("29 December 2014 to 9 January 2015", date(2014, 12, 29), date(2015, 1, 9)),
    ],
)
def test_inspection_dates_however_they_are_written(written, start, end):
    """Each written after "Inspection dates:"; the SIF title makes the framework SIF whatever
    the date."""
    report = parse_report(
        _render(
            "<h1>Exampleton</h1><h1>Inspection of services for children in need of help and"
            " protection, children looked after and care leavers</h1>"
            f"<p>Inspection dates: {written}</p><p>Report published: 10 September 2015</p>"
            "<p>Children’s services require improvement to be good</p>"
            "<h2>Recommendations:</h2><ol><li>Improve plans.</li></ol>"
            "<p>Lead inspectors: Sam Smith HMI and Jo Bloggs HMI</p>"
        )
    )
    assert (report.start_date, report.end_date) == (start, end)
    assert report.framework == "SIF-2013"
    # "Children's services require improvement to be good" names no place.
    assert report.judgements["overall_effectiveness"] == "requires_improvement"
    assert report.areas_for_improvement == ["Improve plans."]
    assert report.lead_inspector == "Sam Smith"


# --- SIF judgements -------------------------------------------------------------------------------


def test_overall_judgement_and_board_grade_stated_in_the_summary():
    report = read("80468_essex_2014-03-21.pdf")
    # "The overall judgement is good"; "The effectiveness of the Local Safeguarding Children
    # Board (LSCB) requires improvement", both on page 1.
    assert report.judgements == {
        "overall_effectiveness": "good",
        "help_and_protection": "good",
        "looked_after_and_permanence": "good",
        "adoption_performance": "good",
        "care_leavers": "good",
        "leadership_management_governance": "good",
        "lscb": "requires_improvement",
    }
    assert report.lead_inspector == "Ian Young"


# --- Recommendation lists -------------------------------------------------------------------------


def test_recommendations_grouped_under_numbered_theme_headings():
    report = read("80553_slough_2016-02-17.pdf")
    items = report.areas_for_improvement
    assert not any(item.startswith("Quality and effectiveness of practice") for item in items)
    assert items[0].startswith("In line with longstanding plans, develop and embed")
    assert items[0].endswith("regularly reviewed in conjunction with the LSCB.")
    assert "Through ambitious and innovative means" in items[7]
    assert max(len(item) for item in items) < 600
    assert report.judgements["lscb"] == "inadequate"


def test_recommendations_under_unnumbered_theme_headings():
    report = read("80567_surrey_2015-06-03.pdf")
    items = report.areas_for_improvement
    assert items[0].startswith("Undertake an immediate review of unallocated cases")
    themes = ("Leadership, management and governance", "Children looked after")
    assert not any(item in themes for item in items)
    assert max(len(item) for item in items) < 600


def test_a_sentence_saying_there_are_no_priority_actions_is_not_an_item():
    report = parse_report(
        _render(
            "<h1>Exampleton</h1><h1>Inspection of services for children in need of help and"
            " protection, children looked after and care leavers</h1>"
            "<p>Inspection dates: 4 to 26 March 2015</p>"
            "<p>The overall judgement is that children’s services are good</p>"
            "<h2>What does the local authority need to improve?</h2>"
            "<h2>Priority and immediate action</h2>"
            "<p>The inspection did not find any areas for priority and immediate action.</p>"
            "<h2>Areas for improvement</h2><ol><li>Improve plans.</li><li>See children alone."
            "</li></ol><h2>Summary for children and young people</h2>"
            f"{_FILLER}<p>Lead inspector: Sam Smith</p>"
        )
    )
    assert report.areas_for_improvement == ["Improve plans.", "See children alone."]
    assert report.judgements == {"overall_effectiveness": "good"}


# --- Letters --------------------------------------------------------------------------------------


def test_monitoring_visit_letter_in_ofsteds_published_structure():
    report = parse_report(
        _render(
            "<p>12 April 2019</p><p>Ms A Director<br>Director of Children’s Services<br>"
            "Exampleton Borough Council</p><p>Dear Ms Director</p>"
            "<h2>Monitoring visit to Exampleton children’s services</h2>"
            "<p>This letter summarises the findings of the monitoring visit to Exampleton"
            " children’s services on 12 and 13 March 2019. The visit was the third monitoring"
            " visit since the local authority was judged inadequate. His Majesty’s Inspectors"
            " for this visit were Sam Smith and Jo Bloggs.</p>"
            f"<h2>Areas covered by the visit</h2>{_FILLER}"
            f"<h2>Overview</h2>{_FILLER}<p>Yours sincerely</p><p>Sam Smith<br>"
            "His Majesty’s Inspector</p>"
        )
    )
    assert report.authority == "Exampleton"
    assert (report.inspection_type, report.framework) == ("monitoring_visit", "ILACS-2018")
    assert (report.start_date, report.end_date) == (date(2019, 3, 12), date(2019, 3, 13))
    assert report.judgements == {}
    assert report.lead_inspector == "Sam Smith"


def test_jtai_letter():
    report = parse_report(
        _render(
            "<p>7 May 2022</p><p>Director of Children’s Services<br>Exampleton Council</p>"
            "<h1>Joint targeted area inspection of the multi-agency response to children and"
            " families who need help in Exampleton</h1>"
            "<p>This letter summarises the findings of a joint targeted area inspection (JTAI)"
            " of the multi-agency response to children and families who need help in"
            " Exampleton. This inspection took place from 14 to 18 March 2022.</p>"
            f"{_FILLER}<h2>Areas for improvement</h2><ul><li>The quality of referrals.</li></ul>"
            "<p>Yours sincerely</p><p>Sam Smith<br>His Majesty’s Inspector</p>"
        )
    )
    assert report.inspection_type == "jtai"
    assert report.authority == "Exampleton"
    assert (report.start_date, report.end_date) == (date(2022, 3, 14), date(2022, 3, 18))
    assert report.areas_for_improvement == ["The quality of referrals."]
    assert report.judgements == {}


# --- Ofsted's own words ---------------------------------------------------------------------------


def test_headline_summary_of_an_ilacs_report():
    report = read("80472_hampshire_2019-06-11.pdf")
    assert report.summary.startswith("Children’s services in Hampshire are outstanding.")
    assert "\n\n" not in report.summary or report.summary.count("\n\n") < 10
    assert "What needs to improve" not in report.summary
    assert report.web_address == ""  # the file prints only Ofsted's general address


def test_executive_summary_of_a_sif_report():
    report = read("80553_slough_2016-02-17.pdf")
    assert report.summary
    assert "Recommendations" not in report.summary.split("\n\n")[0]


def test_focused_visit_letter_titled_like_an_inspection_report():
    report = parse_report(
        _render(
            "<h1>Focused visit to Exampleton local authority children’s services</h1>"
            "<p>Inspection dates: 4 and 5 April 2023</p>"
            "<p>Lead inspector: Sam Smith, His Majesty’s Inspector</p>"
            "<p>This letter summarises the findings of the focused visit to Exampleton"
            " children’s services. Inspectors looked at the arrangements for children in care,"
            " including children who are looked after by the local authority.</p>"
            f"{_FILLER}<h2>Areas for priority action</h2><ul><li>The sufficiency of homes for"
            " children in care.</li></ul>"
            f"<h2>Areas for improvement</h2><ul><li>Life-story work.</li></ul>{_FILLER}"
        )
    )
    assert report.authority == "Exampleton"
    assert (report.inspection_type, report.framework) == ("focused_visit", "ILACS-2023")
    assert (report.start_date, report.end_date) == (date(2023, 4, 4), date(2023, 4, 5))
    assert report.lead_inspector == "Sam Smith"
    assert report.judgements == {}
    assert report.areas_for_improvement == [
        "The sufficiency of homes for children in care.",
        "Life-story work.",
    ]


def test_dates_of_inspection_label():
    report = parse_report(
        _render(
            "<h1>Inspection of Exampleton local authority children’s services</h1>"
            "<p>Dates of inspection: 3 to 14 June 2019</p><p>Lead inspector: Sam Smith</p>"
            f"{_FILLER}"
        )
    )
    assert (report.start_date, report.end_date) == (date(2019, 6, 3), date(2019, 6, 14))
    assert (report.framework, report.inspection_type) == ("ILACS-2018", "standard")

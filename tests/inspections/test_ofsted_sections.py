"""What a real report says about each judgement area (ParsedReport.judgement_area_texts): its section's
narrative, read from the heading to the next section, without paragraph numbers, page furniture
or footnotes. The start and end words below were read off the PDFs by eye.

Neither the parser nor this file needs Django (see test_ofsted_report_parser.py).
"""

import re
from pathlib import Path

import pytest

from inspections.ofsted_report import parse_report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_cache: dict[str, object] = {}


def read(name: str):
    """Each file is parsed once per test session: a SIF report takes a few seconds."""
    if name not in _cache:
        folder = "ofsted-archive" if name[0].isdigit() else "ofsted-reports"
        _cache[name] = parse_report((FIXTURES / folder / name).read_bytes(), filename=name)
    return _cache[name]


# What a section's text must never hold: the next section's heading, what follows the sections,
# page furniture and paragraph numbers.
_NEVER = [
    re.compile(pattern, re.I)
    for pattern in (
        r"the experiences and progress of (?:children|care leavers)",
        r"the impact of leaders on social work practice",
        r"leadership, management and governance (?:is|are|requires|good|inadequate)",
        r"the graded judge?ment",
        r"information about this inspection",
        r"the office for standards in education",
        r"ofsted\.gov\.uk|www\.|https?://",
        r"crown copyright",
        r"(?:^|\n)\d{1,3}\.\s",  # a paragraph number
        r"(?:^|\n)\d+(?:\n|$)",  # a page number on a line of its own
    )
]


def assert_clean(text: str, *footers: str) -> None:
    assert text == text.strip() and "\n\n\n" not in text
    for pattern in _NEVER:
        assert not pattern.search(text), pattern.pattern
    for footer in footers:
        assert footer not in text
    # Every paragraph is a whole one: it ends as a sentence does.
    for paragraph in text.split("\n\n"):
        assert re.search(r"[.:;)’”]$", paragraph), paragraph[-80:]


def assert_section(report, code: str, start: str, end: str, *footers: str) -> str:
    text = report.judgement_area_texts[code]["strengths"]
    assert text.startswith(start), text[:200]
    assert text.endswith(end), text[-200:]
    assert_clean(text, *footers)
    return text


# --- ILACS ---------------------------------------------------------------------------------------


def test_an_ilacs_2018_standard_report_gives_each_judgements_section():
    report = read("brent_published-2018-07-02.pdf")
    assert (report.framework, report.inspection_type) == ("ILACS-2018", "standard")
    assert sorted(report.judgement_area_texts) == [
        "children_in_care_and_care_leavers",
        "help_and_protection",
        "impact_of_leaders",
    ]  # the overall judgement has no section of its own: the summary says it
    help_and_protection = assert_section(
        report,
        "help_and_protection",
        "The multicultural demographic of Brent presents complex challenges for children’s "
        "social care. The vast majority",
        "Direct work positively influences and informs children’s assessments.",
    )
    assert help_and_protection.count("\n\n") == 9  # paragraphs 1 to 10
    assert "\n\nThe BFFD is a robust multi-agency safeguarding hub" in help_and_protection
    # A word hyphenated at a line's end is joined up again.
    assert "what is happening on a day-to-day basis for individual children" in (
        help_and_protection
    )
    assert_section(
        report,
        "children_in_care_and_care_leavers",
        "Children’s outcomes significantly improve when they become children in care.",
        "emotional and practical advice to care leavers in higher education when they need it.",
    )
    leaders = assert_section(
        report,
        "impact_of_leaders",
        "Strong leadership at a political level and throughout the council",
        "As a result, they are making a positive difference to children and young people’s "
        "outcomes.",
    )
    assert "Care in Action groups" in leaders  # paragraph 32, on the last page of text
    # The headline summary and what needs to improve stay where they were.
    assert "What needs to improve" not in leaders
    assert all(t["to_improve"] == "" for t in report.judgement_area_texts.values())
    assert report.areas_for_improvement[0].startswith("The response when children and young")


def test_an_ilacs_2023_standard_report_reads_children_in_care_and_care_leavers_apart():
    report = read("north-somerset_published-2023-05-11.pdf")
    assert (report.framework, report.inspection_type) == ("ILACS-2023", "standard")
    footers = ("Inspection of North Somerset local authority children’s services", "13 to 24 March")
    assert sorted(report.judgement_area_texts) == [
        "care_leavers",
        "children_in_care",
        "help_and_protection",
        "impact_of_leaders",
    ]
    assert_section(
        report,
        "help_and_protection",
        "Children referred through Care Connect, the single point of access, to the ‘front door’",
        "in line with good practice guidance, to ensure they understand their rights.",
        *footers,
    )
    in_care = assert_section(
        report,
        "children_in_care",
        "Decisions to bring children into care are well matched to children’s levels of need "
        "and risk.",
        # The report's own words, its missing full stop included, across a page break.
        "in terms of engaging a wider range of children in care The children in care award day "
        "and Weston Carnival are much enjoyed and are real celebrations of and for children in "
        "care.",
        *footers,
    )
    assert "Personal advisers" not in in_care
    care_leavers = assert_section(
        report,
        "care_leavers",
        "Personal advisers (PAs) build supportive and trusting relationships with their "
        "care-experienced young people.",
        "and the small number who do not receive appropriate and ongoing advice and support.",
        *footers,
    )
    assert "A corporate restructure" not in care_leavers
    assert_section(
        report,
        "impact_of_leaders",
        "A corporate restructure of North Somerset’s directorate soon after the last judgement "
        "inspection",
        "staffing sufficiency remains a significant and ongoing challenge.",
        *footers,
    )


@pytest.mark.parametrize(
    ("name", "code", "start", "end"),
    [
        (
            "gateshead_published-2025-01-29.pdf",
            "care_leavers",
            "Children are prepared well as they approach the transition from being in care to "
            "being care leavers.",
            "Access to education training is fully supported, as are community activities.",
        ),
        (
            "gateshead_published-2025-01-29.pdf",
            "impact_of_leaders",
            "The leadership of the council and the corporate executive in the local authority "
            "recognise the needs of children",
            # "2025. There" ends a line: a year, not a paragraph number.
            "planned to start in January 2025. There is a clear focus on creating the right "
            "environment, framework and culture for social work to thrive.",
        ),
        (
            "gateshead_published-2019-06-11.pdf",
            "help_and_protection",
            "Early help arrangements in Gateshead are a strength.",
            "monitoring the welfare of these children and for those missing education.",
        ),
    ],
)
def test_a_short_inspection_reads_like_a_standard_one(name, code, start, end):
    report = read(name)
    assert report.inspection_type == "short"
    assert_section(report, code, start, end, "Inspection of Gateshead", "6 to 12 December 2024")
    assert set(report.judgement_area_texts) == set(report.judgements) - {"overall_effectiveness"}


# --- SIF -----------------------------------------------------------------------------------------


def test_a_sif_report_gives_each_judgement_its_summary_and_findings_and_the_boards_its_own():
    report = read("brent_published-2015-11-30.pdf")
    assert report.framework == "SIF-2013"
    assert sorted(report.judgement_area_texts) == sorted(
        set(report.judgements) - {"overall_effectiveness"}
    )
    help_and_protection = assert_section(
        report,
        "help_and_protection",
        # The section's summary, then its inspection findings (paragraphs 12 to 38).
        "Brent Family Solutions Service (BFSS) provides a wide range of coordinated early help "
        "services.",
        "Strategy discussions are timely but it is not always clear how quickly agreed actions "
        "are carried out or what impact they have had.",
    )
    assert "\n\nIntegrated early help services sit in locality teams" in help_and_protection
    for heading in ("Summary", "Inspection findings"):
        assert f"\n\n{heading}\n\n" not in help_and_protection
    # The looked-after section stops where its two sub-judgements' sections begin.
    looked_after = assert_section(
        report,
        "looked_after_and_permanence",
        "Outcomes for children looked after in Brent are not yet good",
        "This in turn leads to delay in children’s needs being assessed and met.",
    )
    assert "Adoption is considered early" not in looked_after
    assert_section(
        report,
        "adoption_performance",
        "Adoption is considered early for all children.",
        "which is increasingly used by adopters to access specialised therapeutic support for "
        "children.",
    )
    assert_section(
        report,
        "care_leavers",
        "Care leavers reported to inspectors that communication between personal advisers and "
        "themselves is frequent",
        "the particular needs of these care leavers may not be as swiftly recognised or met as "
        "for those under 18 years of age.",
    )
    assert_section(
        report,
        "leadership_management_governance",
        "The local authority, with strong leadership provided by the director of children’s "
        "services",
        "but has also supported recruitment and retention of social workers.",
    )
    # The board's section ends before "Information about this inspection"; its own
    # recommendations are what needs to improve.
    lscb = report.judgement_area_texts["lscb"]
    assert lscb["strengths"].startswith(
        "The LSCB requires improvement because:\n\nThe board meets all of its statutory functions"
    )
    assert lscb["strengths"].endswith(
        "although there has been some awareness-raising activity this has not led to an "
        "increase in identification or referral."
    )
    assert lscb["to_improve"].startswith(
        "Continue to refine the LSCB data-set to monitor the effectiveness of safeguarding"
    )
    assert lscb["to_improve"].endswith("to safeguard and promote the welfare of children.")
    assert_clean(lscb["to_improve"])
    assert all(
        t["to_improve"] == "" for code, t in report.judgement_area_texts.items() if code != "lscb"
    )


def test_a_sif_report_repairs_a_word_split_over_two_pages():
    lscb = read("north-somerset_published-2017-08-25.pdf").judgement_area_texts["lscb"]["strengths"]
    assert "It is over-reliant on sub-group reports, which vary in quality" in lscb
    assert lscb.startswith("The LSCB in North Somerset is inadequate.")


def test_an_early_sif_report_drops_footnotes_and_their_markers():
    report = read("80468_essex_2014-03-21.pdf")
    looked_after = assert_section(
        report,
        "looked_after_and_permanence",
        "Decisions to look after children are appropriate, timely and proportionate.",
        "are supported well through transition to leaving care and aftercare.",
    )
    # "pupil premium³" in the text, its footnote at the foot of the page.
    assert "Careful consideration is given to using the pupil premium funding. Planned" in (
        looked_after
    )
    assert "additional government funding provided for students" not in looked_after
    assert "\n\nA good range of learning opportunities" in looked_after  # paragraph 61
    # The board's section (2014 layout) has its areas for improvement first.
    lscb = report.judgement_area_texts["lscb"]
    assert lscb["to_improve"].startswith("Ensure that senior schools representatives attend")
    assert lscb["strengths"].startswith("The LSCB meets its statutory requirements.")
    assert_clean(lscb["strengths"])


def test_an_early_sif_report_whose_sections_open_with_a_key_judgement_table():
    report = read("80567_surrey_2015-06-03.pdf")
    assert sorted(report.judgement_area_texts) == [
        "adoption_performance",
        "care_leavers",
        "help_and_protection",
        "leadership_management_governance",
        "looked_after_and_permanence",
    ]
    assert_section(
        report,
        "help_and_protection",
        "The local authority is failing in its statutory duty under section 17 of the Children "
        "Act 1989;",
        "Ethnicity and faith are routinely recorded on case files.",
    )
    assert_section(
        report,
        "leadership_management_governance",
        "The Chief Executive, the Director of Children’s Services, and elected members failed",
        "is helping to reduce court time and is leading to more timely decisions for children.",
    )


# --- Letters -------------------------------------------------------------------------------------
# The archive copy holds no visit or JTAI letter (every readable file in it is a graded report),
# so these are rendered, with headings worded like a graded report's sections.


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Monitoring visit to Exampleton children’s services", "monitoring_visit"),
        ("Focused visit to Exampleton children’s services", "focused_visit"),
        (
            "Joint targeted area inspection of the multi-agency response to children who need "
            "help and protection in Exampleton",
            "jtai",
        ),
    ],
)
def test_visit_and_jtai_letters_grade_nothing_so_say_nothing_per_area(title, kind):
    from tests.inspections.test_ofsted_report_parser import _FILLER, _render

    report = parse_report(
        _render(
            "<p>12 April 2019</p><p>Director of Children’s Services<br>Exampleton Council</p>"
            f"<h1>{title}</h1><p>This letter summarises the findings of the "
            f"{'joint targeted area inspection' if kind == 'jtai' else kind.replace('_', ' ')}"
            " to Exampleton children’s services on 12 and 13 March 2019.</p>"
            "<h2>The experiences and progress of children in care: good</h2>"
            f"<p>1. {_FILLER[3:-4]}</p>"
            "<h2>Children who need help and protection</h2>"
            f"<p>2. {_FILLER[3:-4]}</p><h2>Areas for improvement</h2><ul><li>The quality of"
            " plans.</li></ul><p>Yours sincerely</p><p>Sam Smith<br>His Majesty’s Inspector</p>"
        )
    )
    assert report.inspection_type == kind
    assert report.judgements == {}
    assert report.judgement_area_texts == {}


def test_a_sif_section_ends_at_the_boards_title_set_as_a_plain_running_head():
    # Leadership's last paragraph ends page 29; page 30 opens with the board's title in the
    # body's weight, then its judgement in bold.
    report = read("80513_richmond-upon-thames_2017-12-08.pdf")
    assert_section(
        report,
        "leadership_management_governance",
        "Leadership, management and governance of services to children in Richmond upon Thames "
        "is good.",
        "too early to evaluate the effectiveness and impact of any revised arrangements on the "
        "sufficiency of placements for children looked after.",
    )
    lscb = report.judgement_area_texts["lscb"]
    assert lscb["strengths"].startswith(
        "The Richmond upon Thames Local Safeguarding Children Board (LSCB) is good."
    )
    assert lscb["to_improve"].startswith("Ensure that all board action plans are specific,")
    assert lscb["to_improve"].count("\n\n") == 2  # three recommendations

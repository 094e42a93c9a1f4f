"""The Ofsted report parser against ten real reports, and its refusals of files it cannot read.

Neither the parser nor this file imports Django. tests/conftest.py does, so to run without
Django skip it too: `pytest tests/inspections/test_ofsted_report_parser.py -p no:django
--noconftest`; with the project's settings in place a plain `pytest` run works as well.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from inspections.ofsted_report import (
    MAX_BYTES,
    ReportParseError,
    framework_for_start_date,
    parse_report,
    published_from_filename,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted-reports"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
FIELDS = [
    "framework",
    "inspection_type",
    "start_date",
    "end_date",
    "published_date",
    "lead_inspector",
    "judgements",
    "areas_for_improvement",
]


@pytest.fixture(scope="module")
def parsed():
    """Parse each report once; the field tests below share the results."""
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = parse_report((FIXTURES / name).read_bytes())
        return cache[name]

    return get


def _expected_published(entry):
    # Only SIF reports print "Report published: ..."; ILACS reports carry no publication date
    # anywhere in the PDF (their metadata creation date is days earlier), so the expected date,
    # which comes from the file name, cannot be read from the bytes and the parser gives None.
    return entry["published_date"] if entry["framework"] == "SIF-2013" else None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_fields_match_expected(parsed, name):
    expected = EXPECTED[name]
    got = parsed(name).as_expected_json()
    assert sorted(got) == sorted(FIELDS)
    for field in FIELDS:
        if field in ("published_date", "areas_for_improvement"):
            continue
        assert got[field] == expected[field], field
    assert got["published_date"] == _expected_published(expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_areas_for_improvement_are_verbatim(parsed, name):
    got = parsed(name).areas_for_improvement
    expected = EXPECTED[name]["areas_for_improvement"]
    for index, (text, wanted) in enumerate(zip(got, expected, strict=False)):
        assert text == wanted, f"item {index + 1}"
    assert len(got) == len(expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_authority_as_named_in_report(parsed, name):
    assert parsed(name).authority == EXPECTED[name]["authority"]


def test_long_sif_report_is_read_in_one_pass(monkeypatch):
    # Reading what the report says about each judgement means laying out the pages of every
    # section (37 of this report's 40), each once: pdfminer takes about 0.1 s a page, so no page
    # is laid out twice (counted, not timed: speed is for `make bench`).
    from pdfminer.pdfinterp import PDFPageInterpreter

    laid_out = []
    process_page = PDFPageInterpreter.process_page
    monkeypatch.setattr(
        PDFPageInterpreter,
        "process_page",
        lambda self, page: laid_out.append(id(page)) or process_page(self, page),
    )
    data = (FIXTURES / "brent_published-2015-11-30.pdf").read_bytes()
    report = parse_report(data)
    assert report.authority == "Brent"
    assert len(report.judgement_area_texts) == 6
    assert 0 < len(laid_out) == len(set(laid_out)) <= 40, f"{len(laid_out)} layouts of 40 pages"


# --------------------------------------------------------------------------------------------
# Layouts the fixtures do not cover, rendered from HTML: a focused visit letter, an early SIF
# report's wording, and a 2026 report whose table has no overall effectiveness row.
# --------------------------------------------------------------------------------------------

_CSS = (
    "@page { size: A4; margin: 2.5cm; @bottom-right { content: counter(page) } }"
    "body { font-family: sans-serif; font-size: 11pt } h1, h2 { font-size: 13pt }"
    ".new-page { break-before: page } td { padding: 6pt }"
)
_FILLER = "<p>" + "Inspectors found practice that varies in quality across teams. " * 30 + "</p>"


def _render(html: str) -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    return weasyprint.HTML(string=f"<style>{_CSS}</style>{html}").write_pdf()


def test_focused_visit_letter():
    report = parse_report(
        _render(
            "<p>7 May 2019</p><p>Director of Children’s Services<br>Sheffield City Council</p>"
            "<p>Dear Mr Smith</p><h2>Focused visit to Sheffield children’s services</h2>"
            "<p>This letter summarises the findings of the focused visit to Sheffield children’s"
            " services on 4 and 5 April 2019.</p>"
            f"{_FILLER}<h2>Areas for priority action</h2><ul><li>The timeliness of strategy"
            " meetings when children are at risk of significant harm, so that every child gets"
            " a prompt response.</li></ul>"
            f"{_FILLER}<h2>Areas for improvement</h2><ul><li>The quality of plans.</li>"
            "<li>Management oversight.</li></ul>"
            f"<h2>Main findings</h2>{_FILLER}<p>Yours sincerely</p>"
            "<p>Jane O’Doe<br>Her Majesty’s Inspector</p>"
        )
    )
    assert report.authority == "Sheffield"
    assert report.as_expected_json() == {
        "framework": "ILACS-2018",
        "inspection_type": "focused_visit",
        "start_date": "2019-04-04",
        "end_date": "2019-04-05",
        "published_date": None,
        "lead_inspector": "Jane O’Doe",
        "judgements": {},
        "areas_for_improvement": [
            "The timeliness of strategy meetings when children are at risk of significant harm,"
            " so that every child gets a prompt response.",
            "The quality of plans.",
            "Management oversight.",
        ],
    }


def test_early_sif_wording_and_priority_actions():
    report = parse_report(
        _render(
            "<h1>Exampleton</h1><h1>Inspection of services for children in need of help and"
            " protection, children looked after and care leavers</h1><p>and</p><h1>Review of the"
            " effectiveness of the Local Safeguarding Children Board</h1>"
            "<p>Inspection date: 18 November – 10 December 2014</p>"
            "<p>Report published: 10 February 2015</p>"
            "<h2>The overall judgement is that children’s services require improvement</h2>"
            '<table style="width: 100%">'
            '<tr><td style="width: 65%">1. Children who need help and protection</td>'
            "<td>Requires<br>Improvement</td></tr>"
            "<tr><td>2. Children looked after and achieving permanence</td><td>Inadequate</td></tr>"
            "<tr><td>2.1 Adoption performance</td><td>Outstanding</td></tr>"
            "<tr><td>2.2 Experiences and progress of care leavers</td><td>Good</td></tr>"
            "<tr><td>3. Leadership, management and governance</td><td>Good</td></tr></table>"
            '<div class="new-page"><h2>What does the local authority need to improve?</h2>'
            "<h2>Priority and immediate action</h2><ol><li>See children at risk promptly"
            " (paragraph 12).</li></ol><h2>Areas for improvement</h2><ol start=2><li>Improve"
            " assessments so that they consider the family’s history and the views of children"
            " (paragraphs 14, 15 and 22).</li></ol>"
            f"<h2>The local authority’s strengths</h2>{_FILLER}</div>"
            '<div class="new-page"><h2>The Local Safeguarding Children Board (LSCB)</h2>'
            "<h2>The Local Safeguarding Children Board is inadequate</h2>"
            "<h2>Areas for improvement</h2><ol><li>Not the local authority’s.</li></ol></div>"
            '<div class="new-page"><h2>Information about this inspection</h2>'
            "<p>Lead inspector: Sam Smith HMI</p><p>Deputy lead inspector: Bo Jones HMI</p></div>"
        )
    )
    assert report.authority == "Exampleton"
    assert report.as_expected_json() == {
        "framework": "SIF-2013",
        "inspection_type": "sif",
        "start_date": "2014-11-18",
        "end_date": "2014-12-10",
        "published_date": "2015-02-10",
        "lead_inspector": "Sam Smith",
        "judgements": {
            "overall_effectiveness": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "looked_after_and_permanence": "inadequate",
            "adoption_performance": "outstanding",
            "care_leavers": "good",
            "leadership_management_governance": "good",
            "lscb": "inadequate",
        },
        "areas_for_improvement": [
            "See children at risk promptly (paragraph 12).",
            "Improve assessments so that they consider the family’s history and the views of"
            " children (paragraphs 14, 15 and 22).",
        ],
    }


def test_2026_report_grades_only_the_areas_in_its_table():
    report = parse_report(
        _render(
            "<h1>Inspection of Exampleshire local authority children’s services</h1>"
            "<p>Inspection dates: 11 to 15 May 2026</p>"
            "<p>Lead inspector: Sam Example, His Majesty’s Inspector</p>"
            '<table style="width: 100%"><tr><th style="width: 60%">Judgement</th>'
            "<th>Grade</th></tr><tr><td>The impact of leaders on social work practice with"
            " children and families</td><td>Requires improvement to be good</td></tr>"
            "<tr><td>The experiences and progress of children who need help and protection</td>"
            "<td>Good</td></tr><tr><td>The experiences and progress of children in care</td>"
            "<td>Inadequate</td></tr><tr><td>The experiences and progress of care leavers</td>"
            f"<td>Outstanding</td></tr></table>{_FILLER}<h2>What needs to improve?</h2>"
            "<ul><li>Sufficiency of homes for children in care (Outcome 3)</li></ul>"
            "<h2>The experiences and progress of children who need help and protection:"
            f" good</h2>{_FILLER}"
        )
    )
    assert (report.framework, report.inspection_type) == ("ILACS-2026", "short")
    assert report.judgements == {
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "good",
        "children_in_care": "inadequate",
        "care_leavers": "outstanding",
    }
    assert report.areas_for_improvement == ["Sufficiency of homes for children in care (Outcome 3)"]


# --------------------------------------------------------------------------------------------
# Files the parser must refuse, each with its own message
# --------------------------------------------------------------------------------------------


def _pdf(content: bytes | None, encrypt: bool = False) -> bytes:
    """A minimal valid one-page PDF, written by hand with a correct cross-reference table.

    `content` is the page's content stream (None for a blank page). With `encrypt`, the file
    names a standard security handler whose user password is not empty, so no reader can open
    it without that password; the content itself need not be encrypted for the test.
    """
    stream = content or b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    trailer = b""
    if encrypt:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <%s> /U <%s> >>" % (b"ab" * 32, b"cd" * 32)
        )
        trailer = b" /Encrypt 6 0 R /ID [<%s> <%s>]" % (b"01" * 16, b"01" * 16)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


HELLO = b"BT /F1 24 Tf 72 720 Td (Hello world) Tj ET"


def _error(data: bytes) -> str:
    with pytest.raises(ReportParseError) as caught:
        parse_report(data)
    return str(caught.value)


def test_hand_written_pdf_is_readable_but_not_a_report():
    assert _error(_pdf(HELLO)) == (
        "This does not look like an Ofsted children's services inspection report"
    )


def test_text_file_is_not_a_pdf():
    assert _error(b"Inspection dates: 14 May 2018 to 25 May 2018\n") == "The file is not a PDF"


def test_empty_file():
    assert _error(b"") == "The file is empty"


def test_file_over_the_size_limit():
    assert _error(b"%PDF-1.4\n" + b"0" * MAX_BYTES) == "The file is larger than 20 MB"


def test_truncated_download_is_damaged():
    data = (FIXTURES / "brent_published-2023-04-11.pdf").read_bytes()
    assert _error(data[: len(data) // 2]).startswith("The PDF is damaged")


def test_complete_but_corrupt_pdf_is_damaged():
    data = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert _error(data).startswith("The PDF is damaged")


def test_password_protected_pdf():
    assert _error(_pdf(HELLO, encrypt=True)) == "The PDF is password protected"


def test_pdf_without_text_may_be_a_scan():
    assert _error(_pdf(None)) == "The PDF has no text: it may be a scanned image"


def test_errors_are_value_errors():
    assert issubclass(ReportParseError, ValueError)


# --------------------------------------------------------------------------------------------
# Framework by start date
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "framework"),
    [
        (date(2017, 6, 12), "SIF-2013"),
        (date(2017, 12, 31), "SIF-2013"),
        (date(2018, 1, 1), "ILACS-2018"),
        (date(2022, 11, 21), "ILACS-2018"),  # published January 2023: start date decides
        (date(2023, 1, 1), "ILACS-2023"),
        (date(2023, 2, 20), "ILACS-2023"),
        (date(2026, 3, 31), "ILACS-2023"),
        (date(2026, 4, 1), "ILACS-2026"),
        (date(2026, 5, 11), "ILACS-2026"),
    ],
)
def test_framework_for_start_date(start, framework):
    assert framework_for_start_date(start) == framework


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_with_ofsteds_file_name_every_field_matches_expected_json(name):
    expected = {k: v for k, v in EXPECTED[name].items() if k not in ("authority", "notes")}
    report = parse_report((FIXTURES / name).read_bytes(), filename=name)
    assert report.as_expected_json() == expected


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("gateshead_published-2025-01-29.pdf", date(2025, 1, 29)),
        ("Somewhere_Published_2024-02-30.pdf", None),  # no 30 February
        ("report.pdf", None),
        (None, None),
    ],
)
def test_the_publication_date_comes_from_the_file_name_only_in_ofsteds_form(filename, expected):
    assert published_from_filename(filename) == expected


def test_a_date_printed_in_the_report_wins_over_the_file_name():
    data = (FIXTURES / "brent_published-2015-11-30.pdf").read_bytes()
    report = parse_report(data, filename="brent_published-2016-01-01.pdf")
    assert report.published_date == date(2015, 11, 30)

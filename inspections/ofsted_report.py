"""Read a published Ofsted children's services inspection report (PDF) into structured data.

Covers single inspection framework (SIF, 2013-2017) reports, ILACS reports (2018 onwards) and
focused / monitoring visit letters. It works from the layout, not from flat text: pdfminer gives
each text line with its position, from which we rebuild visual rows (a list number and its text
share a row), read the judgement table by pairing each grade with the label level with it, and
drop page footers. Nothing here imports Django.

Each page is laid out once, when first needed: the first pages (title, dates, judgements,
improvement lists), in SIF reports the pages the contents list gives for the LSCB section and the
inspection team, and then the pages of every judgement's section, for what the report says about
it. Laying out is most of the time: pdfminer alone takes about 0.1 s a page, so its content
reader and line grouping are replaced by faster ones that give exactly its results
(pdf_content.py), which halves that (a 40-page SIF report takes about 2 s).
"""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pdfminer.layout import LAParams, LTChar, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from inspections.pdf_content import FastPageAggregator, FastPageInterpreter

MAX_BYTES = 20 * 1024 * 1024

TOO_LARGE = "The file is larger than 20 MB"
EMPTY_FILE = "The file is empty"
NOT_A_PDF = "The file is not a PDF"
NOT_A_PDF_WEB_PAGE = (
    "The file is not a PDF: it is a web page, such as an error page saved in place of the "
    "report. Download the report again"
)
DAMAGED = "The PDF is damaged or incomplete: download it again and upload the new copy"
ENCRYPTED = "The PDF is password protected"
NO_TEXT = "The PDF has no text: it may be a scanned image"
NOT_A_REPORT = "This does not look like an Ofsted children's services inspection report"


class ReportParseError(ValueError):
    """Raised with a clear, human-readable message (GOV.UK error style)."""


@dataclass(frozen=True)
class ParsedReport:
    authority: str | None
    framework: str
    inspection_type: str
    start_date: date
    end_date: date
    published_date: date | None
    lead_inspector: str | None
    judgements: dict[str, str]
    areas_for_improvement: list[str]
    # Ofsted's own words, kept so that pages and committee papers can quote them. Empty when the
    # report does not have them (visit letters have no judgement sections).
    summary: str = ""  # the headline summary ("Headline findings", "Summary of findings", ...)
    web_address: str = ""  # the report's address on Ofsted's site, where the file gives it
    # Per graded judgement area code: {"strengths": the report's section about that judgement,
    # its narrative in full (paragraph numbers, page furniture and footnote markers taken out),
    # "to_improve": the section's own recommendations, where it has any (SIF's LSCB section)}.
    # Plain text with a blank line between paragraphs. An area whose section cannot be found
    # and delimited with confidence is left out.
    judgement_area_texts: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_expected_json(self) -> dict:
        return {
            "framework": self.framework,
            "inspection_type": self.inspection_type,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "published_date": self.published_date.isoformat() if self.published_date else None,
            "lead_inspector": self.lead_inspector,
            "judgements": dict(self.judgements),
            "areas_for_improvement": list(self.areas_for_improvement),
        }


def framework_for_start_date(start: date) -> str:
    """The framework in force on the day the inspection started (not when it was published)."""
    if start >= date(2026, 4, 1):
        return "ILACS-2026"
    if start >= date(2023, 1, 1):
        return "ILACS-2023"
    if start >= date(2018, 1, 1):
        return "ILACS-2018"
    return "SIF-2013"


# --- Text patterns ---------------------------------------------------------------------------

_Q = "[’'‘]"  # reports mix straight and curly apostrophes
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(_MONTHS.split("|"))}
# Dates are written many ways: "14 May 2018 to 25 May 2018", "20 to 24 February 2023",
# "12 June – 7 July 2017" (any dash: hyphen, en or em dash, minus, even U+2500 box drawing),
# "31 January and 1 February 2024", "18 Feb 2014", "Sept", "12/09/2016 to 06/10/2016",
# "1/06/2015", a one-day "28 July 2016". A date is a day, an optional month and an optional year;
# a run of dates joined by "to", "and" or a dash is read together, the last one complete.
_DASHES = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u2796\ufe58\ufe63\uff0d"
_MONTH_WORD = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DATE_TOKEN_RE = re.compile(
    rf"(?<![\d/])(?:(\d{{1,2}})[/.](\d{{1,2}})[/.](\d{{4}}|\d{{2}})(?![\d/])"  # 12/09/2016
    rf"|(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+{_MONTH_WORD})?(?:,?\s+(\d{{4}}))?(?!\d))",
    re.I,
)
_WEEKDAY_RE = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+", re.I)
_DATE_JOIN_RE = re.compile(rf"\s*(?:to|until|and|&|[{_DASHES}])\s*|\s+", re.I)
_DATES_LABEL_RE = re.compile(
    r"(?:inspection|visit|fieldwork) dates?\s*:?\s*|dates? of (?:the )?(?:inspection|visit)\s*:?\s*"
    r"|inspection took place (?:from|between|on)\s+",
    re.I,
)
_VISIT_ON_RE = re.compile(r"visit to .{1,200}? on\s+(?=\d)", re.I | re.S)
_PUBLISHED_LABEL_RE = re.compile(r"(?:report )?published\s*:?\s*(?=\d)", re.I)

# Prose says "services require improvement", so the verb is optional once the sentence around
# the grade has been matched.
_GRADE_RE = re.compile(
    r"(outstanding|good|inadequate|(?:requires? )?improvement(?: to be good)?)", re.I
)
_GRADE_WORDS = r"(outstanding|good|inadequate|improvement(?:\s+to\s+be\s+good)?)"

# Judgement labels. Order matters: the combined 2018 label before the 2023 split ones.
_AREAS = [
    ("impact_of_leaders", r"impact of leaders"),
    ("help_and_protection", r"children who need help and protection"),
    ("children_in_care_and_care_leavers", r"children in care and care leavers"),
    ("children_in_care", r"progress of children in care"),
    ("care_leavers", r"(?:progress|experiences) of care leavers"),
    ("looked_after_and_permanence", r"children looked after and achieving permanence"),
    ("adoption_performance", r"adoption performance"),
    ("leadership_management_governance", r"leadership, management and governance"),
    ("overall_effectiveness", r"overall effectiveness"),
]
_ILACS_AREA_COUNT = {"ILACS-2018": 4, "ILACS-2023": 5}
# ILACS section headings carry the grade too: "The experiences and progress of ...: good".
_EXP = "The experiences and progress of "
_ILACS_HEADINGS = [
    ("impact_of_leaders", "The impact of leaders on social work practice with children and families"),
    ("help_and_protection", _EXP + "children who need help and protection"),
    ("children_in_care_and_care_leavers", _EXP + "children in care and care leavers"),
    ("children_in_care", _EXP + "children in care"),
    ("care_leavers", _EXP + "care leavers"),
]  # fmt: skip

# SIF reports state the overall judgement in a sentence, worded several ways: "Children's
# services in X require improvement to be good", "The overall judgement is that children's
# services are good", "The overall judgement is good", "Children's services require improvement".
_VERB = r"(?:are|is|requires?)"
_SIF_OVERALL_RE = re.compile(
    rf"(?:children{_Q}s\s+services?\s+in\s+.{{1,80}}?\s+{_VERB}"
    rf"|overall\s+judgement\s+is\s+that\s+children{_Q}s\s+services?\s+{_VERB}"
    rf"|^children{_Q}s\s+services?\s+{_VERB}"
    rf"|overall\s+(?:judgement|effectiveness)\s+is)"
    # "The overall judgement is requires improvement" (sic) in some 2014 reports.
    rf"\s+(?:requires?\s+)?{_GRADE_WORDS}(?=\s*(?:\n|$|[.,;:(]|because))",
    re.I | re.S | re.M,
)
# The board's section opens with a heading worded several ways, sometimes split over two lines
# (the rows are tried alone and joined to the next).
_LSCB_HEADING_RE = re.compile(
    rf"^(?:Section\s+2:?\s*)?(?:The\s+|Review\s+of\s+the\s+)?(?:effectiveness\s+(?:of\s+)?(?:the\s+)?)?"
    rf"(?:Local\s+Safeguarding\s+Children{_Q}?s?\s+Board|LSCB)\d?(?:\s+\(LSCB\))?$",
    re.I,
)
# "The Local Safeguarding Children Board is good", "The effectiveness of the Local Safeguarding
# Children Board (LSCB) requires improvement", "The LSCB in X is inadequate", "Exampleton
# Safeguarding Children Board is good". The grade must end the clause, so that "the LSCB is
# good at ..." is not read as a judgement.
_LSCB_GRADE_RE = re.compile(
    rf"\b(?:The\s+)?(?:effectiveness\s+of\s+(?:the\s+)?)?(?:(?:Local|[A-Z][\w’'&-]+(?:\s+[A-Z][\w’'&-]+){{0,3}})\s+"
    rf"Safeguarding\s+Children{_Q}?s?\s+Board|LSCB)(?:\s+\(LSCB\))?"
    rf"(?:\s+in\s+[A-Z][\w ,’'&-]{{0,60}}?)?\s+{_VERB}\s+"
    rf"{_GRADE_WORDS}(?=\s*(?:\n|$|[.,;:]|because))",
    re.I,
)
_INFO_HEADING_RE = re.compile(r"^Information about this inspection$", re.I)

# "Lead inspector: X", "Lead inspectors: X and Y", "Lead inspector on site: X": the label
# (and any qualifier before its colon) must never become part of the name.
_LEAD_RE = re.compile(r"^Lead (?:social care )?inspectors?(?:\s+on\s+site)?\s*:?\s*(.*)$", re.I)
_INSPECTORS_WERE_RE = re.compile(
    r"inspectors? for this visit (?:were|was)\s+([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)+)"
)
_NAME_SUFFIX_RE = re.compile(
    rf"\s*(?:[,;(].*|\s(?:and|&)\s.*|\b(?:Senior\s+)?HMI\b.*|\b(?:Her|His) Majesty{_Q}?s"
    rf"\s+Inspector.*|\b(?:Senior\s+)?(?:Ofsted|Social Care Regulatory) Inspector.*)$",
    re.I,
)

_ILACS_AFI_HEADING_RE = re.compile(r"^What needs to improve\b.{0,60}$", re.I)
_VISIT_AFI_HEADING_RE = re.compile(
    r"^(?:Areas? for priority action|Areas? for improvement|What needs to improve\b.{0,60})\s*:?$",
    re.I,
)
_SIF_AFI_HEADING_RE = re.compile(
    r"^(?:Recommendations|Areas for improvement|Priority and immediate action|"
    r"Areas for priority action|What does the local authority need to improve\??)\s*:?$",
    re.I,
)
# Bullets come out as symbols, private-use glyphs (Wingdings) or unmapped "(cid:N)" codes.
_BULLET_RE = re.compile(
    r"^(?:[•‣⁃∙·▪▫■□●○◦◼◻◾◽➢➤►▶✓✔§\uf000-\uf8ff]|\(cid:\d+\))\s*|^[o\-–—*]\s+"
)
_NUMBER_RE = re.compile(r"^(\d{1,2})[.)]\s*(?=\S)")

_REPORT_MARKERS_RE = re.compile(
    rf"ofsted|inspection dates?\s*:|reporting inspector|children{_Q}s (?:social care )?services|local safeguarding children|"
    r"focused visit|monitoring visit|joint targeted area inspection|lead inspector",
    re.I,
)


def _clean(text: str) -> str:
    """Whitespace and ligature clean-up that keeps the report's own punctuation."""
    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    for ligature, letters in (("ﬀ", "ff"), ("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("ﬄ", "ffl")):
        text = text.replace(ligature, letters)
    return re.sub(r"\s+", " ", text).strip()


def _grade_code(text: str) -> str | None:
    """Map a grade phrase ("Requires Improvement to be good", "Good") to its code."""
    match = _GRADE_RE.fullmatch(re.sub(r"[^a-z]+", " ", text.lower()).strip())
    if not match:
        return None
    word = match.group(1)
    return word if word in ("outstanding", "good", "inadequate") else "requires_improvement"


def _area_code(label: str) -> str | None:
    label = re.sub(r"\s+", " ", label.lower())
    return next((code for code, pattern in _AREAS if re.search(pattern, label)), None)


# --- Layout: lines, rows and cells -----------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    """A run of text on one baseline, as pdfminer laid it out (split at wide gaps)."""

    x0: float
    x1: float
    y0: float
    y1: float
    text: str
    letters: int = 0  # how many letters, and how many of them are set in a bold face
    bold_letters: int = 0
    plain: str = ""  # the text without superscript figures (footnote markers)


@dataclass(frozen=True)
class _Row:
    """One visual line of a page: every text line on the same baseline, left to right."""

    page: int
    x0: float
    y0: float
    y1: float
    text: str
    bold: bool = False
    plain: str = ""  # the text without footnote markers (superscript figures)


def _split_line(item: LTTextLineHorizontal) -> list[_Line]:
    """Split a pdfminer line at wide gaps. pdfminer joins a table label and its grade into one
    line when the columns are close ("... care leavers Outstanding"); splitting costs the body
    text nothing, as rows are rebuilt by baseline."""
    # Characters and the spaces pdfminer put between them both keep their text in _text (what
    # their get_text() returns): read directly, as this runs once a character of every page.
    pieces: list[list] = []
    everyone = []  # the line's letters
    last = None
    for child in item:
        if isinstance(child, LTChar):
            if last is None or child.x0 - last.x1 > 0.8 * last.size:
                pieces.append([])
            last = child
            if child._text.isalpha():
                everyone.append(child)
        if pieces:
            pieces[-1].append(child)
    lines = []
    # A footnote marker may stand apart from its line's words: it is judged against them all.
    superscript = _Superscript(everyone)
    for piece in pieces:
        chars = [c for c in piece if isinstance(c, LTChar)]
        letters = [c for c in chars if c._text.isalpha()]
        bold = sum(1 for c in letters if _bold_font(c.fontname))
        text = "".join([c._text for c in piece])
        x1 = max(c.x1 for c in chars)
        plain = superscript.without(piece, text)
        lines.append(_Line(chars[0].x0, x1, item.y0, item.y1, text, len(letters), bold, plain))
    return lines


@functools.cache
def _bold_font(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy", fontname, re.I))


class _Superscript:
    """Tells footnote markers in a line: figures set smaller than the line's letters and raised
    above them. The letters' median size and baseline are worked out once a line, and only when
    a piece of it has a figure."""

    def __init__(self, letters: list[LTChar]):
        self._letters = letters
        self._measures: tuple[float, float] | None = None

    def without(self, piece: list, text: str) -> str:
        """The piece's text (`text`) without its footnote markers."""
        # A character that is a figure puts a figure in the text: most pieces have none.
        if not self._letters or not any(map(str.isdigit, text)):
            return text
        if self._measures is None:
            self._measures = (
                statistics.median(c.size for c in self._letters),
                statistics.median(c.y0 for c in self._letters),
            )
        size, base = self._measures
        return "".join(
            c.get_text()
            for c in piece
            if not (
                isinstance(c, LTChar)
                and c.get_text().isdigit()
                and c.size < 0.8 * size
                and c.y0 > base + 0.2 * size
            )
        )


def _walk_lines(item) -> Iterator[LTTextLineHorizontal]:
    if isinstance(item, LTTextLineHorizontal):
        yield item
    elif hasattr(item, "__iter__"):
        for child in item:
            yield from _walk_lines(child)


def _group_rows(lines: list[_Line], page: int) -> list[_Row]:
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: -(ln.y0 + ln.y1)):
        first = rows[-1][0] if rows else None
        if first and min(first.y1, line.y1) - max(first.y0, line.y0) >= 0.5 * min(
            first.y1 - first.y0, line.y1 - line.y0
        ):
            rows[-1].append(line)
        else:
            rows.append([line])
    result = []
    for parts in rows:
        parts.sort(key=lambda ln: ln.x0)
        text = _clean(" ".join(p.text for p in parts))
        plain = _clean(" ".join(p.plain for p in parts))
        bold = 2 * sum(p.bold_letters for p in parts) > sum(p.letters for p in parts)
        y0, y1 = min(p.y0 for p in parts), max(p.y1 for p in parts)
        result.append(_Row(page, parts[0].x0, y0, y1, text, bold, plain))
    return result


def _drop_page_furniture(rows: list[_Row], height: float) -> list[_Row]:
    """Remove running footers, page numbers and footnotes that interleave with the body text.

    Ofsted footers and page numbers sit below the lowest body line (6.5% of the page height);
    footnotes sit in the bottom band in a smaller type than the body.
    """
    if not rows:
        return rows
    body = statistics.median(r.y1 - r.y0 for r in rows)
    kept = []
    for row in rows:
        in_margin = row.y1 < 0.065 * height or row.y0 > 0.95 * height
        in_band = row.y1 < 0.1 * height or row.y0 > 0.92 * height
        footnote = row.y1 < 0.15 * height and (row.y1 - row.y0) < 0.8 * body
        if not (in_margin or footnote or (in_band and row.text.isdigit())):
            kept.append(row)
    return kept


def _cell_groups(lines: list[_Line]) -> list[list[_Line]]:
    """A table column's lines grouped into cells (lines less than about half a line apart)."""
    cells: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: -ln.y1):
        if cells and cells[-1][-1].y0 - line.y1 < 0.6 * (line.y1 - line.y0):
            cells[-1].append(line)
        else:
            cells.append([line])
    return cells


def _cell(lines: list[_Line]) -> tuple[float, float, str]:
    return lines[0].y1, lines[-1].y0, _clean(" ".join(ln.text for ln in lines))


def _cells(lines: list[_Line]) -> list[tuple[float, float, str]]:
    """Group a table column's lines into cells as (top, bottom, text)."""
    return [_cell(group) for group in _cell_groups(lines)]


def _grade_cells(lines: list[_Line]) -> list[tuple[float, float, str]]:
    """The grade column's cells. Two-line grades in rows set close together ("requires" /
    "improvement" twice) run into one cell: such a cell is cut after each complete grade,
    unless the next line finishes it ("to be good")."""
    result = []
    for group in _cell_groups(lines):
        if len(group) == 1 or _grade_code(_cell(group)[2]):
            result.append(_cell(group))
            continue
        current: list[_Line] = []
        for index, line in enumerate(group):
            current.append(line)
            following = group[index + 1].text.strip().lower() if index + 1 < len(group) else ""
            if _grade_code(_cell(current)[2]) and not following.startswith("to be"):
                result.append(_cell(current))
                current = []
        if current:
            result.append(_cell(current))
    return result


class _Pdf:
    """An opened PDF whose pages are laid out on first use and kept."""

    def __init__(self, data: bytes):
        try:
            document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
            self._pages = list(PDFPage.create_pages(document))
        except PDFEncryptionError as error:  # includes PDFPasswordIncorrect
            raise ReportParseError(ENCRYPTED) from error
        except Exception as error:  # pdfminer raises many types on malformed input
            raise ReportParseError(DAMAGED) from error
        manager = PDFResourceManager(caching=True)
        # boxes_flow=None: rows are rebuilt from positions here, so pdfminer's ordering of text
        # boxes (a costly clustering) is not needed; the lines it finds are the same.
        self._device = FastPageAggregator(manager, laparams=LAParams(boxes_flow=None))
        self._interpreter = FastPageInterpreter(manager, self._device)
        self._layouts: dict[int, tuple[list[_Line], float, float]] = {}
        self._rows: dict[int, list[_Row]] = {}

    def __len__(self) -> int:
        return len(self._pages)

    def laid_out(self) -> list[int]:
        return sorted(self._layouts)

    def _layout(self, index: int) -> tuple[list[_Line], float, float]:
        if index not in self._layouts:
            try:
                self._interpreter.process_page(self._pages[index])
                page = self._device.get_result()
            except Exception as error:
                raise ReportParseError(DAMAGED) from error
            lines = [ln for item in _walk_lines(page) for ln in _split_line(item)]
            lines = [ln for ln in lines if ln.text.strip()]
            self._layouts[index] = (lines, page.width, page.height)
        return self._layouts[index]

    def lines(self, index: int) -> tuple[list[_Line], float]:
        lines, width, _ = self._layout(index)
        return lines, width

    def rows(self, index: int) -> list[_Row]:
        if index not in self._rows:
            lines, _, height = self._layout(index)
            self._rows[index] = _drop_page_furniture(_group_rows(lines, index), height)
        return self._rows[index]

    def links(self, pages: range) -> Iterator[str]:
        """The web addresses the pages link to (their link annotations)."""
        found: list[str] = []
        for index in pages:
            try:
                for annotation in resolve1(self._pages[index].annots) or []:
                    action = resolve1(resolve1(annotation).get("A"))
                    uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
                    if isinstance(uri, bytes):
                        found.append(uri.decode("latin-1").strip())
            except Exception:  # noqa: S112 - a damaged link must not stop the report being read
                continue
        yield from found

    def text(self, index: int) -> str:
        return "\n".join(row.text for row in self.rows(index))

    def rows_from(self, pages: range) -> Iterator[_Row]:
        for index in pages:
            if index < len(self):
                yield from self.rows(index)


# --- Title fields ----------------------------------------------------------------------------


def _date_tokens(text: str, pos: int = 0) -> list[tuple[int, int | None, int | None]]:
    """The run of dates that starts at `pos` (day, month or None, year or None), up to the first
    thing that is neither a date nor a joining word."""
    tokens = []
    while True:
        weekday = _WEEKDAY_RE.match(text, pos)  # "Monday 14 May 2018"
        pos = weekday.end() if weekday else pos
        match = _DATE_TOKEN_RE.match(text, pos)
        if not match:
            break
        if match.group(1):
            year = int(match.group(3))
            tokens.append((int(match.group(1)), int(match.group(2)), year + 2000 * (year < 100)))
        else:
            month = match.group(5) and _MONTH_NUMBER.get(
                next(m for m in _MONTH_NUMBER if m.startswith(match.group(5).lower()[:3]))
            )
            tokens.append((int(match.group(4)), month, int(match.group(6) or 0) or None))
        pos = match.end()
        join = _DATE_JOIN_RE.match(text, pos)
        if not join:
            break
        pos = join.end()
    # A run ends at its last complete date ("... to 8 March 2024 2 Ofsted" has a page number).
    while tokens and not (tokens[-1][1] and tokens[-1][2]):
        tokens.pop()
    return tokens


def _to_dates(tokens: list[tuple[int, int | None, int | None]]) -> tuple[date, date] | None:
    """Start and end from a run of dates: the start takes its missing month and year from the
    end ("20 to 24 February 2023"; "29 December to 9 January 2015" starts the year before)."""
    if not tokens:
        return None
    (d1, m1, y1), (d2, m2, y2) = tokens[0], tokens[-1]
    # The start takes what it lacks from the next date that has it: "5 to 9 December 2022 and
    # 14 to 15 February 2023" (an inspection in two parts) starts on 5 December 2022.
    m1 = m1 or next(t[1] for t in tokens[1:] if t[1])
    y1 = y1 or next(t[2] - (m1 > t[1]) for t in tokens[1:] if t[1] and t[2])
    start_month, start_year = m1, y1
    try:
        start, end = date(start_year, start_month, d1), date(y2, m2, d2)
    except ValueError:
        return None
    return (start, end) if start <= end and (end - start).days < 120 else None


def _inspection_dates(text: str) -> tuple[date, date] | None:
    """Dates from the 'Inspection dates:' line, else from a visit letter's '... visit to X on',
    else the first run of two or more dates on the page."""
    for label in (*_DATES_LABEL_RE.finditer(text), *_VISIT_ON_RE.finditer(text)):
        dates = _to_dates(_date_tokens(text, label.end()))
        if dates:
            return dates
    for match in re.finditer(r"(?<![\d/])\d", text):
        tokens = _date_tokens(text, match.start())
        if len(tokens) >= 2 and (dates := _to_dates(tokens)):
            return dates
    return None


def _published(text: str) -> date | None:
    """Only SIF reports print 'Report published:'; ILACS reports carry no publication date."""
    for label in _PUBLISHED_LABEL_RE.finditer(text):
        tokens = _date_tokens(text, label.end())
        if tokens and (dates := _to_dates(tokens[-1:])):
            return dates[0]
    return None


def _title(rows: list[_Row]) -> str:
    """The report's title: the rows of page 1 above its dates (or lead inspector) line."""
    title = []
    for row in rows[:10]:
        if _DATES_LABEL_RE.match(row.text) or re.match(
            r"(?:lead|reporting) inspector|report published|published\s*:", row.text, re.I
        ):
            break
        title.append(row.text)
    return _clean(" ".join(title))


_SIF_TITLE_RE = re.compile(
    r"services for children in need of help and protection|children looked after and care leavers",
    re.I,
)
_ILACS_TITLE_RE = re.compile(
    rf"local authority children{_Q}s services|children{_Q}s social care services", re.I
)
_LSCB_TITLE_RE = re.compile(r"review of the effectiveness of the local safeguarding", re.I)
_LAC_TITLE_RE = re.compile(
    r"^(?:.{0,80}\b)?inspection of (?:safeguarding and )?looked after children(?:'s)? services",
    re.I,
)
_VISIT_RE = re.compile(
    r"(?:^|findings of (?:the|a|our) )(focused|monitoring) visit (?:to|of)\b", re.I | re.M
)

LSCB_ONLY = (
    "This is a review of the Local Safeguarding Children Board on its own, not an inspection of "
    "the local authority's children's services: the tracker records inspections, so nothing "
    "was imported"
)
LAC_INSPECTION = (
    "This is an inspection of looked after children services (2012 to 2013, before the single "
    "inspection framework): the tracker records SIF and ILACS inspections and visits, so nothing "
    "was imported"
)
SAFEGUARDING_INSPECTION = (
    "This is an inspection of safeguarding and looked after children services (before the "
    "single inspection framework of November 2013): the tracker records SIF and ILACS "
    "inspections and visits, so nothing was imported"
)


def _report_kind(title: str, head: str) -> str:
    """What the report is, from its title and structure, never from a phrase in its text (an
    ILACS summary may mention an earlier JTAI or focused visit): 'jtai', 'focused_visit',
    'monitoring_visit', 'sif', 'ilacs', or '' when the title does not say. Raises
    ReportParseError for the kinds the tracker does not record."""
    if re.search(r"joint targeted area inspection", title, re.I):
        return "jtai"
    # Newer letters open with the visit as their title ("Focused visit to X local authority
    # children's services"), which also names the services an inspection title names.
    visit_title = _VISIT_RE.match(title)
    if visit_title:
        return f"{visit_title.group(1).lower()}_visit"
    if _LAC_TITLE_RE.search(title):
        raise ReportParseError(
            SAFEGUARDING_INSPECTION
            if re.search("safeguarding and", title, re.I)
            else LAC_INSPECTION
        )
    if _SIF_TITLE_RE.search(title):
        return "sif"
    if _LSCB_TITLE_RE.search(title):
        raise ReportParseError(LSCB_ONLY)
    if _ILACS_TITLE_RE.search(title) or re.match(r"^(?:re-?)?inspection of\b", title, re.I):
        return "ilacs"
    # Letters open with an address and a date: the visit is named in a heading or the first
    # sentence ("This letter summarises the findings of the focused visit to ...").
    match = _VISIT_RE.search(head[:3000])
    if match:
        return f"{match.group(1).lower()}_visit"
    if re.search(
        r"^joint targeted area inspection|findings of (?:a|the) joint targeted", head, re.I | re.M
    ):
        return "jtai"
    return ""


def _ilacs_type(title: str, start: date, end: date) -> str:
    """ILACS reports rarely name their type: a short inspection is one week on site, a
    standard one two weeks."""
    stated = re.search(r"\b(short|standard) inspection\b", title, re.I)
    if stated:
        return stated.group(1).lower()
    return "short" if (end - start).days <= 6 else "standard"


def _authority(rows: list[_Row]) -> str | None:
    title, page = ("\n".join(row.text for row in part) for part in (rows[:6], rows))
    services = rf"(?:\s+local\s+authority)?\s+children{_Q}s\s+(?:social\s+care\s+)?services"
    for pattern, text in (
        # "Inspection of local authority children's services" names no authority: the name is
        # above the title then.
        (
            rf"^(?:Re-?)?Inspection\s+of\s+(?!children|local\s+authority\b)(.{{1,80}}?){services}",
            title,
        ),
        (rf"(?:focused|monitoring)\s+visit\s+(?:to|of|at)\s+(.{{1,80}}?){services}", page),
    ):
        match = re.search(pattern, text, re.I | re.M | re.S)
        if match:
            return _clean(match.group(1))
    # Older reports put the authority's name alone above the title.
    for index, row in enumerate(rows[:6]):
        if re.match(r"^(?:Re-?inspection|Inspection|Review) of\b", row.text, re.I):
            above = [r.text for r in rows[:index]]
            if 1 <= len(above) <= 2 and not any(re.search(r"\d", t) for t in above):
                return " ".join(above)
            break
    return None


_PLACE = r"([A-Z][\w’'&-]*(?:,?\s+(?:[A-Z][\w’'&-]*|and|upon|on|of|the|with))*)"


def _jtai_authority(title: str, head: str) -> str | None:
    """A JTAI letter names the area at the end of its title or first sentence: "... response to
    children who need help in Exampleton"."""
    for text in (title, head[:2000]):
        match = re.search(
            rf"joint targeted area inspection\b.{{0,250}}?\bin\s+{_PLACE}\s*(?:\(|\.|$)",
            _clean(text),
        )
        if match:
            return match.group(1)
    return None


def _clean_name(raw: str) -> str | None:
    return _NAME_SUFFIX_RE.sub("", raw).strip(" :;.-") or None


def _lead_inspector(rows: list[_Row]) -> str | None:
    for index, row in enumerate(rows):
        match = _LEAD_RE.match(row.text)
        if match:  # the name may sit on the next row, beside the label's cell
            rest = match.group(1) or (rows[index + 1].text if index + 1 < len(rows) else "")
            return _clean_name(rest)
    return None


def _letter_signatory(rows: list[_Row]) -> str | None:
    for index, row in enumerate(rows[:-1]):
        if re.match(r"^Yours sincerely", row.text, re.I):
            return _clean_name(rows[index + 1].text)
    match = _INSPECTORS_WERE_RE.search(" ".join(row.text for row in rows))
    return _clean_name(match.group(1)) if match else None


# --- Judgements ------------------------------------------------------------------------------


def _table_judgements(lines: list[_Line], page_width: float) -> dict[str, str]:
    """Pair each grade cell with the judgement label level with it.

    Labels wrap over several lines and so do grades ("Requires improvement" / "to be good"),
    and pdfminer emits the cells in no useful order, so cells are matched on position: each
    label takes the nearest unclaimed grade whose centre lies within the label's height.
    """
    starts = [ln for ln in lines if ln.x0 > 0.3 * page_width and _GRADE_RE.match(ln.text.strip())]
    if not starts:
        return {}
    # The grade column is where most grade-like lines start.
    column = statistics.mode(round(ln.x0) for ln in starts) - 3
    grades = [
        ((top + bottom) / 2, code)
        for top, bottom, text in _grade_cells([ln for ln in lines if ln.x0 >= column])
        if (code := _grade_code(text))
    ]
    labels = [
        ((top + bottom) / 2, top - bottom, area)
        for top, bottom, text in _cells([ln for ln in lines if ln.x1 <= column + 6])
        if (area := _area_code(text))
    ]
    pairs = sorted(
        (abs(lc - gc), li, gi)
        for li, (lc, height, _) in enumerate(labels)
        for gi, (gc, _) in enumerate(grades)
        if abs(lc - gc) <= height
    )
    result: dict[str, str] = {}
    claimed: set[int] = set()
    for _, li, gi in pairs:
        area = labels[li][2]
        if area not in result and gi not in claimed:
            claimed.add(gi)
            result[area] = grades[gi][1]
    return result


def _heading_judgements(text: str) -> dict[str, str]:
    """ILACS grades from the section headings ('... children in care: requires improvement to
    be good'), for when the judgement table cannot be read."""
    grade = _GRADE_RE.pattern.replace(" ", r"\s+")
    result = {}
    for code, heading in _ILACS_HEADINGS:
        pattern = rf"^{heading.replace(' ', r'\s+')}\s*(?:is|are)?\s*:?\s*{grade}[ \t]*$"
        match = re.search(pattern, text, re.I | re.M)
        if match:
            result[code] = _grade_code(match.group(1))
    return result


def _lscb_grade(pdf: _Pdf, first: int) -> str | None:
    """The LSCB judgement stated at the head of its section (on its first page or the next)."""
    text = ""
    for index in range(first, min(first + 2, len(pdf))):
        text += "\n" + pdf.text(index)
        match = _LSCB_GRADE_RE.search(text)
        if match:
            return _grade_code(match.group(1))
    return None


# --- Improvement lists -----------------------------------------------------------------------


def _join_lines(parts: list[str]) -> str:
    """Join wrapped lines; a line ending in a word-hyphen ("extra-") continues without a space."""
    text = ""
    for part in parts:
        text += part if re.search(r"[A-Za-z]-$", text) or not text else " " + part
    return _clean(text)


def _next_marker(marker: re.Match, number: int) -> bool:
    """Bullets always start an item; a number must follow the last one (any number may open a
    list: SIF lists can carry their numbering on under a second heading)."""
    return not marker.groups() or number == 0 or int(marker.group(1)) == number + 1


def _paragraph_break(previous: _Row, row: _Row) -> bool:
    if previous.page != row.page:
        return previous.text.endswith(".")
    return previous.y0 - row.y1 > 0.5 * (row.y1 - row.y0)


_NO_ITEMS_RE = re.compile(
    r"^(?:the )?(?:inspection|inspectors) (?:did not|found no|has not)\b.{0,80}"
    r"(?:priority|immediate|areas? for)|^there (?:are|were) no (?:areas? for )?(?:priority|immediate)",
    re.I,
)
# The headings of the sections that follow a list, which its numbering may run on into.
_NOT_A_THEME_RE = re.compile(
    r"strengths|summary|information about|judgements? (?:mean|about)|local safeguarding", re.I
)
_THEME_HEADING_MAX = 120  # characters: a theme sub-heading is a short phrase, never a sentence


class _Peekable:
    """An iterator of rows that can take one row back (to look at the row after a heading)."""

    def __init__(self, rows: Iterator[_Row]):
        self._rows = rows
        self._back: list[_Row] = []

    def __iter__(self):
        return self

    def __next__(self) -> _Row:
        return self._back.pop() if self._back else next(self._rows)

    def push(self, row: _Row) -> None:
        self._back.append(row)


def _item_texts(head: list[str], subs: list[list[str]]) -> list[str]:
    """One numbered or bulleted item with its indented sub-bullets. A short head without a
    colon ("1. Quality and effectiveness of practice") is a theme sub-heading over the
    recommendations in its sub-bullets, which are the items; a head ending in a colon ("Strengthen
    managers' oversight of:") is a sentence the sub-bullets finish, so they stay one item."""
    text = _join_lines(head)
    if subs and not text.endswith(":") and len(text) <= _THEME_HEADING_MAX:
        return [_join_lines(sub) for sub in subs]
    return [_join_lines(head + [line for sub in subs for line in sub])]


def _starts_group(row: _Row, rows: _Peekable, left: float | None, theme_left: float | None) -> bool:
    """Whether `row` is a theme sub-heading ("Leadership, management and governance") over the
    numbered or bulleted items that follow it: a short phrase with no full stop, level with the
    earlier themes (or not right of the list's edge), and the next row starts an item at the
    list's edge, level with the theme or indented under it."""
    if len(row.text) > _THEME_HEADING_MAX or row.text.endswith((".", ":")):
        return False
    if theme_left is not None and abs(row.x0 - theme_left) > 3:
        return False
    if left is not None and row.x0 > left + 3:
        return False
    following = next(rows, None)
    if following is None:
        return False
    rows.push(following)
    starts = _BULLET_RE.match(following.text) or _NUMBER_RE.match(following.text)
    at_edge = left is None or abs(following.x0 - left) <= 3
    under = -3 <= following.x0 - row.x0 <= 40
    return bool(starts) and at_edge and under and following.bold == row.bold


def _collect_items(rows: _Peekable, plain: bool) -> tuple[list[str], _Row | None]:
    """Read the bulleted or numbered list that starts on the next row.

    An item starts with a bullet, or the next number, at the list's left edge; indented rows
    continue it; anything else (the next heading: back at the edge, or in another weight) ends
    the list, except a short theme sub-heading in bold with more of the list after it. With
    `plain`, a list whose bullets are drawn as shapes (no glyph in the text) is read as
    paragraphs split by their spacing. Returns the items and the row that ended it.
    """
    # Each item: its own lines, and the lines of each indented sub-bullet under it.
    items: list[tuple[list[str], list[list[str]]]] = []
    left = bold = previous = None
    number = 0
    themed = ""  # the weight of the list's theme sub-headings, once it has one
    theme_left = None
    for row in rows:
        marker = _BULLET_RE.match(row.text) or _NUMBER_RE.match(row.text)
        if bold is not None and row.bold != bold:
            # A theme sub-heading between groups of the same list: bold, short, no marker, at
            # the list's edge, and the next row starts an item there.
            theme = row.bold and not marker and len(row.text) <= _THEME_HEADING_MAX
            theme = theme and themed == "bold" and not _NOT_A_THEME_RE.search(row.text)
            if theme and theme_left is not None and abs(row.x0 - theme_left) <= 3:
                following = next(rows, None)
                if following is not None:
                    rows.push(following)
                    starts = _BULLET_RE.match(following.text) or _NUMBER_RE.match(following.text)
                    if starts and abs(following.x0 - left) <= 3 and following.bold == bold:
                        number = 0  # numbering may restart under each theme
                        continue
            break
        bold = row.bold
        at_edge = left is not None and row.x0 <= left + 3
        # A list grouped under theme sub-headings opens with one; only then is a later short
        # line between items another theme, not the next section's heading.
        if (
            not marker
            and (themed or not items)
            and not _NOT_A_THEME_RE.search(row.text)
            and _starts_group(row, rows, left, theme_left)
        ):
            themed = themed or ("bold" if row.bold else "plain")
            theme_left = row.x0
            number = 0  # numbering may restart under each theme
            continue
        if marker and (left is None or at_edge) and _next_marker(marker, number):
            left = row.x0 if left is None else left
            number = int(marker.group(1)) if marker.groups() else number
            items.append(([row.text[marker.end() :]], []))
        elif items and left is not None and row.x0 > left + 3:
            # A wrapped line, or a sub-bullet that belongs to the item above.
            if marker and _BULLET_RE.match(row.text):
                items[-1][1].append([row.text[marker.end() :]])
            elif items[-1][1] and row.x0 > left + 3:
                items[-1][1][-1].append(row.text)
            else:
                items[-1][0].append(row.text[marker.end() :] if marker else row.text)
        elif plain and not (marker or row.bold) and (left is None or abs(row.x0 - left) <= 3):
            left = row.x0
            if previous is None or _paragraph_break(previous, row):
                items.append(([], []))
            items[-1][0].append(row.text)
        else:
            break
        previous = row
    else:
        row = None
    texts = [text for head, subs in items for text in _item_texts(head, subs)]
    # "The inspection did not find any areas for priority action" says there are none.
    return [text for text in texts if text and not _NO_ITEMS_RE.match(text)], row


def _headed_lists(pdf: _Pdf, heading: re.Pattern, pages: range, every: bool = False) -> list[str]:
    """Items of the first list headed by `heading` in `pages`, with any headed lists straight
    after it (SIF: 'Priority and immediate action' then 'Areas for improvement'), or of every
    such list when `every`. A heading with no list under it (a contents entry) is passed over;
    the LSCB section ends the search, as its recommendations are not the local authority's.
    """
    rows = _Peekable(pdf.rows_from(pages))
    items: list[str] = []
    for row in rows:
        while row is not None and heading.match(row.text):
            # Only a real (bold) heading may head an unmarked list: not a contents entry.
            found, row = _collect_items(rows, plain=row.bold)
            items.extend(found)
        if (items and not every) or (row is not None and _LSCB_HEADING_RE.match(row.text)):
            break
    return items


def _contents(pdf: _Pdf) -> list[tuple[str, int]]:
    """Entries of a SIF report's contents page as (title, printed page number)."""
    for index in range(min(6, len(pdf))):
        rows = pdf.rows(index)
        if any(re.fullmatch(r"contents", row.text, re.I) for row in rows):
            entries = (re.fullmatch(r"(.*?\D)\s*(\d{1,3})", row.text) for row in rows)
            return [(m.group(1).strip(), int(m.group(2))) for m in entries if m]
    return []


def _section_page(pdf: _Pdf, contents: list[tuple[str, int]], heading: re.Pattern) -> int | None:
    """Index of the page where the first contents entry matching `heading` starts, checked
    against the page itself (printed page numbers normally count the cover as 1)."""
    printed = next((number for title, number in contents if heading.match(title)), None)
    if printed is None:
        return None
    for index in (printed - 1, printed - 2, printed):
        if 0 <= index < len(pdf) and _has_heading(pdf.rows(index), heading):
            return index
    return None


def _has_heading(rows: list[_Row], heading: re.Pattern) -> bool:
    """Whether a row, or a row joined to the next (a heading split over two lines), matches."""
    return any(
        heading.match(row.text)
        or (index + 1 < len(rows) and heading.match(f"{row.text} {rows[index + 1].text}"))
        for index, row in enumerate(rows)
    )


# --- Report kinds ----------------------------------------------------------------------------

_Found = tuple[dict[str, str], list[str], str | None]  # judgements, improvements, lead inspector


def _parse_visit(pdf: _Pdf) -> _Found:
    afis = _headed_lists(pdf, _VISIT_AFI_HEADING_RE, range(len(pdf)), every=True)
    rows = list(pdf.rows_from(range(len(pdf))))
    return {}, afis, _lead_inspector(rows) or _letter_signatory(rows)


def _parse_ilacs(pdf: _Pdf, framework: str) -> _Found:
    judgements: dict[str, str] = {}
    wanted = _ILACS_AREA_COUNT.get(framework, 4)
    for index in range(min(2, len(pdf))):
        # The table may start on the second page, or run on to it.
        judgements = _table_judgements(*pdf.lines(index)) | judgements
        if len(judgements) >= wanted:
            break
    # Reading every page is slow, so the section headings are only consulted when the table
    # gave fewer grades than the framework has.
    if len(judgements) < _ILACS_AREA_COUNT.get(framework, 1):
        everything = "\n".join(pdf.text(i) for i in range(len(pdf)))
        judgements = _heading_judgements(everything) | judgements
    afis = _headed_lists(pdf, _ILACS_AFI_HEADING_RE, range(6))
    return judgements, afis, _lead_inspector(pdf.rows(0))


_SIF_TABLE_AREAS = 5  # help and protection, looked after (adoption, care leavers), leadership


def _parse_sif(pdf: _Pdf, head: str) -> _Found:
    judgements = _table_judgements(*pdf.lines(0))
    if len(judgements) < _SIF_TABLE_AREAS and len(pdf) > 1:
        # The grades table runs on to the second page in some reports.
        judgements = _table_judgements(*pdf.lines(1)) | judgements
    # The overall judgement is a sentence: "Children's services in X require improvement ..."
    overall = _SIF_OVERALL_RE.search(head)
    if overall:
        judgements["overall_effectiveness"] = _grade_code(overall.group(1))
    contents = _contents(pdf)
    afi_page = _section_page(pdf, contents, _SIF_AFI_HEADING_RE) or 0
    afis = _headed_lists(pdf, _SIF_AFI_HEADING_RE, range(afi_page, afi_page + 20))
    # Combined reports review the LSCB too; the first page says so.
    has_lscb = bool(re.search(r"Local\s+Safeguarding\s+Children", head, re.I))
    # The board's grade is stated in the summary on page 1 in most reports; else its section.
    lscb = (match := _LSCB_GRADE_RE.search(head)) and _grade_code(match.group(1))
    has_lscb = has_lscb and not lscb
    lscb_page = _section_page(pdf, contents, _LSCB_HEADING_RE) if has_lscb else None
    info_page = _section_page(pdf, contents, _INFO_HEADING_RE)
    lead = _lead_inspector(pdf.rows(0))
    if info_page is not None:
        lead = lead or _lead_inspector(list(pdf.rows_from(range(info_page, info_page + 2))))
    # Without a usable contents page, read backwards from the end (the team is listed last).
    for index in range(len(pdf) - 1, 0, -1):
        if lead and (lscb_page is not None or not has_lscb):
            break
        rows = pdf.rows(index)
        lead = lead or _lead_inspector(rows)
        if has_lscb and lscb_page is None and _has_heading(rows, _LSCB_HEADING_RE):
            lscb_page = index
    if lscb_page is not None:
        lscb = _lscb_grade(pdf, lscb_page)
    if lscb:
        judgements["lscb"] = lscb
    return judgements, afis, lead


# --- Ofsted's own words ------------------------------------------------------------------------

_SUMMARY_HEADING_RE = re.compile(
    r"^(?:Executive summary|Summary of (?:key )?findings|Headline findings|Main findings)\s*:?$",
    re.I,
)
_SUMMARY_MAX = 8000  # characters: a summary is a page or two, never the whole report


def _paragraphs(rows: Iterator[_Row]) -> str:
    """The body text from the next row up to the next heading (a bold row), as plain text with
    a blank line between paragraphs."""
    paragraphs: list[list[str]] = []
    previous = None
    for row in rows:
        # A bold lead-in ("Children's services in X require improvement because:") is part of
        # the text; a bold row after the text has begun is the next heading.
        lead_in = not paragraphs or (previous is not None and previous.bold)
        if row.bold and not lead_in and not row.text.rstrip().endswith((":", "because")):
            break
        bullet = _BULLET_RE.match(row.text)
        if previous is None or bullet or _paragraph_break(previous, row):
            paragraphs.append([])
        paragraphs[-1].append(row.text[bullet.end() :] if bullet else row.text)
        previous = row
        if sum(len(t) for p in paragraphs for t in p) > _SUMMARY_MAX:
            break
    return "\n\n".join(_join_lines(lines) for lines in paragraphs)


def _summary(pdf: _Pdf, framework: str, kind: str) -> str:
    """Ofsted's headline summary: the section so headed (SIF reports, some letters), else in ILACS
    reports the paragraphs between the grades table and the first heading."""
    # Only the pages already laid out (and the first two): laying out more costs time, and the
    # summary comes first.
    pages = set(pdf.laid_out()) | {0, 1}
    if framework.startswith("SIF"):
        # The contents page (already read) gives the summary's page.
        start = _section_page(pdf, _contents(pdf), _SUMMARY_HEADING_RE)
        pages |= {2} if start is None else {start}
    for index in sorted(pages):
        if index >= min(6, len(pdf)):
            break
        rows = pdf.rows(index)
        for position, row in enumerate(rows):
            if row.bold and _SUMMARY_HEADING_RE.match(row.text):
                following = iter(rows[position + 1 :])
                return _paragraphs(
                    itertools.chain(following, pdf.rows_from(range(index + 1, index + 3)))
                )
    if not framework.startswith("ILACS") or kind != "ilacs":
        return ""
    rows = pdf.rows(0)
    graded = [
        i
        for i, row in enumerate(rows)
        if _GRADE_RE.search(row.text)
        and re.search(rf"{_GRADE_WORDS}$", row.text, re.I)
        and (
            _area_code(row.text)
            or _grade_code(row.text)
            or re.search("effectiveness", row.text, re.I)
        )
    ]
    if not graded:
        return ""
    after = rows[graded[-1] + 1 :]
    text = _paragraphs(itertools.chain(iter(after), pdf.rows_from(range(1, 2))))
    # The second line of the table's last label ("leavers") can sit below its grade.
    first, _, rest = text.partition("\n\n")
    return rest if len(first) < 40 and not first.endswith(".") else text


def _web_address(pdf: _Pdf) -> str:
    """The report's own address on Ofsted's site, where the file links it (the printed
    addresses are links too): never Ofsted's home page or its general publications page. Read
    from the link annotations, which costs nothing, rather than by laying out more pages."""
    for uri in pdf.links(range(max(0, len(pdf) - 2), len(pdf))):
        match = re.match(r"https?://((?:[\w-]+\.)*ofsted\.gov\.uk)(/\S*)?$", uri, re.I)
        path = (match.group(2) or "").strip("/") if match else ""
        if path and not re.fullmatch(r"(?:government/organisations/)?ofsted", path, re.I):
            return uri
    return ""


# --- What the report says about each judgement area ----------------------------------------------

# The section headings, matched against a heading's words once its grade is taken out. ILACS
# headings carry the grade ("... children in care: good"); SIF headings set it beside the title
# (or part of it: "Requires improvement" beside, "to be good" under), and SIF's two
# sub-judgements open with a sentence ("The graded judgement for adoption performance is that it
# is good", "Adoption performance is good") inside the looked-after section.
_SECTION_HEADINGS = [
    ("impact_of_leaders", r"(?:the )?impact of leaders on social work practice with children and families"),
    ("help_and_protection", r"(?:(?:the )?experiences? and progress of )?children who need help and protection"),
    ("children_in_care_and_care_leavers", r"(?:the )?experiences? and progress of children in care and care leavers"),
    ("children_in_care", r"(?:the )?experiences? and progress of children in care"),
    ("care_leavers",
        r"(?:the graded judge?ments? (?:for|about|on) )?(?:the )?experiences? and progress of care leavers"
        r"|the graded judge?ments? (?:for|about|on) (?:the )?care leavers"),
    ("looked_after_and_permanence",
        r"(?:(?:the )?experiences? and progress of )?children looked after and achieving permanence"),
    ("adoption_performance",
        r"(?:the graded judge?ments? (?:for|about|on) )?adoption performance"
        r"|the graded judge?ments? (?:for|about|on) (?:the )?adoption"),
    ("leadership_management_governance", r"leadership,? management and governance"),
]  # fmt: skip
_GRADE_WORDS_RE = re.compile(
    # "Requires" and "improvement" apart too: a grade set on two lines beside a two-line title.
    r"\b(?:requires?\s+improvement|requires?|improvement|to\s+be\s+good|good|outstanding"
    r"|inadequate)\b",
    re.I,
)
# Sub-headings inside a section whose text belongs to it: SIF's "Summary" and "Inspection
# findings", the board's "Executive summary". Its "Recommendations" are what needs to improve.
_PART_HEADING_RE = re.compile(
    r"^(?:summary|executive summary|summary of findings|key strengths and weaknesses(?: of the lscb)?"
    r"|inspection judgements? about the lscb"
    rf"|inspection findings(?:\s*[{_DASHES}]\s*the local safeguarding children{_Q}?s? board)?)$",
    re.I,
)
_TO_IMPROVE_HEADING_RE = re.compile(
    r"^(?:recommendations|areas? for improvement|areas? for priority action|priority actions"
    r"|priority and immediate action|what needs to improve\b.*"
    r"|what does the (?:lscb|board) need to improve\??)\s*:?$",
    re.I,
)
# What follows the last section: the appendix, the team, Ofsted's closing page.
_AFTER_SECTIONS_RE = re.compile(
    r"^(?:information about (?:this|the local authority) inspection|appendix|annex|the inspection team"
    r"|what the (?:local authority )?inspection judge?ments mean"
    r"|the office for standards in education|if you would like a copy of this document"
    r"|you may reuse this information|©\s*crown copyright)",
    re.I,
)
# "12. Text", or "12." alone at a page's foot with its text on the next page.
_PARAGRAPH_NUMBER_RE = re.compile(r"^(\d{1,3})\.(?:\s+(?=\S)|$)")
_UNSTOPPED_NUMBER_RE = re.compile(r"^(\d{1,3})\s+(?=[A-Z])")  # "34 Most children": a typo


def _heading_label(rows: list[_Row]) -> tuple[str, bool]:
    """A heading's words without its grade, in lower case, and whether it carried a grade."""
    label = _clean(" ".join(row.plain or row.text for row in rows)).lower()
    label = label.replace("’", "'").replace("‘", "'")
    words = _clean(_GRADE_WORDS_RE.sub(" ", label))
    # "... is: good", "... is that it is good": the verb goes with the grade.
    words = re.sub(r"(?:\s+is that (?:it|they))?(?:\s+(?:is|are))?\s*[:.]?$", "", words).strip(
        " :."
    )
    return words, words != label.strip(" :.")


_TITLE_ONLY = "title"


def _section_code(rows: list[_Row], sif: bool) -> str | None:
    """The judgement area whose section the heading opens. A section's heading carries its
    grade; in SIF reports the same words without one are a title over the key judgement table
    (which opens the section) or a sub-heading of the summary, either way the end of the section
    before: _TITLE_ONLY. The board's section opens with its title alone."""
    label, graded = _heading_label(rows)
    for code, pattern in _SECTION_HEADINGS:
        if re.fullmatch(pattern, label):
            return code if graded else (_TITLE_ONLY if sif else None)
    if sif and _LSCB_HEADING_RE.match(" ".join(r.text for r in rows)):
        return "lscb"
    return None


_KEY_JUDGEMENT_RE = re.compile(r"^key judgements?\s+(?:judgements?|inspection) grade$", re.I)


def _heading_runs(rows: Iterator[_Row]) -> Iterator[tuple[list[_Row], bool]]:
    """The rows as runs: each heading (consecutive bold rows set close together on one page) as
    one run, each other row alone. Yields (rows, is_heading). Early SIF reports head each
    section with a one-row table ("Key judgement | Judgement grade") whose label and grade,
    set plain, are the heading."""
    heading: list[_Row] = []
    table: list[_Row] | None = None
    for row in rows:
        if table is not None:
            if not row.bold and len(table) < 6:
                table.append(row)
                continue
            yield table, True
            table = None
        sub_heading = _PART_HEADING_RE.match(row.text) or _TO_IMPROVE_HEADING_RE.match(row.text)
        if heading and (
            not row.bold
            or sub_heading  # "Summary" set close under the section's title
            or row.page != heading[-1].page
            or heading[-1].y0 - row.y1 > 0.8 * (row.y1 - row.y0)
        ):
            if _KEY_JUDGEMENT_RE.match(" ".join(r.text for r in heading)) and not row.bold:
                table, heading = [row], []
                continue
            yield heading, True
            heading = []
        if row.bold:
            heading.append(row)
        elif sub_heading:
            yield [row], True  # a sub-heading set in the body's weight
        else:
            yield [row], False
    if heading or table:
        yield heading or table, True


class _SectionError(Exception):
    """The section's text cannot be delimited or read with confidence."""


def _footnote(row: _Row) -> bool:
    """A footnote's first line: low on the page (Ofsted's A4 pages are 842 points high;
    footnotes sit in the bottom quarter), opening with its number, set superscript ("³The
    pupil premium") or not ("4 Report to the Secretary of State")."""
    marker = re.match(r"\d{1,2}(?= ?[A-Z])", row.text)
    return bool(marker) and row.y1 < 220 and not _PARAGRAPH_NUMBER_RE.match(row.text)


def _section_paragraphs(
    rows: list[_Row], bullet_mark: str = "• ", themes: bool = False
) -> list[str]:
    """The paragraphs of a section's body rows, without their numbers. Numbered paragraphs (the
    number at the left edge, the text indented) run on over pages; unnumbered ones (SIF
    summaries) are told apart by their spacing. Bullets start a paragraph of their own, marked
    with `bullet_mark`. With `themes`, a list's short theme sub-headings between numbered items
    ("Governance") are passed over."""
    paragraphs: list[list[str]] = []
    number = number_left = text_left = None
    previous = None
    footnotes = None  # (page, top) of the page's footnotes, which run to its foot
    for row in rows:
        text = row.plain or row.text
        # Footnotes start left of the numbered paragraphs' text.
        if _footnote(row) and (text_left is None or row.x0 < text_left - 3):
            footnotes = (row.page, row.y1)
        if footnotes and row.page == footnotes[0] and row.y1 <= footnotes[1]:
            continue
        if text.isdigit():
            continue  # a page number set higher than most
        numbered = _PARAGRAPH_NUMBER_RE.match(text)
        bullet = _BULLET_RE.match(text)
        # Numbers sit left of the text's edge (a few are set further left than the rest).
        if text_left is not None:
            left_of_text = row.x0 < text_left - 3
        else:
            left_of_text = number_left is None or row.x0 <= number_left + 3
        unstopped = _UNSTOPPED_NUMBER_RE.match(text) if number is not None else None
        if unstopped and left_of_text and int(unstopped.group(1)) == number + 1:
            numbered = unstopped  # the next number, its full stop missed out
        if numbered and left_of_text:
            found = int(numbered.group(1))
            if number is not None and found != number + 1:
                raise _SectionError(f"paragraph {found} after {number}")
            number = found
            number_left = row.x0 if number_left is None else number_left
            paragraphs.append([text[numbered.end() :]])
        elif bullet and not text[bullet.end() :].strip():
            continue  # a bullet glyph alone in the margin: no item
        elif bullet:
            paragraphs.append([bullet_mark + text[bullet.end() :]])
        elif number_left is not None and row.x0 > number_left + 3:
            # A numbered paragraph's next line, on this page or the next.
            text_left = row.x0 if text_left is None else text_left
            paragraphs[-1].append(text)
        elif number_left is not None and themes and len(text) <= _THEME_HEADING_MAX:
            if text.endswith((".", ":")):
                raise _SectionError(f"unnumbered text after item {number}: {text[:60]}")
            continue  # a theme sub-heading between the numbered items
        elif number_left is not None:
            # Unnumbered text at the numbers' edge, after numbered paragraphs: not a section's.
            raise _SectionError(f"unnumbered text after paragraph {number}: {text[:60]}")
        elif previous is None or _paragraph_break(previous, row):
            paragraphs.append([text])
        else:
            paragraphs[-1].append(text)
        previous = row
    return [_join_lines(lines) for lines in paragraphs]


def _without_themes(rows: list[_Row]) -> list[_Row]:
    """A list's rows without its theme sub-headings ("Quality assurance, data and performance"):
    short, unpunctuated, each followed by a numbered or bulleted item."""
    return [
        row
        for row, following in zip(rows, [*rows[1:], None], strict=False)
        if not (
            following is not None
            and len(row.text) <= _THEME_HEADING_MAX
            and not row.text.endswith((".", ":", ";", ","))
            and not (_PARAGRAPH_NUMBER_RE.match(row.text) or _BULLET_RE.match(row.text))
            and (_PARAGRAPH_NUMBER_RE.match(following.text) or _BULLET_RE.match(following.text))
            and following.x0 <= row.x0 + 3
        )
    ]


def _read_sections(rows: Iterator[_Row], sif: bool) -> dict[str, dict[str, str]]:
    """Each judgement section's text from the report's rows: {code: {"strengths": the
    section's narrative, "to_improve": its own recommendations, if it has any}}. A section runs
    from its heading to the next section's heading or to what follows the sections (the
    appendix, Ofsted's closing page). One that holds a heading or text this reader does not
    expect is left out rather than read wrong."""
    found: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    current: str | None = None  # the section being read; None between and after sections
    parts: dict[str, list[_Row]] = {}
    part = "strengths"

    def close() -> None:
        if current is None:
            return
        try:
            narrative = "\n\n".join(p for p in _section_paragraphs(parts["strengths"]) if p)
            # The section's own recommendations: one item a paragraph, as listed.
            to_improve = "\n\n".join(
                p
                for p in _section_paragraphs(_without_themes(parts["to_improve"]), "", themes=True)
                if p and not _NO_ITEMS_RE.match(p)  # "There are no priority actions."
            )
        except _SectionError:
            return
        if narrative:
            found[current] = {"strengths": narrative, "to_improve": to_improve}

    for run, heading in _heading_runs(rows):
        text = " ".join(row.text for row in run)
        # The board's section may open with its title set plain, as a running head.
        heading = heading or (sif and bool(_LSCB_HEADING_RE.match(text)))
        code = _section_code(run, sif) if heading else None
        board = _LSCB_GRADE_RE.match(text) if heading and sif and current != "lscb" else None
        if board and not text[board.end() :].strip(" ."):
            code = "lscb"  # the board's section headed by its judgement alone
        if code and code == current and not any(parts.values()):
            continue  # the title again, as the key judgement table under it
        if (
            code
            or _AFTER_SECTIONS_RE.match(text)
            or (heading and not sif and _LSCB_HEADING_RE.match(text))
        ):
            close()
            # SIF's board section follows the local authority's appendix: read on after it.
            # A heading seen before starts nothing (the appendix names the sections again),
            # unless it carries a grade and its first reading failed (a sub-heading of the
            # summary with the same words).
            again = code in seen and (code in found or not _heading_label(run)[1])
            current = code if code and code != _TITLE_ONLY and not again else None
            seen.add(code or "")
            parts, part = {"strengths": [], "to_improve": []}, "strengths"
            continue
        if current is None:
            continue  # the summary, the contents, an appendix: outside the sections
        if not heading:
            parts[part].extend(run)
        elif _KEY_JUDGEMENT_RE.match(text):
            continue  # the head of the key judgement table under the section's title
        elif _PART_HEADING_RE.match(text):
            part = "strengths"  # SIF's "Summary", "Inspection findings": the text runs on
        elif _TO_IMPROVE_HEADING_RE.match(text):
            part = "to_improve"
        elif text.rstrip().endswith(":"):
            parts[part].extend(run)  # a bold lead-in ("The LSCB requires improvement because:")
        elif not (sif and current == "lscb" and _LSCB_GRADE_RE.search(text)):
            # A heading this reader does not know (the board's grade it does): the section's
            # end is unsure, so it is left out.
            current = None
    close()  # the report may end with its last section
    return found


def _without_running_lines(pdf: _Pdf, pages: range) -> list[_Row]:
    """The pages' rows without the running header and footer lines that the page furniture
    filter let through (set a little higher than most): the same words, page numbers aside, at
    the top or foot of three pages or more."""
    rows = list(pdf.rows_from(pages))
    heights = {index: pdf._layout(index)[2] for index in pages}

    def edge(row: _Row) -> bool:
        return row.y1 < 0.1 * heights[row.page] or row.y0 > 0.9 * heights[row.page]

    def words(row: _Row) -> str:
        return re.sub(r"\d+", "#", row.text)

    pages_with: dict[str, set[int]] = {}
    for row in rows:
        if edge(row):
            pages_with.setdefault(words(row), set()).add(row.page)
    return [row for row in rows if not (edge(row) and len(pages_with[words(row)]) >= 3)]


def _judgement_area_texts(
    pdf: _Pdf, framework: str, graded: dict[str, str]
) -> dict[str, dict[str, str]]:
    """What the report says about each area it grades (visit letters grade none)."""
    sif = framework.startswith("SIF")
    # SIF reports open with a summary and the contents; their sections start on page 3 at the
    # earliest. ILACS sections follow the summary and what needs to improve.
    rows = _without_running_lines(pdf, range(2 if sif else 0, len(pdf)))
    found = _read_sections(iter(rows), sif)
    return {code: texts for code, texts in found.items() if code in graded}


# --- Entry point -----------------------------------------------------------------------------


def _check_bytes(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ReportParseError(TOO_LARGE)
    if not data.strip():
        raise ReportParseError(EMPTY_FILE)
    if b"%PDF-" not in data[:1024]:
        if re.match(rb"\s*(?:<!doctype html|<html|<\?xml)", data[:1024], re.I):
            raise ReportParseError(NOT_A_PDF_WEB_PAGE)
        raise ReportParseError(NOT_A_PDF)
    # A download cut short keeps its first pages readable: refuse it rather than return a
    # partial report.
    if b"%%EOF" not in data[-4096:]:
        raise ReportParseError(DAMAGED)


# Ofsted's download listings (and tools that mirror them) name files "..._published-2025-01-29.pdf".
_FILENAME_PUBLISHED_RE = re.compile(r"published[-_ ]?(\d{4})-(\d{2})-(\d{2})", re.I)


def published_from_filename(filename: str | None) -> date | None:
    """The publication date in a report's file name, when it carries one in Ofsted's listing form."""
    match = _FILENAME_PUBLISHED_RE.search(filename or "")
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_report(data: bytes, *, filename: str | None = None) -> ParsedReport:
    """Parse an Ofsted children's services inspection report or visit letter, or raise
    ReportParseError saying why the file cannot be read as one.

    ILACS reports do not print their publication date (SIF reports do); when the text has none,
    the date in the file name is used if the file is named as Ofsted's listings name it.
    Otherwise published_date is None and the person importing the report gives it."""
    _check_bytes(data)
    pdf = _Pdf(data)
    if not len(pdf):
        raise ReportParseError(DAMAGED)
    head = pdf.text(0)
    if not head and (len(pdf) < 2 or not pdf.text(1)):
        raise ReportParseError(NO_TEXT)
    title = _title(pdf.rows(0))
    kind = _report_kind(title, head) if _REPORT_MARKERS_RE.search(head) else ""
    dates = _inspection_dates(head)
    if not dates or not _REPORT_MARKERS_RE.search(head):
        raise ReportParseError(NOT_A_REPORT)
    start, end = dates
    # The framework is what the report says it is (SIF inspections ran on into 2018); the start
    # date decides only when the report does not say.
    framework = framework_for_start_date(start)
    if kind == "sif" or (not kind and framework == "SIF-2013"):
        framework = "SIF-2013"
    elif kind == "ilacs" and framework == "SIF-2013":
        framework = "ILACS-2018"
    if kind in ("jtai", "focused_visit", "monitoring_visit"):
        inspection_type = kind
        judgements, afis, lead = _parse_visit(pdf)
    elif framework == "SIF-2013":
        inspection_type = "sif"
        judgements, afis, lead = _parse_sif(pdf, head)
    else:
        inspection_type = _ilacs_type(title, start, end)
        judgements, afis, lead = _parse_ilacs(pdf, framework)
    # The summary first: it reads only the pages already laid out, which the sections add to.
    summary = _summary(pdf, framework, kind)
    return ParsedReport(
        judgement_area_texts=_judgement_area_texts(pdf, framework, judgements)
        if judgements
        else {},
        summary=summary,
        web_address=_web_address(pdf),
        authority=_authority(pdf.rows(0)) or _jtai_authority(title, head),
        framework=framework,
        inspection_type=inspection_type,
        start_date=start,
        end_date=end,
        published_date=_published(head) or published_from_filename(filename),
        lead_inspector=lead,
        judgements=judgements,
        areas_for_improvement=afis,
    )


def read_report_file(path: str) -> tuple[ParsedReport | None, str, bool]:
    """Parse the report at `path` for a worker process of the archive import: (the report, why
    it was refused, whether the parser crashed). Lives here, not with the importer, so that a
    worker imports the parser only, never Django."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
        return parse_report(data, filename=os.path.basename(path)), "", False
    except ReportParseError as error:
        return None, str(error), False
    except Exception as error:  # one broken file must not stop the others
        return None, f"The file could not be read ({type(error).__name__}: {error})", True

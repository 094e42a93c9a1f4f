"""Read a published Ofsted children's services inspection report (PDF) into structured data.

Covers single inspection framework (SIF, 2013-2017) reports, ILACS reports (2018 onwards) and
focused / monitoring visit letters. It works from the layout, not from flat text: pdfminer gives
each text line with its position, from which we rebuild visual rows (a list number and its text
share a row), read the judgement table by pairing each grade with the label level with it, and
drop page footers. Nothing here imports Django.

pdfminer takes about 0.1 s to lay out a page, so only the pages that hold what we need are read:
the first pages (title, dates, judgements, improvement lists) and, in SIF reports, the pages the
contents list gives for the LSCB section and the inspection team.
"""

from __future__ import annotations

import io
import os
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

MAX_BYTES = 20 * 1024 * 1024

TOO_LARGE = "The file is larger than 20 MB"
EMPTY_FILE = "The file is empty"
NOT_A_PDF = "The file is not a PDF"
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
    # Per judgement area code: {"strengths": text, "to_improve": text}; each text is plain text
    # with a blank line between paragraphs.
    area_texts: dict[str, dict[str, str]] = field(default_factory=dict)

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
_DAY = r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?"
# "14 May 2018 to 25 May 2018", "20 to 24 February 2023", "12 June – 7 July 2017",
# "31 January and 1 February 2024"; the separator is sometimes lost in extraction.
_RANGE = (
    rf"{_DAY}(?:\s+({_MONTHS}))?(?:\s+(\d{{4}}))?(?:\s*(?:to|until|and|[-–—])\s*|\s+)"
    rf"{_DAY}\s+({_MONTHS})\s+(\d{{4}})"
)
_SINGLE = rf"{_DAY}\s+({_MONTHS})\s+(\d{{4}})"
_RANGE_RE = re.compile(_RANGE, re.I)
_SINGLE_RE = re.compile(_SINGLE, re.I)
_DATES_LABEL_RE = re.compile(rf"(?:inspection|visit) dates?\s*:?\s*{_RANGE}", re.I)
_VISIT_ON_RE = re.compile(r"visit to .{1,200}? on\s+(?=\d)", re.I | re.S)
_PUBLISHED_RE = re.compile(rf"report published\s*:?\s*{_SINGLE}", re.I)

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

_SIF_OVERALL_RE = re.compile(
    rf"(?:children{_Q}s services in .{{1,80}}?|overall judgement is that children{_Q}s services)"
    rf"\s+(?:are|is|requires?)\s+{_GRADE_WORDS}",
    re.I | re.S,
)
_LSCB_HEADING_RE = re.compile(
    rf"^(?:The Local Safeguarding Children{_Q}?s? Board \(LSCB\)|"
    rf"Review of the effectiveness of the Local Safeguarding Children{_Q}?s? Board)$",
    re.I,
)
# The grade must end the clause, so that "the LSCB is good at ..." is not read as a judgement.
_LSCB_GRADE_RE = re.compile(
    rf"\bThe\s+(?:effectiveness\s+of\s+the\s+)?(?:Local\s+Safeguarding\s+Children{_Q}?s?\s+Board"
    rf"|LSCB)(?:\s+\(LSCB\))?(?:\s+in\s+[A-Z][\w ,’'&-]{{0,60}}?)?\s+(?:is|requires?)\s+"
    rf"{_GRADE_WORDS}(?=\s*(?:\n|$|[.,;:]|because))",
    re.I,
)
_INFO_HEADING_RE = re.compile(r"^Information about this inspection$", re.I)

_LEAD_RE = re.compile(r"^Lead inspector\s*:?\s*(.*)$", re.I)
_INSPECTORS_WERE_RE = re.compile(
    r"inspectors? for this visit (?:were|was)\s+([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)+)"
)
_NAME_SUFFIX_RE = re.compile(
    rf"\s*(?:,.*|\bHMI\b.*|\b(?:Her|His) Majesty{_Q}?s Inspector.*|\bOfsted Inspector.*)$", re.I
)

_ILACS_AFI_HEADING_RE = re.compile(r"^What needs to improve\b.{0,60}$", re.I)
_VISIT_AFI_HEADING_RE = re.compile(
    r"^(?:Areas? for priority action|Areas? for improvement|What needs to improve\b.{0,60})$",
    re.I,
)
_SIF_AFI_HEADING_RE = re.compile(
    r"^(?:Recommendations|Areas for improvement|Priority and immediate action|"
    r"Areas for priority action|What does the local authority need to improve\??)$",
    re.I,
)
# Bullets come out as symbols, private-use glyphs (Wingdings) or unmapped "(cid:N)" codes.
_BULLET_RE = re.compile(
    r"^(?:[•‣⁃∙·▪▫■□●○◦◼◻◾◽➢➤►▶✓✔§\uf000-\uf8ff]|\(cid:\d+\))\s*|^[o\-–—*]\s+"
)
_NUMBER_RE = re.compile(r"^(\d{1,2})[.)]\s*(?=\S)")

_REPORT_MARKERS_RE = re.compile(
    rf"ofsted|children{_Q}s (?:social care )?services|local safeguarding children|"
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


@dataclass(frozen=True)
class _Row:
    """One visual line of a page: every text line on the same baseline, left to right."""

    page: int
    x0: float
    y0: float
    y1: float
    text: str
    bold: bool = False


def _split_line(item: LTTextLineHorizontal) -> list[_Line]:
    """Split a pdfminer line at wide gaps. pdfminer joins a table label and its grade into one
    line when the columns are close ("... care leavers Outstanding"); splitting costs the body
    text nothing, as rows are rebuilt by baseline."""
    pieces: list[list] = []
    last = None
    for child in item:
        if isinstance(child, LTChar):
            if last is None or child.x0 - last.x1 > 0.8 * last.size:
                pieces.append([])
            last = child
        if pieces:
            pieces[-1].append(child)
    lines = []
    for piece in pieces:
        chars = [c for c in piece if isinstance(c, LTChar)]
        letters = [c for c in chars if c.get_text().isalpha()]
        bold = sum(1 for c in letters if re.search(r"bold|black|heavy", c.fontname, re.I))
        text = "".join(c.get_text() for c in piece)
        x1 = max(c.x1 for c in chars)
        lines.append(_Line(chars[0].x0, x1, item.y0, item.y1, text, len(letters), bold))
    return lines


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
        bold = 2 * sum(p.bold_letters for p in parts) > sum(p.letters for p in parts)
        y0, y1 = min(p.y0 for p in parts), max(p.y1 for p in parts)
        result.append(_Row(page, parts[0].x0, y0, y1, text, bold))
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


def _cells(lines: list[_Line]) -> list[tuple[float, float, str]]:
    """Group a table column's lines into cells (lines less than about half a line apart) as
    (top, bottom, text)."""
    cells: list[list[_Line]] = []
    for line in sorted(lines, key=lambda ln: -ln.y1):
        if cells and cells[-1][-1].y0 - line.y1 < 0.6 * (line.y1 - line.y0):
            cells[-1].append(line)
        else:
            cells.append([line])
    return [(c[0].y1, c[-1].y0, _clean(" ".join(ln.text for ln in c))) for c in cells]


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
        self._device = PDFPageAggregator(manager, laparams=LAParams())
        self._interpreter = PDFPageInterpreter(manager, self._device)
        self._layouts: dict[int, tuple[list[_Line], float, float]] = {}
        self._rows: dict[int, list[_Row]] = {}

    def __len__(self) -> int:
        return len(self._pages)

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

    def text(self, index: int) -> str:
        return "\n".join(row.text for row in self.rows(index))

    def rows_from(self, pages: range) -> Iterator[_Row]:
        for index in pages:
            if index < len(self):
                yield from self.rows(index)


# --- Title fields ----------------------------------------------------------------------------


def _to_dates(groups: tuple) -> tuple[date, date] | None:
    d1, m1, y1, d2, m2, y2 = groups
    end_month = _MONTH_NUMBER[m2.lower()]
    start_month = _MONTH_NUMBER[m1.lower()] if m1 else end_month
    start_year = int(y1) if y1 else int(y2) - (start_month > end_month)
    try:
        start, end = date(start_year, start_month, int(d1)), date(int(y2), end_month, int(d2))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def _inspection_dates(text: str) -> tuple[date, date] | None:
    """Dates from the 'Inspection dates:' line, else from a visit letter's '... visit to X on',
    else the first date range on the page."""
    labelled = _DATES_LABEL_RE.search(text)
    if labelled:
        return _to_dates(labelled.groups())
    visit = _VISIT_ON_RE.search(text)
    if visit:
        rest = text[visit.end() :]
        ranged, single = _RANGE_RE.match(rest), _SINGLE_RE.match(rest)
        if ranged:
            return _to_dates(ranged.groups())
        if single:  # a one-day visit
            return _to_dates(single.groups() * 2)
    ranged = _RANGE_RE.search(text)
    return _to_dates(ranged.groups()) if ranged else None


def _published(text: str) -> date | None:
    """Only SIF reports print 'Report published:'; ILACS reports carry no publication date."""
    dates = (match := _PUBLISHED_RE.search(text)) and _to_dates(match.groups() * 2)
    return dates[0] if dates else None


def _visit_kind(head: str) -> str | None:
    title = head[:1500]
    if re.search(r"joint targeted area inspection", title, re.I):
        return "jtai"
    pattern = r"(?:^|findings of (?:the|a|our) )(focused|monitoring) visit (?:to|of)\b"
    match = re.search(pattern, title, re.I | re.M)
    return f"{match.group(1).lower()}_visit" if match else None


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
        (rf"^(?:Re-?)?Inspection\s+of\s+(?!children)(.{{1,80}}?){services}", title),
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
        for top, bottom, text in _cells([ln for ln in lines if ln.x0 >= column])
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


def _collect_items(rows: Iterator[_Row], plain: bool) -> tuple[list[str], _Row | None]:
    """Read the bulleted or numbered list that starts on the next row.

    An item starts with a bullet, or the next number, at the list's left edge; indented rows
    continue it; anything else (the next heading: back at the edge, or in another weight) ends
    the list. With `plain`, a list whose bullets are drawn as shapes (no glyph in the text) is
    read as paragraphs split by their spacing. Returns the items and the row that ended it.
    """
    items: list[list[str]] = []
    left = bold = previous = None
    number = 0
    for row in rows:
        if bold is not None and row.bold != bold:
            break
        bold = row.bold
        marker = _BULLET_RE.match(row.text) or _NUMBER_RE.match(row.text)
        at_edge = left is not None and row.x0 <= left + 3
        if marker and (left is None or at_edge) and _next_marker(marker, number):
            left = row.x0 if left is None else left
            number = int(marker.group(1)) if marker.groups() else number
            items.append([row.text[marker.end() :]])
        elif items and left is not None and row.x0 > left + 3:
            # A wrapped line, or a sub-bullet that belongs to the item above.
            items[-1].append(row.text[marker.end() :] if marker else row.text)
        elif plain and not (marker or row.bold) and (left is None or abs(row.x0 - left) <= 3):
            left = row.x0
            if previous is None or _paragraph_break(previous, row):
                items.append([])
            items[-1].append(row.text)
        else:
            break
        previous = row
    else:
        row = None
    return [_join_lines(parts) for parts in items], row


def _headed_lists(pdf: _Pdf, heading: re.Pattern, pages: range, every: bool = False) -> list[str]:
    """Items of the first list headed by `heading` in `pages`, with any headed lists straight
    after it (SIF: 'Priority and immediate action' then 'Areas for improvement'), or of every
    such list when `every`. A heading with no list under it (a contents entry) is passed over;
    the LSCB section ends the search, as its recommendations are not the local authority's.
    """
    rows = pdf.rows_from(pages)
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
        if 0 <= index < len(pdf) and any(heading.match(r.text) for r in pdf.rows(index)):
            return index
    return None


# --- Report kinds ----------------------------------------------------------------------------

_Found = tuple[dict[str, str], list[str], str | None]  # judgements, improvements, lead inspector


def _parse_visit(pdf: _Pdf) -> _Found:
    afis = _headed_lists(pdf, _VISIT_AFI_HEADING_RE, range(len(pdf)), every=True)
    rows = list(pdf.rows_from(range(len(pdf))))
    return {}, afis, _lead_inspector(rows) or _letter_signatory(rows)


def _parse_ilacs(pdf: _Pdf, framework: str) -> _Found:
    judgements: dict[str, str] = {}
    for index in range(min(2, len(pdf))):
        judgements = _table_judgements(*pdf.lines(index))
        if judgements:
            break
    # Reading every page is slow, so the section headings are only consulted when the table
    # gave fewer grades than the framework has.
    if len(judgements) < _ILACS_AREA_COUNT.get(framework, 1):
        everything = "\n".join(pdf.text(i) for i in range(len(pdf)))
        judgements = _heading_judgements(everything) | judgements
    afis = _headed_lists(pdf, _ILACS_AFI_HEADING_RE, range(6))
    return judgements, afis, _lead_inspector(pdf.rows(0))


def _parse_sif(pdf: _Pdf, head: str) -> _Found:
    judgements = _table_judgements(*pdf.lines(0))
    # The overall judgement is a sentence: "Children's services in X require improvement ..."
    overall = _SIF_OVERALL_RE.search(head)
    if overall:
        judgements["overall_effectiveness"] = _grade_code(overall.group(1))
    contents = _contents(pdf)
    afi_page = _section_page(pdf, contents, _SIF_AFI_HEADING_RE) or 0
    afis = _headed_lists(pdf, _SIF_AFI_HEADING_RE, range(afi_page, afi_page + 20))
    # Combined reports review the LSCB too; the first page says so.
    has_lscb = bool(re.search(r"Local\s+Safeguarding\s+Children", head, re.I))
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
        if has_lscb and lscb_page is None and any(_LSCB_HEADING_RE.match(r.text) for r in rows):
            lscb_page = index
    lscb = _lscb_grade(pdf, lscb_page) if lscb_page is not None else None
    if lscb:
        judgements["lscb"] = lscb
    return judgements, afis, lead


# --- Entry point -----------------------------------------------------------------------------


def _check_bytes(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ReportParseError(TOO_LARGE)
    if not data.strip():
        raise ReportParseError(EMPTY_FILE)
    if b"%PDF-" not in data[:1024]:
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
    dates = _inspection_dates(head)
    if not dates or not _REPORT_MARKERS_RE.search(head):
        raise ReportParseError(NOT_A_REPORT)
    start, end = dates
    framework = framework_for_start_date(start)
    inspection_type = _visit_kind(head)
    if inspection_type:
        judgements, afis, lead = _parse_visit(pdf)
    elif framework == "SIF-2013":
        inspection_type = "sif"
        judgements, afis, lead = _parse_sif(pdf, head)
    else:
        title = " ".join(row.text for row in pdf.rows(0)[:6])
        inspection_type = _ilacs_type(title, start, end)
        judgements, afis, lead = _parse_ilacs(pdf, framework)
    return ParsedReport(
        authority=_authority(pdf.rows(0)),
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

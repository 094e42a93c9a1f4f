"""Importing what Ofsted publishes: a report PDF (through `ofsted_report`) and the national ILACS
outcomes spreadsheet. Both validate everything first and save in one transaction: a bad file, an
unknown authority or a duplicate changes nothing."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from accounts.models import LocalAuthority
from core.concurrency import save_versioned
from inspections import xlsx_reader
from inspections.models import (
    GRADED_EVENT_TYPES,
    EventType,
    Finding,
    FindingKind,
    Framework,
    Grade,
    Inspection,
    Judgement,
)
from inspections.pasted_list import PastedItem, split_pasted_list
from inspections.services import title_from_text

# --- Matching an authority by the name a document gives it --------------------------------------

# Every name an authority goes by (ONS names, also-known-as, the names Ofsted's listings use),
# keyed by Ofsted URN: data-to-insight's lookup (MIT licence), copied here so that nothing reads
# outside the repository.
AUTHORITY_LOOKUP_CSV = Path(__file__).resolve().parent / "data" / "authority_lookup.csv"

_NAME_NOISE_RE = re.compile(
    r"\b(london borough of|royal borough of|metropolitan borough of|metropolitan borough council"
    r"|metropolitan borough|(?:local )?safeguarding children(?: s)? (?:board|partnership)"
    r"|metropolitan district council|metropolitan council|borough council|city council"
    r"|county council|district council|unitary authority|council of the|council|borough of"
    r"|borough|city of|county of|county|metropolitan|city|the|local authority"
    r"|children s services|children s social care|children s social care services)\b"
)


@functools.lru_cache(maxsize=4096)  # every authority's name is normalised at each match
def normalised_name(name: str) -> str:
    """ "Gateshead Borough Council", "gateshead" and "Gateshead" are the same authority, and so
    are "Bristol, City of" and "City of Bristol"."""
    text = name.lower().replace("&", " and ").replace("’", "'").replace("'", " ")
    # ONS writes "Bristol, City of" and "Kingston upon Hull, City of".
    text = re.sub(r",\s*(city|county) of\s*$", "", text)
    text = re.sub(r"[^a-z ]+", " ", text)
    text = _NAME_NOISE_RE.sub(" ", text)
    text = re.sub(r"\bs\b", " ", text)  # the "s" of a possessive
    return " ".join(text.split())


@functools.cache
def _aliases_by_urn() -> dict[str, frozenset[str]]:
    names: dict[str, set[str]] = {}
    columns = ("local_authority_ons_name", "ofsted_ilacs_scrape_la_name", "ltla23nm", "utla23nm")
    with AUTHORITY_LOOKUP_CSV.open(encoding="utf-8-sig", newline="") as file:
        for row in csv.DictReader(file):
            found = names.setdefault(row["urn"].strip(), set())
            found.update(row[c] for c in columns if row.get(c) and not row[c].isdigit())
            found.update(re.split(r"\s*,\s*", row.get("also_known_as", "").strip("[] ")))
    return {
        urn: frozenset(n for name in found if (n := normalised_name(name)))
        for urn, found in names.items()
    }


def match_authority(
    name: str | None,
    *,
    urn: str | int | None = None,
    authorities: list[LocalAuthority] | None = None,
) -> LocalAuthority | None:
    """The authority a document means: the one with its Ofsted URN when it gives one we know,
    otherwise the one whose name or alias matches the name (ignoring "Council", "Borough",
    "City of", case and punctuation; "Newcastle" for Newcastle upon Tyne when only one name starts
    so). None when nothing, or more than one authority, matches. One query, or none when the
    caller gives every authority (`authorities`: read once for a run over many files)."""
    if authorities is None:
        authorities = list(LocalAuthority.objects.all())
    if urn is not None:
        by_urn = next((a for a in authorities if a.ofsted_urn == str(urn).strip()), None)
        if by_urn is not None:
            return by_urn
    return _match_name(name, authorities)


def _match_name(name: str | None, authorities: list[LocalAuthority]) -> LocalAuthority | None:
    wanted = normalised_name(name or "")
    if not wanted:
        return None
    aliases = _aliases_by_urn()
    names = {
        a.pk: {normalised_name(a.name)} | aliases.get(a.ofsted_urn, set()) for a in authorities
    }
    exact = [a for a in authorities if wanted in names[a.pk]]
    if exact:
        return exact[0] if len(exact) == 1 else None
    # Reports shorten names ("Newcastle", "East Riding"): a whole-word start of one name only.
    starts = [a for a in authorities if any(n.startswith(wanted + " ") for n in names[a.pk])]
    return starts[0] if len(starts) == 1 else None


def match_authority_by_name(name: str | None) -> LocalAuthority | None:
    """The authority the name alone points to (the archive check compares it with the URN)."""
    return _match_name(name, list(LocalAuthority.objects.all()))


# --- Saving an inspection read from a report ----------------------------------------------------


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def inspection_import(
    *,
    authority: LocalAuthority,
    event_type: str,
    start_date: datetime.date,
    end_date: datetime.date,
    published_date: datetime.date | None,
    lead_inspector: str,
    grades: dict[str, str],
    areas_for_improvement: list[PastedItem],
    user,
    report_url: str = "",
    summary: str = "",
    judgement_area_texts: dict[str, dict[str, str]] | None = None,
    framework_code: str | None = None,
) -> Inspection:
    """Creates the inspection, its judgements (by area code) and its areas for improvement, in
    the report's order, with Ofsted's own words: the summary and, per judgement area code,
    {"strengths": ..., "to_improve": ...} (kept on that area's judgement). Refuses
    (ValidationError, nothing saved) an inspection already recorded. The framework is the one
    the report says (`framework_code`: a SIF report of 2018 is SIF), else the one in force on the
    start date."""
    judgement_area_texts = judgement_area_texts or {}
    framework = (
        Framework.objects.filter(code=framework_code).first() if framework_code else None
    ) or Framework.in_force_on(start_date)
    duplicate = Inspection.objects.filter(
        authority=authority, event_type=event_type, start_date=start_date
    ).exists()
    if duplicate:
        raise ValidationError(
            {"start_date": already_recorded_message(authority, event_type, start_date)}
        )
    areas = {a.code: a for a in framework.judgement_areas.all()}
    unknown = [code for code in grades if code not in areas]
    if unknown:
        raise ValidationError(
            f"{framework.code} has no judgement area “{unknown[0]}”: check the start date"
        )
    with transaction.atomic():
        inspection = Inspection(
            authority=authority,
            event_type=event_type,
            framework=framework,
            start_date=start_date,
            end_date=end_date,
            published_date=published_date,
            lead_inspector=lead_inspector or "",
            report_url=report_url,
            summary=summary,
        )
        inspection._history_user = user
        inspection.full_clean()
        inspection.save()
        for code, grade in grades.items():
            texts = judgement_area_texts.get(code, {})
            judgement = Judgement(
                inspection=inspection,
                area=areas[code],
                grade=grade,
                strengths=texts.get("strengths", ""),
                to_improve=texts.get("to_improve", ""),
            )
            judgement._history_user = user
            judgement.full_clean()
            judgement.save()
        for order, item in enumerate(areas_for_improvement):
            finding = Finding(
                inspection=inspection,
                kind=FindingKind.AREA_FOR_IMPROVEMENT,
                text=item.text,
                title=title_from_text(item.text),
                national_framework_tag=item.national_framework_tag,
                order=order,
            )
            finding._history_user = user
            finding.full_clean()
            finding.save()
    return inspection


def _items(texts: list[str]) -> list[PastedItem]:
    # The parser's items are already one per point: keep each as it is, only taking a trailing
    # national-framework tag off its text.
    items = []
    for text in texts:
        parsed = split_pasted_list("\u2022 " + text)
        if len(parsed) == 1 and parsed[0].national_framework_tag:
            items.append(parsed[0])
        else:
            items.append(PastedItem(text=" ".join(text.split())))
    return items


def with_publication_date(parsed, *, given: str | None = None):
    """ILACS reports do not print their publication date (the parser takes it from a file name
    in Ofsted's listing form when it can). `given` (YYYY-MM-DD) fills it when still unknown;
    ValueError when `given` is not a date."""
    if parsed.published_date or not given:
        return parsed
    try:
        day = datetime.date.fromisoformat(given.strip())
    except ValueError:
        raise ValueError(f"The publication date “{given}” is not a date like 2023-05-11") from None
    if day < parsed.start_date:
        raise ValueError("The publication date must be on or after the start date")
    return dataclasses.replace(parsed, published_date=day)


def report_import(
    *, parsed, user, authority: LocalAuthority | None = None, urn: str | None = None
) -> Inspection:
    """Saves a parsed report (ofsted_report.ParsedReport). The authority is the one given, else
    the one with the Ofsted URN the file gives (`urn`), else the one named in the report."""
    authority = authority or match_authority(parsed.authority, urn=urn)
    if authority is None:
        raise ValidationError(
            f"No authority matches “{parsed.authority or 'no name found'}”: "
            "give it with --authority (its Ofsted URN or name)"
        )
    return inspection_import(
        authority=authority,
        event_type=parsed.inspection_type,
        start_date=parsed.start_date,
        end_date=parsed.end_date,
        published_date=parsed.published_date,
        lead_inspector=parsed.lead_inspector or "",
        grades=dict(parsed.judgements),
        areas_for_improvement=_items(parsed.areas_for_improvement),
        user=user,
        report_url=web_address(parsed.web_address),
        summary=parsed.summary,
        judgement_area_texts=parsed.judgement_area_texts,
        framework_code=parsed.framework,
    )


def web_address(text: str) -> str:
    """The report's address as the file gives it, or "" when it is not a web address we could
    link to: the link is a convenience, and a misread one must not refuse the whole report."""
    text = (text or "").strip()
    if len(text) > Inspection._meta.get_field("report_url").max_length:
        return ""
    try:
        URLValidator(schemes=["https", "http"])(text)
    except ValidationError:
        return ""
    return text


def already_recorded_message(authority, event_type: str, start_date: datetime.date) -> str:
    label = EventType(event_type).label
    label = label if label.startswith("SIF") else label.lower()
    return f"{authority.name} already has a {label} that started {_long_date(start_date)}"


def already_recorded(parsed) -> Inspection | None:
    """The inspection a parsed report is already recorded as (its authority, as the report
    names it, with an inspection of its type that started the same day), so an upload is refused
    before the review instead of at its end."""
    authority = match_authority(parsed.authority)
    if authority is None:
        return None
    return (
        Inspection.objects.filter(
            authority=authority, event_type=parsed.inspection_type, start_date=parsed.start_date
        )
        .select_related("authority")
        .first()
    )


def review_form_for(parsed):
    """The review form pre-filled with what the report says."""
    from inspections.forms import NOT_JUDGED, ReportReviewForm

    framework = Framework.objects.get(code=parsed.framework)
    authority = match_authority(parsed.authority)
    initial = {
        "framework": framework.code,
        "authority": authority.pk if authority else None,
        "event_type": parsed.inspection_type,
        "start_date": parsed.start_date,
        "end_date": parsed.end_date,
        "published_date": parsed.published_date,
        "lead_inspector": parsed.lead_inspector or "",
        "report_url": web_address(parsed.web_address),
        "summary": parsed.summary,
        "areas_for_improvement": "\n\n".join(f"\u2022 {t}" for t in parsed.areas_for_improvement),
    }
    form = ReportReviewForm(initial=initial, framework=framework)
    for area in form.judgement_areas:
        initial[f"area_{area.code}"] = parsed.judgements.get(area.code, NOT_JUDGED)
        texts = parsed.judgement_area_texts.get(area.code, {})
        initial[f"strengths_{area.code}"] = texts.get("strengths", "")
        initial[f"to_improve_{area.code}"] = texts.get("to_improve", "")
    form.initial = initial
    return form


def report_save_from_review(*, form, user) -> Inspection:
    data = form.cleaned_data
    return inspection_import(
        authority=data["authority"],
        event_type=data["event_type"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        published_date=data["published_date"],
        lead_inspector=data["lead_inspector"],
        grades=form.grades(),
        areas_for_improvement=form.items,
        user=user,
        report_url=data["report_url"],
        summary=data["summary"],
        judgement_area_texts=form.judgement_area_texts(),
    )


# --- The national ILACS outcomes spreadsheet ----------------------------------------------------

OVERVIEW_MAX_BYTES = 10 * 1024 * 1024
# The real spreadsheet has 153 rows and unpacks to well under 1 MB; these bounds leave room to
# grow while keeping a hostile or wrong file to about a second's work (see xlsx_reader).
OVERVIEW_LIMITS = xlsx_reader.Limits(
    max_bytes=OVERVIEW_MAX_BYTES,
    max_unpacked_bytes=8 * 1024 * 1024,
    max_parts=200,
    max_elements=150_000,
    max_shared_strings=20_000,
    max_rows=2000,
)
OVERVIEW_COLUMNS = (
    "urn",
    "la_code",
    "local_authority",
    "inspection_link",
    "inspection_framework",
    "inspector_name",
    "inspection_start_date",
    "inspection_end_date",
    "publication_date",
    "overall_effectiveness_grade",
    "impact_of_leaders_grade",
    "help_and_protection_grade",
    "in_care_grade",
    "care_leavers_grade",
)
# Which judgement area each grade column is, in order of preference: the spreadsheet's one
# "in care" column is ILACS-2018's combined judgement and the separate one from 2023.
GRADE_COLUMNS = {
    "overall_effectiveness_grade": ("overall_effectiveness",),
    "impact_of_leaders_grade": ("impact_of_leaders",),
    "help_and_protection_grade": ("help_and_protection",),
    "in_care_grade": ("children_in_care", "children_in_care_and_care_leavers"),
    "care_leavers_grade": ("care_leavers",),
}
GRADES = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
}
# The spreadsheet is written by pandas, which turns an empty cell into the text "nan" or "None".
BLANK = {"", "nan", "none", "null", "n/a", "-"}
NO_JUDGEMENT = BLANK | {"inspection_pre_dates_judgement"}
EVENT_TYPES = {"short": EventType.SHORT, "standard": EventType.STANDARD}
RECORD_FROM_REPORT = "record it from its report"


@dataclass
class RowResult:
    line: int
    authority: str
    action: str  # created, updated, unchanged, skipped
    detail: str = ""


@dataclass
class OverviewResult:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def skipped(self) -> list[RowResult]:
        return [row for row in self.rows if row.action == "skipped"]

    @property
    def summary(self) -> str:
        return ", ".join(
            f"{self.count(a)} {a}" for a in ("created", "updated", "unchanged", "skipped")
        )


@dataclass
class _Row:
    line: int
    authority: LocalAuthority
    event_type: str
    framework: Framework
    start: datetime.date
    end: datetime.date
    published: datetime.date | None
    lead_inspector: str
    report_url: str
    grades: dict[str, str]
    notes: list[str]


class _Skip(Exception):
    """Why a row cannot be imported, in words for the list of skipped rows."""


def _text(value) -> str:
    """The cell as text, "" for a blank one (however pandas spelled it)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return "" if text.lower() in BLANK else text


def _date(value, column: str) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Skip(f"{column} “{text}” is not a date like 31/12/2023")


def _parse_row(line: int, row: dict, authorities_by_urn, authorities_by_code) -> _Row:
    """The row as an inspection to create or update; _Skip saying why it cannot be."""
    urn, la_code = _text(row.get("urn")), _text(row.get("la_code"))
    la_code = la_code.zfill(3) if la_code else ""
    authority = authorities_by_urn.get(urn) or authorities_by_code.get(la_code)
    if authority is None and not (urn or la_code):
        raise _Skip("no URN or LA code to say which authority it is")
    if authority is None:
        raise _Skip(f"no authority has URN “{urn}” or LA code “{la_code}”")
    start = _date(row.get("inspection_start_date"), "inspection_start_date")
    end = _date(row.get("inspection_end_date"), "inspection_end_date")
    published = _date(row.get("publication_date"), "publication_date")
    # The real spreadsheet has rows with grades but no dates or type (older inspections): the
    # inspection cannot be placed without them, but its report has them.
    if start is None and end is None:
        raise _Skip(f"no inspection dates: {RECORD_FROM_REPORT}")
    if start is None:
        raise _Skip(f"no inspection start date: {RECORD_FROM_REPORT}")
    if end is None:
        raise _Skip(f"no inspection end date: {RECORD_FROM_REPORT}")
    kind = _text(row.get("inspection_framework")).lower()
    if not kind:
        raise _Skip(f"no inspection type (short or standard): {RECORD_FROM_REPORT}")
    if kind not in EVENT_TYPES:
        raise _Skip(f"inspection_framework “{kind}” is not short or standard")
    if end < start:
        raise _Skip("the end date is before the start date")
    if published and published < start:
        raise _Skip("the publication date is before the start date")
    try:
        framework = Framework.in_force_on(start)
    except ValidationError:
        raise _Skip(f"no framework was in force on {_long_date(start)}") from None
    area_codes = {a.code for a in framework.judgement_areas.all()}
    grades, notes = {}, []
    for column, candidates in GRADE_COLUMNS.items():
        value = _text(row.get(column)).lower()
        if value in NO_JUDGEMENT:
            continue
        if value not in GRADES:
            raise _Skip(f"{column} “{value}” is not a grade")
        code = next((c for c in candidates if c in area_codes), None)
        if code is None:
            notes.append(f"{column} ignored: {framework.code} has no such judgement")
            continue
        grades[code] = GRADES[value]
    link = _text(row.get("inspection_link"))
    return _Row(
        line=line,
        authority=authority,
        event_type=EVENT_TYPES[kind],
        framework=framework,
        start=start,
        end=end,
        published=published,
        lead_inspector=_text(row.get("inspector_name")).title(),
        report_url=link if link.startswith("http") else "",
        grades=grades,
        notes=notes,
    )


def overview_import(*, file, user) -> OverviewResult:
    """Creates or updates each authority's latest inspection and its judgements from the national
    outcomes spreadsheet, matched on Ofsted URN (or LA code) and start date. Idempotent.

    Each row is imported whole or skipped whole, with its reason in the result: one row the
    importer cannot place (no dates, no type, a value that is not a grade) must not hold back the
    other 152. The file as a whole is refused (ValidationError, nothing saved) only when it is not
    the spreadsheet: not a readable .xlsx, a required column missing, too large, no rows."""
    try:
        table = xlsx_reader.read_table(file, wanted=OVERVIEW_COLUMNS, limits=OVERVIEW_LIMITS)
    except xlsx_reader.SheetError as error:
        raise ValidationError(str(error)) from None
    if not table.rows:
        raise ValidationError("The spreadsheet has no rows under its column names")
    authorities = list(LocalAuthority.objects.all())
    by_urn = {a.ofsted_urn: a for a in authorities}
    by_code = {a.la_code: a for a in authorities}

    result = OverviewResult()
    with transaction.atomic():
        for line, row in table.rows:
            if not any(_text(value) for value in row.values()):
                continue  # a row of "nan"s is a blank row in pandas' spelling
            name = by_urn.get(_text(row.get("urn")))
            name = name.name if name else _text(row.get("local_authority")) or "(no name)"
            try:
                parsed = _parse_row(line, row, by_urn, by_code)
                # A savepoint per row: a row the database refuses is skipped, not half saved.
                with transaction.atomic():
                    result.rows.append(_save_row(parsed, user))
            except _Skip as skip:
                result.rows.append(RowResult(line, name, "skipped", str(skip)))
            except ValidationError as error:
                result.rows.append(RowResult(line, name, "skipped", "; ".join(error.messages)))
    return result


def _save_row(row: _Row, user) -> RowResult:
    existing = (
        Inspection.objects.select_for_update()
        .filter(
            authority=row.authority,
            start_date=row.start,
            event_type__in=GRADED_EVENT_TYPES,
        )
        .first()
    )
    notes = "; ".join(row.notes)
    areas = {a.code: a for a in row.framework.judgement_areas.all()}
    if existing is None:
        inspection = Inspection(
            authority=row.authority,
            event_type=row.event_type,
            framework=row.framework,
            start_date=row.start,
            end_date=row.end,
            published_date=row.published,
            lead_inspector=row.lead_inspector,
            report_url=row.report_url,
        )
        inspection._history_user = user
        inspection.full_clean()
        inspection.save()
        for code, grade in row.grades.items():
            judgement = Judgement(inspection=inspection, area=areas[code], grade=grade)
            judgement._history_user = user
            judgement.full_clean()
            judgement.save()
        detail = f"{inspection.get_event_type_display().lower()} of {_long_date(row.start)}, "
        detail += f"{len(row.grades)} judgements"
        return RowResult(
            row.line, row.authority.name, "created", "; ".join(filter(None, [detail, notes]))
        )

    changes = []
    wanted = {
        "event_type": row.event_type,
        "end_date": row.end,
        "published_date": row.published or existing.published_date,
        "report_url": existing.report_url or row.report_url,
        # The spreadsheet lowercases names: keep a name typed (or read from the PDF) already.
        "lead_inspector": existing.lead_inspector
        if existing.lead_inspector.lower() == row.lead_inspector.lower()
        else row.lead_inspector or existing.lead_inspector,
    }
    for name, value in wanted.items():
        if getattr(existing, name) != value:
            setattr(existing, name, value)
            changes.append(name.replace("_", " "))
    if changes:
        save_versioned(existing, expected_version=existing.version, user=user)
    current = {j.area.code: j for j in existing.judgements.select_related("area")}
    for code, grade in row.grades.items():
        judgement = current.get(code)
        if judgement is None:
            judgement = Judgement(inspection=existing, area=areas[code], grade=grade)
        elif judgement.grade == grade:
            continue
        else:
            judgement.grade = grade
        judgement._history_user = user
        judgement.full_clean()
        judgement.save()
        changes.append(f"{areas[code].short_name.lower()} judgement")
    action = "updated" if changes else "unchanged"
    detail = ("changed " + ", ".join(changes)) if changes else "already up to date"
    return RowResult(row.line, row.authority.name, action, "; ".join(filter(None, [detail, notes])))

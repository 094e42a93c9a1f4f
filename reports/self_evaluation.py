"""The annual self-evaluation of social work practice: a kind of report (ReportKind.SELF_EVALUATION)
drafted the way councils write it (docs/domain.md, "Between inspections"), then edited section by
section, finalised (frozen) and exported to Word and PDF like any committee report.

- An introduction: the year, the day it is as at, the latest inspection and its judgements.
- For each judgement area of the latest graded inspection (overall effectiveness apart): what we
  know about the quality and impact of practice (Ofsted's strengths tagged to the area, and its
  findings on the judgement), what we are doing to improve (each area for improvement tagged to
  it, with its progress as at the day by improvement_plans.rules), how we know (the evidence
  files on those areas' updates and actions), and what we will do next (their latest approved
  next steps). Areas for improvement not tagged to a judgement area get a section of their own.
- Leadership and governance, the workforce, and the previous inspection's areas revisited.

Nothing here queries the database: it works on a reports.selectors.SelfEvaluationSource. Last
year's self-evaluation is the starting point: `carry_over` keeps the text of every section a
person wrote last year (reports.services.self_evaluation_create)."""

from __future__ import annotations

import datetime

from improvement_plans import rules
from improvement_plans.models import Rag
from inspections.models import Grade
from reports.drafting import Draft, long_date
from reports.drafting import _plan_position as plan_position
from reports.models import CommitteeReport, SectionKind
from reports.plaintext import bullets
from reports.selectors import SelfEvaluationSource

OVERALL = "overall_effectiveness"
AREA_PREFIX = "judgement-"
UNTAGGED = "judgement-none"
HEADINGS = {
    "introduction": "Introduction",
    UNTAGGED: "Across the service",
    "leadership": "Leadership, management and governance",
    "workforce": "The workforce",
    "previous_inspection": "The previous inspection revisited",
}
STATE_WORDS = {
    "returned": "the latest update returned to its officer",
    "overdue": "last month's update overdue",
    "submitted": "the latest update waiting for approval",
}


def period_for(year: int) -> tuple[datetime.date, datetime.date]:
    """A self-evaluation covers a calendar year."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _grade(grade: str) -> str:
    return Grade(grade).label


def _progress_line(source: SelfEvaluationSource, area) -> str:
    """An area for improvement and its progress on the day, in the rules' words."""
    progress = source.progress[area.pk]
    latest = progress.latest_approved
    if latest is None:
        rated = "no progress update approved yet"
    else:
        rated = f"rated {Rag(latest.rag).label.lower()} in {latest.month:%B %Y}"
    state = STATE_WORDS.get(progress.headline)
    actions = source.base.actions.get(area.pk, [])
    done = sum(1 for a in actions if rules.action_complete_by(a, source.base.as_at))
    parts = [rated]
    if state and progress.headline != "complete":
        parts.append(state)
    if actions:
        parts.append(f"{done} of {len(actions)} actions complete")
    return f"{area.title.rstrip('.')}: {'; '.join(parts)}."


def _areas_section(
    report: CommitteeReport, source: SelfEvaluationSource, key: str, areas: list, judgement=None
) -> Draft:
    code = judgement.area.code if judgement else None
    strengths = [s for s in source.strengths if code and s.judgement_area_id == judgement.area_id]
    paragraphs = ["What we know about the quality and impact of practice"]
    known = [s.text or s.title for s in strengths]
    if judgement is not None:
        paragraphs.append(
            f"Ofsted judged {judgement.area.name.lower()} {_grade(judgement.grade).lower()} "
            f"at its {source.base.inspection.get_event_type_display().lower()} of "
            f"{source.base.inspection.start_date:%B %Y}."
        )
        if judgement.strengths.strip():
            known.append(judgement.strengths.strip().split("\n\n")[0])
    paragraphs.append(
        bullets(known) if known else "No strengths are recorded for this area in the tracker."
    )
    paragraphs.append("What we are doing to improve")
    paragraphs.append(
        bullets([_progress_line(source, area) for area in areas])
        if areas
        else "No area for improvement is tagged to this judgement."
    )
    paragraphs.append("How we know")
    files = [item for area in areas for item in source.evidence.get(area.pk, [])]
    paragraphs.append(
        bullets(
            [f"{item.title} ({long_date(item.document_date)})" for item in files]
            + [
                f"Monthly progress updates approved by senior managers: {count}."
                for count in [sum(len(source.base.approved_updates.get(a.pk, [])) for a in areas)]
                if count
            ]
        )
        if files or areas
        else "No evidence is attached yet."
    )
    steps = []
    for area in areas:
        latest = source.progress[area.pk].latest_approved
        if latest is not None and latest.next_steps.strip() and latest.rag != Rag.COMPLETE:
            steps.append(f"{area.title.rstrip('.')}: {latest.next_steps.strip()}")
    paragraphs.append("What we will do next")
    paragraphs.append(bullets(steps) if steps else "Next steps are to be agreed.")
    data = {
        "judgement_area": code or "",
        "strengths": known,
        "areas": [
            {
                "title": area.title,
                "rag": (source.progress[area.pk].latest_approved_rag or ""),
                "month": (
                    source.progress[area.pk].latest_approved.month.isoformat()
                    if source.progress[area.pk].latest_approved
                    else ""
                ),
                "state": source.progress[area.pk].headline,
            }
            for area in areas
        ],
        "evidence": [item.title for item in files],
    }
    heading = judgement.area.name if judgement else HEADINGS[UNTAGGED]
    return Draft(key, SectionKind.TEXT, heading, body="\n\n".join(paragraphs), data=data)


def introduction(report: CommitteeReport, source: SelfEvaluationSource) -> str:
    inspection = source.base.inspection
    lines = [
        f"This is {report.authority.name}'s self-evaluation of the quality and impact of its "
        f"social work practice for {report.period_start.year}, as at "
        f"{long_date(source.base.as_at)}. It is shared with Ofsted for the annual engagement "
        "meeting.",
        f"Ofsted's latest {inspection.get_event_type_display().lower()} took place from "
        f"{long_date(inspection.start_date)} to {long_date(inspection.end_date)}:",
        bullets(
            [
                f"{judgement.area.name}: {_grade(judgement.grade).lower()}."
                for judgement in source.base.judgements
            ]
        )
        if source.base.judgements
        else "No judgements are recorded for it.",
    ]
    return "\n\n".join(lines)


def leadership(report: CommitteeReport, source: SelfEvaluationSource) -> str:
    counts = {"open": 0, "complete": 0}
    for area in source.base.afis:
        counts["complete" if source.progress[area.pk].is_complete else "open"] += 1
    library = source.library
    missing = [entry for entry in library if entry.state.needs_attention]
    paragraphs = [
        plan_position(source.base),
        f"Senior managers review progress on every area for improvement each month: of the "
        f"{len(source.base.afis)} current areas, {counts['complete']} "
        f"{'is' if counts['complete'] == 1 else 'are'} complete and {counts['open']} open.",
    ]
    if library:
        paragraphs.append(
            f"The evidence library holds {len(library)} documents inspectors may ask for; "
            + (
                f"{len(missing)} {'is' if len(missing) == 1 else 'are'} missing or due for review."
                if missing
                else "all are current."
            )
        )
    return "\n\n".join(paragraphs)


def workforce(report: CommitteeReport, source: SelfEvaluationSource) -> str:
    documents = [
        entry
        for entry in source.library
        if "workforce" in entry.document.title.lower() and entry.current is not None
    ]
    paragraphs = [
        "The stability, experience and caseloads of the social work workforce: recruitment and "
        "retention, agency staff, vacancies, supervision and training. The tracker holds no "
        "workforce figures: add this year's here."
    ]
    if documents:
        paragraphs.append("How we know:")
        paragraphs.append(
            bullets(
                [
                    f"{entry.current.title} ({long_date(entry.current.document_date)})"
                    for entry in documents
                ]
            )
        )
    return "\n\n".join(paragraphs)


def previous_inspection(report: CommitteeReport, source: SelfEvaluationSource) -> str:
    inspection = source.base.inspection
    own = [area for area in source.base.afis if area.inspection_id == inspection.pk]
    complete = [area for area in own if source.progress[area.pk].is_complete]
    paragraphs = [
        f"Ofsted's {inspection.get_event_type_display().lower()} of "
        f"{inspection.start_date:%B %Y} identified {len(own)} "
        f"{'area' if len(own) == 1 else 'areas'} for improvement; by "
        f"{long_date(source.base.as_at)}, {len(complete)} "
        f"{'was' if len(complete) == 1 else 'were'} complete.",
    ]
    if own:
        paragraphs.append(bullets([_progress_line(source, area) for area in own]))
    return "\n\n".join(paragraphs)


def draft_sections(report: CommitteeReport, source: SelfEvaluationSource) -> list[Draft]:
    """Every section of a new self-evaluation, in order."""
    drafts = [
        Draft(
            "introduction",
            SectionKind.TEXT,
            HEADINGS["introduction"],
            body=introduction(report, source),
        )
    ]
    judgements = [j for j in source.base.judgements if j.area.code != OVERALL]
    codes = {j.area_id for j in judgements}
    for judgement in judgements:
        areas = [a for a in source.base.afis if a.judgement_area_id == judgement.area_id]
        drafts.append(
            _areas_section(report, source, f"{AREA_PREFIX}{judgement.area.code}", areas, judgement)
        )
    untagged = [a for a in source.base.afis if a.judgement_area_id not in codes]
    if untagged:
        drafts.append(_areas_section(report, source, UNTAGGED, untagged))
    for key, write in (
        ("leadership", leadership),
        ("workforce", workforce),
        ("previous_inspection", previous_inspection),
    ):
        drafts.append(Draft(key, SectionKind.TEXT, HEADINGS[key], body=write(report, source)))
    return [
        Draft(d.key, d.kind, d.heading, order=index * 100, body=d.body, data=d.data)
        for index, d in enumerate(drafts, start=1)
    ]


def draft_section(key: str, report: CommitteeReport, source: SelfEvaluationSource) -> Draft:
    """One section written again from the data; KeyError for a key the data no longer has."""
    for draft in draft_sections(report, source):
        if draft.key == key:
            return draft
    raise KeyError(key)


def carry_over(drafts: list[Draft], last_year: list[dict], year: int) -> list[tuple[Draft, bool]]:
    """This year's drafts, each section a person wrote last year (`last_year`: its sections as
    report_content has them, with `edited`) starting from last year's text instead. Returns
    (draft, carried over)."""
    written = {s["key"]: s for s in last_year if s.get("edited")}
    out = []
    for draft in drafts:
        earlier = written.get(draft.key)
        if earlier is None:
            out.append((draft, False))
            continue
        out.append(
            (
                Draft(
                    draft.key,
                    draft.kind,
                    earlier["heading"],
                    order=draft.order,
                    body=earlier["body"],
                    data={**(draft.data or {}), "carried_over_from": year - 1},
                ),
                True,
            )
        )
    return out

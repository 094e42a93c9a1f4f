"""Writes a report's sections from the data, in the shape councils' committee reports take
(docs/domain.md, "The committee report"). Each section is written by one function, so one section
can be written again from the data without touching the others. Nothing here queries the database: it
works on a `ReportSource` (reports.selectors.report_source)."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.months import add_months
from improvement_plans import rules
from improvement_plans.models import ActionStatus, Rag
from inspections.deadlines import deadlines_for, next_inspection_window
from inspections.models import EventType, FindingKind, Grade
from reports import profiles
from reports.models import CommitteeReport, ProgressStyle, ReportKind, ReportProfile, SectionKind
from reports.plaintext import bullets, numbered
from reports.selectors import ReportSource

# Re-exported: the implications and sign-off rows councils print (reports.profiles holds them).
IMPLICATIONS = tuple((key, label) for key, label, _ in profiles.IMPLICATIONS)
SIGN_OFF_ROLES = profiles.SIGN_OFF_ROLES


@dataclass(frozen=True)
class Draft:
    """A section as written from the data."""

    key: str
    kind: str
    heading: str
    order: int = 0
    body: str = ""
    data: dict | None = None


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _grade(grade: str) -> str:
    return Grade(grade).label


def _event(inspection) -> str:
    label = inspection.get_event_type_display()
    return label if label.startswith("SIF") else label.lower()


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _areas_phrase(source: ReportSource) -> str:
    counts = Counter(area.kind for area in source.afis)
    parts = []
    if counts[FindingKind.AREA_FOR_IMPROVEMENT]:
        parts.append(
            _plural(
                counts[FindingKind.AREA_FOR_IMPROVEMENT],
                "area for improvement",
                "areas for improvement",
            )
        )
    if counts[FindingKind.PRIORITY_ACTION]:
        parts.append(
            _plural(
                counts[FindingKind.PRIORITY_ACTION],
                "area for priority action",
                "areas for priority action",
            )
        )
    return " and ".join(parts) or "no areas for improvement"


def _latest_approved(source: ReportSource, area_id: int):
    """The area's latest approved update up to the end of the report's period, or None."""
    updates = source.approved_updates.get(area_id, [])
    return updates[-1] if updates else None


def purpose(report: CommitteeReport, source: ReportSource) -> str:
    inspection = source.inspection
    what = f"Ofsted's {_event(inspection)} of {report.authority.name}'s children's services"
    if report.kind == ReportKind.INSPECTION_OUTCOME:
        return (
            f"To inform the {report.committee} of the outcome of {what}, which took place from "
            f"{long_date(inspection.start_date)} to {long_date(inspection.end_date)}, and of the "
            f"{_areas_phrase(source)} it identified."
        )
    if report.kind == ReportKind.PLAN_APPROVAL:
        return (
            f"To seek the {report.committee}'s approval of the improvement plan that responds to "
            f"the {_areas_phrase(source)} from {what} in {inspection.start_date:%B %Y}."
        )
    return (
        f"To update the {report.committee} on progress against the {_areas_phrase(source)} from "
        f"{what} in {inspection.start_date:%B %Y}, for the period {long_date(report.period_start)} "
        f"to {long_date(report.period_end)}."
    )


def recommendations(report: CommitteeReport, source: ReportSource) -> str:
    committee = f"the {report.committee}"
    if report.kind == ReportKind.INSPECTION_OUTCOME:
        items = [
            f"That {committee} notes the findings of the inspection and the judgements made.",
            f"That {committee} notes the {_areas_phrase(source)} and supports the improvement "
            "plan being monitored through the portfolio holder.",
        ]
    elif report.kind == ReportKind.PLAN_APPROVAL:
        items = [
            f"That {committee} approves the improvement plan.",
            f"That {committee} receives regular reports on progress against the plan.",
        ]
    else:
        items = [
            f"That {committee} notes the progress made against the {_areas_phrase(source)}.",
            f"That {committee} notes the areas rated red or amber and the actions being taken "
            "on them.",
        ]
    return numbered(items)


def _plan_position(source: ReportSource) -> str:
    plan = source.plan
    if plan is None:
        return "No improvement plan is recorded yet."
    if plan.accepted_on:
        position = (
            f"The improvement plan was sent to Ofsted on {long_date(plan.submitted_on)} and "
            f"accepted on {long_date(plan.accepted_on)}."
        )
    elif plan.submitted_on:
        position = f"The improvement plan was sent to Ofsted on {long_date(plan.submitted_on)}."
    else:
        position = "The improvement plan has not been sent to Ofsted yet."
    actions = [action for items in source.actions.values() for action in items]
    complete = sum(rules.action_complete_by(action, source.as_at) for action in actions)
    # Not complete by then: in progress (or marked complete only later), or not started.
    statuses = Counter(
        ActionStatus.NOT_STARTED if action.status == ActionStatus.NOT_STARTED else "in_progress"
        for action in actions
        if not rules.action_complete_by(action, source.as_at)
    )
    if actions:
        position += (
            f" By {long_date(source.as_at)}, of its {_plural(len(actions), 'action')}, "
            f"{complete} {'was' if complete == 1 else 'were'} complete, "
            f"{statuses['in_progress']} in progress and "
            f"{statuses[ActionStatus.NOT_STARTED]} not started."
        )
    return position


def key_issues(report: CommitteeReport, source: ReportSource) -> str:
    inspection = source.inspection
    items = [
        f"Ofsted's {_event(inspection)} took place from {long_date(inspection.start_date)} to "
        f"{long_date(inspection.end_date)} under the {inspection.framework.name} framework"
        + (
            f"; the report was published on {long_date(inspection.published_date)}."
            if inspection.published_date
            else "."
        )
    ]
    items += [
        f"{judgement.area.name}: {_grade(judgement.grade)}." for judgement in source.judgements
    ]
    if source.afis:
        items.append(
            f"The inspection identified {_areas_phrase(source)}: "
            + "; ".join(area.title.rstrip(".") for area in source.afis)
            + "."
        )
    items.append(_plan_position(source))
    latest = [
        latest.rag
        for area in source.afis
        if (latest := _latest_approved(source, area.pk)) is not None
    ]
    if latest:
        counts = Counter(latest)
        items.append(
            "Latest approved progress ratings: "
            + ", ".join(f"{counts[rag]} {Rag(rag).label.lower()}" for rag in Rag.values)
            + "."
        )
    return bullets(items)


def background(report: CommitteeReport, source: ReportSource) -> str:
    inspection = source.inspection
    paragraphs = [
        f"Ofsted inspects local authority children's services under a framework that decides "
        f"what is judged. This {_event(inspection)} was carried out under the "
        f"{inspection.framework.name} framework ({inspection.framework.code}), in force from "
        f"{long_date(inspection.framework.starts_on)}."
        + (
            f" The lead inspector was {inspection.lead_inspector}."
            if inspection.lead_inspector
            else ""
        )
    ]
    earlier = source.earlier_graded
    if earlier:
        lines = []
        for previous in earlier:
            grades = source.grades[previous.pk]
            overall = grades.get("overall_effectiveness")
            summary = (
                f"overall effectiveness {_grade(overall).lower()}"
                if overall
                else ", ".join(
                    f"{code.replace('_', ' ')} {_grade(g).lower()}" for code, g in grades.items()
                )
            )
            lines.append(
                f"{previous.get_event_type_display()} from {long_date(previous.start_date)} "
                f"({previous.framework.code}): {summary}."
            )
        paragraphs.append(f"Earlier inspections of {report.authority.name}'s children's services:")
        paragraphs.append(bullets(lines))
    else:
        paragraphs.append(
            f"No earlier graded inspection of {report.authority.name} is recorded in the tracker."
        )
    events = _events_since_graded(source)
    if events:
        since = (
            f"Since the {_event(earlier[0])} from {long_date(earlier[0].start_date)}"
            if earlier
            else "Ofsted's other contact with the authority"
        )
        paragraphs.append(
            f"{since}, as recorded by {long_date(source.as_at or report.period_end)}:"
        )
        paragraphs.append(bullets([_event_line(event) for event in events]))
    return "\n\n".join(paragraphs)


def _events_since_graded(source: ReportSource) -> list:
    """Every visit, JTAI and annual engagement meeting since the previous graded inspection
    (all of them when there is none) that had started by the report's day, oldest first; the
    report's own inspection and graded inspections (listed above) are left out."""
    earlier = source.earlier_graded
    after = earlier[0].start_date if earlier else None
    return sorted(
        (
            event
            for event in source.inspections
            if not event.is_graded
            and event.pk != source.inspection.pk
            and (after is None or event.start_date > after)
        ),
        key=lambda event: (event.start_date, event.pk),
    )


_FOCUS = re.compile(
    r"[^.]*\b(?:looked at|focused on|focus(?:ed)? of|evaluated|considered|reviewed)\b[^.]*\.",
    re.I,
)


def _focus(event) -> str:
    """What a visit looked at, in Ofsted's words: the sentence of its summary that says so (the
    first sentence when none does)."""
    summary = " ".join(event.summary.split())
    if not summary:
        return ""
    found = _FOCUS.search(summary)
    sentence = found.group(0) if found else re.split(r"(?<=\.)\s", summary, maxsplit=1)[0]
    return sentence.strip()


def _event_line(event) -> str:
    when = long_date(event.start_date)
    if event.end_date and event.end_date != event.start_date:
        when = f"{when} to {long_date(event.end_date)}"
    line = f"{event.get_event_type_display()}, {when}"
    if event.event_type == EventType.ANNUAL_ENGAGEMENT:
        return f"{line}."
    focus = _focus(event)
    return f"{line}: {focus}" if focus else f"{line} (its focus is not recorded in the tracker)."


def ofsted_findings(report: CommitteeReport, source: ReportSource) -> str:
    """Ofsted's summary and, for each judgement, its findings and what needs to improve, in
    Ofsted's own words (read from the report by the importer, or entered by hand)."""
    inspection = source.inspection
    paragraphs = []
    if inspection.summary.strip():
        paragraphs += [
            f"Ofsted summarised its {_event(inspection)} as follows.",
            inspection.summary,
        ]
    else:
        paragraphs.append(
            "Ofsted's summary of the inspection is not recorded in the tracker: add it on the "
            "inspection's page, then write this section again from the data."
        )
    for judgement in source.judgements:
        paragraphs.append(f"{judgement.area.name}: {_grade(judgement.grade).lower()}.")
        if judgement.strengths.strip():
            paragraphs += ["Ofsted's findings:", judgement.strengths]
        if judgement.to_improve.strip():
            paragraphs += ["What needs to improve:", judgement.to_improve]
    return "\n\n".join(paragraphs)


def judgements_table(report: CommitteeReport, source: ReportSource) -> tuple[str, dict]:
    inspection = source.inspection
    previous = source.earlier_graded[0] if source.earlier_graded else None
    previous_grades = source.grades.get(previous.pk, {}) if previous else {}
    columns = ["Judgement", f"Grade ({inspection.start_date:%B %Y})"]
    if previous:
        columns.append(f"Previous grade ({previous.start_date:%B %Y})")
    rows = []
    for judgement in source.judgements:
        row = [judgement.area.name, _grade(judgement.grade)]
        if previous:
            earlier = previous_grades.get(judgement.area.code)
            row.append(_grade(earlier) if earlier else "Not judged")
        rows.append(row)
    body = (
        ""
        if rows
        else f"A {_event(inspection)} makes no graded judgements, so there is no judgements table."
    )
    return body, {"columns": columns, "rows": rows}


def afi_section(report: CommitteeReport, source: ReportSource, finding) -> tuple[str, dict]:
    """An area's latest approved progress (to the end of the period), its RAG trend within the
    period and, for a plan for approval, its actions."""
    updates = source.approved_updates.get(finding.pk, [])
    latest = _latest_approved(source, finding.pk)
    trend = [
        {"month": u.month.isoformat(), "rag": u.rag}
        for u in updates
        if report.period_start.replace(day=1) <= u.month <= report.period_end
    ]
    data = {
        "finding_kind": finding.get_kind_display(),
        "finding_text": finding.text,
        "rag": latest.rag if latest else "",
        "month": latest.month.isoformat() if latest else "",
        "trend": trend,
    }
    if report.kind == ReportKind.PLAN_APPROVAL:
        data["actions"] = [
            [a.description, a.owner, long_date(a.due_date), a.get_status_display()]
            for a in source.actions.get(finding.pk, [])
        ]
    if latest is None:
        return "No progress update on this area has been approved yet.", data
    return _progress_text(latest, report.presentation.get("progress_style")), data


PROGRESS_LABELS = (
    ("what_was_done", "What was done"),
    ("impact", "Impact"),
    ("evidence", "Evidence"),
    ("next_steps", "Next steps and risks"),
)


def _progress_text(update, style: str | None) -> str:
    """An approved update's narrative: with a label before each part, or as plain paragraphs
    (the profile's choice)."""
    parts = [(label, getattr(update, name)) for name, label in PROGRESS_LABELS]
    if style == ProgressStyle.PROSE:
        return "\n\n".join(text for _, text in parts if text)
    return "\n\n".join(f"{label}: {text}" for label, text in parts if text)


def next_steps(report: CommitteeReport, source: ReportSource) -> str:
    next_report = add_months(report.meeting_date, 3)
    paragraphs = [
        "Senior managers will continue to review progress on every area each month, and the next "
        f"progress report will come to the {report.committee} in {next_report:%B %Y}."
    ]
    # As at the end of the period the report covers (or today, while it is not over): what was
    # due, met or missed by then.
    as_at = source.as_at or report.period_end
    for deadline in deadlines_for(
        source.inspection,
        plan=source.plan,
        has_priority_actions=_has_priority(source),
        as_at=as_at,
    ):
        # Leave out what was settled before the period: met, or missed, before it began.
        if deadline.state != "due" and (deadline.met_on or deadline.due) < report.period_start:
            continue
        state = deadline.state_label[0].lower() + deadline.state_label[1:]
        paragraphs.append(
            f"{deadline.label} by {long_date(deadline.due)} ({deadline.rule}): {state}."
        )
    window = next_inspection_window(source.inspections, source.grades, as_at=as_at)
    if window is None:
        paragraphs.append(
            "No window for the next inspection can be given: no graded inspection with "
            "judgements is recorded."
        )
    elif window.has_closed or window.started_since is not None:
        paragraphs.append(f"Ofsted's next inspection: {window.status} {window.rule}")
    else:
        paragraphs.append(
            f"Ofsted's next inspection is expected between {long_date(window.opens)} and "
            f"{long_date(window.closes)}. {window.rule}"
        )
    return "\n\n".join(paragraphs)


def _has_priority(source: ReportSource) -> bool:
    return any(a.kind == FindingKind.PRIORITY_ACTION for a in source.afis)


def implications(report: CommitteeReport, source: ReportSource, profile: ReportProfile) -> dict:
    rows = []
    for row in profile.implications or profiles.default_implications():
        text = row["text"]
        if row.get("key") == profiles.EQUALITIES:
            text = f"{profiles.equality_wording(profile)} {text}".strip()
        rows.append([row["label"], text])
    return {"columns": ["Implication", "Details"], "rows": rows}


def sign_off(report: CommitteeReport, source: ReportSource, profile: ReportProfile) -> dict:
    """The profile's people; where it names nobody, the report's own portfolio holder and
    director."""
    fallback = {"portfolio_holder": report.portfolio_holder, "executive_director": report.report_of}
    rows = [
        [
            row["role"],
            row.get("name") or fallback.get(row.get("key", ""), ""),
            row.get("title", ""),
            "",
        ]
        for row in profile.sign_off or profiles.default_sign_off()
    ]
    return {"columns": list(profiles.SIGN_OFF_COLUMNS), "rows": rows}


def _letter(index: int) -> str:
    """a, b, ..., z, aa, ab: how councils letter a list."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def progress_summary(report: CommitteeReport, source: ReportSource) -> tuple[str, dict]:
    """One row per area: its latest approved progress by the end of the period, RAG, lead and
    next steps."""
    rows = []
    for index, finding in enumerate(source.afis):
        latest = _latest_approved(source, finding.pk)
        lead = finding.lead.get_full_name() or finding.lead.get_username() if finding.lead else ""
        rows.append(
            [
                f"{_letter(index)}. {finding.title}",
                latest.what_was_done if latest else "No approved progress update yet",
                f"{Rag(latest.rag).label} ({latest.month:%B %Y})" if latest else "None approved",
                lead or "Not assigned",
                (latest.next_steps if latest else "") or "None recorded",
            ]
        )
    body = "" if rows else "There are no areas for improvement to summarise."
    columns = ["Area", "Progress", "RAG rating", "Lead", "Next steps"]
    return body, {"columns": columns, "rows": rows}


def _action_status(action, day: datetime.date) -> str:
    if rules.action_complete_by(action, day):
        return f"Complete ({long_date(action.completed_on)})"
    state = "Not started" if action.status == ActionStatus.NOT_STARTED else "In progress"
    return f"{state}, late" if rules.action_late(action, day) else state


def plan_appendix(report: CommitteeReport, source: ReportSource) -> tuple[str, dict]:
    """Every action of the plan, as it stood at the end of the period."""
    as_at = source.as_at or report.period_end
    rows = [
        [
            f"{_letter(index)}. {finding.title}",
            action.description,
            action.owner,
            long_date(action.due_date),
            _action_status(action, as_at),
        ]
        for index, finding in enumerate(source.afis)
        for action in source.actions.get(finding.pk, [])
    ]
    body = (
        f"The improvement plan's actions as they stood on {long_date(as_at)}."
        if rows
        else f"No actions of the improvement plan were recorded by {long_date(as_at)}."
    )
    columns = ["Area", "Action", "Owner", "Due", f"Status on {long_date(as_at)}"]
    return body, {"columns": columns, "rows": rows}


def background_papers(report: CommitteeReport, source: ReportSource) -> str:
    inspection = source.inspection
    name = f"Ofsted, {report.authority.name}: inspection of local authority children's services"
    when = (
        f"published {long_date(inspection.published_date)}"
        if inspection.published_date
        else f"inspection from {long_date(inspection.start_date)}"
    )
    if inspection.report_url:
        items = [f"{name}, {when}: {inspection.report_url}"]
    else:
        items = [f"{name}, {when} (the report's link is not recorded in the tracker)."]
    if source.plan is not None:
        items.append(f"{report.authority.name}'s improvement plan in response to the inspection.")
    return bullets(items)


TextWriter = Callable[[CommitteeReport, ReportSource], str]
TableWriter = Callable[[CommitteeReport, ReportSource], tuple[str, dict]]
RowsWriter = Callable[[CommitteeReport, ReportSource, ReportProfile], dict]

TEXT_SECTIONS: dict[str, TextWriter] = {
    "purpose": purpose,
    "recommendations": recommendations,
    "key_issues": key_issues,
    "background": background,
    "ofsted_findings": ofsted_findings,
    "next_steps": next_steps,
    "background_papers": background_papers,
}
TABLE_SECTIONS: dict[str, tuple[str, TableWriter]] = {
    "judgements": (SectionKind.JUDGEMENTS, judgements_table),
    "progress_summary": (SectionKind.TABLE, progress_summary),
    "plan_appendix": (SectionKind.TABLE, plan_appendix),
}
ROWS_SECTIONS: dict[str, tuple[str, RowsWriter]] = {
    "implications": (SectionKind.IMPLICATIONS, implications),
    "sign_off": (SectionKind.SIGN_OFF, sign_off),
}
AREA_PREFIX = "area-"


def draft_section(
    key: str,
    report: CommitteeReport,
    source: ReportSource,
    profile: ReportProfile,
    *,
    heading: str = "",
    custom_body: str = "",
) -> Draft:
    """One section as written from the data (a council's own section: the text its profile
    starts it with). Raises KeyError for a key the data no longer has (an area for improvement
    deleted since the report was started)."""
    heading = heading or profiles.STANDARD_HEADINGS.get(key, "")
    if key in TEXT_SECTIONS:
        return Draft(key, SectionKind.TEXT, heading, body=TEXT_SECTIONS[key](report, source))
    if key in TABLE_SECTIONS:
        kind, write = TABLE_SECTIONS[key]
        body, data = write(report, source)
        return Draft(key, kind, heading, body=body, data=data)
    if key in ROWS_SECTIONS:
        kind, write = ROWS_SECTIONS[key]
        return Draft(key, kind, heading, data=write(report, source, profile))
    if key.startswith(profiles.CUSTOM_PREFIX):
        return Draft(key, SectionKind.TEXT, heading, body=custom_body, data={"custom": True})
    if key.startswith(AREA_PREFIX):
        pk = int(key.removeprefix(AREA_PREFIX))
        for finding in source.afis:
            if finding.pk == pk:
                body, data = afi_section(report, source, finding)
                return Draft(key, SectionKind.AREA, finding.title, body=body, data=data)
    raise KeyError(key)


def draft_report(
    report: CommitteeReport, source: ReportSource, profile: ReportProfile
) -> list[Draft]:
    """Every section of a new report, in the profile's order."""
    drafts = []
    for position, planned in enumerate(profiles.planned_sections(profile, report.kind), start=1):
        order = position * 100
        if planned.key == "areas":
            drafts += [
                replace(
                    draft_section(f"{AREA_PREFIX}{finding.pk}", report, source, profile),
                    order=order + index,
                )
                for index, finding in enumerate(source.afis, start=1)
            ]
            continue
        draft = draft_section(
            planned.key,
            report,
            source,
            profile,
            heading=planned.heading,
            custom_body=planned.body,
        )
        drafts.append(replace(draft, order=order))
    return drafts

"""Writes a report's sections from the data, in the shape councils' committee reports take
(docs/domain.md, "The committee report"). Each section is written by one function, so one section
can be written again from the data without touching the others. Nothing here queries the database: it
works on a `ReportSource` (reports.selectors.report_source)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from core.months import add_months
from improvement_plans import rules
from improvement_plans.models import ActionStatus, Rag
from inspections.deadlines import deadlines_for, next_inspection_window
from inspections.models import FindingKind, Grade
from reports.models import CommitteeReport, ReportKind, SectionKind
from reports.plaintext import bullets
from reports.selectors import ReportSource

# The implications every committee report answers, in the order councils print them.
IMPLICATIONS = (
    ("policy", "Policy"),
    ("finance", "Finance and value for money"),
    ("legal", "Legal"),
    ("procurement", "Procurement"),
    ("human_resources", "Human resources"),
    ("property", "Property"),
    ("equalities", "Equalities"),
    ("risk", "Risk"),
    ("crime_and_disorder", "Crime and disorder"),
    ("customer", "Customer consideration"),
    ("carbon", "Carbon reduction"),
    ("health", "Health and wellbeing"),
    ("wards", "Wards"),
)
SIGN_OFF_ROLES = (
    ("monitoring_officer", "Monitoring Officer"),
    ("s151_officer", "Section 151 Officer"),
    ("executive_director", "Executive Director"),
    ("chief_executive", "Chief Executive"),
    ("portfolio_holder", "Portfolio Holder"),
)


@dataclass(frozen=True)
class Draft:
    """A section as written from the data."""

    key: str
    kind: str
    heading: str
    order: int
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
    counts = Counter(area.kind for area in source.areas)
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
    return bullets(items)


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
    if source.areas:
        items.append(
            f"The inspection identified {_areas_phrase(source)}: "
            + "; ".join(area.title.rstrip(".") for area in source.areas)
            + "."
        )
    items.append(_plan_position(source))
    latest = [
        latest.rag
        for area in source.areas
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


def area(report: CommitteeReport, source: ReportSource, finding) -> tuple[str, dict]:
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
    parts = [f"What was done: {latest.what_was_done}"]
    if latest.impact:
        parts.append(f"Impact: {latest.impact}")
    if latest.evidence:
        parts.append(f"Evidence: {latest.evidence}")
    if latest.next_steps:
        parts.append(f"Next steps and risks: {latest.next_steps}")
    return "\n\n".join(parts), data


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
    return any(a.kind == FindingKind.PRIORITY_ACTION for a in source.areas)


def implications(report: CommitteeReport, source: ReportSource) -> dict:
    defaults = {
        "policy": "The improvement plan supports the council's priorities for children and "
        "young people.",
        "finance": "There are no direct financial implications arising from this report.",
        "legal": "The council must act on the findings of an Ofsted inspection of its "
        "children's services.",
        "equalities": "There are no proposals to reduce services; the plan aims to improve "
        "services for vulnerable children and families.",
        "risk": "Safeguarding children is on the corporate risk register; the improvement plan "
        "addresses the risks the inspection identified.",
        "wards": "All wards.",
    }
    return {
        "columns": ["Implication", "Details"],
        "rows": [[label, defaults.get(key, "None.")] for key, label in IMPLICATIONS],
    }


def sign_off(report: CommitteeReport, source: ReportSource) -> dict:
    names = {"portfolio_holder": report.portfolio_holder, "executive_director": report.report_of}
    return {
        "columns": ["Role", "Name", "Date"],
        "rows": [[label, names.get(key, ""), ""] for key, label in SIGN_OFF_ROLES],
    }


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
TableWriter = Callable[[CommitteeReport, ReportSource], dict]

TEXT_SECTIONS: dict[str, tuple[int, str, TextWriter]] = {
    "purpose": (10, "Purpose of the report", purpose),
    "recommendations": (20, "Recommendations", recommendations),
    "key_issues": (30, "Key issues", key_issues),
    "background": (40, "Background", background),
    "next_steps": (800, "What happens next", next_steps),
    "background_papers": (830, "Background papers", background_papers),
}
TABLE_SECTIONS: dict[str, tuple[int, str, str, TableWriter]] = {
    "implications": (810, "Implications", SectionKind.IMPLICATIONS, implications),
    "sign_off": (820, "Report sign-off", SectionKind.SIGN_OFF, sign_off),
}
AREA_PREFIX = "area-"


def draft_section(key: str, report: CommitteeReport, source: ReportSource) -> Draft:
    """One section as written from the data. Raises KeyError for a key the data no longer has
    (an area for improvement deleted since the report was started)."""
    if key in TEXT_SECTIONS:
        order, heading, write = TEXT_SECTIONS[key]
        return Draft(key, SectionKind.TEXT, heading, order, write(report, source), {})
    if key in TABLE_SECTIONS:
        order, heading, kind, write = TABLE_SECTIONS[key]
        return Draft(key, kind, heading, order, "", write(report, source))
    if key == "judgements":
        body, data = judgements_table(report, source)
        return Draft(key, SectionKind.JUDGEMENTS, "Inspection judgements", 50, body, data)
    if key.startswith(AREA_PREFIX):
        pk = int(key.removeprefix(AREA_PREFIX))
        for index, finding in enumerate(source.areas, start=1):
            if finding.pk == pk:
                body, data = area(report, source, finding)
                return Draft(key, SectionKind.AREA, finding.title, 100 + index, body, data)
    raise KeyError(key)


def draft_report(report: CommitteeReport, source: ReportSource) -> list[Draft]:
    """Every section of a new report, in order."""
    keys = [
        *TEXT_SECTIONS,
        "judgements",
        *(f"{AREA_PREFIX}{finding.pk}" for finding in source.areas),
        *TABLE_SECTIONS,
    ]
    return sorted((draft_section(key, report, source) for key in keys), key=lambda d: d.order)

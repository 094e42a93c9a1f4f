"""An authority's report profile as the drafting reads it: the standard sections with their
default headings, the implications and sign-off rows councils print, and how a stored profile
(reports.models.ReportProfile) or none at all becomes the plan a new report is written to.

Nothing here queries the database."""

from __future__ import annotations

from dataclasses import dataclass

from reports.models import (
    EqualityAssessment,
    Exemption,
    KeyDecision,
    ProgressStyle,
    ReportKind,
    ReportProfile,
)

# Every standard section: key, default heading, whether a new profile includes it, and what it
# holds (the profile page says so beside each heading).
STANDARD_SECTIONS: tuple[tuple[str, str, bool, str], ...] = (
    ("purpose", "Purpose of the report", True, "why the report comes to the committee"),
    ("recommendations", "Recommendations", True, "what the committee is asked to do, numbered"),
    ("key_issues", "Key issues", True, "the inspection, its judgements and the plan in brief"),
    (
        "background",
        "Background",
        True,
        "the framework, and every inspection and visit since the previous graded inspection",
    ),
    (
        "ofsted_findings",
        "What Ofsted found",
        True,
        "Ofsted's summary and its words on each judgement (inspection outcome reports only)",
    ),
    ("judgements", "Inspection judgements", True, "the judgements table"),
    (
        "progress_summary",
        "Progress summary",
        False,
        "a table: each area, its progress, RAG rating, lead and next steps",
    ),
    ("areas", "Areas for improvement", True, "each area with its latest approved progress"),
    ("next_steps", "What happens next", True, "the next report, deadlines, the next inspection"),
    ("implications", "Implications", True, "the implications table"),
    ("sign_off", "Report sign-off", True, "who signed the report off"),
    ("background_papers", "Background papers", True, "Ofsted's report and the plan"),
    (
        "plan_appendix",
        "Appendix: the improvement plan",
        False,
        "every action with its owner, due date and status at the end of the period",
    ),
)
STANDARD_KEYS = frozenset(key for key, *_ in STANDARD_SECTIONS)
STANDARD_HEADINGS = {key: heading for key, heading, *_ in STANDARD_SECTIONS}
DESCRIPTIONS = {key: description for key, _, _, description in STANDARD_SECTIONS}
CUSTOM_PREFIX = "custom-"
# Sections written only for some kinds of report.
ONLY_FOR = {"ofsted_findings": {ReportKind.INSPECTION_OUTCOME}}

# The implications every committee report answers, in the order councils print them, with the
# wording a new profile starts from.
IMPLICATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "policy",
        "Policy",
        "The improvement plan supports the council's priorities for children and young people.",
    ),
    (
        "finance",
        "Finance and value for money",
        "There are no direct financial implications arising from this report.",
    ),
    (
        "legal",
        "Legal",
        "The council must act on the findings of an Ofsted inspection of its children's services.",
    ),
    ("procurement", "Procurement", "None."),
    ("human_resources", "Human resources", "None."),
    ("property", "Property", "None."),
    (
        "equalities",
        "Equalities",
        "There are no proposals to reduce services; the plan aims to improve services for "
        "vulnerable children and families.",
    ),
    (
        "risk",
        "Risk",
        "Safeguarding children is on the corporate risk register; the improvement plan addresses "
        "the risks the inspection identified.",
    ),
    ("crime_and_disorder", "Crime and disorder", "None."),
    ("customer", "Customer consideration", "None."),
    ("carbon", "Carbon reduction", "None."),
    ("health", "Health and wellbeing", "None."),
    ("wards", "Wards", "All wards."),
)
EQUALITIES = "equalities"
SIGN_OFF_ROLES: tuple[tuple[str, str], ...] = (
    ("monitoring_officer", "Monitoring Officer"),
    ("s151_officer", "Section 151 Officer"),
    ("executive_director", "Executive Director"),
    ("chief_executive", "Chief Executive"),
    ("portfolio_holder", "Portfolio Holder"),
)
SIGN_OFF_COLUMNS = ["Role", "Name", "Job title", "Date"]


def default_sections() -> list[dict]:
    return [
        {"key": key, "heading": heading, "include": include}
        for key, heading, include, _ in STANDARD_SECTIONS
    ]


def default_implications() -> list[dict]:
    return [{"key": key, "label": label, "text": text} for key, label, text in IMPLICATIONS]


def default_sign_off() -> list[dict]:
    return [{"key": key, "role": role, "name": "", "title": ""} for key, role in SIGN_OFF_ROLES]


def new_profile(authority) -> ReportProfile:
    """The profile an authority has before anyone saves one (not saved)."""
    return ReportProfile(
        authority=authority,
        sections=default_sections(),
        implications=default_implications(),
        sign_off=default_sign_off(),
    )


def complete_sections(stored: list[dict]) -> list[dict]:
    """The profile's sections with any standard section it lacks (one added to the code since the
    profile was saved) put back, left out, where the defaults have it."""
    present = {section["key"] for section in stored}
    sections = list(stored)
    for index, (key, heading, _, _) in enumerate(STANDARD_SECTIONS):
        if key not in present:
            sections.insert(
                min(index, len(sections)), {"key": key, "heading": heading, "include": False}
            )
    return sections


@dataclass(frozen=True)
class PlannedSection:
    """A section a new report will have, in order: a standard one or the council's own."""

    key: str
    heading: str
    body: str = ""  # the council's own sections: the text they start with

    @property
    def is_custom(self) -> bool:
        return self.key.startswith(CUSTOM_PREFIX)


def planned_sections(profile: ReportProfile, kind: str) -> list[PlannedSection]:
    """The sections a new report of `kind` has, in the profile's order."""
    planned = []
    for section in complete_sections(profile.sections or default_sections()):
        key = section["key"]
        if not section.get("include", True):
            continue
        if key in ONLY_FOR and kind not in ONLY_FOR[key]:
            continue
        planned.append(
            PlannedSection(key=key, heading=section["heading"], body=section.get("body", ""))
        )
    return planned


def presentation(profile: ReportProfile) -> dict:
    """What a report keeps of its profile for laying itself out (CommitteeReport.presentation)."""
    areas = next(
        (s["heading"] for s in profile.sections or [] if s["key"] == "areas"),
        STANDARD_HEADINGS["areas"],
    )
    return {
        "font_name": profile.font_name,
        "font_size": profile.font_size,
        "margin_mm": profile.margin_mm,
        "progress_style": profile.progress_style,
        "areas_heading": areas,
    }


DEFAULT_PRESENTATION = {
    "font_name": "Arial",
    "font_size": 12,
    "margin_mm": 25,
    "progress_style": ProgressStyle.LABELLED,
    "areas_heading": STANDARD_HEADINGS["areas"],
}


def title_block_defaults(profile: ReportProfile) -> dict:
    """The new-report form's starting values from the profile."""
    return {
        "committee": profile.committee,
        "report_of": profile.report_of,
        "portfolio_holder": profile.portfolio_holder,
        "author_name": profile.author_name,
        "contact": profile.contact,
        "key_decision": profile.key_decision or KeyDecision.NO,
        "wards_affected": profile.wards_affected,
        "exemption": profile.exemption or Exemption.OPEN,
    }


def equality_wording(profile: ReportProfile) -> str:
    answer = EqualityAssessment(profile.equality_assessment or EqualityAssessment.NOT_APPLICABLE)
    return f"Equality impact assessment undertaken: {answer.label}."

"""Themes of what Ofsted asks councils to improve: each area for improvement assigned one theme
from a documented list, by transparent rules (regular expressions over its words), never by an
opaque model. The rubric a person labels by is docs/themes.md; the rules here follow it, and
tests/inspections/test_themes.py checks them against a sample of real areas for improvement
from the archive, labelled by hand with that rubric (the agreement is in the README).

How a theme is chosen (docs/themes.md, "Choosing one theme"):

1. A **named group or process** (`SPECIFIC`, in this order): when the area for improvement names
   it anywhere (private fostering, children who go missing, pre-proceedings, homeless 16- and
   17-year-olds, disabled children, exploitation, care leavers, early help), that is its theme,
   even where it is one part of a wider point: the group is what a council searches by.
2. Otherwise the **practice theme named first** (`PRACTICE`): the one whose words start earliest
   in the text, after any opening instruction ("Ensure that", "Improve", "Work with partners
   to"); on a tie, the first in the list.
3. Otherwise **other**.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    description: str  # what it covers, as the rubric says
    pattern: re.Pattern


def _rule(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


SPECIFIC: tuple[Theme, ...] = (
    Theme(
        "private_fostering",
        "Private fostering",
        "Identifying, assessing and overseeing private fostering arrangements.",
        _rule(r"private(?:ly)?[ -]foster"),
    ),
    Theme(
        "missing",
        "Children missing and return home interviews",
        "Children who go missing from home, care or education; return home interviews.",
        _rule(r"\bmissing\b", r"return(?: home)? interview", r"\bgo(?:es)? missing"),
    ),
    Theme(
        "pre_proceedings",
        "Pre-proceedings and the Public Law Outline",
        "Pre-proceedings work, the Public Law Outline, legal planning, care proceedings.",
        _rule(
            r"pre-?\s?proceedings",
            r"public law outline",
            r"\bPLO\b",
            r"care proceedings",
            r"legal (?:planning|gateway|meeting|advice)",
            r"\bproceedings\b",
        ),
    ),
    Theme(
        "homeless_16_17",
        "Homeless 16- and 17-year-olds",
        "The response to 16- and 17-year-olds who present as homeless.",
        _rule(r"homeless"),
    ),
    Theme(
        "disabled_children",
        "Disabled children",
        "Services and practice for disabled children and children with disabilities.",
        _rule(r"disabled child", r"(?:children|child|young people) with (?:a )?disabilit"),
    ),
    Theme(
        "exploitation",
        "Exploitation and extra-familial harm",
        "Children at risk of sexual or criminal exploitation, trafficking, gangs, county lines, "
        "contextual safeguarding.",
        _rule(
            r"exploit",
            r"\bCSE\b",
            r"county lines",
            r"trafficking",
            r"extra-?familial",
            r"contextual safeguarding",
            r"\bgangs?\b",
        ),
    ),
    Theme(
        "care_leavers",
        "Care leavers and their pathway plans",
        "Care leavers and care-experienced young adults, and children preparing to leave care: pathway plans, personal advisers, accommodation, education, employment, health histories, entitlements.",
        _rule(
            r"care leaver",
            r"care-? ?experienced",
            r"pathway plan",
            r"\bleav(?:e|ing) care\b",
            r"personal advis[eo]r",
            r"\bPAs?\b",
            r"staying put",
            r"care leaving",
            r"health histor",
            r"\bentitlements\b",
        ),
    ),
    Theme(
        "early_help",
        "Early help",
        "Early help services, their quality, and stepping children down from (or up to) children's social care.",
        _rule(
            r"early help",
            r"early intervention",
            r"targeted (?:family )?support",
            r"step(?:ped|ping)? down",
        ),
    ),
)

PRACTICE: tuple[Theme, ...] = (
    Theme(
        "management_oversight",
        "Management oversight and supervision",
        "Managers' oversight of practice and decisions, supervision of social workers and its "
        "recording, managers' challenge.",
        _rule(
            r"supervision",
            r"(?:management|managerial|manager[’']?s[’']?|senior management|leaders[’']?) "
            r"(?:oversight|challenge|grip)",
            r"oversight (?:by|of|from) (?:senior )?managers",
            r"case oversight",
            r"\bmanagers[’']",
        ),
    ),
    Theme(
        "assessment",
        "Assessment quality",
        "The timeliness and quality of assessments, their analysis of risk and need, the use of "
        "history, specialist assessment tools.",
        _rule(
            r"assess(?:ment|ing)",
            r"analysis",
            r"identification of(?:,| and)? (?:and )?(?:the )?risk",
        ),
    ),
    Theme(
        "planning",
        "Plans and planning",
        "The quality of children's plans (child in need, child protection, care plans) and "
        "planning: specific, measurable, timely, reviewed; drift and delay in plans.",
        _rule(r"\bplans?\b", r"\bplanning\b", r"drift", r"\bdelay"),
    ),
    Theme(
        "front_door",
        "The front door: contacts, referrals, thresholds, strategy discussions",
        "Contacts, notifications and referrals, their triage, the MASH and duty teams, thresholds, consent, strategy discussions and section 47 enquiries, out-of-hours services, decisions when children first come to notice.",
        _rule(
            r"front door",
            r"\bMASH\b",
            r"multi-agency safeguarding hub",
            r"\bcontacts?\b",
            r"referral",
            r"threshold",
            r"strategy (?:discussion|meeting)",
            r"section 47",
            r"out of hours",
            r"emergency duty",
            r"first come to the attention",
            r"\bconsent\b",
            r"\btriage",
            r"notifications",
            r"\breferred\b",
            r"duty (?:system|team|and assessment)",
        ),
    ),
    Theme(
        "workforce",
        "Workforce stability and caseloads",
        "Recruiting and keeping social workers, agency staff, caseloads, capacity, training, professional development (the principal social worker, newly qualified social workers) and the stability of children's social workers.",
        _rule(
            r"recruit(?![^.]{0,60}\bcarers\b)",
            r"retention|retain",
            r"caseload",
            r"workload",
            r"agency (?:staff|social|workers)",
            r"workforce",
            r"turnover",
            r"changes? (?:of|in) social worker",
            r"\bcapacity\b",
            r"\btraining\b",
            r"\bstaffing\b",
            r"principal social worker",
            r"\bASYE\b|newly qualified",
            r"professional development",
        ),
    ),
    Theme(
        "quality_assurance",
        "Quality assurance and performance information",
        "Audit, quality assurance, performance management and information, self-evaluation, "
        "learning from feedback and complaints.",
        _rule(
            r"quality[ -]assur",
            r"\baudit",
            r"performance (?:management|information|data|monitoring|reporting)",
            r"management information",
            r"self-?evaluation",
            r"complaints",
            r"\bdata\b",
        ),
    ),
    Theme(
        "risk_response",
        "Responses to risk, neglect and domestic abuse",
        "Identifying and responding to risk of harm, neglect, domestic abuse, pre-birth concerns; keeping children safe.",
        _rule(
            r"\bneglect",
            r"domestic abuse|domestic violence",
            r"significant harm",
            r"safeguarded",
            r"pre-?birth",
            r"(?:response|respond|responding) to (?:\w+ )?risk",
            r"\brisks?\b",
        ),
    ),
    Theme(
        "placements",
        "Placements: sufficiency, stability and commissioning",
        "Enough homes and the right ones, placement stability, commissioning, unregistered homes, placements out of the area, recruiting and supporting foster carers, children placed with their parents.",
        _rule(
            r"placement",
            r"sufficiency",
            r"\bhomes? for\b",
            r"commissioning",
            r"unregistered",
            r"foster(?:ing)? (?:carers?|households)",
            r"residential",
            r"placed with (?:their )?parents",
            r"(?:number|sufficiency|availability|range) of (?:\w+ )?carers",
        ),
    ),
    Theme(
        "permanence",
        "Permanence, adoption and life-story work",
        "Permanence planning, adoption (later-in-life letters included), special guardianship, matching with long-term carers, kinship, family and friends and connected-person care, discharging care orders, reunification, life-story work.",
        _rule(
            r"permanen",
            r"adopt",
            r"special guardianship",
            r"\bmatch(?:ing|es)?\b",
            r"long-term (?:foster|carers)",
            r"reunification",
            r"life-? ?story",
            r"kinship",
            r"connected (?:persons|carers)",
            r"later[ -]in[ -]life",
            r"relatives or friends|family and friends",
            r"discharg\w* (?:of )?(?:the |their )?care orders?",
        ),
    ),
    Theme(
        "health_education",
        "Health and education of children in care",
        "Health assessments, emotional and mental health (CAMHS), personal education plans, the virtual school, attainment, attendance and exclusions.",
        _rule(
            r"health",
            r"personal education plan",
            r"\bPEPs?\b",
            r"virtual school",
            r"education",
            r"attainment",
            r"\bschools?\b",
            r"\bCAMHS\b",
            r"exclusions?",
        ),
    ),
    Theme(
        "voice_and_identity",
        "Children's voice, direct work and identity",
        "Children's views, wishes and feelings, direct work, advocacy and independent visitors, participation (children in care councils), knowing how to complain, identity, culture and diversity, visits to children.",
        _rule(
            r"\bvoices?\b",
            r"wishes and feelings",
            r"direct work",
            r"advocacy|advocates?",
            r"participation",
            r"\bviews\b",
            r"identity",
            r"\bcultur",
            r"diversity|diverse",
            r"\bvisit(?:s|ed|ing)?\b",
            r"independent visitors?",
            r"children in care councils?",
            r"\blisten",
            r"how to complain",
        ),
    ),
    Theme(
        "reviews_and_conferences",
        "Reviews, conferences and independent reviewing officers",
        "Independent reviewing officers and child protection chairs, reviews of children in "
        "care, child protection conferences, core groups.",
        _rule(
            r"independent reviewing",
            r"\bIROs?\b",
            r"conference",
            r"child protection meetings?",
            r"\breviews?\b",
            r"core group",
            r"\bchairs?\b",
        ),
    ),
    Theme(
        "leadership_and_partnership",
        "Leadership, governance and partnership",
        "Leaders' grip, governance and scrutiny, strategic plans, accountabilities, corporate parenting, partnership working, the safeguarding board, allegations against professionals, compliance with statutory guidance.",
        _rule(
            r"governance",
            r"scrutiny",
            r"corporate parent",
            r"partnership (?:board|working|arrangements)",
            r"\bLSCB\b|safeguarding (?:children )?(?:board|partnership)",
            r"elected members",
            r"\bleaders?\b|\bleadership\b",
            r"allegations",
            r"designated officer|\bLADO\b",
            r"statutory guidance",
            r"strategic plans?",
            r"accountabilities",
        ),
    ),
    Theme(
        "recording",
        "Recording and case records",
        "The quality and timeliness of case records and chronologies.",
        _rule(r"case records?", r"\brecording\b", r"\brecords of\b", r"chronolog"),
    ),
)

OTHER = Theme("other", "Other", "Anything no theme above covers.", re.compile(r"(?!)"))
THEMES: tuple[Theme, ...] = (*SPECIFIC, *PRACTICE, OTHER)
BY_CODE = {theme.code: theme for theme in THEMES}

# Opening instructions that say what to do, not what about ("Ensure that", "Improve the", "Work
# with schools and other partners to"): the practice theme is looked for after them.
_OPENING = re.compile(
    r"^\s*(?:(?:together|in partnership) with [^,]*,\s*)?"
    r"(?:(?:take action to|continue to|further|urgently|swiftly)\s+)?"
    r"(?:improve|ensure(?: that)?|strengthen|review|develop|establish|put in place|devise|"
    r"increase|reduce|provide|make sure(?: that)?|address|embed|consolidate|progress plans to|"
    r"work (?:closely )?with [^,.;]*? to(?: ensure(?: that)?)?)\b",
    re.IGNORECASE,
)


def classify(text: str) -> Theme:
    """The one theme of an area for improvement's text (docs/themes.md)."""
    flat = " ".join(text.split())
    for theme in SPECIFIC:
        if theme.pattern.search(flat):
            return theme
    opening = _OPENING.match(flat)
    start = opening.end() if opening else 0
    best: tuple[int, int, Theme] | None = None
    for order, theme in enumerate(PRACTICE):
        found = theme.pattern.search(flat, start)
        if found and (best is None or (found.start(), order) < best[:2]):
            best = (found.start(), order, theme)
    return best[2] if best else OTHER

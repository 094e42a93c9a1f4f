"""Plausible dates (issue 14, item 6; core.forms.GovukDateField, the one rule).

Every date field of every form is sent 31 February, the year "27", 1 January 1900 and a day
more than a year ahead, from its own page (filled in as the page renders it): each is refused in
GOV.UK's words on that field, nothing changes, and no message of Python's date library reaches the
page. A coverage check finds every form class with a date field and requires a case for it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from core.forms import GovukDateField
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate
from inspections.models import Finding, Inspection, Judgement
from readiness.models import Evidence, LibraryDocument, ReadinessItem
from reports.models import CommitteeReport
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
)
from tests.forms_on_page import post_forms
from tests.reports.factories import report_for

# The uploads read each fixture report once in the run (see reports_read_once).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reports_read_once")]

# What a new report's form needs typed when the authority's report profile gives no defaults.
REPORT_TYPED = {
    "committee": "Children and Young People's Scrutiny Panel",
    "meeting_date_0": "10",
    "meeting_date_1": "7",
    "meeting_date_2": "2025",
    "report_of": "Sheila Smith, Director of Children's Services",
    "portfolio_holder": "Cllr Mary Jones",
    "author_name": "Pat Lee",
    "contact": "pat.lee@example.gov.uk",
}

REPORT_PDF = (
    Path(__file__).resolve().parent
    / "fixtures/ofsted-reports/north-somerset_published-2017-08-25.pdf"
)
PYTHONS_WORDS = ("out of range", "must be in", "invalid literal", "year 27 is")


def _boxes(name: str, day: str, month: str, year: str) -> dict:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def _next_year() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=400)


# (what is typed, the words the error must have); the last is for a date that cannot be ahead.
BAD = {
    "31 February": (("31", "2", "2025"), "must be a real date"),
    "year 27": (("1", "1", "27"), "must include a year with 4 digits"),
    "1900": (("1", "1", "1900"), "must be the same as or after 1 January 2000"),
}
AHEAD_WORDS = ("must be the same as or before", "must be today or in the past")


@dataclass
class Case:
    """A page with a date form: who opens it, the form's page (a URL, or a function returning
    the page), which of its forms (the hidden `deadline` value, or its action), what is typed to
    make everything else valid, and its date fields: {name: refuses a day more than a year
    ahead}."""

    name: str
    user: str
    page: object
    action: str
    dates: dict[str, bool]
    typed: dict = field(default_factory=dict)
    deadline: str | None = None
    prefix: str = ""


def _snapshot() -> tuple:
    models = (
        Inspection,
        Judgement,
        Finding,
        ImprovementPlan,
        Action,
        ProgressUpdate,
        ApiToken,
        Evidence,
        LibraryDocument,
        ReadinessItem,
    )
    return (
        *(list(model.objects.order_by("pk").values()) for model in models),
        list(CommitteeReport.objects.order_by("pk").values("pk", "version", "meeting_date")),
    )


def _world(authority, manager, officer) -> list[Case]:
    inspection = InspectionFactory(
        authority=authority,
        start_date=datetime.date(2024, 1, 8),
        end_date=datetime.date(2024, 1, 19),
        published_date=datetime.date(2024, 3, 4),
    )
    area = FindingFactory(inspection=inspection, lead=officer, title="Quality of plans")
    plan = ImprovementPlanFactory(inspection=inspection)
    action = ActionFactory(area_for_improvement=area, due_date=datetime.date(2025, 3, 31))
    report = report_for(inspection, manager)
    JudgementFactory(inspection=inspection)  # graded: a self-evaluation starts from it
    document = LibraryDocument.objects.create(
        authority=authority, title="Quality assurance framework", owner="Head of QA"
    )
    document_detail = reverse("readiness:document_detail", args=[document.pk])
    item_create = reverse("readiness:item_create", args=[authority.pk])
    document_create = reverse("readiness:document_create", args=[authority.pk])
    self_evaluation = reverse("reports:self_evaluation_create", args=[authority.pk])
    tokens = reverse("accounts:api_token_create")

    def upload(client):
        with REPORT_PDF.open("rb") as handle:
            return client.post(
                reverse("inspections:report_import"),
                {"file": SimpleUploadedFile(REPORT_PDF.name, handle.read(), "application/pdf")},
            )

    inspection_dates = {"start_date": True, "end_date": True, "published_date": True}
    report_dates = {"meeting_date": False, "period_start": False, "period_end": False}
    create = reverse("inspections:inspection_create", args=[authority.pk])
    edit = reverse("inspections:inspection_edit", args=[inspection.pk])
    deadlines = reverse("improvement_plans:inspection_deadlines", args=[inspection.pk])
    action_create = reverse("improvement_plans:action_create", args=[area.pk])
    action_edit = reverse("improvement_plans:action_edit", args=[action.pk])
    action_status = reverse("improvement_plans:action_status", args=[action.pk])
    plan_edit = reverse("improvement_plans:plan_edit", args=[plan.pk])
    report_create = reverse("reports:report_create", args=[authority.pk])
    report_edit = reverse("reports:report_edit", args=[report.pk])
    return [
        Case(
            "InspectionForm (new)",
            "administrator",
            create,
            create,
            inspection_dates,
            {
                "event_type": "standard",
                **_boxes("start_date", "10", "3", "2025"),
                **_boxes("end_date", "21", "3", "2025"),
                **_boxes("published_date", "2", "5", "2025"),
            },
        ),
        Case("InspectionForm", "administrator", edit, edit, inspection_dates),
        Case(
            "ReportReviewForm",
            "administrator",
            upload,
            reverse("inspections:report_import_confirm"),
            inspection_dates,
            {"authority": str(authority.pk)},
        ),
        Case(
            "ReportPublishedForm",
            "manager",
            deadlines,
            deadlines,
            {"report_published_by_authority_on": True},
            deadline="publication",
            prefix="publication-",
        ),
        Case(
            "PlanSentForm",
            "manager",
            deadlines,
            deadlines,
            {"submitted_on": True},
            deadline="action_plan",
            prefix="action_plan-",
        ),
        Case(
            "ActionForm",
            "manager",
            action_create,
            action_create,
            {"due_date": False},
            {
                "description": "Audit",
                "owner": "Head of Safeguarding",
                **_boxes("due_date", "31", "3", "2027"),
            },
        ),
        Case("ActionEditForm", "manager", action_edit, action_edit, {"due_date": False}),
        Case(
            "ActionStatusForm",
            "officer",
            action_status,
            action_status,
            {"completed_on": False},
            {"status": "complete"},
        ),
        Case(
            "PlanForm",
            "manager",
            plan_edit,
            plan_edit,
            {"submitted_on": False, "accepted_on": False},
        ),
        Case(
            "NewReportForm",
            "manager",
            report_create,
            report_create,
            report_dates,
            {"inspection": str(inspection.pk), **REPORT_TYPED},
        ),
        Case("EditReportForm", "manager", report_edit, report_edit, report_dates),
        Case(
            "ApiTokenForm",
            "officer",
            tokens,
            tokens,
            {"expires_on": False},  # at most a year ahead: the form's own rule, tested there
            {"name": "Power BI", **_boxes("expires_on", *_in_90_days())},
        ),
        Case(
            "NewSelfEvaluationForm",
            "manager",
            self_evaluation,
            self_evaluation,
            {"meeting_date": False},
            {
                "report_of": "Sheila Smith, Director of Children's Services",
                "author_name": "Pat Lee",
                "contact": "pat.lee@example.gov.uk",
                **_boxes("meeting_date", "15", "12", "2026"),
            },
        ),
        Case(
            "EvidenceForm",
            "manager",
            document_detail,
            document_detail,
            {"document_date": False},
            {
                "title": "Framework 2026",
                **_boxes("document_date", "2", "3", "2026"),
                "file": SimpleUploadedFile("framework.pdf", PDF_BYTES, "application/pdf"),
            },
        ),
        Case(
            "LibraryDocumentForm",
            "manager",
            document_create,
            document_create,
            {"due_date": False, "review_date": False},
            {"title": "Safeguarding partnership report", "owner": "Head of Safeguarding"},
        ),
        Case(
            "ReadinessItemForm",
            "manager",
            item_create,
            item_create,
            {"due_date": False},
            {"title": "Dry run of the child-level data", "owner": "Head of Performance"},
        ),
    ]


CASES = [
    "InspectionForm (new)",
    "InspectionForm",
    "ReportReviewForm",
    "ReportPublishedForm",
    "PlanSentForm",
    "ActionForm",
    "ActionEditForm",
    "ActionStatusForm",
    "PlanForm",
    "NewReportForm",
    "EditReportForm",
    "ApiTokenForm",
    "NewSelfEvaluationForm",
    "EvidenceForm",
    "LibraryDocumentForm",
    "ReadinessItemForm",
]


def _in_90_days() -> tuple[str, str, str]:
    day = timezone.localdate() + datetime.timedelta(days=90)
    return str(day.day), str(day.month), str(day.year)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A GET form: nothing to change, so it is tested on its own below.
GET_FORMS = {"AsAtForm"}


def _project_form_classes() -> set[type]:
    found, stack = set(), [forms.BaseForm]
    while stack:
        for cls in stack.pop().__subclasses__():
            stack.append(cls)
            module = cls.__module__.split(".")[0]
            if module in (
                "accounts",
                "inspections",
                "improvement_plans",
                "reports",
                "dashboards",
                "readiness",
            ):
                found.add(cls)
    return found


def test_every_form_with_a_date_field_has_a_case():
    import accounts.forms  # noqa: F401 - every app's forms are loaded, so their classes are found
    import dashboards.forms  # noqa: F401
    import improvement_plans.forms  # noqa: F401
    import inspections.forms  # noqa: F401
    import readiness.forms  # noqa: F401
    import reports.forms
    import reports.profile_form  # noqa: F401

    classes = _project_form_classes()
    with_dates = {
        cls.__name__
        for cls in classes
        if any(isinstance(f, GovukDateField) for f in cls.base_fields.values())
        # A base of other forms is tested through them.
        and not any(other is not cls and issubclass(other, cls) for other in classes)
    }
    covered = {name.removesuffix(" (new)") for name in CASES} | GET_FORMS
    assert sorted(with_dates - covered) == []
    # Every date field of the project is the one GOV.UK date field with the one rule.
    for cls in _project_form_classes():
        for name, date_field in cls.base_fields.items():
            if isinstance(date_field, forms.MultiValueField):
                assert isinstance(date_field, GovukDateField), f"{cls.__name__}.{name}"


@pytest.fixture
def people(officer, manager, administrator):
    return {"officer": officer, "manager": manager, "administrator": administrator}


def _form_data(client, case: Case) -> dict:
    page = client.get(case.page) if isinstance(case.page, str) else case.page(client)
    assert page.status_code == 200
    candidates = [
        f
        for f in post_forms(page.content.decode())
        if f["action"] in (None, "", case.action)
        and (case.deadline is None or f["data"].get("deadline") == case.deadline)
        and any(k.startswith(f"{case.prefix}{d}_") for d in case.dates for k in f["data"])
    ]
    (form,) = candidates
    data = {**form["data"], **case.typed}
    if form["button"]:
        data[form["button"]] = ""
    return data


@pytest.mark.parametrize("bad", [*BAD, "more than a year ahead"])
@pytest.mark.parametrize("case_name", CASES)
def test_every_date_field_refuses_an_implausible_date_in_govuk_words(
    client, authority, people, case_name, bad
):
    (case,) = [
        c for c in _world(authority, people["manager"], people["officer"]) if c.name == case_name
    ]
    client.force_login(people[case.user])
    data = _form_data(client, case)
    for date_field, refuses_ahead in case.dates.items():
        if bad == "more than a year ahead":
            if not refuses_ahead:
                continue
            ahead = _next_year()
            typed, words = (str(ahead.day), str(ahead.month), str(ahead.year)), AHEAD_WORDS
        else:
            typed, words = BAD[bad][0], (BAD[bad][1],)
        before = _snapshot()
        response = client.post(
            case.action, {**data, **_boxes(f"{case.prefix}{date_field}", *typed)}
        )
        assert response.status_code == 200, f"{date_field}: {bad} was accepted"
        errors = response.context["form"].errors.get(date_field, [])
        assert len(errors) == 1 and any(w in errors[0] for w in words), (date_field, errors)
        assert errors[0][0].isupper()  # "The date the inspection started must ..."
        page = response.content.decode()
        assert "There is a problem" in page
        assert not any(words in page for words in PYTHONS_WORDS)
        assert _snapshot() == before


@pytest.mark.parametrize("case_name", CASES)
def test_the_form_as_the_page_renders_it_saves(client, authority, people, case_name):
    """The cases' forms are valid as typed: a refusal above is the date's alone."""
    (case,) = [
        c for c in _world(authority, people["manager"], people["officer"]) if c.name == case_name
    ]
    client.force_login(people[case.user])
    response = client.post(case.action, _form_data(client, case))
    assert response.status_code == 302, response.context and response.context["form"].errors


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        *BAD.values(),
        (("1", "1", str(_next_year().year + 1)), "must be today or in the past"),
    ],
)
def test_the_dashboards_as_at_date_refuses_an_implausible_date(
    client, authority, viewer, typed, words
):
    client.force_login(viewer)
    response = client.get(
        reverse("dashboards:authority", args=[authority.pk]), _boxes("as_at", *typed)
    )
    assert response.status_code == 200
    assert words in response.context["as_at_form"].errors["as_at"][0]
    assert not any(w in response.content.decode() for w in PYTHONS_WORDS)

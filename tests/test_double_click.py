"""A double click never creates two (issue 14, item 8; core.once).

Every form that creates something carries a one-time token. Each creating form is opened as a
person would open it, filled in from what the page renders (plus what the case types), and sent
twice with the same token: one new row, and the second post leads to what the first created,
saying so. A coverage check makes every POST of the project either a creating form tested here or
one named as not creating, with why."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import resolve, reverse

from accounts.models import Membership, Role
from core import once
from core.models import FormSubmission
from improvement_plans.models import Action, ImprovementPlan, ProgressUpdate
from inspections.models import Finding, Inspection
from readiness.models import Evidence, LibraryDocument, ReadinessItem
from reports import services as report_services
from reports.models import CommitteeReport
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    UserFactory,
)
from tests.forms_on_page import post_forms
from tests.reports.factories import report_for
from tests.test_permission_matrix import EXPECTED, PATTERNS

pytestmark = pytest.mark.django_db

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


def form_with_token(html: str, action: str) -> dict:
    """The post form of `html` that carries a one-time token and posts to `action`."""
    found = [f for f in post_forms(html) if once.FIELD in f["data"]]
    assert found, "the creating form carries no one-time token"
    (form,) = [f for f in found if f["action"] in (None, "", action)]
    data = dict(form["data"])
    if form["button"]:
        data[form["button"]] = ""
    return data


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@dataclass
class Case:
    """A creating form: who sends it, the page it is on (a GET, or a function returning the
    page), where it posts, what is typed, and the rows it creates."""

    url_name: str
    user: str
    page: object  # str (GET it) or callable(client) -> response
    action: str
    typed: dict = field(default_factory=dict)
    model: type[Model] = Model


def _cases(authority, manager, officer) -> list[Case]:
    inspection = InspectionFactory(
        authority=authority,
        start_date=datetime.date(2024, 1, 8),
        end_date=datetime.date(2024, 1, 19),
        published_date=datetime.date(2024, 3, 4),
    )
    JudgementFactory(inspection=inspection)  # graded: a self-evaluation starts from it
    area = FindingFactory(inspection=inspection, lead=officer, title="Quality of plans")
    ImprovementPlanFactory(inspection=inspection)
    unplanned = InspectionFactory(
        authority=authority,
        event_type="focused_visit",
        start_date=datetime.date(2024, 6, 3),
        end_date=datetime.date(2024, 6, 4),
    )
    final = report_for(inspection, manager)
    report_services.report_finalise(report=final, expected_version=final.version, user=manager)

    def upload(client):
        with REPORT_PDF.open("rb") as handle:
            return client.post(
                reverse("inspections:report_import"),
                {"file": SimpleUploadedFile(REPORT_PDF.name, handle.read(), "application/pdf")},
            )

    inspection_create = reverse("inspections:inspection_create", args=[authority.pk])
    finding_create = reverse("inspections:finding_create", args=[inspection.pk])
    findings_paste = reverse("inspections:findings_paste", args=[inspection.pk])
    plan = reverse("improvement_plans:plan_for_inspection", args=[unplanned.pk])
    update_create = reverse("improvement_plans:update_create", args=[area.pk])
    action_create = reverse("improvement_plans:action_create", args=[area.pk])
    report_create = reverse("reports:report_create", args=[authority.pk])
    new_version = reverse("reports:report_new_version", args=[final.pk])
    invite = reverse("accounts:membership_create")
    confirm = reverse("inspections:report_import_confirm")
    item_create = reverse("readiness:item_create", args=[authority.pk])
    document_create = reverse("readiness:document_create", args=[authority.pk])
    self_evaluation = reverse("reports:self_evaluation_create", args=[authority.pk])
    return [
        Case(
            "readiness:item_create",
            "manager",
            item_create,
            item_create,
            {"title": "Dry run of the child-level data", "owner": "Head of Performance"},
            ReadinessItem,
        ),
        Case(
            "readiness:document_create",
            "manager",
            document_create,
            document_create,
            {"title": "Quality assurance framework", "owner": "Head of Quality Assurance"},
            LibraryDocument,
        ),
        Case(
            "reports:self_evaluation_create",
            "manager",
            self_evaluation,
            self_evaluation,
            {
                "report_of": "Sheila Smith, Director of Children's Services",
                "author_name": "Pat Lee",
                "contact": "pat.lee@example.gov.uk",
                **_date("meeting_date", datetime.date(2026, 12, 15)),
            },
            CommitteeReport,
        ),
        Case(
            "inspections:inspection_create",
            "administrator",
            inspection_create,
            inspection_create,
            {
                "event_type": "standard",
                **_date("start_date", datetime.date(2025, 3, 10)),
                **_date("end_date", datetime.date(2025, 3, 21)),
            },
            Inspection,
        ),
        Case(
            "inspections:finding_create",
            "administrator",
            finding_create,
            finding_create,
            {"text": "The quality of plans for children in need."},
            Finding,
        ),
        Case(
            "inspections:findings_paste",
            "administrator",
            findings_paste,
            findings_paste,
            {"pasted": "- The quality of plans.\n- Management oversight."},
            Finding,
        ),
        Case(
            "inspections:report_import_confirm",
            "administrator",
            upload,
            confirm,
            {"authority": str(authority.pk)},
            Inspection,
        ),
        Case("improvement_plans:plan_for_inspection", "manager", plan, plan, {}, ImprovementPlan),
        Case(
            "improvement_plans:update_create",
            "officer",
            update_create,
            update_create,
            {
                "rag": "amber",
                "what_was_done": "Audited 20 plans.",
                "impact": "Plans name who does what.",
                "evidence": "Audit report.",
                "next_steps": "Re-audit in June.",
            },
            ProgressUpdate,
        ),
        Case(
            "improvement_plans:action_create",
            "manager",
            action_create,
            action_create,
            {
                "description": "Monthly audit of plans",
                "owner": "Head of Safeguarding",
                **_date("due_date", datetime.date.today() + datetime.timedelta(days=60)),
            },
            Action,
        ),
        Case(
            "reports:report_create",
            "manager",
            report_create,
            report_create,
            {"inspection": str(inspection.pk), **REPORT_TYPED},
            CommitteeReport,
        ),
        Case(
            "reports:report_new_version",
            "manager",
            reverse("reports:report_detail", args=[final.pk]),
            new_version,
            {},
            CommitteeReport,
        ),
        Case(
            "accounts:membership_create",
            "manager",
            invite,
            invite,
            {
                "first_name": "Ada",
                "last_name": "Lovelace",
                "email": "ada.lovelace@example.gov.uk",
                "authority": str(authority.pk),
                "role": Role.OFFICER,
            },
            Membership,
        ),
    ]


CREATING = [
    "inspections:inspection_create",
    "inspections:finding_create",
    "inspections:findings_paste",
    "inspections:report_import_confirm",
    "improvement_plans:plan_for_inspection",
    "improvement_plans:update_create",
    "improvement_plans:action_create",
    "reports:report_create",
    "reports:report_new_version",
    "accounts:membership_create",
    "readiness:update_evidence",
    "readiness:action_evidence",
    "readiness:document_detail",
    "readiness:document_create",
    "readiness:item_create",
    "reports:self_evaluation_create",
]

# Every other POST of the project, and why a second post of it cannot create a second row.
NOT_CREATING = {
    "accounts:two_factor_verify": "checks a code",
    "accounts:two_factor_setup": "replaces the person's one authenticator",
    "accounts:sign_in": "signs in",
    "accounts:sign_out": "signs out",
    "accounts:password_reset": "sends an email; no row",
    "accounts:password_reset_confirm": "the link works once",
    "accounts:membership_edit": "an edit, version-checked",
    "accounts:membership_delete": "a removal, version-checked",
    "accounts:invitation_resend": "sends the email again; no row",
    "accounts:person_active": "switches an account off or on",
    "accounts:invitation": "the link works once",
    "improvement_plans:inspection_deadlines": "an edit, version-checked",
    "inspections:inspection_edit": "an edit, version-checked",
    "inspections:judgements_edit": "sets the judgements, version-checked",
    "inspections:finding_edit": "an edit, version-checked",
    "inspections:finding_delete": "a removal, version-checked",
    "inspections:finding_move": "moves a finding",
    "inspections:report_import": "reads the PDF for review; saves nothing",
    "inspections:overview_import": "creates or updates each authority's latest inspection: "
    "running it again changes nothing",
    "improvement_plans:plan_edit": "an edit, version-checked",
    "improvement_plans:area_edit": "an edit, version-checked",
    "improvement_plans:update_edit": "an edit, version-checked",
    "improvement_plans:update_review": "a decision, version-checked",
    "improvement_plans:action_edit": "an edit, version-checked",
    "improvement_plans:action_status": "an edit, version-checked",
    "reports:word_template": "replaces the authority's one template",
    "reports:profile_edit": "an edit, version-checked",
    "reports:report_edit": "an edit, version-checked",
    "reports:section_edit": "an edit, version-checked",
    "reports:section_regenerate": "rewrites a section, version-checked",
    "reports:report_finalise": "freezes the report, version-checked",
    "accounts:api_token_create": "a second token of the same name is refused (a database "
    "constraint: one working token per name and person)",
    "accounts:api_tokens": "revokes a token; revoking it again changes nothing",
    "readiness:library": "adds the default list's documents the library lacks: again, none",
    "readiness:document_edit": "an edit, version-checked",
    "readiness:item_edit": "an edit, version-checked",
    "readiness:meeting_edit": "an edit, version-checked",
}


def _view(name: str):
    pattern = PATTERNS[name]
    kwargs = {k: 1 if k.endswith("pk") else "x" for k in pattern.kwargs}
    return resolve(reverse(name, kwargs=kwargs)).func


def test_every_post_of_the_project_is_a_tested_creating_form_or_named_as_not_creating():
    posts = {name for name, rule in EXPECTED.items() if rule.post is not None}
    assert sorted(posts - set(CREATING) - set(NOT_CREATING)) == []
    assert sorted((set(CREATING) | set(NOT_CREATING)) - posts) == []
    assert not set(CREATING) & set(NOT_CREATING)
    for name in CREATING:
        assert getattr(_view(name), "creates_once", False), f"{name} is not @creates_once"
    for name in NOT_CREATING:
        assert not getattr(_view(name), "creates_once", False), name


@pytest.fixture
def people(authority, officer, manager, administrator):
    return {"officer": officer, "manager": manager, "administrator": administrator}


# Evidence uploads send a file: tested below, with the same file sent twice.
UPLOADS = ["readiness:update_evidence", "readiness:action_evidence", "readiness:document_detail"]


@pytest.mark.parametrize("url_name", [name for name in CREATING if name not in UPLOADS])
def test_a_creating_form_sent_twice_creates_one_row_and_leads_to_it(
    client, authority, people, url_name
):
    (case,) = [
        c for c in _cases(authority, people["manager"], people["officer"]) if c.url_name == url_name
    ]
    client.force_login(people[case.user])
    page = client.get(case.page) if isinstance(case.page, str) else case.page(client)
    assert page.status_code == 200
    data = {**form_with_token(page.content.decode(), case.action), **case.typed}
    before = case.model.objects.count()

    first = client.post(case.action, data)
    assert first.status_code == 302, first.context and first.context["form"].errors
    created = case.model.objects.count() - before
    # One new row (pasted findings: one per point pasted, once).
    assert created == (2 if url_name == "inspections:findings_paste" else 1)

    second = client.post(case.action, data)
    assert case.model.objects.count() == before + created
    assert (second.status_code, second.url) == (302, first.url)
    assert once.ALREADY_DONE in [str(m) for m in get_messages(second.wsgi_request)]
    assert FormSubmission.objects.get(token=data[once.FIELD]).url == first.url


def test_a_form_with_errors_gives_its_token_back(client, authority, administrator):
    inspection = InspectionFactory(authority=authority)
    client.force_login(administrator)
    url = reverse("inspections:finding_create", args=[inspection.pk])
    data = {**form_with_token(client.get(url).content.decode(), url), "text": ""}
    assert client.post(url, data).status_code == 200
    assert not FormSubmission.objects.exists()
    data["text"] = "The quality of plans."
    assert client.post(url, data).status_code == 302
    assert Finding.objects.count() == 1


def test_a_token_is_one_persons_own(authority, manager, officer):
    """Another person sending the same token is not led to the first person's creation."""
    other_manager = UserFactory(username="other.manager")
    MembershipFactory(user=other_manager, authority=authority, role=Role.MANAGER)
    area = FindingFactory(inspection=InspectionFactory(authority=authority), lead=officer)
    url = reverse("improvement_plans:action_create", args=[area.pk])
    data = {
        once.FIELD: "the-same-token",
        "description": "Audit",
        "owner": "Head of Safeguarding",
        **_date("due_date", datetime.date.today() + datetime.timedelta(days=30)),
        "status": "not_started",
    }
    for user in (manager, other_manager):
        client = Client()
        client.force_login(user)
        assert client.post(url, data).status_code == 302
    assert Action.objects.count() == 2


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_evidence_upload_sent_twice_keeps_one_file(client, authority, manager):
    document = LibraryDocument.objects.create(
        authority=authority, title="Quality assurance framework", owner="Head of QA"
    )
    page_url = reverse("readiness:document_detail", args=[document.pk])
    client.force_login(manager)
    page = client.get(page_url)
    assert page.status_code == 200
    data = {
        **form_with_token(page.content.decode(), page_url),
        "title": "Framework 2026",
        **_date("document_date", datetime.date(2026, 3, 2)),
    }

    def post():
        upload = SimpleUploadedFile("framework.pdf", PDF_BYTES, "application/pdf")
        return client.post(page_url, {**data, "file": upload})

    first = post()
    assert first.status_code == 302, first.context and first.context["form"].errors
    second = post()
    assert Evidence.objects.count() == 1
    assert (second.status_code, second.url) == (302, first.url)
    assert once.ALREADY_DONE in [str(m) for m in get_messages(second.wsgi_request)]

"""Every page works on a 390 px screen without scrolling sideways.

Each page a person can reach is opened in Chromium at 390 x 844 CSS pixels (a current phone), as
the role that uses it, on realistic data: long authority names ("Bournemouth, Christchurch and
Poole"), long areas for improvement, a portfolio of many authorities inspected under every
framework, several inspections and judgements, monthly updates in every state, actions and a
committee report. Every <details> is opened first, so what it hides is measured too. The page
passes when `document.documentElement.scrollWidth <= 390`: wide tables may scroll inside their own
region, but the page itself must not.

One data set is made for the whole module (`world`) and only read by the visits, so the visits
share it instead of the usual emptied database per test; the module empties the database when it
is done, as a transactional test does.

`test_every_page_of_the_service_is_visited` keeps VISITS complete: every URL pattern of the
project has a visit here or a reason in NOT_PAGES. The Django admin (/admin/) is left out: it is
Django's own interface for staff, not the service's pages (tests.test_permission_matrix leaves it
out for the same reason).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import SuspiciousOperation
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.models import Role, StatisticalNeighbour
from accounts.tokens import invitation_token_generator
from core.months import add_months, next_month
from improvement_plans.models import ActionStatus, Rag, UpdateStatus
from improvement_plans.rules import overdue_month
from inspections.models import ArchiveImportFile, ArchiveImportRun, EventType, FindingKind
from readiness import services as readiness_services
from readiness.models import EngagementMeeting, ItemState, LibraryDocument
from tests.factories import (
    ActionFactory,
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    ReadinessItemFactory,
    UserFactory,
    judgement_area,
    recorded_on,
)
from tests.readiness import files
from tests.reference_data import load_reference_data
from tests.reports.factories import report_for
from tests.test_permission_matrix import url_patterns

WIDTH, HEIGHT = 390, 844
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSWORD = "correct horse battery staple"
D = datetime.date
TEN = datetime.time(10)

pytestmark = pytest.mark.browser_context_args(viewport={"width": WIDTH, "height": HEIGHT})


# ----- One data set for the module ---------------------------------------------------------------

BCP = "Bournemouth, Christchurch and Poole"

# (name, region, [(event type, start date, {judgement area: grade})]): every framework is somebody's
# latest, so the portfolio has every framework's columns, as the national picture does.
PORTFOLIO = [
    (
        "Kingston upon Hull, City of",
        "Yorkshire and the Humber",
        [("standard", D(2019, 6, 10), {"overall_effectiveness": "requires_improvement"})],
    ),
    (
        "Herefordshire, County of",
        "West Midlands",
        [
            (
                "sif",
                D(2017, 9, 18),
                {
                    "overall_effectiveness": "inadequate",
                    "help_and_protection": "inadequate",
                    "looked_after_and_permanence": "requires_improvement",
                    "adoption_performance": "good",
                    "care_leavers": "requires_improvement",
                    "leadership_management_governance": "inadequate",
                    "lscb": "requires_improvement",
                },
            )
        ],
    ),
    (
        "Redcar and Cleveland",
        "North East",
        [
            (
                "standard",
                D(2026, 6, 8),
                {
                    "impact_of_leaders": "requires_improvement",
                    "help_and_protection": "requires_improvement",
                    "children_in_care": "good",
                    "care_leavers": "good",
                },
            )
        ],
    ),
    (
        "Windsor and Maidenhead",
        "South East",
        [
            (
                "standard",
                D(2022, 2, 7),
                {
                    "impact_of_leaders": "good",
                    "help_and_protection": "good",
                    "children_in_care_and_care_leavers": "good",
                    "overall_effectiveness": "good",
                },
            )
        ],
    ),
    (
        "Richmond upon Thames",
        "London",
        [("short", D(2024, 1, 15), {"overall_effectiveness": "outstanding"})],
    ),
    ("Barking and Dagenham", "London", []),
    (
        "North East Lincolnshire",
        "Yorkshire and the Humber",
        [("standard", D(2023, 5, 22), {"overall_effectiveness": "inadequate"})],
    ),
    (
        "Telford and Wrekin",
        "West Midlands",
        [("standard", D(2026, 5, 11), {"impact_of_leaders": "outstanding"})],
    ),
    (
        "Brighton and Hove",
        "South East",
        [
            ("standard", D(2019, 2, 4), {"overall_effectiveness": "good"}),
            ("focused_visit", D(2024, 10, 7), {}),
        ],
    ),
    (
        "Hammersmith and Fulham",
        "London",
        [("standard", D(2025, 9, 15), {"overall_effectiveness": "good"})],
    ),
    (
        "Cheshire West and Chester",
        "North West",
        [("standard", D(2023, 11, 6), {"overall_effectiveness": "requires_improvement"})],
    ),
    (
        "Gateshead",
        "North East",
        [("short", D(2024, 12, 2), {"overall_effectiveness": "good"})],
    ),
    (
        "North Somerset",
        "South West",
        [("standard", D(2023, 3, 13), {"overall_effectiveness": "requires_improvement"})],
    ),
]

AREAS = [
    (
        "The quality and timeliness of assessments and plans for children in need of help and "
        "protection, including those at risk of exploitation",
        "Too many assessments for children in need of help and protection are not completed "
        "within timescales that meet children's needs. Plans are often overly descriptive, lack "
        "clear and measurable actions and do not set out what needs to change for children, by "
        "when and who is responsible, including for children at risk of criminal and sexual "
        "exploitation and those who go missing from home or care.",
    ),
    (
        "Management oversight and supervision of social work practice, so that drift and delay "
        "are identified and addressed",
        "Supervision is not consistently reflective or challenging. Managers' oversight does not "
        "always identify when plans are not progressing, leading to drift and delay for some "
        "children. Records of supervision are brief and do not show the rationale for decisions.",
    ),
    (
        "The sufficiency and stability of homes for children in care, including the use of "
        "unregistered children's homes",
        "Not enough homes are available locally to meet the needs of children in care, and some "
        "older children with complex needs live in unregistered children's homes far from their "
        "families, schools and communities for too long.",
    ),
    (
        "Pathway planning for care leavers aged 18 to 25, and the support they receive with "
        "housing, education, employment and training",
        "Pathway plans are not always written with young people, are not updated when their "
        "circumstances change, and do not address their emotional well-being, housing and "
        "aspirations for education, employment and training.",
    ),
]

OWNERS = [
    "Head of Service, Children in Care and Care Leavers",
    "Principal Social Worker and Head of Quality Assurance",
    "Service Manager, Multi-Agency Safeguarding Hub (MASH)",
]


def _graded(authority, event_type: str, start: datetime.date, grades: dict):
    inspection = InspectionFactory(authority=authority, event_type=event_type, start_date=start)
    for code, grade in grades.items():
        JudgementFactory(inspection=inspection, area=judgement_area(inspection, code), grade=grade)
    return inspection


def _bournemouth(officer, manager, today: datetime.date) -> SimpleNamespace:
    """The authority every page of one authority is visited in: three graded inspections and a
    monitoring visit; the latest with Ofsted's words, four long areas for improvement, a plan,
    actions, a year of monthly updates in every state and a committee report."""
    authority = LocalAuthorityFactory(name=BCP, region="South West", la_type="Unitary Authority")
    for role, user in ((Role.OFFICER, officer), (Role.MANAGER, manager)):
        MembershipFactory(user=user, authority=authority, role=role)
    sif = _graded(
        authority,
        "sif",
        D(2017, 11, 6),
        {
            "overall_effectiveness": "requires_improvement",
            "help_and_protection": "requires_improvement",
            "looked_after_and_permanence": "good",
            "adoption_performance": "good",
            "care_leavers": "requires_improvement",
            "leadership_management_governance": "requires_improvement",
            "lscb": "good",
        },
    )
    earlier = _graded(
        authority,
        "standard",
        D(2021, 11, 1),
        {
            "impact_of_leaders": "inadequate",
            "help_and_protection": "inadequate",
            "children_in_care_and_care_leavers": "requires_improvement",
            "overall_effectiveness": "inadequate",
        },
    )
    earlier_areas = [
        FindingFactory(inspection=earlier, title=title, text=text, order=order)
        for order, (title, text) in enumerate(AREAS[:2], start=1)
    ]
    visit = InspectionFactory(
        authority=authority,
        event_type="monitoring_visit",
        start_date=D(2023, 4, 17),
        framework=earlier.framework,
    )
    FindingFactory(
        inspection=visit,
        kind=FindingKind.PRIORITY_ACTION,
        title="Responses to children at immediate risk of significant harm out of hours",
        text="Strategy discussions out of hours do not always include the police and health.",
    )
    latest = InspectionFactory(
        authority=authority,
        start_date=D(2025, 6, 9),
        published_date=D(2025, 8, 1),
        lead_inspector="Lisa Summers-Grantham, His Majesty's Inspector",
        report_url="https://files.ofsted.gov.uk/v1/file/50281234?utm_source=ilacs-tracker-test",
        summary=(
            "Since the last inspection in November 2021, when services were judged inadequate, "
            "leaders have made steady progress.\n\nChildren in need of help and protection now "
            "receive a more timely response, although the quality of plans is too variable."
        ),
    )
    for code, grade in {
        "impact_of_leaders": "requires_improvement",
        "help_and_protection": "requires_improvement",
        "children_in_care": "good",
        "care_leavers": "requires_improvement",
        "overall_effectiveness": "requires_improvement",
    }.items():
        JudgementFactory(
            inspection=latest,
            area=judgement_area(latest, code),
            grade=grade,
            strengths="Social workers know their children well and visit them regularly. "
            "Direct work is creative and children's wishes and feelings inform plans.",
            to_improve="The quality of plans and the oversight of managers are too variable.",
        )
    FindingFactory(
        inspection=latest,
        kind=FindingKind.STRENGTH,
        title="Children in care are visited regularly by social workers who know them well",
        order=0,
    )
    officer_areas = []
    for order, (title, text) in enumerate(AREAS, start=1):
        officer_areas.append(
            FindingFactory(
                inspection=latest,
                title=title,
                text=text,
                order=order,
                lead=officer,
                national_framework_tag="Outcome 3" if order % 2 else "Enabler 1",
                predecessor=earlier_areas[order - 1] if order <= len(earlier_areas) else None,
            )
        )
    plan = ImprovementPlanFactory(
        inspection=latest,
        submitted_on=D(2025, 10, 1),
        accepted_on=D(2025, 10, 28),
        notes="Agreed at the Children's Services Improvement Board on 24 September 2025, "
        "with the Director of Children's Services, the Lead Member and partners.",
    )
    recorded_on(D(2025, 10, 28), plan)

    due = overdue_month(today)  # last month
    actions = []
    for index, finding in enumerate(officer_areas):
        for number, offset in enumerate((-30, 10 + index * 20)):
            actions.append(
                ActionFactory(
                    area_for_improvement=finding,
                    description=(
                        f"Audit a sample of {20 + index * 5} children's plans every month with team "
                        "managers and the Principal Social Worker, and report what was found and "
                        "what changed to the Improvement Board"
                    ),
                    owner=OWNERS[(index + number) % len(OWNERS)],
                    due_date=today + datetime.timedelta(days=offset),
                    status=ActionStatus.IN_PROGRESS,
                    order=number,
                )
            )
        # The first area's updates are all approved, the last month's waits for approval; the
        # second's last month was returned; the third has a draft for this month; the fourth none.
        months = {0: 8, 1: 4, 2: 2, 3: 0}[index]
        for back in range(months, 0, -1):
            month = add_months(due, 1 - back)
            last = back == 1
            status = UpdateStatus.APPROVED
            if last and index == 0:
                status = UpdateStatus.SUBMITTED
            elif last and index == 1:
                status = UpdateStatus.RETURNED
            reviewed = status in (UpdateStatus.APPROVED, UpdateStatus.RETURNED)
            submitted_on = next_month(month) - datetime.timedelta(days=2)
            submitted = timezone.make_aware(datetime.datetime.combine(submitted_on, TEN))
            update = ProgressUpdateFactory(
                area_for_improvement=finding,
                month=month,
                rag=[Rag.RED, Rag.AMBER, Rag.GREEN, Rag.AMBER][(back + index) % 4],
                what_was_done=(
                    "Team managers audited twenty plans with the Principal Social Worker. "
                    "Findings were shared in supervision and at the practice week, and each "
                    "plan found inadequate was rewritten with the family within ten days."
                ),
                impact="Fewer plans were found inadequate than the month before (6 of 20).",
                evidence="Audit summary (SharePoint: Quality Assurance > Audits > Plans)",
                next_steps="Repeat the audit next month; agency staff join the practice week.",
                author=officer,
                status=status,
                submitted_at=submitted,
                reviewed_by=manager if reviewed else None,
                reviewed_at=submitted + datetime.timedelta(days=1) if reviewed else None,
                review_comment=(
                    "Please add how many of the rewritten plans were reviewed with the family, "
                    "and attach the audit figures for the month."
                    if status == UpdateStatus.RETURNED
                    else ""
                ),
            )
            recorded_on(submitted_on, update)
        if index == 2:
            ProgressUpdateFactory(
                area_for_improvement=finding,
                month=next_month(due),
                rag=Rag.GREEN,
                author=officer,
                status=UpdateStatus.DRAFT,
            )
    actions[0].status = ActionStatus.COMPLETE
    actions[0].completed_on = today - datetime.timedelta(days=3)
    actions[0].save()
    # A change in the history: the inspection history and the area history show it.
    officer_areas[0].text += " Children's views are not always recorded."
    officer_areas[0].save()

    report = report_for(
        latest,
        manager,
        period_start=add_months(due, -5),
        period_end=next_month(due) - datetime.timedelta(days=1),
        meeting_date=today + datetime.timedelta(days=21),
        committee="Children and Young People's Overview and Scrutiny Committee",
    )
    return SimpleNamespace(
        authority=authority,
        sif=sif,
        earlier=earlier,
        latest=latest,
        plan=plan,
        afis=officer_areas,
        actions=actions,
        submitted=officer_areas[0].progress_updates.get(status=UpdateStatus.SUBMITTED),
        returned=officer_areas[1].progress_updates.get(status=UpdateStatus.RETURNED),
        draft=officer_areas[2].progress_updates.get(status=UpdateStatus.DRAFT),
        approved=officer_areas[0].progress_updates.filter(status=UpdateStatus.APPROVED).first(),
        report=report,
        sections={section.key: section for section in report.sections.all()},
    )


def _readiness(bcp, officer, manager, today: datetime.date) -> None:
    """The evidence library from the default list (long titles, some missing, one stale), files
    with long names on an update, an action and library documents, a readiness checklist and an
    annual engagement meeting with its record."""
    long_name = "Bournemouth_Christchurch_and_Poole_supervision_audit_findings_March_2026_final_v3"
    readiness_services.library_start_from_default(authority=bcp.authority, user=manager)
    documents = list(LibraryDocument.objects.filter(authority=bcp.authority))
    for document in documents[:3]:
        document.due_date = today - datetime.timedelta(days=10)
        document.save()
    documents[4].review_date = today - datetime.timedelta(days=5)
    documents[4].save()
    for document in documents[4:7]:
        readiness_services.evidence_add(
            target=document,
            uploaded_file=files.upload(f"{long_name}.pdf", files.pdf()),
            title=f"{document.title}: the version agreed by the leadership team in March",
            document_date=today - datetime.timedelta(days=40),
            user=officer,
        )
    bcp.library_document = documents[4]
    bcp.evidence = readiness_services.evidence_add(
        target=bcp.submitted,
        uploaded_file=files.upload(f"{long_name}.docx", files.docx()),
        title="Audit of supervision and management oversight across the locality teams",
        document_date=today - datetime.timedelta(days=20),
        user=officer,
    )
    readiness_services.evidence_add(
        target=bcp.actions[0],
        uploaded_file=files.upload(f"{long_name}.xlsx", files.xlsx()),
        title="Training register for the practice framework, every team",
        document_date=today - datetime.timedelta(days=15),
        user=officer,
    )
    bcp.readiness_item = ReadinessItemFactory(
        authority=bcp.authority,
        title="Dry run of the child-level data Ofsted asks for in the week before inspection",
        owner="Head of Performance, Insight and Business Intelligence",
        due_date=today + datetime.timedelta(days=30),
        notes="Run the Annex A extract and the data analysis tool; check every list reconciles.",
    )
    ReadinessItemFactory(
        authority=bcp.authority,
        title="Logistics plan for the inspection weeks",
        owner="Business Support Manager",
        state=ItemState.DONE,
    )
    bcp.meeting = InspectionFactory(
        authority=bcp.authority,
        event_type=EventType.ANNUAL_ENGAGEMENT,
        start_date=today - datetime.timedelta(days=200),
        end_date=today - datetime.timedelta(days=200),
        lead_inspector="Senior His Majesty's Inspector, South West region",
    )
    EngagementMeeting.objects.create(
        inspection=bcp.meeting,
        attendees="Siobhan O'Callaghan-Fitzgerald, Director of Children's Services\n"
        "Senior His Majesty's Inspector, South West region",
        notes="The self-evaluation was discussed: https://www.bcpcouncil.gov.uk/children/"
        "self-evaluation-of-social-work-practice-2026-final-version.pdf",
    )


def _archive_import(bcp) -> None:
    if ArchiveImportRun.objects.exists():
        return
    run = ArchiveImportRun.objects.create(
        # A path has no spaces or hyphens to break a line at.
        directory="/srv/ilacs/imports/ofsted_report_archive/childrens_services_inspections_2013_2025",
        jobs=2,
        started_at=timezone.now() - datetime.timedelta(hours=2),
        finished_at=timezone.now() - datetime.timedelta(hours=1),
    )
    ArchiveImportFile.objects.create(
        run=run,
        filename="50281234_bournemouth-christchurch-and-poole_2025-08-01.pdf",
        outcome="recorded",
        inspection=bcp.latest,
    )
    ArchiveImportFile.objects.create(
        run=run,
        filename="80431_blackpool_local-authority-childrens-services-2012-07-13.pdf",
        outcome="refused",
        detail="No inspection dates were found on the first two pages of the report "
        "(/srv/ilacs/imports/ofsted-report-archive/80431_blackpool.pdf)",
    )


def _no_archive_import(_world) -> None:
    ArchiveImportRun.objects.all().delete()


def _lock_out(username: str) -> None:
    """Ten wrong passwords from the browser's address: django-axes locks the username there."""
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:sign_in"),
            {"username": username, "password": f"wrong {n}"},
            REMOTE_ADDR="127.0.0.1",
        )


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, live_server) -> Iterator[SimpleNamespace]:
    today = timezone.localdate()
    with django_db_blocker.unblock():
        load_reference_data()
        admin = UserFactory(
            username="priya.raman-whitfield",
            first_name="Priya",
            last_name="Raman-Whitfield",
            is_staff=True,
            is_superuser=True,
        )
        officer = UserFactory(username="olu.adeyemi", first_name="Olu", last_name="Adeyemi")
        manager = UserFactory(
            username="siobhan.ocallaghan-fitzgerald",
            first_name="Siobhan",
            last_name="O'Callaghan-Fitzgerald",
        )
        viewer = UserFactory(username="councillor.jones", first_name="Mary", last_name="Jones")
        UserFactory(username="locked.out")
        TOTPDevice.objects.create(user=manager, name="Authenticator app", confirmed=True)
        bcp = _bournemouth(officer, manager, today)
        _readiness(bcp, officer, manager, today)
        MembershipFactory(user=viewer, authority=bcp.authority, role=Role.VIEWER)
        others = {}
        for name, region, inspections in PORTFOLIO:
            authority = LocalAuthorityFactory(name=name, region=region)
            others[name] = authority
            for event_type, start, grades in inspections:
                _graded(authority, event_type, start, grades)
            MembershipFactory(
                user=UserFactory(username=f"officer.{authority.gss_code.lower()}"),
                authority=authority,
                role=Role.OFFICER,
            )
        # Its statistical neighbours: the portfolio's authorities, every framework among them.
        for rank, neighbour in enumerate(list(others.values())[:10], start=1):
            StatisticalNeighbour.objects.create(
                authority=bcp.authority, neighbour=neighbour, rank=rank
            )
        _archive_import(bcp)
        _lock_out("locked.out")
        users = {"admin": admin, "manager": manager, "officer": officer, "viewer": viewer}
        cookies = {role: _session_cookie(user) for role, user in users.items()}
        membership = bcp.authority.memberships.get(user=viewer)
    yield SimpleNamespace(
        today=today,
        bcp=bcp,
        others=others,
        users=users,
        cookies=cookies,
        membership=membership,
        live_server=live_server,
    )
    with django_db_blocker.unblock():
        # As a transactional test ends: the next test module starts from an empty database.
        call_command("flush", interactive=False, verbosity=0)
        # The connection made for `world` is not necessarily the one pytest-django closes before
        # it drops the test database (PostgreSQL refuses while a session is open): close it here.
        connections.close_all()


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Replaces pytest-django's for this module: the visits only read `world`, so the database
    is not emptied after each one (`world` empties it when the module is done)."""
    with django_db_blocker.unblock():
        yield


# ----- The pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    id: str
    url_name: str | None  # the URL pattern visited (None: an error page, not a pattern's own)
    role: str | None  # who is signed in (a key of world.users); None: signed out
    path: Callable[[SimpleNamespace], str]
    status: int = 200
    # Set up what the page shows (idempotently: the visits run in any order, on any worker).
    prepare: Callable[[SimpleNamespace], None] | None = None
    # Active while the page is requested (the error pages' failures).
    during: Callable[[], AbstractContextManager] | None = None
    # What a person does on the page before it is measured (upload a file, send a form).
    then: Callable[[Page, SimpleNamespace], None] | None = None
    heading: str | None = None  # the <h1> the page must then show


def url(name: str, **kwargs: Callable[[SimpleNamespace], object]) -> Callable:
    """The path of URL pattern `name`, its arguments taken from the world."""
    return lambda w: reverse(name, kwargs={k: get(w) for k, get in kwargs.items()})


def _bcp(w):
    return w.bcp.authority.pk


def _latest(w):
    return w.bcp.latest.pk


def _area(w):
    return w.bcp.afis[0].pk


def _section(key: str | Callable) -> Callable:
    def path(w):
        wanted = key(w) if callable(key) else key
        return reverse("reports:section_edit", args=[w.bcp.report.pk]) + f"?section={wanted}"

    return path


def _home_failing(error: Exception) -> Callable[[], AbstractContextManager]:
    return lambda: mock.patch("ilacs.views.home_for", side_effect=error)


def _sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _reset_link(w) -> str:
    """A working link to set a new password, as the reset email gives it."""
    user = w.users["officer"]
    return reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _invitation_link(w) -> str:
    """A working invitation link of someone invited (with the longest name) who has not set a
    password yet."""
    from django.contrib.auth import get_user_model

    invited, _ = get_user_model().objects.get_or_create(
        username="maria-magdalena.featherstonehaugh-cholmondeley@bournemouth.gov.uk",
        defaults={"email": "maria-magdalena.featherstonehaugh-cholmondeley@bournemouth.gov.uk"},
    )
    if invited.has_usable_password():
        invited.set_unusable_password()
        invited.save()
    return reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
            "token": invitation_token_generator.make_token(invited),
        },
    )


def _upload(label: str, file: Path) -> Callable[[Page, SimpleNamespace], None]:
    def then(page: Page, _world) -> None:
        page.get_by_label(label).set_input_files(file)
        page.get_by_role("button", name="Upload", exact=True).click()

    return then


def _create_token(page: Page) -> None:
    import uuid

    page.get_by_role("link", name="Create a token").click()
    page.get_by_label("Name", exact=True).fill(
        f"Power BI performance board pack for the Children's Services Scrutiny Panel {uuid.uuid4().hex}"
    )
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("ilacs_")


def _send_empty_form(button: str) -> Callable[[Page, SimpleNamespace], None]:
    def then(page: Page, _world) -> None:
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()

    return then


def _attach_refused(page: Page, _world) -> None:
    """A web page saved under a .pdf name, refused with its message in the error summary."""
    page.get_by_label("Title").fill("Ofsted report")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Upload a file").set_input_files(
        FIXTURES / "ofsted-archive" / "80429_birmingham_2012-10-19.pdf"
    )
    page.get_by_role("button", name="Attach evidence").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is a web page (HTML)")


VISITS = [
    # --- the service's own pages ---
    Visit("home", "home", "admin", lambda w: "/"),
    Visit("home-officer", "home", "officer", lambda w: "/"),
    Visit("home-manager", "home", "manager", lambda w: "/"),
    Visit("home-viewer", "home", "viewer", lambda w: "/"),
    Visit("accessibility", "accessibility", None, lambda w: "/accessibility/"),
    Visit(
        "error-400",
        None,
        "admin",
        lambda w: "/",
        400,
        during=_home_failing(SuspiciousOperation("bad")),
    ),
    Visit(
        "error-403", None, "viewer", url("inspections:inspection_edit", inspection_pk=_latest), 403
    ),
    Visit("error-404", None, "admin", lambda w: "/no-such-page/", 404),
    Visit(
        "error-500", None, "admin", lambda w: "/", 500, during=_home_failing(RuntimeError("bug"))
    ),
    Visit(
        "error-503-database-down",
        None,
        "admin",
        lambda w: "/",
        503,
        during=_home_failing(OperationalError("server closed the connection unexpectedly")),
    ),
    # --- accounts ---
    Visit("sign-in", "accounts:sign_in", None, url("accounts:sign_in")),
    Visit(
        "sign-in-with-council-account",
        "accounts:sign_in",
        None,
        url("accounts:sign_in"),
        during=lambda: override_settings(OIDC_RP_CLIENT_ID="ilacs-tracker"),
        heading="Sign in to ILACS Tracker",
    ),
    Visit(
        "sign-in-error",
        "accounts:sign_in",
        None,
        url("accounts:sign_in"),
        then=lambda page, w: _sign_in(page, "olu.adeyemi", "not the password"),
        heading="Sign in to ILACS Tracker",
    ),
    Visit(
        "sign-in-locked-out",
        "accounts:sign_in",
        None,
        url("accounts:sign_in"),
        then=lambda page, w: _sign_in(page, "locked.out"),
        heading="You cannot sign in for now",
    ),
    Visit(
        "two-factor-verify",
        "accounts:two_factor_verify",
        "manager",
        url("accounts:two_factor_verify"),
    ),
    Visit(
        "two-factor-set-up",
        "accounts:two_factor_setup",
        "officer",
        url("accounts:two_factor_setup"),
    ),
    Visit(
        "api-tokens",
        "accounts:api_tokens",
        "officer",
        url("accounts:api_tokens"),
        # Made through the form, so the page shows the new token (once) and the list.
        then=lambda page, w: _create_token(page),
        heading="API tokens",
    ),
    Visit(
        "api-token-errors",
        "accounts:api_token_create",
        "officer",
        url("accounts:api_token_create"),
        then=_send_empty_form("Create token"),
    ),
    Visit("password-reset", "accounts:password_reset", None, url("accounts:password_reset")),
    Visit(
        "password-reset-errors",
        "accounts:password_reset",
        None,
        url("accounts:password_reset"),
        then=_send_empty_form("Send the link"),
    ),
    Visit(
        "password-reset-sent",
        "accounts:password_reset_sent",
        None,
        url("accounts:password_reset_sent"),
    ),
    Visit(
        "password-reset-new-password",
        "accounts:password_reset_confirm",
        None,
        _reset_link,
        heading="Set a new password",
    ),
    Visit(
        "password-reset-link-used",
        "accounts:password_reset_confirm",
        None,
        url("accounts:password_reset_confirm", uidb64=lambda w: "MQ", token=lambda w: "used"),
        heading="This link does not work",
    ),
    Visit(
        "password-reset-done",
        "accounts:password_reset_complete",
        None,
        url("accounts:password_reset_complete"),
    ),
    Visit("people", "accounts:membership_list", "admin", url("accounts:membership_list")),
    Visit("people-add", "accounts:membership_create", "admin", url("accounts:membership_create")),
    Visit(
        "people-add-errors",
        "accounts:membership_create",
        "admin",
        url("accounts:membership_create"),
        then=_send_empty_form("Send invitation"),
    ),
    Visit(
        "people-edit",
        "accounts:membership_edit",
        "admin",
        url("accounts:membership_edit", membership_pk=lambda w: w.membership.pk),
    ),
    Visit("people-manager", "accounts:membership_list", "manager", url("accounts:membership_list")),
    Visit(
        "people-account-off",
        "accounts:person_active",
        "admin",
        url("accounts:person_active", membership_pk=lambda w: w.membership.pk),
    ),
    Visit(
        "invitation-set-password",
        "accounts:invitation",
        None,
        _invitation_link,
        heading="Set your password",
    ),
    Visit(
        "invitation-used",
        "accounts:invitation",
        None,
        url("accounts:invitation", uidb64=lambda w: "MQ", token=lambda w: "used"),
        heading="This invitation does not work",
    ),
    Visit(
        "people-remove",
        "accounts:membership_delete",
        "admin",
        url("accounts:membership_delete", membership_pk=lambda w: w.membership.pk),
    ),
    # --- dashboards ---
    Visit("portfolio", "dashboards:portfolio", "admin", url("dashboards:portfolio")),
    Visit("portfolio-manager", "dashboards:portfolio", "manager", url("dashboards:portfolio")),
    Visit(
        "portfolio-filter-error",
        "dashboards:portfolio",
        "admin",
        lambda w: reverse("dashboards:portfolio") + "?region=Atlantis&sort=-red",
    ),
    Visit(
        "authority-dashboard",
        "dashboards:authority",
        "manager",
        url("dashboards:authority", authority_pk=_bcp),
    ),
    Visit(
        "authority-dashboard-as-at",
        "dashboards:authority",
        "manager",
        lambda w: (
            reverse("dashboards:authority", args=[_bcp(w)]) + f"?as_at={w.today.year - 1}-03-31"
        ),
    ),
    Visit(
        "benchmark",
        "dashboards:benchmark",
        "viewer",
        url("dashboards:benchmark", authority_pk=_bcp),
    ),
    Visit(
        "benchmark-outsider",
        "dashboards:benchmark",
        "officer",
        url("dashboards:benchmark", authority_pk=lambda w: w.others["Gateshead"].pk),
    ),
    Visit(
        "improved",
        "dashboards:improved",
        "manager",
        url("dashboards:improved", authority_pk=_bcp),
    ),
    Visit(
        "improved-judgement",
        "dashboards:improved",
        "manager",
        lambda w: reverse("dashboards:improved", args=[_bcp(w)]) + "?judgement=care_leavers",
    ),
    Visit(
        "improved-error",
        "dashboards:improved",
        "manager",
        lambda w: reverse("dashboards:improved", args=[_bcp(w)]) + "?judgement=nonsense",
    ),
    Visit(
        "themes",
        "dashboards:themes",
        "viewer",
        url("dashboards:themes", authority_pk=_bcp),
    ),
    Visit(
        "themes-cases",
        "dashboards:themes",
        "officer",
        lambda w: reverse("dashboards:themes", args=[_bcp(w)]) + "?theme=management_oversight",
    ),
    Visit(
        "themes-error",
        "dashboards:themes",
        "officer",
        lambda w: reverse("dashboards:themes", args=[_bcp(w)]) + "?theme=astrology",
    ),
    # --- authorities and inspections ---
    Visit(
        "authority-outsider",
        "improvement_plans:authority_detail",
        "officer",
        url("improvement_plans:authority_detail", authority_pk=lambda w: w.others["Gateshead"].pk),
    ),
    Visit(
        "authority",
        "improvement_plans:authority_detail",
        "manager",
        url("improvement_plans:authority_detail", authority_pk=_bcp),
    ),
    Visit(
        "authority-admin",
        "improvement_plans:authority_detail",
        "admin",
        url("improvement_plans:authority_detail", authority_pk=_bcp),
    ),
    Visit(
        "inspection-new",
        "inspections:inspection_create",
        "admin",
        url("inspections:inspection_create", authority_pk=_bcp),
    ),
    Visit(
        "inspection-new-errors",
        "inspections:inspection_create",
        "admin",
        url("inspections:inspection_create", authority_pk=_bcp),
        then=_send_empty_form("Save inspection"),
    ),
    Visit(
        "inspection",
        "improvement_plans:inspection_detail",
        "admin",
        url("improvement_plans:inspection_detail", inspection_pk=_latest),
    ),
    Visit(
        "inspection-sif",
        "improvement_plans:inspection_detail",
        "manager",
        url("improvement_plans:inspection_detail", inspection_pk=lambda w: w.bcp.sif.pk),
    ),
    Visit(
        "inspection-edit",
        "inspections:inspection_edit",
        "admin",
        url("inspections:inspection_edit", inspection_pk=_latest),
    ),
    Visit(
        "inspection-history",
        "improvement_plans:inspection_history",
        "manager",
        url("improvement_plans:inspection_history", inspection_pk=_latest),
    ),
    Visit(
        "inspection-deadlines",
        "improvement_plans:inspection_deadlines",
        "manager",
        url("improvement_plans:inspection_deadlines", inspection_pk=_latest),
    ),
    Visit(
        "judgements-edit",
        "inspections:judgements_edit",
        "admin",
        url("inspections:judgements_edit", inspection_pk=_latest),
    ),
    Visit(
        "finding-new",
        "inspections:finding_create",
        "admin",
        url("inspections:finding_create", inspection_pk=_latest),
    ),
    Visit(
        "findings-paste",
        "inspections:findings_paste",
        "admin",
        url("inspections:findings_paste", inspection_pk=_latest),
    ),
    Visit(
        "finding-edit",
        "inspections:finding_edit",
        "admin",
        url("inspections:finding_edit", finding_pk=_area),
    ),
    Visit(
        "finding-remove",
        "inspections:finding_delete",
        "admin",
        url("inspections:finding_delete", finding_pk=_area),
    ),
    Visit("import-report", "inspections:report_import", "admin", url("inspections:report_import")),
    Visit(
        "import-report-review",
        "inspections:report_import",
        "admin",
        url("inspections:report_import"),
        then=_upload(
            "Upload the report", FIXTURES / "ofsted-reports" / "knowsley_published-2025-01-20.pdf"
        ),
        heading="Check what was read from the report",
    ),
    Visit(
        "import-spreadsheet",
        "inspections:overview_import",
        "admin",
        url("inspections:overview_import"),
    ),
    Visit(
        "import-spreadsheet-result",
        "inspections:overview_import",
        "admin",
        url("inspections:overview_import"),
        then=_upload("Upload the spreadsheet", FIXTURES / "ilacs_overview_sample.xlsx"),
        heading="Import the national outcomes spreadsheet",
    ),
    Visit(
        "archive-import",
        "inspections:archive_import_run",
        "admin",
        url("inspections:archive_import_run"),
        prepare=lambda w: _archive_import(w.bcp),
    ),
    Visit(
        "archive-import-none-yet",
        "inspections:archive_import_run",
        "admin",
        url("inspections:archive_import_run"),
        prepare=_no_archive_import,
    ),
    # --- improvement plans, areas, updates and actions ---
    Visit(
        "my-updates", "improvement_plans:my_updates", "officer", url("improvement_plans:my_updates")
    ),
    Visit(
        "review-queue",
        "improvement_plans:review_queue",
        "manager",
        url("improvement_plans:review_queue"),
    ),
    Visit(
        "plan-start",
        "improvement_plans:plan_for_inspection",
        "manager",
        url("improvement_plans:plan_for_inspection", inspection_pk=lambda w: w.bcp.earlier.pk),
    ),
    Visit(
        "plan",
        "improvement_plans:plan_detail",
        "manager",
        url("improvement_plans:plan_detail", plan_pk=lambda w: w.bcp.plan.pk),
    ),
    Visit(
        "plan-edit",
        "improvement_plans:plan_edit",
        "manager",
        url("improvement_plans:plan_edit", plan_pk=lambda w: w.bcp.plan.pk),
    ),
    Visit(
        "area",
        "improvement_plans:area_detail",
        "officer",
        url("improvement_plans:area_detail", finding_pk=_area),
    ),
    Visit(
        "area-manager",
        "improvement_plans:area_detail",
        "manager",
        url("improvement_plans:area_detail", finding_pk=lambda w: w.bcp.afis[1].pk),
    ),
    Visit(
        "area-history",
        "improvement_plans:area_history",
        "manager",
        url("improvement_plans:area_history", finding_pk=_area),
    ),
    Visit(
        "area-edit",
        "improvement_plans:area_edit",
        "manager",
        url("improvement_plans:area_edit", finding_pk=_area),
    ),
    Visit(
        "update-new",
        "improvement_plans:update_create",
        "officer",
        url("improvement_plans:update_create", finding_pk=lambda w: w.bcp.afis[3].pk),
    ),
    Visit(
        "update-new-errors",
        "improvement_plans:update_create",
        "officer",
        url("improvement_plans:update_create", finding_pk=lambda w: w.bcp.afis[3].pk),
        then=_send_empty_form("Submit for review"),
    ),
    Visit(
        "action-new",
        "improvement_plans:action_create",
        "manager",
        url("improvement_plans:action_create", finding_pk=_area),
    ),
    Visit(
        "update",
        "improvement_plans:update_detail",
        "manager",
        url("improvement_plans:update_detail", update_pk=lambda w: w.bcp.approved.pk),
    ),
    Visit(
        "update-returned",
        "improvement_plans:update_detail",
        "officer",
        url("improvement_plans:update_detail", update_pk=lambda w: w.bcp.returned.pk),
    ),
    Visit(
        "update-edit",
        "improvement_plans:update_edit",
        "officer",
        url("improvement_plans:update_edit", update_pk=lambda w: w.bcp.draft.pk),
    ),
    Visit(
        "update-edit-returned",
        "improvement_plans:update_edit",
        "officer",
        url("improvement_plans:update_edit", update_pk=lambda w: w.bcp.returned.pk),
    ),
    Visit(
        "update-review",
        "improvement_plans:update_review",
        "manager",
        url("improvement_plans:update_review", update_pk=lambda w: w.bcp.submitted.pk),
    ),
    Visit(
        "action-edit",
        "improvement_plans:action_edit",
        "manager",
        url("improvement_plans:action_edit", action_pk=lambda w: w.bcp.actions[1].pk),
    ),
    Visit(
        "action-status",
        "improvement_plans:action_status",
        "officer",
        url("improvement_plans:action_status", action_pk=lambda w: w.bcp.actions[1].pk),
    ),
    # --- committee reports ---
    Visit("reports", "reports:report_list", "manager", url("reports:report_list")),
    Visit(
        "report-profile",
        "reports:profile_edit",
        "manager",
        url("reports:profile_edit", authority_pk=_bcp),
    ),
    Visit(
        "report-new",
        "reports:report_create",
        "manager",
        url("reports:report_create", authority_pk=_bcp),
    ),
    Visit(
        "word-template",
        "reports:word_template",
        "manager",
        url("reports:word_template", authority_pk=_bcp),
    ),
    Visit(
        "report",
        "reports:report_detail",
        "manager",
        url("reports:report_detail", report_pk=lambda w: w.bcp.report.pk),
    ),
    Visit(
        "report-details",
        "reports:report_edit",
        "manager",
        url("reports:report_edit", report_pk=lambda w: w.bcp.report.pk),
    ),
    Visit("report-section-text", "reports:section_edit", "manager", _section("purpose")),
    Visit("report-section-judgements", "reports:section_edit", "manager", _section("judgements")),
    Visit(
        "report-section-area",
        "reports:section_edit",
        "manager",
        _section(lambda w: next(k for k in w.bcp.sections if k.startswith("area-"))),
    ),
    Visit(
        "report-section-implications", "reports:section_edit", "manager", _section("implications")
    ),
    Visit("report-section-sign-off", "reports:section_edit", "manager", _section("sign_off")),
    Visit(
        "report-finalise",
        "reports:report_finalise",
        "manager",
        url("reports:report_finalise", report_pk=lambda w: w.bcp.report.pk),
    ),
    Visit(
        "report-print",
        "reports:report_print",
        "viewer",
        url("reports:report_print", report_pk=lambda w: w.bcp.report.pk),
    ),
    Visit(
        "self-evaluation-new",
        "reports:self_evaluation_create",
        "manager",
        url("reports:self_evaluation_create", authority_pk=_bcp),
    ),
    # --- readiness ---
    Visit(
        "readiness",
        "readiness:readiness",
        "manager",
        url("readiness:readiness", authority_pk=_bcp),
    ),
    Visit(
        "readiness-item-new",
        "readiness:item_create",
        "manager",
        url("readiness:item_create", authority_pk=_bcp),
        then=_send_empty_form("Save item"),
    ),
    Visit(
        "readiness-item-edit",
        "readiness:item_edit",
        "manager",
        url("readiness:item_edit", readiness_item_pk=lambda w: w.bcp.readiness_item.pk),
    ),
    Visit("library", "readiness:library", "officer", url("readiness:library", authority_pk=_bcp)),
    Visit(
        "library-manager",
        "readiness:library",
        "manager",
        url("readiness:library", authority_pk=_bcp),
    ),
    Visit(
        "library-document-new",
        "readiness:document_create",
        "manager",
        url("readiness:document_create", authority_pk=_bcp),
    ),
    Visit(
        "library-document",
        "readiness:document_detail",
        "officer",
        url("readiness:document_detail", library_document_pk=lambda w: w.bcp.library_document.pk),
    ),
    Visit(
        "library-document-edit",
        "readiness:document_edit",
        "manager",
        url("readiness:document_edit", library_document_pk=lambda w: w.bcp.library_document.pk),
    ),
    Visit(
        "engagement-meeting",
        "readiness:meeting_detail",
        "viewer",
        url("readiness:meeting_detail", meeting_pk=lambda w: w.bcp.meeting.pk),
    ),
    Visit(
        "engagement-meeting-edit",
        "readiness:meeting_edit",
        "manager",
        url("readiness:meeting_edit", meeting_pk=lambda w: w.bcp.meeting.pk),
    ),
    Visit(
        "update-evidence",
        "readiness:update_evidence",
        "officer",
        url("readiness:update_evidence", update_pk=lambda w: w.bcp.submitted.pk),
    ),
    Visit(
        "update-evidence-refused",
        "readiness:update_evidence",
        "officer",
        url("readiness:update_evidence", update_pk=lambda w: w.bcp.submitted.pk),
        then=_attach_refused,
    ),
    Visit(
        "action-evidence",
        "readiness:action_evidence",
        "officer",
        url("readiness:action_evidence", action_pk=lambda w: w.bcp.actions[0].pk),
    ),
    Visit(
        "area-evidence",
        "readiness:area_evidence",
        "viewer",
        url("readiness:area_evidence", finding_pk=_area),
    ),
]

# URL patterns that are not pages a person sees: each with why it is not visited.
NOT_PAGES = {
    "health": "a JSON health check for load balancers",
    "accounts:sign_out": "POST only: it signs out and redirects to the sign-in page",
    "accounts:sso_start": "a redirect to the council's identity provider (test_single_sign_on)",
    "accounts:sso_callback": "a redirect back from the identity provider: signed in, or to the "
    "sign-in page (test_single_sign_on)",
    "accounts:invitation_resend": "POST only: it sends the invitation again and redirects to the "
    "role's page",
    "inspections:finding_move": "POST only: it moves a finding and redirects to the inspection",
    "inspections:report_import_confirm": "POST only: it saves, or shows the review form again "
    "(visited as import-report-review)",
    "reports:section_regenerate": "POST only: it rewrites a section and redirects to the report",
    "reports:report_new_version": "POST only: it starts a new version and redirects to it",
    "reports:report_docx": "a Word file download",
    "reports:report_pdf": "a PDF file download",
    **{
        f"{name}_{file_format}": "a spreadsheet download of the page's tables"
        for name in (
            "improvement_plans:inspection",
            "improvement_plans:review_queue",
            "improvement_plans:plan",
            "dashboards:portfolio",
            "dashboards:authority",
        )
        for file_format in ("xlsx", "csv")
    },
    "api:api-root": "the API's JSON index, for tools",
    "api:openapi-json": "the API's OpenAPI description (JSON), for tools",
    **{
        f"api:{name}": "a JSON list of the read-only API, for tools"
        for name in (
            "authorities",
            "inspections",
            "judgements",
            "findings",
            "plans",
            "actions",
            "updates",
        )
    },
    "readiness:evidence_download": "an evidence file download (tests/readiness/test_evidence)",
}

OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth;
  // Whether a scrolling (or clipping) box holds the element in: one of its ancestors, but for a
  // position: absolute element only one that is its containing block (a positioned one).
  const clipped = (el) => {
    let position = getComputedStyle(el).position;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (position === "fixed") return false;
      const style = getComputedStyle(up);
      if (position === "absolute" && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      position = style.position;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.right > limit + 0.5 && !clipped(el);
  });
  return wide
    .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 5)
    .map((el) => {
      const name = el.tagName.toLowerCase() + [...el.classList].map((c) => "." + c).join("");
      const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
      return `${name} (right edge at ${Math.round(el.getBoundingClientRect().right)} px): ${text}`;
    });
}"""


@pytest.mark.parametrize("visit", VISITS, ids=[v.id for v in VISITS])
def test_the_page_fits_a_390_px_screen(page: Page, world, visit: Visit):
    if visit.prepare:
        visit.prepare(world)
    if visit.role:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": world.cookies[visit.role],
                    "url": world.live_server.url,
                }
            ]
        )
    path = visit.path(world)
    with (visit.during or nullcontext)():
        response = page.goto(path)
    assert response.status == visit.status, f"{visit.id}: {path} answered {response.status}"
    if visit.then:
        visit.then(page, world)
    if visit.heading:
        expect(page.get_by_role("heading", level=1)).to_have_text(visit.heading)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, (
        f"The page {visit.id} ({page.url}) is {width} px wide at {WIDTH} px: it scrolls sideways."
        " Widest elements not inside a scrolling region:\n  "
        + "\n  ".join(page.evaluate(OVERFLOWING))
    )


def test_every_page_of_the_service_is_visited():
    visited = {visit.url_name for visit in VISITS} - {None}
    patterns = set(url_patterns())
    assert sorted(patterns - visited - set(NOT_PAGES)) == [], "URL patterns with no visit here"
    assert sorted((visited | set(NOT_PAGES)) - patterns) == [], "Visits of patterns that are gone"

"""Between inspections, in a real browser: an officer attaches evidence to a monthly update (a
refused file first), a manager starts the evidence library from the default list and an officer
uploads a document's file, a manager keeps the readiness checklist and records the annual
engagement meeting. Every page visited has zero axe violations, error states included; the
evidence journey also works without JavaScript."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Role
from inspections.models import EventType
from readiness.models import Evidence, LibraryDocument, ReadinessItem
from tests.browser.axe import assert_accessible
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.readiness import files


@pytest.fixture
def people():
    authority = LocalAuthorityFactory(name="North Somerset")
    officer = UserFactory(username="officer", first_name="Olive", last_name="Officer")
    manager = UserFactory(username="manager", first_name="Mona", last_name="Manager")
    MembershipFactory(user=officer, authority=authority, role=Role.OFFICER)
    MembershipFactory(user=manager, authority=authority, role=Role.MANAGER)
    return authority, officer, manager


def _fill_evidence(page: Page, title: str, path) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Upload a file").set_input_files(path)
    page.get_by_role("button", name="Attach evidence").click()


def _attach_evidence_to_an_update(page: Page, sign_in_browser, people, tmp_path, *, check: bool):
    authority, officer, _ = people
    inspection = InspectionFactory(authority=authority)
    ImprovementPlanFactory(inspection=inspection)
    area = FindingFactory(inspection=inspection, lead=officer, title="The quality of plans")
    update = ProgressUpdateFactory(area_for_improvement=area, author=officer)
    sign_in_browser(page, officer)
    page.goto(f"/plans/updates/{update.pk}/")
    page.get_by_role("link", name="Evidence files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Evidence for the January 2024 update"
    )
    expect(page.get_by_text("No evidence attached yet.")).to_be_visible()
    if check:
        assert_accessible(page)

    # A program given a document's name is refused, saying what it is.
    disguised = tmp_path / "audit.pdf"
    disguised.write_bytes(files.executable())
    _fill_evidence(page, "Audit of supervision", disguised)
    expect(page.locator(".govuk-error-summary")).to_contain_text("is a program, not a document")
    assert page.title().startswith("Error: ")
    assert not Evidence.objects.exists()
    if check:
        assert_accessible(page)

    audit = tmp_path / "Supervision audit March 2026.docx"
    audit.write_bytes(files.docx())
    _fill_evidence(page, "Audit of supervision", audit)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Evidence attached: Audit of supervision"
    )
    row = page.get_by_role("row", name="Audit of supervision")
    expect(row).to_contain_text("Word document")
    expect(row).to_contain_text("31 March 2026")
    expect(row).to_contain_text("Olive Officer")
    if check:
        assert_accessible(page)
    with page.expect_download() as download:
        row.get_by_role("link").click()
    assert download.value.suggested_filename == "Supervision audit March 2026.docx"
    assert Path(download.value.path()).read_bytes() == audit.read_bytes()

    page.get_by_role("link", name="All evidence for this area").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How we know: evidence")
    expect(page.get_by_role("row", name="Audit of supervision")).to_contain_text(
        "January 2024 update"
    )
    if check:
        assert_accessible(page)


def test_an_officer_attaches_evidence_to_an_update(page, sign_in_browser, people, tmp_path):
    _attach_evidence_to_an_update(page, sign_in_browser, people, tmp_path, check=True)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_attaching_evidence_works_without_javascript(page, sign_in_browser, people, tmp_path):
    _attach_evidence_to_an_update(page, sign_in_browser, people, tmp_path, check=False)


def test_the_evidence_library(page: Page, sign_in_browser, people, tmp_path):
    authority, officer, manager = people
    sign_in_browser(page, manager)
    page.goto(f"/authorities/{authority.pk}/")
    page.get_by_role("link", name="evidence library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence library")
    expect(page.get_by_text("The library is empty.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Start from the default list").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "documents added from the default list"
    )
    row = page.get_by_role("row", name="Sufficiency strategy")
    expect(row).to_contain_text("Head of Commissioning")
    expect(row).to_contain_text("Missing")
    assert_accessible(page)

    # The manager gives it a due date that has passed: missing, overdue.
    row.get_by_role("link", name="Sufficiency strategy").click()
    page.get_by_role("link", name="Edit the document’s details").click()
    passed = timezone.localdate() - datetime.timedelta(days=7)
    page.get_by_role("group", name="Due date (optional)").get_by_label("Day").fill(str(passed.day))
    page.get_by_role("group", name="Due date (optional)").get_by_label("Month").fill(
        str(passed.month)
    )
    page.get_by_role("group", name="Due date (optional)").get_by_label("Year").fill(
        str(passed.year)
    )
    page.get_by_role("button", name="Save document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sufficiency strategy")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Missing: overdue")
    assert_accessible(page)

    # The dashboard lists it among what is missing.
    page.goto(f"/dashboards/authorities/{authority.pk}/")
    expect(
        page.get_by_text("Sufficiency strategy (Head of Commissioning): missing: overdue")
    ).to_be_visible()

    # An officer uploads the current file.
    sign_in_browser(page, officer)
    document = LibraryDocument.objects.get(authority=authority, title="Sufficiency strategy")
    page.goto(f"/readiness/library/{document.pk}/")
    expect(page.get_by_role("link", name="Edit the document’s details")).to_have_count(0)
    strategy = tmp_path / "sufficiency.pdf"
    strategy.write_bytes(files.pdf())
    _fill_evidence(page, "Sufficiency strategy 2026-29", strategy)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Current")
    expect(page.get_by_role("row", name="Sufficiency strategy 2026-29")).to_contain_text("PDF")
    assert_accessible(page)
    page.goto(f"/dashboards/authorities/{authority.pk}/")
    expect(page.get_by_text("Sufficiency strategy (Head of Commissioning)")).to_have_count(0)


def test_the_readiness_checklist_and_the_engagement_meeting(page: Page, sign_in_browser, people):
    authority, _, manager = people
    today = timezone.localdate()
    # A good inspection 29 months ago: the short inspection's window opens within a month.
    graded = InspectionFactory(
        authority=authority,
        event_type=EventType.SHORT,
        start_date=today - datetime.timedelta(days=880),
    )
    JudgementFactory(inspection=graded, grade="good")
    meeting = InspectionFactory(
        authority=authority,
        event_type=EventType.ANNUAL_ENGAGEMENT,
        start_date=today - datetime.timedelta(days=60),
        end_date=today - datetime.timedelta(days=60),
    )
    sign_in_browser(page, manager)
    page.goto(f"/authorities/{authority.pk}/")
    page.get_by_role("link", name="Inspection readiness").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inspection readiness")
    expect(page.get_by_text("Nothing is waiting to be done.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a checklist item").click()
    page.get_by_role("button", name="Save item").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what needs doing")
    assert_accessible(page)
    page.get_by_label("What needs doing").fill("Dry run of the child-level data")
    page.get_by_label("Owner").fill("Head of Performance")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save item").click()
    expect(page.get_by_role("row", name="Dry run of the child-level data")).to_contain_text(
        "In progress"
    )
    expect(page.locator(".govuk-warning-text")).to_contain_text("1 checklist item is not done")
    assert_accessible(page)
    assert ReadinessItem.objects.get().history.count() == 1

    # Beside the window on the dashboard.
    page.goto(f"/dashboards/authorities/{authority.pk}/")
    expect(
        page.get_by_text("Dry run of the child-level data (Head of Performance): in progress")
    ).to_be_visible()

    # The engagement meeting's page: who attended and the notes.
    page.goto(f"/readiness/authorities/{authority.pk}/")
    page.get_by_role("link", name=f"{meeting.start_date:%-d %B %Y}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annual engagement meeting")
    assert_accessible(page)
    page.get_by_role("link", name="Record who attended and the notes").click()
    page.get_by_label("Who attended (optional)").fill("Mona Manager, DCS\nSenior HMI")
    page.get_by_label("Notes (optional)").fill("The self-evaluation was discussed.")
    page.get_by_role("button", name="Save meeting record").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Mona Manager, DCS")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "The self-evaluation was discussed."
    )
    assert_accessible(page)

"""Browser tests with axe for the inspection pages: the authority page, the inspection form, the
judgement form, the paste-findings form and the PDF review form."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from inspections.models import Finding, Inspection
from tests.browser.axe import assert_accessible
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    UserFactory,
    judgement_area,
)

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "ofsted-reports"
D = datetime.date


@pytest.fixture
def north_somerset():
    return LocalAuthorityFactory(name="North Somerset")


@pytest.fixture
def admin_user():
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def _inspected(authority) -> Inspection:
    inspection = InspectionFactory(
        authority=authority,
        start_date=D(2023, 3, 13),
        end_date=D(2023, 3, 24),
        published_date=D(2023, 5, 11),
    )
    for code in ("impact_of_leaders", "help_and_protection", "children_in_care"):
        JudgementFactory(
            inspection=inspection,
            area=judgement_area(inspection, code),
            grade="requires_improvement",
        )
    JudgementFactory(
        inspection=inspection, area=judgement_area(inspection, "care_leavers"), grade="good"
    )
    JudgementFactory(
        inspection=inspection,
        area=judgement_area(inspection, "overall_effectiveness"),
        grade="requires_improvement",
    )
    FindingFactory(
        inspection=inspection, title="Management oversight", national_framework_tag="Enabler 1"
    )
    FindingFactory(inspection=inspection, title="Quality of plans")
    return inspection


def test_the_authority_page_is_accessible_for_a_viewer(page, sign_in_browser, north_somerset):
    _inspected(north_somerset)
    viewer = UserFactory(username="councillor")
    MembershipFactory(user=viewer, authority=north_somerset, role=Role.VIEWER)
    sign_in_browser(page, viewer)
    page.goto("/")
    page.get_by_role("link", name="North Somerset", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North Somerset")
    expect(page.get_by_text("3-year anniversary of the standard inspection")).to_be_visible()
    expect(page.get_by_role("link", name="Record an inspection or visit")).to_have_count(0)
    assert_accessible(page)


def test_recording_an_inspection_and_its_judgements_in_the_browser(
    page, sign_in_browser, north_somerset, admin_user
):
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/{north_somerset.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record an inspection or visit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an inspection or visit")
    assert_accessible(page)

    # An error first: no dates.
    page.get_by_label("Short inspection").check()
    page.get_by_role("button", name="Save inspection").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the date the inspection started"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("2")
    start.get_by_label("Month").fill("12")
    start.get_by_label("Year").fill("2024")
    end = page.get_by_role("group", name="End date")
    end.get_by_label("Day").fill("6")
    end.get_by_label("Month").fill("12")
    end.get_by_label("Year").fill("2024")
    page.get_by_label("Lead inspector (optional)").fill("Rachel Fairhurst")
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Short inspection, 2 December 2024")
    assert_accessible(page)

    page.get_by_role("link", name="Record the judgements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Judgements")
    groups = page.locator("fieldset:has(.govuk-radios) legend")
    expect(groups).to_have_count(5)  # exactly ILACS-2023's areas, each with its words below
    assert_accessible(page)
    page.get_by_role("button", name="Save judgements").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the grade for")
    assert_accessible(page)
    for legend in (
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
        "Overall effectiveness",
    ):
        page.get_by_role("group", name=legend, exact=True).get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Save judgements").click()
    expect(page.get_by_text("Judgements saved")).to_be_visible()
    assert Inspection.objects.get().judgements.count() == 5


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_pasting_findings_and_reordering_work_without_javascript(
    page, sign_in_browser, north_somerset, admin_user
):
    inspection = InspectionFactory(authority=north_somerset)
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/")
    page.get_by_role("link", name="Paste a list of findings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Paste a list of findings")
    page.get_by_label("Paste the list from the report").fill(
        "What needs to improve?\n"
        "\u2022 The response to 16- and 17-year-olds who present as\nhomeless. (Outcome 3)\n"
        "\u2022 The quality of supervision and management oversight.\n"
    )
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_text("2 areas for improvement added")).to_be_visible()
    page.get_by_role("button", name="Move down areas for improvement 1").click()
    titles = list(
        Finding.objects.filter(inspection=inspection)
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert titles == [
        "The quality of supervision and management oversight.",
        "The response to 16- and 17-year-olds who present as homeless.",
    ]


def test_the_paste_findings_form_and_its_errors_are_accessible(
    page, sign_in_browser, north_somerset, admin_user
):
    inspection = _inspected(north_somerset)
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/findings/paste/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Paste a list of findings")
    assert_accessible(page)
    page.get_by_role("button", name="Add them").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Paste the list from the report")
    assert_accessible(page)
    page.goto(f"/authorities/inspections/{inspection.pk}/")
    expect(page.get_by_role("button", name="Move down areas for improvement 1")).to_be_visible()
    assert_accessible(page)


def test_the_finding_form_is_accessible(page, sign_in_browser, north_somerset, admin_user):
    inspection = _inspected(north_somerset)
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/findings/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a finding")
    assert_accessible(page)


def test_importing_a_report_pdf_shows_an_accessible_review_form(page, sign_in_browser, admin_user):
    LocalAuthorityFactory(name="Gateshead")
    sign_in_browser(page, admin_user)
    page.goto("/authorities/import/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import an Ofsted report")
    assert_accessible(page)
    page.get_by_label("Upload the report").set_input_files(
        REPORTS / "gateshead_published-2025-01-29.pdf"
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what was read from the report")
    expect(page.get_by_label("Lead inspector (optional)")).to_have_value("Rachel Fairhurst")
    assert_accessible(page)
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Short inspection, 2 December 2024")
    assert Inspection.objects.get().findings.count() == 3


def test_the_spreadsheet_upload_page_and_its_report_are_accessible(
    page, sign_in_browser, admin_user
):
    from django.core.management import call_command

    call_command("load_authorities")
    sign_in_browser(page, admin_user)
    page.goto("/authorities/import/report/")
    page.get_by_role("link", name="import the national outcomes spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import the national outcomes spreadsheet"
    )
    assert_accessible(page)
    page.get_by_label("Upload the spreadsheet").set_input_files(
        REPORTS.parent / "ilacs_overview_sample.xlsx"
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("10 created, 0 updated, 0 unchanged, 0 skipped")).to_be_visible()
    assert_accessible(page)

    # A damaged file: an error summary on the same page, not a server error.
    sample = (REPORTS.parent / "ilacs_overview_sample.xlsx").read_bytes()
    page.get_by_label("Upload the spreadsheet").set_input_files(
        files=[{"name": "broken.xlsx", "mimeType": "application/zip", "buffer": sample[:3000]}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not an Excel spreadsheet")
    assert page.title().startswith("Error: ")
    assert_accessible(page)


def test_an_edit_refused_because_someone_saved_first_is_accessible_and_can_be_saved_again(
    page, sign_in_browser, north_somerset, admin_user
):
    inspection = _inspected(north_somerset)
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/edit/")
    page.get_by_label("Lead inspector").fill("Second Person")
    # Someone else saves while this page is open.
    Inspection.objects.filter(pk=inspection.pk).update(
        lead_inspector="First Person", version=inspection.version + 1
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Their version")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("after you opened it")
    expect(page.get_by_label("Lead inspector")).to_have_value("Second Person")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # having read theirs
    expect(page.get_by_text("Inspection saved")).to_be_visible()
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Second Person"


def test_the_inspection_history_is_accessible(page, sign_in_browser, north_somerset, admin_user):
    inspection = _inspected(north_somerset)
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/edit/")
    page.get_by_label("Lead inspector").fill("Second Person")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of changes")
    expect(page.get_by_role("cell", name="Inspection details").first).to_be_visible()
    assert_accessible(page)


def test_removing_a_finding_entered_by_mistake_is_accessible(
    page, sign_in_browser, north_somerset, admin_user
):
    inspection = _inspected(north_somerset)
    mistake = FindingFactory(inspection=inspection, title="Entered by mistake")
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/findings/{mistake.pk}/edit/")
    page.get_by_role("link", name="Remove this finding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove this area for improvement?")
    assert_accessible(page)
    page.get_by_role("button", name="Remove it").click()
    expect(page.get_by_text("“Entered by mistake” removed")).to_be_visible()
    assert not Finding.objects.filter(pk=mistake.pk).exists()


def test_the_inspection_page_shows_ofsted_words_accessibly(
    page, sign_in_browser, north_somerset, admin_user
):
    inspection = _inspected(north_somerset)
    inspection.summary = "Services have improved.\n\nLeaders know their <b>strengths</b>."
    inspection.report_url = "https://files.ofsted.gov.uk/v1/file/50216275"
    inspection.save()
    inspection.judgements.filter(area__code="care_leavers").update(
        strengths="Personal advisers know young people well.",
        to_improve="Too few care leavers are in education.\n\nOr in work.",
    )
    sign_in_browser(page, admin_user)
    page.goto(f"/authorities/inspections/{inspection.pk}/")
    expect(page.get_by_role("link", name="Read the report on Ofsted's website")).to_have_attribute(
        "href", "https://files.ofsted.gov.uk/v1/file/50216275"
    )
    # Folded away until asked for, so the page stays short.
    summary = page.locator("details", has_text="Ofsted's summary")
    expect(summary.get_by_text("Services have improved.")).to_be_hidden()
    summary.get_by_text("Ofsted's summary").click()
    expect(summary.get_by_text("Leaders know their <b>strengths</b>.")).to_be_visible()
    words = page.locator("details", has_text="What the report says")
    expect(words).to_have_count(1)
    words.get_by_text("What the report says").click()
    expect(words.get_by_role("heading", name="What needs to improve")).to_be_visible()
    expect(words.get_by_text("Or in work.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Change the judgements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Judgements")
    care_leavers = page.get_by_role(
        "group", name="What the report says about care leavers", exact=True
    )
    expect(care_leavers.get_by_label("Ofsted's findings (optional)")).to_have_value(
        "Personal advisers know young people well."
    )
    assert_accessible(page)


def test_the_last_archive_import_page_is_accessible(
    page, sign_in_browser, north_somerset, admin_user
):
    from inspections.models import ArchiveImportFile, ArchiveImportRun

    inspection = _inspected(north_somerset)
    archive_run = ArchiveImportRun.objects.create(
        directory="/data/ofsted-archive", jobs=2, started_at="2025-01-01T10:00Z"
    )
    ArchiveImportFile.objects.create(
        run=archive_run,
        filename="80526_north-somerset.pdf",
        outcome="recorded",
        inspection=inspection,
    )
    ArchiveImportFile.objects.create(
        run=archive_run,
        filename="80431_blackpool_2012-07-13.pdf",
        outcome="refused",
        detail="The file is not a PDF",
    )
    sign_in_browser(page, admin_user)
    page.goto("/authorities/import/archive/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Last import of the report archive")
    expect(page.get_by_role("row", name="80431_blackpool_2012-07-13.pdf")).to_contain_text(
        "The file is not a PDF"
    )
    assert_accessible(page)

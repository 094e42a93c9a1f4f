"""A report author's journey in a real browser: create a report, edit a section, write one again
from the data, finalise, download Word and PDF; every page checked by axe (WCAG 2.2 A/AA)."""

import docx
import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from tests.browser.axe import assert_accessible
from tests.factories import LocalAuthorityFactory, MembershipFactory, UserFactory
from tests.reports.factories import inspection_with_progress


@pytest.fixture
def author(live_server):
    authority = LocalAuthorityFactory(name="North Somerset")
    inspection_with_progress(authority, areas=2, months=3)
    user = UserFactory(username="author", first_name="Pat", last_name="Lee")
    MembershipFactory(user=user, authority=authority, role=Role.MANAGER)
    return user


def _fill_date(page: Page, name: str, day: int, month: int, year: int) -> None:
    page.locator(f"#id_{name}_0").fill(str(day))
    page.locator(f"#id_{name}_1").fill(str(month))
    page.locator(f"#id_{name}_2").fill(str(year))


def test_an_author_creates_edits_finalises_and_downloads_a_report(page, sign_in_browser, author):
    sign_in_browser(page, author)
    page.goto("/")
    page.get_by_role("link", name="Committee reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee reports")
    assert_accessible(page)

    page.get_by_role("link", name="New report for North Somerset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New committee report")
    assert_accessible(page)

    # A mistake first: the error summary and the field errors must be accessible too.
    page.get_by_label("Committee", exact=True).fill("")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the committee")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Progress update on the areas for improvement").check()
    page.get_by_label("Committee", exact=True).fill("Children and Young People's Scrutiny Panel")
    _fill_date(page, "meeting_date", 10, 7, 2024)
    _fill_date(page, "period_start", 1, 1, 2024)
    _fill_date(page, "period_end", 31, 3, 2024)
    page.get_by_label("Report of").fill("Sheila Smith, Director of Children's Services")
    page.get_by_label("Cabinet member or portfolio holder").fill("Cllr Mary Jones")
    page.get_by_label("Report author").fill("Pat Lee")
    page.get_by_label("Contact details").fill("pat.lee@example.gov.uk")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft report created")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress on the areas")
    assert_accessible(page)

    page.get_by_role("link", name="Edit Purpose of the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit: Purpose of the report")
    assert_accessible(page)
    page.get_by_label("Purpose of the report").fill(
        "To update the panel on progress.\n\n- <script>alert(1)</script> stays text"
    )
    page.get_by_role("button", name="Save section").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Purpose of the report: saved"
    )
    expect(page.locator("#section-purpose")).to_contain_text("Edited")

    page.locator("#section-key_issues").get_by_role(
        "button", name="Write again from the data"
    ).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Key issues: written again from the data"
    )
    expect(page.locator("#section-purpose")).to_contain_text("To update the panel on progress.")
    assert_accessible(page)

    page.get_by_role("link", name="Print view of the report").click()
    expect(page.get_by_role("heading", level=2, name="Implications")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script> stays text")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the report").click()

    page.get_by_role("link", name="Finalise the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finalise the report")
    assert_accessible(page)
    page.get_by_role("button", name="Finalise the report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The report is final")
    expect(page.get_by_text("Final, version 1")).to_be_visible()
    expect(page.get_by_role("button", name="Write again from the data: Key issues")).to_have_count(
        0
    )
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-v1-final.docx")
    document = docx.Document(download.path())
    assert "To update the panel on progress." in [p.text for p in document.paragraphs]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    assert download_info.value.path().read_bytes()[:5] == b"%PDF-"

    page.get_by_role("button", name="Start a new version from this report").click()
    expect(page.get_by_text("Draft, version 2")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_editing_and_finalising_work_without_javascript(page, sign_in_browser, author):
    from reports import services
    from reports.models import CommitteeReport
    from tests.reports.factories import report_for

    inspection = author.memberships.get().authority.inspections.get()
    report = report_for(inspection, author)
    sign_in_browser(page, author)
    page.goto(f"/reports/{report.pk}/")
    page.get_by_role("link", name="Edit Recommendations").click()
    page.get_by_label("Recommendations").fill("- That the panel notes the report.")
    page.get_by_role("button", name="Save section").click()
    expect(page.locator("#section-recommendations")).to_contain_text("That the panel notes")
    page.get_by_role("link", name="Finalise the report").click()
    page.get_by_role("button", name="Finalise the report").click()
    expect(page.get_by_text("Final, version 1")).to_be_visible()
    assert CommitteeReport.objects.get(pk=report.pk).is_final
    assert services.FINAL_MESSAGE  # the refusal shown for late edits


def test_the_word_template_page_has_no_violations(page, sign_in_browser, author):
    sign_in_browser(page, author)
    authority = author.memberships.get().authority
    page.goto(f"/reports/authorities/{authority.pk}/word-template/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Word template")
    expect(page.get_by_text("{{ committee }}")).to_be_visible()
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Upload template").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a Word template")
    assert_accessible(page)


def _fits(page: Page, width: int = 390) -> None:
    """The page does not scroll sideways on a phone's width."""
    page.set_viewport_size({"width": width, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_a_manager_shapes_the_profile_drafts_a_report_from_it_and_downloads_it(
    page, sign_in_browser, author
):
    sign_in_browser(page, author)
    page.goto("/reports/")
    page.get_by_role("link", name="Report profile for North Somerset").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee report profile")
    assert_accessible(page)
    _fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Committee", exact=True).fill("Children and Young People's Scrutiny Panel")
    page.get_by_label("Report of").fill("Sheila Smith, Director of Children's Services")
    section = page.get_by_role("group", name="Section 3: Key issues")
    section.get_by_label("Heading").fill("The position in brief")
    page.get_by_role("group", name="Section 7: Progress summary").get_by_label(
        "Include this section in new reports"
    ).check()
    page.get_by_label("With a label before each part").check()
    page.get_by_label("Heading of a new section").fill("Consultation")
    page.locator("#id_new_section_body").fill("Partners were consulted.")
    page.get_by_label("Sign-off 1: name").fill("Jo Bloggs")
    # A mistake first: the error summary must be accessible too.
    page.get_by_label("Font size in points").fill("40")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The font size must be 16 or less")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Font size in points").fill("12")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report profile saved")
    assert_accessible(page)

    page.goto("/reports/")
    page.get_by_role("link", name="New report for North Somerset").click()
    expect(page.get_by_label("Committee", exact=True)).to_have_value(
        "Children and Young People's Scrutiny Panel"
    )
    assert_accessible(page)
    _fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    _fill_date(page, "meeting_date", 10, 7, 2024)
    _fill_date(page, "period_start", 1, 1, 2024)
    _fill_date(page, "period_end", 31, 3, 2024)
    page.get_by_label("Cabinet member or portfolio holder").fill("Cllr Mary Jones")
    page.get_by_label("Report author").fill("Pat Lee")
    page.get_by_label("Contact details").fill("pat.lee@example.gov.uk")
    page.get_by_role("button", name="Create draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft report created")
    expect(page.locator("#section-custom-1")).to_contain_text("Consultation")
    assert_accessible(page)
    _fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Finalise the report").click()
    expect(page.locator("#unsigned")).to_contain_text("The sign-off has no name for")
    assert_accessible(page)
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    document = docx.Document(download_info.value.path())
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings.index("The position in brief") < headings.index("Progress summary")
    assert headings[-2:] == ["Consultation", "Report author and contact"]
    assert "Partners were consulted." in [p.text for p in document.paragraphs]
    assert round(document.sections[0].page_width.mm) == 210


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_profile_is_saved_without_javascript(page, sign_in_browser, author):
    from reports.models import ReportProfile

    sign_in_browser(page, author)
    authority = author.memberships.get().authority
    page.goto(f"/reports/authorities/{authority.pk}/profile/")
    page.get_by_label("Wards affected").fill("Central and Hillside")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report profile saved")
    assert ReportProfile.objects.get().wards_affected == "Central and Hillside"

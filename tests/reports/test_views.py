"""Committee report pages through the test client: who may do what, creating, editing a section,
writing one again from the data, conflicts, finalising, new versions, Word templates."""

import io

import docx
import pytest
from django.urls import reverse
from django.utils.html import escape

from reports.models import CommitteeReport, ReportKind, ReportStatus
from tests.factories import recorded_on
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: int, month: int, year: int) -> dict:
    return {f"{prefix}_0": str(day), f"{prefix}_1": str(month), f"{prefix}_2": str(year)}


def _new_report_data(inspection, **overrides) -> dict:
    data = {
        "kind": ReportKind.PROGRESS_UPDATE,
        "inspection": str(inspection.pk),
        "title": "",
        "committee": "Cabinet",
        **_date("meeting_date", 10, 7, 2024),
        **_date("period_start", 1, 1, 2024),
        **_date("period_end", 30, 6, 2024),
        "report_of": "Director of Children's Services",
        "portfolio_holder": "Cllr Mary Jones",
        "author_name": "Pat Lee",
        "contact": "pat.lee@example.gov.uk",
    }
    data.update(overrides)
    return data


@pytest.fixture
def inspection(authority):
    return inspection_with_progress(authority)


@pytest.fixture
def report(inspection, manager):
    return report_for(inspection, manager)


def _section(report, key):
    return report.sections.get(key=key)


def test_a_manager_creates_a_draft_written_from_the_data(client, manager, inspection):
    client.force_login(manager)
    url = reverse("reports:report_create", kwargs={"authority_pk": inspection.authority_id})
    assert client.get(url).status_code == 200
    response = client.post(url, _new_report_data(inspection))
    report = CommitteeReport.objects.get()
    assert response.url == reverse("reports:report_detail", kwargs={"report_pk": report.pk})
    assert report.status == ReportStatus.DRAFT
    assert report.title.startswith("Progress on the areas for improvement")
    keys = list(report.sections.values_list("key", flat=True))
    assert keys[:5] == ["purpose", "recommendations", "key_issues", "background", "judgements"]
    assert len([k for k in keys if k.startswith("area-")]) == 3
    assert keys[-4:] == ["next_steps", "implications", "sign_off", "background_papers"]
    assert report.history.first().history_user == manager


def test_a_bad_new_report_gets_specific_errors_and_creates_nothing(client, manager, inspection):
    client.force_login(manager)
    url = reverse("reports:report_create", kwargs={"authority_pk": inspection.authority_id})
    data = _new_report_data(inspection, kind="", committee="", **_date("period_end", 1, 12, 2023))
    data["meeting_date_0"] = "31"
    data["meeting_date_1"] = "2"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the name of the committee" in page
    assert "Select what kind of report it is" in page
    assert "Select an option" not in page
    assert "The end of the period must be on or after its start" in page
    assert "<title>Error: " in page
    assert CommitteeReport.objects.count() == 0


def test_a_report_cannot_be_about_another_authoritys_inspection(
    client, manager, inspection, other_authority
):
    other = inspection_with_progress(other_authority, areas=1, months=1)
    client.force_login(manager)
    url = reverse("reports:report_create", kwargs={"authority_pk": inspection.authority_id})
    response = client.post(url, _new_report_data(other))
    assert "Select one of this authority" in response.content.decode()
    assert CommitteeReport.objects.count() == 0


def test_readers_cannot_write_and_outsiders_cannot_see(client, report, viewer, officer, outsider):
    detail = reverse("reports:report_detail", kwargs={"report_pk": report.pk})
    section = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    for reader in (viewer, officer):
        client.force_login(reader)
        assert client.get(detail).status_code == 200
        assert (
            client.post(section, {"section": "purpose", "body": "x", "version": 1}).status_code
            == 403
        )
        assert "Write again from the data" not in client.get(detail).content.decode()
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    assert (
        client.get(reverse("reports:report_docx", kwargs={"report_pk": report.pk})).status_code
        == 404
    )
    assert report.title not in client.get(reverse("reports:report_list")).content.decode()


def test_editing_a_section_keeps_plain_text_and_marks_it_edited(client, manager, report):
    client.force_login(manager)
    purpose = _section(report, "purpose")
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    assert "Edit: Purpose of the report" in client.get(url + "?section=purpose").content.decode()
    body = "First paragraph.\n\n- a bullet\n- another"
    response = client.post(url, {"section": "purpose", "body": body, "version": purpose.version})
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert (purpose.body, purpose.edited, purpose.version) == (body, True, 2)
    assert purpose.history.first().history_user == manager


def test_an_empty_section_is_refused_with_a_clear_error(client, manager, report):
    client.force_login(manager)
    purpose = _section(report, "purpose")
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    response = client.post(url, {"section": "purpose", "body": "  ", "version": purpose.version})
    assert "Enter the text of this section" in response.content.decode()
    purpose.refresh_from_db()
    assert purpose.version == 1 and not purpose.edited


def test_the_judgements_section_edits_the_paragraph_above_its_table(client, manager, report):
    client.force_login(manager)
    section = _section(report, "judgements")
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    page = client.get(url, {"section": "judgements"}).content.decode()
    assert "The paragraph above the table (optional)" in page
    assert "The table itself comes from the data" in page
    assert "Requires improvement to be good" in page  # the table, as the report shows it
    response = client.post(
        url,
        {"section": "judgements", "body": "", "heading": "", "version": section.version},
    )
    assert response.status_code == 302  # the paragraph may be left empty
    response = client.post(
        url,
        {
            "section": "judgements",
            "body": "Ofsted judged the service as follows.",
            "heading": "",
            "version": section.version + 1,
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body == "Ofsted judged the service as follows."
    assert section.data["rows"]  # the table is untouched


def test_the_implications_table_is_edited_row_by_row(client, manager, report):
    client.force_login(manager)
    section = _section(report, "implications")
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    data = {"section": "implications", "version": section.version}
    for index, row in enumerate(section.data["rows"]):
        data[f"row_{index}"] = row[1]
    data["row_1"] = "The plan costs £120,000 a year, met from the children's services budget."
    assert client.post(url, data).status_code == 302
    section.refresh_from_db()
    assert section.data["rows"][1] == [
        "Finance and value for money",
        "The plan costs £120,000 a year, met from the children's services budget.",
    ]
    assert len(section.data["rows"]) == 13


def test_writing_one_section_again_keeps_the_other_edits(client, manager, report):
    client.force_login(manager)
    edit = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    for key in ("purpose", "key_issues"):
        section = _section(report, key)
        client.post(edit, {"section": key, "body": f"Edited {key}", "version": section.version})
    purpose = _section(report, "purpose")
    response = client.post(
        reverse("reports:section_regenerate", kwargs={"report_pk": report.pk}),
        {"section": "purpose", "version": purpose.version},
    )
    assert response.status_code == 302
    purpose.refresh_from_db()
    assert purpose.body.startswith("To update the Children and Young People's Scrutiny Panel")
    assert not purpose.edited
    assert _section(report, "key_issues").body == "Edited key_issues"


def test_writing_an_area_again_brings_in_what_was_approved_by_the_end_of_its_period(
    client, manager, report
):
    """A section written again reads the data as at the end of the report's period: a
    correction recorded within the period comes in, one recorded after it does not."""
    from improvement_plans.models import ProgressUpdate

    key = next(k for k in report.sections.values_list("key", flat=True) if k.startswith("area-"))
    finding_pk = int(key.removeprefix("area-"))
    latest = ProgressUpdate.objects.filter(area_for_improvement_id=finding_pk).latest("month")
    client.force_login(manager)
    url = reverse("reports:section_regenerate", kwargs={"report_pk": report.pk})

    latest.what_was_done = "Corrected after the period."
    latest.save()  # recorded today, after the report's period (January to June 2024)
    section = _section(report, key)
    client.post(url, {"section": key, "version": section.version})
    section.refresh_from_db()
    assert "Corrected after the period." not in section.body

    latest.what_was_done = "Newly approved work."
    latest.save()
    recorded_on(report.period_end, latest)  # as if recorded on the period's last day
    client.post(url, {"section": key, "version": section.version})
    section.refresh_from_db()
    assert "What was done: Newly approved work." in section.body


def test_two_people_editing_one_section_never_overwrite_each_other(
    client, manager, administrator, report
):
    purpose = _section(report, "purpose")
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    client.force_login(administrator)
    client.post(url, {"section": "purpose", "body": "Administrator's text", "version": 1})
    client.force_login(manager)
    response = client.post(url, {"section": "purpose", "body": "Manager's text", "version": 1})
    page = response.content.decode()
    assert response.status_code == 200
    assert "after you opened it" in page
    assert "Administrator&#x27;s text" in page  # their version is shown
    assert "Manager&#x27;s text" in page  # and the manager's own text is still in the form
    purpose.refresh_from_db()
    assert purpose.body == "Administrator's text"


def test_finalising_freezes_the_report_and_refuses_edits(client, manager, report):
    client.force_login(manager)
    url = reverse("reports:report_finalise", kwargs={"report_pk": report.pk})
    assert "can never be changed" in client.get(url).content.decode()
    assert client.post(url, {"version": report.version}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert report.finalised_by == manager
    assert report.final_content["sections"][0]["key"] == "purpose"

    purpose = _section(report, "purpose")
    edit = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    response = client.post(edit, {"section": "purpose", "body": "Late change", "version": 1})
    assert response.status_code == 302
    follow = client.get(response.url).content.decode()
    assert "This report is final" in follow
    assert "Write again from the data" not in follow
    purpose.refresh_from_db()
    assert purpose.body != "Late change"
    details = reverse("reports:report_edit", kwargs={"report_pk": report.pk})
    assert client.get(details).status_code == 302


def test_a_stale_finalise_is_refused(client, manager, report):
    client.force_login(manager)
    url = reverse("reports:report_finalise", kwargs={"report_pk": report.pk})
    response = client.post(url, {"version": report.version + 5})
    assert "after you opened it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_new_version_starts_from_the_final_text(client, manager, report):
    client.force_login(manager)
    edit = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    client.post(edit, {"section": "purpose", "body": "As sent to Cabinet.", "version": 1})
    client.post(
        reverse("reports:report_finalise", kwargs={"report_pk": report.pk}),
        {"version": report.version},
    )
    url = reverse("reports:report_new_version", kwargs={"report_pk": report.pk})
    response = client.post(url)
    draft = CommitteeReport.objects.get(previous_version=report)
    assert response.url == reverse("reports:report_detail", kwargs={"report_pk": draft.pk})
    assert (draft.status, draft.revision) == (ReportStatus.DRAFT, 2)
    assert _section(draft, "purpose").body == "As sent to Cabinet."
    assert draft.sections.count() == report.sections.count()
    # Only one new version from a final report: a second attempt points to the first.
    client.post(url)
    assert CommitteeReport.objects.filter(previous_version=report).count() == 1
    # And a draft cannot be the start of a new version.
    client.post(reverse("reports:report_new_version", kwargs={"report_pk": draft.pk}))
    assert CommitteeReport.objects.count() == 2


def test_the_list_shows_drafts_and_finals_per_authority(client, manager, report, inspection):
    final = report_for(inspection, manager, title="The one that went to Cabinet")
    client.force_login(manager)
    client.post(
        reverse("reports:report_finalise", kwargs={"report_pk": final.pk}),
        {"version": final.version},
    )
    page = client.get(reverse("reports:report_list")).content.decode()
    assert escape(report.title) in page and "Draft, version 1" in page
    assert final.title in page and "Final, version 1" in page
    assert (
        reverse("reports:report_create", kwargs={"authority_pk": inspection.authority_id}) in page
    )


def _docx_bytes(text: str = "Council template") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_council_word_template_is_used_for_exports(client, manager, report):
    template = docx.Document()
    template.styles["Heading 2"].font.name = "Council Serif"
    buffer = io.BytesIO()
    template.save(buffer)
    client.force_login(manager)
    url = reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    response = client.post(url, {"file": _upload("council.docx", buffer.getvalue())})
    assert response.status_code == 302
    exported = client.get(reverse("reports:report_docx", kwargs={"report_pk": report.pk}))
    document = docx.Document(io.BytesIO(exported.content))
    assert document.styles["Heading 2"].font.name == "Council Serif"
    assert "council.docx" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"hello", "must be a Word .docx or .dotx file"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "not a Word document that can be opened"),
        ("empty.docx", b"", "The selected file is empty"),
    ],
)
def test_a_bad_word_template_is_refused(client, manager, report, name, content, message):
    client.force_login(manager)
    url = reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    response = client.post(url, {"file": _upload(name, content)})
    assert message in response.content.decode()
    from reports.models import WordTemplate

    assert not WordTemplate.objects.exists()


def test_a_macro_enabled_template_is_refused(client, manager, report):
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            target.writestr(item, data)
    client.force_login(manager)
    url = reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    response = client.post(url, {"file": _upload("macros.docx", out.getvalue())})
    assert "must not contain macros" in response.content.decode()


def test_a_word_dotx_template_is_accepted_and_used(client, manager, report):
    import zipfile

    template = docx.Document()
    template.styles["Heading 1"].font.name = "Council Dotx"
    buffer = io.BytesIO()
    template.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    client.force_login(manager)
    url = reverse("reports:word_template", kwargs={"authority_pk": report.authority_id})
    assert client.post(url, {"file": _upload("council.dotx", out.getvalue())}).status_code == 302
    exported = client.get(reverse("reports:report_docx", kwargs={"report_pk": report.pk}))
    document = docx.Document(io.BytesIO(exported.content))
    assert document.styles["Heading 1"].font.name == "Council Dotx"


def test_finalising_warns_of_sign_off_names_left_blank(client, manager, report):
    client.force_login(manager)
    url = reverse("reports:report_finalise", kwargs={"report_pk": report.pk})
    page = client.get(url).content.decode()
    assert (
        "The sign-off has no name for the Monitoring Officer, the Section 151 Officer and the "
        "Chief Executive. Once the report is final, names cannot be added."
    ) in page
    sign_off = report.sections.get(key="sign_off")
    data = {"section": "sign_off", "version": sign_off.version}
    for index, row in enumerate(sign_off.data["rows"]):
        data[f"row_{index}_name"] = row[1] or f"Person {index}"
        data[f"row_{index}_title"] = row[2]
        data[f"row_{index}_date"] = ""
    edit = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    assert client.post(edit, data).status_code == 302
    assert "The sign-off has no name" not in client.get(url).content.decode()

"""An authority's report profile: managers and administrators edit it on one page (no
JavaScript needed), it is versioned and in the history, and new reports start from it."""

import pytest
from django.urls import reverse

from reports.models import EqualityAssessment, ProgressStyle, ReportProfile
from reports.profiles import IMPLICATIONS, SIGN_OFF_ROLES, STANDARD_SECTIONS
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _url(authority) -> str:
    return reverse("reports:profile_edit", kwargs={"authority_pk": authority.pk})


def _form_data(client, authority) -> dict:
    """The profile form as the page shows it, ready to post back."""
    form = client.get(_url(authority)).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def _section_index(data: dict, heading: str) -> int:
    return next(
        int(name.split("_")[1])
        for name, value in data.items()
        if name.endswith("_heading") and name.startswith("section_") and value == heading
    )


def test_a_new_authority_sees_the_standard_profile(client, manager, authority):
    client.force_login(manager)
    page = client.get(_url(authority)).content.decode()
    assert "This is the standard profile" in page
    for _, heading, _, _ in STANDARD_SECTIONS:
        assert heading in page
    assert not ReportProfile.objects.exists()


def test_a_manager_shapes_the_profile_and_a_new_report_starts_from_it(client, manager, authority):
    client.force_login(manager)
    data = _form_data(client, authority)
    data.update(
        committee="Children and Young People's Scrutiny Panel",
        report_of="Sheila Smith, Director of Children's Services",
        wards_affected="All wards",
        key_decision="yes",
        exemption="part_exempt",
        font_name="Verdana",
        font_size="11",
        margin_mm="20",
        progress_style=ProgressStyle.PROSE,
        equality_assessment=EqualityAssessment.NO,
        new_section_heading="Consultation",
        new_section_body="Partners were consulted through the improvement board.",
    )
    # Rename Key issues; move Background to the top; leave out the judgements table; switch on
    # the progress summary.
    key_issues = _section_index(data, "Key issues")
    data[f"section_{key_issues}_heading"] = "Summary of the position"
    data[f"section_{_section_index(data, 'Background')}_position"] = "0"
    data.pop(f"section_{_section_index(data, 'Inspection judgements')}_include")
    data[f"section_{_section_index(data, 'Progress summary')}_include"] = "on"
    # The council's own wording and people.
    data["implication_1_text"] = "The plan is funded from the children's services budget."
    data["sign_off_0_name"] = "Jo Bloggs"
    data["sign_off_0_title"] = "Head of Legal Services"

    response = client.post(_url(authority), data)
    assert response.status_code == 200  # position 0 is refused in GOV.UK words
    assert "The section&#x27;s position must be 1 or more" in response.content.decode()
    data[f"section_{_section_index(data, 'Background')}_position"] = "1"
    response = client.post(_url(authority), data)
    assert response.status_code == 302, response.context["form"].errors

    profile = ReportProfile.objects.get(authority=authority)
    assert profile.version == 2
    assert profile.history.first().history_user == manager
    assert [s["heading"] for s in profile.sections][:4] == [
        "Background",
        "Purpose of the report",
        "Recommendations",
        "Summary of the position",
    ]
    assert profile.sections[-1] == {
        "key": "custom-1",
        "heading": "Consultation",
        "include": True,
        "body": "Partners were consulted through the improvement board.",
    }

    # The new-report form starts from the profile's title block.
    create = reverse("reports:report_create", kwargs={"authority_pk": authority.pk})
    inspection = inspection_with_progress(authority, areas=2, months=3)
    initial = client.get(create).context["form"].initial
    assert initial["committee"] == "Children and Young People's Scrutiny Panel"
    assert (initial["key_decision"], initial["exemption"]) == ("yes", "part_exempt")

    report = report_for(inspection, manager, key_decision="yes", exemption="part_exempt")
    sections = list(report.sections.order_by("order"))
    assert [s.heading for s in sections[:4]] == [
        "Background",
        "Purpose of the report",
        "Recommendations",
        "Summary of the position",
    ]
    keys = [s.key for s in sections]
    assert "judgements" not in keys and "progress_summary" in keys
    assert keys[-1] == "custom-1"
    assert sections[-1].body == "Partners were consulted through the improvement board."
    implications = report.sections.get(key="implications").data["rows"]
    assert implications[1] == [
        "Finance and value for money",
        "The plan is funded from the children's services budget.",
    ]
    equalities = dict(implications)["Equalities"]
    assert equalities.startswith("Equality impact assessment undertaken: No.")
    sign_off = report.sections.get(key="sign_off").data
    assert sign_off["columns"] == ["Role", "Name", "Job title", "Date"]
    assert sign_off["rows"][0] == ["Monitoring Officer", "Jo Bloggs", "Head of Legal Services", ""]
    assert report.presentation["font_name"] == "Verdana"
    assert report.presentation["progress_style"] == ProgressStyle.PROSE
    area = report.sections.filter(key__startswith="area-").first()
    assert "What was done:" not in area.body and "work in month 3." in area.body

    # A council's own section written again goes back to the profile's text.
    client.post(
        reverse("reports:section_edit", kwargs={"report_pk": report.pk}),
        {"section": "custom-1", "body": "Changed.", "version": 1},
    )
    client.post(
        reverse("reports:section_regenerate", kwargs={"report_pk": report.pk}),
        {"section": "custom-1", "version": 2},
    )
    assert report.sections.get(key="custom-1").body == (
        "Partners were consulted through the improvement board."
    )


def test_removing_people_and_sections_and_adding_a_signatory(client, manager, authority):
    client.force_login(manager)
    data = _form_data(client, authority)
    data.update(new_section_heading="Own section", new_section_body="Text.")
    assert client.post(_url(authority), data).status_code == 302
    data = _form_data(client, authority)
    own = _section_index(data, "Own section")
    data[f"section_{own}_remove"] = "on"
    data["sign_off_1_remove"] = "on"
    data.update(new_sign_off_role="Director of Public Health", new_sign_off_name="Dr A Patel")
    assert client.post(_url(authority), data).status_code == 302
    profile = ReportProfile.objects.get()
    assert "custom-1" not in [s["key"] for s in profile.sections]
    roles = [row["role"] for row in profile.sign_off]
    assert roles == [
        *(role for key, role in SIGN_OFF_ROLES if key != "s151_officer"),
        "Director of Public Health",
    ]
    assert len(profile.implications) == len(IMPLICATIONS)


def test_a_stale_profile_is_not_saved_over_someone_elses(client, manager, administrator, authority):
    client.force_login(manager)
    data = _form_data(client, authority)
    client.force_login(administrator)
    assert client.post(_url(authority), {**data, "committee": "Cabinet"}).status_code == 302
    client.force_login(manager)
    response = client.post(_url(authority), {**data, "committee": "Scrutiny"})
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    assert ReportProfile.objects.get().committee == "Cabinet"


def test_too_long_values_are_refused_in_govuk_words(client, manager, authority):
    client.force_login(manager)
    data = _form_data(client, authority)
    data.update(committee="x" * 151, new_section_heading="Own", new_section_body="y" * 20_001)
    page = client.post(_url(authority), data).content.decode()
    assert "Committee must be 150 characters or fewer" in page
    assert "Text it starts with must be 20,000 characters or fewer" in page
    assert not ReportProfile.objects.exists()


def test_readers_cannot_change_the_profile(client, viewer, officer, authority):
    for reader in (viewer, officer):
        client.force_login(reader)
        assert client.get(_url(authority)).status_code == 403
        assert client.post(_url(authority), {"committee": "x"}).status_code == 403

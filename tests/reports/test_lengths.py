"""Every free-text field of committee reports has a maximum length, on the model and in the
form, and a value too long is refused in GOV.UK words ("Title must be 200 characters or
fewer"). Fields of other apps (monthly updates, inspections) are theirs to limit."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import CommitteeReport, ReportProfile, ReportSection
from reports.profiles import new_profile
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db

LIMITS = {
    "title": ("Title", 200),
    "committee": ("Committee", 150),
    "report_of": ("Report of", 150),
    "portfolio_holder": ("Cabinet member or portfolio holder", 150),
    "author_name": ("Report author", 150),
    "contact": ("Contact details", 300),
    "wards_affected": ("Wards affected", 300),
}


@pytest.fixture
def report(authority, manager):
    return report_for(inspection_with_progress(authority, areas=1, months=1), manager)


def test_every_detail_is_limited_on_the_model(report):
    for name, (_, maximum) in LIMITS.items():
        assert CommitteeReport._meta.get_field(name).max_length == maximum
    assert ReportSection._meta.get_field("heading").max_length == 300
    section = report.sections.get(key="purpose")
    section.body = "x" * 20_001
    with pytest.raises(ValidationError, match="at most 20000 characters"):
        section.full_clean()
    implications = report.sections.get(key="implications")
    implications.data["rows"][0][1] = "x" * 2_001
    with pytest.raises(ValidationError, match="2,000 characters or fewer"):
        implications.full_clean()
    profile = new_profile(report.authority)
    profile.sign_off[0]["name"] = "x" * 151
    with pytest.raises(ValidationError, match="sign-off name must be 150 characters or fewer"):
        profile.full_clean()


def test_too_long_details_are_refused_in_govuk_words(client, manager, report):
    client.force_login(manager)
    url = reverse("reports:report_edit", kwargs={"report_pk": report.pk})
    form = client.get(url).context["form"]
    data = {
        "version": report.version,
        "kind": report.kind,
        "key_decision": "no",
        "exemption": "open",
    }
    for prefix, day in (
        ("meeting_date", report.meeting_date),
        ("period_start", report.period_start),
        ("period_end", report.period_end),
    ):
        data.update({f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year})
    data.update({name: "x" * (maximum + 1) for name, (_, maximum) in LIMITS.items()})
    page = client.post(url, data).content.decode()
    for label, maximum in LIMITS.values():
        assert f"{label} must be {maximum:,} characters or fewer" in page.replace("&#x27;", "'")
    assert "Ensure this value" not in page
    assert "maxlength" not in str(form["title"])  # typed in full, then told
    report.refresh_from_db()
    assert report.version == 1


def test_a_section_and_its_rows_are_limited_in_the_form(client, manager, report):
    client.force_login(manager)
    url = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    page = client.post(url, {"section": "purpose", "body": "x" * 20_001, "version": 1}).content
    assert "The section must be 20,000 characters or fewer" in page.decode()
    sign_off = report.sections.get(key="sign_off")
    data = {"section": "sign_off", "version": 1, "row_0_name": "x" * 151, "row_0_date": "y" * 41}
    page = client.post(url, data).content.decode()
    assert "Monitoring Officer: name must be 150 characters or fewer" in page
    assert "Monitoring Officer: date signed off must be 40 characters or fewer" in page
    assert sign_off.version == 1
    assert not ReportProfile.objects.exists()

"""How an area's progress is written (the profile's choice: with labels or as paragraphs) and
section headings a person edits."""

import io

import docx
import pytest
from django.urls import reverse

from improvement_plans.models import ProgressUpdate
from reports import word
from reports.document import document_for
from reports.models import ProgressStyle
from reports.profiles import new_profile
from reports.selectors import report_with_sections
from tests.reports.factories import inspection_with_progress, report_for

pytestmark = pytest.mark.django_db


def _latest(area_section) -> ProgressUpdate:
    finding = int(area_section.key.removeprefix("area-"))
    return ProgressUpdate.objects.filter(area_for_improvement_id=finding).latest("month")


def test_progress_is_labelled_by_default(authority, manager):
    report = report_for(inspection_with_progress(authority, areas=1, months=2), manager)
    area = report.sections.get(key__startswith="area-")
    latest = _latest(area)
    assert area.body == f"What was done: {latest.what_was_done}\n\nImpact: {latest.impact}"


def test_the_profile_can_ask_for_paragraphs_without_labels(authority, manager):
    profile = new_profile(authority)
    profile.progress_style = ProgressStyle.PROSE
    profile.save()
    report = report_for(inspection_with_progress(authority, areas=1, months=2), manager)
    area = report.sections.get(key__startswith="area-")
    latest = _latest(area)
    assert area.body == f"{latest.what_was_done}\n\n{latest.impact}"
    text = [
        p.text
        for p in docx.Document(
            io.BytesIO(word.build_docx(document_for(report, report_with_sections(report=report))))
        ).paragraphs
    ]
    assert latest.impact in text and not any(t.startswith("Impact:") for t in text)


def test_a_sections_heading_is_edited_and_kept_when_written_again(client, manager, authority):
    report = report_for(inspection_with_progress(authority, areas=1, months=1), manager)
    client.force_login(manager)
    edit = reverse("reports:section_edit", kwargs={"report_pk": report.pk})
    purpose = report.sections.get(key="purpose")
    response = client.post(
        edit,
        {"section": "purpose", "heading": "Why this report", "body": "Text.", "version": 1},
    )
    assert response.status_code == 302
    client.post(
        reverse("reports:section_regenerate", kwargs={"report_pk": report.pk}),
        {"section": "purpose", "version": 2},
    )
    purpose.refresh_from_db()
    assert purpose.heading == "Why this report"
    assert purpose.body.startswith("To update the")
    # A table's heading too; too long a heading is refused in GOV.UK words.
    implications = report.sections.get(key="implications")
    data = {"section": "implications", "version": 1, "heading": "x" * 301}
    data.update({f"row_{i}": row[1] for i, row in enumerate(implications.data["rows"])})
    page = client.post(edit, data).content.decode()
    assert "The heading must be 300 characters or fewer" in page
    data["heading"] = "Implications of the recommendations"
    assert client.post(edit, data).status_code == 302
    implications.refresh_from_db()
    assert implications.heading == "Implications of the recommendations"
    # An area's heading is its title, from the data: not offered.
    area = report.sections.get(key__startswith="area-")
    form = client.get(f"{edit}?section={area.key}").context["form"]
    assert "heading" not in form.fields

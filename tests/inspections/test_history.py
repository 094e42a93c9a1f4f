"""An inspection's history page: every change to it, its judgements, its findings and its plan,
with who made it and when, in a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, FindingKind, JudgementArea
from tests.factories import (
    FindingFactory,
    ImprovementPlanFactory,
    InspectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(inspection):
    return reverse("improvement_plans:inspection_history", kwargs={"inspection_pk": inspection.pk})


def _rows(response) -> list[str]:
    """The history table's rows as text, newest first."""
    html = response.content.decode()
    body = html[html.index('<tbody class="govuk-table__body">') : html.index("</tbody>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in body.split("</tr>")[:-1]]


def test_it_shows_who_changed_the_inspection_its_judgements_findings_and_plan(
    client, authority, viewer
):
    editor = UserFactory(username="editor", first_name="Edith", last_name="Editor")
    inspection = InspectionFactory(authority=authority, lead_inspector="Anna Gravelle")
    inspection.lead_inspector = "Second Person"
    services.inspection_update(inspection=inspection, expected_version=1, user=editor)
    overall = JudgementArea.objects.get(
        framework=inspection.framework, code="overall_effectiveness"
    )
    services.judgements_set(
        inspection=inspection, grades={overall: "good"}, user=editor, expected_version=2
    )
    services.judgements_set(
        inspection=inspection, grades={overall: "inadequate"}, user=editor, expected_version=3
    )
    services.finding_create(
        finding=Finding(
            inspection=inspection, kind=FindingKind.AREA_FOR_IMPROVEMENT, text="Plans are weak."
        ),
        user=editor,
    )
    ImprovementPlanFactory(inspection=inspection, notes="Agreed at DMT")

    client.force_login(viewer)  # read-only people may read the history too
    response = client.get(_url(inspection))
    assert response.status_code == 200
    rows = _rows(response)
    text = "\n".join(rows)
    assert "Inspection details Changed" in text
    assert "Lead inspector: “Anna Gravelle” to “Second Person”" in text
    assert "Judgement: Overall effectiveness Created" in text
    assert "Grade: “Good” to “Inadequate”" in text
    assert "Area for improvement: Plans are weak Created" in text
    assert "Improvement plan Created" in text
    assert "Edith Editor" in text
    assert rows[0].count("Improvement plan") == 1  # newest first


def test_the_inspection_page_links_to_its_history(client, authority, viewer):
    inspection = InspectionFactory(authority=authority)
    client.force_login(viewer)
    page = client.get(
        reverse("improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk})
    )
    assert _url(inspection) in page.content.decode()


def test_another_authoritys_inspection_history_is_a_404(client, authority, outsider):
    inspection = InspectionFactory(authority=authority)
    client.force_login(outsider)
    assert client.get(_url(inspection)).status_code == 404


@pytest.mark.parametrize("size", [1, 25])
def test_it_runs_the_same_queries_whatever_the_length_of_the_history(
    client, authority, viewer, officer, django_assert_num_queries, size
):
    inspection = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    for n in range(size):
        finding = FindingFactory(inspection=inspection, lead=officer, title=f"Area {n}")
        finding.title = f"Area {n}, renamed"
        finding.save()
    ImprovementPlanFactory(inspection=inspection)
    client.force_login(viewer)
    # 1 session, 2 user, 3 the inspection (scoped to the user), 4-7 the histories of the
    # inspection, its judgements, its findings and its plan, 8 judgement area names, 9 the people
    # named in changed fields, 10-12 savepoint, session expiry pushed back, release
    with django_assert_num_queries(12):
        response = client.get(_url(inspection))
    assert len(_rows(response)) == 1 + 2 * size + 1


# --- Removing a finding entered by mistake ------------------------------------------------------


def _delete_url(finding):
    return reverse("inspections:finding_delete", kwargs={"finding_pk": finding.pk})


def test_a_finding_entered_by_mistake_can_be_removed_and_the_history_says_who(
    client, authority, administrator
):
    inspection = InspectionFactory(authority=authority)
    finding = FindingFactory(inspection=inspection, title="Typed into the wrong inspection")
    client.force_login(administrator)
    page = client.get(_delete_url(finding)).content.decode()
    assert "Remove this area for improvement?" in page and "Remove it" in page
    response = client.post(_delete_url(finding), {"version": finding.version})
    assert response.status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()
    rows = _rows(client.get(_url(inspection)))
    assert "Area for improvement: Typed into the wrong inspection Deleted" in rows[0]
    assert (administrator.get_full_name() or administrator.get_username()) in rows[0]


def test_a_finding_with_work_recorded_or_a_later_link_is_not_removed(
    client, authority, administrator, officer
):
    from tests.factories import ActionFactory, ProgressUpdateFactory

    earlier = InspectionFactory(authority=authority, start_date=datetime.date(2019, 3, 4))
    later = InspectionFactory(authority=authority, start_date=datetime.date(2023, 3, 13))
    worked_on = FindingFactory(inspection=later, title="Worked on")
    ActionFactory(area_for_improvement=worked_on)
    ProgressUpdateFactory(area_for_improvement=worked_on, author=officer)
    ProgressUpdateFactory(
        area_for_improvement=worked_on, author=officer, month=datetime.date(2024, 2, 1)
    )
    linked = FindingFactory(inspection=earlier, title="Found in 2019")
    FindingFactory(inspection=later, title="Found again in 2023", predecessor=linked)
    client.force_login(administrator)

    page = client.get(_delete_url(worked_on)).content.decode()
    assert "It has 1 action and 2 monthly updates, and the record of that work is kept" in page
    assert "Remove it" not in page  # nothing to press
    response = client.post(_delete_url(worked_on), {"version": worked_on.version})
    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()

    response = client.post(_delete_url(linked), {"version": linked.version})
    assert "“Found again in 2023” (standard inspection, 2023) is linked to it" in (
        response.content.decode().replace("&ldquo;", "“")
    )
    assert Finding.objects.filter(pk__in=[worked_on.pk, linked.pk]).count() == 2


def test_removing_a_finding_someone_changed_meanwhile_is_refused_then_allowed(
    client, authority, administrator
):
    finding = FindingFactory(inspection=InspectionFactory(authority=authority), title="Old")
    Finding.objects.filter(pk=finding.pk).update(title="Changed meanwhile", version=2)
    client.force_login(administrator)
    response = client.post(_delete_url(finding), {"version": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert "after you opened it" in page and "Changed meanwhile" in page
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert response.context["form"]["version"].value() == "2"
    assert client.post(_delete_url(finding), {"version": 2}).status_code == 302
    assert not Finding.objects.filter(pk=finding.pk).exists()


def test_a_viewer_may_not_remove_a_finding(client, authority, viewer):
    finding = FindingFactory(inspection=InspectionFactory(authority=authority))
    client.force_login(viewer)
    assert client.post(_delete_url(finding), {"version": 1}).status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()

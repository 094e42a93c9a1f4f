"""The inspection pages lead on to the plan, each area's progress and the dashboard."""

import pytest
from django.urls import reverse

from tests.factories import FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def test_the_inspection_page_links_to_its_plan_and_each_areas_progress(client, officer, authority):
    inspection = InspectionFactory(authority=authority)
    area = FindingFactory(inspection=inspection)
    strength = FindingFactory(inspection=inspection, kind="strength")
    client.force_login(officer)
    html = client.get(
        reverse("improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk})
    ).content.decode()
    plan_url = reverse(
        "improvement_plans:plan_for_inspection", kwargs={"inspection_pk": inspection.pk}
    )
    assert f'href="{plan_url}"' in html
    assert reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk}) in html
    assert reverse("improvement_plans:area_detail", kwargs={"finding_pk": strength.pk}) not in html


def test_an_inspection_with_nothing_to_improve_has_no_plan_link(client, officer, authority):
    inspection = InspectionFactory(authority=authority)
    client.force_login(officer)
    html = client.get(
        reverse("improvement_plans:inspection_detail", kwargs={"inspection_pk": inspection.pk})
    ).content.decode()
    assert "Improvement plan for this" not in html


def test_the_authority_page_links_to_its_dashboard_and_open_areas(client, officer, authority):
    inspection = InspectionFactory(authority=authority)
    area = FindingFactory(inspection=inspection)
    client.force_login(officer)
    html = client.get(
        reverse("improvement_plans:authority_detail", kwargs={"authority_pk": authority.pk})
    ).content.decode()
    assert reverse("dashboards:authority", kwargs={"authority_pk": authority.pk}) in html
    assert reverse("improvement_plans:area_detail", kwargs={"finding_pk": area.pk}) in html

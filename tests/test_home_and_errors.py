import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import LocalAuthority, Membership, Role
from tests.factories import InspectionFactory, JudgementFactory, judgement_area

pytestmark = pytest.mark.django_db


def test_home_lists_only_the_users_authorities(client, officer, authority, other_authority):
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert authority.name in html
    assert other_authority.name not in html


def test_home_shows_the_latest_graded_inspection_and_overall_grade(client, officer, authority):
    older = InspectionFactory(
        authority=authority,
        start_date=datetime.date(2020, 3, 2),
        end_date=datetime.date(2020, 3, 13),
    )
    JudgementFactory(
        inspection=older, area=judgement_area(older, "overall_effectiveness"), grade="inadequate"
    )
    latest = InspectionFactory(authority=authority)
    JudgementFactory(
        inspection=latest,
        area=judgement_area(latest, "overall_effectiveness"),
        grade="requires_improvement",
    )
    InspectionFactory(
        authority=authority,
        event_type="focused_visit",
        start_date=datetime.date(2024, 5, 1),
        end_date=datetime.date(2024, 5, 2),
    )
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert "Standard inspection, 13 March 2023" in html
    assert "Requires improvement to be good" in html
    assert "Inadequate" not in html


def test_an_administrator_sees_every_authority(client, administrator):
    call_command("load_authorities")
    client.force_login(administrator)
    assert len(client.get(reverse("home")).context["authorities"]) == 153


def _member_of(user, authorities):
    Membership.objects.bulk_create(
        Membership(user=user, authority=a, role=Role.VIEWER) for a in authorities
    )


@pytest.mark.parametrize("count", [1, 153])
def test_home_runs_the_same_queries_for_1_or_153_authorities(
    client, django_assert_num_queries, count
):
    from tests.factories import UserFactory

    call_command("load_authorities")
    authorities = list(LocalAuthority.objects.all()[:count])
    for authority in authorities:
        inspection = InspectionFactory(authority=authority)
        JudgementFactory(inspection=inspection)
    user = UserFactory(username="regional")
    _member_of(user, authorities)
    client.force_login(user)
    # 1 session, 2 user, 3 authorities with their latest inspection id (subquery),
    # 4 those inspections with their frameworks, 5 their overall effectiveness grades,
    # 6-8 savepoint, session expiry pushed back (SESSION_SAVE_EVERY_REQUEST), release savepoint
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert len(response.context["authorities"]) == count


def test_an_unknown_page_gets_the_services_404(client, officer):
    client.force_login(officer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-generic-header" in response.content.decode()


def test_the_500_page_is_in_the_services_style(client, rf):
    from ilacs.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:sign_in"))
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    nonce = response.context["csp_nonce"]
    assert f"'nonce-{nonce}'" in policy
    assert f'<script nonce="{nonce}">' in response.content.decode()

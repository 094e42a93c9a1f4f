"""Every refused access (another authority's object, a write without the role) is logged."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import Capability, get_authority_for_user, require

pytestmark = pytest.mark.django_db


def _security_records(caplog):
    return [r for r in caplog.records if r.name == "ilacs.security"]


def test_another_authoritys_object_is_a_logged_404(outsider, authority, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    with pytest.raises(Http404):
        get_authority_for_user(outsider, authority.pk)
    (record,) = _security_records(caplog)
    assert (record.event, record.status, record.user_id) == ("access_refused", 404, outsider.pk)


def test_a_write_without_the_role_is_a_logged_403(viewer, authority, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    with pytest.raises(PermissionDenied):
        require(viewer, authority, Capability.EDIT_PROGRESS)
    (record,) = _security_records(caplog)
    assert (record.status, record.authority_id, record.role, record.capability) == (
        403,
        authority.pk,
        "viewer",
        "EDIT_PROGRESS",
    )


def test_allowed_access_logs_nothing(officer, authority, caplog):
    caplog.set_level("INFO", logger="ilacs.security")
    get_authority_for_user(officer, authority.pk, capability=Capability.EDIT_PROGRESS)
    assert _security_records(caplog) == []


@pytest.mark.parametrize(
    "url_name",
    ["inspections:report_import", "inspections:overview_import"],
)
def test_an_administrators_page_refused_to_a_member_is_a_logged_403(
    client, officer, caplog, url_name
):
    from django.urls import reverse

    client.force_login(officer)
    caplog.set_level("INFO", logger="ilacs.security")
    assert client.get(reverse(url_name)).status_code == 403
    (record,) = _security_records(caplog)
    assert (record.status, record.reason, record.user_id) == (
        403,
        "not an administrator",
        officer.pk,
    )


@pytest.mark.parametrize(
    ("user", "url_name", "status"),
    [
        ("officer", "inspections:report_import", 403),
        ("viewer", "improvement_plans:action_create", 403),
        ("outsider", "improvement_plans:area_detail", 404),  # internal: not published
    ],
)
def test_a_refused_page_is_logged_once_without_a_traceback(
    client, request, authority, caplog, user, url_name, status
):
    """Not again by Django ("Forbidden (Permission denied)" with the whole traceback)."""
    import logging

    from django.urls import reverse

    from tests.factories import FindingFactory, InspectionFactory

    area = FindingFactory(inspection=InspectionFactory(authority=authority))
    kwargs = {
        "inspections:report_import": {},
        "improvement_plans:action_create": {"finding_pk": area.pk},
        "improvement_plans:area_detail": {"finding_pk": area.pk},
    }[url_name]
    client.force_login(request.getfixturevalue(user))
    caplog.set_level(logging.INFO)
    assert client.get(reverse(url_name, kwargs=kwargs)).status_code == status
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.status) for r in warnings] == [("ilacs.security", status)]
    assert all(r.exc_info is None for r in caplog.records)

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.permissions import Capability, get_authority_for_user, get_for_user, has_capability
from inspections.models import Inspection
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_members_see_their_authority_and_outsiders_get_404(authority, officer, outsider):
    assert get_authority_for_user(officer, authority.pk) == authority
    with pytest.raises(Http404):
        get_authority_for_user(outsider, authority.pk)


def test_a_viewer_may_read_but_gets_403_for_writing(authority, viewer):
    assert get_authority_for_user(viewer, authority.pk) == authority
    with pytest.raises(PermissionDenied):
        get_authority_for_user(viewer, authority.pk, capability=Capability.EDIT_PROGRESS)


@pytest.mark.parametrize(
    ("user_fixture", "capability", "allowed"),
    [
        ("officer", Capability.EDIT_PROGRESS, True),
        ("officer", Capability.MANAGE, False),
        ("manager", Capability.MANAGE, True),
        ("manager", Capability.ADMINISTER, False),
        ("viewer", Capability.VIEW, True),
        ("viewer", Capability.EDIT_PROGRESS, False),
        ("administrator", Capability.ADMINISTER, True),
        ("outsider", Capability.VIEW, False),
    ],
)
def test_capabilities_follow_the_role(request, authority, user_fixture, capability, allowed):
    user = request.getfixturevalue(user_fixture)
    assert has_capability(user, authority, capability) is allowed


def test_objects_are_fetched_through_their_scope(authority, officer, outsider):
    inspection = InspectionFactory(authority=authority)
    assert get_for_user(Inspection.objects.all(), officer, pk=inspection.pk) == inspection
    with pytest.raises(Http404):
        get_for_user(Inspection.objects.all(), outsider, pk=inspection.pk)
    with pytest.raises(PermissionDenied):
        get_for_user(
            Inspection.objects.all(), officer, capability=Capability.ADMINISTER, pk=inspection.pk
        )
    with pytest.raises(Http404):
        get_for_user(Inspection.objects.all(), officer, pk="not-a-number")

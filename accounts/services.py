"""Writes to memberships: who has which role in which authority. Keyword-only, atomic, validated;
every change is kept in the membership's history with who made it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import LocalAuthority, Membership
from core.concurrency import EditConflict, save_versioned


def membership_create(*, user, authority: LocalAuthority, role: str, by) -> Membership:
    """Gives `user` a role in `authority`. A second role in the same authority is refused."""
    membership = Membership(user=user, authority=authority, role=role)
    membership._history_user = by
    membership.full_clean()
    try:
        with transaction.atomic():
            membership.save()
            # The authority starts reporting in the app the month its first person joins: no
            # month before that is due, overdue or chased (improvement_plans.rules).
            LocalAuthority.objects.filter(pk=authority.pk, reporting_from__isnull=True).update(
                reporting_from=timezone.localdate().replace(day=1)
            )
    except IntegrityError as error:
        raise ValidationError(
            {"username": "This person already has a role in that authority"}
        ) from error
    return membership


def membership_change_role(
    *, membership: Membership, role: str, expected_version: int, by
) -> Membership:
    """Changes the role. Raises EditConflict when someone changed it since
    `expected_version` (the second of two administrators is shown the first one's change)."""
    membership.role = role
    return save_versioned(
        membership, expected_version=expected_version, user=by, update_fields=["role"]
    )


def membership_delete(*, membership: Membership, expected_version: int, by) -> None:
    """Removes the role, unless someone changed it since `expected_version` (EditConflict: the
    person removing it sees what it now is first)."""
    with transaction.atomic():
        current = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if current is None:
            return  # already removed: what was asked for is done
        if current.version != expected_version:
            raise EditConflict(current)
        current._history_user = by
        current.delete()

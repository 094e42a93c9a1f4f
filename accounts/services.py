"""Writes to memberships: who has which role in which authority. Keyword-only, atomic, validated;
every change is kept in the membership's history with who made it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import LocalAuthority, Membership


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


def membership_change_role(*, membership: Membership, role: str, by) -> Membership:
    membership.role = role
    membership._history_user = by
    with transaction.atomic():
        membership.full_clean()
        membership.save(update_fields=["role", "updated_at"])
    return membership


def membership_delete(*, membership: Membership, by) -> None:
    membership._history_user = by
    with transaction.atomic():
        membership.delete()

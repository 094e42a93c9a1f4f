"""Who belongs to which authority, and in what role."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from inspections.models import LocalAuthority


class Role(models.TextChoices):
    """What a member may do in one authority. Administrators (superusers) may do everything."""

    OFFICER = "officer", "Officer"
    MANAGER = "manager", "Senior manager"
    VIEWER = "viewer", "Viewer"


# Roles that may change an authority's plan, actions and progress updates.
WRITE_ROLES = frozenset({Role.OFFICER, Role.MANAGER})


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        """Memberships of the authorities `user` may see."""
        return self.filter(authority__in=LocalAuthority.objects.for_user(user))


class Membership(TimeStampedModel):
    """A user's role in one authority. A regional viewer has a viewer membership per authority."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority"],
                name="one_membership_per_user_and_authority",
                violation_error_message="This person already has a role in that authority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.authority}"

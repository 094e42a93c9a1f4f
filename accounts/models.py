"""The tenancy layer's records: the authorities (each council is a tenant), and who belongs to
which authority in what role."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, VersionedModel


def authority_path(model) -> str:
    """The model's way to its authority: its AUTHORITY_PATH, the foreign keys from a row to the
    authority it belongs to, joined by "__" ("inspection__authority"); "" for the authorities
    themselves. Declared once on each model, and followed by its `for_user` scope, the
    permission checks (accounts.permissions) and the dashboards' stamp triggers
    (dashboards.stamps)."""
    return model.AUTHORITY_PATH


def authority_id_field(model) -> str:
    """The lookup from a row of `model` to its authority's id: "pk" for an authority,
    "inspection__authority_id" for a row whose AUTHORITY_PATH is "inspection__authority"."""
    path = authority_path(model)
    return f"{path}_id" if path else "pk"


def authority_id_of(obj) -> int:
    """The id of the authority `obj` belongs to, following its model's AUTHORITY_PATH (the
    related rows on the way are read if they are not loaded)."""
    value = obj
    for step in authority_id_field(type(obj)).split("__"):
        value = getattr(value, step)
    return value


def is_published(model) -> bool:
    """Whether rows of `model` are what Ofsted published (docs/domain.md, "Published and internal
    data"): readable by every signed-in person, for every authority. Declared once on each model
    (`PUBLISHED = True`); a model that does not declare it is internal."""
    return getattr(model, "PUBLISHED", False)


def _published_rows(queryset, user):
    if not is_published(queryset.model):
        raise TypeError(
            f"{queryset.model.__name__} is the authority's own (internal) data: scope it with "
            "for_user, never published_for"
        )
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return queryset.all()


class AuthorityScopedQuerySet(models.QuerySet):
    """Rows that each belong to one authority, by their model's AUTHORITY_PATH."""

    def for_user(self, user):
        """The rows of the authorities `user` may see: their own people's scope, for internal
        data and for every write."""
        path = authority_path(self.model)
        return self.filter(**{f"{path}__in": LocalAuthority.objects.for_user(user)})

    def published_for(self, user):
        """Every row, for any signed-in, active person, when the model is published (what
        Ofsted published: `is_published`); a TypeError for an internal model, so that no page
        can widen an authority's own data by mistake. Reading only: writes go through
        `for_user` and a capability (accounts.permissions)."""
        return _published_rows(self, user)


class LocalAuthorityQuerySet(models.QuerySet):
    def for_user(self, user) -> LocalAuthorityQuerySet:
        """The authorities `user` may see: all for administrators, their memberships otherwise."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(pk__in=user.memberships.values("authority_id"))

    def published_for(self, user) -> LocalAuthorityQuerySet:
        """Every authority, for any signed-in, active person: who the authorities are, and what
        Ofsted published about them, is public (docs/domain.md, "Published and internal
        data")."""
        return _published_rows(self, user)


class LocalAuthority(TimeStampedModel):
    """An English local authority with children's services duties (153 of them)."""

    ofsted_urn = models.CharField("Ofsted URN", max_length=10, unique=True)
    la_code = models.CharField("DfE LA code", max_length=3, unique=True)
    gss_code = models.CharField("ONS GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=50)
    la_type = models.CharField("type", max_length=50)
    reporting_from = models.DateField(
        "reports progress in the app from",
        null=True,
        blank=True,
        help_text="The first month the authority reports its monthly progress in the app. No "
        "month before it is due, overdue or chased by a reminder (improvement_plans.rules); "
        "managers can still record earlier months.",
    )

    AUTHORITY_PATH = ""  # itself
    PUBLISHED = True  # its names and codes are public; its people and plans are not
    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when the model lived in the inspections app.
        db_table = "inspections_localauthority"
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class StatisticalNeighbour(TimeStampedModel):
    """One of an authority's ten statistical neighbours, as DfE lists them (the authorities most
    like it in their children's and families' circumstances), with its place in the list (1 is
    the closest). Public reference data, loaded with the authorities (`manage.py
    load_authorities`) and refreshed from a newer file (`manage.py load_statistical_neighbours`).
    """

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="neighbour_links"
    )
    neighbour = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest neighbour")

    AUTHORITY_PATH = "authority"
    PUBLISHED = True
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "neighbour"], name="one_link_per_neighbour"
            ),
            models.UniqueConstraint(fields=["authority", "rank"], name="one_neighbour_per_rank"),
            models.CheckConstraint(
                condition=~models.Q(authority=models.F("neighbour")),
                name="not_its_own_neighbour",
                violation_error_message="An authority is not its own statistical neighbour",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.rank}. {self.neighbour}"


class Role(models.TextChoices):
    """What a member may do in one authority. Administrators (superusers) may do everything."""

    OFFICER = "officer", "Officer"
    MANAGER = "manager", "Senior manager"
    VIEWER = "viewer", "Viewer"


# Roles that may change an authority's plan, actions and progress updates.
WRITE_ROLES = frozenset({Role.OFFICER, Role.MANAGER})


class Membership(VersionedModel):
    """A user's role in one authority. A regional viewer has a viewer membership per authority.
    Versioned like every other edit: two administrators changing the same role never silently
    overwrite each other (core.concurrency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

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


class ApiToken(TimeStampedModel):
    """A person's key to the read-only API (README, "Power BI and Excel"): it reads what its owner
    may see, today, and nothing more. The secret is shown once, when it is made; only its SHA-256
    digest is kept, so a copy of the database gives no working token. It works until its expiry
    date (inclusive) or until it is revoked (accounts.api_tokens)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What it is for, such as Power BI")
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the secret, in hex
    # The secret's first characters, to tell one's tokens apart; not enough to guess it by.
    hint = models.CharField(max_length=16)
    expires_on = models.DateField("expiry date")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The API's rate limit (accounts.api_tokens.record_use): the minute counted (minutes since
    # 1970) and the requests counted in it, kept on the token so that one UPDATE both counts a
    # request and records the token's use.
    rate_minute = models.PositiveBigIntegerField(default=0)
    rate_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_working_api_token_name_per_user",
                violation_error_message="You already have a token with this name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    def works_on(self, day) -> bool:
        """Not revoked, and not expired on `day` (it works through its expiry date)."""
        return self.revoked_at is None and day <= self.expires_on

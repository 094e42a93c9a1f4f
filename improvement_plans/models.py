"""The improvement plan, its actions and the monthly progress updates on each area for improvement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import AuthorityScopedQuerySet
from core.models import AsAtHistoricalRecords, TimeStampedModel, VersionedModel
from inspections.models import Finding, Inspection


class ImprovementPlan(VersionedModel):
    """The authority's plan in response to one inspection or visit, and its submission to Ofsted."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="improvement_plan"
    )
    submitted_on = models.DateField("date sent to Ofsted", null=True, blank=True)
    accepted_on = models.DateField("date accepted", null=True, blank=True)
    notes = models.TextField(blank=True)

    history = AsAtHistoricalRecords()
    AUTHORITY_PATH = "inspection__authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True)
                | (Q(submitted_on__isnull=False) & Q(accepted_on__gte=F("submitted_on"))),
                name="plan_accepted_after_submitted",
                violation_error_message="A plan can only be accepted on or after the day it was sent",
            ),
        ]

    def __str__(self) -> str:
        return f"Improvement plan: {self.inspection}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class Action(VersionedModel):
    """One step of the plan for an area for improvement, with an owner and a due date."""

    area_for_improvement = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(
        max_length=150, help_text="A person or a role, such as Head of Safeguarding"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = AsAtHistoricalRecords()
    AUTHORITY_PATH = "area_for_improvement__inspection__authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_for_improvement", "order", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ActionStatus.COMPLETE, completed_on__isnull=False)
                | (~Q(status=ActionStatus.COMPLETE) & Q(completed_on__isnull=True)),
                name="action_completed_on_iff_complete",
                violation_error_message="Give the date completed for a complete action, and only then",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:80]


class Rag(models.TextChoices):
    """Progress rating of a monthly update."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    COMPLETE = "complete", "Complete"


class UpdateStatus(models.TextChoices):
    """Where a monthly update is in its approval."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


class ProgressUpdate(VersionedModel):
    """The monthly progress report on one area for improvement. One per area per month; edits are
    kept in its history, so what was reported is never lost."""

    area_for_improvement = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="progress_updates"
    )
    month = models.DateField(help_text="The first day of the month the update covers")
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices)
    what_was_done = models.TextField()
    impact = models.TextField("impact seen", blank=True)
    evidence = models.TextField(blank=True)
    next_steps = models.TextField("next steps and risks", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Who last submitted it for review: with the author, the people who may not review it (four
    # eyes, `written_by`). Empty for an update never submitted (or submitted before it was kept).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_progress_updates",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_progress_updates",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)

    history = AsAtHistoricalRecords()
    AUTHORITY_PATH = "area_for_improvement__inspection__authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area_for_improvement", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["area_for_improvement", "month"],
                name="one_update_per_area_per_month",
                violation_error_message="There is already an update for this area for that month",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="update_month_is_first_of_month",
                violation_error_message="The month must be given as its first day",
            ),
        ]
        indexes = [models.Index(fields=["status", "month"])]

    def __str__(self) -> str:
        return f"{self.area_for_improvement}: {self.month:%B %Y}"

    @property
    def writer_ids(self) -> frozenset[int]:
        """The people who wrote or submitted it: none of them may review it (four eyes,
        docs/domain.md, "Approval"; enforced by accounts.permissions.require_four_eyes)."""
        return frozenset(pk for pk in (self.author_id, self.submitted_by_id) if pk is not None)

    def written_by(self, user) -> bool:
        return user.pk in self.writer_ids


class ReminderSent(TimeStampedModel):
    """Records that a reminder went to a person for a month, so a daily run never repeats it."""

    class Kind(models.TextChoices):
        OFFICER_DUE = "officer_due", "Officer: update due"
        MANAGER_SUMMARY = "manager_summary", "Manager: waiting for review"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month", "kind"], name="one_reminder_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} for {self.month:%B %Y}"

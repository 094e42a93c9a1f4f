"""Between inspections: evidence files, the evidence library, the readiness checklist and the
annual engagement meeting's record (docs/domain.md, "Between inspections")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import AuthorityScopedQuerySet, LocalAuthority
from core.models import TimeStampedModel, VersionedModel
from improvement_plans.models import Action, ProgressUpdate
from inspections.models import Inspection
from readiness.signatures import Kind

KIND_CHOICES = [(kind.code, kind.label) for kind in Kind]


class LibraryDocument(VersionedModel):
    """One document the council is expected to have ready at inspection (its evidence library):
    who keeps it, by when, and when it must next be reviewed. Its current file is its latest
    Evidence."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="library_documents"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.CharField(
        max_length=150, help_text="A person or a role, such as Head of Quality Assurance"
    )
    due_date = models.DateField("due date", null=True, blank=True)
    review_date = models.DateField("review by", null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "order", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "title"],
                name="unique_library_document_title",
                violation_error_message="The library already has a document with this title",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Evidence(TimeStampedModel):
    """A file attached to a progress update, an action or a library document: its title, the
    date of the document and who added it. The file itself is kept in the "evidence" storage
    (settings.STORAGES) under a name the app made (`stored_name`), never the uploader's; it is
    served only through readiness.views.evidence_download, with a permission check."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="evidence")
    progress_update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_files"
    )
    library_document = models.ForeignKey(
        LibraryDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    title = models.CharField(max_length=200)
    document_date = models.DateField("date of the document")
    file_name = models.CharField("file name", max_length=255)
    stored_name = models.CharField(max_length=100, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    size = models.PositiveBigIntegerField("size in bytes")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evidence_added"
    )

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["-document_date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        progress_update__isnull=False,
                        action__isnull=True,
                        library_document__isnull=True,
                    )
                    | Q(
                        progress_update__isnull=True,
                        action__isnull=False,
                        library_document__isnull=True,
                    )
                    | Q(
                        progress_update__isnull=True,
                        action__isnull=True,
                        library_document__isnull=False,
                    )
                ),
                name="evidence_attached_to_one_thing",
                violation_error_message="Evidence is attached to one update, action or library document",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return Kind[self.kind.upper()].label

    @property
    def mime_type(self) -> str:
        return Kind[self.kind.upper()].mime_type


class ItemState(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ReadinessItem(VersionedModel):
    """One thing the council means to have done before its next inspection (its own checklist:
    the self-evaluation shared, dry runs of the child-level data, the logistics plan, ...)."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="readiness_items"
    )
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=150, help_text="A person or a role")
    state = models.CharField(
        max_length=15, choices=ItemState.choices, default=ItemState.NOT_STARTED
    )
    due_date = models.DateField("due date", null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "due_date", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != ItemState.DONE


class EngagementMeeting(VersionedModel):
    """What the council records of an annual engagement meeting with Ofsted (an Inspection row of
    type annual engagement: Ofsted's record of when it was): who attended and the notes."""

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="engagement_record"
    )
    attendees = models.TextField(blank=True, help_text="One person a line, with their role")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    AUTHORITY_PATH = "inspection__authority"
    objects = AuthorityScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Engagement meeting record: {self.inspection}"

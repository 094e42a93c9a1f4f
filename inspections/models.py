"""Ofsted's frameworks and their judgement areas, inspections, judgements, findings (the
authorities they belong to are accounts.LocalAuthority, the tenancy layer)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from accounts.models import AuthorityScopedQuerySet, LocalAuthority
from core.models import AsAtHistoricalRecords, TimeStampedModel, VersionedModel


class Grade(models.TextChoices):
    """Ofsted's four-point scale."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class EventType(models.TextChoices):
    """Ofsted's kinds of contact with an authority (docs/domain.md, "The inspection system")."""

    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection"
    ANNUAL_ENGAGEMENT = "annual_engagement", "Annual engagement meeting"
    SIF = "sif", "SIF inspection"


GRADED_EVENT_TYPES = frozenset({EventType.STANDARD, EventType.SHORT, EventType.SIF})
# Only these can set areas for priority action (which start a 20-working-day plan deadline).
PRIORITY_ACTION_EVENT_TYPES = frozenset(
    {EventType.FOCUSED_VISIT, EventType.MONITORING_VISIT, EventType.JTAI}
)


class Framework(TimeStampedModel):
    """An inspection framework (SIF-2013, ILACS-2018, ...). Judgement areas hang off it as data,
    so a new framework is added as rows, not code."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField(unique=True, help_text="Inspections starting on or after this day")

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def in_force_on(cls, day: datetime.date) -> Framework:
        """The framework in force on the day an inspection *started* (not its publication)."""
        framework = cls.objects.filter(starts_on__lte=day).order_by("-starts_on").first()
        if framework is None:
            raise ValidationError(
                f"No inspection framework was in force on {day:%-d %B %Y}", code="no_framework"
            )
        return framework


class JudgementArea(TimeStampedModel):
    """One thing a framework grades, e.g. "Overall effectiveness" under ILACS-2023."""

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="judgement_areas"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_areas",
        help_text="For sub-judgements, such as SIF's adoption performance",
    )

    class Meta:
        ordering = ["framework__starts_on", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="unique_area_code_per_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.framework.code})"


class Inspection(VersionedModel):
    """One contact by Ofsted with an authority: an inspection, visit, JTAI or engagement meeting."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="inspections"
    )
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="inspections")
    start_date = models.DateField()
    end_date = models.DateField()
    published_date = models.DateField(null=True, blank=True)
    # When the authority published the report itself (the 30-working-day deadline is then met).
    report_published_by_authority_on = models.DateField(
        "date the authority published the report", null=True, blank=True
    )
    lead_inspector = models.CharField(max_length=100, blank=True)
    report_url = models.URLField("report link", max_length=500, blank=True)
    # Ofsted's own words, as the report has them (committee reports quote them): plain text,
    # a blank line between paragraphs.
    summary = models.TextField("Ofsted's summary", blank=True)

    history = AsAtHistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="inspection_ends_on_or_after_start",
                violation_error_message="The end date must be the same as or after the start date",
            ),
            models.CheckConstraint(
                condition=Q(published_date__isnull=True) | Q(published_date__gte=F("start_date")),
                name="inspection_published_on_or_after_start",
                violation_error_message="The publication date must be on or after the start date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.get_event_type_display()} starting {self.start_date:%-d %B %Y}"

    @property
    def is_graded(self) -> bool:
        return self.event_type in GRADED_EVENT_TYPES

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.framework_id:
            in_force = Framework.in_force_on(self.start_date)
            # SIF inspections already under way ran on into 2018: a SIF report is a SIF inspection
            # whatever its date (docs/domain.md, "Frameworks and judgement areas"); only its
            # start must be under SIF.
            late_sif = (
                self.event_type == EventType.SIF
                and self.framework.code.startswith("SIF")
                and self.framework.starts_on <= self.start_date
            )
            if in_force.pk != self.framework_id and not late_sif:
                raise ValidationError(
                    {
                        "framework": f"An inspection that started on {self.start_date:%-d %B %Y} "
                        f"is under {in_force.code}, not {self.framework.code}"
                    }
                )
        published_by_authority = self.report_published_by_authority_on
        if published_by_authority and self.start_date and published_by_authority < self.start_date:
            raise ValidationError(
                {
                    "report_published_by_authority_on": "The date the report was published must "
                    f"be on or after the inspection started on {self.start_date:%-d %B %Y}"
                }
            )
        if (
            self.event_type == EventType.SIF
            and self.framework_id
            and not self.framework.code.startswith("SIF")
        ):
            raise ValidationError(
                {"event_type": "SIF inspections ended in 2017: choose another type"}
            )


class Judgement(TimeStampedModel):
    """The grade an inspection gave one judgement area of its framework, and what the report says
    about that area in Ofsted's own words."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="judgements")
    grade = models.CharField(max_length=25, choices=Grade.choices)
    # Plain text, a blank line between paragraphs; empty where the report has none.
    strengths = models.TextField("Ofsted's findings", blank=True)
    to_improve = models.TextField("what needs to improve", blank=True)

    history = HistoricalRecords()
    AUTHORITY_PATH = "inspection__authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["area__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "area"],
                name="one_judgement_per_area",
                violation_error_message="This inspection already has a grade for that judgement area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.short_name}: {self.get_grade_display()}"

    def clean(self) -> None:
        super().clean()
        if not (self.inspection_id and self.area_id):
            return
        inspection = self.inspection
        if not inspection.is_graded:
            raise ValidationError(
                f"A {inspection.get_event_type_display().lower()} has no judgements",
                code="not_graded",
            )
        if self.area.framework_id != inspection.framework_id:
            raise ValidationError(
                {
                    "area": f"“{self.area.name}” is not a judgement area of the "
                    f"{inspection.framework.code} framework, which this inspection was under"
                },
                code="area_not_in_framework",
            )


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_IMPROVEMENT = "area_for_improvement", "Area for improvement"
    PRIORITY_ACTION = "priority_action", "Area for priority action"


class FindingQuerySet(AuthorityScopedQuerySet):
    def to_act_on(self) -> FindingQuerySet:
        """Areas for improvement and areas for priority action: what a plan must address."""
        return self.exclude(kind=FindingKind.STRENGTH)


class Finding(VersionedModel):
    """Something an inspection found: a strength, an area for improvement (AFI) or an area for
    priority action. AFIs and priority actions are what the improvement plan acts on."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=25, choices=FindingKind.choices)
    title = models.CharField("short title", max_length=150)
    text = models.TextField("what the report says")
    order = models.PositiveIntegerField(default=0)
    judgement_area = models.ForeignKey(
        JudgementArea, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    national_framework_tag = models.CharField(
        "national framework outcome or enabler",
        max_length=30,
        blank=True,
        help_text="For example, Outcome 3 or Enabler 1",
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        help_text="The same weakness found at an earlier inspection",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_findings",
        help_text="The officer who leads the work and logs its monthly progress",
    )

    history = HistoricalRecords()
    AUTHORITY_PATH = "inspection__authority"
    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("pk")),
                name="finding_not_its_own_predecessor",
                violation_error_message="An area for improvement cannot follow on from itself",
            ),
        ]
        indexes = [models.Index(fields=["inspection", "kind", "order"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.kind == FindingKind.PRIORITY_ACTION
            and self.inspection_id
            and self.inspection.event_type not in PRIORITY_ACTION_EVENT_TYPES
        ):
            raise ValidationError(
                {"kind": "Only visits set areas for priority action"}, code="not_a_visit"
            )
        if (
            self.judgement_area_id
            and self.inspection_id
            and self.judgement_area.framework_id != self.inspection.framework_id
        ):
            raise ValidationError(
                {"judgement_area": "Choose a judgement area of this inspection's framework"}
            )
        if self.predecessor_id and self.inspection_id:
            predecessor = self.predecessor
            if predecessor.inspection.authority_id != self.inspection.authority_id:
                raise ValidationError(
                    {"predecessor": "Choose an area for improvement of the same authority"}
                )
            if predecessor.inspection.start_date >= self.inspection.start_date:
                raise ValidationError(
                    {"predecessor": "Choose an area for improvement from an earlier inspection"}
                )


class ArchiveImportOutcome(models.TextChoices):
    """What happened to one file of an archive import."""

    RECORDED = "recorded", "Recorded"
    ALREADY_THERE = "already_there", "Already there"
    REFUSED = "refused", "Refused"


class ArchiveImportRun(TimeStampedModel):
    """One run of `manage.py import_ofsted_archive` over a folder of report PDFs (dry runs are
    not kept: they save nothing). Administrators see the last run's outcome per file."""

    directory = models.CharField(max_length=500)
    jobs = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Archive import of {self.directory} at {self.started_at:%-d %B %Y %H:%M}"


class ArchiveImportFile(TimeStampedModel):
    """The outcome of one file in an archive import run, with the reason when it was refused."""

    run = models.ForeignKey(ArchiveImportRun, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(max_length=255)
    outcome = models.CharField(max_length=20, choices=ArchiveImportOutcome.choices)
    detail = models.TextField(blank=True)
    inspection = models.ForeignKey(
        Inspection, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "filename"]
        constraints = [
            models.UniqueConstraint(fields=["run", "filename"], name="unique_file_per_import_run"),
        ]

    def __str__(self) -> str:
        return f"{self.filename}: {self.get_outcome_display()}"

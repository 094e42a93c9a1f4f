"""Committee reports: a draft written from the data, edited section by section, then finalised.

A report's sections are stored plain text (paragraphs and "- " bullet lists, never HTML) plus the
structured rows a section needs (a judgements table, an area's RAG trend, the implications). A
final report also stores `final_content`, the whole document as it went to the committee; every
rendering of a final report reads that snapshot, so later changes to the data never reach it, and
database triggers (migration 0002) refuse any change to a final report or its sections.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import AuthorityScopedQuerySet, LocalAuthority
from core.models import TimeStampedModel, VersionedModel
from inspections.models import Inspection


class ReportKind(models.TextChoices):
    """What the report is for; it sets the purpose, recommendations and what each area shows."""

    INSPECTION_OUTCOME = "inspection_outcome", "Inspection outcome report"
    PROGRESS_UPDATE = "progress_update", "Progress update on the areas for improvement"
    PLAN_APPROVAL = "plan_approval", "Improvement plan for approval"
    # Not a committee paper: the council's annual self-evaluation, shared with Ofsted for the
    # annual engagement meeting (reports.self_evaluation drafts it).
    SELF_EVALUATION = "self_evaluation", "Self-evaluation of social work practice"


# The kinds a person chooses on the committee report form.
COMMITTEE_KINDS = [choice for choice in ReportKind.choices if choice[0] != "self_evaluation"]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class KeyDecision(models.TextChoices):
    """Whether the committee's decision is a key decision (councils print it in the title block)."""

    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Exemption(models.TextChoices):
    """Whether the paper is open to the public, as councils print it in the title block."""

    OPEN = "open", "Open"
    PART_EXEMPT = "part_exempt", "Part exempt"
    FULLY_EXEMPT = "fully_exempt", "Fully exempt"


class ProgressStyle(models.TextChoices):
    """How an area's latest approved progress is printed."""

    LABELLED = "labelled", "With a label before each part (What was done: … Impact: …)"
    PROSE = "prose", "As paragraphs, without labels"


class EqualityAssessment(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# Maximum lengths of what people type (the forms say so in GOV.UK words).
SECTION_MAX_LENGTH = 20_000
HEADING_MAX_LENGTH = 300
IMPLICATION_MAX_LENGTH = 2_000
NAME_MAX_LENGTH = 150
DATE_TEXT_MAX_LENGTH = 40


def check_lengths(field: str, values: list[tuple[str, object, int]]) -> None:
    """Refuses any (what, text, maximum) whose text is too long: the free text kept in JSON
    (table rows, a profile's lists) has maximum lengths like any column."""
    for what, text, maximum in values:
        if len(str(text or "")) > maximum:
            raise ValidationError(
                {field: f"{what[0].upper()}{what[1:]} must be {maximum:,} characters or fewer"}
            )


class CommitteeReport(VersionedModel):
    """A report to a council committee about one inspection and the work on its areas for
    improvement. Drafts are edited; a final report is frozen as it was sent."""

    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="committee_reports"
    )
    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="committee_reports"
    )
    kind = models.CharField("kind of report", max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    committee = models.CharField(max_length=150)
    meeting_date = models.DateField("date of the meeting")
    period_start = models.DateField("period covered from")
    period_end = models.DateField("period covered to")
    report_of = models.CharField("report of", max_length=150)
    portfolio_holder = models.CharField("cabinet member or portfolio holder", max_length=150)
    author_name = models.CharField("report author", max_length=150)
    contact = models.CharField("contact details", max_length=300)
    key_decision = models.CharField(
        "key decision", max_length=15, choices=KeyDecision.choices, default=KeyDecision.NO
    )
    wards_affected = models.CharField("wards affected", max_length=300, default="All")
    exemption = models.CharField(
        "open or exempt", max_length=15, choices=Exemption.choices, default=Exemption.OPEN
    )
    # How the report is laid out, taken from the authority's profile when it was started (font,
    # size, margins, how progress is written, the areas' heading): see reports.profiles.
    presentation = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(
        max_length=5, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    revision = models.PositiveSmallIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    final_content = models.JSONField(null=True, blank=True, editable=False)

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["authority__name", "-meeting_date", "-revision", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
                violation_error_message="The end of the period must be on or after its start",
            ),
            models.CheckConstraint(
                condition=Q(
                    status=ReportStatus.FINAL,
                    finalised_at__isnull=False,
                    final_content__isnull=False,
                )
                | Q(status=ReportStatus.DRAFT, finalised_at__isnull=True),
                name="report_final_iff_finalised_with_content",
                violation_error_message="A final report needs its finalised content, and only a final report has it",
            ),
        ]
        indexes = [models.Index(fields=["authority", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.committee}, {self.meeting_date:%-d %B %Y})"

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL


class SectionKind(models.TextChoices):
    TEXT = "text", "Text"
    JUDGEMENTS = "judgements", "Judgements table"
    AREA = "area", "Area for improvement"
    IMPLICATIONS = "implications", "Implications table"
    SIGN_OFF = "sign_off", "Sign-off"
    TABLE = "table", "Table from the data"


class ReportSection(VersionedModel):
    """One section of a report: its heading, its plain-text body and (for tables and areas for
    improvement) the structured rows drawn from the data. `edited` says a person changed it since
    it was last written from the data."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    kind = models.CharField(max_length=15, choices=SectionKind.choices)
    heading = models.CharField(max_length=HEADING_MAX_LENGTH)
    order = models.PositiveSmallIntegerField()
    body = models.TextField(
        blank=True,
        max_length=SECTION_MAX_LENGTH,
        validators=[MaxLengthValidator(SECTION_MAX_LENGTH)],
    )
    data = models.JSONField(default=dict, blank=True)
    edited = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="one_section_per_key"),
        ]

    def __str__(self) -> str:
        return self.heading

    def clean(self) -> None:
        super().clean()
        limits = {
            SectionKind.IMPLICATIONS: [NAME_MAX_LENGTH, IMPLICATION_MAX_LENGTH],
            SectionKind.SIGN_OFF: [NAME_MAX_LENGTH] * 3 + [DATE_TEXT_MAX_LENGTH],
        }.get(self.kind)
        if limits is None or not isinstance(self.data, dict):
            return
        for row in self.data.get("rows", []):
            # A three-column sign-off (role, name, date) of an older report: the date is last.
            maxima = limits if len(row) == len(limits) else [*limits[: len(row) - 1], limits[-1]]
            check_lengths(
                "data", [("each cell", cell, m) for cell, m in zip(row, maxima, strict=False)]
            )

    @property
    def has_rows(self) -> bool:
        """The implications and sign-off are tables edited cell by cell, not text."""
        return self.kind in (SectionKind.IMPLICATIONS, SectionKind.SIGN_OFF)


class WordTemplate(TimeStampedModel):
    """A council's own Word template (.docx): exports use its styles, page set-up, headers and
    footers. Kept in the database (at most 2 MB) so backups carry it."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="word_template"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["content"])
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.authority}: {self.file_name}"


class ReportProfile(VersionedModel):
    """How an authority's committee papers look, and what a new report starts from: the title
    block's usual values, the sections with their headings and order (standard ones renamed,
    reordered or left out, and the council's own free-text sections), the implications with the
    council's usual wording, the people who sign off, the font and margins, and whether progress
    is written as paragraphs or with labels. Versioned and in the history; one per authority.

    `sections`, `implications` and `sign_off` are lists of small dicts (reports.profiles holds
    their shape and the defaults)."""

    authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="report_profile"
    )
    committee = models.CharField(max_length=150, blank=True)
    report_of = models.CharField("report of", max_length=150, blank=True)
    portfolio_holder = models.CharField(
        "cabinet member or portfolio holder", max_length=150, blank=True
    )
    author_name = models.CharField("report author", max_length=150, blank=True)
    contact = models.CharField("contact details", max_length=300, blank=True)
    key_decision = models.CharField(
        "key decision", max_length=15, choices=KeyDecision.choices, default=KeyDecision.NO
    )
    wards_affected = models.CharField("wards affected", max_length=300, default="All")
    exemption = models.CharField(
        "open or exempt", max_length=15, choices=Exemption.choices, default=Exemption.OPEN
    )
    font_name = models.CharField("font", max_length=60, default="Arial")
    font_size = models.PositiveSmallIntegerField(
        "font size (points)",
        default=12,
        validators=[MinValueValidator(8), MaxValueValidator(16)],
    )
    margin_mm = models.PositiveSmallIntegerField(
        "page margins (millimetres)",
        default=25,
        validators=[MinValueValidator(10), MaxValueValidator(50)],
    )
    progress_style = models.CharField(
        "how progress is written",
        max_length=10,
        choices=ProgressStyle.choices,
        default=ProgressStyle.LABELLED,
    )
    equality_assessment = models.CharField(
        "equality impact assessment undertaken",
        max_length=15,
        choices=EqualityAssessment.choices,
        default=EqualityAssessment.NOT_APPLICABLE,
    )
    sections = models.JSONField(default=list, blank=True)
    implications = models.JSONField(default=list, blank=True)
    sign_off = models.JSONField("sign-off", default=list, blank=True)

    history = HistoricalRecords()
    AUTHORITY_PATH = "authority"
    objects = AuthorityScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Committee report profile of {self.authority}"

    def clean(self) -> None:
        super().clean()
        check_lengths(
            "sections",
            [
                *(
                    ("a section's heading", s.get("heading"), HEADING_MAX_LENGTH)
                    for s in self.sections
                ),
                *(("a section's text", s.get("body"), SECTION_MAX_LENGTH) for s in self.sections),
            ],
        )
        check_lengths(
            "implications",
            [
                *(
                    ("an implication's name", r.get("label"), NAME_MAX_LENGTH)
                    for r in self.implications
                ),
                *(
                    ("an implication's wording", r.get("text"), IMPLICATION_MAX_LENGTH)
                    for r in self.implications
                ),
            ],
        )
        check_lengths(
            "sign_off",
            [
                (f"a sign-off {part}", row.get(part), NAME_MAX_LENGTH)
                for row in self.sign_off
                for part in ("role", "name", "title")
            ],
        )

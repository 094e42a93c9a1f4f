"""Writes to committee reports. Keyword-only, atomic, validated; every one refuses to change a
final report (and the database refuses too: see migration 0002)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from jinja2 import TemplateError

from accounts.models import LocalAuthority
from core.concurrency import save_versioned
from inspections.models import GRADED_EVENT_TYPES, Inspection
from reports import drafting, profiles, self_evaluation, word, word_templates
from reports.document import report_content
from reports.models import (
    CommitteeReport,
    KeyDecision,
    ReportKind,
    ReportProfile,
    ReportSection,
    ReportStatus,
    WordTemplate,
)
from reports.plaintext import clean
from reports.selectors import (
    profile_for,
    report_source,
    report_with_sections,
    self_evaluation_source,
)

FINAL_MESSAGE = (
    "This report is final: it is kept exactly as it went to the committee. "
    "Start a new version to make changes."
)


class ReportIsFinal(ValidationError):
    def __init__(self):
        super().__init__(FINAL_MESSAGE, code="final")


def _locked_draft(report: CommitteeReport) -> CommitteeReport:
    """Locks the report row for the rest of the transaction and checks it is still a draft, so a
    section saved at the same moment as the report is finalised cannot slip in after it."""
    current = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    if current.is_final:
        raise ReportIsFinal
    return current


def report_create(
    *, authority: LocalAuthority, inspection: Inspection, user, **fields
) -> CommitteeReport:
    """A new draft with every section written from the data, in the shape of the authority's
    report profile (its sections, their headings and order, its implications and sign-off)."""
    if inspection.authority_id != authority.pk:
        raise ValidationError({"inspection": "Choose an inspection of this authority"})
    with transaction.atomic():
        profile = profile_for(authority)
        report = CommitteeReport(
            authority=authority,
            inspection=inspection,
            created_by=user,
            presentation=profiles.presentation(profile),
            **fields,
        )
        if not report.title:
            report.title = default_title(report)
        report._history_user = user
        report.full_clean()
        report.save()
        _write_sections(report, profile, user=user)
    return report


def self_evaluation_create(
    *, authority: LocalAuthority, year: int, user, **fields
) -> CommitteeReport:
    """A new draft self-evaluation for `year`, about the authority's latest graded inspection
    with judgements by the end of that year (or today): every section written from the data as
    at that day, except those a person wrote in last year's self-evaluation, which start from
    last year's text. One per authority and year (later versions start from a final one)."""
    period_start, period_end = self_evaluation.period_for(year)
    today = timezone.localdate()
    day = min(period_end, today)
    with transaction.atomic():
        LocalAuthority.objects.select_for_update().filter(pk=authority.pk).exists()
        mine = CommitteeReport.objects.filter(authority=authority, kind=ReportKind.SELF_EVALUATION)
        if mine.filter(period_start=period_start).exists():
            raise ValidationError(
                {"year": f"A self-evaluation for {year} has already been started: carry on with it"}
            )
        inspection = (
            Inspection.objects.filter(
                authority=authority,
                event_type__in=GRADED_EVENT_TYPES,
                start_date__lte=day,
                judgements__isnull=False,
            )
            .order_by("-start_date", "-pk")
            .first()
        )
        if inspection is None:
            raise ValidationError(
                {
                    "year": f"No graded inspection with judgements is recorded by "
                    f"{day:%-d %B %Y}: a self-evaluation starts from the latest one"
                }
            )
        profile = profile_for(authority)
        report = CommitteeReport(
            authority=authority,
            inspection=inspection,
            kind=ReportKind.SELF_EVALUATION,
            title=f"Self-evaluation of social work practice, {year}",
            committee="Ofsted annual engagement meeting",
            period_start=period_start,
            period_end=period_end,
            portfolio_holder=profile.portfolio_holder or "Not applicable",
            key_decision=KeyDecision.NOT_APPLICABLE,
            created_by=user,
            presentation=profiles.presentation(profile),
            **fields,
        )
        report._history_user = user
        report.full_clean()
        report.save()
        # Last year's latest version, final or not.
        last = mine.filter(period_start__year=year - 1).order_by("-revision", "-pk").first()
        last_year = (
            [
                {"key": s.key, "heading": s.heading, "body": s.body, "edited": s.edited}
                for s in report_with_sections(report=last)
            ]
            if last is not None
            else None
        )
        _write_sections(report, profile, user=user, last_year=last_year)
    return report


def default_title(report: CommitteeReport) -> str:
    inspection = report.inspection
    when = f"{inspection.start_date:%B %Y}"
    label = inspection.get_event_type_display()
    return {
        "inspection_outcome": f"Outcome of Ofsted's {label.lower()} of children's services, {when}",
        "progress_update": f"Progress on the areas for improvement from Ofsted's {label.lower()}, {when}",
        "plan_approval": f"Improvement plan following Ofsted's {label.lower()}, {when}",
    }[report.kind]


def _write_sections(
    report: CommitteeReport, profile: ReportProfile, *, user, last_year: list[dict] | None = None
) -> None:
    if report.kind == ReportKind.SELF_EVALUATION:
        drafts = self_evaluation.draft_sections(report, self_evaluation_source(report=report))
        written = self_evaluation.carry_over(drafts, last_year or [], report.period_start.year)
    else:
        source = report_source(report=report)
        written = [(draft, False) for draft in drafting.draft_report(report, source, profile)]
    sections = [
        ReportSection(
            report=report,
            key=draft.key,
            kind=draft.kind,
            heading=draft.heading,
            order=draft.order,
            body=clean(draft.body),
            data=draft.data or {},
            edited=carried,
        )
        for draft, carried in written
    ]
    for section in sections:
        section._history_user = user
        section.save()


def report_update(*, report: CommitteeReport, expected_version: int, user) -> CommitteeReport:
    """Saves the report's details (title, committee, dates, people). Sections keep their text."""
    with transaction.atomic():
        _locked_draft(report)
        return save_versioned(report, expected_version=expected_version, user=user)


def section_update(
    *,
    section: ReportSection,
    expected_version: int,
    user,
    body: str | None = None,
    rows=None,
    heading: str | None = None,
) -> ReportSection:
    """Saves a person's edit of one section: its heading and its text, or (for the implications
    and sign-off tables) its rows' cells."""
    with transaction.atomic():
        _locked_draft(section.report)
        if heading is not None:
            section.heading = clean(heading)
        if body is not None:
            section.body = clean(body)
        if rows is not None:
            section.data = {**section.data, "rows": [[clean(c) for c in row] for row in rows]}
        section.edited = True
        return save_versioned(section, expected_version=expected_version, user=user)


def section_regenerate(*, section: ReportSection, expected_version: int, user) -> ReportSection:
    """Writes one section again from the data as it is now; the other sections keep their edits."""
    with transaction.atomic():
        report = _locked_draft(section.report)
        try:
            if report.kind == ReportKind.SELF_EVALUATION:
                draft = self_evaluation.draft_section(
                    section.key, report, self_evaluation_source(report=report)
                )
            else:
                source = report_source(report=report)
                profile = profile_for(report.authority_id)
                # The heading is the council's (its profile's, or edited): only an area's title
                # comes from the data. A council's own section goes back to its profile's text.
                draft = drafting.draft_section(
                    section.key,
                    report,
                    source,
                    profile,
                    heading=section.heading,
                    custom_body=next(
                        (s.get("body", "") for s in profile.sections if s["key"] == section.key),
                        "",
                    ),
                )
        except KeyError:
            raise ValidationError(
                "This section is no longer in the data (an area for improvement or a judgement "
                "removed since), so it cannot be written again. Edit its text instead.",
                code="gone",
            ) from None
        section.heading = draft.heading
        section.body = clean(draft.body)
        section.data = draft.data or {}
        section.edited = False
        return save_versioned(section, expected_version=expected_version, user=user)


def report_finalise(*, report: CommitteeReport, expected_version: int, user) -> CommitteeReport:
    """Freezes the report as sent to the committee: stores the whole document, then marks it
    final. From then on every rendering reads the stored document, never the data."""
    with transaction.atomic():
        current = _locked_draft(report)
        sections = report_with_sections(report=current)
        current.final_content = report_content(current, sections)
        current.status = ReportStatus.FINAL
        current.finalised_at = timezone.now()
        current.finalised_by = user
        return save_versioned(current, expected_version=expected_version, user=user)


def report_new_version(*, report: CommitteeReport, user) -> CommitteeReport:
    """A new draft that starts from a final report exactly as it was sent. Its sections can then
    be edited or written again from the data."""
    if not report.is_final:
        raise ValidationError("Only a final report can be the start of a new version.")
    content = report.final_content
    with transaction.atomic():
        later = CommitteeReport.objects.filter(previous_version=report).first()
        if later is not None:
            raise ValidationError(
                f"Version {later.revision} has already been started from this report: "
                "carry on with that one.",
                code="exists",
            )
        draft = CommitteeReport(
            authority_id=report.authority_id,
            inspection_id=report.inspection_id,
            kind=report.kind,
            title=content["title"],
            committee=content["committee"],
            meeting_date=report.meeting_date,
            period_start=report.period_start,
            period_end=report.period_end,
            report_of=content["report_of"],
            portfolio_holder=content["portfolio_holder"],
            author_name=content["author"],
            contact=content["contact"],
            key_decision=report.key_decision,
            wards_affected=report.wards_affected,
            exemption=report.exemption,
            presentation=report.presentation,
            revision=report.revision + 1,
            previous_version=report,
            created_by=user,
        )
        draft._history_user = user
        draft.full_clean()
        draft.save()
        for order, section in enumerate(content["sections"], start=1):
            copy = ReportSection(
                report=draft,
                key=section["key"],
                kind=section["kind"],
                heading=section["heading"],
                order=order,
                body=section["body"],
                data=section["data"],
                edited=True,
            )
            copy._history_user = user
            copy.save()
    return draft


def profile_update(
    *, authority: LocalAuthority, expected_version: int, user, **fields
) -> ReportProfile:
    """Saves the authority's report profile (the first save creates it from the defaults, at
    version 1). New reports start from it; reports already started keep their own shape."""
    with transaction.atomic():
        profile = ReportProfile.objects.select_for_update().filter(authority=authority).first()
        if profile is None:
            profile = profiles.new_profile(authority)
            profile._history_user = user
            profile.full_clean()
            profile.save()
        for name, value in fields.items():
            setattr(profile, name, value)
        return save_versioned(profile, expected_version=expected_version, user=user)


def word_template_upload(*, authority: LocalAuthority, uploaded_file, user) -> WordTemplate:
    """Stores a council's Word template after checking it (reports.word_templates: size packed
    and unpacked, macros, anything outside the file, its placeholders) and trying it on a small
    report."""
    name = uploaded_file.name or "template.docx"
    if uploaded_file.size > word_templates.MAX_COMPRESSED:
        raise ValidationError({"file": "The template must be smaller than 2 MB"})
    if not name.lower().endswith((".docx", ".dotx")):
        raise ValidationError({"file": "The template must be a Word .docx or .dotx file"})
    content = uploaded_file.read(word_templates.MAX_COMPRESSED + 1)
    prepared = check_word_template(content)
    with transaction.atomic():
        template, _ = WordTemplate.objects.select_for_update().get_or_create(
            authority=authority,
            defaults={"file_name": name[:200], "content": content, "uploaded_by": user},
        )
        template.file_name = name[:200]
        template.content = content
        template.uploaded_by = user
        template._history_user = user
        template.save()
    word_templates.remember(template.pk, template.updated_at.isoformat(), prepared)
    return template


def check_word_template(content: bytes) -> word_templates.Prepared:
    """Raises ValidationError, saying why, unless `content` is a Word template the export can
    build on: the checks, then a small report made in it."""
    prepared = word_templates.check(content)
    try:
        word.sample_render(prepared)
    except TemplateError as error:
        raise ValidationError(
            {
                "file": "The template's placeholders cannot be filled in "
                f"({error.message or error}): check each {{{{ }}}} and {{% %}} is complete "
                "and uses only the placeholders listed"
            }
        ) from None
    except Exception:  # python-docx and docxtpl raise many kinds of error for a broken package
        raise ValidationError({"file": word_templates.NOT_WORD}) from None
    return prepared

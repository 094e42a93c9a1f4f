"""GOV.UK forms for recording inspections, judgements and findings, and for the imports."""

from __future__ import annotations

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from accounts.models import LocalAuthority
from core.forms import GovukDateField, GovukForm, GovukModelForm, VersionedFormMixin
from inspections.models import (
    GRADED_EVENT_TYPES,
    PRIORITY_ACTION_EVENT_TYPES,
    EventType,
    Finding,
    FindingKind,
    Framework,
    Grade,
    Inspection,
    Judgement,
    JudgementArea,
)

NOT_JUDGED = "not_judged"


class InspectionForm(VersionedFormMixin, GovukModelForm):
    """Type, dates, lead inspector, report link. The framework follows from the start date."""

    submit_label = "Save inspection"

    event_type = forms.ChoiceField(
        label="Type",
        choices=EventType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of inspection or visit",
            "invalid_choice": "Select the type of inspection or visit",
        },
    )
    start_date = GovukDateField(
        what="the date the inspection started",
        label="Start date",
        help_text="The first day on site, for example 13 3 2023",
    )
    end_date = GovukDateField(
        what="the date the inspection ended", label="End date", help_text="The last day on site"
    )
    published_date = GovukDateField(
        what="the date the report was published",
        label="Date the report was published (optional)",
        required=False,
    )

    class Meta:
        model = Inspection
        fields = [
            "event_type",
            "start_date",
            "end_date",
            "published_date",
            "lead_inspector",
            "report_url",
            "summary",
        ]
        labels = {
            "lead_inspector": "Lead inspector (optional)",
            "report_url": "Link to the report on Ofsted's website (optional)",
            "summary": "Ofsted's summary (optional)",
        }
        help_texts = {
            "summary": "The report's headline summary, in Ofsted's words. Leave a blank line "
            "between paragraphs.",
        }
        error_messages = {
            "report_url": {
                "invalid": "Enter the report link as a full web address, like https://files.ofsted.gov.uk/v1/file/50216275"
            },
            "lead_inspector": {"max_length": "Lead inspector must be 100 characters or fewer"},
        }

    def __init__(self, *args, authority: LocalAuthority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.authority = authority
        if not self.is_bound and self.instance.pk is None:
            self.initial.pop("version", None)
        if self.instance.pk is None:
            # A new inspection has no version to check yet.
            self.fields.pop("version")
            self.helper.layout.fields.remove("version")
        self.fields["summary"].widget.attrs["rows"] = 8

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        published = cleaned.get("published_date")
        if start:
            try:
                self.instance.framework = Framework.in_force_on(start)
            except ValidationError:
                self.add_error(
                    "start_date",
                    f"No inspection framework was in force on {start.day} {start:%B %Y}: "
                    "Ofsted's frameworks start in November 2013",
                )
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        if start and published and published < start:
            self.add_error(
                "published_date", "The publication date must be on or after the start date"
            )
        return cleaned


def grade_field(area: JudgementArea, initial: str | None = None) -> forms.ChoiceField:
    """Radios on the four-point scale, plus an explicit "not judged" (SIF sub-judgements and the
    LSCB review are not in every report)."""
    return forms.ChoiceField(
        label=area.name,
        choices=[*Grade.choices, (NOT_JUDGED, "Not judged in this report")],
        widget=forms.RadioSelect,
        initial=initial,
        error_messages={
            "required": f"Select the grade for {area.short_name.lower()}, or "
            "‘Not judged in this report’",
            "invalid_choice": f"Choose a grade for {area.short_name.lower()} on the four-point scale",
        },
        help_text=f"A sub-judgement of {area.parent.name.lower()}" if area.parent_id else "",
    )


# What a report says about each judgement area, in Ofsted's words ("strengths" and "to_improve"
# as in ofsted_report.ParsedReport.judgement_area_texts), kept on the area's judgement. "strengths" holds
# the report's whole section on the area (its findings, good and bad), hence the label.
AREA_TEXTS = {
    "strengths": "Ofsted's findings (optional)",
    "to_improve": "What needs to improve (optional)",
}


def add_area_text_fields(form: forms.Form, area: JudgementArea, current: dict | None = None):
    """Adds a textarea per kind of text for `area`; returns the fieldset that lays them out."""
    names = []
    for kind, label in AREA_TEXTS.items():
        name = f"{kind}_{area.code}"
        form.fields[name] = forms.CharField(
            label=label,
            required=False,
            initial=(current or {}).get(kind, ""),
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        names.append(name)
    return Fieldset(
        *names,
        legend=f"What the report says about {area.short_name.lower()}",
        legend_size=Size.SMALL,
    )


def clean_judgement_area_texts(form: forms.Form, areas: list[JudgementArea]) -> None:
    """Ofsted's words about an area are kept with its judgement: words without a grade would be
    lost, so they are an error, not silently dropped."""
    for area in areas:
        if form.cleaned_data.get(f"area_{area.code}") != NOT_JUDGED:
            continue
        for kind in AREA_TEXTS:
            if (form.cleaned_data.get(f"{kind}_{area.code}") or "").strip():
                form.add_error(
                    f"{kind}_{area.code}",
                    f"Select the grade for {area.short_name.lower()} to keep what the report "
                    "says about it, or remove the text",
                )


def judgement_area_texts(form: forms.Form, areas: list[JudgementArea]) -> dict[str, dict[str, str]]:
    """{area code: {"strengths": text, "to_improve": text}} from a valid form; texts are stripped
    of surrounding whitespace and Windows line ends, otherwise exactly as typed."""
    return {
        area.code: {
            kind: (form.cleaned_data.get(f"{kind}_{area.code}") or "").replace("\r\n", "\n")
            for kind in AREA_TEXTS
        }
        for area in areas
    }


class JudgementsForm(GovukForm):
    """Exactly the judgement areas of the framework the inspection was under, as radios, each
    with what the report says about it."""

    submit_label = "Save judgements"

    def __init__(
        self,
        *args,
        areas: list[JudgementArea],
        current: dict[int, Judgement],
        version: int,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.judgement_areas = areas
        # The inspection's version: two people grading at once must not overwrite each other.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=1, initial=version
        )
        fields = ["version"]
        for area in areas:
            name = f"area_{area.code}"
            judgement = current.get(area.pk)
            self.fields[name] = grade_field(area, judgement.grade if judgement else None)
            fields.append(Field.radios(name, legend_size=Size.SMALL))
            texts = (
                {"strengths": judgement.strengths, "to_improve": judgement.to_improve}
                if judgement
                else None
            )
            fields.append(add_area_text_fields(self, area, texts))
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields, Button("submit", self.submit_label))

    def clean(self):
        cleaned = super().clean()
        clean_judgement_area_texts(self, self.judgement_areas)
        return cleaned

    def grades(self) -> dict[JudgementArea, str | None]:
        return {
            area: (
                None
                if self.cleaned_data[f"area_{area.code}"] == NOT_JUDGED
                else self.cleaned_data[f"area_{area.code}"]
            )
            for area in self.judgement_areas
        }

    def texts(self) -> dict[JudgementArea, dict[str, str]]:
        by_code = judgement_area_texts(self, self.judgement_areas)
        return {area: by_code[area.code] for area in self.judgement_areas}


def _kind_choices(inspection: Inspection) -> list[tuple[str, str]]:
    if inspection.event_type in PRIORITY_ACTION_EVENT_TYPES:
        return list(FindingKind.choices)
    return [c for c in FindingKind.choices if c[0] != FindingKind.PRIORITY_ACTION]


class FindingForm(VersionedFormMixin, GovukModelForm):
    """One strength or area for improvement; optionally tagged and linked to an earlier one."""

    submit_label = "Save"

    kind = forms.ChoiceField(
        label="What is it?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether it is a strength or an area for improvement",
            "invalid_choice": "Select whether it is a strength or an area for improvement",
        },
    )

    class Meta:
        model = Finding
        fields = [
            "kind",
            "text",
            "title",
            "judgement_area",
            "national_framework_tag",
            "predecessor",
        ]
        labels = {
            "text": "What the report says",
            "title": "Short title (optional)",
            "judgement_area": "Judgement area (optional)",
            "national_framework_tag": "National framework outcome or enabler (optional)",
            "predecessor": "The same weakness at an earlier inspection (optional)",
        }
        help_texts = {
            "title": "Leave blank to use the first words of the text",
            "predecessor": "Links this area for improvement to one it follows on from",
        }
        error_messages = {
            "text": {"required": "Enter what the report says"},
            "title": {"max_length": "The short title must be 150 characters or fewer"},
            "national_framework_tag": {
                "max_length": "The outcome or enabler must be 30 characters or fewer"
            },
            "judgement_area": {
                "invalid_choice": "Choose a judgement area of this inspection's framework"
            },
            "predecessor": {
                "invalid_choice": "Choose an area for improvement of this authority from an "
                "earlier inspection"
            },
        }

    def __init__(self, *args, inspection: Inspection, predecessors, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.inspection = inspection
        if self.instance.pk is None:
            self.fields.pop("version")
            self.helper.layout.fields.remove("version")
        self.fields["kind"].choices = _kind_choices(inspection)
        self.fields["title"].required = False
        self.fields["text"].widget.attrs["rows"] = 5
        self.fields["judgement_area"].queryset = JudgementArea.objects.filter(
            framework_id=inspection.framework_id
        ).select_related("framework")
        self.fields["judgement_area"].empty_label = "None"
        self.fields["judgement_area"].label_from_instance = lambda area: area.name
        self.fields["predecessor"].queryset = predecessors
        self.fields["predecessor"].empty_label = "None"
        self.fields["predecessor"].label_from_instance = lambda f: (
            f"{f.inspection.start_date:%B %Y}: {f.title}"
        )
        self.fields["national_framework_tag"].widget.attrs["class"] = (
            "govuk-input govuk-input--width-10"
        )


class PasteFindingsForm(GovukForm):
    """A whole list pasted from the report: one finding per bullet or number."""

    submit_label = "Add them"

    kind = forms.ChoiceField(
        label="What are they?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether they are strengths or areas for improvement",
            "invalid_choice": "Select whether they are strengths or areas for improvement",
        },
    )
    pasted = forms.CharField(
        label="Paste the list from the report",
        help_text="For example the “What needs to improve?” list. Each bullet or number becomes "
        "one item; lines that wrap are joined; a tag such as (Outcome 3) is kept separately.",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Paste the list from the report"},
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices(inspection)
        self.fields["kind"].initial = FindingKind.AREA_FOR_IMPROVEMENT

    def clean_pasted(self):
        from inspections.pasted_list import split_pasted_list

        items = split_pasted_list(self.cleaned_data["pasted"])
        if not items:
            raise ValidationError("The pasted text has no points in it: paste the list itself")
        too_long = [i for i, item in enumerate(items, 1) if len(item.national_framework_tag) > 30]
        if too_long:
            raise ValidationError(f"The tag on point {too_long[0]} is too long")
        self.items = items
        return self.cleaned_data["pasted"]


class UploadForm(GovukForm):
    submit_label = "Upload"

    def __init__(self, *args, label: str, help_text: str, suffix: str, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.suffix = suffix
        self.max_bytes = max_bytes
        self.fields["file"] = forms.FileField(
            label=label,
            help_text=help_text,
            error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        )
        self.helper.layout = Layout(Field("file"), Button("submit", self.submit_label))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.suffix):
            raise ValidationError(f"The selected file must be a {self.suffix.lstrip('.').upper()}")
        if upload.size > self.max_bytes:
            raise ValidationError(
                f"The selected file must be smaller than {self.max_bytes // (1024 * 1024)} MB"
            )
        return upload


class ReportReviewForm(GovukForm):
    """What the PDF said, for the administrator to confirm or correct before anything is saved.

    The judgement radios are the areas of the framework in force on the report's start date
    (`framework`, carried in a hidden field so the page posts back the same areas)."""

    submit_label = "Save inspection"

    authority = forms.ModelChoiceField(
        label="Authority",
        queryset=LocalAuthority.objects.all(),
        empty_label="Choose the authority",
        error_messages={
            "required": "Select the authority the report is about",
            "invalid_choice": "Select the authority the report is about",
        },
    )
    framework = forms.CharField(widget=forms.HiddenInput)
    event_type = InspectionForm.base_fields["event_type"]
    start_date = InspectionForm.base_fields["start_date"]
    end_date = InspectionForm.base_fields["end_date"]
    published_date = InspectionForm.base_fields["published_date"]
    lead_inspector = forms.CharField(
        label="Lead inspector (optional)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Lead inspector must be 100 characters or fewer"},
    )
    report_url = InspectionForm.base_fields["report_url"]
    summary = InspectionForm.base_fields["summary"]
    areas_for_improvement = forms.CharField(
        label="Areas for improvement (optional)",
        help_text="Each bullet becomes one area for improvement; edit or remove any here",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
    )

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework_obj = framework
        self.judgement_areas = list(
            framework.judgement_areas.select_related("parent").order_by("order")
        )
        self.fields["authority"].label_from_instance = lambda a: a.name
        grade_names, text_fieldsets = [], []
        for area in self.judgement_areas:
            name = f"area_{area.code}"
            self.fields[name] = grade_field(area)
            grade_names.append(Field.radios(name, legend_size=Size.SMALL))
            text_fieldsets.append(add_area_text_fields(self, area))
        self.helper.layout = Layout(
            "framework",
            "authority",
            Field.radios("event_type", legend_size=Size.SMALL),
            "start_date",
            "end_date",
            "published_date",
            "lead_inspector",
            "report_url",
            Fieldset(
                *grade_names,
                legend=f"Judgements ({framework.code})",
                legend_size=Size.MEDIUM,
            ),
            "summary",
            *text_fieldsets,
            "areas_for_improvement",
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        published = cleaned.get("published_date")
        if start:
            try:
                in_force = Framework.in_force_on(start)
            except ValidationError:
                self.add_error(
                    "start_date", "Ofsted's frameworks start in November 2013: check the start date"
                )
            else:
                if in_force.pk != self.framework_obj.pk:
                    self.add_error(
                        "start_date",
                        f"An inspection that started on {start.day} {start:%B %Y} is under "
                        f"{in_force.code}, but the judgements below are {self.framework_obj.code}'s: "
                        "check the start date",
                    )
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        if start and published and published < start:
            self.add_error(
                "published_date", "The publication date must be on or after the start date"
            )
        event_type = cleaned.get("event_type")
        if event_type == EventType.SIF and not self.framework_obj.code.startswith("SIF"):
            self.add_error("event_type", "SIF inspections ended in 2017: choose another type")
        if event_type and event_type not in GRADED_EVENT_TYPES:
            graded = [
                a
                for a in self.judgement_areas
                if cleaned.get(f"area_{a.code}") not in (None, NOT_JUDGED)
            ]
            if graded:
                self.add_error(
                    f"area_{graded[0].code}",
                    f"A {EventType(event_type).label.lower()} has no judgements: select "
                    "‘Not judged in this report’",
                )
        clean_judgement_area_texts(self, self.judgement_areas)
        if self.errors:
            return cleaned
        from inspections.pasted_list import split_pasted_list

        self.items = split_pasted_list(cleaned.get("areas_for_improvement") or "")
        return cleaned

    def grades(self) -> dict[str, str]:
        return {
            a.code: self.cleaned_data[f"area_{a.code}"]
            for a in self.judgement_areas
            if self.cleaned_data.get(f"area_{a.code}") not in (None, NOT_JUDGED)
        }

    def judgement_area_texts(self) -> dict[str, dict[str, str]]:
        return judgement_area_texts(self, self.judgement_areas)


class FindingDeleteForm(GovukForm):
    """Confirms removing a finding; carries the version it was shown at."""

    submit_label = "Remove it"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            "version", Button("submit", self.submit_label, css_class="govuk-button--warning")
        )


def day_month_year(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _DeadlineMetForm(VersionedFormMixin, GovukForm):
    """When one deadline was met: a date on or after the inspection started and not in the
    future, or blank when it has not been met (to correct a date recorded by mistake)."""

    date_field: str
    submit_label = "Save"

    def __init__(self, *args, inspection: Inspection, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        self.today = today

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get(self.date_field)
        what = self.fields[self.date_field].what
        what = f"{what[0].upper()}{what[1:]}"
        if day and day < self.inspection.start_date:
            self.add_error(
                self.date_field,
                f"{what} must be the same as or after {day_month_year(self.inspection.start_date)}, "
                "when the inspection started",
            )
        elif day and day > self.today:
            self.add_error(self.date_field, f"{what} must be today or in the past")
        return cleaned


class ReportPublishedForm(_DeadlineMetForm):
    """The date the authority published the inspection report."""

    date_field = "report_published_by_authority_on"
    report_published_by_authority_on = GovukDateField(
        what="the date the report was published",
        label="Date the council published the report",
        help_text="Leave blank if it has not been published yet. For example, 4 5 2024",
        required=False,
    )


class PlanSentForm(_DeadlineMetForm):
    """The date the improvement plan (or the draft plan after a visit) was sent to Ofsted."""

    date_field = "submitted_on"
    submitted_on = GovukDateField(
        what="the date the plan was sent to Ofsted",
        label="Date the plan was sent to Ofsted",
        help_text="Leave blank if it has not been sent yet. For example, 21 8 2024",
        required=False,
    )

"""Forms for committee reports. They validate only; the services in reports.services save."""

from __future__ import annotations

from crispy_forms_gds.layout import Button
from django import forms

from core.forms import GovukDateField, GovukForm, GovukModelForm, VersionedFormMixin
from inspections.models import Inspection
from reports.models import (
    COMMITTEE_KINDS,
    DATE_TEXT_MAX_LENGTH,
    HEADING_MAX_LENGTH,
    IMPLICATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    CommitteeReport,
    Exemption,
    KeyDecision,
    ReportKind,
    ReportSection,
    SectionKind,
)

FORMAT_HINT = (
    "Plain text. Leave a blank line between paragraphs; paragraphs are numbered when the report "
    "is printed. Start a line with a dash and a space (- ) for a bullet point."
)


def _date(label: str, what: str, hint: str = "For example, 21 10 2026") -> GovukDateField:
    return GovukDateField(what=what, label=label, help_text=hint)


def govuk_max_lengths(form: forms.Form) -> None:
    """Every text field's too-long error in GOV.UK words: "[Label] must be N characters or
    fewer"."""
    for name, field in form.fields.items():
        max_length = getattr(field, "max_length", None)
        if max_length and "Ensure" in str(field.error_messages.get("max_length", "Ensure")):
            label = str(field.label or name.replace("_", " ")).rstrip(":")
            label = label[0].upper() + label[1:]
            field.error_messages["max_length"] = (
                f"{label} must be {max_length:,} characters or fewer"
            )
            field.widget.attrs.pop("maxlength", None)  # say so after typing, not cut it short


class InspectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Inspection) -> str:
        return f"{obj.get_event_type_display()} from {obj.start_date.day} {obj.start_date:%B %Y}"


class ReportDetailsForm(GovukModelForm):
    """The report's details. On a new report, the inspection it is about and a title that may be
    left blank (one is written from the data)."""

    submit_label = "Save details"
    meeting_date = _date("Date of the meeting", "the date of the meeting")
    period_start = _date("Period covered: from", "the first day of the period covered")
    period_end = _date("Period covered: to", "the last day of the period covered")

    class Meta:
        model = CommitteeReport
        fields = [
            "kind",
            "title",
            "committee",
            "meeting_date",
            "period_start",
            "period_end",
            "report_of",
            "portfolio_holder",
            "author_name",
            "contact",
            "key_decision",
            "wards_affected",
            "exemption",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "key_decision": forms.RadioSelect,
            "exemption": forms.RadioSelect,
        }
        labels = {
            "kind": "What kind of report is it?",
            "title": "Title",
            "committee": "Committee",
            "report_of": "Report of",
            "portfolio_holder": "Cabinet member or portfolio holder",
            "author_name": "Report author",
            "contact": "Contact details",
            "key_decision": "Is it a key decision?",
            "wards_affected": "Wards affected",
            "exemption": "Is the report open to the public?",
        }
        help_texts = {
            "committee": "For example, Cabinet, or Children and Young People's Scrutiny Panel",
            "report_of": "The director the report comes from, with their job title",
            "portfolio_holder": "Name and portfolio",
            "contact": "Telephone number or email address",
        }
        error_messages = {
            "kind": {"required": "Select what kind of report it is"},
            "title": {"required": "Enter the title of the report"},
            "committee": {"required": "Enter the name of the committee"},
            "report_of": {"required": "Enter who the report is from"},
            "portfolio_holder": {"required": "Enter the cabinet member or portfolio holder"},
            "author_name": {"required": "Enter the name of the report author"},
            "contact": {"required": "Enter the author's contact details"},
            "key_decision": {"required": "Select whether it is a key decision"},
            "wards_affected": {"required": "Enter the wards affected, or All"},
            "exemption": {"required": "Select whether the report is open or exempt"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios: no "select an option".
        if self.instance.kind == ReportKind.SELF_EVALUATION:
            # A self-evaluation stays one: its sections are a self-evaluation's.
            del self.fields["kind"]
            self.helper.layout.fields.remove("kind")
        else:
            self.fields["kind"].choices = COMMITTEE_KINDS
        self.fields["key_decision"].choices = KeyDecision.choices
        self.fields["exemption"].choices = Exemption.choices
        # The title block's extras start from the profile; left out, they are the usual ones.
        for name in ("key_decision", "wards_affected", "exemption"):
            self.fields[name].required = False
        govuk_max_lengths(self)

    def clean_key_decision(self) -> str:
        return self.cleaned_data.get("key_decision") or KeyDecision.NO

    def clean_wards_affected(self) -> str:
        return self.cleaned_data.get("wards_affected") or "All"

    def clean_exemption(self) -> str:
        return self.cleaned_data.get("exemption") or Exemption.OPEN

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return cleaned


class NewReportForm(ReportDetailsForm):
    submit_label = "Create draft"

    inspection = InspectionChoiceField(
        queryset=Inspection.objects.none(),
        label="Which inspection or visit is it about?",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the inspection the report is about",
            "invalid_choice": "Select one of this authority's inspections",
        },
    )

    class Meta(ReportDetailsForm.Meta):
        fields = ["kind", "inspection", *ReportDetailsForm.Meta.fields[1:]]
        help_texts = {
            **ReportDetailsForm.Meta.help_texts,
            "title": "Leave this blank to use a title written from the inspection",
        }

    def __init__(self, *args, inspections: list[Inspection], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspection"].queryset = Inspection.objects.filter(
            pk__in=[i.pk for i in inspections]
        ).order_by("-start_date")
        self.fields["title"].required = False
        # Keep the helper's layout in field order (the inspection comes second).
        self.helper.layout.fields[:] = [*self.fields.keys(), Button("submit", self.submit_label)]


class EditReportForm(VersionedFormMixin, ReportDetailsForm):
    pass


class SectionTextForm(VersionedFormMixin, GovukForm):
    submit_label = "Save section"

    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=SECTION_MAX_LENGTH,
        help_text=FORMAT_HINT,
        error_messages={
            "required": "Enter the text of this section",
            "max_length": f"The section must be {SECTION_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, section: ReportSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = section.heading
        self.fields["body"].widget.attrs.pop("maxlength", None)
        if section.kind in (SectionKind.JUDGEMENTS, SectionKind.TABLE):
            # The table comes from the data; what is edited here is the paragraph above it.
            body = self.fields["body"]
            body.label = "The paragraph above the table (optional)"
            body.required = False
            body.help_text = (
                "Printed between the heading and the table shown above. The table itself comes "
                "from the data: write the section again from the data to bring it up to date. "
                + FORMAT_HINT
            )
            body.widget.attrs["rows"] = 5
        if section.kind != SectionKind.AREA:  # an area's heading is its title, from the data
            self.fields["heading"] = heading_field(section.heading)
            self.helper.layout.fields.insert(0, "heading")
        if not self.is_bound:
            self.initial.setdefault("body", section.body)
            self.initial["version"] = section.version


def heading_field(initial: str) -> forms.CharField:
    """A section's heading; left blank, it stays as it was."""
    field = forms.CharField(
        label="Heading",
        max_length=HEADING_MAX_LENGTH,
        initial=initial,
        required=False,
        error_messages={
            "max_length": f"The heading must be {HEADING_MAX_LENGTH} characters or fewer",
        },
    )
    field.widget.attrs.pop("maxlength", None)
    return field


class SectionRowsForm(VersionedFormMixin, GovukForm):
    """The implications table (one text box per implication) or the sign-off table (a name, a
    job title and a date per role), and the section's heading."""

    submit_label = "Save section"

    def __init__(self, *args, section: ReportSection, **kwargs):
        self.section = section
        super().__init__(*args, **kwargs)
        self.fields["heading"] = heading_field(section.heading)
        rows = section.data.get("rows", [])
        # Reports started before sign-off had job titles have three columns: role, name, date.
        self.with_titles = "Job title" in section.data.get("columns", [])
        for index, row in enumerate(rows):
            label = row[0]
            if section.kind == SectionKind.SIGN_OFF:
                self.fields[f"row_{index}_name"] = forms.CharField(
                    label=f"{label}: name",
                    required=False,
                    max_length=NAME_MAX_LENGTH,
                    initial=row[1],
                )
                if self.with_titles:
                    self.fields[f"row_{index}_title"] = forms.CharField(
                        label=f"{label}: job title",
                        required=False,
                        max_length=NAME_MAX_LENGTH,
                        initial=row[2],
                    )
                self.fields[f"row_{index}_date"] = forms.CharField(
                    label=f"{label}: date signed off",
                    required=False,
                    max_length=DATE_TEXT_MAX_LENGTH,
                    initial=row[-1],
                    help_text="For example, 3 March 2027",
                )
            else:
                self.fields[f"row_{index}"] = forms.CharField(
                    label=label,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    max_length=IMPLICATION_MAX_LENGTH,
                    initial=row[1],
                    error_messages={
                        "required": f"Enter the {label.lower()} implications, or None",
                    },
                )
        govuk_max_lengths(self)
        self.helper.layout.fields[:] = [*self.fields.keys(), Button("submit", self.submit_label)]
        if not self.is_bound:
            self.initial["version"] = section.version

    def rows(self) -> list[list[str]]:
        result = []
        for index, row in enumerate(self.section.data.get("rows", [])):
            if self.section.kind == SectionKind.SIGN_OFF:
                cells = [row[0], self.cleaned_data[f"row_{index}_name"]]
                if self.with_titles:
                    cells.append(self.cleaned_data[f"row_{index}_title"])
                result.append([*cells, self.cleaned_data[f"row_{index}_date"]])
            else:
                result.append([row[0], self.cleaned_data[f"row_{index}"]])
        return result


class WordTemplateForm(GovukForm):
    submit_label = "Upload template"

    file = forms.FileField(
        label="Upload a Word template",
        help_text="A .docx or .dotx file smaller than 2 MB, without macros. Exports use its "
        "styles, page layout, headers and footers.",
        error_messages={
            "required": "Select a Word template",
            "empty": "The selected file is empty",
        },
    )


class NewSelfEvaluationForm(GovukForm):
    """A new self-evaluation: its year, when it is shared with Ofsted, and who writes it."""

    submit_label = "Create draft"

    year = forms.IntegerField(
        label="Which year is it for?",
        help_text="For example, 2026. It is written from the data as at the end of that year, "
        "or today while the year is not over.",
        min_value=2013,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year the self-evaluation is for",
            "invalid": "Enter the year as a number, like 2026",
            "min_value": "Enter a year from 2013 onwards",
            "max_value": "Enter a year before 2100",
        },
    )
    meeting_date = _date(
        "When will it be shared with Ofsted?",
        "the date it will be shared with Ofsted",
        hint="Usually before the annual engagement meeting, for example 21 10 2026",
    )
    report_of = forms.CharField(
        label="From",
        max_length=NAME_MAX_LENGTH,
        help_text="The director it comes from, with their job title",
        error_messages={"required": "Enter who the self-evaluation is from"},
    )
    author_name = forms.CharField(
        label="Author",
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": "Enter the name of the author"},
    )
    contact = forms.CharField(
        label="Contact details",
        max_length=300,
        help_text="Telephone number or email address",
        error_messages={"required": "Enter the author's contact details"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_max_lengths(self)

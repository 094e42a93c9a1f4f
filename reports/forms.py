"""Forms for committee reports. They validate only; the services in reports.services save."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from core.forms import GovukForm, GovukModelForm, VersionedFormMixin
from inspections.models import Inspection
from reports import profiles
from reports.models import (
    DATE_TEXT_MAX_LENGTH,
    HEADING_MAX_LENGTH,
    IMPLICATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    CommitteeReport,
    EqualityAssessment,
    Exemption,
    KeyDecision,
    ProgressStyle,
    ReportKind,
    ReportProfile,
    ReportSection,
    SectionKind,
)

FORMAT_HINT = (
    "Plain text. Leave a blank line between paragraphs; paragraphs are numbered when the report "
    "is printed. Start a line with a dash and a space (- ) for a bullet point."
)


def _date(label: str, what: str, hint: str = "For example, 21 10 2026") -> DateInputField:
    field = DateInputField(label=label, help_text=hint)
    field.error_messages = {
        "required": f"Enter {what}",
        "incomplete": f"Enter {what} as a day, month and year",
        "invalid": f"{what[0].upper()}{what[1:]} must be a real date",
    }
    return field


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
        self.fields["kind"].choices = ReportKind.choices
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


def _text(label: str, *, max_length: int, required: bool = False, rows: int = 0, **kwargs):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=widget, **kwargs
    )


def _radios(label: str, choices, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {what}"},
    )


def _number(label: str, *, low: int, high: int, what: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"{what[0].upper()}{what[1:]} must be a whole number",
            "min_value": f"{what[0].upper()}{what[1:]} must be {low} or more",
            "max_value": f"{what[0].upper()}{what[1:]} must be {high} or less",
        },
        **kwargs,
    )


class ReportProfileForm(VersionedFormMixin, GovukForm):
    """The whole profile on one page, without JavaScript: the title block's usual values, the
    layout, each section (heading, position, included; the council's own with their text and a
    box to remove them), a new section, the implications, and the sign-off rows."""

    submit_label = "Save the profile"

    TITLE_BLOCK = (
        "committee",
        "report_of",
        "portfolio_holder",
        "author_name",
        "contact",
        "key_decision",
        "wards_affected",
        "exemption",
    )
    LAYOUT = ("font_name", "font_size", "margin_mm", "progress_style")

    def __init__(self, *args, profile: ReportProfile, **kwargs):
        self.profile = profile
        super().__init__(*args, **kwargs)
        self.sections = profiles.complete_sections(profile.sections or profiles.default_sections())
        self.implications = profile.implications or profiles.default_implications()
        self.sign_off = profile.sign_off or profiles.default_sign_off()
        add = self.fields.__setitem__
        add("committee", _text("Committee", max_length=150, help_text="For example, Cabinet"))
        add("report_of", _text("Report of", max_length=150, help_text="Name and job title"))
        add("portfolio_holder", _text("Cabinet member or portfolio holder", max_length=150))
        add("author_name", _text("Report author", max_length=150))
        add("contact", _text("Contact details", max_length=300))
        add(
            "key_decision",
            _radios(
                "Is it usually a key decision?", KeyDecision.choices, "whether it is a key decision"
            ),
        )
        add(
            "wards_affected",
            _text(
                "Wards affected",
                max_length=300,
                required=True,
                error_messages={"required": "Enter the wards affected, or All"},
            ),
        )
        add(
            "exemption",
            _radios(
                "Are reports usually open to the public?",
                Exemption.choices,
                "whether reports are open or exempt",
            ),
        )
        add(
            "font_name",
            _text(
                "Font",
                max_length=60,
                required=True,
                help_text="For example, Arial",
                error_messages={"required": "Enter the font's name"},
            ),
        )
        add("font_size", _number("Font size in points", low=8, high=16, what="the font size"))
        add(
            "margin_mm",
            _number("Page margins in millimetres", low=10, high=50, what="the page margins"),
        )
        add(
            "progress_style",
            _radios(
                "How is each area's progress written?",
                ProgressStyle.choices,
                "how progress is written",
            ),
        )
        section_sets = []
        for index, section in enumerate(self.sections):
            names = [f"section_{index}_heading", f"section_{index}_position"]
            custom = section["key"].startswith(profiles.CUSTOM_PREFIX)
            add(
                names[0],
                _text(
                    "Heading",
                    max_length=HEADING_MAX_LENGTH,
                    required=True,
                    help_text="Your own section"
                    if custom
                    else f"Standard section: {profiles.DESCRIPTIONS.get(section['key'], '')}",
                    error_messages={"required": "Enter the section's heading"},
                ),
            )
            add(names[1], _number("Position", low=1, high=99, what="the section's position"))
            if custom:
                names += [f"section_{index}_body", f"section_{index}_remove"]
                add(
                    names[2],
                    _text(
                        "Text it starts with",
                        max_length=SECTION_MAX_LENGTH,
                        rows=4,
                        help_text=FORMAT_HINT,
                    ),
                )
                add(names[3], forms.BooleanField(label="Remove this section", required=False))
            else:
                names.append(f"section_{index}_include")
                add(
                    names[2],
                    forms.BooleanField(label="Include this section in new reports", required=False),
                )
            section_sets.append(
                Fieldset(
                    *names,
                    legend=f"Section {index + 1}: {section['heading']}",
                    legend_size=Size.SMALL,
                )
            )
        add(
            "new_section_heading",
            _text(
                "Heading of a new section",
                max_length=HEADING_MAX_LENGTH,
                help_text="Leave this blank to add no section",
            ),
        )
        add("new_section_body", _text("Text it starts with", max_length=SECTION_MAX_LENGTH, rows=4))
        implication_names = []
        for index, _row in enumerate(self.implications):
            names = [f"implication_{index}_label", f"implication_{index}_text"]
            add(
                names[0],
                _text(
                    f"Implication {index + 1}",
                    max_length=NAME_MAX_LENGTH,
                    required=True,
                    error_messages={"required": "Enter the implication's name"},
                ),
            )
            add(
                names[1],
                _text(
                    f"Implication {index + 1}: usual wording",
                    max_length=IMPLICATION_MAX_LENGTH,
                    required=True,
                    rows=2,
                    error_messages={"required": "Enter the usual wording, or None"},
                ),
            )
            implication_names += names
        add(
            "equality_assessment",
            _radios(
                "Is an equality impact assessment usually undertaken?",
                EqualityAssessment.choices,
                "whether an equality impact assessment is undertaken",
            ),
        )
        sign_off_names = []
        for index, _row in enumerate(self.sign_off):
            names = [
                f"sign_off_{index}_role",
                f"sign_off_{index}_name",
                f"sign_off_{index}_title",
                f"sign_off_{index}_remove",
            ]
            add(
                names[0],
                _text(
                    f"Sign-off {index + 1}: role",
                    max_length=NAME_MAX_LENGTH,
                    required=True,
                    error_messages={"required": "Enter the role that signs off"},
                ),
            )
            add(names[1], _text(f"Sign-off {index + 1}: name", max_length=NAME_MAX_LENGTH))
            add(names[2], _text(f"Sign-off {index + 1}: job title", max_length=NAME_MAX_LENGTH))
            add(names[3], forms.BooleanField(label=f"Remove sign-off {index + 1}", required=False))
            sign_off_names += names
        add(
            "new_sign_off_role",
            _text("Role", max_length=NAME_MAX_LENGTH, help_text="Leave this blank to add nobody"),
        )
        add("new_sign_off_name", _text("Name", max_length=NAME_MAX_LENGTH))
        add("new_sign_off_title", _text("Job title", max_length=NAME_MAX_LENGTH))
        govuk_max_lengths(self)

        if not self.is_bound:
            self.initial.update(
                {
                    name: getattr(profile, name)
                    for name in (*self.TITLE_BLOCK, *self.LAYOUT, "equality_assessment")
                }
            )
            for index, section in enumerate(self.sections):
                self.initial[f"section_{index}_heading"] = section["heading"]
                self.initial[f"section_{index}_position"] = index + 1
                self.initial[f"section_{index}_include"] = section.get("include", True)
                self.initial[f"section_{index}_body"] = section.get("body", "")
            for index, row in enumerate(self.implications):
                self.initial[f"implication_{index}_label"] = row["label"]
                self.initial[f"implication_{index}_text"] = row["text"]
            for index, row in enumerate(self.sign_off):
                for part in ("role", "name", "title"):
                    self.initial[f"sign_off_{index}_{part}"] = row.get(part, "")
            self.initial["version"] = profile.version

        medium = {"legend_size": Size.MEDIUM, "legend_tag": "h2"}
        self.helper.layout = Layout(
            "version",
            Fieldset(
                *self.TITLE_BLOCK[:5],
                Field.radios("key_decision", legend_size=Size.SMALL),
                "wards_affected",
                Field.radios("exemption", legend_size=Size.SMALL),
                legend="Title block",
                **medium,
            ),
            Fieldset(
                "font_name",
                "font_size",
                "margin_mm",
                Field.radios("progress_style", legend_size=Size.SMALL),
                legend="Layout",
                **medium,
            ),
            Fieldset(*section_sets, legend="Sections", **medium),
            Fieldset(
                "new_section_heading",
                "new_section_body",
                legend="Add a section of your own",
                **medium,
            ),
            Fieldset(
                *implication_names,
                Field.radios("equality_assessment", legend_size=Size.SMALL),
                legend="Implications",
                **medium,
            ),
            Fieldset(*sign_off_names, legend="Sign-off", **medium),
            Fieldset(
                "new_sign_off_role",
                "new_sign_off_name",
                "new_sign_off_title",
                legend="Add someone who signs off",
                **medium,
            ),
            Button("submit", self.submit_label),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_section_body") and not cleaned.get("new_section_heading"):
            self.add_error("new_section_heading", "Enter the heading of the new section")
        if (
            cleaned.get("new_sign_off_name") or cleaned.get("new_sign_off_title")
        ) and not cleaned.get("new_sign_off_role"):
            self.add_error("new_sign_off_role", "Enter the role of the person who signs off")
        return cleaned

    def profile_fields(self) -> dict:
        """What profile_update saves, from the cleaned form."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in (*self.TITLE_BLOCK, *self.LAYOUT, "equality_assessment")
        }
        sections = []
        for index, section in enumerate(self.sections):
            if data.get(f"section_{index}_remove"):
                continue
            kept = {"key": section["key"], "heading": data[f"section_{index}_heading"]}
            if section["key"].startswith(profiles.CUSTOM_PREFIX):
                kept |= {"include": True, "body": data[f"section_{index}_body"]}
            else:
                kept["include"] = data[f"section_{index}_include"]
            position = data[f"section_{index}_position"]
            # A section moved to a position goes before the one that was there.
            moved = 0 if position != index + 1 else 1
            sections.append(((position, moved, index), kept))
        sections = [kept for _, kept in sorted(sections, key=lambda s: s[0])]
        if data.get("new_section_heading"):
            taken = [
                int(s["key"].removeprefix(profiles.CUSTOM_PREFIX))
                for s in self.sections
                if s["key"].startswith(profiles.CUSTOM_PREFIX)
            ]
            key = f"{profiles.CUSTOM_PREFIX}{max(taken, default=0) + 1}"
            sections.append(
                {
                    "key": key,
                    "heading": data["new_section_heading"],
                    "include": True,
                    "body": data["new_section_body"],
                }
            )
        fields["sections"] = sections
        fields["implications"] = [
            {
                "key": row["key"],
                "label": data[f"implication_{index}_label"],
                "text": data[f"implication_{index}_text"],
            }
            for index, row in enumerate(self.implications)
        ]
        sign_off = [
            {
                "key": row.get("key", ""),
                **{part: data[f"sign_off_{index}_{part}"] for part in ("role", "name", "title")},
            }
            for index, row in enumerate(self.sign_off)
            if not data.get(f"sign_off_{index}_remove")
        ]
        if data.get("new_sign_off_role"):
            sign_off.append(
                {
                    "key": "",
                    "role": data["new_sign_off_role"],
                    "name": data["new_sign_off_name"],
                    "title": data["new_sign_off_title"],
                }
            )
        fields["sign_off"] = sign_off
        return fields

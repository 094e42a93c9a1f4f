"""The report profile's form: the whole profile on one page (reports.forms holds the report's
own forms). It validates only; reports.services.profile_update saves."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from core.forms import GovukForm, VersionedFormMixin
from reports import profiles
from reports.forms import FORMAT_HINT, govuk_max_lengths
from reports.models import (
    HEADING_MAX_LENGTH,
    IMPLICATION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    SECTION_MAX_LENGTH,
    EqualityAssessment,
    Exemption,
    KeyDecision,
    ProgressStyle,
    ReportProfile,
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

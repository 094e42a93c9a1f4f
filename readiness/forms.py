"""GOV.UK forms for evidence files, the evidence library, the readiness checklist and an
engagement meeting's record. The services apply the rules and validate the models."""

from __future__ import annotations

from django import forms

from core.forms import GovukDateField, GovukForm, GovukModelForm, VersionedFormMixin
from readiness.models import EngagementMeeting, ItemState, LibraryDocument, ReadinessItem
from readiness.signatures import ACCEPTED_EXTENSIONS


class EvidenceForm(GovukForm):
    submit_label = "Attach evidence"

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What the document is, for example Audit of supervision, March 2026",
        error_messages={
            "required": "Enter a title for the evidence",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    document_date = GovukDateField(
        what="the date of the document",
        label="Date of the document",
        help_text="For example, 31 3 2026",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word, Excel or PowerPoint file (.docx, .xlsx, .pptx), or a PNG, JPEG or "
        "GIF image, smaller than 20 MB. Files with macros are not accepted.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "Select a file",
        },
    )


def _owner_field() -> forms.CharField:
    return forms.CharField(
        label="Owner",
        max_length=150,
        help_text="A person or a role, such as Head of Quality Assurance",
        error_messages={
            "required": "Enter who owns this",
            "max_length": "The owner must be 150 characters or fewer",
        },
    )


class LibraryDocumentForm(VersionedFormMixin, GovukModelForm):
    model_validation = False
    submit_label = "Save document"

    title = forms.CharField(
        label="Document",
        max_length=200,
        error_messages={
            "required": "Enter the document’s title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        label="What it is (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The description must be 2,000 characters or fewer"},
    )
    owner = _owner_field()
    due_date = GovukDateField(
        what="the date the document is due", label="Due date (optional)", required=False
    )
    review_date = GovukDateField(
        what="the date it must be reviewed by",
        label="Review by (optional)",
        help_text="The file is shown as stale after this day",
        required=False,
    )

    class Meta:
        model = LibraryDocument
        fields = ["title", "description", "owner", "due_date", "review_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new document: no version to check yet
            del self.fields["version"]
            self.helper.layout.fields.remove("version")


class ReadinessItemForm(VersionedFormMixin, GovukModelForm):
    model_validation = False
    submit_label = "Save item"

    title = forms.CharField(
        label="What needs doing",
        max_length=200,
        error_messages={
            "required": "Enter what needs doing",
            "max_length": "What needs doing must be 200 characters or fewer",
        },
    )
    owner = _owner_field()
    state = forms.ChoiceField(
        label="State",
        widget=forms.RadioSelect,
        choices=ItemState.choices,
        initial=ItemState.NOT_STARTED,
        error_messages={
            "required": "Select the item’s state",
            "invalid_choice": "Select the item’s state",
        },
    )
    due_date = GovukDateField(
        what="the date it is due", label="Due date (optional)", required=False
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The notes must be 5,000 characters or fewer"},
    )

    class Meta:
        model = ReadinessItem
        fields = ["title", "owner", "state", "due_date", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["version"]
            self.helper.layout.fields.remove("version")


class EngagementMeetingForm(VersionedFormMixin, GovukModelForm):
    model_validation = False
    submit_label = "Save meeting record"

    attendees = forms.CharField(
        label="Who attended (optional)",
        help_text="One person a line, with their role",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The attendees must be 5,000 characters or fewer"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        help_text="What was discussed: the self-evaluation, what Ofsted raised, what was agreed",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"max_length": "The notes must be 20,000 characters or fewer"},
    )

    class Meta:
        model = EngagementMeeting
        fields = ["attendees", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a first record is at version 1 before it is saved
            self.initial["version"] = self.instance.version

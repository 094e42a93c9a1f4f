"""GOV.UK forms for monthly updates, their review, actions, the plan's submission and an area's
lead. Model forms: `instance=` gives the values shown, and a valid form puts what was typed on it;
the services in `improvement_plans.services` apply the rules, validate the model and save, so the
forms leave the model's validation to them (`model_validation = False`). The review is a decision,
not an edit of fields: a plain form."""

from __future__ import annotations

import datetime

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.contrib.auth import get_user_model

from accounts.models import Role
from core.forms import GovukDateField, GovukForm, GovukModelForm, VersionedFormMixin
from core.months import previous_month
from improvement_plans.models import Action, ActionStatus, ImprovementPlan, ProgressUpdate, Rag
from inspections.models import Finding

RAG_CHOICES = (
    Choice(Rag.RED, "Red", hint="Off track: the work has stalled or will miss its dates"),
    Choice(
        Rag.AMBER,
        "Amber",
        hint="Some progress, but there are risks or delays to manage",
    ),
    Choice(Rag.GREEN, "Green", hint="On track: the work is progressing as planned"),
    Choice(
        Rag.COMPLETE,
        "Complete",
        hint="The actions are done and there is evidence of impact",
    ),
)

# An update can be logged for this month or the two before it (a late update is still wanted).
MONTHS_OFFERED = 3


def _textarea(label: str, *, required: bool, help_text: str = "", message: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": message} if message else {},
    )


class ProgressUpdateForm(GovukModelForm):
    """A monthly update's narrative. `month` is offered only when starting a new update."""

    model_validation = False

    month = forms.TypedChoiceField(
        label="Which month does this update cover?",
        widget=forms.RadioSelect,
        coerce=datetime.date.fromisoformat,
        error_messages={
            "required": "Select the month this update covers",
            "invalid_choice": "Select a month that does not have an update yet",
        },
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        help_text="How is the work on this area for improvement going?",
        error_messages={"required": "Select a RAG rating"},
    )
    what_was_done = _textarea(
        "What was done this month",
        required=True,
        help_text="The actions taken and who took them",
        message="Enter what was done this month",
    )
    impact = _textarea(
        "Impact seen (optional)",
        required=False,
        help_text="What has changed for children and families",
    )
    evidence = _textarea(
        "Evidence (optional)",
        required=False,
        help_text="For example, audit findings, performance data or feedback",
    )
    next_steps = _textarea(
        "Next steps and risks (optional)",
        required=False,
        help_text="What happens next and what could stop it",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["month", "rag", "what_was_done", "impact", "evidence", "next_steps"]

    def __init__(
        self, *args, months: list[datetime.date] | None = None, backfill: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if months is None:
            del self.fields["month"]
        else:
            self.fields["month"].choices = [(m.isoformat(), f"{m:%B %Y}") for m in months]
            if len(months) > MONTHS_OFFERED:
                self.fields["month"].widget = forms.Select(choices=self.fields["month"].choices)
            if backfill:
                self.fields["month"].help_text = (
                    "Managers and administrators can record any month since the report, for "
                    "example when the authority started using the tracker part-way through its "
                    "plan. An earlier month goes through the same approval, and its history says "
                    "who recorded it and when."
                )
        self.helper.layout = Layout(
            *self.fields.keys(),
            Button("submit_update", "Submit for review"),
            Button.secondary("save_draft", "Save as draft"),
        )

    @property
    def submitting(self) -> bool:
        return self.is_bound and "save_draft" not in self.data

    @staticmethod
    def months_offered(
        current: datetime.date, taken: set[datetime.date], *, earliest: datetime.date | None = None
    ) -> list:
        """This month and the two before it; back to `earliest` when given (backfilling, for
        managers and administrators). Newest first, leaving out months that have an update."""
        months = [current]
        while len(months) < MONTHS_OFFERED or (earliest and previous_month(months[-1]) >= earliest):
            months.append(previous_month(months[-1]))
        return [m for m in months if m not in taken]


class ProgressUpdateEditForm(VersionedFormMixin, ProgressUpdateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, months=None, **kwargs)


class ReviewForm(VersionedFormMixin, GovukForm):
    decision = forms.ChoiceField(
        label="Do you approve this update?",
        widget=forms.RadioSelect,
        choices=(
            Choice("approve", "Yes, approve it"),
            Choice("return", "No, return it to the officer", hint="Say what needs to change"),
        ),
        error_messages={"required": "Select whether you approve this update"},
    )
    comment = _textarea(
        "Comment for the officer (optional when approving)",
        required=False,
        help_text="Say what needs to change when you return the update; the officer sees it",
    )
    submit_label = "Save decision"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "return" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", "Enter a comment saying what the officer needs to change")
        return cleaned


class ActionForm(GovukModelForm):
    model_validation = False

    description = _textarea("What will be done", required=True, message="Enter what will be done")
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="A person or a role, such as Head of Safeguarding",
        error_messages={
            "required": "Enter who owns this action",
            "max_length": "The owner must be 150 characters or fewer",
        },
    )
    due_date = GovukDateField(
        what="the date the action is due", label="Due date", help_text="For example, 31 3 2027"
    )
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        error_messages={"required": "Select the action's status"},
    )
    submit_label = "Save action"

    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status"]


class ActionEditForm(VersionedFormMixin, ActionForm):
    pass


class ActionStatusForm(VersionedFormMixin, GovukModelForm):
    model_validation = False

    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        choices=ActionStatus.choices,
        error_messages={"required": "Select the action's status"},
    )
    completed_on = GovukDateField(
        what="the date the action was completed",
        label="Date completed",
        required=False,
        help_text="For a complete action: the day it was done. Leave blank for today. Correct "
        "it here if it was recorded wrongly (the history keeps both). For example, 14 3 2025",
    )
    submit_label = "Save status"

    class Meta:
        model = Action
        fields = ["status", "completed_on"]

    def clean(self):
        cleaned = super().clean()
        status, completed_on = cleaned.get("status"), cleaned.get("completed_on")
        if completed_on and status and status != ActionStatus.COMPLETE:
            self.add_error(
                "completed_on", "Leave the date completed blank unless the action is complete"
            )
        elif "completed_on" in cleaned and completed_on is None:
            # Blank keeps the date already recorded (the service gives a new completion today's).
            cleaned["completed_on"] = self.instance.completed_on
        return cleaned


class PlanForm(VersionedFormMixin, GovukModelForm):
    model_validation = False

    submitted_on = GovukDateField(
        what="the date the plan was sent to Ofsted",
        label="Date sent to Ofsted",
        required=False,
        help_text="Leave blank until the plan has been sent. For example, 21 8 2023",
    )
    accepted_on = GovukDateField(
        what="the date Ofsted accepted the plan",
        label="Date accepted",
        required=False,
        help_text="Leave blank until Ofsted has accepted the plan",
    )
    notes = _textarea("Notes", required=False)
    submit_label = "Save plan details"

    class Meta:
        model = ImprovementPlan
        fields = ["submitted_on", "accepted_on", "notes"]

    def clean(self):
        cleaned = super().clean()
        sent, accepted = cleaned.get("submitted_on"), cleaned.get("accepted_on")
        if accepted and not sent:
            self.add_error("submitted_on", "Enter the date sent to Ofsted before the date accepted")
        elif accepted and sent and accepted < sent:
            self.add_error("accepted_on", "The date accepted must be on or after the date sent")
        return cleaned


class AreaLeadForm(VersionedFormMixin, GovukModelForm):
    model_validation = False

    lead = forms.ModelChoiceField(
        label="Who leads this area for improvement?",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody yet",
        help_text="The lead logs the monthly update. Only officers and managers of the authority "
        "are listed.",
        error_messages={"invalid_choice": "Select an officer or manager of this authority"},
    )
    national_framework_tag = forms.CharField(
        label="National framework outcome or enabler",
        required=False,
        max_length=30,
        help_text="For example, Outcome 3 or Enabler 1",
        error_messages={"max_length": "The outcome or enabler must be 30 characters or fewer"},
    )
    submit_label = "Save"

    class Meta:
        model = Finding
        fields = ["lead", "national_framework_tag"]

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__authority=authority,
                memberships__role__in=[Role.OFFICER, Role.MANAGER],
            )
            .order_by("first_name", "last_name", "username")
        )
        self.fields["lead"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

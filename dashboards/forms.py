"""The portfolio dashboard's filters: a GET form, so a filtered, sorted view is a shareable link."""

import datetime

from crispy_forms_gds.layout import Size
from django import forms

from core.forms import GovukDateField, GovukForm
from inspections.models import Grade

NOT_GRADED = "not_graded"
INSPECTED, NOT_INSPECTED = "yes", "no"
SORTS = {
    "name": "Authority",
    "region": "Region",
    "inspected": "Latest inspection",
    "grade": "Headline grade",
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "overdue": "Overdue updates",
    "returned": "Returned to officers",
}


class PortfolioFilterForm(forms.Form):
    """Region, headline grade and framework of the latest graded inspection, and whether there is
    one; every field optional.
    Choices come from the authorities the user can see, so the form never offers an empty view.
    The page writes its GOV.UK selects itself (templates/dashboards/portfolio.html)."""

    region = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    grade = forms.ChoiceField(
        label="Headline grade",
        help_text="Overall effectiveness, or the lowest grade where the framework has none",
        required=False,
        choices=[("", "Any grade"), *Grade.choices, (NOT_GRADED, "Not graded")],
        error_messages={"invalid_choice": "Choose a grade from the list"},
    )
    framework = forms.ChoiceField(
        label="Framework of the latest inspection",
        required=False,
        error_messages={"invalid_choice": "Choose a framework from the list"},
    )
    inspected = forms.ChoiceField(
        label="Inspections",
        required=False,
        choices=[
            ("", "With or without"),
            (INSPECTED, "With a graded inspection recorded"),
            (NOT_INSPECTED, "With no graded inspection recorded"),
        ],
        error_messages={"invalid_choice": "Choose from the list whether they have inspections"},
    )
    sort = forms.ChoiceField(
        required=False,
        widget=forms.HiddenInput,
        choices=[("", "")] + [(f"{d}{k}", f"{d}{k}") for k in SORTS for d in ("", "-")],
        error_messages={"invalid_choice": "Choose a column to sort by"},
    )

    def __init__(self, *args, regions: list[str], frameworks: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "All regions")] + [(r, r) for r in regions]
        self.fields["framework"].choices = [("", "Any framework")] + [(f, f) for f in frameworks]


class AsAtForm(GovukForm):
    """The day to show the authority dashboard as at: a GET form, so the picture is a link."""

    submit_label = "Show the dashboard as at this date"
    label_size = Size.MEDIUM

    as_at = GovukDateField(
        what="the date to show the dashboard as at",
        label="Which day do you want to see the dashboard as at?",
        help_text="The picture as the records stood at the end of that day: what had been "
        "reported, approved and completed by then, and what was due or overdue. For example, "
        "31 3 2025",
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        # A GET form: a CSRF token would end up in the page's address.
        self.helper.disable_csrf = True

    def clean_as_at(self) -> datetime.date:
        day = self.cleaned_data["as_at"]
        if day > self.today:
            raise forms.ValidationError(
                "The date to show the dashboard as at must be today or in the past"
            )
        return day


class ImprovedForm(forms.Form):
    """Which judgement the "who improved" page follows: a GET form, so each is a shareable link.
    The page writes its GOV.UK select itself (templates/dashboards/improved.html)."""

    judgement = forms.ChoiceField(
        label="Judgement",
        required=False,
        error_messages={"invalid_choice": "Choose a judgement from the list"},
    )

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judgement"].choices = list(columns)


class ThemeForm(forms.Form):
    """Which theme's cases the themes page lists: a GET form (templates/dashboards/themes.html
    writes its GOV.UK select)."""

    theme = forms.ChoiceField(
        label="Theme",
        required=False,
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme"), *themes]

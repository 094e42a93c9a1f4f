"""The portfolio dashboard's filters: a GET form, so a filtered, sorted view is a shareable link."""

from django import forms

from inspections.models import Grade

NOT_GRADED = "not_graded"
SORTS = {
    "name": "Authority",
    "region": "Region",
    "inspected": "Latest inspection",
    "grade": "Headline grade",
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "overdue": "Overdue updates",
}


class PortfolioFilterForm(forms.Form):
    """Region, headline grade and framework of the latest graded inspection; every field optional.
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

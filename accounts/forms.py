import datetime

from crispy_forms_gds.choices import Choice
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from accounts.api_tokens import MAX_DAYS
from accounts.models import LocalAuthority, Role
from core.forms import GovukDateField, GovukForm, GovukFormMixin, VersionedFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Username and password, with GOV.UK wording for every error."""

    submit_label = "Sign in"
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask an administrator to switch it on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


ROLE_CHOICES = (
    Choice(Role.OFFICER, "Officer", hint="Logs monthly updates and keeps actions up to date"),
    Choice(
        Role.MANAGER,
        "Senior manager",
        hint="Also approves updates and manages the improvement plan and committee reports",
    ),
    Choice(Role.VIEWER, "Viewer", hint="Reads dashboards, plans and reports; changes nothing"),
)


class InvitationForm(GovukFormMixin, forms.Form):
    """A person to invite, or to give one more role if they already have an account (matched by
    email address)."""

    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=150,
        help_text="Their work address: the invitation goes there, and it is their username",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            "max_length": "The email address must be 150 characters or fewer",
        },
    )
    authority = forms.ModelChoiceField(
        label="Authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Choose an authority",
        error_messages={
            "required": "Choose the authority",
            "invalid_choice": "Choose an authority from the list",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=ROLE_CHOICES,
        error_messages={"required": "Select the person's role"},
    )
    submit_label = "Send invitation"

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        # Someone else's details: the browser must not offer the administrator's own.
        for name in ("first_name", "last_name", "email"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["spellcheck"] = "false"


class MembershipRoleForm(VersionedFormMixin, GovukFormMixin, forms.Form):
    """A new role for someone, with the version of the role it was read at."""

    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        choices=ROLE_CHOICES,
        error_messages={"required": "Select the person's role"},
    )
    submit_label = "Save role"


class MembershipRemoveForm(VersionedFormMixin, forms.Form):
    """Removing a role carries the version it was read at: a role changed since is shown first."""


class CodeForm(GovukForm):
    """The six-digit code an authenticator app shows."""

    submit_label = "Continue"
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows for this service, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    """The email address to send a new-password link to. Whether it has an account is never
    said: the page after it is the same either way (Django's PasswordResetView)."""

    submit_label = "Send the link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The address your council gave you for this service"
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            }
        )
        email.widget.attrs.update({"spellcheck": "false"})


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    """A new password, typed twice (Django's SetPasswordForm: the project's password
    validators), in GOV.UK words."""

    submit_label = "Save password"
    error_messages = {
        "password_mismatch": "The passwords do not match. Enter the same password twice"
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = "New password"
        first.help_text = (
            "At least 8 characters. Not a common password, not only numbers, and not like your "
            "name or email address"
        )
        second.label, second.help_text = "Confirm the new password", ""
        first.error_messages["required"] = "Enter a new password"
        second.error_messages["required"] = "Enter the new password again"


class ApiTokenForm(GovukForm):
    """A new personal API token: what it is for, and the last day it works."""

    submit_label = "Create token"

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you know which to revoke later. For example, "
        "Power BI performance report",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    expires_on = GovukDateField(
        what="the expiry date",
        label="Expiry date",
        help_text="The last day the token works: at most a year from today. For example, 31 3 2027",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        return name

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day < self.today:
            raise forms.ValidationError("The expiry date must be today or in the future")
        if day > self.today + datetime.timedelta(days=MAX_DAYS):
            latest = self.today + datetime.timedelta(days=MAX_DAYS)
            raise forms.ValidationError(
                f"The expiry date must be no later than {latest.day} {latest:%B %Y}"
            )
        return day

"""The base every form of the service uses: GOV.UK rendering through crispy-forms-gds."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.utils import timezone

if TYPE_CHECKING:
    from core.concurrency import EditConflict


# Characters that change the direction text is shown in without being seen: the embeddings and
# overrides (U+202A-U+202E), the isolates (U+2066-U+2069), the left-to-right and right-to-left
# marks and the Arabic letter mark. In a name or a file name they make "gnp.exe" read "exe.png".
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


class RefuseDirectionControls:
    """A field's validator: refuses a value (or an uploaded file's name) with a character that
    changes the direction of text, naming the field."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value) -> None:
        text = getattr(value, "name", value)
        if isinstance(text, str) and DIRECTION_CONTROLS.search(text):
            what = "The file name" if hasattr(value, "name") else self.label
            raise ValidationError(
                f"{what} must not include hidden characters that change the direction of "
                "text (such as a right-to-left override): type it again without them",
                code="direction_controls",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, RefuseDirectionControls) and other.label == self.label


def _checks_direction(form, name: str, field: forms.Field) -> bool:
    """Names, titles and file names: every one-line text box, every file, and the boxes a form
    names in `direction_checked` (long texts whose first words become a title)."""
    if name in form.direction_checked:
        return True
    if isinstance(field, forms.FileField):
        return True
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.HiddenInput | forms.PasswordInput
    )


class GovukFormMixin:
    """Sets up the crispy helper so `{% crispy form %}` renders GOV.UK components.

    Forms give `submit_label`; the error summary is rendered by the page template (it belongs above
    the heading, outside the <form>), not by crispy. Names, titles and file names never keep a
    character that changes the direction of text (`RefuseDirectionControls`; a form lists the
    long texts that become titles in `direction_checked`).
    """

    submit_label = "Continue"
    label_size = Size.SMALL
    # {field: what to call it in the error}: long texts whose first words become a title.
    direction_checked: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False  # pages write their own <form>, with novalidate
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label))

    def full_clean(self):
        # Here rather than in __init__: many forms add fields after it.
        for name, field in self.fields.items():
            if _checks_direction(self, name, field):
                label = self.direction_checked.get(name) or str(
                    field.label or name.replace("_", " ")
                )
                label = label.removesuffix(" (optional)")
                label = label.rstrip(":?")
                check = RefuseDirectionControls(label[0].upper() + label[1:])
                if check not in field.validators:
                    field.validators = [*field.validators, check]
        super().full_clean()


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    """A form that edits one model's fields: its `instance` gives the values shown, and a valid form
    puts what was typed on the instance for the service that saves it.

    `model_validation = False` leaves the model's own validation (its fields' validators, `clean()`,
    unique checks and constraints) to a service that applies its rules and then validates the
    model itself before saving (`core.concurrency.save_versioned` runs `full_clean`): the form
    checks its own fields only, no check (nor its query) runs twice, and the model never refuses
    a value the service would have completed (a date it defaults, say)."""

    model_validation = True

    def _post_clean(self):
        if self.model_validation:
            super()._post_clean()
            return
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)


class VersionedFormMixin:
    """Adds the hidden `version` a form was rendered at; pass it to `save_versioned`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version
        if hasattr(self, "helper"):
            self.helper.layout.fields.insert(0, "version")


def add_validation_error(form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on the field it names when the form has that
    field, otherwise at the top (the error summary links it to the first field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def show_conflict(form, conflict, *, also: tuple[str, ...] = ()) -> None:
    """After a save refused because someone else saved first: keeps what the user typed, moves the
    form's hidden version to the one now stored (so they can save again once they have read the
    other person's version), says who changed it and when, and lists their version field by
    field (the form's fields and `also`) for templates/includes/conflict.html."""
    from core.concurrency import their_version

    if "version" in form.fields:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(conflict.current.version)
    form.add_error(None, conflict.message)
    conflict.rows = their_version(conflict.current, [*form.fields, *also])


@dataclass(frozen=True)
class Outcome:
    """What `save_or_explain` did. Unpacks as (saved, conflict): `saved, conflict =
    save_or_explain(...)`; `result` is what the service returned, for a page that needs the row
    it saved."""

    saved: bool
    conflict: EditConflict | None = None
    result: object = None

    def __iter__(self):
        return iter((self.saved, self.conflict))


def save_or_explain(form, save, /, *, also: tuple[str, ...] = (), **kwargs) -> Outcome:
    """Calls `save(**kwargs)` (a service that saves with a version check). On a stale edit
    (`show_conflict`, with `also`) or a validation error puts the GOV.UK message on the form
    instead. Returns an `Outcome`: (saved, EditConflict or None), so a page can show the other
    person's version, and the service's `result`."""
    from core.concurrency import EditConflict

    try:
        result = save(**kwargs)
    except EditConflict as conflict:
        show_conflict(form, conflict, also=also)
        return Outcome(False, conflict)
    except ValidationError as error:
        add_validation_error(form, error)
        return Outcome(False)
    return Outcome(True, result=result)


def day_month_year(day: datetime.date) -> str:
    """A date as GOV.UK writes it: 1 January 2000."""
    return f"{day.day} {day:%B %Y}"


# The one rule of a plausible date (issue 14): nothing the tracker records happened before 2000
# (Ofsted's frameworks start in 2013), a year is written with 4 digits, and nothing is further
# ahead than the end of this century; a field for what has happened or is about to (an
# inspection) takes `years_ahead=1`.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
PARTS = ("day", "month", "year")


class GovukDateField(DateInputField):
    """A GOV.UK date input whose errors name the date ("Enter the date the inspection started",
    "The date the inspection started must be a real date"), and the one rule of a plausible
    date: a 4-digit year, not before 1 January 2000, and not more than `years_ahead` years from
    today (when given) nor after 2099. No message of Python's date library ever reaches a page.

    `what` is the date in words, as it ends "Enter ..." ("the date the inspection started")."""

    def __init__(self, *, what: str, years_ahead: int | None = None, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        self.years_ahead = years_ahead
        self.error_messages["required"] = f"Enter {what}"
        for field in self.fields:
            field.validators[0].message = f"{self.what_capitalised} must be a real date"
            # A box left blank is named in compress(), which sees all three.
            field.required = False

    @property
    def what_capitalised(self) -> str:
        return f"{self.what[0].upper()}{self.what[1:]}"

    def latest(self) -> datetime.date:
        if self.years_ahead is None:
            return LATEST_DATE
        today = timezone.localdate()
        try:
            return today.replace(year=today.year + self.years_ahead)
        except ValueError:  # 29 February
            return today.replace(year=today.year + self.years_ahead, day=28)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            # One message for the date, not one per box (a day and a month both blank, say).
            messages = list(dict.fromkeys(error.messages))
            raise ValidationError(messages[0], code="invalid") from None

    def compress(self, data_list):
        if not any(data_list):
            # Boxes holding only spaces, say: as good as blank.
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        if not all(data_list):
            # A date given in part is never read as "no date": say which parts are missing, as
            # the GOV.UK pattern does ("... must include a month", "... a day and a year").
            missing = [part for part, given in zip(PARTS, data_list, strict=True) if not given]
            raise ValidationError(
                f"{self.what_capitalised} must include a {' and a '.join(missing)}",
                code="incomplete",
            )
        day, month, year = data_list
        if len(year.lstrip("0")) != 4:
            raise ValidationError(
                f"{self.what_capitalised} must include a year with 4 digits", code="year_digits"
            )
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            # A day of twenty digits overflows the date itself (OverflowError): the same message
            # as any other impossible date.
            raise ValidationError(
                f"{self.what_capitalised} must be a real date", code="invalid"
            ) from None
        if value < EARLIEST_DATE:
            raise ValidationError(
                f"{self.what_capitalised} must be the same as or after "
                f"{day_month_year(EARLIEST_DATE)}",
                code="too_early",
            )
        latest = self.latest()
        if value > latest:
            raise ValidationError(
                f"{self.what_capitalised} must be the same as or before {day_month_year(latest)}",
                code="too_late",
            )
        return value

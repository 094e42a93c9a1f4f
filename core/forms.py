"""The base every form of the service uses: GOV.UK rendering through crispy-forms-gds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance

if TYPE_CHECKING:
    from core.concurrency import EditConflict


class GovukFormMixin:
    """Sets up the crispy helper so `{% crispy form %}` renders GOV.UK components.

    Forms give `submit_label`; the error summary is rendered by the page template (it belongs above
    the heading, outside the <form>), not by crispy.
    """

    submit_label = "Continue"
    label_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False  # pages write their own <form>, with novalidate
        self.helper.label_size = self.label_size
        self.helper.legend_size = self.label_size
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", self.submit_label))


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


class GovukDateField(DateInputField):
    """A GOV.UK date input whose errors name the date ("Enter the date the inspection started")."""

    def __init__(self, *, what: str, **kwargs):
        super().__init__(**kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter {what}"
        self.error_messages["incomplete"] = (
            f"{what[0].upper()}{what[1:]} must include a day, month and year"
        )
        for field in self.fields:
            field.validators[0].message = f"{what[0].upper()}{what[1:]} must be a real date"

    def compress(self, data_list):
        if any(data_list) and not all(data_list):
            # An optional date given in part: never read as "no date".
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            value = super().compress(data_list)
        except (ValidationError, OverflowError, ValueError):
            # A year of eleven digits overflows the date itself (OverflowError, not a
            # ValidationError): the same message as any other impossible date.
            raise ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real date", code="invalid"
            ) from None
        if value is not None and not (
            datetime.date(1990, 1, 1) <= value <= datetime.date(2100, 1, 1)
        ):
            raise ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real date", code="invalid"
            )
        return value

"""core.forms.save_or_explain: what it hands back to a page."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukForm, save_or_explain


class NameForm(GovukForm):
    name = forms.CharField()


def test_a_save_hands_back_what_the_service_returned_and_unpacks_as_saved_and_conflict():
    form = NameForm({"name": "Plans"})
    assert form.is_valid()
    outcome = save_or_explain(form, lambda **kwargs: kwargs, name="Plans", also=("status",))
    assert (outcome.saved, outcome.conflict, outcome.result) == (True, None, {"name": "Plans"})
    saved, conflict = outcome
    assert (saved, conflict) == (True, None)


@pytest.mark.parametrize(
    ("error", "field_errors", "top_errors"),
    [
        (ValidationError({"name": "Enter a shorter name"}), ["Enter a shorter name"], []),
        (ValidationError({"other": "Not a field here"}), [], ["Not a field here"]),
        (ValidationError("Refused"), [], ["Refused"]),
    ],
)
def test_a_refusal_puts_the_service_message_on_the_form(error, field_errors, top_errors):
    form = NameForm({"name": "Plans"})
    assert form.is_valid()

    def refuse(**kwargs):
        raise error

    saved, conflict = save_or_explain(form, refuse)
    assert (saved, conflict) == (False, None)
    assert form.errors.get("name", []) == field_errors
    assert form.non_field_errors() == top_errors

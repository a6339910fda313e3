"""A service's ValidationError lands on the form (portal.forms.add_service_errors), never as a 500."""

from django import forms
from django.core.exceptions import ValidationError

from portal.common.forms import add_service_errors


class NoteForm(forms.Form):
    notes = forms.CharField(required=False)


def _bound():
    form = NoteForm({"notes": "Pilot in Khon Kaen"})
    assert form.is_valid()
    return form


def test_an_error_on_a_field_of_the_form_stays_on_that_field():
    form = _bound()

    add_service_errors(form, ValidationError({"notes": "Too long for the MOU."}))

    assert form.errors == {"notes": ["Too long for the MOU."]}


def test_an_error_on_a_field_the_form_does_not_have_goes_on_top():
    form = _bound()

    add_service_errors(form, ValidationError({"title": "The title is too long."}))

    assert form.non_field_errors() == ["The title is too long."]
    assert form.data["notes"] == "Pilot in Khon Kaen"


def test_a_plain_error_goes_on_top():
    form = _bound()

    add_service_errors(form, ValidationError("The meeting has not started yet."))

    assert form.non_field_errors() == ["The meeting has not started yet."]

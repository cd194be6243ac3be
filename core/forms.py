"""Form plumbing every app's forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE = _("— 请选择 —")


def apply_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field_name, errors in error.error_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

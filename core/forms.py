"""Form plumbing every app's forms share."""

import unicodedata
from decimal import Decimal

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
    """The browser's date box. Its value must be ISO (2025-12-10) whatever the language: with zh-hans' first input
    format (2025/12/10) the box shows empty, and a saved date looks lost when the form is opened again."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format=format or "%Y-%m-%d")


class MoneyInput(forms.TextInput):
    """A text box for yuan: the browser's number box would refuse "1,230,000"; app.js groups the digits on leaving
    the box (data-money), the field accepts what a clerk types."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", "data-money": "", **(attrs or {})})


class MoneyField(forms.DecimalField):
    """Yuan with two places, typed as clerks type them: "1,230,000", "１２３０.５", "1 230 000 元", "¥5,000"."""

    widget = MoneyInput
    IGNORED = str.maketrans("", "", ",，  元¥￥")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        # Not the number box's min/max/step attributes: the box is text; the bounds are checked here.
        return {}

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).translate(self.IGNORED).strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return value

"""Amounts typed as clerks type them are read as meant; shown back with their thousands separators."""

from decimal import Decimal

import pytest
from django import forms

from core.forms import MoneyField


class AmountForm(forms.Form):
    amount = MoneyField(min_value=Decimal("0.01"))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1,230,000", Decimal("1230000")),
        ("1230000.5", Decimal("1230000.5")),
        ("１２３０.５０元", Decimal("1230.50")),
        ("¥5,000", Decimal("5000")),
        ("1 230 000", Decimal("1230000")),
        ("424，800.00", Decimal("424800.00")),
    ],
)
def test_typed_amounts_are_read_as_meant(typed, meant):
    form = AmountForm({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == meant


@pytest.mark.parametrize("typed", ["abc", "1.234", "0", "-5"])
def test_what_is_not_an_amount_of_yuan_is_refused(typed):
    assert not AmountForm({"amount": typed}).is_valid()


def test_an_amount_is_shown_with_its_separators_in_a_text_box():
    html = str(AmountForm(initial={"amount": Decimal("1230000")})["amount"])
    assert 'value="1,230,000.00"' in html and 'inputmode="decimal"' in html and "data-money" in html
    assert 'type="text"' in html

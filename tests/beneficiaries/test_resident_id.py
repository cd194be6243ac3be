import datetime

import pytest
from django.core.exceptions import ValidationError

from beneficiaries import resident_id

TODAY = datetime.date(2026, 11, 23)


def codes(value: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        resident_id.validate(value, today=TODAY)
    return excinfo.value.code


@pytest.mark.parametrize(
    "number",
    [
        "653101198001011230",  # 喀什市, ordinary digit check character
        "11010519491231002X",  # the DESIGN.md example, check character X
        "65320119720229002X",  # born on a leap day
    ],
)
def test_valid_numbers_pass_and_come_back_normalised(number):
    assert resident_id.validate(number, today=TODAY) == number


def test_lower_case_x_is_normalised_to_upper_case():
    assert resident_id.validate("11010519491231002x", today=TODAY) == "11010519491231002X"


def test_surrounding_and_full_width_blanks_are_stripped():
    assert resident_id.validate(" 653101198001011230\u3000", today=TODAY) == "653101198001011230"


def test_wrong_check_digit_is_refused_naming_the_expected_character():
    with pytest.raises(ValidationError) as excinfo:
        resident_id.validate("653101198001011231", today=TODAY)
    assert excinfo.value.code == "id_check_digit"
    assert "应为“0”" in excinfo.value.messages[0]


def test_x_where_a_digit_belongs_is_refused():
    assert codes("65310119800101123X") == "id_check_digit"


@pytest.mark.parametrize("number", ["65310119800101123", "6531011980010112300", ""])
def test_wrong_length_is_refused(number):
    assert codes(number) == "id_length"


def test_letters_inside_are_refused():
    assert codes("6531011980O1011230") == "id_characters"


def test_30_february_is_not_a_date():
    assert codes("653101198002300012") == "id_birth_date"


def test_future_birth_date_is_refused():
    # 2027-01-01 is after TODAY; the check digit is right so only the date can be at fault.
    first17 = "65310120270101001"
    assert codes(first17 + resident_id.check_character(first17)) == "id_birth_future"


def test_unknown_province_code_is_refused():
    first17 = "99010119800101123"
    assert codes(first17 + resident_id.check_character(first17)) == "id_province"


def test_county_code_created_after_birth_year_is_accepted():
    # 650402 高昌区 was created in 2015; a worker born in 1950 keeps the code of where the card was issued.
    assert resident_id.validate("650402195003150011", today=TODAY) == "650402195003150011"


def test_mask_keeps_only_region_and_last_four():
    assert resident_id.mask("653101198001011230") == "6531**********1230"

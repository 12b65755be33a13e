from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tsunagu.core.codes import (
    corporate_number_check_digit,
    lg_code_check_digit,
    lg_code_number_readings,
    normalize_corporate_number,
    normalize_lg_code,
)
from tsunagu.core.errors import ValueParseError

five_digits = st.text(alphabet="0123456789", min_size=5, max_size=5)
twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@pytest.mark.parametrize(
    ("body", "check_digit", "name"),
    [("13101", "6", "千代田区"), ("01100", "2", "札幌市"), ("13000", "1", "東京都"), ("01000", "6", "北海道")],
)
def test_lg_code_check_digit_matches_published_codes(body, check_digit, name):
    assert lg_code_check_digit(body) == check_digit


@pytest.mark.parametrize("code", ["131016", "011002", "130001"])
def test_a_valid_six_digit_lg_code_is_returned_unchanged(code):
    assert normalize_lg_code(code) == code


def test_a_five_digit_lg_code_gets_its_check_digit():
    assert normalize_lg_code("13101") == "131016"


def test_a_full_width_lg_code_is_read():
    assert normalize_lg_code("１３１０１６") == "131016"


def test_a_spreadsheet_number_lg_code_is_read():
    assert normalize_lg_code("131016.0") == "131016"


def test_an_lg_code_with_a_wrong_check_digit_is_an_error_that_gives_the_right_one():
    with pytest.raises(ValueParseError, match="131016"):
        normalize_lg_code("131015")


@pytest.mark.parametrize("value", ["1310", "1310166", "千代田区", "13-10a"])
def test_an_lg_code_that_is_not_five_or_six_digits_is_an_error(value):
    with pytest.raises(ValueParseError, match="6桁"):
        normalize_lg_code(value)


@given(five_digits)
def test_any_five_digit_body_with_its_check_digit_validates(body):
    code = body + lg_code_check_digit(body)
    assert normalize_lg_code(code) == code


@given(five_digits, st.sampled_from("0123456789"))
def test_any_other_last_digit_of_an_lg_code_fails(body, last):
    assume(last != lg_code_check_digit(body))
    with pytest.raises(ValueParseError):
        normalize_lg_code(body + last)


@pytest.mark.parametrize(("number", "name"), [("8000020130001", "東京都"), ("7000020010006", "北海道")])
def test_published_corporate_numbers_validate(number, name):
    assert normalize_corporate_number(number) == number


def test_corporate_number_check_digit_of_tokyo_is_8():
    assert corporate_number_check_digit("000020130001") == "8"


def test_a_local_government_corporate_number_is_check_digit_000020_and_lg_code():
    body = "000020" + normalize_lg_code("01100")
    assert corporate_number_check_digit(body) + body == "9000020011002"


@pytest.mark.parametrize("value", ["8-0000-2013-0001", "８０００ ０２０１ ３０００１", "T8000020130001"])
def test_a_corporate_number_with_hyphens_widths_or_invoice_prefix_is_read(value):
    assert normalize_corporate_number(value) == "8000020130001"


def test_a_corporate_number_with_a_wrong_check_digit_is_an_error():
    with pytest.raises(ValueParseError, match="検査数字"):
        normalize_corporate_number("9000020130001")


def test_a_corporate_number_of_the_wrong_length_is_an_error():
    with pytest.raises(ValueParseError, match="13桁"):
        normalize_corporate_number("800002013000")


@given(twelve_digits)
def test_any_corporate_number_body_with_its_check_digit_validates(body):
    number = corporate_number_check_digit(body) + body
    assert normalize_corporate_number(number) == number


@given(twelve_digits, st.sampled_from("0123456789"))
def test_any_other_first_digit_of_a_corporate_number_fails(body, first):
    assume(first != corporate_number_check_digit(body))
    with pytest.raises(ValueParseError):
        normalize_corporate_number(first + body)


# --- 団体コード typed as a number ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [12203, 12203.0, Decimal("12203"), Decimal("12203.00")])
def test_a_five_digit_number_reads_as_a_lost_leading_zero_and_as_a_code_without_check_digit(value):
    assert lg_code_number_readings(value) == ("012203", "122033")


def test_a_zero_padded_reading_with_a_wrong_check_digit_is_no_reading():
    # 013101 fails its check digit (01310's is 2), so 13101 can only be 131016.
    assert lg_code_check_digit("01310") == "2"
    assert lg_code_number_readings(13101) == ("131016",)


def test_a_number_of_four_digits_or_fewer_is_padded_to_five_and_six_digits():
    assert lg_code_number_readings(1100) == ("011002",)  # 001100 fails its check digit
    assert lg_code_number_readings(1) == ("000001", "000019")  # 00000's check digit is 1; 00001's is 9


@pytest.mark.parametrize("value", [131016, 131016.0])
def test_a_six_digit_number_is_verified(value):
    assert lg_code_number_readings(value) == ("131016",)


def test_a_six_digit_number_with_a_wrong_check_digit_is_an_error():
    with pytest.raises(ValueParseError, match="検査数字"):
        lg_code_number_readings(131017)


@pytest.mark.parametrize("value", [12203.5, -12203, 1234567, float("nan"), float("inf"), Decimal("NaN")])
def test_a_number_that_is_not_a_code_is_an_error(value):
    with pytest.raises(ValueParseError, match="6桁"):
        lg_code_number_readings(value)


@pytest.mark.parametrize("value", ["12203", True, None])
def test_only_numbers_have_number_readings(value):
    with pytest.raises(TypeError):
        lg_code_number_readings(value)


@given(st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_a_code_with_a_leading_zero_typed_as_a_number_keeps_it_among_its_readings(rest):
    body = "0" + rest
    code = body + lg_code_check_digit(body)
    assert code in lg_code_number_readings(int(code))
    assert code in lg_code_number_readings(float(code))


@given(five_digits)
def test_a_five_digit_body_typed_as_a_number_keeps_its_check_digit_reading(body):
    readings = lg_code_number_readings(int(body))
    assert body + lg_code_check_digit(body) in readings
    assert all(len(reading) == 6 and normalize_lg_code(reading) == reading for reading in readings)

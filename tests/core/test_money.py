from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.core.choices import TaxBasis
from tsunagu.core.errors import ValueParseError
from tsunagu.core.money import ParsedAmount, format_yen, parse_amount

FULL_WIDTH_DIGITS = str.maketrans("0123456789,", "０１２３４５６７８９，")


# --- accepted forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1234000",
        "1,234,000",
        "1,234,000円",
        "1,234,000 円",
        "￥1,234,000",
        "¥1,234,000",
        "\\1,234,000",
        "123.4万円",
        "123万4千円",
        "1,234千円",
        "金1,234,000円",
        "金1,234,000円也",
        "1,234,000円-",
        "¥1,234,000-",
        "¥1,234,000.-",
        "1,234,000円ー",
        "１，２３４，０００円",
        "１２３．４万円",
        "金壱百弐拾参万四千円也",
        "一金壱百弐拾参万四千円也",
        "百二十三万四千円",
        "1234000.00",
    ],
)
def test_parse_amount_reads_written_forms_of_the_same_amount(text):
    assert parse_amount(text) == ParsedAmount(1_234_000, None)


@pytest.mark.parametrize(
    ("text", "yen"),
    [
        ("48万円", 480_000),
        ("5,000千円", 5_000_000),
        ("1億円", 100_000_000),
        ("1億2,000万円", 120_000_000),
        ("3億5千万円", 350_000_000),
        ("1.5億円", 150_000_000),
        ("五百万円", 5_000_000),
        ("千五百万円", 15_000_000),
        ("二〇〇万円", 2_000_000),
        ("12万3456円", 123_456),
        ("1兆円", 1_000_000_000_000),
        ("0円", 0),
    ],
)
def test_parse_amount_reads_units(text, yen):
    assert parse_amount(text).yen == yen


@pytest.mark.parametrize(
    "text",
    [
        "2,000万円以内",
        "2,000万円程度",
        "2,000万円まで",
        "2,000万円上限",
        "2,000万円を上限とする",
        "上限2,000万円",
        "上限額 2,000万円",
        "上限額：2,000万円",
        "予定価格: 2,000万円",
        "予定価格 2,000万円",
        "金額 2,000万円",
        "約2,000万円",
        "2,000万円（上限）",
    ],
)
def test_qualifiers_around_the_amount_are_tolerated(text):
    assert parse_amount(text) == ParsedAmount(20_000_000, None)


@pytest.mark.parametrize(
    "text",
    [
        "1,100,000円（税込）",
        "1,100,000円(税込み)",
        "税込1,100,000円",
        "1,100,000円 税込",
        "1,100,000円（消費税込み）",
        "1,100,000円（消費税及び地方消費税を含む）",
        "1,100,000円（消費税及び地方消費税を含みます）",
        "1,100,000 円 (金額には消費税額及び地方消費税の額を含みます)",
        "1,100,000円（消費税10%を含む）",
        "上限額：1,100,000円（税込）",
    ],
)
def test_a_tax_included_note_anywhere_gives_included(text):
    assert parse_amount(text) == ParsedAmount(1_100_000, TaxBasis.INCLUDED)


@pytest.mark.parametrize(
    "text",
    [
        "1,000,000円（税抜）",
        "1,000,000円（税抜き）",
        "1,000,000円 税別",
        "税抜 1,000,000円",
        "1,000,000円（消費税抜き）",
        "1,000,000円（消費税及び地方消費税を含まない）",
        "1,000,000円（消費税及び地方消費税を含みません）",
    ],
)
def test_a_tax_excluded_note_anywhere_gives_excluded(text):
    assert parse_amount(text) == ParsedAmount(1_000_000, TaxBasis.EXCLUDED)


def test_an_amount_without_a_tax_note_has_no_tax_basis():
    assert parse_amount("1,000,000円").tax_basis is None


@pytest.mark.parametrize(
    ("value", "yen"),
    [
        (1_234_000, 1_234_000),
        (0, 0),
        (Decimal("1234000"), 1_234_000),
        (Decimal("1234000.00"), 1_234_000),
        (1234000.0, 1_234_000),
    ],
)
def test_numbers_from_a_spreadsheet_are_whole_yen(value, yen):
    assert parse_amount(value) == ParsedAmount(yen, None)


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000"])
def test_nothing_is_none(value):
    assert parse_amount(value) is None


# --- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1000", "−1,000円", "△1,000円", "▲1,000", -1, Decimal("-5"), -1.0])
def test_a_negative_amount_is_an_error(value):
    with pytest.raises(ValueParseError, match="負の金額"):
        parse_amount(value)


@pytest.mark.parametrize("value", ["1.23456万円", "1234.5円", 1234.5, Decimal("0.5")])
def test_a_fraction_of_a_yen_is_an_error(value):
    with pytest.raises(ValueParseError, match="端数"):
        parse_amount(value)


@pytest.mark.parametrize("text", ["未定", "別途協議", "円", "税込"])
def test_text_without_an_amount_is_an_error(text):
    with pytest.raises(ValueParseError, match="金額がありません"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["1,000円と2,000円", "1,000,000円（税込1,100,000円）", "100万円/200万円"])
def test_two_different_amounts_in_one_cell_are_an_error(text):
    with pytest.raises(ValueParseError, match="複数"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "unit"), [("100ドル", "ドル"), ("100万ドル", "ドル"), ("100 USD", "USD"), ("5個", "個")]
)
def test_an_unknown_unit_is_an_error_that_names_it(text, unit):
    with pytest.raises(ValueParseError, match=f"単位「{unit}」"):
        parse_amount(text)


def test_tax_included_and_excluded_in_one_cell_are_an_error():
    with pytest.raises(ValueParseError, match="税込と税抜の両方"):
        parse_amount("1,000,000円（税込）（税抜）")


@pytest.mark.parametrize(
    "text", ["1,23,4円", "1万2億円", "1億20000万円", "万円", "百万円札", "68十円", "382百円", "5,000千2円", "1億5,000千円"]
)
def test_malformed_numerals_are_errors(text):
    with pytest.raises(ValueParseError):
        parse_amount(text)


def test_an_error_quotes_the_value():
    with pytest.raises(ValueParseError) as raised:
        parse_amount("１００ドル")
    assert str(raised.value).startswith("「１００ドル」")


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), Decimal("NaN"), [1000]])
def test_values_that_are_not_amounts_are_errors(value):
    with pytest.raises(ValueParseError):
        parse_amount(value)


# --- format_yen ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("yen", "text"), [(1_234_000, "1,234,000円"), (0, "0円"), (999, "999円")])
def test_format_yen_writes_commas_and_yen(yen, text):
    assert format_yen(yen) == text


# --- properties ---------------------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**12)


def oku_man(yen: int) -> str:
    oku, rest = divmod(yen, 10**8)
    man, rest = divmod(rest, 10**4)
    text = (f"{oku:,}億" if oku else "") + (f"{man:,}万" if man else "")
    return text + (f"{rest:,}" if rest or not text else "") + "円"


def written_amounts(yen: int) -> list[str]:
    forms = [str(yen), f"{yen:,}", f"{yen:,}円", f"¥{yen:,}", oku_man(yen)]
    if yen % 10_000 == 0:
        forms.append(f"{yen // 10_000:,}万円")
    return forms + [form.translate(FULL_WIDTH_DIGITS) for form in forms]


@given(amounts)
def test_every_written_form_of_an_amount_parses_back_to_it(yen):
    for form in written_amounts(yen):
        assert parse_amount(form) == ParsedAmount(yen, None), form


@given(amounts)
def test_format_yen_parses_back_to_the_same_amount(yen):
    assert parse_amount(format_yen(yen)).yen == yen


@given(amounts, st.sampled_from(["（税込）", "（税抜）", "以内", ""]))
def test_a_suffix_never_changes_the_amount(yen, suffix):
    assert parse_amount(f"{yen:,}円{suffix}").yen == yen


_AMOUNT_CHARACTERS = list("0123456789０１２３４５６７８９,.，万億千百十兆五壱円¥金也-△税込抜（）() 以内上限")


@given(st.text(alphabet=st.sampled_from(_AMOUNT_CHARACTERS), max_size=20) | st.text(max_size=20))
def test_parse_amount_of_any_text_returns_whole_yen_or_raises_a_parse_error(text):
    try:
        result = parse_amount(text)
    except ValueParseError:
        return
    assert result is None or (isinstance(result.yen, int) and result.yen >= 0)


# --- speed --------------------------------------------------------------------------------------------------

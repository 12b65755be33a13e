import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tsunagu.core.dates import ParsedDate, fiscal_year, parse_date, parse_time, to_wareki
from tsunagu.core.errors import ValueParseError

D = datetime.date
T = datetime.time
APRIL_1_2025 = D(2025, 4, 1)
FULL_WIDTH = str.maketrans("0123456789/.RH", "０１２３４５６７８９／．ＲＨ")


# --- accepted forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025/4/1",
        "2025/04/01",
        "2025-04-01",
        "2025.4.1",
        "2025年4月1日",
        "2025年04月01日",
        "2025 年 4 月 1 日",
        "令和7年4月1日",
        "R7.4.1",
        "R7/4/1",
        "R07.04.01",
        "r7.4.1",
        "R7年4月1日",
        "令7.4.1",
        "２０２５／４／１",
        "令和７年４月１日",
        "Ｒ７．４．１",
    ],
)
def test_parse_date_reads_western_and_era_forms(text):
    assert parse_date(text) == ParsedDate(APRIL_1_2025, None)


@pytest.mark.parametrize(
    "text", ["令和7(2025)年4月1日", "令和７年（２０２５年）４月１日", "2025(令和7)年4月1日", "2025年（R7年）4月1日"]
)
def test_a_date_written_in_both_calendars_is_read(text):
    assert parse_date(text) == ParsedDate(APRIL_1_2025, None)


def test_a_date_whose_two_calendars_disagree_is_an_error():
    with pytest.raises(ValueParseError, match="和暦と西暦の年が合いません"):
        parse_date("令和7(2024)年4月1日")


def test_reiwa_gannen_is_2019():
    assert parse_date("令和元年5月7日").date == D(2019, 5, 7)


def test_the_first_day_of_reiwa_is_read():
    assert parse_date("令和元年5月1日").date == D(2019, 5, 1)


def test_the_last_days_of_heisei_are_read():
    assert parse_date("平成31年4月19日").date == D(2019, 4, 19)
    assert parse_date("H31.4.30").date == D(2019, 4, 30)


def test_the_last_day_of_showa_is_read():
    assert parse_date("昭和64年1月7日").date == D(1989, 1, 7)


def test_the_first_day_of_heisei_is_read():
    assert parse_date("平成元年1月8日").date == D(1989, 1, 8)


def test_a_date_object_is_returned_without_time():
    assert parse_date(APRIL_1_2025) == ParsedDate(APRIL_1_2025, None)


def test_a_datetime_keeps_its_time():
    assert parse_date(datetime.datetime(2025, 4, 1, 17, 0)) == ParsedDate(APRIL_1_2025, T(17, 0))


def test_a_datetime_at_midnight_is_a_date_without_time():
    assert parse_date(datetime.datetime(2025, 4, 1)) == ParsedDate(APRIL_1_2025, None)


def test_an_aware_datetime_is_converted_to_japan_time():
    utc = datetime.datetime(2025, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert parse_date(utc) == ParsedDate(APRIL_1_2025, T(8, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-04-01T17:00:00+09:00", T(17, 0)),
        ("2025-04-01T08:00:00Z", T(17, 0)),
        ("2025-04-01 17:00", T(17, 0)),
        ("2025/04/01 13:30", T(13, 30)),
        ("2025/04/01 13:30:15", T(13, 30, 15)),
    ],
)
def test_iso_and_csv_datetimes_are_read_in_japan_time(text, expected):
    assert parse_date(text) == ParsedDate(APRIL_1_2025, expected)


def test_a_padded_midnight_in_text_counts_as_no_time():
    assert parse_date("2025/04/01 00:00:00") == ParsedDate(APRIL_1_2025, None)


@pytest.mark.parametrize("weekday", ["（火）", "(火)", "(火曜)", "（火曜日）", "火曜日", " (火)", "(火・祝)"])
def test_a_weekday_after_the_date_is_ignored(weekday):
    assert parse_date(f"令和7年4月1日{weekday}") == ParsedDate(APRIL_1_2025, None)


def test_a_mismatching_weekday_is_tolerated():
    assert parse_date("令和7年4月1日（金）").date == APRIL_1_2025


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (" 17:00", T(17, 0)),
        ("17：00", T(17, 0)),
        ("午後5時", T(17, 0)),
        ("午前9時30分", T(9, 30)),
        ("17時", T(17, 0)),
        ("17時30分", T(17, 30)),
        ("5時半", T(5, 30)),
        ("正午", T(12, 0)),
        ("（火）午後5時", T(17, 0)),
        ("(火曜)13時30分", T(13, 30)),
    ],
)
def test_a_time_after_the_date_is_read(written, expected):
    assert parse_date(f"令和7年4月1日{written}") == ParsedDate(APRIL_1_2025, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和7年4月1日まで", None),
        ("令和7年4月1日必着", None),
        ("令和7年4月1日（火）17時まで必着", T(17, 0)),
        ("締切：令和7年4月1日（火）", None),
        ("提出期限 2025年4月1日 午後5時まで", T(17, 0)),
    ],
)
def test_surrounding_words_are_tolerated(text, expected):
    assert parse_date(text) == ParsedDate(APRIL_1_2025, expected)


def test_the_same_date_written_twice_is_one_date():
    assert parse_date("令和7年4月1日（2025年4月1日）").date == APRIL_1_2025


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\t\n"])
def test_nothing_is_none(value):
    assert parse_date(value) is None


# --- errors -------------------------------------------------------------------------------------------------


def test_an_impossible_date_is_an_error_that_quotes_it():
    with pytest.raises(ValueParseError) as raised:
        parse_date("2025年2月30日")
    assert str(raised.value) == "「2025年2月30日」は存在しない日付です。"


@pytest.mark.parametrize("text", ["2025/2/29", "2025/13/1", "2025-04-31", "令和7年2月29日", "R7.0.1", "令和0年4月1日"])
def test_impossible_dates_are_errors_not_guesses(text):
    with pytest.raises(ValueParseError, match="存在しない日付"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2025/4/1 25:00", "令和7年4月1日 25時", "令和7年4月1日 17:60", "令和7年4月1日 午前13時"])
def test_impossible_times_are_errors(text):
    with pytest.raises(ValueParseError, match="時刻"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "era"),
    [("令和元年4月1日", "令和"), ("平成31年5月1日", "平成"), ("H31.5.1", "平成"), ("昭和64年1月8日", "昭和"), ("平成元年1月7日", "平成")],
)
def test_a_date_outside_its_era_is_an_error_that_says_so(text, era):
    with pytest.raises(ValueParseError, match=f"{era}の期間"):
        parse_date(text)


def test_a_date_without_a_year_is_an_error():
    with pytest.raises(ValueParseError, match="年がありません"):
        parse_date("4月1日")


@pytest.mark.parametrize("value", ["45748", 45748, 45748.0, Decimal("45748")])
def test_a_bare_number_is_not_a_date(value):
    with pytest.raises(ValueParseError, match="数値"):
        parse_date(value)


@pytest.mark.parametrize("text", ["来週火曜", "未定", "25/4/1", "2025年4月", "令和7年度", "R7"])
def test_ambiguous_text_is_an_error(text):
    with pytest.raises(ValueParseError, match=f"「{text}」"):
        parse_date(text)


def test_two_different_dates_are_an_error():
    with pytest.raises(ValueParseError, match="複数の日付"):
        parse_date("令和7年4月1日～令和7年4月30日")


def test_a_year_far_outside_the_usable_range_is_an_error():
    with pytest.raises(ValueParseError, match="範囲"):
        parse_date("1800/1/1")


def test_an_unknown_type_is_an_error():
    with pytest.raises(ValueParseError):
        parse_date(["2025/4/1"])


# --- parse_time ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17:00", T(17, 0)),
        ("17：00", T(17, 0)),
        ("９：３０", T(9, 30)),
        ("午後5時", T(17, 0)),
        ("午前9時30分", T(9, 30)),
        ("午前12時", T(12, 0)),
        ("午後0時", T(12, 0)),
        ("17時", T(17, 0)),
        ("17時30分", T(17, 30)),
        ("5時半", T(5, 30)),
        ("正午", T(12, 0)),
        ("17時まで", T(17, 0)),
        ("0:00", T(0, 0)),
    ],
)
def test_parse_time_reads_time_forms(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("value", [None, "", " \u3000"])
def test_parse_time_of_nothing_is_none(value):
    assert parse_time(value) is None


def test_parse_time_of_an_aware_datetime_is_japan_time():
    assert parse_time(datetime.datetime(2025, 4, 1, 8, 0, tzinfo=ZoneInfo("UTC"))) == T(17, 0)


def test_parse_time_returns_a_time_object_unchanged():
    assert parse_time(T(9, 15)) == T(9, 15)


@pytest.mark.parametrize("text", ["25:00", "25時", "17:60", "午後13時"])
def test_parse_time_of_an_impossible_time_is_an_error(text):
    with pytest.raises(ValueParseError, match=f"「{text}」"):
        parse_time(text)


def test_parse_time_of_afternoon_twelve_is_an_error_because_it_is_ambiguous():
    with pytest.raises(ValueParseError, match="曖昧"):
        parse_time("午後12時")


@pytest.mark.parametrize("text", ["17", "夕方", "9時～17時"])
def test_parse_time_of_text_that_is_not_one_time_is_an_error(text):
    with pytest.raises(ValueParseError):
        parse_time(text)


# --- fiscal_year and to_wareki ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2026, 3, 31), 2025), (D(2026, 4, 1), 2026), (D(2025, 1, 1), 2024), (D(2025, 12, 31), 2025)],
)
def test_fiscal_year_runs_from_april_to_march(day, year):
    assert fiscal_year(day) == year


@pytest.mark.parametrize(
    ("day", "wareki"),
    [
        (D(2025, 4, 1), "令和7年4月1日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1920, 1, 1), "1920年1月1日"),
    ],
)
def test_to_wareki_writes_the_era_year(day, wareki):
    assert to_wareki(day) == wareki


def test_to_wareki_of_a_datetime_writes_its_date():
    assert to_wareki(datetime.datetime(2025, 4, 1, 17, 0)) == "令和7年4月1日"


# --- properties ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2035, 12, 31))


def written_forms(day: D) -> list[str]:
    forms = [f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日", to_wareki(day)]
    if day >= D(2019, 5, 1):
        forms.append(f"R{day.year - 2018}.{day.month}.{day.day}")
    return forms + [form.translate(FULL_WIDTH) for form in forms]


@given(dates)
def test_every_written_form_of_a_date_parses_back_to_it(day):
    for form in written_forms(day):
        assert parse_date(form) == ParsedDate(day, None), form


@given(dates)
def test_the_fiscal_year_of_a_date_starts_on_the_april_before_it(day):
    year = fiscal_year(day)
    assert D(year, 4, 1) <= day < D(year + 1, 4, 1)


@given(st.times().filter(lambda t: t.microsecond == 0 and t != T(0, 0)), dates)
def test_a_date_with_a_colon_time_parses_back_to_both(moment, day):
    text = f"{to_wareki(day)} {moment:%H:%M:%S}"
    assert parse_date(text) == ParsedDate(day, moment)


_DATE_CHARACTERS = list("0123456789０１２３４５６７８９/.-年月日令和平成昭元RHrh時分午前後正（）()火曜 :：")


@given(st.text(alphabet=st.sampled_from(_DATE_CHARACTERS), max_size=25) | st.text(max_size=25))
def test_parse_date_of_any_text_returns_a_date_or_raises_a_parse_error(text):
    try:
        result = parse_date(text)
    except ValueParseError:
        return
    assert result is None or isinstance(result.date, D)


@given(st.text(alphabet=st.sampled_from(_DATE_CHARACTERS), max_size=15) | st.text(max_size=15))
def test_parse_time_of_any_text_returns_a_time_or_raises_a_parse_error(text):
    try:
        result = parse_time(text)
    except ValueParseError:
        return
    assert result is None or isinstance(result, T)


# --- speed --------------------------------------------------------------------------------------------------

"""The next edition predicted from the past ones: window, budget, basis; apart from real notices."""

import datetime


from tsunagu.series.prediction import Edition, predict_budget, predict_next

D = datetime.date


def test_a_yearly_call_in_early_may_is_expected_next_may_with_at_least_30_days_either_side():
    past = [Edition(D(2022, 5, 9), 5_000_000), Edition(D(2023, 5, 8), 5_000_000), Edition(D(2024, 5, 7), 5_500_000),
            Edition(D(2025, 5, 12), 5_500_000)]
    prediction = predict_next(past)
    assert prediction.fiscal_year == 2026
    assert prediction.on == D(2026, 5, 9)  # day 38 of the fiscal year: the median of 38, 37, 36, 41 (37.5) rounded
    assert (prediction.on - prediction.window_from).days == 30 == (prediction.window_to - prediction.on).days
    assert (prediction.years, prediction.month, prediction.part) == (4, 5, "early")


def test_a_wandering_date_widens_the_window():
    prediction = predict_next([Edition(D(2023, 4, 10), None), Edition(D(2024, 7, 10), None), Edition(D(2025, 5, 20), None)])
    assert (prediction.window_to - prediction.on).days == 51  # 10 July is 51 days after the median day
    assert prediction.budget_yen is None


def test_a_call_every_other_year_is_expected_two_years_on():
    assert predict_next([Edition(D(2021, 6, 1), None), Edition(D(2023, 6, 1), None)]).fiscal_year == 2025


def test_one_year_is_not_enough_and_a_second_call_in_a_year_does_not_count_twice():
    assert predict_next([Edition(D(2025, 5, 1), 1), Edition(D(2025, 9, 1), 1)]) is None


def test_the_budget_follows_the_trend_within_a_range():
    assert predict_budget([10_000_000, 11_000_000, 12_100_000]) == (13_310_000, 11_979_000, 14_641_000)
    assert predict_budget([None, 3_000_000]) == (3_000_000, 2_700_000, 3_300_000)
    # Up and down: the level of the last three, not a trend.
    assert predict_budget([4_000_000, 5_000_000, 4_800_000, 5_100_000])[0] == 5_000_000
    assert predict_budget([None, None]) == (None, None, None)

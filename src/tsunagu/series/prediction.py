"""When the next edition of a yearly call will be published, and for how much: from its past editions alone.

Pure functions (no database), so the benchmark and the tests use exactly what the site stores.

Publication: each past 年度 contributes its first edition's day of the fiscal year (days since 1 April). The
next edition is expected `step` 年度 after the last one (the median gap: 1 for a yearly call, 2 for a call every
other year) on the median day, give or take the largest deviation seen, but never less than ±30 days: a call
published on 10 May for three years may come on 2 June next time.

Budget: when the amounts rose (or fell) every year, at least twice running, the last one times the typical year-on-year change (median
ratio, held within 0.8–1.25); otherwise the median of the last three; with a range as wide as the largest
year-on-year change seen (at least ±10%).
"""

import datetime
import itertools
import math
import statistics
from dataclasses import dataclass

from tsunagu.core.dates import fiscal_year

MIN_HALF_WIDTH_DAYS = 30
MAX_HALF_WIDTH_DAYS = 120
MIN_BUDGET_SPREAD = 0.10
TREND_LIMITS = (0.8, 1.25)


@dataclass(frozen=True)
class Edition:
    published_on: datetime.date
    budget_yen: int | None


@dataclass(frozen=True)
class Prediction:
    fiscal_year: int
    on: datetime.date
    window_from: datetime.date
    window_to: datetime.date
    budget_yen: int | None
    budget_low: int | None
    budget_high: int | None
    years: int  # past 年度 the prediction rests on
    month: int  # the usual month of publication (of `on`)
    part: str  # early (1–10), middle (11–20), late (21–): 上旬・中旬・下旬


def _fiscal_start(fy: int) -> datetime.date:
    return datetime.date(fy, 4, 1)


def month_part(day: int) -> str:
    return "early" if day <= 10 else "middle" if day <= 20 else "late"


def _first_per_fiscal_year(editions: list[Edition]) -> list[Edition]:
    """One edition per 年度, the first published (a 二次募集 later in the year doesn't move the usual date)."""
    by_year: dict[int, Edition] = {}
    for edition in sorted(editions, key=lambda e: e.published_on):
        by_year.setdefault(fiscal_year(edition.published_on), edition)
    return [by_year[fy] for fy in sorted(by_year)]


def predict_next(editions: list[Edition]) -> Prediction | None:
    """The next edition's publication window and budget; None with fewer than two 年度 to go on."""
    yearly = _first_per_fiscal_year(editions)
    if len(yearly) < 2:
        return None
    years = [fiscal_year(e.published_on) for e in yearly]
    offsets = [(e.published_on - _fiscal_start(fy)).days for e, fy in zip(yearly, years, strict=True)]
    median_offset = round(statistics.median(offsets))
    deviation = max(abs(offset - median_offset) for offset in offsets)
    half_width = min(MAX_HALF_WIDTH_DAYS, max(MIN_HALF_WIDTH_DAYS, deviation))
    step = max(1, round(statistics.median(b - a for a, b in itertools.pairwise(years))))
    next_fy = years[-1] + step
    on = _fiscal_start(next_fy) + datetime.timedelta(days=median_offset)
    budget, low, high = predict_budget([e.budget_yen for e in yearly])
    return Prediction(
        fiscal_year=next_fy, on=on, window_from=on - datetime.timedelta(days=half_width),
        window_to=on + datetime.timedelta(days=half_width), budget_yen=budget, budget_low=low, budget_high=high,
        years=len(yearly), month=on.month, part=month_part(on.day),
    )


def predict_budget(budgets: list[int | None]) -> tuple[int | None, int | None, int | None]:
    """(expected, low, high) from the amounts in 年度 order (None where a year published none)."""
    known = [b for b in budgets if b]
    if not known:
        return None, None, None
    ratios = [b / a for a, b in itertools.pairwise(known)]
    rising, falling = all(r > 1 for r in ratios), all(r < 1 for r in ratios)
    if len(ratios) >= 2 and (rising or falling):
        # A steady rise or fall (two changes or more the same way) carries on: the last amount times the typical change.
        trend = min(TREND_LIMITS[1], max(TREND_LIMITS[0], statistics.median(ratios)))
        expected = _round_yen(known[-1] * trend)
    else:
        # Up one year, down the next: the amount wobbles around a level, best read from the last three.
        expected = _round_yen(statistics.median(known[-3:]))
    spread = max([MIN_BUDGET_SPREAD, *(abs(r - 1) for r in ratios)])
    return expected, _round_yen(expected * (1 - min(spread, 0.9))), _round_yen(expected * (1 + spread))


def _round_yen(value: float) -> int:
    """To a thousand yen: an estimate claims no more precision than that."""
    return max(1000, int(math.floor(value / 1000 + 0.5)) * 1000)


def predict_same_day_next_year(editions: list[Edition]) -> datetime.date | None:
    """The naive baseline of the benchmark: the last edition's date, one year on."""
    if not editions:
        return None
    last = max(e.published_on for e in editions)
    try:
        return last.replace(year=last.year + 1)
    except ValueError:  # 29 February
        return last.replace(year=last.year + 1, day=28)

"""The bins of the distributions: one definition for the facts, the pages, the charts and the API."""

import bisect
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Bin:
    key: str  # stable name for the API
    label: str  # shown on the page


# 上限額 (budget) in yen: the lower bound of each bin (a bin runs to the next one's lower bound, exclusive).
BUDGET_LOWER = (0, 1_000_000, 3_000_000, 10_000_000, 30_000_000, 100_000_000)
BUDGET_BINS = (
    Bin("lt_1m", _("100万円未満")),
    Bin("1m_3m", _("100万〜300万円")),
    Bin("3m_10m", _("300万〜1千万円")),
    Bin("10m_30m", _("1千万〜3千万円")),
    Bin("30m_100m", _("3千万〜1億円")),
    Bin("ge_100m", _("1億円以上")),
)

# 落札率 in parts per 10,000: 100% on its own (a price at the ceiling is common in proposals).
RATIO_LOWER = (0, 7000, 8000, 9000, 9500, 10000, 10001)
RATIO_BINS = (
    Bin("lt_70", _("70%未満")),
    Bin("70_80", _("70〜80%")),
    Bin("80_90", _("80〜90%")),
    Bin("90_95", _("90〜95%")),
    Bin("95_100", _("95〜100%未満")),
    Bin("eq_100", _("100%")),
    Bin("gt_100", _("100%超")),
)

# 応札者数 (bidders) per call.
BIDDERS_LOWER = (1, 2, 3, 4, 5, 10)
BIDDERS_BINS = (
    Bin("1", _("1者")),
    Bin("2", _("2者")),
    Bin("3", _("3者")),
    Bin("4", _("4者")),
    Bin("5_9", _("5〜9者")),
    Bin("ge_10", _("10者以上")),
)


def bin_index(lower_bounds: tuple[int, ...], value: int | None) -> int | None:
    """The bin a value falls in (None for no value, or one below the first bound)."""
    if value is None or value < lower_bounds[0]:
        return None
    return bisect.bisect_right(lower_bounds, value) - 1

"""Reads of series: a series' history, the predicted calls, and the figures of its budget chart."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tsunagu.notices.models import Award, Notice, NoticeKind

from .models import CallSeries


def series_queryset() -> QuerySet[CallSeries]:
    return CallSeries.objects.select_related("municipality__prefecture")


@dataclass
class EditionRow:
    notice: Notice
    winners: list[str]
    award_amount: int | None
    award_ratio: object  # Decimal | None
    bidders: int | None


def series_history(series: CallSeries) -> list[EditionRow]:
    """Every edition, oldest first, with its results: winners, amount awarded, 落札率 and bidders."""
    notices = (
        Notice.objects.with_status()
        .filter(series_edition__series=series)
        .prefetch_related(Prefetch("awards", queryset=Award.objects.select_related("winner").order_by("id")))
        .order_by("published_on", "id")
    )
    rows = []
    for notice in notices:
        awards = list(notice.awards.all())
        amounts = [a.amount_yen for a in awards if a.amount_yen is not None]
        ratios = [a.award_ratio for a in awards if a.award_ratio is not None]
        bidders = [a.bidders for a in awards if a.bidders is not None]
        rows.append(EditionRow(
            notice=notice, winners=[a.winner.name for a in awards], award_amount=sum(amounts) if amounts else None,
            award_ratio=ratios[0] if len(ratios) == 1 else None, bidders=max(bidders) if bidders else None,
        ))
    return rows


def series_upcoming(
    *, prefecture: str = "", kind: str = "", month: int | None = None, today: datetime.date | None = None
) -> QuerySet[CallSeries]:
    """Predicted next editions whose window hasn't passed, soonest first. Never notices: these are estimates."""
    today = today or timezone.localdate()
    series = series_queryset().recurring().filter(predicted_on__isnull=False, predicted_to__gte=today)
    if prefecture:
        series = series.filter(municipality__prefecture__code=prefecture)
    if kind in NoticeKind.values:
        series = series.filter(kind=kind)
    if month:
        series = series.filter(predicted_on__month=month)
    return series.order_by("predicted_on", "id")


def series_list(*, prefecture: str = "", kind: str = "", lg_code: str = "") -> QuerySet[CallSeries]:
    """Recurring series (two or more editions), latest edition first."""
    series = series_queryset().recurring()
    if prefecture:
        series = series.filter(municipality__prefecture__code=prefecture)
    if kind in NoticeKind.values:
        series = series.filter(kind=kind)
    if lg_code:
        series = series.filter(municipality__lg_code=lg_code)
    return series.order_by("-last_published_on", "-id")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    predicted: bool = False
    low_y: float = 0.0
    high_y: float = 0.0

    @property
    def x_end(self) -> float:
        return round(self.x + self.width, 1)


@dataclass
class BudgetChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar] = field(default_factory=list)


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 320, 160, 12, 24


def series_budget_chart(series: CallSeries, rows: list[EditionRow]) -> BudgetChart | None:
    """Bars of each edition's budget and, apart, the predicted range: the geometry of a small server-side SVG
    (320×160 units, scaled to the screen). None when no edition published an amount."""
    points = [(f"{row.notice.fiscal_year}", row.notice.budget_yen) for row in rows if row.notice.budget_yen]
    if not points:
        return None
    predicted = series.predicted_budget_yen if series.has_prediction else None
    top = max([v for _, v in points] + ([series.predicted_budget_high or predicted] if predicted else []))
    slots = len(points) + (1 if predicted else 0)
    slot = CHART_WIDTH / slots
    usable = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_HEIGHT - CHART_BOTTOM

    def y_of(value: int) -> float:
        return round(baseline - usable * value / top, 1)

    chart = BudgetChart(width=CHART_WIDTH, height=CHART_HEIGHT, baseline=baseline)
    for i, (label, value) in enumerate(points):
        y = y_of(value)
        chart.bars.append(Bar(x=round(i * slot + slot * 0.2, 1), y=y, width=round(slot * 0.6, 1),
                              height=round(baseline - y, 1), label=label, value=value))
    if predicted:
        y = y_of(predicted)
        chart.bars.append(Bar(
            x=round(len(points) * slot + slot * 0.2, 1), y=y, width=round(slot * 0.6, 1), height=round(baseline - y, 1),
            label=f"{series.predicted_fiscal_year}", value=predicted, predicted=True,
            low_y=y_of(series.predicted_budget_low or predicted), high_y=y_of(series.predicted_budget_high or predicted),
        ))
    return chart

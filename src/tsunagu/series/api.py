"""/api/v1/series: recurring calls, their editions and the predicted next edition (public, like notices)."""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from .access import access_series
from .models import CallSeries
from .selectors import series_history, series_list, series_upcoming

router = Router(tags=["series"])


class PredictionOut(Schema):
    estimated: bool = Field(True, description="常に true：過去実績から推定した予定で、公表された公募ではありません")
    fiscal_year: int
    published_from: datetime.date
    published_on: datetime.date
    published_to: datetime.date
    budget_yen: int | None
    budget_low_yen: int | None
    budget_high_yen: int | None
    basis: str = Field(description="推定の根拠（例：過去4回: 毎年5月上旬に公告）")


class SeriesOut(Schema):
    id: int
    title: str
    kind: str
    lg_code: str
    prefecture: str
    municipality: str
    department: str
    edition_count: int
    first_published_on: datetime.date | None
    last_published_on: datetime.date | None
    prediction: PredictionOut | None
    url: str


class EditionOut(Schema):
    notice_id: int
    title: str
    published_on: datetime.date
    status: str
    budget_yen: int | None
    winners: list[str]
    award_amount_yen: int | None
    award_ratio: float | None
    bidders: int | None


class SeriesDetailOut(SeriesOut):
    editions: list[EditionOut]


class SeriesPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[SeriesOut]


class ListParams(Schema):
    prefecture: str = Field("", max_length=2, description="都道府県コード（01〜47）")
    kind: str = Field("", max_length=30, description="公募種別（proposal, open_tender, …）")
    municipality: str = Field("", max_length=6, description="団体コード（6桁）")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class UpcomingParams(Schema):
    prefecture: str = Field("", max_length=2, description="都道府県コード（01〜47）")
    kind: str = Field("", max_length=30, description="公募種別")
    month: int | None = Field(None, ge=1, le=12, description="公告予定（推定）の月")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def _series_out(series: CallSeries, base_url: str) -> dict:
    prediction = None
    if series.has_prediction:
        prediction = {
            "fiscal_year": series.predicted_fiscal_year, "published_from": series.predicted_from,
            "published_on": series.predicted_on, "published_to": series.predicted_to,
            "budget_yen": series.predicted_budget_yen, "budget_low_yen": series.predicted_budget_low,
            "budget_high_yen": series.predicted_budget_high, "basis": str(series.basis_text),
        }
    municipality = series.municipality
    return {
        "id": series.pk, "title": series.title, "kind": series.kind, "lg_code": municipality.lg_code,
        "prefecture": municipality.prefecture.name, "municipality": municipality.name, "department": series.department,
        "edition_count": series.edition_count, "first_published_on": series.first_published_on,
        "last_published_on": series.last_published_on, "prediction": prediction,
        "url": f"{base_url}{series.get_absolute_url()}",
    }


def _page(queryset, page: int, page_size: int, base_url: str) -> dict:
    paginator = Paginator(queryset, page_size)
    items = paginator.page(page).object_list if page <= max(1, paginator.num_pages) else []
    return {"count": paginator.count, "page": page, "page_size": page_size,
            "results": [_series_out(s, base_url) for s in items]}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get("", response=SeriesPage, summary="毎年の公募（2回以上）の一覧")
def series_index(request: HttpRequest, params: Query[ListParams]) -> dict:
    series = series_list(prefecture=params.prefecture, kind=params.kind, lg_code=params.municipality)
    return _page(series, params.page, params.page_size, _base_url(request))


@router.get("/upcoming", response=SeriesPage, summary="過去実績から推定した次回の予定（公表された公募ではありません）")
def series_upcoming_index(request: HttpRequest, params: Query[UpcomingParams]) -> dict:
    series = series_upcoming(prefecture=params.prefecture, kind=params.kind, month=params.month)
    return _page(series, params.page, params.page_size, _base_url(request))


@router.get("/{series_id}", response=SeriesDetailOut, summary="毎年の公募の履歴と次回の予定",
            openapi_extra={"responses": {404: {"description": "そのシリーズはありません"}}})
def series_detail(request: HttpRequest, series_id: int) -> dict:
    try:
        series = access_series(request.user, series_id)
    except Http404:
        raise HttpError(404, "そのシリーズはありません。") from None
    editions = [
        {"notice_id": row.notice.pk, "title": row.notice.title, "published_on": row.notice.published_on,
         "status": row.notice.status, "budget_yen": row.notice.budget_yen, "winners": row.winners,
         "award_amount_yen": row.award_amount,
         "award_ratio": float(row.award_ratio) if row.award_ratio is not None else None, "bidders": row.bidders}
        for row in series_history(series)
    ]
    return {**_series_out(series, _base_url(request)), "editions": editions}

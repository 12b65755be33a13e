"""The public JSON API, version 1: searching needs no login. OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from pydantic import Field

from tsunagu.insights.api import router as insights_router
from tsunagu.notices.access import access_notice
from tsunagu.notices.exports import notice_as_json
from tsunagu.search.results import search_response
from tsunagu.search.criteria import SORTS, SearchFilters
from tsunagu.search.selectors import notice_search

api = NinjaAPI(title="Tsunagu API", version="1", description="自治体公募情報データベースの検索API（ログイン不要）",
               urls_namespace="api-v1")


class SearchParams(Schema):
    q: str = Field("", max_length=500, description="キーワード（空白区切り、-除外、OR、\"語句\"）")
    prefecture: str = Field("", description="都道府県コード（01〜47）")
    kind: str = Field("", description="公募種別（proposal, open_tender, …）")
    status: str = Field("", description="planned, open, closing_soon, closed, awarded, cancelled")
    municipality: str = Field("", description="団体コード（6桁）")
    category: str = Field("", max_length=50, description="分野")
    npo_eligible: bool | None = Field(None, description="NPO参加可で絞り込む")
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    budget_min: int | None = Field(None, ge=0, le=10**15)
    budget_max: int | None = Field(None, ge=0, le=10**15)
    sort: str = Field("relevance", description="relevance, deadline, newest, budget")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class NoticeResult(Schema):
    id: int
    external_id: str
    lg_code: str
    prefecture: str
    municipality: str
    title: str
    kind: str
    status: str
    published_on: str
    application_deadline: str | None
    submission_deadline: str | None
    budget_yen: int | None
    tax_basis: str | None
    npo_eligible: bool | None
    url: str
    source_url: str


class SearchResponse(Schema):
    count: int
    page: int
    page_size: int
    results: list[NoticeResult]
    facets: dict[str, dict[str, int]]


@api.get("/notices", response=SearchResponse, summary="公募を検索する")
def notices(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    if params.sort not in SORTS:
        raise HttpError(400, f"sort は {', '.join(SORTS)} のどれかにしてください。")
    filters = SearchFilters(**params.model_dump(exclude={"q", "sort", "page", "page_size"}))
    result = notice_search(text=params.q, filters=filters, sort=params.sort)
    return search_response(result.notices, result.facets(), page=params.page, page_size=params.page_size,
                           base_url=request.build_absolute_uri("/").rstrip("/"))


@api.get("/notices/{notice_id}", summary="公募の詳細（落札結果を含む）")
def notice_detail(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    try:
        notice = access_notice(request.user, notice_id)
    except Http404:
        raise HttpError(404, "その公募はありません。") from None
    return {"id": notice.pk, **notice_as_json(notice)}


api.add_router("", insights_router)  # /organisations, /awards, /analytics

"""The public JSON API, version 1: searching needs no login. OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, Throttled, ValidationError
from pydantic import Field

from tsunagu.core.api_schemas import VALIDATION_ERROR_SCHEMA, Message, validation_errors_in_japanese
from tsunagu.notices.access import access_notice
from tsunagu.notices.exports import notice_as_json
from tsunagu.search.results import search_response
from tsunagu.search.criteria import SORTS
from tsunagu.search.schemas import SearchConditions
from tsunagu.search.selectors import notice_search

from .throttling import ClientRateThrottle


class TsunaguAPI(NinjaAPI):
    """Every operation may answer 429 (rate limit), 422 when it takes parameters (a value of the wrong type or out of
    range) and 401 when it needs a token: the description says so for every operation, so a new endpoint can't
    forget it."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["components"].setdefault("schemas", {}).setdefault("Message", Message.model_json_schema())
        message = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if operation.get("parameters") or operation.get("requestBody"):
                    responses.setdefault(422, {"description": "入力値の形式が正しくありません",
                                               "content": {"application/json": {"schema": VALIDATION_ERROR_SCHEMA}}})
                if operation.get("security"):
                    responses.setdefault(401, {"description": "APIトークンがないか、正しくありません", **message})
                responses.setdefault(429, {"description": "リクエストが多すぎます（Retry-After 秒待つ）", **message})
        return schema


api = TsunaguAPI(title="Tsunagu API", version="1", description="自治体公募情報データベースの検索API（ログイン不要）",
                 urls_namespace="api-v1", throttle=[ClientRateThrottle()])
api.add_router("/saved-searches", "tsunagu.alerts.api.router")  # a person's own, with their API token
api.add_router("/series", "tsunagu.series.api.router")
api.add_router("", "tsunagu.insights.api.router")  # /organisations, /awards, /analytics


@api.exception_handler(ValidationError)
def invalid_values(request: HttpRequest, exc: ValidationError):
    return api.create_response(request, {"detail": validation_errors_in_japanese(exc.errors)}, status=422)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled):
    return api.create_response(
        request, {"detail": "リクエストが多すぎます。Retry-After の秒数だけ待ってから、もう一度お試しください。"}, status=429)


class SearchParams(SearchConditions):
    sort: Literal[SORTS] = Field("relevance", description="並び順")
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


class Award(Schema):
    winner: str
    corporate_number: str | None
    amount_yen: int | None
    estimated_value_yen: int | None
    tax_basis: str | None
    bidders: int | None
    awarded_on: str | None
    score: float | None
    award_ratio: float | None


class NoticeDetail(Schema):
    id: int
    external_id: str
    lg_code: str
    prefecture: str
    municipality: str
    department: str
    title: str
    kind: str
    categories: list[str]
    description: str
    published_on: str
    enquiry_deadline: str | None
    application_deadline: str | None
    submission_deadline: str | None
    budget_yen: int | None
    tax_basis: str | None
    contract_period: str
    eligibility: str
    npo_eligible: bool | None
    source_url: str
    status: str
    awards: list[Award]


@api.get("/notices", response=SearchResponse, summary="公募を検索する")
def notices(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    result = notice_search(text=params.q, filters=params.filters(), sort=params.sort)
    return search_response(result, page=params.page, page_size=params.page_size,
                           base_url=request.build_absolute_uri("/").rstrip("/"))


@api.get("/notices/{notice_id}", response={200: NoticeDetail, 404: Message}, summary="公募の詳細（落札結果を含む）")
def notice_detail(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    try:
        notice = access_notice(request.user, notice_id)
    except Http404:
        raise HttpError(404, "その公募はありません。") from None
    return {"id": notice.pk, **notice_as_json(notice)}


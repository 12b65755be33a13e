"""The JSON API of analytics: organisations (suppliers), awards and the analytics of any search. Public, as the
pages are; the numbers are the pages' own (the same selectors)."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tsunagu.core.choices import TaxBasis, canonical_label
from tsunagu.core.api_schemas import MAX_ROW_ID, Message
from tsunagu.notices.models import Award
from tsunagu.search.schemas import SearchConditions

from .access import access_organisation
from .selectors import (
    Analytics, corporate_number_url, Breakdown, Distribution, analytics_for_search, award_list, organisation_profile,
    organisation_search,
)

router = Router(tags=["insights"])


class Page(Schema):
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


class OrganisationParams(Page):
    q: str = Field("", max_length=200, description="名称の一部（㈱・株式会社は同じ）または13桁の法人番号")


class OrganisationOut(Schema):
    id: int
    name: str
    corporate_number: str | None = Field(description="法人番号（13桁）")
    corporate_number_url: str | None = Field(description="国税庁法人番号公表サイトのページ")
    wins: int = Field(description="落札件数")
    url: str


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganisationOut]


class BucketOut(Schema):
    key: str
    label: str
    count: int


class DistributionOut(Schema):
    buckets: list[BucketOut]
    unknown: int = Field(description="値がなく数えなかった件数")
    median: float | None


class BreakdownOut(Schema):
    key: str
    label: str
    notices: int = Field(description="公募の件数（事業者では落札件数）")
    awarded: int = Field(description="結果が公表された公募（事業者では落札件数）")


class MunicipalityWins(Schema):
    lg_code: str
    name: str
    prefecture: str
    wins: int


class OrganisationDetail(OrganisationOut):
    total_amount: int = Field(description="落札金額の合計（公表額のまま、税区分は混在）")
    median_ratio: float | None = Field(description="落札率の中央値（税区分が揃う結果のみ）")
    ratio: DistributionOut
    by_fiscal_year: list[BreakdownOut]
    by_prefecture: list[BreakdownOut]
    by_category: list[BreakdownOut]
    by_kind: list[BreakdownOut]
    municipalities: list[MunicipalityWins]


class AwardParams(Page):
    notice: int | None = Field(None, ge=1, le=MAX_ROW_ID, description="公募のid")
    winner: int | None = Field(None, ge=1, le=MAX_ROW_ID, description="事業者のid")
    municipality: str = Field("", pattern=r"^(\d{6})?$", description="団体コード（6桁）")
    fiscal_year: int | None = Field(None, ge=1900, le=2999, description="年度（公告日の年度、4月〜翌3月）")


class AwardOut(Schema):
    id: int
    notice_id: int
    notice_title: str
    lg_code: str
    municipality: str
    fiscal_year: int
    winner_id: int
    winner_name: str
    corporate_number: str | None
    amount_yen: int | None
    amount_tax_basis: str
    estimated_value_yen: int | None
    estimated_value_tax_basis: str
    award_ratio: float | None = Field(description="落札率（税区分が同じと分かるときだけ）")
    bidders: int | None
    awarded_on: datetime.date | None
    url: str


class AwardPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[AwardOut]


class WinnerOut(Schema):
    id: int
    name: str
    corporate_number: str | None
    wins: int
    total_amount: int
    median_ratio: float | None


class AnalyticsOut(Schema):
    notices: int = Field(description="公募の件数")
    awarded: int = Field(description="結果が公表された公募の件数")
    awards: int = Field(description="落札結果の件数（採択を含む）")
    budget: DistributionOut
    ratio: DistributionOut
    ratio_missing: dict[str, int] = Field(description="落札率を数えなかった結果：理由ごとの件数")
    bidders: DistributionOut
    by_kind: list[BreakdownOut]
    by_category: list[BreakdownOut]
    by_prefecture: list[BreakdownOut]
    by_fiscal_year: list[BreakdownOut]
    top_winners: list[WinnerOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _distribution(d: Distribution) -> dict[str, Any]:
    return {"buckets": [vars(b) for b in d.buckets], "unknown": d.unknown, "median": _number(d.median)}


def _breakdowns(rows: list[Breakdown]) -> list[dict[str, Any]]:
    return [vars(b) for b in rows]


def _organisation(request: HttpRequest, organisation, wins: int) -> dict[str, Any]:
    number = organisation.corporate_number
    return {
        "id": organisation.pk, "name": organisation.name, "corporate_number": number,
        "corporate_number_url": corporate_number_url(number), "wins": wins,
        "url": request.build_absolute_uri(reverse("insights:organisation", args=[organisation.pk])),
    }


@router.get("/organisations", response=OrganisationPage, summary="事業者を探す（名称・法人番号）")
def organisations(request: HttpRequest, params: Query[OrganisationParams]) -> dict[str, Any]:
    found = organisation_search(text=params.q)
    start = (params.page - 1) * params.page_size
    return {"count": found.count(), "page": params.page, "page_size": params.page_size,
            "results": [_organisation(request, o, o.wins) for o in found[start : start + params.page_size]]}


@router.get("/organisations/{organisation_id}", response={200: OrganisationDetail, 404: Message}, summary="事業者の落札実績")
def organisation(request: HttpRequest, organisation_id: int) -> dict[str, Any]:
    try:
        found = access_organisation(request.user, organisation_id)
    except Http404:
        raise HttpError(404, "その事業者はありません。") from None
    p = organisation_profile(found)
    return {
        **_organisation(request, found, p.wins), "total_amount": p.total_amount, "median_ratio": _number(p.median_ratio),
        "ratio": _distribution(p.ratio), "by_fiscal_year": _breakdowns(p.by_fiscal_year),
        "by_prefecture": _breakdowns(p.by_prefecture), "by_category": _breakdowns(p.by_category),
        "by_kind": _breakdowns(p.by_kind),
        "municipalities": [{"lg_code": m.lg_code, "name": m.name, "prefecture": m.prefecture.name, "wins": n}
                           for m, n in p.municipalities],
    }


def _award(request: HttpRequest, a: Award) -> dict[str, Any]:
    return {
        "id": a.pk, "notice_id": a.notice_id, "notice_title": a.notice.title, "lg_code": a.notice.municipality.lg_code,
        "municipality": a.notice.municipality.full_name, "fiscal_year": a.notice.fiscal_year, "winner_id": a.winner_id,
        "winner_name": a.winner.name, "corporate_number": a.winner.corporate_number, "amount_yen": a.amount_yen,
        "amount_tax_basis": canonical_label(TaxBasis(a.amount_tax_basis)), "estimated_value_yen": a.estimated_value_yen,
        "estimated_value_tax_basis": canonical_label(TaxBasis(a.estimated_value_tax_basis)),
        "award_ratio": _number(a.award_ratio), "bidders": a.bidders, "awarded_on": a.awarded_on,
        "url": request.build_absolute_uri(reverse("notices:detail", args=[a.notice_id])),
    }


@router.get("/awards", response=AwardPage, summary="落札結果の一覧（公募・事業者・自治体・年度で絞り込み）")
def awards(request: HttpRequest, params: Query[AwardParams]) -> dict[str, Any]:
    found = award_list(notice=params.notice, winner=params.winner, municipality=params.municipality,
                       fiscal_year=params.fiscal_year)
    start = (params.page - 1) * params.page_size
    return {"count": found.count(), "page": params.page, "page_size": params.page_size,
            "results": [_award(request, a) for a in found[start : start + params.page_size]]}


@router.get("/analytics", response=AnalyticsOut, summary="検索条件に合う公募と落札結果の集計（/insights/ と同じ数）")
def analytics(request: HttpRequest, params: Query[SearchConditions]) -> dict[str, Any]:
    result: Analytics = analytics_for_search(text=params.q, filters=params.filters())
    return {
        "notices": result.notices, "awarded": result.awarded, "awards": result.awards,
        "budget": _distribution(result.budget), "ratio": _distribution(result.ratio),
        "ratio_missing": result.ratio_missing, "bidders": _distribution(result.bidders),
        "by_kind": _breakdowns(result.by_kind), "by_category": _breakdowns(result.by_category),
        "by_prefecture": _breakdowns(result.by_prefecture), "by_fiscal_year": _breakdowns(result.by_fiscal_year),
        "top_winners": [{"id": w.organisation.pk, "name": w.organisation.name,
                         "corporate_number": w.organisation.corporate_number, "wins": w.wins,
                         "total_amount": w.total_amount, "median_ratio": _number(w.median_ratio)}
                        for w in result.top_winners],
    }

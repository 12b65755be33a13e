"""The search's conditions as API parameters: /api/v1/notices and /api/v1/analytics take the same ones."""

from typing import Literal

from ninja import Schema
from pydantic import Field

from tsunagu.core.api_schemas import IsoDate
from tsunagu.notices.models import NoticeKind, NoticeStatus

from .criteria import CLOSING_SOON, SearchFilters


class SearchConditions(Schema):
    q: str = Field("", max_length=500, description="キーワード（空白区切り、-除外、OR、\"語句\"）")
    prefecture: str = Field("", pattern=r"^((0[1-9]|[1-3][0-9]|4[0-7]))?$", description="都道府県コード（01〜47）")
    kind: Literal["", *NoticeKind.values] = Field("", description="公募種別")
    status: Literal["", CLOSING_SOON, *NoticeStatus.values] = Field("", description="状態（closing_soon = 締切間近）")
    municipality: str = Field("", pattern=r"^([0-9]{6})?$", description="団体コード（6桁）")
    category: str = Field("", max_length=50, description="分野")
    npo_eligible: bool | None = Field(None, description="NPO参加可で絞り込む")
    deadline_from: IsoDate | None = None
    deadline_to: IsoDate | None = None
    published_from: IsoDate | None = None
    published_to: IsoDate | None = None
    budget_min: int | None = Field(None, ge=0, le=10**15)
    budget_max: int | None = Field(None, ge=0, le=10**15)

    def filters(self) -> SearchFilters:
        return SearchFilters(**self.model_dump(include=set(SearchFilters.__dataclass_fields__)))

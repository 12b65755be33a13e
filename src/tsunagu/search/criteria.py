"""What a search can ask for, whichever engine answers it."""

import datetime
from dataclasses import dataclass

SORTS = ("relevance", "deadline", "newest", "budget")
CLOSING_SOON = "closing_soon"  # 締切間近: open and closing within a week
CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class SearchFilters:
    """Everything a search can be narrowed by; empty values don't filter."""

    kind: str = ""
    prefecture: str = ""  # 01..47
    municipality: str = ""  # 団体コード
    category: str = ""
    status: str = ""  # a NoticeStatus value or closing_soon
    npo_eligible: bool | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None
    published_from: datetime.date | None = None
    published_to: datetime.date | None = None
    budget_min: int | None = None
    budget_max: int | None = None

"""Reads for search: one selector answers every search, whatever the backend."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from tsunagu.notices.models import Notice, NoticeStatus
from tsunagu.notices.selectors import notice_list

from .analysis import Query, parse_query, reference_match
from .index import get_index, notice_fields

SORTS = ("relevance", "deadline", "newest", "budget")
CLOSING_SOON = "closing_soon"  # 締切間近: open and closing within a week
CLOSING_SOON_DAYS = 7


@dataclass
class SearchResult:
    notices: QuerySet[Notice]
    query: Query


def notice_search(*, text: str = "", kind: str = "", prefecture: str = "", status: str = "",
                  sort: str = "relevance") -> SearchResult:
    """Notices whose searchable fields contain every term (after normalisation), filtered and sorted."""
    query = parse_query(text)
    notices = notice_list(kind=kind)
    if prefecture:
        notices = notices.filter(municipality__prefecture__code=prefecture)
    if status in NoticeStatus.values:
        notices = notices.filter(current_status=status)
    elif status == CLOSING_SOON:
        today = timezone.localdate()
        notices = notices.filter(current_status=NoticeStatus.OPEN, final_deadline__gte=today,
                                 final_deadline__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS))
    searching = bool(query.clauses or query.ignored)
    if searching:
        if query.is_empty:
            return SearchResult(notices.none(), query)
        notices = get_index().filter(notices, query)
        if query.needs_check:  # terms with separators: the index narrows, the definition decides
            candidates = notices.select_related("municipality__prefecture")
            ids = [n.pk for n in candidates if reference_match(query, [notice_fields(n)[0], *notice_fields(n)[1]])]
            notices = notices.filter(pk__in=ids)
    deadline = F("final_deadline").asc(nulls_last=True)
    if sort == "deadline":
        order = [deadline, "-id"]
    elif sort == "newest":
        order = ["-published_on", "-id"]
    elif sort == "budget":
        order = [F("budget_yen").desc(nulls_last=True), "-id"]
    elif searching:
        order = ["rank", deadline, "-id"]
    else:
        order = ["-published_on", "-id"]
    return SearchResult(notices.order_by(*order), query)


def notice_search_facets(notices: QuerySet[Notice]) -> dict[str, dict[str, int]]:
    """Counts by kind, prefecture and status of the notices a search found (three grouped queries)."""
    found = Notice.objects.with_status().filter(pk__in=notices.order_by().values("pk")).order_by()
    return {
        "kind": dict(found.values_list("kind").annotate(n=Count("id"))),
        "prefecture": dict(found.values_list("municipality__prefecture__code").annotate(n=Count("id"))),
        "status": dict(found.values_list("current_status").annotate(n=Count("id"))),
    }

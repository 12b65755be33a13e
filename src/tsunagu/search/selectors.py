"""Reads for search: one selector answers every search, whatever the backend."""

from dataclasses import dataclass

from django.db.models import F, QuerySet

from tsunagu.notices.models import Notice, NoticeStatus
from tsunagu.notices.selectors import notice_list

from .analysis import Query, parse_query, reference_match
from .index import get_index, notice_fields

SORTS = ("relevance", "deadline", "newest", "budget")


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

"""Reads for search: one selector answers every search, whatever the engine."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tsunagu.notices.models import Notice, NoticeStatus
from tsunagu.notices.selectors import notice_list

from .analysis import Query, parse_query, reference_match
from .criteria import CLOSING_SOON, CLOSING_SOON_DAYS, SearchFilters
from .documents import notice_field_texts
from .engine import TantivyHits
from .index import get_index, uses_embedded_engine


class DatabaseHits:
    """The notices a search found with the database's own index: a queryset, read the way `TantivyHits` is."""

    def __init__(self, notices: QuerySet[Notice]) -> None:
        self.notices = notices

    def count(self) -> int:
        return self.notices.count()

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return self.notices.exists()

    def ids(self) -> list[int]:
        return list(self.notices.values_list("pk", flat=True))

    def __getitem__(self, item: slice) -> list[Notice]:
        return list(self.notices[item])

    def __iter__(self):
        return iter(self.notices)

    def facets(self, *, municipalities: bool = False, page: slice | None = None) -> dict[str, dict[str, int]]:
        return notice_search_facets(self.notices, municipalities=municipalities)


@dataclass
class SearchResult:
    notices: TantivyHits | DatabaseHits
    query: Query

    def facets(self, *, municipalities: bool = False, page: slice | None = None) -> dict[str, dict[str, int]]:
        """Counts of what was found by kind, prefecture, status (and 団体コード, the level below a prefecture).
        `page`: the slice of notices the caller shows next, which the embedded engine reads while it counts."""
        return self.notices.facets(municipalities=municipalities, page=page)


def _checked(query: Query, candidates: list[int]) -> list[int]:
    """Terms with separators: the index narrowed the notices down, the definition decides (in chunks)."""
    matching = []
    for start in range(0, len(candidates), 1000):
        chunk = Notice.objects.filter(pk__in=candidates[start : start + 1000]).select_related("municipality__prefecture")
        matching += [n.pk for n in chunk if reference_match(query, notice_field_texts(n))]
    return matching

def _filtered(notices: QuerySet[Notice], f: SearchFilters) -> QuerySet[Notice]:
    if f.prefecture:
        notices = notices.filter(municipality__prefecture__code=f.prefecture)
    if f.municipality:
        notices = notices.filter(municipality__lg_code=f.municipality)
    if f.category:
        if connection.vendor == "postgresql":
            notices = notices.filter(categories__contains=[f.category])
        else:  # SQLite has no JSON containment lookup: ask json_each
            notices = notices.filter(pk__in=RawSQL(
                "SELECT n.id FROM notices_notice n, json_each(n.categories) e WHERE e.value = %s", [f.category]))
    if f.status in NoticeStatus.values:
        notices = notices.filter(current_status=f.status)
    elif f.status == CLOSING_SOON:
        today = timezone.localdate()
        notices = notices.filter(current_status=NoticeStatus.OPEN, final_deadline__gte=today,
                                 final_deadline__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS))
    if f.npo_eligible is not None:
        notices = notices.filter(npo_eligible=f.npo_eligible)
    if f.deadline_from:
        notices = notices.filter(final_deadline__gte=f.deadline_from)
    if f.deadline_to:
        notices = notices.filter(final_deadline__lte=f.deadline_to)
    if f.published_from:
        notices = notices.filter(published_on__gte=f.published_from)
    if f.published_to:
        notices = notices.filter(published_on__lte=f.published_to)
    if f.budget_min is not None:
        notices = notices.filter(budget_yen__gte=f.budget_min)
    if f.budget_max is not None:
        notices = notices.filter(budget_yen__lte=f.budget_max)
    return notices


def notice_search(*, text: str = "", filters: SearchFilters | None = None, sort: str = "relevance") -> SearchResult:
    """Notices whose searchable fields contain every term (after normalisation), filtered and sorted."""
    filters = filters or SearchFilters()
    query = parse_query(text)
    searching = bool(query.clauses or query.ignored)
    if searching and query.is_empty:
        return SearchResult(DatabaseHits(Notice.objects.none()), query)
    if uses_embedded_engine():
        only_ids = None
        if searching and query.needs_check:
            only_ids = _checked(query, TantivyHits(query=query, filters=filters, sort="newest").ids())
        return SearchResult(TantivyHits(query=query, filters=filters, sort=sort, only_ids=only_ids), query)
    return SearchResult(DatabaseHits(_database_search(query, filters, sort)), query)


def _database_search(query: Query, filters: SearchFilters, sort: str) -> QuerySet[Notice]:
    notices = _filtered(notice_list(kind=filters.kind), filters)
    searching = bool(query.clauses)
    if searching:
        notices = get_index().filter(notices, query)
        if query.needs_check:
            notices = notices.filter(pk__in=_checked(query, list(notices.values_list("pk", flat=True))))
    deadline = F("final_deadline").asc(nulls_last=True)
    if sort == "deadline":
        order = [deadline, "-id"]
    elif sort == "newest":
        order = ["-published_on", "-id"]
    elif sort == "budget":
        order = [F("budget_yen").desc(nulls_last=True), "-id"]
    elif searching:
        order = [_relevance(notices, query), deadline, "-id"]
    else:
        order = ["-published_on", "-id"]
    return notices.order_by(*order)


RANKED = 200  # relevance orders the best this many; the rest follow by deadline
RANK_CANDIDATES = 5000


def _relevance(notices: QuerySet[Notice], query: Query):
    """Rank on fewer candidates: the index's best matches (title first), cut to those the filters keep, get
    their order; every other match ranks after them. Exact results, and the sort stays in SQL."""
    candidates = get_index().best(query, RANK_CANDIDATES)
    kept = set(notices.filter(pk__in=candidates).values_list("pk", flat=True)) if candidates else set()
    ranked = [pk for pk in candidates if pk in kept][:RANKED]
    if not ranked:
        return Value(0)
    return Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)), default=Value(len(ranked)),
                output_field=IntegerField())


def notice_search_facets(notices: QuerySet[Notice], *, municipalities: bool = False) -> dict[str, dict[str, int]]:
    """Counts by kind, prefecture and status of the notices a search found (grouped queries); with
    `municipalities` (a prefecture is chosen), by 団体コード too, the next level of the hierarchy."""
    ids = notices.order_by().values("pk")
    found = Notice.objects.filter(pk__in=ids).order_by()  # the status annotation only where it is counted
    facets = {
        "kind": dict(found.values_list("kind").annotate(n=Count("id"))),
        "prefecture": dict(found.values_list("municipality__prefecture__code").annotate(n=Count("id"))),
        "status": dict(Notice.objects.with_status().filter(pk__in=ids).order_by()
                       .values_list("current_status").annotate(n=Count("id"))),
    }
    if municipalities:
        facets["municipality"] = dict(found.values_list("municipality__lg_code").annotate(n=Count("id")))
    return facets

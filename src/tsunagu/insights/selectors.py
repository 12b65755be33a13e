"""Reads for analytics: one function counts any set of notices (a search, a municipality's calls), and one any set
of awards (a supplier's wins). Everything is grouped SQL over the facts; Python only sums the groups and takes
medians from counted values, so the numbers are exact and the same on SQLite and PostgreSQL."""

import datetime
import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.expressions import RawSQL
from django.utils import timezone

from tsunagu.municipalities.models import Municipality, Prefecture
from tsunagu.notices.models import Award, NoticeKind, NoticeStatus, Organisation
from tsunagu.search.criteria import CLOSING_SOON, CLOSING_SOON_DAYS, SearchFilters
from tsunagu.search.selectors import DatabaseHits, notice_search

from .bins import BIDDERS_BINS, BIDDERS_LOWER, BUDGET_BINS, RATIO_BINS, RATIO_LOWER, Bin, bin_index
from .models import AwardFact, CategoryFact, NoticeFact

TOP_WINNERS = 10


@dataclass
class Bucket:
    key: str
    label: str
    count: int


@dataclass
class Distribution:
    buckets: list[Bucket]
    unknown: int = 0  # no value (no 上限額, no 応札者数...)
    median: Decimal | None = None

    @property
    def counted(self) -> int:
        return sum(b.count for b in self.buckets)


@dataclass
class Breakdown:
    key: str
    label: str
    notices: int  # 公募の件数
    awarded: int  # 結果が公表された公募


@dataclass
class Winner:
    organisation: Organisation
    wins: int
    total_amount: int  # 落札金額の合計 (as published, tax bases mixed)
    median_ratio: Decimal | None


@dataclass
class Analytics:
    notices: int = 0
    awarded: int = 0  # notices with at least one result
    awards: int = 0  # results (a grant call may have several)
    budget: Distribution = field(default_factory=lambda: Distribution([]))
    ratio: Distribution = field(default_factory=lambda: Distribution([]))
    ratio_missing: dict[str, int] = field(default_factory=dict)  # why an award has no 落札率 → count
    bidders: Distribution = field(default_factory=lambda: Distribution([]))
    by_kind: list[Breakdown] = field(default_factory=list)
    by_category: list[Breakdown] = field(default_factory=list)
    by_prefecture: list[Breakdown] = field(default_factory=list)
    by_fiscal_year: list[Breakdown] = field(default_factory=list)
    top_winners: list[Winner] = field(default_factory=list)

    @property
    def ratio_missing_total(self) -> int:
        return sum(self.ratio_missing.values())


# -- which notices -----------------------------------------------------------------------------------------------


def _ids_subquery(ids: list[int]) -> RawSQL:
    """A long list of ids as one parameter (SQLite caps the number of parameters; PostgreSQL plans one array)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


_temporary_names = itertools.count()


@contextmanager
def _materialised(selection: "Selection") -> Iterator["Selection"]:
    """On SQLite, the search engine's ids in a temporary table keyed by id for the time of the counts.

    Why: SQLite answers `IN (SELECT value FROM json_each(...))` by building a throwaway index of the ids for every
    query (a fifth of a second for 200,000 ids, each time); a table with the ids as its key, filled once in id order,
    is probed directly by all of them. Each call gets its own table (dropped afterwards), so two selections on one
    connection never see each other's ids. PostgreSQL hashes the unnest()ed array by itself: nothing to do."""
    if selection.ids is None or connection.vendor != "sqlite":
        yield selection
        return
    name = f"insights_selected_{next(_temporary_names)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE {name} (id INTEGER PRIMARY KEY)")
        try:
            cursor.execute(f"INSERT INTO {name} SELECT value FROM json_each(%s)", [json.dumps(sorted(selection.ids))])
            yield replace(selection, condition=Q(notice_id__in=RawSQL(f"SELECT id FROM temp.{name}", ())))
        finally:
            cursor.execute(f"DROP TABLE temp.{name}")


def _status_q(status: str, today: datetime.date) -> Q:
    """`Notice.status_on` over the facts: 中止 > 結果公表 > 予定 > 締切 > 募集中."""
    live = Q(cancelled=False, results=0)
    published = live & Q(published_on__lte=today)
    return {
        NoticeStatus.CANCELLED: Q(cancelled=True),
        NoticeStatus.AWARDED: Q(cancelled=False, results__gt=0),
        NoticeStatus.PLANNED: live & Q(published_on__gt=today),
        NoticeStatus.CLOSED: published & Q(final_deadline__lt=today),
        NoticeStatus.OPEN: published & (Q(final_deadline__isnull=True) | Q(final_deadline__gte=today)),
    }[status]


@dataclass(frozen=True)
class Selection:
    """Which notices to count, as one condition on the notice dimensions that every fact table carries."""

    condition: Q
    by_id: bool = False  # a list of ids from the search engine: each fact is looked up, not scanned through an index
    kind: str = ""  # the one kind the condition keeps, if it pins one
    ids: tuple[int, ...] | None = None  # the search engine's ids, which `condition` keeps (see _materialised)

    def of(self, model) -> QuerySet:
        """The facts of these notices in `model`: the condition is tested on the fact's own copy of the dimensions,
        so the common filters read one index range per table (see the indexes in models.py)."""
        return model.objects.filter(self.condition).order_by()


def selection_filtered(filters: SearchFilters, *, today: datetime.date | None = None) -> Selection:
    """The notices a filter-only search finds: the rules of `search.selectors` over the fact columns (a parity
    test holds the two together)."""
    today = today or timezone.localdate()
    f = filters
    kind = f.kind if f.kind in NoticeKind.values else ""
    q = Q(kind=kind) if kind else Q()
    if f.prefecture:
        q &= Q(prefecture=f.prefecture)
    if f.municipality:
        q &= Q(municipality_id__in=Subquery(Municipality.objects.filter(lg_code=f.municipality).values("pk")))
    if f.category:
        q &= Q(notice_id__in=CategoryFact.objects.filter(category=f.category).values("notice_id"))
    if f.status in NoticeStatus.values:
        q &= _status_q(f.status, today)
    elif f.status == CLOSING_SOON:
        q &= _status_q(NoticeStatus.OPEN, today) & Q(
            final_deadline__gte=today, final_deadline__lte=today + datetime.timedelta(days=CLOSING_SOON_DAYS))
    if f.npo_eligible is not None:
        q &= Q(npo_eligible=f.npo_eligible)
    for name, lookup in (("deadline_from", "final_deadline__gte"), ("deadline_to", "final_deadline__lte"),
                         ("published_from", "published_on__gte"), ("published_to", "published_on__lte"),
                         ("budget_min", "budget_yen__gte"), ("budget_max", "budget_yen__lte")):
        if getattr(f, name) is not None:
            q &= Q(**{lookup: getattr(f, name)})
    return Selection(q, kind=kind)


def selection_for_search(*, text: str = "", filters: SearchFilters | None = None) -> Selection:
    """Exactly the notices the search page finds for this query and these filters.

    A text query asks the search engine (its ids, or the database index's own query as a subquery); filters
    alone stay in SQL over the facts."""
    filters = filters or SearchFilters()
    if not text.strip():
        return selection_filtered(filters)
    found = notice_search(text=text, filters=filters, sort="newest").notices
    if isinstance(found, DatabaseHits):
        return Selection(Q(notice_id__in=found.notices.order_by().values("pk")), by_id=True)
    ids = found.ids()
    return Selection(Q(notice_id__in=_ids_subquery(ids)) if ids else Q(pk__in=[]), by_id=True, ids=tuple(ids))


# -- counting ----------------------------------------------------------------------------------------------------


def _distribution(bins: tuple[Bin, ...], counts: dict[int, int], unknown: int = 0) -> Distribution:
    return Distribution([Bucket(b.key, str(b.label), counts.get(i, 0)) for i, b in enumerate(bins)], unknown=unknown)


def _median(counted: dict[int, int]) -> Decimal | None:
    """The median of values given with their counts (the mean of the two middle ones for an even total)."""
    total = sum(counted.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)
    found, seen = [], 0
    for value in sorted(counted):
        n = counted[value]
        found += [value for position in middle if seen <= position < seen + n]
        seen += n
    return Decimal(found[0] + found[1]) / 2


def _ratio(parts: Decimal | None) -> Decimal | None:
    """Parts per 10,000 → 落札率 (0.9234)."""
    return None if parts is None else (parts / 10_000).quantize(Decimal("0.00001")).normalize()


def _breakdown(rows: dict, labels: dict[str, str], *, order_by_key: bool = False) -> list[Breakdown]:
    items = [Breakdown(str(key), labels.get(key, str(key)), n, awarded) for key, (n, awarded) in rows.items()]
    if order_by_key:
        return sorted(items, key=lambda b: b.key)
    return sorted(items, key=lambda b: (-b.notices, b.key))


def _fiscal_year_label(year: int) -> str:
    from django.utils.translation import gettext as _

    return _("%(year)s年度") % {"year": year}


def analytics_for(selection: Selection) -> Analytics:
    """Every number of the analytics page for these notices.

    The notice dimensions come from one grouped pass (by kind, 年度, prefecture and budget bin); filtered by kind,
    it reads one index in GROUP BY order. Categories, 落札率 and winners are one grouped query each, through
    indexes that start with the kind and hold the counted column, so SQLite counts index entries in order
    rather than sorting rows. Ids from the search engine: each fact is looked up once per table, through a
    temporary table of the ids on SQLite."""
    with _materialised(selection) as materialised:
        return _analytics(materialised)


def _analytics(selection: Selection) -> Analytics:
    notices = selection.of(NoticeFact)
    result = Analytics()
    awarded = Count("results", filter=Q(results__gt=0))  # COUNT(*) where it can: COUNT(pk) reads every row
    by = _notice_groups(notices, with_bidders=selection.by_id, one_kind=bool(selection.kind))
    if not selection.by_id:
        by["bidders"] = dict(notices.filter(results__gt=0).values_list("bidders").annotate(n=Count("*")))
    result.notices = sum(n for n, _a, _r in by["fiscal_year"].values())
    if not result.notices:
        return result
    result.awarded = sum(a for _n, a, _r in by["fiscal_year"].values())
    result.awards = sum(r for _n, _a, r in by["fiscal_year"].values())
    if selection.kind:  # its row is the total
        by["kind"] = {selection.kind: (result.notices, result.awarded, result.awards)}
    budget = {key: n for key, (n, _a, _r) in by["budget_bin"].items()}
    result.budget = _distribution(BUDGET_BINS, budget, budget.pop(None, 0))
    bidders = dict(by["bidders"])
    unknown = bidders.pop(None, 0)
    result.bidders = _distribution(BIDDERS_BINS, _binned(BIDDERS_LOWER, bidders), unknown)
    result.bidders.median = _median(bidders)
    years = {key: (n, a) for key, (n, a, _r) in by["fiscal_year"].items()}
    result.by_fiscal_year = _breakdown(years, {y: _fiscal_year_label(y) for y in years}, order_by_key=True)
    result.by_kind = _breakdown({key: (n, a) for key, (n, a, _r) in by["kind"].items()},
                                {k.value: str(k.label) for k in NoticeKind})
    result.by_prefecture = _breakdown({key: (n, a) for key, (n, a, _r) in by["prefecture"].items()},
                                      dict(Prefecture.objects.values_list("code", "name")))

    def grouped(queryset, column) -> dict:
        return {key: (n, a) for key, n, a in queryset.values_list(column).annotate(n=Count("*"), a=awarded)}

    result.by_category = _breakdown(grouped(selection.of(CategoryFact), "category"), {})
    awards = selection.of(AwardFact)
    if selection.by_id:
        _count_awards_in_one_pass(result, awards)
    else:
        _count_ratios(result, awards)
        result.top_winners = _top_winners(awards)
    return result


def _notice_groups(notices: QuerySet[NoticeFact], *, with_bidders: bool, one_kind: bool) -> dict[str, dict]:
    """The notice dimensions from one grouped pass: {dimension: {value: (notices, awarded, awards)}}, and with
    `with_bidders` bidders: {value: awarded notices}. Filtered by kind, the pass reads one index in GROUP BY order
    (fact_kind_cube_idx); notices looked up by id are each looked up once instead of once per dimension."""
    columns = ["fiscal_year", "prefecture", "budget_bin"]
    if not one_kind:  # one kind chosen: grouping by it again would only cost the index order
        columns.insert(0, "kind")
    if with_bidders:
        columns.append("bidders")
    by: dict[str, dict] = {name: {} for name in columns if name != "bidders"}
    bidders: Counter = Counter()
    groups = notices.values_list(*columns).annotate(
        n=Count("*"), a=Count("results", filter=Q(results__gt=0)), awards=Sum("results"))
    for *keys, n, a, awards in groups:
        values = dict(zip(columns, keys, strict=True))
        for name in by:
            total = by[name].get(values[name], (0, 0, 0))
            by[name][values[name]] = (total[0] + n, total[1] + a, total[2] + (awards or 0))
        if with_bidders and a:
            bidders[values["bidders"]] += a
    if with_bidders:
        by["bidders"] = bidders
    return by


def _binned(lower: tuple[int, ...], counted: Counter) -> dict[int, int]:
    binned: Counter = Counter()
    for value, n in counted.items():
        index = bin_index(lower, value)
        if index is not None:
            binned[index] += n
    return binned


def _count_ratios(result: Analytics, awards: QuerySet[AwardFact]) -> None:
    """The 落札率 distribution and median from the distinct ratios and their counts; the awards left out by reason."""
    _set_ratios(result, awards.order_by().values_list("ratio", "ratio_missing").annotate(n=Count("*")))


def _set_ratios(result: Analytics, groups) -> None:
    """`result.ratio` and `result.ratio_missing` from (ratio, why missing, count) groups."""
    ratios: Counter = Counter()
    missing: Counter = Counter()
    for ratio, reason, n in groups:
        if ratio is None:
            missing[reason] += n
        else:
            ratios[ratio] += n
    result.ratio = _distribution(RATIO_BINS, _binned(RATIO_LOWER, ratios), unknown=sum(missing.values()))
    result.ratio.median = _ratio(_median(ratios))
    result.ratio_missing = {reason.value: missing[reason.value] for reason in AwardFact.Missing
                            if reason.value and missing[reason.value]}


def _count_awards_in_one_pass(result: Analytics, awards: QuerySet[AwardFact], limit: int = TOP_WINNERS) -> None:
    """The 落札率 counts and the top winners from one grouped read of the awards, for ids from the search engine:
    each award is looked up once (through awardfact_notice_idx, which holds every column read here) instead of
    once per query. The same numbers as `_count_ratios` and `_top_winners`; the groups are summed in Python."""
    by_ratio: Counter = Counter()
    wins: Counter = Counter()
    totals: dict[int, int | None] = {}
    ratios: dict[int, Counter] = {}
    for winner, ratio, reason, n, amount in (awards.values_list("winner", "ratio", "ratio_missing")
                                             .annotate(n=Count("*"), amount=Sum("amount_yen"))):
        by_ratio[ratio, reason] += n
        wins[winner] += n
        if amount is not None:  # SUM over no amounts is NULL, as in `_top_winners`
            totals[winner] = totals.get(winner, 0) + amount
        if ratio is not None:
            ratios.setdefault(winner, Counter())[ratio] += n
    _set_ratios(result, ((ratio, reason, n) for (ratio, reason), n in by_ratio.items()))
    # `_top_winners`' order: more wins, then the larger total (a winner without amounts after any amount, as SQLite
    # sorts NULL), then the older record.
    top = sorted(wins, key=lambda w: (-wins[w], -totals[w] if w in totals else 1, w))[:limit]
    organisations = Organisation.objects.in_bulk(top)
    result.top_winners = [Winner(organisations[w], wins[w], totals.get(w) or 0, _ratio(_median(ratios.get(w, {}))))
                          for w in top]


def _top_winners(awards: QuerySet[AwardFact], limit: int = TOP_WINNERS) -> list[Winner]:
    """Most wins first (then the larger total, then the older organisation): names and medians for those only."""
    top = list(awards.order_by().values_list("winner").annotate(wins=Count("*"), total=Sum("amount_yen"))
               .order_by("-wins", "-total", "winner")[:limit])
    if not top:
        return []
    ratios: dict[int, Counter] = {}
    for winner, ratio, n in (awards.filter(winner__in=[w for w, _n, _t in top], ratio__isnull=False).order_by()
                             .values_list("winner", "ratio").annotate(n=Count("*"))):
        ratios.setdefault(winner, Counter())[ratio] += n
    organisations = Organisation.objects.in_bulk([w for w, _n, _t in top])
    return [Winner(organisations[w], wins, total or 0, _ratio(_median(ratios.get(w, {})))) for w, wins, total in top]


def analytics_for_search(*, text: str = "", filters: SearchFilters | None = None) -> Analytics:
    return analytics_for(selection_for_search(text=text, filters=filters))


def analytics_for_municipality(municipality: Municipality) -> Analytics:
    """The buyer's side: the same numbers for one local government's calls."""
    return analytics_for(Selection(Q(municipality_id=municipality.pk)))


# -- suppliers ---------------------------------------------------------------------------------------------------

RECENT_AWARDS = 20
HOUJIN_BANGOU_URL = "https://www.houjin-bangou.nta.go.jp/henkorireki-johoto.html?selHouzinNo={}"


def corporate_number_url(number: str | None) -> str | None:
    """The 国税庁法人番号公表サイト page of a 法人番号 (None without one)."""
    return HOUJIN_BANGOU_URL.format(number) if number else None


@dataclass
class OrganisationProfile:
    organisation: Organisation
    wins: int
    total_amount: int
    median_ratio: Decimal | None
    ratio: Distribution
    by_fiscal_year: list[Breakdown]
    by_prefecture: list[Breakdown]
    by_category: list[Breakdown]
    by_kind: list[Breakdown]
    municipalities: list[tuple[Municipality, int]]  # local governments worked with, most wins first
    recent_awards: list[Award]

    @property
    def corporate_number_url(self) -> str | None:
        return corporate_number_url(self.organisation.corporate_number)


def _wins_by(awards: QuerySet[AwardFact], column: str, labels: dict, *, order_by_key: bool = False) -> list[Breakdown]:
    rows = awards.order_by().values_list(column).annotate(n=Count("*"))
    return _breakdown({key: (n, n) for key, n in rows}, labels, order_by_key=order_by_key)


def organisation_profile(organisation: Organisation) -> OrganisationProfile:
    """A supplier's record: its wins by 年度, region, 分野 and kind, its typical 落札率, the buyers it worked for."""
    awards = AwardFact.objects.filter(winner=organisation)
    totals = awards.aggregate(wins=Count("*"), total=Sum("amount_yen"))
    result = Analytics()
    _count_ratios(result, awards)
    years = _wins_by(awards, "fiscal_year", {}, order_by_key=True)
    for year in years:
        year.label = _fiscal_year_label(int(year.key))
    categories = (CategoryFact.objects.filter(notice_id__in=awards.values("notice_id")).order_by()
                  .values_list("category").annotate(n=Count("*")))
    by_municipality = list(awards.order_by().values_list("municipality").annotate(n=Count("*"))
                           .order_by("-n", "municipality")[:50])
    places = Municipality.objects.select_related("prefecture").in_bulk([m for m, _n in by_municipality])
    return OrganisationProfile(
        organisation=organisation,
        wins=totals["wins"],
        total_amount=totals["total"] or 0,
        median_ratio=result.ratio.median,
        ratio=result.ratio,
        by_fiscal_year=years,
        by_prefecture=_wins_by(awards, "prefecture", dict(Prefecture.objects.values_list("code", "name"))),
        by_category=_breakdown({c: (n, n) for c, n in categories}, {}),
        by_kind=_wins_by(awards, "kind", {k.value: str(k.label) for k in NoticeKind}),
        municipalities=[(places[m], n) for m, n in by_municipality],
        recent_awards=list(Award.objects.filter(winner=organisation)
                           .select_related("notice__municipality__prefecture").order_by("-awarded_on", "-id")[:RECENT_AWARDS]),
    )


def organisation_search(*, text: str = "") -> QuerySet[Organisation]:
    """Suppliers by name (㈱ and 株式会社 alike, width and case ignored) or by 法人番号, most wins first."""
    from tsunagu.core.text import organisation_name_key

    organisations = Organisation.objects.all()
    text = text.strip()
    if text:
        digits = text.replace("-", "")
        if digits.isdigit() and len(digits) == 13:
            organisations = organisations.filter(corporate_number=digits)
        else:
            organisations = organisations.filter(normalized_name__contains=organisation_name_key(text))
    # Counted on the award facts' (winner, …) index: joining the award rows themselves reads every one of them.
    wins = (AwardFact.objects.filter(winner=OuterRef("pk")).order_by().values("winner")
            .annotate(n=Count("*")).values("n"))
    return organisations.annotate(wins=Coalesce(Subquery(wins), 0)).order_by("-wins", "name", "pk")


def fiscal_year_range(year: int) -> tuple[datetime.date, datetime.date]:
    """年度 `year`: 1 April of that year to 31 March of the next."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def award_list(*, notice: int | None = None, winner: int | None = None, municipality: str = "",
               fiscal_year: int | None = None) -> QuerySet[Award]:
    """Results, newest decision first; by notice, winner, 団体コード and 年度 (of the notice's publication)."""
    awards = Award.objects.select_related("notice__municipality__prefecture", "winner")
    if notice is not None:
        awards = awards.filter(notice_id=notice)
    if winner is not None:
        awards = awards.filter(winner_id=winner)
    if municipality:
        awards = awards.filter(notice__municipality__lg_code=municipality)
    if fiscal_year is not None:
        first, last = fiscal_year_range(fiscal_year)
        awards = awards.filter(notice__published_on__gte=first, notice__published_on__lte=last)
    return awards.order_by(F("awarded_on").desc(nulls_last=True), "-id")

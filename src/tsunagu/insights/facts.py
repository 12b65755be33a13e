"""Keeping the analytics facts in step with the notices and awards (see models.py for why they exist).

`facts_refresh(notice_ids=...)` rewrites the facts of those notices from the records, in the caller's transaction;
the receivers call it on every write the search index follows. `facts_rebuild()` writes them all anew and
`facts_check()` lists the notices whose facts differ from what the records say.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.db import connection, transaction

from tsunagu.notices.models import Award, Notice

from .bins import BUDGET_LOWER, bin_index
from .models import AwardFact, CategoryFact, NoticeFact

CHUNK = 2000
DIMENSIONS = ("kind", "prefecture", "municipality", "fiscal_year", "published_on", "final_deadline", "budget_yen",
              "npo_eligible", "cancelled", "results")
NOTICE_COLUMNS = ("notice", *DIMENSIONS, "budget_bin", "bidders")
AWARD_COLUMNS = ("award", *DIMENSIONS, "notice", "winner", "amount_yen", "ratio", "ratio_missing", "awarded_on")
CATEGORY_COLUMNS = (*DIMENSIONS, "notice", "category")


def ratio_missing(award: Award) -> str:
    """Why `Award.award_ratio` is None, checked in its own order ("" when there is a ratio)."""
    if award.award_ratio is not None:
        return AwardFact.Missing.NONE
    if award.amount_yen is None:
        return AwardFact.Missing.NO_AMOUNT
    if not award.estimated_value_yen:
        return AwardFact.Missing.NO_ESTIMATE
    if award.amount_tax_basis != award.estimated_value_tax_basis:
        return AwardFact.Missing.BASIS_DIFFERS
    return AwardFact.Missing.BASIS_UNKNOWN


def _fact_rows(ids: list[int]) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The fact rows (notice, award, category) of these notices, as values in NOTICE/AWARD_COLUMNS order."""
    date = connection.ops.adapt_datefield_value
    awards: dict[int, list[Award]] = {}
    for award in Award.objects.filter(notice_id__in=ids).only(
            "notice_id", "winner_id", "amount_yen", "amount_tax_basis", "estimated_value_yen",
            "estimated_value_tax_basis", "bidders", "awarded_on"):
        awards.setdefault(award.notice_id, []).append(award)
    notices = (Notice.objects.filter(pk__in=ids).select_related("municipality__prefecture")
               .only("kind", "municipality__prefecture__code", "municipality_id", "published_on", "application_deadline",
                     "submission_deadline", "budget_yen", "npo_eligible", "cancelled", "categories"))
    notice_rows, award_rows, category_rows = [], [], []
    for n in notices:
        results = awards.get(n.pk, [])
        bidders = [a.bidders for a in results if a.bidders is not None]
        dimensions = (n.kind, n.municipality.prefecture.code, n.municipality_id, n.fiscal_year, date(n.published_on),
                      date(n.last_deadline), n.budget_yen, n.npo_eligible, n.cancelled, len(results))
        notice_rows.append((n.pk, *dimensions, bin_index(BUDGET_LOWER, n.budget_yen), max(bidders) if bidders else None))
        for a in results:
            ratio = a.award_ratio
            parts = int(ratio * 10_000) if ratio is not None else None
            missing = AwardFact.Missing.NONE if ratio is not None else ratio_missing(a)
            award_rows.append((a.pk, *dimensions, n.pk, a.winner_id, a.amount_yen, parts, missing,
                               date(a.awarded_on)))
        category_rows += [(*dimensions, n.pk, c) for c in dict.fromkeys(n.categories or []) if isinstance(c, str)]
    return notice_rows, award_rows, category_rows


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    opts = model._meta
    quote = connection.ops.quote_name
    names = ", ".join(quote(opts.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def facts_delete(*, notice_ids: Iterable[int]) -> None:
    """Remove the facts of these notices (they are about to go, or are rewritten)."""
    for chunk in _chunks(notice_ids):
        CategoryFact.objects.filter(notice_id__in=chunk)._raw_delete(CategoryFact.objects.db)
        AwardFact.objects.filter(notice_id__in=chunk)._raw_delete(AwardFact.objects.db)
        NoticeFact.objects.filter(notice_id__in=chunk)._raw_delete(NoticeFact.objects.db)


@transaction.atomic
def facts_refresh(*, notice_ids: Iterable[int]) -> None:
    """Rewrite the facts of these notices from the records (a notice that no longer exists loses its facts).

    Precondition: the caller has written the notices and their awards (in this transaction or before).
    Guarantee: afterwards the facts of these notices are exactly what `_fact_rows` derives from the records.
    """
    for chunk in _chunks(notice_ids):
        facts_delete(notice_ids=chunk)
        notice_rows, award_rows, category_rows = _fact_rows(chunk)
        _insert(NoticeFact, NOTICE_COLUMNS, notice_rows)
        _insert(AwardFact, AWARD_COLUMNS, award_rows)
        _insert(CategoryFact, CATEGORY_COLUMNS, category_rows)


def facts_rebuild(*, batch_size: int = 5000) -> int:
    """Write every notice's facts anew, one transaction per batch. Returns the number of notices."""
    with transaction.atomic():
        CategoryFact.objects.all()._raw_delete(CategoryFact.objects.db)
        AwardFact.objects.all()._raw_delete(AwardFact.objects.db)
        NoticeFact.objects.all()._raw_delete(NoticeFact.objects.db)
    count, last = 0, 0
    while True:
        ids = list(Notice.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return count
        facts_refresh(notice_ids=ids)
        count += len(ids)
        last = ids[-1]


def _stored(model, columns: tuple[str, ...], key: str, ids: list[int]) -> dict[int, list[tuple]]:
    stored: dict[int, list[tuple]] = {}
    notice = columns.index("notice")
    for row in model.objects.filter(**{f"{key}__in": ids}).values_list(*columns):
        stored.setdefault(row[notice], []).append(row)
    return stored


def facts_check(*, batch_size: int = 5000) -> list[int]:
    """The notices whose facts differ from the records (missing, stale or left over), in id order."""
    date = connection.ops.adapt_datefield_value
    wrong: list[int] = []
    notice_ids = set(Notice.objects.values_list("pk", flat=True))
    fact_ids = set(NoticeFact.objects.values_list("notice_id", flat=True))
    wrong += sorted(fact_ids - notice_ids)
    for chunk in _chunks(notice_ids):
        notice_rows, award_rows, category_rows = _fact_rows(chunk)
        expected = {"n": {}, "a": {}, "c": {}}
        for row in notice_rows:
            expected["n"].setdefault(row[0], []).append(row)
        for row in award_rows:
            expected["a"].setdefault(row[AWARD_COLUMNS.index("notice")], []).append(row)
        for row in category_rows:
            expected["c"].setdefault(row[CATEGORY_COLUMNS.index("notice")], []).append(row)
        stored = {
            "n": _stored(NoticeFact, NOTICE_COLUMNS, "notice_id", chunk),
            "a": _stored(AwardFact, AWARD_COLUMNS, "notice_id", chunk),
            "c": _stored(CategoryFact, CATEGORY_COLUMNS, "notice_id", chunk),
        }
        for pk in chunk:
            for part in "nac":
                want = sorted((tuple(_comparable(v, date) for v in row) for row in expected[part].get(pk, [])), key=repr)
                have = sorted((tuple(_comparable(v, date) for v in row) for row in stored[part].get(pk, [])), key=repr)
                if want != have:
                    wrong.append(pk)
                    break
    return sorted(set(wrong))


def _comparable(value, date):
    """Stored dates come back as dates, expected ones are database-ready: compare them as text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.date):
        return str(date(value))
    return value if value is None or isinstance(value, (int, str, bool)) else str(value)

"""Writes of series: linking notices to their series, leaving it when they go, and the stored prediction.

Linking is a function of the notice alone (municipality, department, title, description) and of the series
that already exist, so running it again changes nothing: `series_link` is idempotent, and
`tsunagu link_series` (which links every notice) can be run at any time.
"""

import functools
import hashlib
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from tsunagu.core.bulk import RowWriter
from tsunagu.notices.identity import notice_series_key
from tsunagu.notices.models import Notice

from .models import CallSeries, SeriesEdition
from .prediction import Edition, predict_next

# Two titles "differ slightly" when their character bigrams overlap this much (Dice coefficient), and then only
# if the descriptions are the same once year markers are removed.
SIMILAR_TITLE = 0.6


@functools.lru_cache(maxsize=65536)  # descriptions repeat from year to year and across calls
def description_key(description: str) -> str:
    """A short key of the description without year markers ('' for none): editions of a call reuse its text."""
    key = notice_series_key(description or "")
    return hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest() if key else ""


def _bigrams(text: str) -> set[str]:
    text = text.replace(" ", "")
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two series keys (1.0: the same)."""
    if a == b:
        return 1.0
    first, second = _bigrams(a), _bigrams(b)
    return 2 * len(first & second) / (len(first) + len(second))


@transaction.atomic
def series_link(*, notice_ids: Iterable[int]) -> int:
    """Put each notice into its series (creating the series when none fits) and refresh the series touched.

    Target: the series of the same municipality and department with the same `notice_series_key`; otherwise
    one with the same description key whose key is at least SIMILAR_TITLE alike (the most alike, then the
    oldest); otherwise a new series. Notices are taken in order of publication, so within one batch a later
    edition finds the series an earlier one founded. Returns how many notices changed series.
    """
    ids = sorted(set(notice_ids))
    if not ids:
        return 0
    rows = sorted(
        Notice.objects.filter(pk__in=ids).values_list("pk", "municipality_id", "department", "title", "description",
                                                      "published_on"),
        key=lambda row: (row[5], row[0]),
    )
    keyed = [(pk, m, dept, notice_series_key(title), description_key(desc)) for pk, m, dept, title, desc, _ in rows]
    munis = {m for _, m, _, _, _ in keyed}
    exact: dict[tuple, int] = {
        (m, dept, key): pk
        for pk, m, dept, key in CallSeries.objects.filter(municipality_id__in=munis, key__in={k for *_, k, _ in keyed})
        .values_list("pk", "municipality_id", "department", "key")
    }
    by_description: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    wanted = {d for *_, d in keyed if d}
    if wanted:
        for pk, m, dept, key, dkey in (
            CallSeries.objects.filter(municipality_id__in=munis, description_key__in=wanted)
            .order_by("pk").values_list("pk", "municipality_id", "department", "key", "description_key")
        ):
            by_description[(m, dept, dkey)].append((pk, key))

    target: dict[int, int | tuple] = {}  # notice id → series id, or the (m, dept, key) of a series to create
    new: dict[tuple, str] = {}  # (m, dept, key) → description key
    for pk, m, dept, key, dkey in keyed:
        found = exact.get((m, dept, key))
        if found is None and dkey:
            # The most alike; on a tie the oldest (candidates are in order of creation).
            alike = [(title_similarity(key, other), -i, sid)
                     for i, (sid, other) in enumerate(by_description.get((m, dept, dkey), ()))]
            best = max(alike, default=None, key=lambda a: a[:2])
            if best is not None and best[0] >= SIMILAR_TITLE:
                found = best[2]
        if found is None:
            found = (m, dept, key)
            new[found] = dkey
            exact[found] = found  # type: ignore[assignment]  (a later edition in this batch joins it)
            if dkey:
                by_description[(m, dept, dkey)].append((found, key))  # type: ignore[arg-type]
        target[pk] = found

    if new:
        # RowWriter, not bulk_create: a demo batch founds thousands of series, and bulk_create's per-value
        # compiler work tripled the demo generator's time. Title, kind and dates are filled by the refresh below.
        specs = list(new.items())
        created = RowWriter(CallSeries, NEW_SERIES_FIELDS, with_ids=True).write(
            [(m, dept, key, dkey, "", "") for (m, dept, key), dkey in specs]
        )
        ids_of_new = {spec: sid for (spec, _dkey), sid in zip(specs, created, strict=True)}
        target = {pk: ids_of_new[t] if isinstance(t, tuple) else t for pk, t in target.items()}

    current = dict(SeriesEdition.objects.filter(notice_id__in=ids).values_list("notice_id", "series_id"))
    moved = [pk for pk, sid in target.items() if pk in current and current[pk] != sid]
    fresh = [(sid, pk) for pk, sid in target.items() if pk not in current]
    by_target: dict[int, list[int]] = defaultdict(list)
    for pk in moved:
        by_target[target[pk]].append(pk)
    for series_id, notice_ids in by_target.items():  # one UPDATE per series the notices move to
        SeriesEdition.objects.filter(notice_id__in=notice_ids).update(series_id=series_id)
    RowWriter(SeriesEdition, ("series", "notice"), with_ids=False).write(fresh)
    touched = set(target.values()) | {current[pk] for pk in moved}
    series_refresh(series_ids=touched)
    return len(moved) + len(fresh)


@transaction.atomic
def series_unlink(*, notice_ids: Iterable[int]) -> None:
    """Take notices out of their series before they are deleted; a series left empty goes too."""
    editions = SeriesEdition.objects.filter(notice_id__in=list(notice_ids))
    touched = set(editions.values_list("series_id", flat=True))
    if touched:
        # A raw delete (no per-row signals or cascade collection): the series are refreshed once, together.
        editions._raw_delete(editions.db)
        series_refresh(series_ids=touched)


@transaction.atomic
def series_refresh(*, series_ids: Iterable[int]) -> None:
    """Recompute what a series stores from its editions: title and kind of the latest, count, dates and the
    predicted next edition. A series without editions is deleted."""
    ids = list(set(series_ids))
    if not ids:
        return
    editions: dict[int, list[tuple]] = defaultdict(list)
    for chunk in _chunks(ids, 5000):
        for row in (
            SeriesEdition.objects.filter(series_id__in=chunk)
            .values_list("series_id", "notice__published_on", "notice_id", "notice__title", "notice__kind",
                         "notice__budget_yen", "notice__cancelled")
        ):
            editions[row[0]].append(row[1:])
    empty = [sid for sid in ids if sid not in editions]
    if empty:
        CallSeries.objects.filter(pk__in=empty).delete()
    updated = []
    for sid, rows in editions.items():
        rows.sort()
        latest = rows[-1]
        # A cancelled call was still planned that year: its date counts, its amount may not have been final.
        prediction = predict_next([Edition(published_on=r[0], budget_yen=None if r[5] else r[4]) for r in rows])
        if prediction is None:
            predicted = (None,) * 7 + (0, None, "")
        else:
            predicted = (
                prediction.fiscal_year, prediction.on, prediction.window_from, prediction.window_to,
                prediction.budget_yen, prediction.budget_low, prediction.budget_high,
                prediction.years, prediction.month, prediction.part,
            )
        # In REFRESHED_FIELDS order, then the id.
        updated.append((latest[2], latest[3], len(rows), rows[0][0], latest[0], *predicted, sid))
    # One UPDATE per row with executemany: bulk_update's CASE WHEN per field is quadratic in the batch on SQLite.
    table = connection.ops.quote_name(CallSeries._meta.db_table)
    columns = ", ".join(f"{connection.ops.quote_name(CallSeries._meta.get_field(f).column)} = %s" for f in REFRESHED_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 (names from the model, values bound)
            updated,
        )


NEW_SERIES_FIELDS = ("municipality", "department", "key", "description_key", "title", "kind")
REFRESHED_FIELDS = [
    "title", "kind", "edition_count", "first_published_on", "last_published_on", "predicted_fiscal_year",
    "predicted_on", "predicted_from", "predicted_to", "predicted_budget_yen", "predicted_budget_low",
    "predicted_budget_high", "basis_years", "basis_month", "basis_part",
]  # fmt: skip


def series_link_all(*, batch_size: int = 5000, progress=None) -> int:
    """Link every notice (one transaction per batch). For data that was there before this app, or after a change
    of the key function; idempotent. Returns how many notices changed series."""
    changed = done = 0
    total = Notice.objects.count()
    last = 0
    while True:
        ids = list(Notice.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        changed += series_link(notice_ids=ids)
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(done, total)
    return changed


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]

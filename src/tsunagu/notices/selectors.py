"""Reads of notices and awards: each selector owns its query shape."""

import datetime
import functools
from collections.abc import Sequence

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from tsunagu.municipalities.models import Municipality, Prefecture

from .models import Award, ImportRun, Notice, NoticeKind, NoticeStatus


def notice_home_summary() -> dict:
    """Counts, the calls closing this week, the latest published calls (a call announced for a later date is
    not news yet) and the open calls per prefecture."""
    today = timezone.localdate()
    open_calls = notice_list().filter(current_status=NoticeStatus.OPEN)
    by_prefecture = list(
        Prefecture.objects.annotate(
            open_count=Count("municipalities__notices", filter=Q(municipalities__notices__in=open_calls.values("pk")))
        ).values("code", "name", "open_count")
    )
    most = max((p["open_count"] for p in by_prefecture), default=0) or 1
    for prefecture in by_prefecture:
        prefecture["percent"] = round(100 * prefecture["open_count"] / most)
    return {
        "notice_count": Notice.objects.count(),
        "award_count": Award.objects.count(),
        "open_count": open_calls.count(),
        "closing_soon": open_calls.filter(final_deadline__gte=today, final_deadline__lte=today + datetime.timedelta(days=7))
        .order_by("final_deadline", "id")[:10],
        "latest_notices": notice_list().filter(published_on__lte=today)[:10],
        "by_prefecture": by_prefecture,
    }


def notice_list(*, kind: str = "") -> QuerySet[Notice]:
    notices = Notice.objects.with_status().select_related("municipality__prefecture")
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    return notices


# A page of search results is read by id on every search. Compiling that statement through the ORM cost as much as
# the search itself, so it is compiled once per number of ids and run as is; the rows become models the ORM's way
# (`from_db`, each column's converters, taken from the calling thread's connection). It reads the compiler's
# `select` and `klass_info`, as Django's own model iterator does (Django is pinned to 5.2).
# Ids are read in chunks so that one statement's parameters stay few.
_ID_CHUNK = 500


@functools.lru_cache(maxsize=64)
def _notices_by_id_statement(alias: str, size: int) -> tuple[str, list, tuple]:
    """(SQL taking `size` ids, the selected columns, how to build the models from a row)."""
    compiler = (Notice.objects.using(alias).select_related("municipality__prefecture").filter(pk__in=range(size))
                .order_by().query.get_compiler(alias))
    sql, params = compiler.as_sql()
    if list(params) != list(range(size)):  # the statement must take exactly the ids as its parameters
        raise RuntimeError("unexpected statement for notices by id")
    columns = [column for column, _sql, _alias in compiler.select]

    def builder(info: dict) -> tuple:
        start, stop = info["select_fields"][0], info["select_fields"][-1] + 1
        attnames = [column.target.attname for column in columns[start:stop]]
        pk_at = start + attnames.index(info["model"]._meta.pk.attname)
        related = tuple((child["field"], builder(child)) for child in info.get("related_klass_infos", ()))
        return info["model"], start, stop, attnames, pk_at, related

    return sql, columns, builder(compiler.klass_info)


def _converted(rows: list[tuple], columns: list, connection) -> list[list]:
    """The rows with each column's database and field converters applied, as the ORM applies them."""
    converters = [(at, functions, column) for at, column in enumerate(columns)
                  if (functions := connection.ops.get_db_converters(column) + column.get_db_converters(connection))]
    out = []
    for row in rows:
        row = list(row)
        for at, functions, column in converters:
            value = row[at]
            for function in functions:
                value = function(value, column, connection)
            row[at] = value
        out.append(row)
    return out


def _build(alias: str, row: list, plan: tuple, seen: dict) -> object:
    """One model (and its related ones) from a row; related objects shared by several rows are built once."""
    model, start, stop, attnames, pk_at, related = plan
    key = (model, row[pk_at])
    if key not in seen:
        obj = model.from_db(alias, attnames, row[start:stop])
        for field, child in related:
            field.set_cached_value(obj, _build(alias, row, child, seen))
        seen[key] = obj
    return seen[key]


def notices_by_id(ids: Sequence[int], *, alias: str = "default") -> dict[int, Notice]:
    """The notices with these ids (those that still exist) with their municipality and prefecture (shared by the
    notices of one municipality), as `in_bulk` on `select_related("municipality__prefecture")` reads them."""
    found: dict[int, Notice] = {}
    ids = list(dict.fromkeys(ids))
    connection = connections[alias]
    for at in range(0, len(ids), _ID_CHUNK):
        chunk = ids[at : at + _ID_CHUNK]
        sql, columns, plan = _notices_by_id_statement(alias, len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            rows = _converted(cursor.fetchall(), columns, connection)
        seen: dict = {}
        for row in rows:
            notice = _build(alias, row, plan, seen)
            found[notice.pk] = notice
    return found


def notice_detail_queryset() -> QuerySet[Notice]:
    return Notice.objects.with_status().select_related("municipality__prefecture", "created_by", "import_run").prefetch_related(
        Prefetch("awards", queryset=Award.objects.select_related("winner")),
        "revisions__changed_by",
    )


def import_runs_for(user) -> QuerySet[ImportRun]:
    return ImportRun.objects.visible_to(user).select_related("created_by")


def notice_same_call_other_years(notice: Notice, *, limit: int = 10) -> list[Notice]:
    """The same call in other years: the other editions of its series (the series app links them on every
    write; see docs/series.md), newest first."""
    return list(
        notice_list()
        .filter(series_edition__series__editions__notice=notice)
        .exclude(pk=notice.pk)
        .prefetch_related(Prefetch("awards", queryset=Award.objects.select_related("winner")))
        .order_by("-published_on", "-id")[:limit]
    )


def municipality_notices_page(*, lg_code: str) -> dict | None:
    """A local government's page: its open and upcoming calls and its latest results (None: no such code)."""
    municipality = Municipality.objects.select_related("prefecture").filter(lg_code=lg_code).first()
    if municipality is None:
        return None
    notices = notice_list().filter(municipality=municipality)
    return {
        "municipality": municipality,
        "open_notices": notices.filter(current_status__in=[NoticeStatus.OPEN, NoticeStatus.PLANNED])
        .order_by(F("final_deadline").asc(nulls_last=True), "-id")[:50],
        "notice_count": notices.count(),
        "awards": Award.objects.filter(notice__municipality=municipality).select_related("notice", "winner")
        .order_by(F("awarded_on").desc(nulls_last=True), "-id")[:20],
        "wards": list(municipality.wards.all()),
    }


def import_progress_key(run_id: int) -> str:
    return f"import-run-progress:{run_id}"


def import_run_progress(run: ImportRun) -> ImportRun:
    """The run with its live progress while it runs (rows_processed / rows_total from the cache, where the import
    writes it outside its own transaction; not saved)."""
    if not run.is_finished:
        live = cache.get(import_progress_key(run.pk))
        if live is not None:
            run.rows_processed, run.rows_total = live
    return run

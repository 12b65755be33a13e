"""Reads of notices and awards: each selector owns its query shape."""

import datetime

from django.core.cache import cache
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

"""Reads of notices and awards: each selector owns its query shape."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tsunagu.municipalities.models import Prefecture

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

"""Reads of notices and awards: each selector owns its query shape."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Award, ImportRun, Notice, NoticeKind


def notice_home_summary() -> dict:
    """Counts and the latest published calls (a call announced for a later date is not news yet)."""
    return {
        "notice_count": Notice.objects.count(),
        "award_count": Award.objects.count(),
        "latest_notices": notice_list().filter(published_on__lte=timezone.localdate())[:10],
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

"""What the OCDS export reads: notices with their municipality and awards, filtered, in a stable order."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.notices.models import Award, Notice, NoticeKind


@dataclass(frozen=True)
class ExportFilters:
    since: datetime.date | None = None  # notices created or changed (or with an award changed) on or after this day
    prefecture: str = ""  # 都道府県コード (13) or name (東京都)
    municipality: str = ""  # 団体コード
    kind: str = ""  # NoticeKind value


EVERYTHING = ExportFilters()


def notices_for_ocds(filters: ExportFilters = EVERYTHING) -> QuerySet[Notice]:
    """Notices in id order with everything a release needs, so a chunked iterator streams them in
    three queries per chunk. Raises DomainError for a filter value that names nothing."""
    from django.utils import timezone

    from tsunagu.municipalities.models import Prefecture

    queryset = Notice.objects.with_status()
    if filters.since:
        start = timezone.make_aware(datetime.datetime.combine(filters.since, datetime.time()))
        changed_award = Award.objects.filter(notice=OuterRef("pk"), updated_at__gte=start)
        queryset = queryset.filter(Q(updated_at__gte=start) | Exists(changed_award))
    if filters.prefecture:
        prefecture = Prefecture.objects.filter(Q(code=filters.prefecture.zfill(2)) | Q(name=filters.prefecture)).first()
        if prefecture is None:
            raise DomainError(_("都道府県「%(value)s」が見つかりません。コード（13）か名称（東京都）で指定してください。")
                              % {"value": filters.prefecture}, field="prefecture")
        queryset = queryset.filter(municipality__prefecture=prefecture)
    if filters.municipality:
        queryset = queryset.filter(municipality__lg_code=filters.municipality)
    if filters.kind:
        if filters.kind not in NoticeKind.values:
            raise DomainError(_("公募種別「%(value)s」は使えません（%(choices)s）。")
                              % {"value": filters.kind, "choices": ", ".join(NoticeKind.values)}, field="kind")
        queryset = queryset.filter(kind=filters.kind)
    awards = Award.objects.select_related("winner").order_by("id")
    return (
        queryset.select_related("municipality__prefecture")
        .prefetch_related(Prefetch("awards", queryset=awards))
        .order_by("id")
    )

"""Coverage: how much of Japan's 1,788 local governments the database covers, and how fresh it is."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from tsunagu.municipalities.models import Municipality, Prefecture
from tsunagu.notices.models import Notice

FRESH_DAYS = 7


@dataclass
class CoverageRow:
    municipality: Municipality
    sources: int
    last_checked: datetime.datetime | None
    published: int
    open_candidates: int

    @property
    def state(self) -> str:
        """fresh (looked at within a week), stale (sources, not looked at lately), none (no source yet)."""
        if not self.sources:
            return "none"
        if self.last_checked and self.last_checked >= timezone.now() - datetime.timedelta(days=FRESH_DAYS):
            return "fresh"
        return "stale"


def fiscal_year_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def coverage(*, prefecture: str = "", today: datetime.date | None = None) -> list[CoverageRow]:
    today = today or timezone.localdate()
    municipalities = Municipality.objects.select_related("prefecture").order_by("lg_code")
    if prefecture:
        municipalities = municipalities.filter(prefecture__code=prefecture)
    municipalities = municipalities.annotate(
        n_sources=Count("sources", filter=Q(sources__active=True), distinct=True),
        last_checked=Max("sources__last_checked_at"),
        open_candidates=Count("candidates", filter=Q(candidates__status="new"), distinct=True),
    )
    published = dict(Notice.objects.filter(published_on__gte=fiscal_year_start(today)).values_list("municipality")
                     .annotate(n=Count("id")))
    return [CoverageRow(m, m.n_sources, m.last_checked, published.get(m.pk, 0), m.open_candidates) for m in municipalities]


def coverage_by_prefecture(rows: list[CoverageRow]) -> list[dict]:
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    summary: dict[str, dict] = {}
    for row in rows:
        code = row.municipality.prefecture.code
        item = summary.setdefault(code, {"prefecture": prefectures[code], "total": 0, "fresh": 0, "stale": 0, "none": 0,
                                         "published": 0})
        item["total"] += 1
        item[row.state] += 1
        item["published"] += row.published
    return [summary[code] for code in sorted(summary)]


def similar_notices(candidate, *, limit: int = 5):
    """Stored calls of the same municipality whose normalised title contains the candidate's (a likely duplicate or
    the call a 訂正公告 corrects)."""
    from tsunagu.core.text import normalize_text

    key = normalize_text(candidate.title)[:20]
    if not key:
        return []
    return list(Notice.objects.filter(municipality=candidate.municipality, title_key__contains=key)[:limit])

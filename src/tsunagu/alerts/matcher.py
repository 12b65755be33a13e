"""The alert matcher: notices written since the last run against every saved search, and followed notices against
what their followers were last told.

A saved search matches a notice stored after the search was saved when `notice_search` with the search's
conditions would find it (the same engine schema and queries, run over an in-memory index of just these notices:
`search.batch.NoticeBatch`). Each (saved search, notice) is recorded once (a unique constraint), so a notice
updated later never alerts again. Followed notices are compared with their `Follow.seen` state: 中止, a deadline
change, a new result and a 訂正 or other update are each recorded once (`FollowAlert`, unique per change)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tsunagu.core.bulk import RowWriter
from tsunagu.notices.models import Award, Notice, NoticeRevision
from tsunagu.search.batch import NoticeBatch

from .criteria import CriteriaReader
from .models import AlertMatch, Follow, FollowAlert, NoticeChange, SavedSearch

BATCH = 10_000
DEADLINE_FIELDS = ("application_deadline", "submission_deadline")
NOT_A_CORRECTION = {*DEADLINE_FIELDS, "application_deadline_time", "submission_deadline_time", "cancelled"}


@dataclass
class MatchReport:
    notices: int = 0
    matches: int = 0
    follow_alerts: int = 0


FIELD_LABELS = {f.name: f.verbose_name for f in Notice._meta.fields}  # what a correction changed, by name

def alerts_match(*, today: datetime.date | None = None) -> MatchReport:
    """Consume the recorded notice changes, oldest first, in batches (each in one transaction: alerts and the
    consumed changes commit together, so a crash repeats a batch and the unique constraints drop the repeats)."""
    report = MatchReport()
    while True:
        changes = list(NoticeChange.objects.order_by("pk").values_list("pk", "notice_id")[:BATCH])
        if not changes:
            return report
        ids = sorted({notice_id for _pk, notice_id in changes})
        with transaction.atomic():
            report.matches += saved_searches_match(notice_ids=ids, today=today)
            report.follow_alerts += follows_check(notice_ids=ids)
            NoticeChange.objects.filter(pk__in=[pk for pk, _n in changes]).delete()
        report.notices += len(ids)


def saved_searches_match(*, notice_ids: list[int], today: datetime.date | None = None,
                         searches: list[SavedSearch] | None = None) -> int:
    """Record an AlertMatch for every active saved search and every notice of `notice_ids` it finds that was
    stored after the search was saved. Returns how many were new."""
    if searches is None:
        searches = list(SavedSearch.objects.filter(paused=False, user__is_active=True)
                        .only("pk", "query_string", "created_at"))
    if not searches or not notice_ids:
        return 0
    batch = NoticeBatch(notice_ids, today=today)
    stored_at = {pk: notice.created_at for pk, notice in batch.notices.items()}
    hits_by_query: dict[str, list[int]] = {}  # many people save the same conditions: answer each once
    reader = CriteriaReader()
    wanted = []
    for search in searches:
        hits = hits_by_query.get(search.query_string)
        if hits is None:
            criteria = reader.read(search.query_string)
            hits = hits_by_query[search.query_string] = batch.matching(criteria.query, criteria.filters)
        wanted += [(search.pk, pk) for pk in hits if stored_at[pk] >= search.created_at]
    if not wanted:
        return 0
    known: set[tuple[int, int]] = set()
    hit_ids = sorted({n for _s, n in wanted})
    for start in range(0, len(hit_ids), 2000):
        known.update(AlertMatch.objects.filter(notice_id__in=hit_ids[start : start + 2000])
                     .values_list("saved_search_id", "notice_id"))
    new = [(s, n) for s, n in wanted if (s, n) not in known]
    # One statement per batch (a day can bring hundreds of thousands of matches). A concurrent run that recorded
    # the same pair first makes this batch's transaction fail; its changes stay recorded and the next run skips it.
    writer = RowWriter(AlertMatch, ["saved_search", "notice"], with_ids=False)
    for start in range(0, len(new), 20_000):
        writer.write(new[start : start + 20_000])
    return len(new)


def notice_state(notice: Notice, *, award_ids: list[int], revision: int) -> dict:
    """What a follower has been told of a notice."""
    return {
        "cancelled": notice.cancelled,
        **{f: getattr(notice, f).isoformat() if getattr(notice, f) else None for f in DEADLINE_FIELDS},
        "awards": sorted(award_ids),
        "revision": revision,
    }


def _deadline_text(state: dict) -> str:
    labels = {"application_deadline": _("参加申込締切"), "submission_deadline": _("提出期限")}
    return "／".join(f"{labels[f]} {state.get(f) or _('なし')}" for f in DEADLINE_FIELDS)


def _changes(follow: Follow, notice: Notice, state: dict, revisions: list[dict], winners: dict[int, str]) -> list[FollowAlert]:
    seen, stamp = follow.seen, int(notice.updated_at.timestamp() * 1_000_000)
    alerts = []
    if state["cancelled"] and not seen.get("cancelled"):
        alerts.append(FollowAlert(follow=follow, kind=FollowAlert.Kind.CANCELLED, key=f"cancelled:{stamp}",
                                  detail=_("この公募は中止になりました。")))
    if any(state[f] != seen.get(f) for f in DEADLINE_FIELDS):
        alerts.append(FollowAlert(follow=follow, kind=FollowAlert.Kind.DEADLINE, key=f"deadline:{stamp}",
                                  detail=_("%(old)s → %(new)s") % {"old": _deadline_text(seen), "new": _deadline_text(state)}))
    for award_id in sorted(set(state["awards"]) - set(seen.get("awards", []))):
        alerts.append(FollowAlert(follow=follow, kind=FollowAlert.Kind.AWARDED, key=f"award:{award_id}",
                                  detail=_("落札者：%(winner)s") % {"winner": winners.get(award_id, "—")}))
    for revision in revisions:
        if revision["pk"] <= seen.get("revision", 0):
            continue
        fields = set(revision["changes"]) - NOT_A_CORRECTION
        awards_only = revision["note"].startswith("落札結果") and revision["kind"] != NoticeRevision.Kind.CORRECTION
        if revision["kind"] == NoticeRevision.Kind.CORRECTION or (fields and not awards_only):
            changed = "・".join(str(FIELD_LABELS.get(f, f)) for f in sorted(fields)) or _("内容")
            alerts.append(FollowAlert(follow=follow, kind=FollowAlert.Kind.CORRECTION, key=f"revision:{revision['pk']}",
                                      detail=_("変更された項目：%(fields)s") % {"fields": changed}))
    return alerts


def follows_check(*, notice_ids: list[int]) -> int:
    """Record each change of a followed notice among `notice_ids` once per follower; returns how many."""
    follows = list(Follow.objects.filter(notice_id__in=notice_ids).select_related("notice"))
    if not follows:
        return 0
    followed = {f.notice_id for f in follows}
    awards, winners = defaultdict(list), {}
    for notice_id, pk, winner in Award.objects.filter(notice_id__in=followed).values_list("notice_id", "pk", "winner__name"):
        awards[notice_id].append(pk)
        winners[pk] = winner
    oldest = min(f.seen.get("revision", 0) for f in follows)
    revisions = defaultdict(list)
    for revision in (NoticeRevision.objects.filter(notice_id__in=followed, pk__gt=oldest).order_by("pk")
                     .values("pk", "notice_id", "kind", "changes", "note")):
        revisions[revision["notice_id"]].append(revision)
    latest = dict(NoticeRevision.objects.filter(notice_id__in=followed).order_by()
                  .values_list("notice_id").annotate(last=Max("pk")))
    alerts = []
    for follow in follows:
        state = notice_state(follow.notice, award_ids=awards[follow.notice_id], revision=latest.get(follow.notice_id, 0))
        alerts += _changes(follow, follow.notice, state, revisions[follow.notice_id], winners)
        follow.seen = state
    known = set(FollowAlert.objects.filter(follow__in=follows).values_list("follow_id", "key"))
    new = [a for a in alerts if (a.follow.pk, a.key) not in known]
    FollowAlert.objects.bulk_create(new, ignore_conflicts=True)
    Follow.objects.bulk_update(follows, ["seen"])
    return len(new)


def follow_state_now(notice: Notice) -> dict:
    """The state a new follower starts from: only later changes are told."""
    last = NoticeRevision.objects.filter(notice=notice).order_by("-pk").values_list("pk", flat=True).first() or 0
    return notice_state(notice, award_ids=list(Award.objects.filter(notice=notice).values_list("pk", flat=True)),
                        revision=last)

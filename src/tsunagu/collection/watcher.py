"""The watcher: fetches each source politely (robots.txt, one request per host per interval, conditional requests,
a clear User-Agent, size and time caps, public addresses only — core/fetch.py), keeps a snapshot when the page
changed, and turns new call-like links into pre-filled candidates in their municipality."""

import datetime
import hashlib
import logging
import time
import urllib.parse
import urllib.robotparser

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tsunagu.core.errors import DomainError
from tsunagu.core.fetch import USER_AGENT, fetch
from tsunagu.notices.models import Notice

from .documents import document_kind, document_text
from .extract import decode, looks_like_a_call, page_links, prefill
from .models import Candidate, Snapshot, Source

logger = logging.getLogger(__name__)
MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
_last_request: dict[str, float] = {}
_robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
ROBOTS_TTL_SECONDS = 3600


def _polite_wait(host: str) -> None:
    """One request per host per WATCH_HOST_INTERVAL_SECONDS, across every source on that host."""
    gap = settings.WATCH_HOST_INTERVAL_SECONDS - (time.monotonic() - _last_request.get(host, -1e9))
    if gap > 0:
        time.sleep(gap)
    _last_request[host] = time.monotonic()


def _allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    cached = _robots.get(origin)
    if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL_SECONDS:
        parser = urllib.robotparser.RobotFileParser()
        try:
            _polite_wait(parts.netloc)
            answer = fetch(f"{origin}/robots.txt", max_bytes=512 * 1024, deadline_seconds=15)
            parser.parse(decode(answer.body, answer.headers.get("content-type", ""))[0].splitlines())
        except DomainError:
            parser = None  # no robots.txt (or unreachable): nothing forbidden
        cached = (time.monotonic(), parser)
        _robots[origin] = cached
    return cached[1] is None or cached[1].can_fetch(USER_AGENT, url)


def source_check(source: Source, *, now: datetime.datetime | None = None) -> list[Candidate]:
    """Look at one source; returns the new candidates. Errors are recorded on the source, never raised."""
    now = now or timezone.now()
    source.last_checked_at = now
    try:
        if not _allowed(source.url):
            raise DomainError("robots.txt がこのページの取得を許していません。")
        _polite_wait(urllib.parse.urlsplit(source.url).netloc)
        headers = {}
        if source.etag:
            headers["If-None-Match"] = source.etag
        if source.last_modified:
            headers["If-Modified-Since"] = source.last_modified
        answer = fetch(source.url, max_bytes=MAX_PAGE_BYTES, deadline_seconds=30, headers=headers)
    except DomainError as exc:
        source.last_error = exc.message[:500]
        source.save(update_fields=["last_checked_at", "last_error"])
        return []
    source.last_error = ""
    if answer.status == 304:
        source.save(update_fields=["last_checked_at", "last_error"])
        return []
    source.etag = answer.headers.get("etag", "")[:300]
    source.last_modified = answer.headers.get("last-modified", "")[:100]
    digest = hashlib.sha256(answer.body).hexdigest()
    latest = source.snapshots.order_by("-fetched_at").values_list("sha256", flat=True).first()
    if digest == latest:
        source.save(update_fields=["last_checked_at", "last_error", "etag", "last_modified"])
        return []
    text, encoding = decode(answer.body, answer.headers.get("content-type", ""))
    page_text, links = page_links(text, answer.url)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(source=source, url=answer.url, fetched_at=now, encoding=encoding,
                                           content_type=answer.headers.get("content-type", "")[:100], sha256=digest,
                                           text=page_text[:500_000])
        source.last_changed_at = now
        source.save()
        return _candidates(source, snapshot, links, now)


def _candidates(source: Source, snapshot: Snapshot, links, now) -> list[Candidate]:
    known_urls = set(Notice.objects.filter(municipality=source.municipality).exclude(source_url="")
                     .values_list("source_url", flat=True))
    seen = set(Candidate.objects.filter(municipality=source.municipality).values_list("key", flat=True))
    element = _element_for(source.municipality)
    created = []
    for link in links:
        if not link.text or not looks_like_a_call(link.text) or link.href in known_urls:
            continue
        key = hashlib.sha256(link.href.encode()).hexdigest()
        if key in seen:
            continue
        seen.add(key)
        fields = prefill(link.text, link.block)
        document = _document(source, link.href, now)
        if document is not None:  # what the page didn't say, the linked PDF/XLSX may
            for name, value in prefill(link.text, document.text).items():
                fields.setdefault(name, value)
        created.append(Candidate.objects.create(
            source=source, snapshot=snapshot, municipality=source.municipality, url=link.href[:1000],
            title=fields["title"]["value"][:500], fields=fields, key=key, found_at=now, element=element,
            needs_double_entry=int(key[:8], 16) % 100 < settings.DOUBLE_ENTRY_PERCENT))
    return created


def _document(source: Source, url: str, now) -> Snapshot | None:
    """Fetch a linked PDF or XLSX (politely, capped) and keep its text as a snapshot."""
    kind = document_kind(url)
    if kind is None:
        return None
    try:
        if not _allowed(url):
            return None
        _polite_wait(urllib.parse.urlsplit(url).netloc)
        answer = fetch(url, max_bytes=MAX_DOCUMENT_BYTES, deadline_seconds=60)
    except DomainError as exc:
        logger.info("document %s not fetched: %s", url, exc.message)
        return None
    text = document_text(answer.body, kind)
    return Snapshot.objects.create(source=source, url=answer.url, fetched_at=now, encoding="", sha256=hashlib.sha256(answer.body).hexdigest(),
                                   content_type=answer.headers.get("content-type", "")[:100], text=text[:500_000])


def _element_for(municipality):
    """The open unit of a running collection project for this municipality (the template groups by 団体コード)."""
    from tsunagu.workshare.models import Project, WorkElement

    return (WorkElement.objects.filter(group_key=municipality.lg_code, project__status=Project.Status.RUNNING)
            .exclude(status=WorkElement.Status.ACCEPTED).order_by("due_on", "pk").first())


def sources_check_due(*, now: datetime.datetime | None = None, every: datetime.timedelta = datetime.timedelta(hours=6)) -> int:
    """Every active source not looked at for `every`; returns how many candidates were found."""
    now = now or timezone.now()
    found = 0
    due = Source.objects.filter(active=True).exclude(last_checked_at__gt=now - every).select_related("municipality")
    for source in due:
        try:
            found += len(source_check(source, now=now))
        except Exception:  # one broken page never stops the round
            logger.exception("watching source %s failed", source.pk)
    return found

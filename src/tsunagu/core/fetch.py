"""Fetching a file a person pointed us to (a published spreadsheet's link), without letting the link reach inside
our own network: http(s) only, every address the host resolves to (and every redirect's) must be public unless
`FETCH_ALLOW_PRIVATE_ADDRESSES` is on, a size cap and an overall deadline."""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DomainError


def _check_address(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("http:// か https:// で始まる公開URLを入れてください。"), field="url")
    if settings.FETCH_ALLOW_PRIVATE_ADDRESSES:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError):
        raise DomainError(_("ホスト名「%(host)s」が見つかりません。") % {"host": parts.hostname}, field="url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise DomainError(_("内部のアドレスには接続できません。公開されているURLを入れてください。"), field="url")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


USER_AGENT = "TsunaguBot/1.0 (+https://github.com/tsunagu; municipal calls database; contact via the site)"


@dataclass
class Fetched:
    status: int  # 200, or 304 when the page has not changed since the validators given
    url: str  # after redirects
    body: bytes
    headers: dict[str, str]


def fetch(url: str, *, max_bytes: int, deadline_seconds: float = 30, headers: dict[str, str] | None = None) -> Fetched:
    """GET `url` (public addresses only, redirects re-checked, size and time capped). A 304 answer is returned, not
    raised; any other failure is a DomainError (field "url") in Japanese."""
    _check_address(url)
    opener = urllib.request.build_opener(_CheckedRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **(headers or {})})
    started = time.monotonic()
    chunks, size = [], 0
    try:
        with opener.open(request, timeout=min(20, deadline_seconds)) as response:
            while True:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise DomainError(_("ファイルが大きすぎます（%(mb)sMBまで）。") % {"mb": max_bytes // (1024 * 1024)}, field="url")
                if time.monotonic() - started > deadline_seconds:
                    raise DomainError(_("読み込みに時間がかかりすぎました。"), field="url")
                chunks.append(chunk)
            return Fetched(response.status, response.geturl(), b"".join(chunks), {k.lower(): v for k, v in response.headers.items()})
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(304, url, b"", {k.lower(): v for k, v in exc.headers.items()})
        raise DomainError(_("URLから読めませんでした（HTTP %(code)s）。") % {"code": exc.code}, field="url") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        raise DomainError(_("URLから読めませんでした。URLが正しく、公開されているか確かめてください。"), field="url") from None


def fetch_url(url: str, *, max_bytes: int, deadline_seconds: float = 30) -> bytes:
    """The body at `url`, or a DomainError (field "url") saying why not, in Japanese."""
    return fetch(url, max_bytes=max_bytes, deadline_seconds=deadline_seconds).body
